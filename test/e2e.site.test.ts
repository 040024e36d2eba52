/**
 * End to end: the real Docent server (`server/main.ts`, embedded PGlite database, local
 * embeddings) with a local OpenAI-compatible stub as the LLM, serving the fixture docs site, driven
 * by Debian chromium. A reader opens a docs page, asks in the widget, sees the streamed answer
 * with citations, follows a citation to the right heading, rates the answer, changes settings and
 * sees fewer sources, reopens the chat from history; a maintainer logs in to the review page and
 * finds the rating there.
 *
 * The server ingests the fixture docs on start (as `npm start` does) into a temporary PGlite
 * database; its working directory is a temporary folder whose `site/dist` is the fixture site.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, inject, it } from 'vitest';
import { collectPageErrors, hasChromium, launchBrowser, screenshot } from './helpers/browser';
import { type OpenAIStub, startOpenAIStub } from './helpers/openai-stub';
import { FIXTURE_DOCS } from './setup/site-build';

const REPO = resolve(import.meta.dirname, '..');
const ADMIN_TOKEN = 'e2e-admin-token-0123456789';
/** tsx's CLI, by path: the server runs in a temporary working directory. */
const TSX = join(REPO, 'node_modules/tsx/dist/cli.mjs');


function freePort(): Promise<number> {
  return new Promise((r) => {
    const s = createServer();
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address() as AddressInfo;
      s.close(() => r(port));
    });
  });
}

describe.skipIf(!hasChromium && !process.env.CI)('end to end: real server, widget and review page', () => {
  let work: string;
  let llm: OpenAIStub;
  let server: ChildProcess;
  let serverLog = '';
  let url: string;
  let browser: Browser;
  let page: Page;
  let errors: string[];
  let hostPage: ReturnType<typeof createServer>;
  let hostPort: number;

  beforeAll(async () => {
    work = mkdtempSync(join(tmpdir(), 'docent-e2e-'));
    mkdirSync(join(work, 'site'));
    symlinkSync(inject('siteDir'), join(work, 'site/dist'), 'dir');
    // The answer cites [1], [2] and a number that matches no source; the follow-up rewrite
    // (not streamed) returns the question as it is.
    llm = await startOpenAIStub((request) =>
      request.stream
        ? { text: 'Read it with `c.req.param()` in the handler [1]. Optional parameters end with `?` [2]. Not a source: [9].'.match(/[\s\S]{1,8}/g)!, chunkDelayMs: 10 }
        : { text: /Last question:\s*(.+)/.exec(request.lastUser)?.[1] ?? request.lastUser },
    );
    const port = await freePort();
    hostPort = await freePort();
    hostPage = createServer((_req, res) => {
      res.setHeader('content-type', 'text/html; charset=utf-8');
      res.end(`<!doctype html><title>Host</title><h1>Another site</h1><script src="http://127.0.0.1:${port}/widget.js" defer></script>`);
    });
    await new Promise<void>((r) => hostPage.listen(hostPort, '127.0.0.1', r));
    const env = {
      CORS_ORIGINS: `http://localhost:${hostPort}`,
      DATABASE_URL: join(work, 'db'),
      CONTENT_DIR: join(REPO, FIXTURE_DOCS),
      CONTENT_SOURCE: 'docs',
      PORT: String(port),
      HOST: '127.0.0.1',
      OPENAI_BASE_URL: llm.url,
      OPENAI_API_KEY: 'sk-e2e-test',
      CHAT_MODEL: 'e2e-stub',
      ADMIN_TOKEN,
      EMBEDDING_PROVIDER: 'local',
      EMBEDDING_WORKERS: '1',
      LANGSMITH_TRACING: 'false',
    };
    server = spawn(process.execPath, [TSX, join(REPO, 'server/main.ts')], { cwd: work, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    server.stdout!.on('data', (d: Buffer) => (serverLog += d.toString()));
    server.stderr!.on('data', (d: Buffer) => (serverLog += d.toString()));
    url = `http://127.0.0.1:${port}`;
    const deadline = Date.now() + 90_000;
    for (;;) {
      if (server.exitCode !== null) throw new Error(`the server exited (${server.exitCode}):\n${serverLog}`);
      // The site is served at once; questions are answered once the first index is built (status "ok").
      const health = await fetch(`${url}/api/health`).then((r) => (r.ok ? (r.json() as Promise<{ status?: string; documents?: number }>) : undefined), () => undefined);
      if (health?.status === 'ok' && (health.documents ?? 0) >= 7) break;
      if (Date.now() > deadline) throw new Error(`the server did not become ready:\n${serverLog}`);
      await new Promise((r) => setTimeout(r, 300));
    }
    browser = await launchBrowser();
    const context = await browser.newContext({ viewport: { width: 1360, height: 880 }, reducedMotion: 'reduce' });
    page = await context.newPage();
    errors = collectPageErrors(page);
  }, 180_000);

  afterAll(async () => {
    await browser?.close();
    if (server && server.exitCode === null) {
      server.kill('SIGTERM');
      await new Promise((r) => server.once('exit', r));
    }
    await llm?.close();
    hostPage?.close();
    if (work) rmSync(work, { recursive: true, force: true });
  });

  afterEach(async (ctx) => {
    if (ctx.task.result?.state === 'fail' && page) await screenshot(page, `e2e-failed-${ctx.task.name.slice(0, 40).replace(/\W+/g, '-')}`);
  });

  const panel = () => page.getByRole('dialog', { name: 'Ask the docs' });
  const answers = () => panel().locator('.dc-msg-assistant');
  async function ask(question: string, n: number) {
    const box = panel().getByRole('textbox', { name: 'Your question' });
    await box.fill(question);
    await box.press('Enter');
    await answers().nth(n - 1).locator('.dc-feedback').waitFor({ timeout: 30_000 });
  }

  it('serves a docs page with the widget, and the widget streams a cited answer', async () => {
    await page.goto(`${url}/guide/quick-start/`);
    await expect.poll(() => page.title()).toBe('Quick start · Docent');
    await page.getByRole('button', { name: 'Ask the docs', exact: true }).last().click();
    await ask('How do I install Acme with npm install, then write hello world?', 1);
    const answer = answers().first();
    await expect.poll(() => answer.locator('.dc-answer').textContent()).toContain('c.req.param()');
    await expect.poll(() => answer.locator('a.dc-cite').first().getAttribute('href')).toBe('/guide/quick-start/#install');
    const cites = answer.locator('a.dc-cite');
    expect(await cites.count()).toBeGreaterThanOrEqual(1);
    // [9] matches no source: never a link (the server may also drop it from the text).
    expect(await cites.allTextContents()).not.toContain('9');
    const sources = answer.locator('.dc-source');
    expect(await sources.count()).toBeGreaterThanOrEqual(2);
    await expect.poll(() => sources.first().locator('.dc-score').textContent()).toMatch(/^score [01]\.\d\d$/);
    expect(llm.requests.some((r) => r.stream)).toBe(true);
    await screenshot(page, 'e2e-answer');
  });

  it('serves docs pages under /api/ (an api/ folder is common) without shadowing the API', async () => {
    const pageResponse = await fetch(`${url}/api/routing/`);
    expect(pageResponse.status).toBe(200);
    expect(pageResponse.headers.get('content-type')).toContain('text/html');
    await expect(pageResponse.text()).resolves.toContain('id="path-parameter"');
    const api = await fetch(`${url}/api/chats`);
    expect(api.headers.get('content-type')).toContain('application/json');
  });

  it('searches the docs from the header with the server’s ranking and opens a result at its section', async () => {
    const reader = await page.context().newPage();
    const readerErrors = collectPageErrors(reader);
    await reader.goto(`${url}/guide/quick-start/`);
    // The search island is interactive.
    await reader.locator('html[data-docs-search="ready"]').waitFor({ state: 'attached' });
    await reader.getByRole('button', { name: 'Search the docs' }).click();
    const dialog = reader.getByRole('dialog', { name: 'Search the docs' });
    await dialog.getByRole('searchbox', { name: 'Search the docs' }).fill('optional path parameter');
    const result = dialog.getByRole('list', { name: 'Results' }).locator('a[href="/api/routing/#optional-parameter"]');
    await result.waitFor({ timeout: 30_000 });
    await expect.poll(() => result.textContent()).toContain('Optional Parameter');
    await result.click();
    await reader.waitForURL('**/api/routing/#optional-parameter');
    const top = await reader.locator('[id="optional-parameter"]').evaluate((el) => el.getBoundingClientRect().top);
    expect(top).toBeGreaterThanOrEqual(0);
    expect(top).toBeLessThan(200);
    expect(readerErrors).toEqual([]);
    await reader.close();
  });

  it('follows a citation to the heading it cites', async () => {
    const cite = answers().first().locator('a.dc-cite').first();
    const href = (await cite.getAttribute('href'))!;
    expect(href).toMatch(/^\/[^#]*\/#[a-z0-9-]+$/);
    await cite.click();
    await page.waitForURL(`**${href}`);
    const anchor = decodeURIComponent(href.split('#')[1]!);
    const top = await page.locator(`[id="${anchor}"]`).evaluate((el) => el.getBoundingClientRect().top);
    expect(top).toBeGreaterThanOrEqual(0);
    expect(top).toBeLessThan(200);
    await answers().first().locator('.dc-feedback').waitFor();
    await screenshot(page, 'e2e-citation-followed');
  });

  it('rates the answer (thumbs, stars, comment) and shows it saved', async () => {
    const feedback = answers().first().getByRole('group', { name: 'Feedback on this answer' });
    await feedback.getByRole('button', { name: 'Helpful (thumbs up)' }).click();
    await feedback.getByText('Saved').waitFor();
    await feedback.getByRole('button', { name: 'Rate 5 out of 5' }).click();
    await feedback.getByRole('textbox', { name: 'Comment (optional)' }).fill('Exactly what I needed.');
    await feedback.getByRole('button', { name: 'Save comment' }).click();
    await expect.poll(() => feedback.getByRole('button', { name: 'Save comment' }).isDisabled()).toBe(true);
    await feedback.getByText('Saved').waitFor();
  });

  it('changes settings and gets fewer sources on the next question', async () => {
    const before = await answers().first().locator('.dc-source').count();
    await panel().getByRole('button', { name: 'Retrieval settings' }).click();
    await panel().getByRole('slider', { name: /Maximum sources/ }).fill('1');
    await panel().getByRole('button', { name: 'Save settings' }).click();
    await panel().getByText('Saved. Applies to your next question.').waitFor();
    await expect(fetch(`${url}/api/settings`).then((r) => r.status)).resolves.toBe(200);
    await panel().getByRole('button', { name: 'Back to chat' }).first().click();
    await ask('How do I install Acme with npm install, then write hello world?', 2);
    await expect.poll(() => answers().nth(1).locator('.dc-source').count()).toBe(1);
    expect(before).toBeGreaterThan(1);
  });

  it('reopens the chat from history', async () => {
    await panel().getByRole('button', { name: 'New chat' }).click();
    await expect.poll(() => answers().count()).toBe(0);
    await panel().getByRole('button', { name: 'Chat history' }).click();
    await panel().getByRole('list', { name: 'Earlier chats' }).getByRole('button', { name: /^How do I install Acme/ }).click();
    await answers().nth(1).locator('.dc-feedback').waitFor();
    const first = answers().first();
    await expect.poll(() => first.getByRole('button', { name: 'Helpful (thumbs up)' }).getAttribute('aria-pressed')).toBe('true');
    await expect.poll(() => first.getByRole('button', { name: 'Rate 5 out of 5' }).getAttribute('aria-pressed')).toBe('true');
    expect(await first.locator('a.dc-cite').count()).toBeGreaterThanOrEqual(1);
    await screenshot(page, 'e2e-history');
    expect(errors).toEqual([]);
  });

  it('runs as the standalone widget.js on another origin (CORS_ORIGINS)', async () => {
    const host = await page.context().newPage();
    const hostErrors = collectPageErrors(host);
    const scripts = new Map<string, Record<string, string>>();
    host.on('response', (response) => {
      if (response.request().resourceType() === 'script') scripts.set(new URL(response.url()).pathname, response.headers());
    });
    await host.goto(`http://localhost:${hostPort}/`);
    await host.getByRole('button', { name: 'Ask the docs' }).waitFor();
    // The page gets the small launcher, compressed; the chat script comes when the chat opens,
    // compressed and cached for a year (its name changes with its content).
    expect([...scripts.keys()]).toEqual(['/widget.js']);
    expect(scripts.get('/widget.js')).toMatchObject({ 'content-encoding': 'gzip', 'cache-control': 'public, max-age=0, must-revalidate' });
    const widgetJs = await fetch(`${url}/widget.js`, { headers: { 'accept-encoding': 'identity' } });
    expect((await widgetJs.arrayBuffer()).byteLength).toBeLessThan(40_000);
    await host.getByRole('button', { name: 'Ask the docs' }).click();
    const dialog = host.getByRole('dialog', { name: 'Ask the docs' });
    await dialog.getByRole('textbox', { name: 'Your question' }).fill('How do I install Acme with npm install, then write hello world?');
    await dialog.getByRole('textbox', { name: 'Your question' }).press('Enter');
    await dialog.locator('.dc-feedback').waitFor({ timeout: 30_000 });
    await expect.poll(() => dialog.locator('a.dc-cite').first().getAttribute('href')).toBe(`${url}/guide/quick-start/#install`);
    const [chatScript, ...others] = [...scripts.keys()].filter((path) => path !== '/widget.js');
    expect(others).toEqual([]);
    expect(chatScript).toMatch(/^\/_astro\/docent-chat\.[\w-]+\.js$/);
    expect(scripts.get(chatScript!)).toMatchObject({ 'content-encoding': 'gzip', 'cache-control': 'public, max-age=31536000, immutable' });
    await screenshot(host, 'e2e-standalone');
    expect(hostErrors).toEqual([]);
    await host.close();
  });

  it('logs in to the review page and finds the rating there', async () => {
    const admin = await page.context().newPage();
    await admin.goto(`${url}/review/`);
    await admin.getByLabel('Admin token').fill(ADMIN_TOKEN);
    await admin.getByRole('button', { name: 'Log in' }).click();
    const table = admin.getByRole('region', { name: 'Rated answers' });
    await table.getByRole('row').nth(1).waitFor({ timeout: 15_000 });
    const row = table.getByRole('row').filter({ hasText: 'Exactly what I needed.' });
    await expect.poll(() => row.count()).toBe(1);
    await expect.poll(() => row.getByLabel('5 out of 5').count()).toBe(1);
    await row.getByRole('button', { name: 'How do I install Acme with npm install, then write hello world?' }).click();
    const detail = admin.getByRole('dialog', { name: 'How do I install Acme with npm install, then write hello world?' });
    await expect.poll(() => detail.textContent()).toMatch(/Max results5/);
    await screenshot(admin, 'e2e-review');
    // Cited sources of an up-voted answer start marked; the reviewer keeps only the first.
    await detail.getByRole('checkbox', { name: /Mark source 1 / }).check();
    await detail.getByRole('checkbox', { name: /Mark source 2 / }).uncheck();
    await detail.getByRole('button', { name: 'Export as eval case' }).click();
    await detail.getByText(/Exported as review-/).waitFor();
    const lines = readFileSync(join(work, 'eval/review-cases.jsonl'), 'utf8').trim().split('\n');
    expect(JSON.parse(lines.at(-1)!)).toMatchObject({ question: 'How do I install Acme with npm install, then write hello world?', gold: [{ path: 'guide/quick-start.md', heading: 'Install' }] });
    await admin.close();
  });
});
