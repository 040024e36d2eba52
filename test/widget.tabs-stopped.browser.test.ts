/**
 * An answer stopped in one window, seen from a second window beside it (both visible), in a real
 * browser (Debian chromium via playwright-core) against the real Docent app (`createApp`, embedded
 * PGlite) with a local chat-completions server (test/helpers/openai-stub.ts) that writes slowly.
 *
 * The window that stops tells the other at once (`announceChatChange`), but the server records
 * the stop only once it notices the closed connection: a busy server or a proxy can take a while.
 * The other window, which reloaded in between, shows the answer as still being written; it must
 * not stay so until it next gets the focus. Here the server is told of the closed connection only
 * when the test lets it (the `serve` hook), so that the other window reloads in between.
 */
import type { BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { collectPageErrors, hasChromium, screenshot } from './helpers/browser';
import { createHashingEmbedder } from './helpers/embedder';
import { startWidgetApp, startWidgetModel, type WidgetApp, type WidgetModel } from './helpers/widget-app';
import { acceptEveryScore, askQuestion as ask, chatPanel as panel, openChatPanel, shownQuestions as questions, storedLatestChat } from './helpers/widget-page';

describe.skipIf(!hasChromium && !process.env.CI)('an answer stopped in one window, seen in another beside it', () => {
  const embedder = createHashingEmbedder();
  /**
   * When set, the next `/api/chat` request's closed connection reaches the server only once this
   * settles (as on a busy server, or behind a proxy that keeps its side open a while).
   */
  let delayStopNotice: Promise<void> | undefined;
  let model: WidgetModel;
  let widget: WidgetApp | undefined;
  let context: BrowserContext;
  let tabA: Page;
  let tabB: Page;
  let errors: string[];

  beforeAll(async () => {
    model = await startWidgetModel();
    widget = await startWidgetApp({
      embedder,
      env: model.env,
      serve: async (request, appFetch) => {
        const noticed = delayStopNotice;
        if (new URL(request.url).pathname !== '/api/chat' || !noticed) return appFetch(request);
        delayStopNotice = undefined;
        // The app gets a signal of its own, aborted (and its stream cancelled) only once `noticed` settles.
        const toApp = new AbortController();
        const body = await request.text();
        const response = await appFetch(new Request(request, { body, signal: toApp.signal }));
        const reader = response.body!.getReader();
        void noticed.then(() => {
          toApp.abort();
          void reader.cancel().catch(() => {});
        });
        const passed = new ReadableStream<Uint8Array>({
          async pull(controller) {
            const next = await reader.read().catch(() => ({ done: true as const, value: undefined }));
            if (next.done) controller.close();
            else controller.enqueue(next.value);
          },
          // The reader went away: the app is not told until `noticed`.
          cancel: () => {},
        });
        return new Response(passed, { status: response.status, headers: response.headers });
      },
    });
    context = await widget.browser.newContext({ viewport: { width: 1280, height: 860 }, reducedMotion: 'reduce' });
  });

  afterAll(async () => {
    await widget?.close();
    await model?.close();
  });

  const lastAnswer = (page: Page) => panel(page).locator('.dc-msg-assistant').last();
  const notesOfLastAnswer = (page: Page) => lastAnswer(page).locator('.dc-note').allTextContents();
  const BEING_WRITTEN = 'This answer was still being written, in another tab or window, when the chat was loaded.';

  it('the other window shows the stopped answer as stopped once the server has recorded it, without the focus', async () => {
    tabA = await context.newPage();
    errors = collectPageErrors(tabA);
    await openChatPanel(tabA, widget!.url);
    await acceptEveryScore(tabA);
    await ask(tabA, 'Where are ferry tickets sold?');
    await lastAnswer(tabA).locator('.dc-feedback').waitFor({ timeout: 15_000 });

    // Window B, beside A, opens the same chat.
    tabB = await context.newPage();
    errors.push(...collectPageErrors(tabB));
    await openChatPanel(tabB, widget!.url);
    await panel(tabB).getByRole('button', { name: 'Chat history' }).click();
    await panel(tabB).getByRole('button', { name: /^Where are ferry tickets sold\?/ }).click();
    await expect.poll(() => questions(tabB)).toEqual(['Where are ferry tickets sold?']);

    // A asks; the answer comes slowly; A's reader stops it part-way.
    let letServerNotice!: () => void;
    delayStopNotice = new Promise<void>((resolve) => (letServerNotice = resolve));
    model.answerNext({ text: Array.from({ length: 80 }, (_, i) => `word${i} `), chunkDelayMs: 100 });
    await ask(tabA, 'Tell me everything about ferry tickets.');
    await expect.poll(() => lastAnswer(tabA).locator('.dc-answer').textContent(), { timeout: 15_000 }).toContain('word3');
    await panel(tabA).getByRole('button', { name: 'Stop answering' }).click();
    await expect.poll(() => notesOfLastAnswer(tabA)).toEqual(['Stopped.']);

    // B heard of it at once, before the server knew: it shows the answer as still being written.
    await expect.poll(() => questions(tabB), { timeout: 10_000 }).toEqual(['Where are ferry tickets sold?', 'Tell me everything about ferry tickets.']);
    expect(await notesOfLastAnswer(tabB)).toEqual([BEING_WRITTEN]);

    // The server notices and records the stop. B, still without the focus, shows it.
    letServerNotice();
    await expect.poll(() => notesOfLastAnswer(tabB), { timeout: 10_000 }).toEqual(['Stopped.']);
    const stored = (await storedLatestChat(tabB)).at(-1)!;
    expect(stored).toMatchObject({ role: 'assistant', status: 'aborted' });
    // B shows the answer as stored (the server may have written a few words more than A saw), and offers Regenerate as A does.
    expect(await lastAnswer(tabB).locator('.dc-answer').textContent()).toBe(stored.content.trim());
    await panel(tabB).getByRole('button', { name: 'Regenerate' }).waitFor();
    await screenshot(tabB, 'widget-stopped-in-other-window');
    expect(errors.filter((e) => !/Failed to load resource/.test(e))).toEqual([]);
  });
});
