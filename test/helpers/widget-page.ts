/**
 * Driving the chat widget in a page of the docs site, as the widget's browser tests do: open its
 * panel, ask and wait for the answer, read the stored chat, and play a tab going away and coming
 * back. Each waits for the condition it means, never for a fixed time.
 */
import type { Locator, Page } from 'playwright-core';
import { expect } from 'vitest';

/** The widget's open panel (`role="dialog"`, named by the launcher's label). */
export const chatPanel = (page: Page): Locator => page.getByRole('dialog', { name: 'Ask the docs' });

/** The questions the panel shows, in order. */
export const shownQuestions = (page: Page): Promise<string[]> => chatPanel(page).locator('.dc-msg-user .dc-bubble').allTextContents();

/**
 * Opens `url` (the app's origin) and the chat panel with the launcher. A click made before the
 * widget is interactive is remembered by the page and opens the panel once it is (page-chrome.ts).
 */
export async function openChatPanel(page: Page, url: string): Promise<void> {
  await page.goto(`${url}/`);
  await page.getByRole('button', { name: 'Ask the docs', exact: true }).last().click();
  await chatPanel(page).waitFor();
}

/** Types `question` in the panel's question box and sends it with Enter. */
export async function askQuestion(page: Page, question: string): Promise<void> {
  const box = chatPanel(page).getByRole('textbox', { name: 'Your question' });
  await box.fill(question);
  await box.press('Enter');
}

/** Asks `question` and waits until its answer is complete (one more answer offers a rating). */
export async function askAndWaitForAnswer(page: Page, question: string): Promise<void> {
  const rated = chatPanel(page).locator('.dc-feedback');
  const before = await rated.count();
  await askQuestion(page, question);
  await expect.poll(() => rated.count(), { timeout: 15_000 }).toBeGreaterThan(before);
}

/**
 * Sets the reader's minimum score to 0 (`PUT /api/settings`, the reader's cookie of `page`), so
 * that every question finds the one seeded section and each answer is the model's.
 */
export async function acceptEveryScore(page: Page): Promise<void> {
  const status = await page.evaluate(async () => {
    const settings = (await (await fetch('/api/settings')).json()) as Record<string, unknown>;
    const put = await fetch('/api/settings', { method: 'PUT', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ ...settings, minScore: 0 }) });
    return put.status;
  });
  expect(status).toBe(200);
}

/** Deletes the reader's chat titled `title` from the panel's history, as the reader does (Delete, then confirmed). */
export async function deleteChatFromHistory(page: Page, title: string): Promise<void> {
  const panel = chatPanel(page);
  await panel.getByRole('button', { name: 'Chat history' }).click();
  await panel.getByRole('button', { name: `Delete chat “${title}”` }).click();
  await panel.getByRole('button', { name: 'Delete', exact: true }).click();
}

/** A message of a chat as the server stores it (`GET /api/chats/:id`). */
export interface StoredChatMessage {
  role: string;
  status: string;
  content: string;
  feedback: unknown;
}

/** The reader's most recent chat as the server stores it: its messages, in order. */
export function storedLatestChat(page: Page): Promise<StoredChatMessage[]> {
  return page.evaluate(async () => {
    const { chats } = (await (await fetch('/api/chats')).json()) as { chats: { id: string }[] };
    const chat = (await (await fetch(`/api/chats/${chats[0]!.id}`)).json()) as { messages: StoredChatMessage[] };
    return chat.messages;
  });
}

/** How many chats the reader has on the server. */
export const storedChatCount = (page: Page): Promise<number> =>
  page.evaluate(async () => ((await (await fetch('/api/chats')).json()) as { chats: unknown[] }).chats.length);

/**
 * Makes `page`'s document say it is visible or hidden from now on. Headless Chromium reports every
 * page as visible, so the reader switching tabs is played in the page; with `event` (default) the
 * page is told (`visibilitychange`), as the browser tells it.
 */
export async function setTabVisible(page: Page, visible: boolean, { event = true }: { event?: boolean } = {}): Promise<void> {
  await page.evaluate(
    ([shown, dispatch]) => {
      Object.defineProperty(document, 'visibilityState', { configurable: true, get: () => (shown ? 'visible' : 'hidden') });
      Object.defineProperty(document, 'hidden', { configurable: true, get: () => !shown });
      if (dispatch) document.dispatchEvent(new Event('visibilitychange'));
    },
    [visible, event] as const,
  );
}
