/**
 * Inline code in list items on a phone (360 px), in a real browser (Debian chromium via
 * playwright-core) against the real Docent app with a local chat-completions server: a name such
 * as `createMiddleware` that fits on a line is never split across two, in a chat answer and on a
 * docs page; only a name longer than the line is wide wraps, rather than widening the page.
 */
import type { Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { collectPageErrors, hasChromium, screenshot } from './helpers/browser';
import { createHashingEmbedder } from './helpers/embedder';
import { startWidgetApp, startWidgetModel, type WidgetApp, type WidgetModel } from './helpers/widget-app';
import { acceptEveryScore, askAndWaitForAnswer, chatPanel as panel, openChatPanel } from './helpers/widget-page';

/** Names that fit a phone's line, at every place of a sentence, and one much longer than a line. */
const FITTING = ['createMiddleware', 'useRetrievalSettingsDraft', 'DOCENT_DATABASE_URL', 'app.onError()', 'c.req.valid("json")'];
const TOO_LONG = 'docent_database_url_fallback_when_no_connection_string_is_given_at_all';

/** List items putting each name at a different place of its lines. */
const LIST = [
  'Middleware is written in three steps [1]:',
  '',
  `- Wrap the handler with ${FITTING.map((name) => `\`${name}\``).join(', then with ')}, in this order.`,
  `- Call \`createMiddleware\` from \`hono/factory\` so that the handler's types follow: \`createMiddleware\` takes one function.`,
  `1. A set ${'long '.repeat(6)}\`useRetrievalSettingsDraft\` and \`DOCENT_DATABASE_URL\` keep their names whole.`,
  `2. The variable \`${TOO_LONG}\` is longer than a line.`,
  '',
  '- [ ] A task: call `createMiddleware` and [`createMiddleware()`](https://hono.dev/docs/helpers/factory) from a link.',
  '- `createMiddleware`: at the start of an item, **with `createMiddleware` in bold** and _`createMiddleware`_ in italics.',
  '  - nested: `createMiddleware`\'s types, (`createMiddleware`), `createMiddleware`/`createFactory`/`createHandlers`, "`createMiddleware`".',
  '',
  '- A loose list, its items are paragraphs: `createMiddleware` and `createMiddleware`.',
  '',
  '  With a second paragraph about `useRetrievalSettingsDraft`.',
].join('\n');

interface CodeLayout {
  name: string;
  /** How many lines the name is on. */
  lines: number;
  /** Whether the name, unbroken, is narrower than its list item's lines. */
  fits: boolean;
}

/** Each inline code element of the list items in `scope`: on how many lines, and whether it fits one. */
function inlineCodeLayout(scope: Locator): Promise<CodeLayout[]> {
  return scope.evaluate((root) =>
    [...root.querySelectorAll('li code')].map((code) => {
      const range = document.createRange();
      range.selectNodeContents(code);
      const lines = new Set([...range.getClientRects()].map((r) => Math.round(r.top))).size;
      // Its width on one line: a copy that may not wrap, beside it.
      const probe = code.cloneNode(true) as HTMLElement;
      probe.style.cssText = 'position: absolute; visibility: hidden; white-space: nowrap';
      code.parentElement!.append(probe);
      const width = probe.getBoundingClientRect().width;
      probe.remove();
      const li = code.closest('li')!;
      const style = getComputedStyle(li);
      const lineWidth = li.clientWidth - parseFloat(style.paddingLeft) - parseFloat(style.paddingRight);
      return { name: code.textContent ?? '', lines, fits: width <= lineWidth };
    }),
  );
}

/** Every name that fits a line is on one; the one that does not wraps, and nothing widens the page. */
async function expectNamesWhole(page: Page, scope: Locator): Promise<void> {
  const layout = await inlineCodeLayout(scope);
  expect(layout.filter((c) => c.fits && c.lines > 1)).toEqual([]);
  expect(layout.filter((c) => c.fits).length).toBeGreaterThanOrEqual(FITTING.length + 4);
  expect(layout.find((c) => c.name === TOO_LONG)).toMatchObject({ fits: false });
  expect(layout.find((c) => c.name === TOO_LONG)!.lines).toBeGreaterThan(1);
  expect(await page.evaluate(() => document.documentElement.scrollWidth > window.innerWidth)).toBe(false);
  expect(await scope.evaluate((el) => el.scrollWidth > el.clientWidth + 1)).toBe(false);
}

describe.skipIf(!hasChromium && !process.env.CI)('inline code in list items on a phone', () => {
  let model: WidgetModel;
  let widget: WidgetApp | undefined;
  let page: Page;
  let errors: string[];

  beforeAll(async () => {
    model = await startWidgetModel();
    widget = await startWidgetApp({ embedder: createHashingEmbedder(), env: model.env });
    const context = await widget.browser.newContext({ viewport: { width: 360, height: 740 }, reducedMotion: 'reduce', isMobile: true, hasTouch: true });
    context.setDefaultTimeout(10_000);
    page = await context.newPage();
    errors = collectPageErrors(page);
    await openChatPanel(page, widget.url);
    await acceptEveryScore(page);
  });

  afterAll(async () => {
    await widget?.close();
    await model?.close();
  });

  it('keeps names whole in a chat answer’s list items, and wraps only a name longer than the line', async () => {
    model.answerNext({ text: LIST });
    await askAndWaitForAnswer(page, 'How do I write middleware?');
    const answer = panel(page).locator('.dc-answer').last();
    await answer.locator('ul').last().scrollIntoViewIfNeeded();
    await screenshot(page, 'widget-inline-code-phone');
    await expectNamesWhole(page, answer);
    expect(errors).toEqual([]);
  });

  it('keeps names whole in a docs page’s list items, and wraps only a name longer than the line', async () => {
    // The answer's lists, put in a docs page's article: the markdown of both renders to the same HTML.
    const html = await listHtml(page);
    await page.evaluate(() => sessionStorage.setItem('docent-widget-open', '0'));
    await page.goto(`${widget!.url}/guide/quick-start/`);
    const article = page.locator('article.prose');
    await article.evaluate((el, lists) => el.insertAdjacentHTML('beforeend', lists), html);
    await article.locator('ul').last().scrollIntoViewIfNeeded();
    await screenshot(page, 'docs-inline-code-phone');
    await expectNamesWhole(page, article);
    expect(errors).toEqual([]);
  });
});

/** {@link LIST} as HTML, from the answer the chat rendered (its markdown renderer's lists are the site's). */
function listHtml(page: Page): Promise<string> {
  return panel(page)
    .locator('.dc-answer')
    .last()
    .evaluate((answer) => [...answer.querySelectorAll('ul, ol')].map((list) => list.outerHTML.replace(/ class="[^"]*"/g, '')).join(''));
}
