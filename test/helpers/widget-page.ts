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

/**
 * Counts, in `page`, the chat changes other tabs announce (`announceChatChange`, on the
 * `docent:chats` BroadcastChannel of site/src/chat/tab-return.ts). Call before the page is opened.
 * The announcement reaches each tab a while after the other tab's request has ended (later still
 * on a busy machine): a test that plays this tab hidden when it comes waits for it with
 * {@link AnnouncementsHeard.waitForMore} before it looks at what the tab did, or shows the tab again.
 */
export async function countAnnouncementsHeard(page: Page): Promise<AnnouncementsHeard> {
  await page.addInitScript(() => {
    const Native = window.BroadcastChannel;
    /** Per channel of the page on `docent:chats`: the other pages' messages it has handled, and whether it is open. */
    const channels: { heard: number; open: boolean }[] = [];
    const entries = new WeakMap<BroadcastChannel, { heard: number; open: boolean }>();
    const ownIds = new Set<unknown>();
    (window as unknown as { __docentChannels: typeof channels }).__docentChannels = channels;
    window.BroadcastChannel = class extends Native {
      constructor(name: string) {
        super(name);
        if (name !== 'docent:chats') return;
        const entry = { heard: 0, open: true };
        channels.push(entry);
        entries.set(this, entry);
        // Added before the widget's own listener: the count is read in a later task, once every
        // listener of the message has run.
        this.addEventListener('message', (event) => {
          if (!ownIds.has((event.data as { from?: unknown } | null)?.from)) entry.heard++;
        });
      }
      override postMessage(message: unknown): void {
        ownIds.add((message as { from?: unknown } | null)?.from);
        super.postMessage(message);
      }
      override close(): void {
        const entry = entries.get(this);
        if (entry) entry.open = false;
        super.close();
      }
    };
  });
  // The fewest announcements any open channel of the widget has handled.
  const heard = () =>
    page.evaluate(() => {
      const open = (window as unknown as { __docentChannels?: { heard: number; open: boolean }[] }).__docentChannels?.filter((c) => c.open) ?? [];
      return open.length ? Math.min(...open.map((c) => c.heard)) : 0;
    });
  return {
    heard,
    async waitForMore(than: number) {
      await expect.poll(heard, { timeout: 10_000 }).toBeGreaterThan(than);
    },
  };
}

export interface AnnouncementsHeard {
  /** How many announcements of other tabs every open channel of the page's widget has handled. */
  heard(): Promise<number>;
  /** Waits until every open channel of the widget has handled more than `than` announcements. */
  waitForMore(than: number): Promise<void>;
}
