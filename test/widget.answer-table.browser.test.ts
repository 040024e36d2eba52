/**
 * A wide table in an answer, in a real browser (Debian chromium via playwright-core) against the
 * real Docent app with a local chat-completions server (test/helpers/openai-stub.ts): a table of
 * API names on a phone (360 px) scrolls sideways in its own box, which the keyboard reaches and a
 * screen reader names, with each name whole and each column a readable width, while the answer
 * keeps the panel's width; on a desktop's full-page chat the same table fits, names whole.
 */
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { collectPageErrors, hasChromium, screenshot } from './helpers/browser';
import { createHashingEmbedder } from './helpers/embedder';
import { startWidgetApp, startWidgetModel, type WidgetApp, type WidgetModel } from './helpers/widget-app';
import { acceptEveryScore, askAndWaitForAnswer, chatPanel as panel, openChatPanel } from './helpers/widget-page';

/** An answer with a table of API names wider than a phone, citing the seeded section. */
const TABLE_ANSWER = [
  'The client has these parts [1]:',
  '',
  '| API | What it does |',
  '| --- | --- |',
  '| `createDocentApi` | Creates the client the widget uses to talk to the Docent server, at the base URL it is given. |',
  '| `DOCENT_DATABASE_URL_FALLBACK` | The connection string used when none is given. |',
  '| `useRetrievalSettingsDraft` | Keeps the settings a reader changed until they are saved. |',
  '',
  'Tickets themselves are sold at the pier kiosk [1].',
].join('\n');

/** An answer with a line of code much wider than a phone. */
const CODE_ANSWER = [
  'Start it so [1]:',
  '',
  '```ts',
  "const server = createDocentServer({ database: openDatabase(process.env.DATABASE_URL), embedder: createEmbedder({ model: 'use-lite' }) });",
  '```',
].join('\n');

describe.skipIf(!hasChromium && !process.env.CI)('a wide table in an answer', () => {
  let model: WidgetModel;
  let widget: WidgetApp | undefined;
  let page: Page;
  let errors: string[];

  beforeAll(async () => {
    model = await startWidgetModel();
    widget = await startWidgetApp({ embedder: createHashingEmbedder(), env: model.env });
    const context = await widget.browser.newContext({ viewport: { width: 360, height: 740 }, reducedMotion: 'reduce', isMobile: true, hasTouch: true });
    page = await context.newPage();
    errors = collectPageErrors(page);
    await openChatPanel(page, widget.url);
    await acceptEveryScore(page);
  });

  afterAll(async () => {
    await widget?.close();
    await model?.close();
  });

  it('scrolls a wide table of API names sideways in its own named, focusable box on a phone', async () => {
    model.answerNext({ text: TABLE_ANSWER });
    await askAndWaitForAnswer(page, 'Which parts does the client have?');
    const answer = panel(page).locator('.dc-answer').last();
    const box = answer.getByRole('region', { name: 'Table: API, What it does' });
    await box.waitFor();
    await screenshot(page, 'widget-answer-table-phone');

    const layout = await box.evaluate((el) => {
      const answerEl = el.closest('.dc-answer')!;
      const names = [...el.querySelectorAll('td code')].map((code) => {
        const range = document.createRange();
        range.selectNodeContents(code);
        return { name: code.textContent, lines: new Set([...range.getClientRects()].map((r) => Math.round(r.top))).size };
      });
      const prose = [...el.querySelectorAll('tbody tr td:nth-child(2)')].map((td) => td.getBoundingClientRect().width);
      return {
        names,
        proseWidth: Math.min(...prose),
        scrolls: el.scrollWidth > el.clientWidth,
        boxWidth: el.getBoundingClientRect().width,
        answerWidth: answerEl.getBoundingClientRect().width,
        answerOverflows: answerEl.scrollWidth > answerEl.clientWidth + 1,
        pageOverflows: document.documentElement.scrollWidth > window.innerWidth,
        tabIndex: (el as HTMLElement).tabIndex,
      };
    });
    // Every API name on one line, whole.
    expect(layout.names).toEqual([
      { name: 'createDocentApi', lines: 1 },
      { name: 'DOCENT_DATABASE_URL_FALLBACK', lines: 1 },
      { name: 'useRetrievalSettingsDraft', lines: 1 },
    ]);
    // The descriptions read as lines of words, not a word a line (8rem at least).
    expect(layout.proseWidth).toBeGreaterThanOrEqual(120);
    // The table scrolls inside its box, which is no wider than the answer; nothing else does.
    expect(layout.scrolls).toBe(true);
    expect(layout.boxWidth).toBeLessThanOrEqual(layout.answerWidth + 1);
    expect(layout.answerOverflows).toBe(false);
    expect(layout.pageOverflows).toBe(false);
    expect(layout.tabIndex).toBe(0);

    // The keyboard reaches the box and scrolls it.
    await box.focus();
    await page.keyboard.press('ArrowRight');
    await page.keyboard.press('ArrowRight');
    await expect.poll(() => box.evaluate((el) => el.scrollLeft)).toBeGreaterThan(0);
    expect(errors).toEqual([]);
  });

  it('scrolls a long line of code sideways in its own named box the keyboard reaches, on a phone', async () => {
    model.answerNext({ text: CODE_ANSWER });
    await askAndWaitForAnswer(page, 'How do I start the server?');
    const code = panel(page).getByRole('region', { name: 'Code: ts' });
    await code.waitFor();
    // Focusable in every browser (Chromium alone makes a scrolling box focusable by itself).
    expect(await code.getAttribute('tabindex')).toBe('0');
    const layout = await code.evaluate((el) => ({ scrolls: el.scrollWidth > el.clientWidth, pageScrolls: document.documentElement.scrollWidth > window.innerWidth }));
    expect(layout).toEqual({ scrolls: true, pageScrolls: false });
    await code.focus();
    await page.keyboard.press('ArrowRight');
    await expect.poll(() => code.evaluate((el) => el.scrollLeft)).toBeGreaterThan(0);
    expect(errors).toEqual([]);
  });

  it('shows the same table whole on a desktop’s full-page chat', async () => {
    await page.setViewportSize({ width: 1280, height: 860 });
    await page.goto(`${widget!.url}/chat/`);
    const box = page.getByRole('region', { name: 'Table: API, What it does' });
    await box.waitFor();
    await screenshot(page, 'widget-answer-table-desktop');
    const layout = await box.evaluate((el) => ({
      scrolls: el.scrollWidth > el.clientWidth,
      lines: [...el.querySelectorAll('td code')].map((code) => {
        const range = document.createRange();
        range.selectNodeContents(code);
        return new Set([...range.getClientRects()].map((r) => Math.round(r.top))).size;
      }),
    }));
    expect(layout).toEqual({ scrolls: false, lines: [1, 1, 1] });
    expect(errors).toEqual([]);
  });
});
