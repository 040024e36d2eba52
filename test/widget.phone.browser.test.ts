/**
 * The chat widget and the docs pages at a phone's width, in a real browser (Debian chromium via
 * playwright-core) against the real Docent app with a local chat-completions server, on the docs
 * site and in the standalone widget (widget.js, in a shadow root):
 * - the panel, which covers the whole screen there, is restored closed on the tab's next page (the
 *   reader who followed a citation came to read that page); opened again, the chat is there. Wider,
 *   it is restored open, without taking the focus;
 * - the launcher says whether the panel is open (`aria-expanded`) and names it (`aria-controls`,
 *   an id that is in the document or shadow root) in every state;
 * - the Copy button's failure message never covers code;
 * - the floating launcher covers nothing at the end of a docs page: scrolled to the bottom, the
 *   last lines are above it.
 */
import type { Browser, BrowserContext, Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { copyFailedText } from '../site/src/chat/copy-code';
import { collectPageErrors, hasChromium } from './helpers/browser';
import { createHashingEmbedder } from './helpers/embedder';
import { startWidgetApp, startWidgetModel, type WidgetApp, type WidgetModel } from './helpers/widget-app';
import { acceptEveryScore, askAndWaitForAnswer, chatPanel as panel, openChatPanel, shownQuestions } from './helpers/widget-page';

/** A page of another site that embeds the standalone widget (widget.js, in a shadow root). */
const EMBEDDING_PAGE = '/embedding-site/';
const EMBEDDING_PAGE_HTML = '<!doctype html><html lang="en"><head><meta name="viewport" content="width=device-width, initial-scale=1"></head><body><h1>Another site</h1><p>Its text.</p><script src="/widget.js" defer></script></body></html>';

const PHONE = { width: 390, height: 800 };
const DESKTOP = { width: 1280, height: 860 };

/** What the Copy button says when it cannot copy, on a phone (touch, no keyboard shortcut to name). */
const COPY_FAILED = copyFailedText('touch');
/** An answer with a code block, whose Copy button the failure tests press. */
const CODE_ANSWER = ['Install it so [1]:', '', '```sh', 'npm install docent', '```'].join('\n');

describe.skipIf(!hasChromium && !process.env.CI)('the chat widget and the docs pages at a phone’s width', () => {
  let model: WidgetModel;
  let widget: WidgetApp | undefined;
  let browser: Browser;
  let phoneContext: BrowserContext;

  beforeAll(async () => {
    model = await startWidgetModel();
    widget = await startWidgetApp({
      embedder: createHashingEmbedder(),
      env: model.env,
      hostPages: { [EMBEDDING_PAGE]: EMBEDDING_PAGE_HTML },
    });
    browser = widget.browser;
    phoneContext = await browser.newContext({ viewport: PHONE, isMobile: true, hasTouch: true, reducedMotion: 'reduce' });
    phoneContext.setDefaultTimeout(10_000);
  });

  afterAll(async () => {
    await widget?.close();
    await model?.close();
  });

  /** Waits until the widget of `page` is interactive, and two frames more (its own focus moves are made in a frame). */
  async function widgetReady(page: Page): Promise<void> {
    await page.locator('html[data-docent-widget="ready"]').waitFor({ state: 'attached' });
    await page.evaluate(() => new Promise((painted) => requestAnimationFrame(() => requestAnimationFrame(painted))));
  }

  /**
   * What the launcher says to assistive technology: `aria-expanded`, and what its `aria-controls`
   * names in its own document or shadow root (`"dialog shown"`, `"dialog hidden"`, `"missing #id"`,
   * or `"none"` without the attribute).
   */
  function launcherSays(launcher: Locator): Promise<{ expanded: string | null; controls: string }> {
    return launcher.evaluate((el) => {
      const id = el.getAttribute('aria-controls');
      const target = id === null ? null : (el.getRootNode() as Document | ShadowRoot).getElementById(id);
      const controls = id === null ? 'none' : target ? `${target.getAttribute('role')} ${(target as HTMLElement).hidden ? 'hidden' : 'shown'}` : `missing #${id}`;
      return { expanded: el.getAttribute('aria-expanded'), controls };
    });
  }

  /** Whether the focus is on the page's `<body>`, nothing of the widget (nor its shadow root) having it. */
  const focusOnBody = (page: Page) =>
    page.evaluate(() => document.activeElement === document.body && !document.getElementById('docent-widget')?.shadowRoot?.activeElement);

  describe('the launcher', () => {
    it('says whether the panel is open and names it, in every state, on the docs site and in the standalone widget', async () => {
      const context = await browser.newContext({ viewport: DESKTOP, reducedMotion: 'reduce' });
      context.setDefaultTimeout(10_000);
      const page = await context.newPage();
      const errors = collectPageErrors(page);
      const launcher = page.locator('.dc-launcher');
      await page.goto(`${widget!.url}/guide/quick-start/`);
      await widgetReady(page);
      // No panel in the page before it is first opened: nothing to name.
      expect(await launcherSays(launcher)).toEqual({ expanded: 'false', controls: 'none' });
      await launcher.click();
      await panel(page).getByRole('textbox', { name: 'Your question' }).waitFor();
      expect(await launcherSays(launcher)).toEqual({ expanded: 'true', controls: 'dialog shown' });
      await page.keyboard.press('Escape');
      await panel(page).waitFor({ state: 'hidden' });
      expect(await launcherSays(launcher)).toEqual({ expanded: 'false', controls: 'dialog hidden' });
      // Restored open on the next page.
      await launcher.click();
      await panel(page).waitFor();
      await page.goto(`${widget!.url}/guide/configuration/`);
      await widgetReady(page);
      await panel(page).waitFor();
      expect(await launcherSays(launcher)).toEqual({ expanded: 'true', controls: 'dialog shown' });
      expect(errors).toEqual([]);

      // The standalone widget, in its shadow root.
      const host = await context.newPage();
      const hostErrors = collectPageErrors(host);
      const hostLauncher = host.locator('docent-widget .dc-launcher');
      await host.goto(`${widget!.url}${EMBEDDING_PAGE}`);
      // The launcher before the chat script has come: no panel to name yet.
      expect(await launcherSays(hostLauncher)).toEqual({ expanded: 'false', controls: 'none' });
      await hostLauncher.click();
      await panel(host).getByRole('textbox', { name: 'Your question' }).waitFor();
      expect(await launcherSays(hostLauncher)).toEqual({ expanded: 'true', controls: 'dialog shown' });
      await hostLauncher.click();
      await panel(host).waitFor({ state: 'hidden' });
      expect(await launcherSays(hostLauncher)).toEqual({ expanded: 'false', controls: 'dialog hidden' });
      expect(hostErrors).toEqual([]);
      await context.close();
    });
  });

  describe('the panel open on the tab’s previous page', () => {
    it('is restored closed on the docs site where it covers the whole screen, with its chat there when opened again; wider, restored open without the focus', async () => {
      const page = await phoneContext.newPage();
      const errors = collectPageErrors(page);
      const launcher = page.locator('.dc-launcher');
      // Before it was ever opened.
      await page.goto(`${widget!.url}/`);
      await widgetReady(page);
      expect(await launcherSays(launcher)).toEqual({ expanded: 'false', controls: 'none' });

      await openChatPanel(page, widget!.url);
      expect(await launcherSays(launcher)).toEqual({ expanded: 'true', controls: 'dialog shown' });
      expect(await panel(page).getAttribute('aria-modal')).toBe('true');
      await acceptEveryScore(page);
      await askAndWaitForAnswer(page, 'Where are ferry tickets sold?');

      // The next page (as after a tap on a citation): the page is shown, the panel is not.
      await page.goto(`${widget!.url}/guide/quick-start/`);
      await widgetReady(page);
      expect(await page.locator('.dc-panel').count()).toBe(0);
      expect(await launcher.isVisible()).toBe(true);
      expect(await launcherSays(launcher)).toEqual({ expanded: 'false', controls: 'none' });
      expect(await focusOnBody(page)).toBe(true);
      const top = await page.evaluate(() => document.elementFromPoint(innerWidth / 2, innerHeight / 2)?.closest('main') !== null);
      expect(top).toBe(true);

      // Opened again from the launcher: the chat as it was, with the focus in it.
      await launcher.click();
      await expect.poll(() => shownQuestions(page)).toEqual(['Where are ferry tickets sold?']);
      await expect.poll(() => panel(page).getByRole('textbox', { name: 'Your question' }).evaluate((el) => el === document.activeElement)).toBe(true);
      expect(await launcherSays(launcher)).toEqual({ expanded: 'true', controls: 'dialog shown' });
      // Closed with Esc: the launcher still names the (hidden) panel.
      await page.keyboard.press('Escape');
      await panel(page).waitFor({ state: 'hidden' });
      expect(await launcherSays(launcher)).toEqual({ expanded: 'false', controls: 'dialog hidden' });

      // Wider than a phone, the panel sits beside the page: restored open, the focus left where it is.
      await launcher.click();
      await panel(page).waitFor();
      await page.setViewportSize(DESKTOP);
      await page.goto(`${widget!.url}/guide/configuration/`);
      await widgetReady(page);
      await expect.poll(() => shownQuestions(page)).toEqual(['Where are ferry tickets sold?']);
      expect(await panel(page).getAttribute('aria-modal')).toBe('false');
      expect(await focusOnBody(page)).toBe(true);
      expect(await launcherSays(launcher)).toEqual({ expanded: 'true', controls: 'dialog shown' });
      expect(errors).toEqual([]);
      await page.close();
    });

    it('is restored closed in the standalone widget where it covers the whole screen, with its chat there when opened again', async () => {
      const host = await phoneContext.newPage();
      const errors = collectPageErrors(host);
      const launcher = host.locator('docent-widget .dc-launcher');
      await host.goto(`${widget!.url}${EMBEDDING_PAGE}`);
      // The launcher before the chat script has come: no panel to name yet.
      expect(await launcherSays(launcher)).toEqual({ expanded: 'false', controls: 'none' });
      await launcher.click();
      await panel(host).getByRole('textbox', { name: 'Your question' }).waitFor();
      expect(await launcherSays(launcher)).toEqual({ expanded: 'true', controls: 'dialog shown' });
      await acceptEveryScore(host);
      await askAndWaitForAnswer(host, 'Can I buy a ticket on board?');

      await host.reload();
      await widgetReady(host);
      expect(await host.locator('docent-widget .dc-panel').count()).toBe(0);
      expect(await launcher.isVisible()).toBe(true);
      expect(await launcherSays(launcher)).toEqual({ expanded: 'false', controls: 'none' });
      expect(await focusOnBody(host)).toBe(true);

      await launcher.click();
      await expect.poll(() => shownQuestions(host)).toEqual(['Can I buy a ticket on board?']);
      expect(await launcherSays(launcher)).toEqual({ expanded: 'true', controls: 'dialog shown' });
      expect(errors).toEqual([]);
      await host.close();
    });
  });

  describe('the Copy button’s failure message', () => {
    /** A page of the phone context where copying fails: no clipboard API, and the older way refused. */
    async function pageWhereCopyFails(): Promise<Page> {
      const page = await phoneContext.newPage();
      await page.addInitScript(() => {
        Object.defineProperty(navigator, 'clipboard', { configurable: true, value: { writeText: () => Promise.reject(new Error('refused')) } });
        document.execCommand = () => false;
      });
      return page;
    }

    /**
     * Presses the Copy button of the code block `block` (`.code-wrap` or `.dc-code-block`), waits
     * for the failure message, and says where it covers code: each line of code the message's
     * box overlaps, as its text. Also says when the message is not shown.
     */
    async function codeUnderFailureMessage(block: Locator): Promise<string[]> {
      await block.getByRole('button', { name: 'Copy code' }).click();
      await expect.poll(() => block.getByRole('status').textContent()).toBe(COPY_FAILED);
      // Two frames: the block has made room, if it does.
      await block.evaluate(() => new Promise((painted) => requestAnimationFrame(() => requestAnimationFrame(painted))));
      return block.evaluate((el) => {
        const status = el.querySelector('[role="status"]')!.getBoundingClientRect();
        const found: string[] = [];
        if (status.height === 0 || getComputedStyle(el.querySelector('.copy-code')!).opacity !== '1') found.push('the message is not shown');
        const code = el.querySelector('pre code') ?? el.querySelector('pre')!;
        const walker = document.createTreeWalker(code, NodeFilter.SHOW_TEXT);
        for (let node = walker.nextNode() as Text | null; node; node = walker.nextNode() as Text | null) {
          const range = document.createRange();
          range.selectNodeContents(node);
          for (const r of range.getClientRects()) {
            if (r.width > 0 && r.right > status.left && r.left < status.right && r.bottom > status.top && r.top < status.bottom) found.push(node.data);
          }
        }
        return found;
      });
    }

    it('never covers the code, on a docs page, in an answer, and in the standalone widget', async () => {
      const page = await pageWhereCopyFails();
      const errors = collectPageErrors(page);
      await page.goto(`${widget!.url}/guide/quick-start/`);
      await widgetReady(page);
      expect(await codeUnderFailureMessage(page.locator('.prose .code-wrap').first())).toEqual([]);

      await page.locator('.dc-launcher').click();
      await panel(page).getByRole('textbox', { name: 'Your question' }).waitFor();
      await acceptEveryScore(page);
      model.answerNext({ text: CODE_ANSWER });
      await askAndWaitForAnswer(page, 'How do I install it?');
      expect(await codeUnderFailureMessage(panel(page).locator('.dc-code-block').last())).toEqual([]);
      expect(errors).toEqual([]);
      await page.close();

      const host = await pageWhereCopyFails();
      const hostErrors = collectPageErrors(host);
      await host.goto(`${widget!.url}${EMBEDDING_PAGE}`);
      await host.locator('docent-widget .dc-launcher').click();
      await panel(host).getByRole('textbox', { name: 'Your question' }).waitFor();
      model.answerNext({ text: CODE_ANSWER });
      await askAndWaitForAnswer(host, 'How do I install it?');
      expect(await codeUnderFailureMessage(panel(host).locator('.dc-code-block').last())).toEqual([]);
      expect(hostErrors).toEqual([]);
      await host.close();
    });

    it('pressed again while it shows, the code stays where it is (the message is said again without the strip shrinking in between)', async () => {
      const page = await pageWhereCopyFails();
      const errors = collectPageErrors(page);
      await page.goto(`${widget!.url}/guide/quick-start/`);
      await widgetReady(page);
      const block = page.locator('.prose .code-wrap').first();
      expect(await codeUnderFailureMessage(block)).toEqual([]);
      // Where the first line of code is, every frame from the second press until the message is back
      // and has had time to settle.
      const tops = await block.evaluate(async (el) => {
        const code = el.querySelector('pre code') ?? el.querySelector('pre')!;
        const seen = new Set<number>([code.getBoundingClientRect().top]);
        el.querySelector<HTMLButtonElement>('.copy-code-button')!.click();
        const start = performance.now();
        while (performance.now() - start < 600) {
          await new Promise((frame) => requestAnimationFrame(frame));
          seen.add(code.getBoundingClientRect().top);
        }
        return [...seen];
      });
      expect(tops).toHaveLength(1);
      expect(await block.getByRole('status').textContent()).toBe(COPY_FAILED);
      expect(errors).toEqual([]);
      await page.close();
    });
  });

  describe('the floating launcher', () => {
    it('covers nothing at the end of a docs page: scrolled to the bottom, the last lines and the last Copy button are above it', async () => {
      const page = await phoneContext.newPage();
      const errors = collectPageErrors(page);
      // A narrower phone: its footer's first line reaches under the launcher.
      await page.setViewportSize({ width: 360, height: 740 });
      // A page that ends with a code block, and one that ends with text.
      for (const path of ['/api/components/', '/guide/configuration/']) {
        await page.goto(`${widget!.url}${path}`);
        await widgetReady(page);
        await page.evaluate(() => scrollTo(0, document.documentElement.scrollHeight));
        await page.evaluate(() => new Promise((painted) => requestAnimationFrame(() => requestAnimationFrame(painted))));
        const covered = await page.evaluate(() => {
          const launcher = document.querySelector('.dc-launcher')!.getBoundingClientRect();
          const under = (r: DOMRect) => r.width > 0 && r.right > launcher.left && r.left < launcher.right && r.bottom > launcher.top && r.top < launcher.bottom;
          const found: string[] = [];
          // Every line of text of the page's main column that lies under the launcher.
          const walker = document.createTreeWalker(document.querySelector('main')!, NodeFilter.SHOW_TEXT);
          for (let node = walker.nextNode() as Text | null; node; node = walker.nextNode() as Text | null) {
            const range = document.createRange();
            range.selectNodeContents(node);
            if ([...range.getClientRects()].some(under)) found.push(node.data.trim());
          }
          // The last Copy button, where it is in view, is what a tap at its centre reaches.
          const copy = [...document.querySelectorAll('.prose .copy-code-button')].at(-1)!;
          const box = copy.getBoundingClientRect();
          if (box.bottom <= 0 || box.top >= innerHeight) found.push('the last Copy button is out of view');
          else if (document.elementFromPoint(box.left + box.width / 2, box.top + box.height / 2) !== copy) found.push('the last Copy button');
          return found;
        });
        expect(covered, path).toEqual([]);
      }
      expect(errors).toEqual([]);
      await page.close();
    });

    it('covers nothing of the open navigation drawer: scrolled to its end, no link of it is under the launcher', async () => {
      const page = await phoneContext.newPage();
      const errors = collectPageErrors(page);
      // A short phone screen, where the drawer's links run past its bottom, and a narrow one, where
      // the drawer (85% of the width) reaches under the launcher.
      await page.setViewportSize({ width: 360, height: 420 });
      await page.goto(`${widget!.url}/guide/configuration/`);
      await widgetReady(page);
      await page.getByRole('button', { name: 'Open navigation' }).click();
      const drawer = page.locator('#sidebar');
      await expect.poll(() => drawer.evaluate((el) => el.getBoundingClientRect().left)).toBe(0);
      const covered = await drawer.evaluate(async (el) => {
        el.scrollTop = el.scrollHeight;
        await new Promise((painted) => requestAnimationFrame(() => requestAnimationFrame(painted)));
        const found: string[] = [];
        if (el.scrollHeight <= el.clientHeight) found.push('the drawer does not scroll: the test needs a shorter screen');
        const launcher = document.querySelector('.dc-launcher')!.getBoundingClientRect();
        for (const link of el.querySelectorAll('a')) {
          const r = link.getBoundingClientRect();
          if (r.width > 0 && r.right > launcher.left && r.left < launcher.right && r.bottom > launcher.top && r.top < launcher.bottom) found.push(link.textContent!.trim());
        }
        return found;
      });
      expect(covered).toEqual([]);
      expect(errors).toEqual([]);
      await page.close();
    });
  });
});
