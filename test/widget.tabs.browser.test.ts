/**
 * One chat open in two tabs, in a real browser (Debian chromium via playwright-core) against the
 * real Docent app (`createApp`, embedded PGlite, extractive answers). A question asked in tab A is
 * part of the chat the model reads in tab B: when the reader comes back to tab B, B shows it too.
 * A chat deleted in A meanwhile starts a new chat in B, said so, keeping what B's reader typed.
 * Nothing is fetched while B is hidden.
 *
 * Headless Chromium reports every page as visible and focused, so a tab going away and coming
 * back is played in the page: `document.visibilityState` set, then its `visibilitychange` (or the
 * window's `focus`) dispatched, as the browser does when the reader switches tabs.
 */
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CHAT_DELETED_NOTICE } from '../site/src/chat/ChatApp';
import { collectPageErrors, hasChromium, screenshot } from './helpers/browser';
import { createHashingEmbedder } from './helpers/embedder';
import { startWidgetApp, type WidgetApp } from './helpers/widget-app';
import {
  acceptEveryScore,
  type AnnouncementsHeard,
  askAndWaitForAnswer,
  chatPanel as panel,
  countAnnouncementsHeard,
  deleteChatFromHistory,
  openChatPanel,
  setTabVisible,
  shownQuestions as questions,
  storedChatCount,
} from './helpers/widget-page';

describe.skipIf(!hasChromium && !process.env.CI)('the chat widget open in two tabs', () => {
  const embedder = createHashingEmbedder();
  let widget: WidgetApp | undefined;
  let url: string;
  let browser: Browser;
  let context: BrowserContext;
  let tabA: Page;
  let tabB: Page;
  /** The chat changes tab B has heard of from tab A. */
  let announcementsToB: AnnouncementsHeard;
  let errors: string[];
  /** Requests tab B made for a chat (`GET /api/chats/:id`), in order. */
  const chatRequestsOfB: string[] = [];

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

  it('a question asked in tab A is shown in tab B once the reader comes back to B, and nothing is fetched while B is hidden', async () => {
    tabA = await context.newPage();
    errors = collectPageErrors(tabA);
    await openPanel(tabA);
    await acceptEveryScore(tabA);
    await askAndWaitForAnswer(tabA, 'Where are ferry tickets sold?');

    // Tab B (same reader) opens the chat from its history.
    tabB = await context.newPage();
    errors.push(...collectPageErrors(tabB));
    announcementsToB = await countAnnouncementsHeard(tabB);
    tabB.on('request', (request) => {
      if (/\/api\/chats\/[^/?]+$/.test(new URL(request.url()).pathname)) chatRequestsOfB.push(request.url());
    });
    await openPanel(tabB);
    await panel(tabB).getByRole('button', { name: 'Chat history' }).click();
    await panel(tabB).getByRole('button', { name: /^Where are ferry tickets sold\?/ }).click();
    await expect.poll(() => questions(tabB)).toEqual(['Where are ferry tickets sold?']);

    // The reader goes back to tab A and asks a follow-up there.
    await setTabVisible(tabB, false);
    const requestsBefore = chatRequestsOfB.length;
    const heardBefore = await announcementsToB.heard();
    await askAndWaitForAnswer(tabA, 'Can I buy one on board?');
    // A's announcement reaches B a while after A's answer: B hears it while hidden, and fetches nothing.
    await announcementsToB.waitForMore(heardBefore);
    expect(chatRequestsOfB.length).toBe(requestsBefore);
    expect(await questions(tabB)).toEqual(['Where are ferry tickets sold?']);

    // Back in tab B: the follow-up and its answer are there, as the model will read them.
    await setTabVisible(tabB, true);
    await expect.poll(() => questions(tabB), { timeout: 10_000 }).toEqual(['Where are ferry tickets sold?', 'Can I buy one on board?']);
    expect(chatRequestsOfB.length).toBe(requestsBefore + 1);
    const answersA = await panel(tabA).locator('.dc-msg-assistant .dc-answer').allTextContents();
    await expect.poll(() => panel(tabB).locator('.dc-msg-assistant .dc-answer').allTextContents()).toEqual(answersA);
    // The answer loaded can be rated in B as in A.
    expect(await panel(tabB).locator('.dc-feedback').count()).toBe(2);
    await screenshot(tabB, 'widget-turn-from-other-tab');

    // Tab B continues the chat with both turns.
    await askAndWaitForAnswer(tabB, 'Is there a surcharge on board?');
    expect(await questions(tabB)).toEqual(['Where are ferry tickets sold?', 'Can I buy one on board?', 'Is there a surcharge on board?']);
    const chats = await tabB.evaluate(async () => ((await (await fetch('/api/chats')).json()) as { chats: { messageCount: number }[] }).chats);
    expect(chats).toEqual([expect.objectContaining({ messageCount: 6 })]);
  });

  it('a chat deleted in tab A meanwhile starts a new chat in tab B when the reader comes back, said so, keeping what B’s reader typed', async () => {
    const boxB = panel(tabB).getByRole('textbox', { name: 'Your question' });
    await boxB.fill('And for bicycles?');
    await setTabVisible(tabB, false);
    const heardBefore = await announcementsToB.heard();

    await tabA.bringToFront();
    await deleteChatFromHistory(tabA, 'Where are ferry tickets sold?');
    await expect.poll(() => storedChatCount(tabA), { timeout: 10_000 }).toBe(0);
    await announcementsToB.waitForMore(heardBefore);

    await tabB.bringToFront();
    await setTabVisible(tabB, true);
    await expect.poll(() => panel(tabB).getByRole('alert').filter({ hasText: CHAT_DELETED_NOTICE }).count(), { timeout: 10_000 }).toBe(1);
    expect(await panel(tabB).locator('.dc-msg').count()).toBe(0);
    expect(await boxB.inputValue()).toBe('And for bicycles?');
    await screenshot(tabB, 'widget-chat-deleted-in-other-tab');

    // Asked, the question starts a chat of its own.
    await askAndWaitForAnswer(tabB, 'And for bicycles?');
    expect(await questions(tabB)).toEqual(['And for bicycles?']);
    expect(await panel(tabB).getByRole('alert').count()).toBe(0);
    expect(errors.filter((e) => !/Failed to load resource/.test(e))).toEqual([]);
  });

  it('the window getting the focus back reloads the chat too; with nothing new, the tab keeps it as it is', async () => {
    const before = chatRequestsOfB.length;
    await tabB.evaluate(() => window.dispatchEvent(new Event('focus')));
    await expect.poll(() => chatRequestsOfB.length).toBe(before + 1);
    expect(await questions(tabB)).toEqual(['And for bicycles?']);
    expect(await panel(tabB).getByRole('textbox', { name: 'Your question' }).inputValue()).toBe('');
  });

  it('two windows side by side (both visible): an answer ended in one shows in the other at once, without the focus', async () => {
    // Tab A opens tab B's chat; both are visible, as two windows beside each other are.
    await setTabVisible(tabA, true);
    await panel(tabA).getByRole('button', { name: 'Chat history' }).click();
    await panel(tabA).getByRole('button', { name: /^And for bicycles\?/ }).click();
    await expect.poll(() => questions(tabA)).toEqual(['And for bicycles?']);
    await setTabVisible(tabB, true);

    await askAndWaitForAnswer(tabA, 'Is there a surcharge on board?');
    await expect.poll(() => questions(tabB), { timeout: 10_000 }).toEqual(['And for bicycles?', 'Is there a surcharge on board?']);
    const answersA = await panel(tabA).locator('.dc-msg-assistant .dc-answer').allTextContents();
    await expect.poll(() => panel(tabB).locator('.dc-msg-assistant .dc-answer').allTextContents()).toEqual(answersA);

    // A window of the reader's that is hidden meanwhile fetches nothing when the other announces.
    await setTabVisible(tabB, false);
    const before = chatRequestsOfB.length;
    const heardBefore = await announcementsToB.heard();
    await askAndWaitForAnswer(tabA, 'Are bicycles carried free?');
    await announcementsToB.waitForMore(heardBefore);
    expect(chatRequestsOfB.length).toBe(before);
    expect(errors.filter((e) => !/Failed to load resource/.test(e))).toEqual([]);
  });

  it('a rating given in one window shows in the other beside it at once, and a comment being written there stays', async () => {
    // Both windows visible, on the same chat (tab B was hidden when A asked its last question).
    await setTabVisible(tabB, true);
    await expect.poll(async () => questions(tabB), { timeout: 10_000 }).toEqual(await questions(tabA));
    const firstAnswer = (page: Page) => panel(page).locator('.dc-msg-assistant').first();
    const pressed = (page: Page, name: string) => firstAnswer(page).getByRole('button', { name, exact: true }).getAttribute('aria-pressed');
    const commentBox = (page: Page) => firstAnswer(page).getByRole('textbox', { name: 'Comment (optional)' });

    // Rated in A: thumbs up, 4 stars, a comment.
    await firstAnswer(tabA).getByRole('button', { name: 'Helpful (thumbs up)' }).click();
    await firstAnswer(tabA).getByRole('button', { name: 'Rate 4 out of 5' }).click();
    await commentBox(tabA).fill('Clear, thank you.');
    await firstAnswer(tabA).getByRole('button', { name: 'Save comment' }).click();
    await expect.poll(() => firstAnswer(tabA).getByRole('status').textContent()).toContain('Saved');
    // Shown in B without a focus or a reload of the page.
    await expect.poll(() => pressed(tabB, 'Helpful (thumbs up)'), { timeout: 10_000 }).toBe('true');
    await expect.poll(() => pressed(tabB, 'Rate 4 out of 5'), { timeout: 10_000 }).toBe('true');
    await expect.poll(() => commentBox(tabB).inputValue(), { timeout: 10_000 }).toBe('Clear, thank you.');
    expect(await pressed(tabB, 'Not helpful (thumbs down)')).toBe('false');

    // B's reader starts another comment; A changes the stars: B shows them and keeps the words being written.
    await commentBox(tabB).fill('Clear, but I would add the');
    await firstAnswer(tabA).getByRole('button', { name: 'Rate 2 out of 5' }).click();
    await expect.poll(() => pressed(tabB, 'Rate 2 out of 5'), { timeout: 10_000 }).toBe('true');
    expect(await commentBox(tabB).inputValue()).toBe('Clear, but I would add the');

    // Saved in B, shown in A; what the server keeps is what both show.
    await commentBox(tabB).fill('Clear, but I would add the prices.');
    await firstAnswer(tabB).getByRole('button', { name: 'Save comment' }).click();
    await expect.poll(() => commentBox(tabA).inputValue(), { timeout: 10_000 }).toBe('Clear, but I would add the prices.');
    expect(await pressed(tabA, 'Rate 2 out of 5')).toBe('true');
    const stored = await tabA.evaluate(async () => {
      const { chats } = (await (await fetch('/api/chats')).json()) as { chats: { id: string }[] };
      const chat = (await (await fetch(`/api/chats/${chats[0]!.id}`)).json()) as { messages: { role: string; feedback: unknown }[] };
      return chat.messages.find((m) => m.role === 'assistant')?.feedback;
    });
    expect(stored).toMatchObject({ vote: 'up', rating: 2, comment: 'Clear, but I would add the prices.' });
    await screenshot(tabB, 'widget-rating-from-other-window');
    expect(errors.filter((e) => !/Failed to load resource/.test(e))).toEqual([]);
  });
});
