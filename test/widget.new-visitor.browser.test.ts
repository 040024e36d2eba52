/**
 * A new visitor asking in two tabs at once, in a real browser (Debian chromium via
 * playwright-core) against the real Docent app: both questions belong to one user, so both chats
 * are in the reader's history. Without a session cookie yet, each question would create a user
 * and the browser would keep only the last cookie; the widget sends its first writing request
 * alone, across tabs with Web Locks (site/src/chat/first-write.ts).
 *
 * The server holds a question until the other tab's arrives (or 1.5 s have passed), so that two
 * questions sent at once reach it at once.
 */
import { sql } from 'drizzle-orm';
import type { BrowserContext } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { queryRows } from '../server/db/open';
import { collectPageErrors, hasChromium } from './helpers/browser';
import { createHashingEmbedder } from './helpers/embedder';
import { startWidgetApp, type WidgetApp } from './helpers/widget-app';
import { chatPanel as panel, openChatPanel } from './helpers/widget-page';

describe.skipIf(!hasChromium && !process.env.CI)('a new visitor asking in two tabs at once', () => {
  let widget: WidgetApp | undefined;
  let context: BrowserContext;
  const questionsArrived: (() => void)[] = [];
  /** Cookie-less questions the server received while another one was held. */
  let heldTogether = 0;

  beforeAll(async () => {
    widget = await startWidgetApp({
      embedder: createHashingEmbedder(),
      serve: async (request, appFetch) => {
        if (request.method === 'POST' && new URL(request.url).pathname === '/api/chat' && !request.headers.get('cookie')) {
          if (questionsArrived.length) heldTogether++;
          questionsArrived.splice(0).forEach((release) => release());
          await new Promise<void>((release) => {
            questionsArrived.push(release);
            setTimeout(release, 1500);
          });
        }
        return appFetch(request);
      },
    });
    context = await widget.browser.newContext({ viewport: { width: 1280, height: 860 }, reducedMotion: 'reduce' });
  });

  afterAll(async () => {
    await widget?.close();
  });

  it('makes one user, whose history has both chats', async () => {
    const tabs = [await context.newPage(), await context.newPage()];
    const errors = tabs.flatMap((tab) => collectPageErrors(tab));
    for (const tab of tabs) await openChatPanel(tab, widget!.url);
    const boxes = tabs.map((tab) => panel(tab).getByRole('textbox', { name: 'Your question' }));
    await boxes[0]!.fill('Where are ferry tickets sold?');
    await boxes[1]!.fill('Can I buy a ticket on board?');
    await Promise.all(boxes.map((box) => box.press('Enter')));
    for (const tab of tabs) await expect.poll(() => panel(tab).locator('.dc-feedback').count(), { timeout: 15_000 }).toBe(1);

    expect(heldTogether).toBe(0);
    const [row] = await queryRows<{ users: number }>(widget!.database.db, sql`select count(*)::int as users from users`);
    expect(row?.users).toBe(1);
    const history = await tabs[1]!.evaluate(async () => ((await (await fetch('/api/chats')).json()) as { chats: { title: string }[] }).chats.map((c) => c.title).sort());
    expect(history).toEqual(['Can I buy a ticket on board?', 'Where are ferry tickets sold?']);
    expect(errors).toEqual([]);
  });
});
