/**
 * The chat panel restored open on the next page of the tab (sessionStorage), in a real browser
 * (Debian chromium via playwright-core) against the real Docent app with a local chat-completions
 * server. It opens without moving the focus: a selection the reader made, or the Copy button they
 * pressed, before the widget became interactive are still theirs once it is. Screen readers still
 * find it: the launcher says the chat is expanded. An open the reader asks for (the launcher or
 * the header's button, also pressed before the widget is interactive) moves the focus into it.
 */
import type { BrowserContext, Page, Route } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { collectPageErrors, hasChromium } from './helpers/browser';
import { createHashingEmbedder } from './helpers/embedder';
import { startWidgetApp, startWidgetModel, type WidgetApp, type WidgetModel } from './helpers/widget-app';
import { acceptEveryScore, askAndWaitForAnswer, chatPanel as panel, openChatPanel } from './helpers/widget-page';

/** The widget's island script: held back, the widget is not interactive yet. */
const WIDGET_SCRIPT = '**/_astro/ChatWidget*.js';

/** A page of another site that embeds the standalone widget (widget.js, in a shadow root). */
const EMBEDDING_PAGE = '/embedding-site/';
const EMBEDDING_PAGE_HTML = '<!doctype html><html lang="en"><body><h1>Another site</h1><p id="text">Text a reader selects on the host page.</p><script src="/widget.js" defer></script></body></html>';

describe.skipIf(!hasChromium && !process.env.CI)('the chat panel restored open on the next page', () => {
  let model: WidgetModel;
  let widget: WidgetApp | undefined;
  let context: BrowserContext;
  let page: Page;
  let errors: string[];

  beforeAll(async () => {
    model = await startWidgetModel();
    widget = await startWidgetApp({
      embedder: createHashingEmbedder(),
      env: model.env,
      hostPages: { [EMBEDDING_PAGE]: EMBEDDING_PAGE_HTML },
    });
    context = await widget.browser.newContext({ viewport: { width: 1280, height: 860 }, reducedMotion: 'reduce' });
    await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: widget.url });
    context.setDefaultTimeout(10_000);
    page = await context.newPage();
    errors = collectPageErrors(page);
    // Every element that gets the focus from the page's first script on, as `tag.class`.
    await page.addInitScript(() => {
      const focused: string[] = [];
      (window as unknown as { focused: string[] }).focused = focused;
      document.addEventListener('focusin', (event) => {
        const el = event.target as Element;
        focused.push(`${el.tagName.toLowerCase()}.${el.getAttribute('class') ?? ''}`);
      });
    });
  });

  afterAll(async () => {
    await widget?.close();
    await model?.close();
  });

  const focusedSoFar = () => page.evaluate(() => (window as unknown as { focused: string[] }).focused);
  const launcher = () => page.locator('.dc-launcher');

  /**
   * Opens `path` with the widget's script held back (not interactive), runs `before` there, then
   * lets the script come and waits until the widget is interactive and its panel shows the tab's
   * chat restored, with its question box, and two frames more (the panel's own focus moves are
   * made in a frame).
   */
  async function openPageWithWidgetHeld(path: string, before: () => Promise<void>): Promise<void> {
    let release!: () => void;
    const held = new Promise<void>((resolve) => (release = resolve));
    const hold = async (route: Route) => {
      await held;
      await route.continue();
    };
    await page.route(WIDGET_SCRIPT, hold);
    try {
      await page.goto(`${widget!.url}${path}`, { waitUntil: 'domcontentloaded' });
      expect(await page.evaluate(() => document.documentElement.getAttribute('data-docent-widget'))).toBeNull();
      await before();
      release();
      await page.locator('html[data-docent-widget="ready"]').waitFor({ state: 'attached' });
      await panel(page).getByRole('textbox', { name: 'Your question' }).waitFor();
      await expect.poll(() => panel(page).locator('.dc-msg-user').count()).toBe(1);
      await page.evaluate(() => new Promise((painted) => requestAnimationFrame(() => requestAnimationFrame(painted))));
    } finally {
      await page.unroute(WIDGET_SCRIPT, hold);
    }
  }

  it('keeps a selection the reader made before the widget was interactive, and says the chat is expanded', async () => {
    // The tab's chat, open: the next pages restore it.
    await openChatPanel(page, widget!.url);
    await acceptEveryScore(page);
    await askAndWaitForAnswer(page, 'Where are ferry tickets sold?');
    let selected = '';
    await openPageWithWidgetHeld('/guide/quick-start/', async () => {
      selected = await page.evaluate(() => {
        const paragraph = [...document.querySelectorAll('.prose p')].find((p) => p.textContent?.includes('The first example'))!;
        const range = document.createRange();
        range.selectNodeContents(paragraph);
        getSelection()!.removeAllRanges();
        getSelection()!.addRange(range);
        return getSelection()!.toString();
      });
      expect(selected).toContain('The first example answers');
    });
    expect(await page.evaluate(() => getSelection()?.toString())).toBe(selected);
    expect(await page.evaluate(() => document.activeElement === document.body)).toBe(true);
    // Nothing of the widget had the focus, even for a moment.
    expect(await focusedSoFar()).toEqual([]);
    // A screen reader finds the open chat from the launcher.
    expect(await launcher().getAttribute('aria-expanded')).toBe('true');
    expect(errors).toEqual([]);
  });

  it('keeps the focus on a Copy button pressed before the widget was interactive', async () => {
    const copy = page.locator('.prose .code-wrap').first().getByRole('button', { name: 'Copy code' });
    await openPageWithWidgetHeld('/guide/quick-start/', async () => {
      await copy.click();
      await expect.poll(() => page.locator('.prose .code-wrap').first().getByRole('status').textContent()).toBe('Copied');
    });
    expect(await copy.evaluate((el) => el === document.activeElement)).toBe(true);
    expect(await page.evaluate(() => navigator.clipboard.readText())).toBe('npm install acme');
    expect((await focusedSoFar()).filter((el) => el.includes('dc-'))).toEqual([]);
    expect(errors).toEqual([]);
  });

  it('moves the focus into the panel for an open the reader asks for, also before the widget was interactive', async () => {
    // The header's button, pressed while the restored panel is not shown yet.
    await openPageWithWidgetHeld('/guide/configuration/', async () => {
      await page.locator('[data-docent-open]').click();
    });
    const box = panel(page).getByRole('textbox', { name: 'Your question' });
    await expect.poll(() => box.evaluate((el) => el === document.activeElement)).toBe(true);

    // Restored without the focus, then closed and opened again from the launcher.
    await openPageWithWidgetHeld('/guide/quick-start/', async () => {});
    expect(await page.evaluate(() => document.activeElement === document.body)).toBe(true);
    await launcher().click();
    await panel(page).waitFor({ state: 'hidden' });
    await launcher().click();
    await expect.poll(() => box.evaluate((el) => el === document.activeElement)).toBe(true);
    expect(errors).toEqual([]);
  });

  it('restores the standalone widget’s panel on the host site’s next page without taking the focus; its launcher gives it', async () => {
    const host = await context.newPage();
    const hostErrors = collectPageErrors(host);
    await host.goto(`${widget!.url}${EMBEDDING_PAGE}`);
    await host.locator('docent-widget .dc-launcher').click();
    const box = panel(host).getByRole('textbox', { name: 'Your question' });
    await expect.poll(() => box.evaluate((el) => (el.getRootNode() as ShadowRoot).activeElement === el)).toBe(true);

    // The host site's next page: the reader selects text before the chat script has come.
    let release!: () => void;
    const held = new Promise<void>((resolve) => (release = resolve));
    await host.route('**/_astro/docent-chat.*.js', async (route) => {
      await held;
      await route.continue();
    });
    await host.reload({ waitUntil: 'domcontentloaded' });
    const selected = await host.evaluate(() => {
      getSelection()!.selectAllChildren(document.getElementById('text')!);
      return getSelection()!.toString();
    });
    release();
    await box.waitFor();
    await host.evaluate(() => new Promise((painted) => requestAnimationFrame(() => requestAnimationFrame(painted))));
    expect(await host.evaluate(() => getSelection()?.toString())).toBe(selected);
    expect(await host.evaluate(() => document.activeElement === document.body && !document.getElementById('docent-widget')!.shadowRoot!.activeElement)).toBe(true);
    expect(await host.locator('docent-widget .dc-launcher').getAttribute('aria-expanded')).toBe('true');
    // Closed and opened again from its launcher: the focus goes in.
    await host.locator('docent-widget .dc-launcher').click();
    await panel(host).waitFor({ state: 'hidden' });
    await host.locator('docent-widget .dc-launcher').click();
    await expect.poll(() => box.evaluate((el) => (el.getRootNode() as ShadowRoot).activeElement === el)).toBe(true);
    expect(hostErrors).toEqual([]);
    await host.close();
  });
});
