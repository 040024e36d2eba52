/**
 * The widget's status messages, in a real browser (Debian chromium via playwright-core) against
 * the real Docent app with a local chat-completions server (test/helpers/openai-stub.ts): what is
 * said while an answer is on its way ("Searching the docs…", "Found 1 source, writing…") and
 * while a view loads is said in live regions that are in the page, empty, before their words
 * (site/src/chat/live-status.tsx): several screen readers say nothing of a region inserted
 * already filled. Headless Chromium has no screen reader: the test watches the DOM.
 */
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { collectPageErrors, hasChromium } from './helpers/browser';
import { createHashingEmbedder } from './helpers/embedder';
import { liveRegions, recordLiveRegions } from './helpers/live-regions';
import { startWidgetApp, startWidgetModel, type WidgetApp, type WidgetModel } from './helpers/widget-app';
import { acceptEveryScore, askAndWaitForAnswer, chatPanel as panel, openChatPanel } from './helpers/widget-page';

describe.skipIf(!hasChromium && !process.env.CI)('the widget’s status messages', () => {
  let model: WidgetModel;
  let widget: WidgetApp | undefined;
  let page: Page;
  let errors: string[];

  beforeAll(async () => {
    model = await startWidgetModel();
    // A question's search takes half a second, as the local model's can: "Searching the docs…"
    // comes after the region's lead time (live-status.tsx), as it does for a reader.
    const embedder = createHashingEmbedder();
    const embedQuery = embedder.embedQuery.bind(embedder);
    embedder.embedQuery = async (text, options) => {
      await new Promise((resolve) => setTimeout(resolve, 500));
      return embedQuery(text, options);
    };
    widget = await startWidgetApp({ embedder, env: model.env });
    const context = await widget.browser.newContext({ viewport: { width: 360, height: 740 }, reducedMotion: 'reduce', isMobile: true, hasTouch: true });
    page = await context.newPage();
    errors = collectPageErrors(page);
    await recordLiveRegions(page);
    await openChatPanel(page, widget.url);
    await acceptEveryScore(page);
  });

  afterAll(async () => {
    await widget?.close();
    await model?.close();
  });

  it('inserts each status region empty, then says "Searching the docs…" and "Found 1 source, writing…" in it', async () => {
    // Slow chunks: the answer's sources come before its first words.
    model.answerNext({ text: ['Ferry tickets are sold', ' at the pier kiosk [1].'], chunkDelayMs: 600 });
    await askAndWaitForAnswer(page, 'Where are ferry tickets sold?');
    // The views that load say so too.
    await panel(page).getByRole('button', { name: 'Chat history' }).click();
    await panel(page).getByRole('button', { name: 'Back to chat' }).first().click();
    await panel(page).getByRole('button', { name: 'Retrieval settings' }).click();
    await panel(page).getByRole('form', { name: 'Retrieval settings' }).waitFor();
    await panel(page).getByRole('button', { name: 'Back to chat' }).first().click();

    const records = await liveRegions(page);
    expect(records.filter((r) => r.inserted !== '')).toEqual([]);
    const said = records.flatMap((r) => r.said);
    expect(said).toContain('Searching the docs…');
    expect(said).toContain('Found 1 source, writing…');
    expect(said.some((text) => text.startsWith('Answer ready'))).toBe(true);
    expect(errors).toEqual([]);
  });

});
