/**
 * Closing the chat panel and opening it again on the same page, in a real browser (Debian chromium
 * via playwright-core) against the real Docent app (`createApp`, embedded PGlite) with a local
 * chat-completions server (test/helpers/openai-stub.ts): the chat is hidden, not ended. What the
 * reader was typing is still in the box, and an answer still being written goes on being written
 * in the panel (not reloaded from the server as one written "in another tab or window").
 */
import type { BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { collectPageErrors, hasChromium } from './helpers/browser';
import { createHashingEmbedder } from './helpers/embedder';
import { startWidgetApp, startWidgetModel, TICKETS_ANSWER, type WidgetApp, type WidgetModel } from './helpers/widget-app';
import { acceptEveryScore, askQuestion, chatPanel as panel, openChatPanel, storedLatestChat } from './helpers/widget-page';

describe.skipIf(!hasChromium && !process.env.CI)('the chat panel closed and opened again', () => {
  let model: WidgetModel;
  let widget: WidgetApp | undefined;
  let context: BrowserContext;
  let page: Page;
  let errors: string[];

  beforeAll(async () => {
    model = await startWidgetModel();
    widget = await startWidgetApp({ embedder: createHashingEmbedder(), env: model.env });
    context = await widget.browser.newContext({ viewport: { width: 1280, height: 860 }, reducedMotion: 'reduce' });
    page = await context.newPage();
    errors = collectPageErrors(page);
  });

  afterAll(async () => {
    await widget?.close();
    await model?.close();
  });

  const box = () => panel(page).getByRole('textbox', { name: 'Your question' });
  const launcher = () => page.locator('.dc-launcher');
  const focusedIn = (locator: ReturnType<typeof box>) => locator.evaluate((el) => el.contains(document.activeElement));
  /** Closes the panel with Esc and opens it again from the launcher (which Esc gave the focus to) with Enter. */
  async function closeAndReopen() {
    await page.keyboard.press('Escape');
    await panel(page).waitFor({ state: 'hidden' });
    await expect.poll(() => launcher().evaluate((el) => el === document.activeElement)).toBe(true);
    await page.keyboard.press('Enter');
    await panel(page).waitFor();
  }

  it('keeps the question being typed', async () => {
    await openChatPanel(page, widget!.url);
    await acceptEveryScore(page);
    await expect.poll(() => focusedIn(box())).toBe(true);
    await page.keyboard.type('Where are ferry tickets');
    await closeAndReopen();
    await expect.poll(() => focusedIn(box())).toBe(true);
    expect(await box().inputValue()).toBe('Where are ferry tickets');
    await page.keyboard.type(' sold?');
    await page.keyboard.press('Enter');
    await panel(page).locator('.dc-feedback').waitFor({ timeout: 15_000 });
    expect(errors).toEqual([]);
  });

  it('goes on writing an answer that was being written when it was closed', async () => {
    const words = TICKETS_ANSWER.split(/(?<= )/);
    const rated = panel(page).locator('.dc-feedback');
    const before = await rated.count();
    model.answerNext({ text: words, chunkDelayMs: 250 });
    await askQuestion(page, 'Can I buy a ticket on board?');
    await panel(page).locator('.dc-caret').waitFor();
    // Every note the panel shows from now on, however briefly.
    await page.evaluate(() => {
      const notes: string[] = [];
      (window as unknown as { notesShown: string[] }).notesShown = notes;
      new MutationObserver(() => {
        for (const note of document.querySelectorAll('.dc-panel .dc-note')) if (!notes.includes(note.textContent ?? '')) notes.push(note.textContent ?? '');
      }).observe(document, { childList: true, subtree: true, characterData: true });
    });
    await closeAndReopen();
    await expect.poll(() => rated.count(), { timeout: 15_000 }).toBe(before + 1);
    expect(await panel(page).locator('.dc-msg-assistant .dc-answer').last().textContent()).toContain('pier kiosk');
    // Written here, and seen being written: never said to come from another tab or window.
    expect(await page.evaluate(() => (window as unknown as { notesShown: string[] }).notesShown)).toEqual([]);
    expect(await panel(page).getByRole('status').filter({ hasText: 'Answer ready' }).count()).toBe(1);
    expect((await storedLatestChat(page)).at(-1)?.status).toBe('complete');
    expect(errors).toEqual([]);
  });

  it('closed on the history, takes the focus into the panel when opened again, and Space does not close it', async () => {
    await panel(page).getByRole('button', { name: 'Chat history' }).click();
    await panel(page).getByRole('list', { name: 'Earlier chats' }).waitFor();
    await closeAndReopen();
    await expect.poll(() => focusedIn(panel(page))).toBe(true);
    await page.keyboard.press('Space');
    await page.evaluate(() => new Promise((painted) => requestAnimationFrame(() => requestAnimationFrame(painted))));
    expect(await panel(page).isVisible()).toBe(true);
    expect(await launcher().getAttribute('aria-expanded')).toBe('true');
    expect(errors).toEqual([]);
  });
});
