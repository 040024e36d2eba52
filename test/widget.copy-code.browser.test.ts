/**
 * The Copy button of code blocks (site/src/chat/copy-code.ts), in a real browser (Debian chromium
 * via playwright-core) against the real Docent app with a local chat-completions server: in a
 * chat answer and on a docs page it is reached with the keyboard, named "Copy code", copies the
 * code as written (read back from the clipboard: no line numbers, no final newline, not the lines
 * the renderer leaves out) and says "Copied" in a live region that was in the page, empty, before.
 * On plain http at a host other than localhost the page has no `navigator.clipboard`: it copies
 * all the same, and says so when it cannot.
 */
import type { Browser, BrowserContext, Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { copyFailedText } from '../site/src/chat/copy-code';
import { CHROMIUM_PATH, collectPageErrors, hasChromium, screenshot } from './helpers/browser';
import { createHashingEmbedder } from './helpers/embedder';
import { liveRegions, recordLiveRegions } from './helpers/live-regions';
import { startWidgetApp, startWidgetModel, type WidgetApp, type WidgetModel } from './helpers/widget-app';
import { acceptEveryScore, askAndWaitForAnswer, chatPanel as panel, openChatPanel } from './helpers/widget-page';

/** The code of {@link CODE_ANSWER}'s block, as written. */
const CODE = ["import { createDocent } from 'docent';", '', 'const docent = createDocent({ port: 4321 });', '\tawait docent.listen();'].join('\n');
const CODE_ANSWER = ['Start it so [1]:', '', '```ts', CODE, '```', '', 'Tickets are sold at the pier kiosk [1].'].join('\n');

/** An answer whose code block's first line is far wider than a phone. */
const LONG_FIRST_LINE_ANSWER = [
  'Configure it so [1]:',
  '',
  '```ts',
  "const docent = createDocent({ port: 4321, content: './docs', baseUrl: 'https://docs.example.com' });",
  'await docent.listen();',
  '```',
].join('\n');

/**
 * The numbered block of the fixture page `api/from-docusaurus.mdx` as a reader sees it: shown
 * with line numbers and a title, its `// highlight-next-line` line left out.
 */
const NUMBERED_CODE = ["import { createClient } from 'acme';", 'const client = createClient({ timeout: 1000 });', 'export default client;'].join('\n');

/** A page of another site that embeds the standalone widget (widget.js), which renders in a shadow root. */
const EMBEDDING_PAGE = '/embedding-site/';
const EMBEDDING_PAGE_HTML = '<!doctype html><html lang="en"><body><h1>Another site</h1><script src="/widget.js" defer></script></body></html>';

/** A host name that is not localhost: `http://docs.test:PORT` is not a secure context. */
const PLAIN_HOST = 'docs.test';

describe.skipIf(!hasChromium && !process.env.CI)('the Copy button of code blocks', () => {
  let model: WidgetModel;
  let widget: WidgetApp | undefined;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  let errors: string[];

  /** What the browser's clipboard holds, read by a page of the app's (secure) origin. */
  async function clipboardText(): Promise<string> {
    return page.evaluate(() => navigator.clipboard.readText());
  }
  async function clearClipboard(): Promise<void> {
    await page.evaluate(() => navigator.clipboard.writeText('(nothing copied)'));
  }

  beforeAll(async () => {
    model = await startWidgetModel();
    widget = await startWidgetApp({
      embedder: createHashingEmbedder(),
      env: model.env,
      // A page embedding widget.js, from the app's own server (a page a test fulfils itself is not
      // on the loopback address: Chromium would refuse it widget.js on plain http).
      hostPages: { [EMBEDDING_PAGE]: EMBEDDING_PAGE_HTML },
    });
    // Its own Chromium, which also reaches the app as http://docs.test:PORT (one clipboard for both).
    const { chromium } = await import('playwright-core');
    browser = await chromium.launch({
      executablePath: CHROMIUM_PATH,
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-dev-shm-usage', `--host-resolver-rules=MAP ${PLAIN_HOST} 127.0.0.1`],
    });
    context = await browser.newContext({ viewport: { width: 1280, height: 860 }, reducedMotion: 'reduce' });
    await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: widget.url });
    // A control that is not there fails the test in 10 s, with its name, rather than at the test's timeout.
    context.setDefaultTimeout(10_000);
    page = await context.newPage();
    errors = collectPageErrors(page);
    await recordLiveRegions(page);
    await openChatPanel(page, widget.url);
    await acceptEveryScore(page);
  });

  afterAll(async () => {
    await browser?.close();
    await widget?.close();
    await model?.close();
  });

  it('copies the code of an answer as written, from the keyboard, and says "Copied" in a live region', async () => {
    await clearClipboard();
    model.answerNext({ text: CODE_ANSWER });
    await askAndWaitForAnswer(page, 'How do I start the server?');
    const block = panel(page).getByRole('region', { name: 'Code: ts' });
    await block.waitFor();
    // Right after the block in the keyboard's order.
    await block.focus();
    await page.keyboard.press('Tab');
    const button = panel(page).getByRole('button', { name: 'Copy code' });
    await expect.poll(() => button.evaluate((el) => el === document.activeElement)).toBe(true);
    await page.keyboard.press('Enter');
    await expect.poll(clipboardText).toBe(CODE);
    const status = panel(page).locator('.dc-code-block').getByRole('status');
    await expect.poll(() => status.textContent()).toBe('Copied');
    // The region was in the page, empty, before it said so.
    const records = (await liveRegions(page)).filter((r) => r.said.includes('Copied'));
    expect(records).toEqual([{ role: 'status', inserted: '', said: ['Copied'] }]);
    expect(errors).toEqual([]);
  });

  it('copies a docs page’s numbered block without its line numbers or the lines the site leaves out', async () => {
    await clearClipboard();
    // The page alone, the chat panel closed (restored open, it would cover part of the page).
    await page.evaluate(() => sessionStorage.setItem('docent-widget-open', '0'));
    await page.goto(`${widget!.url}/api/from-docusaurus/`);
    await page.locator('html[data-docent-widget="ready"]').waitFor({ state: 'attached' });
    const wrap = page.locator('.prose .code-wrap', { has: page.locator('pre.line-numbers') });
    const block = wrap.locator('pre');
    await block.waitFor();
    // The numbers are on the page.
    expect(await block.locator('.line').first().evaluate((el) => getComputedStyle(el, '::before').content)).toBe('counter(line)');
    const button = wrap.getByRole('button', { name: 'Copy code' });
    await block.focus();
    await page.keyboard.press('Tab');
    await expect.poll(() => button.evaluate((el) => el === document.activeElement)).toBe(true);
    await page.keyboard.press('Enter');
    await expect.poll(clipboardText).toBe(NUMBERED_CODE);
    const status = wrap.getByRole('status');
    await expect.poll(() => status.textContent()).toBe('Copied');
    const records = (await liveRegions(page)).filter((r) => r.said.includes('Copied'));
    expect(records).toEqual([{ role: 'status', inserted: '', said: ['Copied'] }]);
    expect(errors).toEqual([]);
  });

  describe('at a phone’s width, in both themes', () => {
    let phone: Page;
    let phoneErrors: string[];

    beforeAll(async () => {
      const phoneContext = await browser.newContext({ viewport: { width: 390, height: 800 }, isMobile: true, hasTouch: true, reducedMotion: 'reduce' });
      phoneContext.setDefaultTimeout(10_000);
      phone = await phoneContext.newPage();
      phoneErrors = collectPageErrors(phone);
    });

    /**
     * Where the first line of `wrap`'s code lies under its Copy button, with the block scrolled to
     * its start and to its end (the line's last characters): `"<scrollLeft>: <text under it>"`
     * per place, none when the button hides no code. Also says when the button is not shown.
     */
    function firstLineUnderButton(wrap: Locator): Promise<string[]> {
      return wrap.evaluate((el) => {
        const pre = el.querySelector('pre')!;
        const button = el.querySelector('.copy-code-button')!;
        const found: string[] = [];
        if (getComputedStyle(el.querySelector('.copy-code')!).opacity !== '1') found.push('the button is not shown');
        // The first line's text nodes, up to its newline.
        const walker = document.createTreeWalker(pre.querySelector('code') ?? pre, NodeFilter.SHOW_TEXT);
        const chars: { node: Text; offset: number }[] = [];
        for (let node = walker.nextNode() as Text | null; node; node = walker.nextNode() as Text | null) {
          const end = node.data.indexOf('\n');
          for (let i = 0; i < (end === -1 ? node.data.length : end); i++) chars.push({ node, offset: i });
          if (end !== -1) break;
        }
        if (chars.length < 20) found.push(`the first line is short: ${chars.length} characters`);
        for (const scroll of [0, pre.scrollWidth]) {
          pre.scrollLeft = scroll;
          const under = button.getBoundingClientRect();
          let text = '';
          for (const { node, offset } of chars) {
            const range = document.createRange();
            range.setStart(node, offset);
            range.setEnd(node, offset + 1);
            const r = range.getBoundingClientRect();
            if (r.right > under.left && r.left < under.right && r.bottom > under.top && r.top < under.bottom) text += node.data[offset];
          }
          if (text) found.push(`${pre.scrollLeft}: ${text}`);
        }
        pre.scrollLeft = 0;
        return found;
      });
    }

    it('never hides the end of a long first line under the Copy button, on a docs page and in an answer', async () => {
      // The docs page's block whose first line is wider than the phone.
      await phone.goto(`${widget!.url}/api/routing/`);
      await phone.locator('html[data-docent-widget="ready"]').waitFor({ state: 'attached' });
      const wrap = phone.locator('.prose .code-wrap', { hasText: 'Will match' });
      expect(await wrap.locator('pre').evaluate((el) => el.scrollWidth > el.clientWidth)).toBe(true);
      for (const theme of ['light', 'dark']) {
        await phone.evaluate((value) => (document.documentElement.dataset.theme = value), theme);
        expect(await firstLineUnderButton(wrap), theme).toEqual([]);
      }
      await screenshot(phone, 'copy-code-phone-page');

      // An answer's block, in the panel (the whole screen on a phone).
      await phone.evaluate(() => (document.documentElement.dataset.theme = 'light'));
      await phone.getByRole('button', { name: 'Ask the docs', exact: true }).last().click();
      await panel(phone).waitFor();
      await acceptEveryScore(phone);
      model.answerNext({ text: LONG_FIRST_LINE_ANSWER });
      await askAndWaitForAnswer(phone, 'How do I configure the server?');
      const block = panel(phone).locator('.dc-code-block').last();
      await block.locator('.copy-code-button').waitFor();
      expect(await block.locator('pre').evaluate((el) => el.scrollWidth > el.clientWidth)).toBe(true);
      for (const theme of ['light', 'dark']) {
        await phone.evaluate((value) => (document.documentElement.dataset.theme = value), theme);
        expect(await firstLineUnderButton(block), theme).toEqual([]);
      }
      await screenshot(phone, 'copy-code-phone-answer');
      expect(phoneErrors).toEqual([]);
    });
  });

  describe('on plain http at a host other than localhost (no navigator.clipboard)', () => {
    let plain: Page;
    let plainErrors: string[];
    const plainUrl = () => widget!.url.replace('127.0.0.1', PLAIN_HOST);

    beforeAll(async () => {
      plain = await context.newPage();
      plainErrors = collectPageErrors(plain);
    });

    it('copies an answer’s code and a docs page’s code all the same', async () => {
      await clearClipboard();
      await plain.goto(`${plainUrl()}/guide/quick-start/`);
      expect(await plain.evaluate(() => ({ secure: window.isSecureContext, clipboard: 'clipboard' in navigator }))).toEqual({ secure: false, clipboard: false });
      await plain.locator('.code-wrap').first().getByRole('button', { name: 'Copy code' }).click();
      await expect.poll(() => plain.locator('.code-wrap').first().getByRole('status').textContent()).toBe('Copied');
      await expect.poll(clipboardText).toBe('npm install acme');

      await clearClipboard();
      await plain.getByRole('button', { name: 'Ask the docs', exact: true }).last().click();
      await panel(plain).waitFor();
      // This origin's reader has a minimum score of its own.
      await acceptEveryScore(plain);
      model.answerNext({ text: CODE_ANSWER });
      await askAndWaitForAnswer(plain, 'How do I start the server?');
      const block = panel(plain).locator('.dc-code-block').last();
      await block.getByRole('button', { name: 'Copy code' }).click();
      await expect.poll(() => block.getByRole('status').textContent()).toBe('Copied');
      await expect.poll(clipboardText).toBe(CODE);
      // The text area it copied through is gone, and the button has the focus again.
      expect(await plain.locator('textarea[aria-hidden="true"]').count()).toBe(0);
      expect(await block.getByRole('button', { name: 'Copy code' }).evaluate((el) => el === document.activeElement)).toBe(true);
      expect(plainErrors).toEqual([]);
    });

    it('says it could not copy when the browser refuses, and selects the code for the reader', async () => {
      await clearClipboard();
      await plain.addInitScript(() => {
        document.execCommand = () => false;
      });
      await plain.goto(`${plainUrl()}/guide/quick-start/`);
      // The chat panel, left open by the test before, opens again when the widget becomes
      // interactive (without taking the focus or the selection): the page as a reader sees it.
      await plain.locator('html[data-docent-widget="ready"]').waitFor({ state: 'attached' });
      const wrap = plain.locator('.code-wrap').nth(1);
      await wrap.getByRole('button', { name: 'Copy code' }).click();
      await expect.poll(() => wrap.getByRole('status').textContent()).toBe(copyFailedText('Ctrl+C'));
      expect(await plain.evaluate(() => getSelection()?.toString())).toBe(await wrap.locator('pre code').evaluate((el) => el.textContent));
      expect(await clipboardText()).toBe('(nothing copied)');
      expect(plainErrors).toEqual([]);
    });
  });

  describe('in the standalone widget (widget.js), inside its shadow root', () => {
    /** {@link EMBEDDING_PAGE} at `origin` (the app's, or the plain http one), its chat open on an answer with {@link CODE_ANSWER}'s code. */
    async function openHostPage(origin: string, prepare?: (host: Page) => Promise<unknown>): Promise<{ host: Page; hostErrors: string[] }> {
      const host = await context.newPage();
      const hostErrors = collectPageErrors(host);
      await prepare?.(host);
      await host.goto(`${origin}${EMBEDDING_PAGE}`);
      await host.locator('docent-widget .dc-launcher').click();
      await panel(host).getByRole('textbox', { name: 'Your question' }).waitFor();
      await acceptEveryScore(host);
      model.answerNext({ text: CODE_ANSWER });
      await askAndWaitForAnswer(host, 'How do I start the server?');
      expect(await host.evaluate(() => Boolean(document.getElementById('docent-widget')?.shadowRoot?.querySelector('.dc-code-block')))).toBe(true);
      return { host, hostErrors };
    }

    it('copies an answer’s code and says "Copied" in the block’s live region', async () => {
      await clearClipboard();
      const { host, hostErrors } = await openHostPage(widget!.url);
      const block = panel(host).locator('.dc-code-block').last();
      const status = block.getByRole('status');
      expect(await status.textContent()).toBe('');
      await block.getByRole('button', { name: 'Copy code' }).click();
      await expect.poll(() => status.textContent()).toBe('Copied');
      await expect.poll(clipboardText).toBe(CODE);
      expect(hostErrors).toEqual([]);
      await host.close();
    });

    it('copies through a text area in the shadow root on plain http, and gives the button its focus back', async () => {
      await clearClipboard();
      const { host, hostErrors } = await openHostPage(widget!.url.replace('127.0.0.1', PLAIN_HOST));
      expect(await host.evaluate(() => 'clipboard' in navigator)).toBe(false);
      const block = panel(host).locator('.dc-code-block').last();
      const button = block.getByRole('button', { name: 'Copy code' });
      await button.click();
      await expect.poll(() => block.getByRole('status').textContent()).toBe('Copied');
      await expect.poll(clipboardText).toBe(CODE);
      expect(await host.locator('docent-widget textarea[aria-hidden="true"]').count()).toBe(0);
      expect(await button.evaluate((el) => (el.getRootNode() as ShadowRoot).activeElement === el)).toBe(true);
      expect(hostErrors).toEqual([]);
      await host.close();
    });

    it('selects the code in the shadow root for the reader when the browser refuses to copy', async () => {
      await clearClipboard();
      const { host, hostErrors } = await openHostPage(widget!.url.replace('127.0.0.1', PLAIN_HOST), (page) =>
        page.addInitScript(() => {
          document.execCommand = () => false;
        }),
      );
      const block = panel(host).locator('.dc-code-block').last();
      await block.getByRole('button', { name: 'Copy code' }).click();
      await expect.poll(() => block.getByRole('status').textContent()).toBe(copyFailedText('Ctrl+C'));
      // The code inside the shadow root is what the page's selection holds.
      expect(await host.evaluate(() => getSelection()?.toString())).toBe(CODE);
      expect(await clipboardText()).toBe('(nothing copied)');
      expect(hostErrors).toEqual([]);
      await host.close();
    });
  });
});
