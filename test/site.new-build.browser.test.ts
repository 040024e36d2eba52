/**
 * The docs site after a redeploy, in a real browser: a page opened before it names the script
 * chunks of the build it came with, which the redeploy removed. Opening the chat, whose chunk the
 * widget loads on first use, reloads the page once for the current build's chunks
 * (site/src/chat/new-build-reload.ts), and the chat opens; a chunk that cannot be loaded at all
 * reloads the page only once, and the panel says so, with a button that reloads it.
 */
import { readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { hasChromium, launchBrowser, screenshot } from './helpers/browser';
import { type ContractServer, startContractServer } from './helpers/contract-server';
import { readFixtureDocs } from './helpers/fixture-docs';
import { FIXTURE_DOCS } from './setup/site-build';

const evalFile = join(tmpdir(), `docent-eval-new-build-${process.pid}.jsonl`);

describe.skipIf(!hasChromium && !process.env.CI)('docs site opened before a redeploy', () => {
  let server: ContractServer;
  let browser: Browser;
  /** The chat's chunk, which the widget loads when the panel first opens (`/_astro/ChatApp.<hash>.js`). */
  let chatChunk: string;

  beforeAll(async () => {
    const siteDir = inject('siteDir');
    const chunk = readdirSync(join(siteDir, '_astro')).find((name) => /^ChatApp\.[\w-]+\.js$/.test(name));
    if (!chunk) throw new Error('the built site has no ChatApp chunk');
    chatChunk = `/_astro/${chunk}`;
    server = await startContractServer({ siteDir, docs: await readFixtureDocs(FIXTURE_DOCS), adminToken: 'new-build-token-0123456789abcdef', evalFile });
    browser = await launchBrowser();
  });

  afterAll(async () => {
    await browser?.close();
    await server?.close();
    rmSync(evalFile, { force: true });
  });

  /**
   * A page of the site in a new tab, whose chat chunk is gone (404) while `gone()` says so; counts
   * the page's loads (the first, and each reload) and the chunk's requests.
   */
  async function openPage(gone: (loads: number) => boolean) {
    const context: BrowserContext = await browser.newContext({ viewport: { width: 1360, height: 880 }, reducedMotion: 'reduce' });
    const page: Page = await context.newPage();
    const state = { loads: 0, chunkRequests: 0, console: [] as string[] };
    page.on('console', (message) => state.console.push(message.text()));
    page.on('request', (request) => {
      if (request.isNavigationRequest() && request.frame() === page.mainFrame()) state.loads++;
    });
    await context.route(`**${chatChunk}`, (route) => {
      state.chunkRequests++;
      return gone(state.loads) ? route.fulfill({ status: 404, body: 'Not found' }) : route.continue();
    });
    await page.goto(`${server.url}/`);
    await page.locator('.dc-launcher').waitFor();
    await page.locator('html[data-docent-widget="ready"]').waitFor();
    return { page, state, close: () => context.close() };
  }

  it('opening the chat reloads the page once for the current build, and the chat opens', async () => {
    // The redeploy came after the page loaded: its chunk is gone until the page is loaded again.
    const { page, state, close } = await openPage((loads) => loads < 2);
    await expect.poll(() => state.chunkRequests).toBeGreaterThan(0); // the idle preload: its failure shows nothing
    expect(await page.getByRole('alert').count()).toBe(0);
    expect(state.loads).toBe(1);
    await page.locator('.dc-launcher').click();
    await page.getByRole('textbox', { name: 'Your question' }).waitFor();
    expect(state.loads).toBe(2);
    expect(state.console.filter((line) => line.startsWith('Docent: the chat could not be loaded'))).toHaveLength(1);
    await close();
  });

  it('a chunk that cannot be loaded at all reloads the page only once, then the panel says so, and its button reloads the page', async () => {
    let available = false;
    const { page, state, close } = await openPage(() => !available);
    await page.locator('.dc-launcher').click();
    const alert = page.getByRole('alert');
    await expect.poll(() => alert.textContent(), { timeout: 15_000 }).toContain('The chat could not be loaded. Check your connection, then reload the page.');
    expect(state.loads).toBe(2);
    await screenshot(page, 'site-chat-not-loaded');
    available = true;
    await alert.getByRole('button', { name: 'Reload the page' }).click();
    // The panel is remembered open for the tab: it opens again with the page.
    await page.getByRole('textbox', { name: 'Your question' }).waitFor();
    expect(state.loads).toBe(3);
    await close();
  });
});
