/**
 * The docs site, the chat widget and the review page in a real browser (Debian chromium via
 * playwright-core), against the contract test server (test/helpers/contract-server.ts) serving
 * the fixture site. The journeys run in order and share one visitor, like a person would:
 * read a page, ask, rate, follow a citation, change settings, reopen a chat, then review.
 * The same journeys against the real Docent server are in test/e2e.site.test.ts.
 */
import { readFileSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, BrowserContext, Locator, Page, Request, Route } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, inject, it } from 'vitest';
import { DEFAULT_RETRIEVAL_SETTINGS } from '../server/retrieval/settings';
import { SAVED_ELSEWHERE_MESSAGE } from '../site/src/chat/SettingsPanel';
import { collectPageErrors, hasChromium, launchBrowser, screenshot } from './helpers/browser';
import { lowContrastText } from './helpers/contrast';
import { type ContractServer, startContractServer } from './helpers/contract-server';
import { readFixtureDocs } from './helpers/fixture-docs';
import { FIXTURE_DOCS } from './setup/site-build';

const ADMIN_TOKEN = 'review-token-0123456789abcdef';
const evalFile = join(tmpdir(), `docent-eval-${process.pid}.jsonl`);

if (!hasChromium && !process.env.CI) console.warn('[site.browser] chromium not found at /usr/bin/chromium: browser tests skipped (apt-get install -y chromium)');

describe.skipIf(!hasChromium && !process.env.CI)('site in a browser', () => {
  let server: ContractServer;
  let browser: Browser;
  let hostPage: Server;
  let hostUrl: string;
  let context: BrowserContext;
  let page: Page;
  let errors: string[];

  beforeAll(async () => {
    hostPage = createServer((req, res) => {
      res.setHeader('content-type', 'text/html; charset=utf-8');
      const special = hostPages(req.url ?? '/');
      if (special) {
        for (const [name, value] of Object.entries(special.headers ?? {})) res.setHeader(name, value);
        return res.end(special.html);
      }
      res.end(`<!doctype html><html lang="de-CH"><head><title>Someone else's docs</title>
        <style>:root { --docent-accent: rgb(15, 118, 110); --docent-accent-contrast: rgb(255, 251, 235); --docent-font: monospace; }
        * { color: red !important; font-size: 31px !important; font-family: serif !important; }
        button { display: none !important; } div { border: 5px dotted lime !important; }</style></head>
        <body><h1>Another docs site</h1><p>Host page with hostile CSS.</p>
        <script src="${server.url}/widget.js" data-docent-url="${server.url}" data-label="Ask Acme" defer></script></body></html>`);
    });
    await new Promise<void>((r) => hostPage.listen(0, '127.0.0.1', r));
    // "localhost" is another origin than the Docent server's 127.0.0.1.
    hostUrl = `http://localhost:${(hostPage.address() as AddressInfo).port}`;
    server = await startContractServer({
      siteDir: inject('siteDir'),
      docs: await readFixtureDocs(FIXTURE_DOCS),
      adminToken: ADMIN_TOKEN,
      evalFile,
      corsOrigins: [hostUrl],
    });
    browser = await launchBrowser();
    context = await browser.newContext({ viewport: { width: 1360, height: 880 }, reducedMotion: 'reduce' });
    page = await context.newPage();
    errors = collectPageErrors(page);
  });

  afterAll(async () => {
    await browser?.close();
    await server?.close();
    hostPage?.close();
    rmSync(evalFile, { force: true });
  });

  afterEach(async (ctx) => {
    if (ctx.task.result?.state === 'fail' && page) await screenshot(page, `failed-${ctx.task.name.slice(0, 40).replace(/\W+/g, '-')}`);
  });

  /** Host pages on another origin for the standalone widget's hard cases (undefined: the default page). */
  function hostPages(url: string): { html: string; headers?: Record<string, string> } | undefined {
    const script = (attributes = 'defer') => `<script src="${server.url}/widget.js" ${attributes}></script>`;
    const filler = '<p>Host page text.</p>'.repeat(150);
    const viewport = '<meta name="viewport" content="width=device-width, initial-scale=1">';
    switch (new URL(url, 'http://host').pathname) {
      case '/csp':
        return {
          html: `<!doctype html><html><head>${viewport}</head><body><h1>Strict CSP</h1>${filler}${script()}</body></html>`,
          headers: { 'content-security-policy': `default-src 'self'; script-src 'self' ${server.url}; connect-src ${server.url}; style-src 'self'` },
        };
      case '/transformed':
        return { html: `<!doctype html><html><head><style>body { transform: translateZ(0); zoom: 2 }</style></head><body>${filler}${script()}</body></html>` };
      case '/rtl':
        return { html: `<!doctype html><html lang="ar" dir="rtl"><body><h1>مرحبا</h1>${script()}</body></html>` };
      case '/open-early':
        // Docent.open() right after a synchronous widget.js (before React rendered), and from a
        // stub queueing the call before an async widget.js arrived.
        return { html: `<!doctype html><html><body><p>Host</p>${script('')}<script>window.Docent.open()</script></body></html>` };
      case '/open-stub':
        return {
          html: `<!doctype html><html><body><script>window.Docent = window.Docent || { q: [], open() { this.q.push('open'); } }; window.Docent.open();</script>${script('async')}</body></html>`,
        };
      case '/bad-url':
        return { html: `<!doctype html><html><body>${script(`data-docent-url="${server.url.replace(/^https?:\/\//, '')}" data-theme="purple" defer`)}</body></html>` };
      case '/phone':
        return { html: `<!doctype html><html><head>${viewport}</head><body>${filler}${script()}</body></html>` };
      case '/plain':
        return { html: `<!doctype html><html><body><h1>Host</h1>${script()}</body></html>` };
      case '/themed':
        // A Docusaurus or Starlight site showing its dark theme, whatever the system's.
        return { html: `<!doctype html><html data-theme="dark"><body><h1>Host</h1>${script()}</body></html>` };
      case '/mkdocs':
        // MkDocs Material in its dark scheme: on <body>, its own attribute.
        return { html: `<!doctype html><html><body data-md-color-scheme="slate" data-md-color-primary="indigo"><h1>Host</h1>${script()}</body></html>` };
      case '/top-header':
        return {
          html: `<!doctype html><html><body><header style="position: fixed; inset: 0 0 auto 0; height: 300px; background: orange; z-index: 2147483647">Host header</header>${script()}</body></html>`,
        };
      default:
        return undefined;
    }
  }

  const panel = () => page.getByRole('dialog', { name: 'Ask the docs' });
  const composer = () => panel().getByRole('textbox', { name: 'Your question' });
  const answers = () => panel().locator('.dc-msg-assistant');
  async function ask(question: string) {
    await composer().fill(question);
    await composer().press('Enter');
  }
  async function waitForAnswer(count: number) {
    await answers().nth(count - 1).locator('.dc-feedback').waitFor({ timeout: 15_000 });
  }

  describe('docs pages', () => {
    it('renders a page with its sidebar, table of contents and highlighted code', async () => {
      await page.goto(`${server.url}/guide/quick-start/`);
      await expect.poll(() => page.title()).toBe('Quick start · Docent');
      await expect.poll(() => page.getByRole('navigation', { name: 'Documentation' }).getByRole('link', { name: 'Quick start' }).getAttribute('aria-current')).toBe('page');
      await expect.poll(() => page.locator('.toc a').allTextContents()).toEqual(['Install', 'Hello world', 'Example', 'Example', 'Options at a glance', 'Start -- and stop...']);
      expect(await page.locator('pre.astro-code span').count()).toBeGreaterThan(5);
      await screenshot(page, 'docs-light');
    });

    it('switches to dark mode and remembers it', async () => {
      await page.getByRole('button', { name: 'Toggle dark mode' }).click();
      await expect.poll(() => page.locator('html').getAttribute('data-theme')).toBe('dark');
      await page.reload();
      await expect.poll(() => page.locator('html').getAttribute('data-theme')).toBe('dark');
      const bg = await page.evaluate(() => getComputedStyle(document.body).backgroundColor);
      expect(bg).toBe('rgb(15, 17, 21)');
      await screenshot(page, 'docs-dark');
      await page.getByRole('button', { name: 'Toggle dark mode' }).click();
    });

    it('has text that meets WCAG AA contrast in both themes, code and highlighted lines included', async () => {
      await page.goto(`${server.url}/guide/configuration/`);
      expect(await page.locator('pre.astro-code .line.highlighted').count()).toBeGreaterThan(0);
      expect(await page.locator('.toc h2, .site-footer').count()).toBeGreaterThan(0);
      // The check finds what falls short: the grey the footer had (3.52:1 on white).
      await page.locator('.prose').evaluate((el) => el.insertAdjacentHTML('beforeend', '<p id="contrast-probe" style="color: #80899a">Too light</p>'));
      expect(await lowContrastText(page)).toEqual([{ text: 'Too light', color: 'rgb(128, 137, 154)', background: 'rgb(255, 255, 255)', ratio: 3.52, required: 4.5 }]);
      await page.locator('#contrast-probe').evaluate((el) => el.remove());
      expect(await lowContrastText(page)).toEqual([]);
      await page.getByRole('button', { name: 'Toggle dark mode' }).click();
      await expect.poll(() => page.locator('html').getAttribute('data-theme')).toBe('dark');
      expect(await lowContrastText(page)).toEqual([]);
      await page.getByRole('button', { name: 'Toggle dark mode' }).click();
      await page.goto(`${server.url}/no-such-page/`);
      expect(await lowContrastText(page)).toEqual([]);
    });

    it('lands on the right heading for a URL with an anchor', async () => {
      await page.goto(`${server.url}/api/routing/#path-parameter`);
      const top = await page.locator('#path-parameter').evaluate((el) => el.getBoundingClientRect().top);
      expect(top).toBeGreaterThanOrEqual(0);
      expect(top).toBeLessThan(200);
    });

    it('opens the navigation as a drawer on a phone', async () => {
      const phone = await context.newPage();
      await phone.setViewportSize({ width: 390, height: 800 });
      await phone.goto(`${server.url}/guide/configuration/`);
      const sidebar = phone.locator('#sidebar');
      expect((await sidebar.boundingBox())!.x).toBeLessThan(0);
      await phone.getByRole('button', { name: 'Open navigation' }).click();
      await expect.poll(async () => (await sidebar.boundingBox())!.x).toBe(0);
      await screenshot(phone, 'docs-mobile-nav');
      // A heading with a long word (an API route) wraps instead of widening the page.
      const widthWithLongHeading = await phone.evaluate(() => {
        const h2 = document.createElement('h2');
        h2.textContent = 'Rate an answer (POST /api/messages/:id/feedback/with-a-long-unbroken-route)';
        document.querySelector('.prose')!.append(h2);
        const width = document.documentElement.scrollWidth;
        h2.remove();
        return width;
      });
      expect(widthWithLongHeading).toBe(390);
      await phone.mouse.click(370, 400);
      await expect.poll(async () => (await sidebar.boundingBox())!.x).toBeLessThan(0);
      // The chat panel takes the whole screen on a phone.
      await phone.getByRole('button', { name: 'Ask the docs', exact: true }).last().click();
      const dialog = phone.getByRole('dialog', { name: 'Ask the docs' });
      await dialog.getByRole('textbox', { name: 'Your question' }).waitFor();
      expect(await dialog.boundingBox()).toMatchObject({ x: 0, y: 0, width: 390, height: 800 });
      await screenshot(phone, 'widget-mobile');
      await phone.keyboard.press('Escape');
      await phone.close();
    });
  });

  describe('chat widget', () => {
    it('opens from the launcher with focus in the question box, and Esc closes it', async () => {
      await page.goto(`${server.url}/guide/quick-start/`);
      const launcher = page.getByRole('button', { name: 'Ask the docs', exact: true }).last();
      await launcher.click();
      await expect.poll(() => composer().evaluate((el) => el === document.activeElement)).toBe(true);
      await page.keyboard.press('Escape');
      await expect.poll(() => panel().count()).toBe(0);
      await expect.poll(() => page.evaluate(() => document.activeElement?.className)).toContain('dc-launcher');
      // No --docent-* properties on this site: Docent's own accent.
      expect(await launcher.evaluate((el) => [getComputedStyle(el).backgroundColor, getComputedStyle(el).color])).toEqual(['rgb(79, 70, 229)', 'rgb(255, 255, 255)']);
      // The header's "Ask the docs" button opens it too, and Esc gives the focus back to that button.
      await page.locator('[data-docent-open]').click();
      await composer().waitFor();
      await expect.poll(() => composer().evaluate((el) => el === document.activeElement)).toBe(true);
      await page.keyboard.press('Escape');
      await expect.poll(() => panel().count()).toBe(0);
      await expect.poll(() => page.evaluate(() => document.activeElement?.hasAttribute('data-docent-open'))).toBe(true);
      // Opened from the launcher again: back to the launcher.
      await launcher.click();
      await composer().waitFor();
      await page.keyboard.press('Escape');
      await expect.poll(() => page.evaluate(() => document.activeElement?.className)).toContain('dc-launcher');
      // The chat tests below ask in this page's panel, opened from the launcher.
      await launcher.click();
      await composer().waitFor();
    });

    it('opens on a launcher click made before the widget was interactive (slow script)', async () => {
      const slow = await context.newPage();
      try {
        // Hold the widget's script back, as a slow network or a busy device would.
        let release!: () => void;
        const held = new Promise<void>((resolve) => (release = resolve));
        await slow.route('**/_astro/ChatWidget*.js', async (route) => {
          await held;
          await route.continue();
        });
        await slow.goto(`${server.url}/guide/quick-start/`, { waitUntil: 'domcontentloaded' });
        expect(await slow.evaluate(() => document.documentElement.getAttribute('data-docent-widget'))).toBeNull();
        await slow.getByRole('button', { name: 'Ask the docs', exact: true }).last().click();
        release();
        await slow.getByRole('dialog', { name: 'Ask the docs' }).getByRole('textbox', { name: 'Your question' }).waitFor();
      } finally {
        await slow.close();
      }
    });

    it('streams an answer with linked citations, sources with scores, and no executed HTML', async () => {
      await ask('How do I read a path parameter in routing?');
      // (The Stop button that replaces Send while streaming is checked by "stops a streaming
      // answer", which streams slowly: this answer can arrive within one frame on a busy machine.)
      await waitForAnswer(1);
      const answer = answers().first();
      await expect.poll(() => answer.locator('.dc-answer').textContent()).toContain('According to Routing');
      const cites = answer.locator('a.dc-cite');
      await expect.poll(() => cites.count()).toBe(2);
      await expect.poll(() => cites.first().getAttribute('href')).toBe('/api/routing/#path-parameter');
      await expect.poll(() => answer.locator('.dc-answer').textContent()).toContain('invalid citation [9] stays');
      await expect.poll(() => answer.locator('.dc-answer').textContent()).toContain('<script>window.__xss = true</script>');
      await expect.poll(() => page.evaluate(() => (window as { __xss?: boolean }).__xss)).toBeUndefined();
      await expect.poll(() => answer.locator('.dc-answer code.hljs .hljs-string').count()).toBeGreaterThan(0);
      const sources = answer.locator('.dc-source');
      expect(await sources.count()).toBeGreaterThanOrEqual(2);
      // The score is read with its meaning ("score 0.76"), from hidden text.
      await expect.poll(() => sources.first().locator('.dc-score').textContent()).toMatch(/^score 0\.\d\d$/);
      await expect.poll(() => sources.first().locator('.dc-source-heading').textContent()).toBe('Path Parameter');
      // The request carried the useChat body with text parts only.
      const request = server.state.requests.findLast((r) => r.path === '/api/chat')!.body as { id: string; messages: { role: string; parts: unknown[] }[]; trigger: string };
      expect(request.trigger).toBe('submit-message');
      // The page's language (an English page), for keyword questions on docs in several languages.
      expect((request as { language?: string }).language).toBe('en');
      // The page's path, whose copy of a section repeated per product or version is cited.
      expect((request as { page?: string }).page).toBe(new URL(page.url()).pathname);
      expect((request as { page?: string }).page).toMatch(/^\/guide\//);
      expect(request.messages.at(-1)).toMatchObject({ role: 'user', parts: [{ type: 'text', text: 'How do I read a path parameter in routing?' }] });
      await screenshot(page, 'widget-answer');
    });

    it('names the speaker of each message and says when the answer is ready, without re-reading the stream', async () => {
      const log = panel().getByRole('log', { name: 'Conversation' });
      // Hidden headings: a screen reader tells questions from answers, and jumps between them.
      await expect.poll(() => log.getByRole('heading', { name: 'You', exact: true, level: 3 }).count()).toBe(1);
      await expect.poll(() => log.getByRole('heading', { name: 'Docent', exact: true, level: 3 }).count()).toBe(1);
      expect(await log.locator('.dc-msg-user h3 + .dc-bubble').textContent()).toBe('How do I read a path parameter in routing?');
      // The streamed answer is not announced piece by piece (nor all over again when done) ...
      expect(await log.getAttribute('aria-live')).toBe('off');
      expect(await panel().locator('[aria-busy]').count()).toBe(0);
      // ... a status says it is there, with its number of sources.
      const sources = await answers().first().locator('.dc-source').count();
      await expect.poll(async () => (await panel().getByRole('status').filter({ hasText: 'Answer ready' }).textContent())?.trim()).toBe(`Answer ready, ${sources} sources`);
    });

    it('gives citation markers a 24 px target without making them look bigger', async () => {
      const cite = answers().first().locator('a.dc-cite').first();
      const box = (await cite.boundingBox())!;
      expect(box.height).toBeLessThan(20);
      const hits = await cite.evaluate((el) => {
        const r = el.getBoundingClientRect();
        const [x, y] = [r.left + r.width / 2, r.top + r.height / 2];
        return [[-11.5, -11.5], [11.5, -11.5], [-11.5, 11.5], [11.5, 11.5]].map(([dx, dy]) => document.elementFromPoint(x + dx!, y + dy!)?.closest('a') === el);
      });
      expect(hits).toEqual([true, true, true, true]);
    });

    it('has widget text that meets WCAG AA contrast in both themes', async () => {
      expect(await lowContrastText(page, '.docent-root')).toEqual([]);
      await page.getByRole('button', { name: 'Toggle dark mode' }).click();
      await expect.poll(() => page.locator('html').getAttribute('data-theme')).toBe('dark');
      expect(await lowContrastText(page, '.docent-root')).toEqual([]);
      await page.getByRole('button', { name: 'Toggle dark mode' }).click();
      await expect.poll(() => page.locator('html').getAttribute('data-theme')).toBe('light');
    });

    it('shows a hover card with title, heading, snippet and score', async () => {
      await answers().first().locator('a.dc-cite').first().hover();
      const card = page.getByRole('tooltip');
      await card.waitFor();
      await expect.poll(() => card.textContent()).toMatch(/Routing.*0\.\d\d.*Path Parameter.*c\.req\.param\('name'\).*api\/routing\.md/s);
      await screenshot(page, 'widget-hover-card');
      // Keyboard users get the same card on focus.
      await page.mouse.move(5, 5);
      await card.waitFor({ state: 'detached' });
      await answers().first().locator('a.dc-cite').nth(1).focus();
      await page.getByRole('tooltip').waitFor();
      await page.keyboard.press('Escape');
      await page.getByRole('tooltip').waitFor({ state: 'detached' });
    });

    it('saves a thumbs up, a 4-star rating and a comment, and says so', async () => {
      const feedback = answers().first().getByRole('group', { name: 'Feedback on this answer' });
      await feedback.getByRole('button', { name: 'Helpful (thumbs up)' }).click();
      await feedback.getByText('Saved').waitFor();
      await feedback.getByRole('button', { name: 'Rate 4 out of 5' }).click();
      await expect.poll(() => server.state.feedback[0]?.rating).toBe(4);
      await feedback.getByRole('textbox', { name: 'Comment (optional)' }).fill('Clear, and the example helped.');
      await feedback.getByRole('button', { name: 'Save comment' }).click();
      await expect.poll(() => server.state.feedback[0]?.comment).toBe('Clear, and the example helped.');
      // Emptying the comment and saving removes it on the server too (a left-out field is kept).
      const comment = feedback.getByRole('textbox', { name: 'Comment (optional)' });
      await comment.fill('');
      await feedback.getByRole('button', { name: 'Save comment' }).click();
      await expect.poll(() => server.state.feedback[0]?.comment).toBeNull();
      expect(server.state.feedback[0]?.rating).toBe(4);
      await comment.fill('Clear, and the example helped.');
      await feedback.getByRole('button', { name: 'Save comment' }).click();
      await expect.poll(() => server.state.feedback[0]?.comment).toBe('Clear, and the example helped.');
      await expect.poll(() => feedback.getByRole('button', { name: 'Helpful (thumbs up)' }).getAttribute('aria-pressed')).toBe('true');
      expect(server.state.feedback).toHaveLength(1);
      expect(server.state.feedback[0]).toMatchObject({ vote: 'up', rating: 4 });
      const chat = [...server.state.chats.values()][0]!;
      expect(server.state.feedback[0]!.messageId).toBe(chat.messages[1]!.id);
      await screenshot(page, 'widget-feedback');
    });

    it('keeps the keyboard focus on "Save comment" once saved, and Esc still closes the panel', async () => {
      const feedback = answers().first().getByRole('group', { name: 'Feedback on this answer' });
      const comment = feedback.getByRole('textbox', { name: 'Comment (optional)' });
      const save = feedback.getByRole('button', { name: 'Save comment' });
      const saveIsFocused = () => save.evaluate((el) => el === document.activeElement);
      // The feedback the page sends, in the order it sends it.
      const sent: string[] = [];
      const onRequest = (request: Request) => {
        if (request.method() === 'POST' && request.url().endsWith('/feedback')) sent.push(request.postData() ?? '');
      };
      page.on('request', onRequest);
      let sentBeforePress = 0;
      for (const [i, text] of ['Clear, and the example helped!', 'Clear, and the example helped.'].entries()) {
        if (i === 1) {
          await expect.poll(() => sent.length).toBe(1);
          // Pressed again with nothing new: nothing is sent. Whatever it sent would go before the
          // next comment's save (a page sends its requests in order), which is checked below.
          sentBeforePress = sent.length;
          await page.keyboard.press('Enter');
        }
        await comment.fill(text);
        await comment.press('Tab');
        await page.keyboard.press('Enter');
        await expect.poll(() => server.state.feedback[0]?.comment).toBe(text);
        await expect.poll(() => save.getAttribute('aria-disabled')).toBe('true');
        expect(await saveIsFocused()).toBe(true);
      }
      await expect.poll(() => sent.length).toBeGreaterThan(sentBeforePress);
      page.off('request', onRequest);
      expect(sent.slice(sentBeforePress).map((body) => (JSON.parse(body) as { comment: string }).comment)).toEqual(['Clear, and the example helped.']);
      await page.keyboard.press('Escape');
      await expect.poll(() => panel().count()).toBe(0);
      await expect.poll(() => page.evaluate(() => document.activeElement?.className)).toContain('dc-launcher');

      // With the focus fallen to <body> (the control that had it went away), Esc closes it too.
      const launcher = page.getByRole('button', { name: 'Ask the docs', exact: true }).last();
      await launcher.click();
      // The panel focuses its question box once it has rendered: wait for that before blurring it.
      await expect.poll(() => composer().evaluate((el) => el === document.activeElement)).toBe(true);
      await page.evaluate(() => (document.activeElement as HTMLElement).blur());
      expect(await page.evaluate(() => document.activeElement === document.body)).toBe(true);
      await page.keyboard.press('Escape');
      await expect.poll(() => panel().count()).toBe(0);
      await launcher.click();
      await answers().first().locator('.dc-feedback').waitFor();
    });

    it('follows a citation to the cited heading and keeps the chat open', async () => {
      await answers().first().locator('a.dc-cite').first().click();
      await page.waitForURL('**/api/routing/#path-parameter');
      const top = await page.locator('#path-parameter').evaluate((el) => el.getBoundingClientRect().top);
      expect(top).toBeGreaterThanOrEqual(0);
      expect(top).toBeLessThan(200);
      await answers().first().locator('.dc-feedback').waitFor();
      await expect.poll(() => answers().first().getByRole('button', { name: 'Helpful (thumbs up)' }).getAttribute('aria-pressed')).toBe('true');
      await screenshot(page, 'widget-after-citation');
    });

    it('reopens the tab’s chat on the next page without first offering an empty question box that it then replaces', async () => {
      // Another tab of the same reader, with this tab's chat open (its sessionStorage copied).
      const tab = await page.evaluate(() => JSON.stringify({ ...sessionStorage }));
      const next = await context.newPage();
      try {
        await next.addInitScript((stored) => {
          for (const [key, value] of Object.entries(JSON.parse(stored) as Record<string, string>)) sessionStorage.setItem(key, value);
          // Each question box the panel shows, and how many messages were shown with it.
          const seen: number[] = [];
          (window as unknown as { boxes: number[] }).boxes = seen;
          let box: Element | null = null;
          new MutationObserver(() => {
            const now = document.querySelector('.dc-panel textarea');
            if (now && now !== box) seen.push(document.querySelectorAll('.dc-panel .dc-msg').length);
            box = now;
          }).observe(document, { childList: true, subtree: true });
        }, tab);
        // The chat comes slowly (a busy server): meanwhile the panel says it is opening it.
        let release!: () => void;
        const held = new Promise<void>((resolve) => (release = resolve));
        await next.route('**/api/chats/*', async (route) => {
          await held;
          await route.continue();
        });
        await next.goto(`${server.url}/guide/configuration/`);
        const dialog = next.getByRole('dialog', { name: 'Ask the docs' });
        const opening = dialog.getByRole('status').filter({ hasText: 'Opening chat…' });
        await opening.waitFor();
        // Closed and opened again from the launcher while the chat is still coming: the focus is in
        // the panel, not on the launcher (now "Close chat"), so the reader's next Space does not
        // close it again.
        const launcher = next.locator('.dc-launcher');
        await launcher.click();
        await expect.poll(() => launcher.getAttribute('aria-expanded')).toBe('false');
        await launcher.click();
        await opening.waitFor();
        await expect.poll(() => dialog.evaluate((el) => el.contains(document.activeElement))).toBe(true);
        await next.keyboard.press('Space');
        await next.evaluate(() => new Promise((painted) => requestAnimationFrame(() => requestAnimationFrame(painted))));
        expect(await dialog.isVisible()).toBe(true);
        release();
        const question = dialog.getByRole('textbox', { name: 'Your question' });
        await expect.poll(() => question.evaluate((el) => el === document.activeElement)).toBe(true);
        // A box offered before the chat was there would have taken what the reader typed with it.
        const shown = await dialog.locator('.dc-msg').count();
        expect(shown).toBeGreaterThan(0);
        expect(await next.evaluate(() => (window as unknown as { boxes: number[] }).boxes)).toEqual([shown]);
      } finally {
        await next.close();
      }
    });

    it('applies changed settings to the next question (fewer sources)', async () => {
      await panel().getByRole('button', { name: 'Retrieval settings' }).click();
      // The switch is named by its label alone; the help text describes it.
      const search = panel().getByRole('switch', { name: 'Search the docs', exact: true });
      expect(await search.isChecked()).toBe(true);
      expect(await search.evaluate((el) => el.getAttribute('aria-describedby')?.split(' ').map((id) => document.getElementById(id)?.textContent).join(' '))).toBe(
        'Off: answers come without documents, and say so.',
      );
      const max = panel().getByRole('slider', { name: /Maximum sources/ });
      await expect.poll(() => max.inputValue()).toBe('5');
      await max.fill('1');
      await panel().getByRole('radiogroup', { name: 'Use of guide/' }).getByRole('radio', { name: 'Exclude' }).check();
      await screenshot(page, 'widget-settings');
      await panel().getByRole('button', { name: 'Save settings' }).click();
      await panel().getByText('Saved. Applies to your next question.').waitFor();
      const put = server.state.requests.findLast((r) => r.method === 'PUT' && r.path === '/api/settings')!.body;
      expect(put).toEqual({ enabled: true, maxResults: 1, minScore: 0.45, preferredSources: [], excludedSources: ['guide/'] });
      await panel().getByRole('button', { name: 'Back to chat' }).first().click();
      await ask('What about the optional parameter in routing?');
      await waitForAnswer(2);
      await expect.poll(() => answers().nth(1).locator('.dc-source').count()).toBe(1);
      await expect.poll(() => answers().first().locator('.dc-source').count()).toBeGreaterThan(1);
      // Down-vote this one, for the review page.
      const feedback = answers().nth(1).getByRole('group', { name: 'Feedback on this answer' });
      await feedback.getByRole('button', { name: 'Not helpful (thumbs down)' }).click();
      await feedback.getByRole('button', { name: 'Rate 2 out of 5' }).click();
      await expect.poll(() => server.state.feedback.length).toBe(2);
      await expect.poll(() => server.state.feedback[1]?.rating).toBe(2);
    });

    it('fits the settings in the panel on a phone, however long a source name', async () => {
      const phone = await context.newPage();
      try {
        await phone.setViewportSize({ width: 360, height: 640 });
        await phone.goto(`${server.url}/guide/configuration/`);
        await phone.getByRole('button', { name: 'Ask the docs', exact: true }).last().click();
        const dialog = phone.getByRole('dialog', { name: 'Ask the docs' });
        await dialog.getByRole('button', { name: 'Retrieval settings' }).click();
        // A path prefix typed in (not saved), longer than the row has room for.
        const prefix = 'reference/api/v2/endpoints/';
        await dialog.getByRole('textbox', { name: 'Source name or path prefix' }).fill(prefix);
        await dialog.getByRole('button', { name: 'Exclude', exact: true }).click();
        await dialog.getByRole('radiogroup', { name: `Use of ${prefix}` }).waitFor();
        const outside = await dialog.evaluate((panel) => {
          const right = panel.getBoundingClientRect().right;
          return [...panel.querySelectorAll('input, button, output, .dc-segmented label')]
            .filter((el) => el.getClientRects().length > 0 && el.getBoundingClientRect().right > right + 0.5)
            .map((el) => `${el.tagName.toLowerCase()} ${el.getAttribute('aria-label') ?? el.textContent ?? ''}`.trim());
        });
        expect(outside).toEqual([]);
      } finally {
        await phone.close();
      }
    });

    it('does not save settings over a save made meanwhile in another tab: says so (409), and keeps both tabs’ changes on the next Save', async () => {
      // A reader of their own (a new browser context), so the journey's settings stay as they are.
      const own = await browser.newContext({ viewport: { width: 1360, height: 880 }, reducedMotion: 'reduce' });
      try {
        const tab = await own.newPage();
        const tabErrors = collectPageErrors(tab);
        await tab.goto(`${server.url}/guide/configuration/`);
        await tab.getByRole('button', { name: 'Ask the docs', exact: true }).last().click();
        const dialog = tab.getByRole('dialog', { name: 'Ask the docs' });
        await dialog.getByRole('button', { name: 'Retrieval settings' }).click();
        const max = dialog.getByRole('slider', { name: /Maximum sources/ });
        await expect.poll(() => max.inputValue()).toBe('5');
        // Meanwhile another tab of the same reader saves a lower minimum score.
        const other = await own.newPage();
        await other.goto(`${server.url}/guide/`);
        const otherSave = { ...DEFAULT_RETRIEVAL_SETTINGS, minScore: 0.2 };
        const status = await other.evaluate(async (body) => {
          const response = await fetch('/api/settings', { method: 'PUT', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
          return response.status;
        }, otherSave);
        expect(status).toBe(200);
        await other.close();
        await max.fill('3');
        await dialog.getByRole('button', { name: 'Save settings' }).click();
        await dialog.getByRole('alert').filter({ hasText: SAVED_ELSEWHERE_MESSAGE }).waitFor();
        // Refused, not saved over: the other tab's save is what is stored.
        const saves = server.state.requests.filter((r) => r.method === 'PUT' && r.path === '/api/settings');
        expect(saves.at(-1)!.body).toEqual({ ...DEFAULT_RETRIEVAL_SETTINGS, maxResults: 3 });
        expect([...server.state.settings.values()]).toContainEqual(otherSave);
        // This tab's change is shown on top of the other tab's, and saved with the next Save.
        expect(await max.inputValue()).toBe('3');
        expect(await dialog.getByRole('slider', { name: /^Minimum score/ }).inputValue()).toBe('0.2');
        await dialog.getByRole('button', { name: 'Save settings' }).click();
        await dialog.getByText('Saved. Applies to your next question.').waitFor();
        expect([...server.state.settings.values()]).toContainEqual({ ...otherSave, maxResults: 3 });
        expect(tabErrors).toEqual([]);
      } finally {
        await own.close();
      }
    });

    it('stops a streaming answer', async () => {
      // With the keyboard: Tab from the question box to Send, Enter; then Tab to Stop, Enter. Each
      // button goes once pressed, and the focus waits in the question box, not on the page's <body>.
      const isFocused = (locator: Locator) => locator.evaluate((el) => el === document.activeElement);
      await composer().fill('Tell me everything about routing, slow please');
      await composer().press('Tab');
      await expect.poll(() => isFocused(panel().getByRole('button', { name: 'Send question' }))).toBe(true);
      await page.keyboard.press('Enter');
      const stop = panel().getByRole('button', { name: 'Stop answering' });
      await stop.waitFor();
      await expect.poll(() => isFocused(composer())).toBe(true);
      await answers().nth(2).locator('.dc-answer').waitFor();
      await composer().press('Tab');
      await expect.poll(() => isFocused(stop)).toBe(true);
      await page.keyboard.press('Enter');
      await panel().getByText('Stopped.', { exact: true }).waitFor();
      await expect.poll(() => isFocused(composer())).toBe(true);
      await expect.poll(() => panel().getByRole('status').filter({ hasText: 'Answer stopped.' }).count()).toBe(1);
      await panel().getByRole('button', { name: 'Send question' }).waitFor();
      // Stopping is not an interruption: no error, no retry.
      expect(await panel().getByRole('alert').count()).toBe(0);
      expect(await answers().nth(2).getByText('This answer was interrupted.').count()).toBe(0);
      const partial = (await answers().nth(2).locator('.dc-answer').textContent()) ?? '';
      expect(partial.length).toBeGreaterThan(0);
      expect(partial).not.toContain('stays plain text');
    });

    it('shows errors in the panel and retries', async () => {
      server.failNextChats(1);
      await ask('How do I install Acme?');
      const alert = panel().getByRole('alert');
      await expect.poll(() => alert.textContent()).toContain('The answer service is busy. Try again in a moment.');
      await screenshot(page, 'widget-error');
      await alert.getByRole('button', { name: 'Retry' }).click();
      await waitForAnswer(4);
      await expect.poll(() => panel().getByRole('alert').count()).toBe(0);
      // A failure in the middle of the stream keeps what was written and offers a retry.
      await ask('Routing, but fail halfway');
      await expect.poll(() => panel().getByRole('alert').textContent()).toContain('The language model stopped answering');
      await panel().getByRole('alert').getByRole('button', { name: 'Retry' }).waitFor();
      const retried = server.state.requests.filter((r) => r.path === '/api/chat').at(-2)!.body as { trigger: string };
      expect(retried.trigger).toBe('regenerate-message');
      // Looking at settings or history keeps the conversation on screen.
      const count = await answers().count();
      await panel().getByRole('button', { name: 'Retrieval settings' }).click();
      await panel().getByRole('button', { name: 'Chat history' }).click();
      await panel().getByRole('button', { name: 'Back to chat' }).click();
      await expect.poll(() => answers().count()).toBe(count);
      await expect.poll(() => composer().evaluate((el) => el === document.activeElement)).toBe(true);
    });

    it('reopens an earlier chat from history, with its sources and feedback, and deletes one', async () => {
      await panel().getByRole('button', { name: 'New chat' }).click();
      await expect.poll(() => answers().count()).toBe(0);
      await ask('What is Acme?');
      await waitForAnswer(1);
      await panel().getByRole('button', { name: 'Chat history' }).click();
      const list = panel().getByRole('list', { name: 'Earlier chats' });
      await expect.poll(() => list.getByRole('listitem').count()).toBe(2);
      await screenshot(page, 'widget-history');
      await list.getByRole('button', { name: /^How do I read a path parameter/ }).click();
      await waitForAnswer(1);
      await expect.poll(() => panel().locator('.dc-msg-user .dc-bubble').first().textContent()).toBe('How do I read a path parameter in routing?');
      const first = answers().first();
      await expect.poll(() => first.locator('a.dc-cite').count()).toBe(2);
      await expect.poll(() => first.getByRole('button', { name: 'Helpful (thumbs up)' }).getAttribute('aria-pressed')).toBe('true');
      await expect.poll(() => first.getByRole('button', { name: 'Rate 4 out of 5' }).getAttribute('aria-pressed')).toBe('true');
      await expect.poll(() => first.getByRole('textbox', { name: 'Comment (optional)' }).inputValue()).toBe('Clear, and the example helped.');
      await expect.poll(() => answers().nth(2).getByText('Stopped.').count()).toBe(1);
      await expect.poll(() => answers().nth(4).getByText('This answer was interrupted.').count()).toBe(1);
      // Continuing the reopened chat sends its client id.
      const before = await answers().count();
      await ask('And the optional one?');
      await waitForAnswer(before + 1);
      const body = server.state.requests.findLast((r) => r.path === '/api/chat')!.body as { id: string };
      const reopened = [...server.state.chats.values()].find((c) => c.title.startsWith('How do I read'))!;
      expect(body.id).toBe(reopened.clientId);

      await panel().getByRole('button', { name: 'Chat history' }).click();
      const deleteAcme = list.getByRole('button', { name: 'Delete chat “What is Acme?”' });
      const isFocused = (locator: typeof deleteAcme) => locator.evaluate((el) => el === document.activeElement);
      // Esc in the confirmation cancels it (not the panel), and the focus goes back to the button.
      await deleteAcme.click();
      await expect.poll(() => isFocused(list.getByRole('button', { name: 'Keep' }))).toBe(true);
      await page.keyboard.press('Escape');
      await expect.poll(() => list.getByRole('group', { name: 'Delete “What is Acme?”?' }).count()).toBe(0);
      expect(await panel().count()).toBe(1);
      await expect.poll(() => isFocused(deleteAcme)).toBe(true);
      // So does "Keep".
      await page.keyboard.press('Enter');
      await list.getByRole('button', { name: 'Keep' }).press('Enter');
      await expect.poll(() => isFocused(deleteAcme)).toBe(true);
      // A delete the server refuses keeps the list and the confirmation, says there what failed,
      // and leaves the focus on Delete, to press again.
      let refuse = true;
      const refuseOneDelete = (route: Route) => {
        if (route.request().method() !== 'DELETE' || !refuse) return route.fallback();
        refuse = false;
        return route.fulfill({ status: 503, json: { error: { code: 'unavailable', message: 'The server is busy.' } } });
      };
      await page.route('**/api/chats/*', refuseOneDelete);
      await deleteAcme.click();
      const confirmDelete = list.getByRole('button', { name: 'Delete', exact: true });
      await confirmDelete.focus();
      await page.keyboard.press('Enter');
      const failure = list.getByRole('group', { name: 'Delete “What is Acme?”?' }).getByRole('alert');
      await expect.poll(() => failure.allTextContents()).toEqual(['Could not delete this chat: The server is busy.']);
      expect(await list.getByRole('listitem').count()).toBe(2);
      expect(await isFocused(confirmDelete)).toBe(true);
      await page.unroute('**/api/chats/*', refuseOneDelete);
      // After a delete, the focus moves to the next chat in the list, not to <body>.
      await page.keyboard.press('Enter');
      await expect.poll(() => [...server.state.chats.values()].map((c) => c.title)).not.toContain('What is Acme?');
      await expect.poll(() => list.getByRole('listitem').count()).toBe(1);
      await expect.poll(() => isFocused(list.getByRole('button', { name: /^How do I read a path parameter/ }))).toBe(true);
    });

    it('puts a /chat/?q= question in the focused question box and asks only when the reader sends it', async () => {
      const asked = () => server.state.requests.filter((r) => r.path === '/api/chat').length;
      const before = asked();
      await page.goto(`${server.url}/chat/?q=${encodeURIComponent('  How do I configure the port?  ')}`);
      const box = page.getByRole('textbox', { name: 'Your question' });
      await expect.poll(() => box.inputValue()).toBe('How do I configure the port?');
      await expect.poll(() => box.evaluate((el: HTMLTextAreaElement) => document.activeElement === el && el.selectionStart === el.value.length)).toBe(true);
      // Nothing asked, nothing shown as the reader's: a link cannot speak for them.
      await page.waitForLoadState('networkidle');
      expect(asked()).toBe(before);
      expect(await page.locator('.dc-msg-user').count()).toBe(0);
      await box.press('Enter');
      await page.locator('.dc-msg-assistant .dc-feedback').waitFor({ timeout: 15_000 });
      expect(asked()).toBe(before + 1);
      expect(await page.locator('.dc-msg-user .dc-bubble').textContent()).toBe('How do I configure the port?');
      // Asked: `q` leaves the address, so a reload reopens this chat rather than offering the question again.
      expect(new URL(page.url()).search).toBe('');
      await page.reload();
      await expect.poll(() => page.locator('.dc-msg-user .dc-bubble').allTextContents()).toEqual(['How do I configure the port?']);
      expect(await box.inputValue()).toBe('');
      expect(asked()).toBe(before + 1);
      expect(errors).toEqual([]);
    });

    it('has a full-page chat at /chat/ with the history beside it', async () => {
      // A new chat, its question given by the link.
      await page.goto(`${server.url}/chat/?q=${encodeURIComponent('How do I configure the port?')}`);
      await page.getByRole('textbox', { name: 'Your question' }).press('Enter');
      await page.locator('.dc-msg-assistant .dc-feedback').waitFor({ timeout: 15_000 });
      const history = page.getByRole('complementary', { name: 'Your chats' });
      await expect.poll(() => history.getByRole('listitem').count()).toBeGreaterThanOrEqual(2);
      await expect.poll(() => page.getByRole('heading', { level: 1 }).allTextContents()).toEqual(['Ask the docs']);
      expect(await lowContrastText(page)).toEqual([]);
      await page.getByRole('button', { name: 'Toggle dark mode' }).click();
      await expect.poll(() => page.locator('html').getAttribute('data-theme')).toBe('dark');
      expect(await lowContrastText(page)).toEqual([]);
      await screenshot(page, 'chat-page-dark');
      await page.getByRole('button', { name: 'Toggle dark mode' }).click();
      await screenshot(page, 'chat-page');
      expect(errors).toEqual([]);
    });

    it('shows an answer whose stream ends without its finish part as interrupted, with a retry', async () => {
      // A proxy closing the response normally mid-answer: no network error, just no `finish`.
      server.cutNextChats(1);
      await page.goto(`${server.url}/chat/`);
      const box = page.getByRole('textbox', { name: 'Your question' });
      // The full-page chat opens with the question box focused.
      await expect.poll(() => box.evaluate((el) => (el.getRootNode() as Document | ShadowRoot).activeElement === el)).toBe(true);
      await box.fill('How do I read a path parameter in routing?');
      await box.press('Enter');
      const alert = page.getByRole('alert');
      await expect.poll(() => alert.textContent()).toContain('closed before the answer was complete');
      const answer = page.locator('.dc-msg-assistant').last();
      await answer.getByText('This answer was interrupted.').waitFor();
      expect(await answer.locator('.dc-answer').textContent()).not.toContain('stays plain text');
      // No rating: the server recorded the whole answer, the reader saw half of it.
      expect(await answer.locator('.dc-feedback').count()).toBe(0);
      await alert.getByRole('button', { name: 'Retry' }).click();
      await page.locator('.dc-msg-assistant').last().locator('.dc-feedback').waitFor({ timeout: 15_000 });
      await expect.poll(() => page.locator('.dc-msg-assistant').last().locator('.dc-answer').textContent()).toContain('stays plain text');
      await expect.poll(() => page.getByRole('alert').count()).toBe(0);
      expect(await page.getByText('This answer was interrupted.').count()).toBe(0);
      expect(errors).toEqual([]);
    });

    it('offers no rating for an answer whose connection dropped, and still says it was interrupted after the next question', async () => {
      server.dropNextChats(1);
      await page.goto(`${server.url}/chat/`);
      const box = page.getByRole('textbox', { name: 'Your question' });
      await box.fill('How do I read a path parameter in routing?');
      await box.press('Enter');
      await expect.poll(() => page.getByRole('alert').textContent()).toContain('Could not reach the Docent server');
      const count = await page.locator('.dc-msg-assistant').count();
      const answer = page.locator('.dc-msg-assistant').nth(count - 1);
      await answer.getByText('This answer was interrupted.').waitFor();
      expect(await answer.locator('.dc-feedback').count()).toBe(0);
      await box.fill('How do I configure the port?');
      await box.press('Enter');
      await page.locator('.dc-msg-assistant').nth(count).locator('.dc-feedback').waitFor({ timeout: 15_000 });
      expect(await answer.locator('.dc-note').textContent()).toMatch(/^This answer was interrupted\. Could not reach the Docent server/);
      expect(await answer.locator('.dc-feedback').count()).toBe(0);
      expect(errors).toEqual([]);
    });

    it('says when a pasted question was cut to the 4,000-character limit, and counts characters near it', async () => {
      await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: server.url });
      const box = page.getByRole('textbox', { name: 'Your question' });
      const status = page.locator('.dc-limit').getByRole('status');
      await box.fill('x'.repeat(3400));
      expect(await page.locator('.dc-char-count').count()).toBe(0);
      await box.fill('x'.repeat(3600));
      await expect.poll(() => page.locator('.dc-char-count').textContent()).toBe('3,600 / 4,000 characters');
      expect(await box.getAttribute('aria-describedby')).toContain(await page.locator('.dc-char-count').getAttribute('id'));
      await box.fill('How do I configure the port? ');
      await box.press('End');
      await page.evaluate((text) => navigator.clipboard.writeText(text), 'y'.repeat(4100));
      await box.press('Control+V');
      await expect.poll(() => box.inputValue()).toHaveLength(4000);
      await expect.poll(() => status.textContent()).toBe('Your question was cut to 4,000 characters, the longest Docent accepts.');
      await expect.poll(() => page.locator('.dc-char-count').textContent()).toBe('4,000 / 4,000 characters');
      await screenshot(page, 'chat-question-limit');
      await box.fill('');
      await expect.poll(() => status.textContent()).toBe('');
      expect(await page.locator('.dc-char-count').count()).toBe(0);
    });

    it('cuts a ?q= question longer than the limit, says so, and sends the cut question instead of getting a 400', async () => {
      const long = `How do I configure the port? ${'z'.repeat(4100)}`;
      await page.goto(`${server.url}/chat/?q=${encodeURIComponent(long)}`);
      const box = page.getByRole('textbox', { name: 'Your question' });
      await expect.poll(() => box.inputValue()).toBe(long.slice(0, 4000));
      await expect.poll(() => page.locator('.dc-limit').getByRole('status').textContent()).toBe('Your question was cut to 4,000 characters, the longest Docent accepts.');
      await box.press('Enter');
      await page.locator('.dc-msg-assistant .dc-feedback').waitFor({ timeout: 15_000 });
      expect(await page.getByRole('alert').count()).toBe(0);
      const body = server.state.requests.findLast((r) => r.path === '/api/chat')!.body as { messages: { parts: { text: string }[] }[] };
      expect(body.messages.at(-1)!.parts[0]!.text).toBe(long.slice(0, 4000));
      expect(errors).toEqual([]);
    });
  });

  describe('standalone widget.js on another site', () => {
    it('renders in a shadow root the host CSS cannot break, and answers from the Docent server', async () => {
      const host = await context.newPage();
      const hostErrors = collectPageErrors(host);
      await host.goto(hostUrl);
      const launcher = host.getByRole('button', { name: 'Ask Acme' });
      await launcher.waitFor();
      await expect.poll(() => launcher.isVisible()).toBe(true);
      const style = await launcher.evaluate((el) => {
        const s = getComputedStyle(el);
        return { color: s.color, background: s.backgroundColor, fontFamily: s.fontFamily, fontSize: s.fontSize, display: s.display };
      });
      expect(style.color).not.toBe('rgb(255, 0, 0)');
      expect(style.fontSize).not.toBe('31px');
      // The host's --docent-* custom properties are the one way in: its accent, contrast and font.
      expect(style.color).toBe('rgb(255, 251, 235)');
      expect(style.background).toBe('rgb(15, 118, 110)');
      expect(style.fontFamily).toBe('monospace');
      await expect.poll(() => host.evaluate(() => Boolean(document.getElementById('docent-widget')?.shadowRoot))).toBe(true);
      // The visitor asked for less motion (this context's reducedMotion): the widget's own styles
      // honour it, with no help from the docs site's.
      expect(await launcher.evaluate((el) => getComputedStyle(el).transitionDuration)).toBe('0s');
      await launcher.click();
      const dialog = host.getByRole('dialog', { name: 'Ask Acme' });
      expect(await dialog.evaluate((el) => getComputedStyle(el).animationName)).toBe('none');
      // Sizes do not follow the host's 31px root font size.
      expect((await dialog.boundingBox())!.width).toBeLessThanOrEqual(432);
      await expect.poll(() => dialog.getByRole('heading', { name: 'Ask Acme' }).evaluate((el) => getComputedStyle(el).fontSize)).toBe('15.68px');
      await dialog.getByRole('textbox', { name: 'Your question' }).fill('How do I use a path parameter?');
      await dialog.getByRole('textbox', { name: 'Your question' }).press('Enter');
      await dialog.locator('.dc-feedback').waitFor({ timeout: 15_000 });
      // The reader's own message is in the accent; the citation markers are tinted from it.
      await expect.poll(() => dialog.locator('.dc-bubble').first().evaluate((el) => getComputedStyle(el).backgroundColor)).toBe('rgb(15, 118, 110)');
      const tint = await dialog.locator('a.dc-cite').first().evaluate((el) => getComputedStyle(el).backgroundColor);
      const tealTint = await host.evaluate(() => {
        const probe = document.createElement('span');
        probe.setAttribute('style', 'background-color: color-mix(in srgb, rgb(15, 118, 110) 10%, #ffffff) !important');
        document.body.append(probe);
        const color = getComputedStyle(probe).backgroundColor;
        probe.remove();
        return color;
      });
      expect(tint).toBe(tealTint);
      const cite = dialog.locator('a.dc-cite').first();
      await expect.poll(() => cite.getAttribute('href')).toBe(`${server.url}/api/routing/#path-parameter`);
      await expect.poll(() => cite.getAttribute('target')).toBe('_blank');
      // On another site, the host page's <html lang> is the reader's language.
      expect((server.state.requests.findLast((r) => r.path === '/api/chat')!.body as { language?: string }).language).toBe('de-CH');
      await screenshot(host, 'widget-standalone');
      expect(await lowContrastText(host, 'docent-widget')).toEqual([]);
      expect(hostErrors).toEqual([]);
      await host.close();
    });

    /** Opens a host page in a fresh context (its own sessionStorage) and collects its console errors and warnings. */
    async function openHost(path: string, viewport = { width: 1280, height: 800 }, prepare?: (context: BrowserContext) => Promise<unknown>) {
      const hostContext = await browser.newContext({ viewport, reducedMotion: 'reduce' });
      await prepare?.(hostContext);
      const host = await hostContext.newPage();
      const console: string[] = [];
      host.on('console', (m) => (m.type() === 'error' || m.type() === 'warning') && console.push(`${m.type()}: ${m.text()}`));
      await host.addInitScript(() => {
        (window as unknown as { violations: string[] }).violations = [];
        document.addEventListener('securitypolicyviolation', (e) => (window as unknown as { violations: string[] }).violations.push(e.violatedDirective));
      });
      const requests: string[] = [];
      host.on('request', (request) => requests.push(new URL(request.url()).pathname));
      await host.goto(`${hostUrl}${path}`);
      const launcher = host.locator('docent-widget .dc-launcher');
      await launcher.waitFor();
      return { host, console, requests, launcher, dialog: host.getByRole('dialog', { name: 'Ask the docs' }), close: () => hostContext.close() };
    }

    it('is styled and answers under a strict Content-Security-Policy (no unsafe-inline styles, no unsafe-eval)', async () => {
      const { host, launcher, dialog, close } = await openHost('/csp');
      expect(await launcher.evaluate((el) => getComputedStyle(el).position)).toBe('fixed');
      expect(await launcher.boundingBox()).toMatchObject({ y: 800 - 20 - 52 });
      await launcher.click();
      await dialog.getByRole('textbox', { name: 'Your question' }).fill('How do I use a path parameter?');
      await dialog.getByRole('textbox', { name: 'Your question' }).press('Enter');
      await dialog.locator('.dc-feedback').waitFor({ timeout: 15_000 });
      expect(await host.evaluate(() => (window as unknown as { violations: string[] }).violations)).toEqual([]);
      await close();
    });

    it('stays in the corner of the screen on a transformed, zoomed body, and survives the body being replaced', async () => {
      const { host, launcher, close } = await openHost('/transformed');
      // 20px from the viewport's right and bottom edges (body zoom 2 would make it 40).
      const box = (await launcher.boundingBox())!;
      expect({ right: box.x + box.width, bottom: box.y + box.height, height: box.height }).toEqual({ right: 1260, bottom: 780, height: 52 });
      // A single-page app swapping the page: the body's content, then the body element itself.
      await host.evaluate(() => {
        document.body.innerHTML = '<p>Next page</p>';
        const body = document.createElement('body');
        body.innerHTML = '<p>Another page</p>';
        document.body.replaceWith(body);
      });
      await expect.poll(() => host.locator('docent-widget').count()).toBe(1);
      // A framework that replaces <html>'s children (a hydration mismatch, say): put back.
      await host.evaluate(() => document.getElementById('docent-widget')!.remove());
      await expect.poll(() => host.evaluate(() => document.getElementById('docent-widget')?.parentNode === document.documentElement)).toBe(true);
      await launcher.click();
      await host.getByRole('dialog', { name: 'Ask the docs' }).getByRole('textbox', { name: 'Your question' }).waitFor();
      await close();
    });

    it('opens for Docent.open() called before the widget rendered, and for a call queued before an async widget.js arrived', async () => {
      for (const path of ['/open-early', '/open-stub']) {
        const { dialog, close } = await openHost(path);
        await dialog.getByRole('textbox', { name: 'Your question' }).waitFor();
        await close();
      }
    });

    it('stays left to right on a right-to-left page, code included, and opens the full-page chat in a new tab', async () => {
      const { launcher, dialog, close } = await openHost('/rtl');
      await launcher.click();
      await dialog.getByRole('textbox', { name: 'Your question' }).fill('How do I use a path parameter?');
      await dialog.getByRole('textbox', { name: 'Your question' }).press('Enter');
      await dialog.locator('.dc-feedback').waitFor({ timeout: 15_000 });
      expect(await dialog.evaluate((el) => getComputedStyle(el).direction)).toBe('ltr');
      expect(await dialog.locator('pre').first().evaluate((el) => getComputedStyle(el).direction)).toBe('ltr');
      const full = dialog.getByRole('link', { name: 'Open full-page chat in a new tab' });
      expect(await full.getAttribute('href')).toBe(`${server.url}/chat/`);
      expect(await full.getAttribute('target')).toBe('_blank');
      await close();
    });

    it('names a data-docent-url without its scheme and an unknown data-theme in the console, and still works', async () => {
      const { console, launcher, dialog, close } = await openHost('/bad-url');
      expect(console).toContainEqual(expect.stringMatching(/^error: Docent widget: data-docent-url="127\.0\.0\.1:\d+" is not a URL the widget can use/));
      expect(console).toContainEqual(expect.stringMatching(/^warning: Docent widget: data-theme="purple" is not light, dark or auto/));
      await launcher.click();
      await dialog.getByRole('textbox', { name: 'Your question' }).fill('How do I use a path parameter?');
      await dialog.getByRole('textbox', { name: 'Your question' }).press('Enter');
      await dialog.locator('.dc-feedback').waitFor({ timeout: 15_000 });
      await close();
    });

    it('loads only the launcher until the chat is first opened, then the chat script beside widget.js; an open chat reopens at once on the next page', async () => {
      const { host, requests, launcher, dialog, close } = await openHost('/plain');
      const chatScripts = () => requests.filter((path) => /^\/_astro\/docent-chat\.[\w-]+\.js$/.test(path));
      expect(requests).toContain('/widget.js');
      // Keyboard focus alone loads nothing; the launcher is the real one, labelled and focusable.
      await launcher.focus();
      expect(await launcher.getAttribute('aria-label')).toBe('Ask the docs');
      expect(chatScripts()).toEqual([]);
      await host.keyboard.press('Enter');
      await dialog.getByRole('textbox', { name: 'Your question' }).waitFor();
      await expect.poll(() => host.evaluate(() => document.getElementById('docent-widget')!.shadowRoot!.activeElement?.tagName)).toBe('TEXTAREA');
      expect(chatScripts()).toHaveLength(1);
      // Open in this tab: the next page of the host site opens the chat without a click.
      await host.reload();
      await dialog.getByRole('textbox', { name: 'Your question' }).waitFor();
      await host.keyboard.press('Escape');
      await dialog.waitFor({ state: 'hidden' });
      expect(await host.locator('docent-widget .dc-launcher').count()).toBe(1);
      await close();
    });

    it('opens the chat of the current build on a page opened before a redeploy (its chat script gone), through the chat manifest', async () => {
      // widget.js as a page loaded it before the redeploy: it names a chat script that is gone.
      const gone = '_astro/docent-chat.G0neBefore.js';
      const { host, requests, launcher, dialog, console, close } = await openHost('/plain', undefined, (context) =>
        context.route('**/widget.js', async (route) => {
          const response = await route.fetch();
          await route.fulfill({ response, body: (await response.text()).replace(/_astro\/docent-chat\.[\w-]+\.js/, gone) });
        }),
      );
      await launcher.click();
      await dialog.getByRole('textbox', { name: 'Your question' }).waitFor();
      const loaded = requests.filter((path) => /^\/(_astro\/docent-chat\.|widget-chat\.js)/.test(path));
      expect(loaded).toEqual([`/${gone}`, '/widget-chat.js', expect.stringMatching(/^\/_astro\/docent-chat\.[\w-]+\.js$/)]);
      expect(loaded[2]).not.toBe(`/${gone}`);
      expect(console.filter((line) => line.includes('Docent widget'))).toEqual([]);
      await dialog.getByRole('textbox', { name: 'Your question' }).fill('How do I use a path parameter?');
      await dialog.getByRole('textbox', { name: 'Your question' }).press('Enter');
      await dialog.locator('.dc-feedback').waitFor({ timeout: 15_000 });
      expect(await host.locator('docent-widget .dc-launcher-notice').count()).toBe(0);
      await close();
    });

    it('tells the reader above the launcher when the chat cannot be loaded, and opens it on the next click once it can', async () => {
      let offline = true;
      const { host, launcher, dialog, console, close } = await openHost('/plain', undefined, (context) =>
        context.route(/\/(_astro\/docent-chat\.[\w-]+\.js|widget-chat\.js)(\?.*)?$/, (route) => (offline ? route.abort('internetdisconnected') : route.continue())),
      );
      const notice = host.locator('docent-widget .dc-launcher-notice');
      // Pointing at the launcher loads the chat ahead of a click: its failure alone says nothing on the page.
      await launcher.hover();
      await expect.poll(() => console.filter((line) => line.includes('the chat could not be loaded')).length).toBe(1);
      expect(await notice.textContent()).toBe('');
      expect(await notice.isVisible()).toBe(false);
      await launcher.click();
      const alert = host.locator('docent-widget').getByRole('alert');
      await expect.poll(() => alert.textContent()).toBe('The chat could not be loaded. Click the button to try again, or reload the page.');
      expect(await alert.isVisible()).toBe(true);
      await screenshot(host, 'widget-chat-not-loaded');
      expect(await dialog.count()).toBe(0);
      offline = false;
      await launcher.click();
      await dialog.getByRole('textbox', { name: 'Your question' }).waitFor();
      expect(await host.locator('docent-widget .dc-launcher-notice').count()).toBe(0);
      await close();
    });

    it('with data-theme="auto" follows the host page\'s light or dark theme as it toggles it, else the system setting', async () => {
      const { host, launcher, dialog, close } = await openHost('/themed');
      const widgetTheme = () => host.locator('docent-widget .docent-root').first().getAttribute('data-theme');
      // The system is light (this context's colour scheme); the page says dark.
      expect(await host.evaluate(() => matchMedia('(prefers-color-scheme: dark)').matches)).toBe(false);
      await expect.poll(widgetTheme).toBe('dark');
      await host.evaluate(() => (document.documentElement.dataset.theme = 'light'));
      await expect.poll(widgetTheme).toBe('light');
      // VitePress and Tailwind: a `dark` class; then a colour scheme of dark only.
      await host.evaluate(() => {
        document.documentElement.removeAttribute('data-theme');
        document.documentElement.className = 'dark';
      });
      await expect.poll(widgetTheme).toBe('dark');
      await host.evaluate(() => {
        document.documentElement.className = '';
        document.documentElement.style.colorScheme = 'dark';
      });
      await expect.poll(widgetTheme).toBe('dark');
      await host.evaluate(() => (document.documentElement.style.colorScheme = ''));
      await expect.poll(widgetTheme).toBe('light');
      // The open chat follows too.
      await launcher.click();
      await dialog.getByRole('textbox', { name: 'Your question' }).waitFor();
      await host.evaluate(() => document.documentElement.classList.add('dark'));
      await expect.poll(() => dialog.evaluate((el) => el.closest('.docent-root')!.getAttribute('data-theme'))).toBe('dark');
      await host.evaluate(() => document.documentElement.classList.remove('dark'));
      await expect.poll(() => dialog.evaluate((el) => el.closest('.docent-root')!.getAttribute('data-theme'))).toBe('light');
      // A page that does not say: the system setting.
      await host.emulateMedia({ colorScheme: 'dark' });
      await expect.poll(() => dialog.evaluate((el) => el.closest('.docent-root')!.getAttribute('data-theme'))).toBe('dark');
      await close();
    });

    it('with data-theme="auto" follows MkDocs Material\'s colour scheme on <body> and mdBook\'s theme class', async () => {
      const { host, close } = await openHost('/mkdocs');
      const widgetTheme = () => host.locator('docent-widget .docent-root').first().getAttribute('data-theme');
      expect(await host.evaluate(() => matchMedia('(prefers-color-scheme: dark)').matches)).toBe(false);
      await expect.poll(widgetTheme).toBe('dark');
      await host.evaluate(() => (document.body.dataset.mdColorScheme = 'default'));
      await expect.poll(widgetTheme).toBe('light');
      await host.evaluate(() => (document.body.dataset.mdColorScheme = 'slate'));
      await expect.poll(widgetTheme).toBe('dark');
      // mdBook: its theme's name as a class of <html> (coal, navy and ayu are dark).
      await host.evaluate(() => {
        delete document.body.dataset.mdColorScheme;
        document.documentElement.className = 'rust sidebar-visible';
      });
      await expect.poll(widgetTheme).toBe('light');
      await host.evaluate(() => (document.documentElement.className = 'navy sidebar-visible'));
      await expect.poll(widgetTheme).toBe('dark');
      await close();
    });

    it('stays above a host header at the highest z-index', async () => {
      const { host, launcher, dialog, close } = await openHost('/top-header');
      await launcher.click();
      await dialog.getByRole('textbox', { name: 'Your question' }).waitFor();
      const box = (await dialog.boundingBox())!;
      expect(box.y).toBeLessThan(300);
      expect(await host.evaluate(([x, y]) => document.elementFromPoint(x!, y!)?.tagName, [box.x + 20, box.y + 10])).toBe('DOCENT-WIDGET');
      await close();
    });

    it('keeps the page behind the full-screen panel on a phone from scrolling, and gives it back on close', async () => {
      const { host, launcher, dialog, close } = await openHost('/phone', { width: 360, height: 640 });
      await launcher.click();
      await dialog.getByRole('textbox', { name: 'Your question' }).waitFor();
      await host.mouse.move(180, 300);
      await wheelAndLetItAct(host, 600);
      expect(await host.evaluate(() => scrollY)).toBe(0);
      await host.keyboard.press('Escape');
      await dialog.waitFor({ state: 'hidden' });
      // The same wait shows the scroll of a wheel that does scroll the page.
      await wheelAndLetItAct(host, 600);
      expect(await host.evaluate(() => scrollY)).toBeGreaterThan(0);
      await close();
    });
  });

  /**
   * Turns the mouse wheel over `page` where the mouse is, and resolves once the page has had the
   * wheel event and drawn two frames since: by then any scroll it caused shows in `scrollY`. (With
   * a passive listener, as here, the browser scrolls first and then tells the page.)
   */
  async function wheelAndLetItAct(page: Page, deltaY: number): Promise<void> {
    await page.evaluate(() => {
      (window as unknown as { wheeled: Promise<void> }).wheeled = new Promise((acted) =>
        document.addEventListener('wheel', () => requestAnimationFrame(() => requestAnimationFrame(() => acted())), { once: true, passive: true, capture: true }),
      );
    });
    await page.mouse.wheel(0, deltaY);
    await page.evaluate(() => (window as unknown as { wheeled: Promise<void> }).wheeled);
  }

  describe('review page', () => {
    let admin: Page;

    it('asks for the admin token and refuses a wrong one', async () => {
      admin = await context.newPage();
      await admin.goto(`${server.url}/review/`);
      const token = admin.getByLabel('Admin token');
      await token.fill('not-the-token');
      await admin.getByRole('button', { name: 'Log in' }).click();
      await expect.poll(() => admin.getByRole('alert').textContent()).toContain('not this server’s ADMIN_TOKEN');
      await screenshot(admin, 'review-login');
    });

    it('logs in without keeping the token in the page, and lists the ratings', async () => {
      await admin.getByLabel('Admin token').fill(ADMIN_TOKEN);
      await admin.getByLabel('Admin token').press('Enter');
      const table = admin.getByRole('region', { name: 'Rated answers' });
      await table.getByRole('row').nth(2).waitFor();
      // The login form is gone: the focus goes to the page's title, not to <body>.
      await expect.poll(() => admin.evaluate(() => document.activeElement?.textContent)).toBe('Feedback review');
      await expect.poll(() => table.getByRole('status').textContent()).toBe('1–2 of 2 rated answers');
      const storage = await admin.evaluate(() => JSON.stringify({ ...localStorage }) + JSON.stringify({ ...sessionStorage }) + document.cookie);
      expect(storage).not.toContain(ADMIN_TOKEN);
      const rows = table.getByRole('row');
      await expect.poll(() => rows.count()).toBe(3);
      // Newest first: the down-vote, then the 4-star answer with its comment.
      await expect.poll(() => rows.nth(1).textContent()).toContain('What about the optional parameter');
      await expect.poll(() => rows.nth(2).textContent()).toMatch(/How do I read a path parameter.*Clear, and the example helped\./);
      // The vote badge and the stars are images named by their aria-label (a label on a plain
      // span is not reliably announced).
      await expect.poll(() => rows.nth(2).getByRole('img', { name: '4 out of 5' }).count()).toBe(1);
      await expect.poll(() => rows.nth(2).getByRole('img', { name: 'thumbs up' }).count()).toBe(1);
      await expect.poll(() => rows.nth(1).getByRole('img', { name: 'thumbs down' }).count()).toBe(1);
      await expect.poll(() => admin.getByRole('region', { name: 'Summary' }).textContent()).toMatch(/Rated answers2.*Positive50%.*Average rating3\.0 ★/);
      await expect.poll(() => admin.locator('svg.rv-chart').count()).toBe(3);
      await screenshot(admin, 'review');
    });

    it('filters by vote and comment, announces what the filters give, and exports the filtered CSV', async () => {
      const table = admin.getByRole('region', { name: 'Rated answers' });
      await admin.getByRole('combobox', { name: 'Vote', exact: true }).selectOption('down');
      await expect.poll(() => table.getByRole('row').count()).toBe(2);
      // A live region says how many rows the filters give, or that none match.
      await expect.poll(() => table.getByRole('status').textContent()).toBe('1–1 of 1 rated answers');
      expect(admin.url()).toContain('?vote=down');
      await admin.getByRole('combobox', { name: 'Comment', exact: true }).selectOption('true');
      await expect.poll(() => table.getByRole('status').textContent()).toBe('No rated answers match these filters.');
      await admin.getByRole('combobox', { name: 'Vote', exact: true }).selectOption('');
      await expect.poll(() => table.getByRole('row').count()).toBe(2);
      const [download] = await Promise.all([admin.waitForEvent('download'), admin.getByRole('button', { name: 'Export CSV' }).click()]);
      expect(download.suggestedFilename()).toBe('docent-feedback.csv');
      const csv = readFileSync((await download.path())!, 'utf8');
      expect(csv.split('\n')).toHaveLength(2);
      expect(csv).toContain('Clear, and the example helped.');
      await admin.getByRole('combobox', { name: 'Comment', exact: true }).selectOption('');
    });

    it('filters by the maintainer’s own days, not UTC days', async () => {
      // A zone whose date differs from UTC's right now: then a UTC day would miss today's ratings.
      const timezoneId = new Date().getUTCHours() < 12 ? 'Etc/GMT+12' : 'Pacific/Kiritimati';
      const zoned = await browser.newContext({ viewport: { width: 1360, height: 880 }, reducedMotion: 'reduce', timezoneId });
      await zoned.addCookies(await context.cookies());
      const local = await zoned.newPage();
      const today = await local.evaluate(() => new Date().toLocaleDateString('sv'));
      expect(today).not.toBe(new Date().toISOString().slice(0, 10));
      await local.goto(`${server.url}/review/?from=${today}&to=${today}`);
      const table = local.getByRole('region', { name: 'Rated answers' });
      await expect.poll(() => table.getByRole('status').textContent()).toBe('1–2 of 2 rated answers');
      // The URL keeps the days as picked.
      expect(new URL(local.url()).search).toBe(`?from=${today}&to=${today}`);
      await zoned.close();
    });

    it('stops a From after To in the form: the pickers offer no such day, and typed days are told there, not asked of the server', async () => {
      const table = admin.getByRole('region', { name: 'Rated answers' });
      const from = admin.getByLabel('From', { exact: true });
      const to = admin.getByLabel('To', { exact: true });
      const asked = () => server.state.requests.filter((r) => r.path.startsWith('/api/review/feedback') || r.path === '/api/review/stats').length;
      const start = asked();
      await from.fill('2026-12-07');
      await expect.poll(() => to.getAttribute('min')).toBe('2026-12-07');
      // The list and the statistics of that From have reached the server (counted before `before`).
      await expect.poll(asked).toBeGreaterThanOrEqual(start + 2);
      await expect.poll(() => table.getByRole('status').textContent()).not.toBe('');
      const before = asked();
      await to.fill('2026-12-01');
      await expect.poll(() => from.getAttribute('max')).toBe('2026-12-01');
      const problem = admin.getByRole('alert').filter({ hasText: 'is after To' });
      await expect.poll(() => problem.textContent()).toBe('From (2026-12-07) is after To (2026-12-01): no answer can be rated in between. Pick a From on or before To.');
      // Both fields say what is wrong with them; no table of old rows, no export of nothing.
      const problemId = await problem.getAttribute('id');
      for (const field of [from, to]) {
        expect(await field.getAttribute('aria-invalid')).toBe('true');
        expect(await field.getAttribute('aria-describedby')).toBe(problemId);
      }
      await expect.poll(() => table.getByRole('row').count()).toBe(1);
      expect(await admin.getByRole('button', { name: 'Export CSV' }).isDisabled()).toBe(true);
      expect(await admin.getByRole('region', { name: 'Summary' }).count()).toBe(0);
      expect(new URL(admin.url()).search).toBe('?from=2026-12-07&to=2026-12-01');
      expect(asked()).toBe(before);
      await to.fill('');
      await from.fill('');
      await expect.poll(() => table.getByRole('status').textContent()).toBe('1–2 of 2 rated answers');
      expect(await problem.count()).toBe(0);
      expect(await admin.getByRole('button', { name: 'Export CSV' }).isDisabled()).toBe(false);
    });

    it('charts the maintainer’s own weeks, not UTC weeks', async () => {
      // Sunday Nov 29, 12:00 UTC is Monday Nov 30, 02:00 at UTC+14: the week of Nov 30 there, of Nov 23 in UTC.
      const feedback = server.state.feedback[0]!;
      const updatedAt = feedback.updatedAt;
      feedback.updatedAt = '2026-11-29T12:00:00.000Z';
      const zoned = await browser.newContext({ viewport: { width: 1360, height: 880 }, reducedMotion: 'reduce', timezoneId: 'Pacific/Kiritimati' });
      try {
        await zoned.addCookies(await context.cookies());
        const local = await zoned.newPage();
        await local.goto(`${server.url}/review/`);
        const chart = local.getByRole('img', { name: /^Positive rate per week/ });
        await expect.poll(() => chart.getAttribute('aria-label')).toContain('Nov 30: ');
        expect(await chart.getAttribute('aria-label')).not.toContain('Nov 23');
      } finally {
        feedback.updatedAt = updatedAt;
        await zoned.close();
      }
    });

    it('shows the details and exports the question as an eval case', async () => {
      await admin.getByRole('button', { name: 'How do I read a path parameter in routing?' }).click();
      const detail = admin.getByRole('dialog', { name: 'How do I read a path parameter in routing?' });
      await detail.waitFor();
      // role="dialog" is not allowed on <aside> (a landmark).
      expect(await detail.evaluate((el) => el.tagName)).toBe('DIV');
      await expect.poll(() => detail.textContent()).toMatch(/Max results5.*Min score0\.45/s);
      // The answer's made-up citation is named, and when it was given (the header has the feedback's time).
      expect(await detail.getByText('The answer cites [9], which is not one of its sources.').count()).toBe(1);
      expect(await detail.textContent()).toMatch(/Answered[A-Z][a-z]{2} \d{1,2}, \d{4}/);
      expect(await detail.getByRole('img', { name: 'thumbs up' }).count()).toBe(1);
      expect(await detail.getByRole('img', { name: '4 out of 5' }).count()).toBe(1);
      await expect.poll(() => detail.locator('.rv-sources-table tbody tr').count()).toBeGreaterThanOrEqual(2);
      await detail.getByRole('checkbox', { name: /Mark source 2/ }).check();
      await screenshot(admin, 'review-detail');
      // A modal dialog: Tab and Shift+Tab cycle inside it, never into the page behind.
      await detail.getByRole('button', { name: 'Close details' }).focus();
      await admin.keyboard.press('Shift+Tab');
      await expect.poll(() => admin.evaluate(() => document.activeElement?.closest('[role="dialog"]') !== null)).toBe(true);
      for (let i = 0; i < 25; i++) {
        await admin.keyboard.press('Tab');
        expect(await admin.evaluate(() => document.activeElement?.closest('[role="dialog"]') !== null)).toBe(true);
      }
      await detail.getByRole('button', { name: 'Export as eval case' }).click();
      await detail.getByText(/Exported as review-/).waitFor();
      const lines = readFileSync(evalFile, 'utf8').trim().split('\n');
      expect(lines).toHaveLength(1);
      const evalCase = JSON.parse(lines[0]!) as { id: string; question: string; gold: { path: string; heading: string }[] };
      expect(evalCase.question).toBe('How do I read a path parameter in routing?');
      expect(evalCase.gold).toEqual([
        { path: 'api/routing.md', heading: 'Path Parameter' },
        expect.objectContaining({ path: 'api/routing.md' }),
      ]);
      // A plain table's rows take no aria-selected.
      expect(await admin.locator('.rv-table tr[aria-selected]').count()).toBe(0);
      await admin.keyboard.press('Escape');
      await detail.waitFor({ state: 'detached' });
    });

    it('marks sources whose page or section is gone, and never offers a removed page as a right source', async () => {
      // The docs changed since the down-voted answer: its first source's page was deleted (a long
      // path, for the table), and the heading of another (its last) was renamed.
      const answer = [...server.state.chats.values()].flatMap((c) => c.messages).find((m) => server.state.feedback.some((f) => f.messageId === m.id && f.vote === 'down'))!;
      const first = answer.sources[0]!;
      const renamed = answer.sources.length + 1;
      answer.sources.push({ ...first, rank: renamed, cited: false, anchor: 'a-heading-renamed-since', url: `${first.url.replace(/#.*$/, '')}#a-heading-renamed-since` });
      first.path = 'guide/old-folder-removed-in-the-last-release/a-page-with-a-long-name.md';
      await admin.reload();
      const table = admin.getByRole('region', { name: 'Rated answers' });
      const row = table.getByRole('row').filter({ hasText: 'What about the optional parameter' });
      // The top source's path gives way to its score.
      const cell = row.locator('.rv-source-cell');
      await expect.poll(() => cell.textContent()).toContain('a-page-with-a-long-name.md');
      const [cellBox, scoreBox] = [await cell.boundingBox(), await cell.locator('.dc-score').boundingBox()];
      expect(scoreBox!.x + scoreBox!.width).toBeLessThanOrEqual(cellBox!.x + cellBox!.width);
      await expect.poll(() => admin.getByRole('img', { name: /^Documents most cited/ }).getAttribute('aria-label')).toContain('a-page-with-a-long-name.md (page removed)');
      // No chart text runs past its chart's edge.
      const overflowing = await admin.evaluate(() =>
        [...document.querySelectorAll<SVGTextElement>('svg.rv-chart text')]
          .filter((t) => {
            const box = t.getBBox();
            return box.x < 0 || box.x + box.width > t.ownerSVGElement!.viewBox.baseVal.width;
          })
          .map((t) => t.textContent),
      );
      expect(overflowing).toEqual([]);

      await row.getByRole('button').click();
      const detail = admin.getByRole('dialog');
      await detail.waitFor();
      const sources = detail.locator('.rv-sources-table tbody tr');
      await expect.poll(() => sources.nth(0).textContent()).toContain('page removed');
      expect(await sources.nth(0).getByRole('link').count()).toBe(0);
      await expect.poll(() => detail.getByRole('checkbox', { name: /Mark source 1/ }).isDisabled()).toBe(true);
      await expect.poll(() => sources.nth(renamed - 1).textContent()).toContain('section no longer exists');
      expect(await sources.nth(renamed - 1).getByRole('link').getAttribute('href')).not.toContain('#');
      expect(await sources.nth(renamed - 1).textContent()).not.toContain('page removed');
      // Its heading is gone too, so it cannot be a right source either (the export refuses it), and says why.
      const renamedBox = detail.getByRole('checkbox', { name: new RegExp(`Mark source ${renamed} `) });
      expect(await renamedBox.isDisabled()).toBe(true);
      expect(await renamedBox.getAttribute('aria-label')).toContain('(section no longer exists: cannot be one)');
      await screenshot(admin, 'review-removed-sources');
      await admin.keyboard.press('Escape');
      await detail.waitFor({ state: 'detached' });
      answer.sources.pop();

      // An up-voted answer's cited sources come marked as right ones, but not one whose section is gone.
      const liked = [...server.state.chats.values()].flatMap((c) => c.messages).find((m) => server.state.feedback.some((f) => f.messageId === m.id && f.vote === 'up'))!;
      const cited = liked.sources.find((s) => s.cited)!;
      const gone = liked.sources.length + 1;
      liked.sources.push({ ...cited, rank: gone, cited: true, anchor: 'a-heading-renamed-since', url: `${cited.url.replace(/#.*$/, '')}#a-heading-renamed-since` });
      try {
        await admin.reload();
        await admin.getByRole('button', { name: 'How do I read a path parameter in routing?' }).click();
        const likedDetail = admin.getByRole('dialog');
        await likedDetail.waitFor();
        const goneBox = likedDetail.getByRole('checkbox', { name: new RegExp(`Mark source ${gone} `) });
        await expect.poll(() => goneBox.isDisabled()).toBe(true);
        expect(await goneBox.isChecked()).toBe(false);
        expect(await likedDetail.getByRole('checkbox', { name: new RegExp(`Mark source ${cited.rank} `) }).isChecked()).toBe(true);
        await admin.keyboard.press('Escape');
        await likedDetail.waitFor({ state: 'detached' });
      } finally {
        liked.sources.pop();
      }
    });

    it('wraps a long unbroken question and comment (a URL, say) in the table and in the details', async () => {
      const question = `Why does https://docs.example.com/${'aLongPathSegment/'.repeat(8)}routing give a 404?`;
      const comment = `See ${'https://example.com/'.repeat(8)}`;
      const wide = await context.newPage();
      try {
        // The rated answers as the server lists them, the first one asked and commented so.
        await wide.route('**/api/review/feedback?*', async (route) => {
          const response = await route.fetch();
          const body = (await response.json()) as { items: { question: string; comment: string | null }[] };
          body.items[0]!.question = question;
          body.items[0]!.comment = comment;
          await route.fulfill({ response, json: body });
        });
        await wide.goto(`${server.url}/review/`);
        const link = wide.getByRole('button', { name: question });
        await link.waitFor();
        const rightOf = (locator: Locator) => locator.evaluate((el) => el.getBoundingClientRect().right);
        expect(await rightOf(link)).toBeLessThanOrEqual(await rightOf(wide.locator('td.rv-question').filter({ has: link })));
        await link.click();
        const detail = wide.getByRole('dialog', { name: question });
        await detail.waitFor();
        // Text wider than its box would make it scroll sideways, or run out of the drawer.
        const fits = (locator: Locator) => locator.evaluate((el) => el.scrollWidth <= el.clientWidth);
        expect(await fits(detail.getByRole('heading', { name: question }))).toBe(true);
        expect(await fits(detail.locator('.rv-comment'))).toBe(true);
        expect(await fits(detail.locator('.rv-detail-body'))).toBe(true);
      } finally {
        await wide.close();
      }
    });

    it('shows when a rating was changed, and lists it as new', async () => {
      const older = server.state.feedback.find((f) => f.vote === 'up')!;
      older.createdAt = '2026-01-05T10:00:00.000Z';
      older.updatedAt = new Date().toISOString();
      const newer = server.state.feedback.find((f) => f.vote === 'down')!;
      newer.updatedAt = newer.createdAt = new Date(Date.now() - 60_000).toISOString();
      await admin.reload();
      const rows = admin.getByRole('region', { name: 'Rated answers' }).getByRole('row');
      await expect.poll(() => rows.nth(1).textContent()).toMatch(/edited, first given Jan 5, 2026.*How do I read a path parameter/);
      expect(await rows.nth(2).textContent()).not.toContain('edited');
    });

    it('shows the login form when the admin session has ended, instead of a failed download', async () => {
      await admin.evaluate(() => fetch('/api/admin/logout', { method: 'POST', body: '{}', headers: { 'content-type': 'application/json' } }));
      let downloads = 0;
      admin.on('download', () => downloads++);
      await admin.getByRole('button', { name: 'Export CSV' }).click();
      await expect.poll(() => admin.getByRole('alert').textContent()).toContain('Your admin session has ended');
      await admin.getByLabel('Admin token').waitFor();
      expect(downloads).toBe(0);
    });
  });
});
