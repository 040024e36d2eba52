/**
 * Two tabs on one chat, in a real browser (Debian chromium via playwright-core) against the real
 * Docent app (`createApp`, embedded PGlite, extractive answers): after tab B deletes the chat, tab
 * A's next question is not answered in a new chat that A would show under the deleted turns. The
 * server refuses it (`chat_not_found`); the widget starts a new chat, says why, and keeps the
 * question in the box, ready to send.
 */
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CHAT_DELETED_NOTICE, CHAT_GONE_NOTICE } from '../site/src/chat/ChatApp';
import { collectPageErrors, hasChromium, screenshot } from './helpers/browser';
import { createHashingEmbedder } from './helpers/embedder';
import { startWidgetApp, type WidgetApp } from './helpers/widget-app';
import { acceptEveryScore, askAndWaitForAnswer, chatPanel as panel, countAnnouncementsHeard, deleteChatFromHistory, openChatPanel, setTabVisible, storedChatCount } from './helpers/widget-page';

describe.skipIf(!hasChromium && !process.env.CI)('the chat widget when its chat was deleted in another tab', () => {
  const embedder = createHashingEmbedder();
  let widget: WidgetApp | undefined;
  let url: string;
  let browser: Browser;
  let context: BrowserContext;

  beforeAll(async () => {
    widget = await startWidgetApp({ embedder });
    url = widget.url;
    browser = widget.browser;
    context = await browser.newContext({ viewport: { width: 1280, height: 860 }, reducedMotion: 'reduce' });
  });

  afterAll(async () => {
    await widget?.close();
  });

  const openPanel = (page: Page) => openChatPanel(page, url);

  it('tab A’s next question starts a new chat, says so, and keeps the question ready to send', async () => {
    const tabA = await context.newPage();
    const errors = collectPageErrors(tabA);
    const announcementsToA = await countAnnouncementsHeard(tabA);
    await openPanel(tabA);
    await acceptEveryScore(tabA);
    await askAndWaitForAnswer(tabA, 'Where are ferry tickets sold?');

    // Tab B (same reader) deletes the chat from its history, while tab A does not hear of it: A is
    // in the background then (a visible tab reloads at once: the second test), and the reader
    // comes back to it without the browser saying so (or asks before the news arrives).
    await setTabVisible(tabA, false, { event: false });
    const heardBefore = await announcementsToA.heard();
    const tabB = await context.newPage();
    await openPanel(tabB);
    await deleteChatFromHistory(tabB, 'Where are ferry tickets sold?');
    await expect.poll(() => storedChatCount(tabB), { timeout: 10_000 }).toBe(0);
    // B's announcement reaches A a while after the deletion: while A is still hidden.
    await announcementsToA.waitForMore(heardBefore);

    await setTabVisible(tabA, true, { event: false });
    const box = panel(tabA).getByRole('textbox', { name: 'Your question' });
    await box.fill('Can I buy one on board?');
    await box.press('Enter');
    await expect.poll(() => panel(tabA).getByRole('alert').filter({ hasText: CHAT_GONE_NOTICE }).count(), { timeout: 15_000 }).toBe(1);
    await screenshot(tabA, 'widget-chat-deleted-elsewhere');
    // The deleted turns are gone from A; the question waits in the box of the new chat.
    expect(await panel(tabA).locator('.dc-msg-user').count()).toBe(0);
    expect(await box.inputValue()).toBe('Can I buy one on board?');

    await askAndWaitForAnswer(tabA, 'Can I buy one on board?');
    expect(await panel(tabA).getByRole('alert').count()).toBe(0);
    const chats = await tabA.evaluate(async () => ((await (await fetch('/api/chats')).json()) as { chats: { title: string; messageCount: number }[] }).chats);
    expect(chats).toEqual([expect.objectContaining({ title: 'Can I buy one on board?', messageCount: 2 })]);
    expect(errors.filter((e) => !/Failed to load resource/.test(e))).toEqual([]);
  });

  it('a tab the reader can see hears of the deletion at once: a new chat, said so, what was typed kept', async () => {
    const tabA = await context.newPage();
    const errors = collectPageErrors(tabA);
    await openPanel(tabA);
    await askAndWaitForAnswer(tabA, 'Is there a surcharge on board?');
    const boxA = panel(tabA).getByRole('textbox', { name: 'Your question' });
    await boxA.fill('And for bicycles?');

    const tabB = await context.newPage();
    await openPanel(tabB);
    await deleteChatFromHistory(tabB, 'Is there a surcharge on board?');

    // No question asked, no focus: B's deletion reaches A (both visible, as windows side by side).
    await expect.poll(() => panel(tabA).getByRole('alert').filter({ hasText: CHAT_DELETED_NOTICE }).count(), { timeout: 10_000 }).toBe(1);
    expect(await panel(tabA).locator('.dc-msg').count()).toBe(0);
    expect(await boxA.inputValue()).toBe('And for bicycles?');
    expect(errors.filter((e) => !/Failed to load resource/.test(e))).toEqual([]);
  });
});
