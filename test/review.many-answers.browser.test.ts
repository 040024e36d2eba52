/**
 * The review page as a maintainer uses it with hundreds of rated answers, in a real browser
 * (Debian chromium via playwright-core) against the real Docent app (`createApp`, embedded
 * PGlite): paging with the keyboard only keeps the focus on the pager, also on the first and last
 * pages; on a slow network a second press of Next while a page loads is not taken as a step the
 * list never made, and the list says it is loading rather than showing the range before; the admin
 * session ending mid-way leads to the login, and back to the same page of the list, not the first;
 * on a phone each rated answer shows its question first, and its details (a long answer with code
 * and lists) are read, scrolled and closed with the keyboard, every control on screen.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'drizzle-orm';
import type { Page, Route } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { loadConfig } from '../server/config';
import { createApp } from '../server/http/app';
import { ANSWER_GONE_MESSAGE, EXPORT_SESSION_ENDED_MESSAGE, LIST_LOADING_STATUS } from '../site/src/review/ReviewApp';
import { collectPageErrors, hasChromium, launchBrowser, screenshot } from './helpers/browser';
import { createTestDatabase, type TestDatabase } from './helpers/database';
import { createHashingEmbedder } from './helpers/embedder';
import { listenOnFreePort, type ListeningServer } from './helpers/listen';
import { liveRegions, recordLiveRegions } from './helpers/live-regions';
import { seedDocuments } from './helpers/seed';
import type { Browser } from 'playwright-core';

const ADMIN_TOKEN = 'review-token-0123456789abcdef';
/** Rated answers seeded: 12 pages of 25 and a last one of 10. */
const ANSWERS = 310;

/** A long answer, as a model writes one: a list, a code block with a long line, many paragraphs. */
const LONG_ANSWER = [
  'To set it up:',
  '',
  '1. Install the package.',
  '2. Configure it:',
  '   - `DOCENT_DATABASE_URL`',
  '   - `ADMIN_TOKEN`',
  '',
  '```ts',
  "const server = createDocentServer({ database: openDatabase(process.env.DATABASE_URL), embedder: createEmbedder({ model: 'use-lite' }) });",
  '```',
  '',
  ...Array.from({ length: 30 }, (_, i) => `Paragraph ${i + 1}: ferry tickets are sold at the pier kiosk from 7 am, and on board for a small surcharge [1].\n`),
].join('\n');

/** The page every answer cites. */
const TICKETS = { path: 'guides/tickets.md', title: 'Tickets', sections: [{ heading: 'Buying tickets', text: 'Ferry tickets are sold at the pier kiosk.' }] };

/**
 * One reader's {@link ANSWERS} chats of one question each, answered an hour apart, citing
 * {@link TICKETS}, and rated (up, down, stars, comments).
 */
async function seedRatedAnswers(database: TestDatabase): Promise<void> {
  const { db } = database;
  await seedDocuments(db, createHashingEmbedder(), [TICKETS]);
  const uuid = (prefix: string, n: ReturnType<typeof sql>) => sql`(${prefix} || lpad(to_hex(${n}), 12, '0'))::uuid`;
  const reader = sql`'00000000-0000-4000-8000-000000000001'::uuid`;
  const answer = uuid('00000000-0000-4000-a000-', sql`g`);
  const answeredAt = sql`(now() - g * interval '1 hour')`;
  await db.execute(sql`insert into users (id) values (${reader})`);
  const chat = uuid('00000000-0000-4000-c000-', sql`g`);
  await db.execute(sql`insert into chats (id, user_id, client_chat_id, title)
    select ${chat}, ${reader}, 'c' || g, 'Question number ' || g from generate_series(1, ${ANSWERS}) g`);
  await db.execute(sql`insert into messages (id, chat_id, role, content, created_at)
    select ${uuid('00000000-0000-4000-b000-', sql`g`)}, ${chat}, 'user', 'Question number ' || g, ${answeredAt} - interval '1 second'
    from generate_series(1, ${ANSWERS}) g`);
  await db.execute(sql`insert into messages (id, chat_id, role, content, status, created_at)
    select ${answer}, ${chat}, 'assistant', 'Answer number ' || g || ' [1]', 'complete'::message_status, ${answeredAt}
    from generate_series(1, ${ANSWERS}) g`);
  await db.execute(sql`insert into message_sources (message_id, rank, score, cited, source, path, title, heading, anchor, url, quote)
    select ${answer}, 1, 0.8, true, 'docs', ${TICKETS.path}, 'Tickets', 'Buying tickets', 'buying-tickets', '/guides/tickets/#buying-tickets', ''
    from generate_series(1, ${ANSWERS}) g`);
  await db.execute(sql`insert into message_feedback (message_id, user_id, vote, rating, comment, created_at, updated_at)
    select ${answer}, ${reader}, (case when g % 3 = 0 then 'down' else 'up' end)::feedback_vote, 1 + g % 5,
           case when g % 4 = 0 then 'comment ' || g else null end, ${answeredAt}, ${answeredAt}
    from generate_series(1, ${ANSWERS}) g`);
}

describe.skipIf(!hasChromium && !process.env.CI)('the review page with hundreds of rated answers', () => {
  let database: TestDatabase;
  let server: ListeningServer | undefined;
  let browser: Browser;
  let page: Page;
  let errors: string[];

  beforeAll(async () => {
    database = await createTestDatabase('pglite');
    await seedRatedAnswers(database);
    const app = createApp({
      database,
      config: loadConfig({ ADMIN_TOKEN }),
      embedder: createHashingEmbedder(),
      siteDir: inject('siteDir'),
      chatRateLimit: false,
      // Never the repository's eval set.
      evalCasesFile: join(mkdtempSync(join(tmpdir(), 'docent-review-')), 'cases.jsonl'),
    });
    server = await listenOnFreePort(app.fetch);
    browser = await launchBrowser();
    page = await (await browser.newContext({ viewport: { width: 1280, height: 900 }, reducedMotion: 'reduce' })).newPage();
    errors = collectPageErrors(page);
    await recordLiveRegions(page);
  });

  afterAll(async () => {
    await browser?.close();
    await server?.close();
    await database?.close();
  });

  const table = () => page.getByRole('region', { name: 'Rated answers' });
  const shown = () => table().getByRole('status').textContent();
  const pagerButton = (name: 'Next' | 'Previous') => table().getByRole('button', { name, exact: true });
  const isFocused = (locator: ReturnType<typeof table>) => locator.evaluate((el) => el === el.ownerDocument.activeElement);
  const focusedText = () => page.evaluate(() => (document.activeElement === document.body ? '<body>' : (document.activeElement?.textContent ?? '').trim()));

  /** Logs in with the admin token, with the keyboard. */
  async function logIn() {
    const token = page.getByLabel('Admin token');
    await token.focus();
    await page.keyboard.type(ADMIN_TOKEN);
    await page.keyboard.press('Enter');
  }

  it('pages through with the keyboard to the last page and back, the focus staying on the pager', async () => {
    await page.goto(`${server!.url}/review/`);
    await logIn();
    await expect.poll(shown).toBe(`1–25 of ${ANSWERS} rated answers`);
    await pagerButton('Next').focus();
    for (let n = 2; n <= 13; n++) {
      await page.keyboard.press('Enter');
      const last = Math.min(n * 25, ANSWERS);
      await expect.poll(shown).toBe(`${(n - 1) * 25 + 1}–${last} of ${ANSWERS} rated answers`);
    }
    // The last page: Next can do no more, and says so, but keeps the focus (not dropped to <body>).
    expect(await pagerButton('Next').getAttribute('aria-disabled')).toBe('true');
    expect(await focusedText()).toBe('Next');
    await page.keyboard.press('Enter');
    expect(await shown()).toBe(`301–310 of ${ANSWERS} rated answers`);

    await page.keyboard.press('Shift+Tab');
    expect(await focusedText()).toBe('Previous');
    for (let n = 12; n >= 1; n--) {
      await page.keyboard.press('Enter');
      await expect.poll(shown).toBe(`${(n - 1) * 25 + 1}–${n * 25} of ${ANSWERS} rated answers`);
    }
    expect(await pagerButton('Previous').getAttribute('aria-disabled')).toBe('true');
    expect(await focusedText()).toBe('Previous');
    expect(errors).toEqual([]);
  });

  it('takes no second step while a page is loading on a slow network, so Previous goes back where it should', async () => {
    const held: Route[] = [];
    let holding = true;
    await page.route('**/api/review/feedback?*', (route) => (holding ? void held.push(route) : route.continue()));
    try {
      await pagerButton('Next').focus();
      await page.keyboard.press('Enter');
      await expect.poll(() => held.length).toBe(1);
      // Pressed again before the page came: the list is loading, and says so (not "1–25 of 310").
      expect(await pagerButton('Next').getAttribute('aria-disabled')).toBe('true');
      expect(await shown()).toBe(LIST_LOADING_STATUS);
      await page.keyboard.press('Enter');
      // No request for a page after the one not shown yet.
      await page.evaluate(() => new Promise((done) => setTimeout(done, 200)));
      expect(held.length).toBe(1);
      holding = false;
      for (const route of held.splice(0)) await route.continue();
      await expect.poll(shown).toBe(`26–50 of ${ANSWERS} rated answers`);
      expect(await focusedText()).toBe('Next');

      await page.keyboard.press('Shift+Tab');
      await page.keyboard.press('Enter');
      await expect.poll(shown).toBe(`1–25 of ${ANSWERS} rated answers`);
    } finally {
      await page.unroute('**/api/review/feedback?*');
    }
  });

  it('after the admin session ends mid-way and the maintainer logs in again, shows the page they were going to', async () => {
    await page.goto(`${server!.url}/review/?vote=down`);
    await expect.poll(shown).toBe('1–25 of 103 rated answers');
    await pagerButton('Next').focus();
    await page.keyboard.press('Enter');
    await expect.poll(shown).toBe('26–50 of 103 rated answers');
    // The session ends (logged out elsewhere, the server restarted with another token): the next
    // step asks for the token again.
    await page.context().clearCookies();
    await page.keyboard.press('Enter');
    await page.getByRole('alert').filter({ hasText: 'Your admin session has ended' }).waitFor();
    await logIn();
    await expect.poll(shown).toBe('51–75 of 103 rated answers');
    expect(new URL(page.url()).searchParams.get('vote')).toBe('down');
    expect(errors.filter((e) => !/401|Failed to load resource/.test(e))).toEqual([]);
  });

  it('on a phone (360 px), shows each rated answer’s question first, on screen, as a row of the table', async () => {
    await page.setViewportSize({ width: 360, height: 740 });
    await page.goto(`${server!.url}/review/`);
    await expect.poll(shown).toBe(`1–25 of ${ANSWERS} rated answers`);
    const question = table().getByRole('button', { name: 'Question number 1', exact: true });
    await question.scrollIntoViewIfNeeded();
    const layout = await question.evaluate((button) => {
      const card = button.closest('.rv-table-card')!;
      const row = button.closest('tr')!;
      const box = button.getBoundingClientRect();
      return {
        onScreen: box.left >= 0 && box.right <= window.innerWidth,
        firstInRow: [...row.querySelectorAll('td')].every((td) => td.contains(button) || td.getBoundingClientRect().top >= box.bottom - 1 || td.getBoundingClientRect().height <= 1),
        cardScrolls: card.scrollWidth > card.clientWidth,
        pageScrolls: document.documentElement.scrollWidth > window.innerWidth,
      };
    });
    expect(layout).toEqual({ onScreen: true, firstInRow: true, cardScrolls: false, pageScrolls: false });
    // Still a table for screen readers: 6 column headers, 6 cells a row.
    expect(await table().getByRole('columnheader').count()).toBe(6);
    expect(await table().getByRole('row').nth(1).getByRole('cell').count()).toBe(6);
    await screenshot(page, 'review-phone');
    // The details open from the keyboard.
    await question.focus();
    await page.keyboard.press('Enter');
    await page.getByRole('dialog', { name: 'Question number 1' }).waitFor();
    await page.keyboard.press('Escape');
    expect(errors.filter((e) => !/401|Failed to load resource/.test(e))).toEqual([]);
  });

  it('on a phone, reads, scrolls and closes the details with the keyboard, the focus kept in them and every control on screen', async () => {
    await database.db.execute(sql`update messages set content = ${LONG_ANSWER} where id = '00000000-0000-4000-a000-000000000001'`);
    await page.goto(`${server!.url}/review/`);
    await expect.poll(shown).toBe(`1–25 of ${ANSWERS} rated answers`);
    const question = table().getByRole('button', { name: 'Question number 1', exact: true });
    await question.focus();
    await page.keyboard.press('Enter');
    const detail = page.getByRole('dialog', { name: 'Question number 1' });
    await detail.waitFor();
    const close = detail.getByRole('button', { name: 'Close details' });
    expect(await isFocused(close)).toBe(true);

    // The keys scroll the details, not the list behind them; "Close details" stays in sight.
    const scrolled = () =>
      page.evaluate(() => ({ page: window.scrollY, detail: Math.max(...[...document.querySelectorAll('.rv-detail, .rv-detail-body')].map((el) => el.scrollTop)) }));
    const before = await scrolled();
    await page.keyboard.press('PageDown');
    await page.keyboard.press('PageDown');
    await expect.poll(async () => (await scrolled()).detail).toBeGreaterThan(before.detail);
    expect((await scrolled()).page).toBe(before.page);
    const closeBox = (await close.boundingBox())!;
    expect(closeBox.y).toBeGreaterThanOrEqual(0);
    expect(closeBox.y + closeBox.height).toBeLessThanOrEqual(740);

    // Nothing in the details scrolls sideways but the code block; the source's checkbox is on screen.
    const right = detail.getByRole('checkbox', { name: /^Mark source 1 / });
    await right.scrollIntoViewIfNeeded();
    const layout = await right.evaluate((box) => {
      const rect = box.getBoundingClientRect();
      return {
        checkboxOnScreen: rect.left >= 0 && rect.right <= window.innerWidth,
        scrollsSideways: [...document.querySelectorAll('.rv-detail, .rv-detail-body')].some((el) => el.scrollWidth > el.clientWidth + 1),
      };
    });
    expect(layout).toEqual({ checkboxOnScreen: true, scrollsSideways: false });
    await screenshot(page, 'review-phone-detail');

    // Tab and Shift+Tab go round inside the details.
    const exportButton = detail.getByRole('button', { name: 'Export as eval case' });
    await close.focus();
    await page.keyboard.press('Shift+Tab');
    expect(await isFocused(exportButton)).toBe(true);
    await page.keyboard.press('Tab');
    expect(await isFocused(close)).toBe(true);
    for (let n = 0; n < 8; n++) {
      await page.keyboard.press('Tab');
      expect(await page.evaluate(() => Boolean(document.activeElement?.closest('[role="dialog"]')))).toBe(true);
    }

    // Space unmarks the source; the drawer says what Export needs.
    await right.focus();
    await page.keyboard.press('Space');
    expect(await right.isChecked()).toBe(false);
    await expect.poll(() => detail.getByRole('status').filter({ hasText: 'Mark at least one right source.' }).count()).toBe(1);
    await page.keyboard.press('Escape');
    await expect.poll(() => detail.count()).toBe(0);
    await expect.poll(() => isFocused(question)).toBe(true);
    expect(errors.filter((e) => !/401|Failed to load resource/.test(e))).toEqual([]);
  });

  it('says an answer whose chat was deleted while the page was open cannot be exported, and lists the answers left', async () => {
    await page.setViewportSize({ width: 1280, height: 900 });
    await page.goto(`${server!.url}/review/`);
    await expect.poll(shown).toBe(`1–25 of ${ANSWERS} rated answers`);
    await table().getByRole('button', { name: 'Question number 2', exact: true }).click();
    const detail = page.getByRole('dialog', { name: 'Question number 2' });
    await detail.waitFor();
    expect(await detail.getByRole('checkbox', { name: /Mark source 1/ }).isChecked()).toBe(true);
    // Its reader deletes the chat meanwhile.
    await database.db.execute(sql`delete from chats where title = 'Question number 2'`);
    await detail.getByRole('button', { name: 'Export as eval case' }).click();
    await expect.poll(() => detail.getByRole('alert').textContent()).toBe(ANSWER_GONE_MESSAGE);
    await expect.poll(shown).toBe(`1–25 of ${ANSWERS - 1} rated answers`);
    expect(await table().getByRole('button', { name: 'Question number 2', exact: true }).count()).toBe(0);
    await page.keyboard.press('Escape');
    expect(errors.filter((e) => !/401|404|Failed to load resource/.test(e))).toEqual([]);
  });

  it('keeps the details, with what was marked, when the session has ended at Export, and exports once logged in again', async () => {
    await table().getByRole('button', { name: 'Question number 4', exact: true }).click();
    const detail = page.getByRole('dialog', { name: 'Question number 4' });
    await detail.waitFor();
    const question = detail.getByRole('textbox', { name: 'Question' });
    await question.fill('Where are ferry tickets sold, number 4?');
    const cookies = await page.context().cookies();
    await page.context().clearCookies();
    await detail.getByRole('button', { name: 'Export as eval case' }).click();
    await expect.poll(() => detail.getByRole('alert').textContent()).toBe(EXPORT_SESSION_ENDED_MESSAGE);
    expect(await question.inputValue()).toBe('Where are ferry tickets sold, number 4?');
    // Logged in again (in another tab): the same details export.
    await page.context().addCookies(cookies);
    await detail.getByRole('button', { name: 'Export as eval case' }).click();
    await detail.getByText(/Exported as review-/).waitFor();
    expect(errors.filter((e) => !/401|404|Failed to load resource/.test(e))).toEqual([]);
  });

  it('says what Export needs in a status region that was in the details before its words', async () => {
    await page.keyboard.press('Escape');
    // A down-voted answer: no source is marked as right to begin with.
    await table().getByRole('button', { name: 'Question number 3', exact: true }).click();
    const detail = page.getByRole('dialog', { name: 'Question number 3' });
    await detail.waitFor();
    await expect.poll(() => detail.getByRole('status').filter({ hasText: 'Mark at least one right source.' }).count()).toBe(1);
    const saidIt = (await liveRegions(page)).filter((r) => r.inserted.includes('Mark at least one') || r.said.includes('Mark at least one right source.'));
    expect(saidIt.length).toBeGreaterThan(0);
    expect(saidIt.map((r) => r.inserted)).toEqual(saidIt.map(() => ''));
    await page.keyboard.press('Escape');
    expect(errors.filter((e) => !/401|404|Failed to load resource/.test(e))).toEqual([]);
  });

  it('on a desktop, holds the list still under the open details, whatever the wheel, and closes them where the list was', async () => {
    await page.setViewportSize({ width: 1280, height: 900 });
    await page.goto(`${server!.url}/review/`);
    // Logged in by the tests before, or now when this one runs alone.
    const token = page.getByLabel('Admin token');
    await expect.poll(async () => (await token.count()) + (await table().count())).toBeGreaterThan(0);
    if (await token.count()) await logIn();
    await expect.poll(shown).toMatch(/^1–25 of \d+ rated answers$/);
    // The charts above the list loaded too: nothing moves the list after this.
    await page.waitForLoadState('networkidle');
    // Scrolled part of the way down the list (room to scroll both ways), to an answer in sight there.
    await page.evaluate(() => window.scrollTo(0, Math.round((document.documentElement.scrollHeight - window.innerHeight) / 2)));
    const name = await table().evaluate((el) =>
      [...el.querySelectorAll('tbody button')].find((b) => b.getBoundingClientRect().top > 200 && b.getBoundingClientRect().bottom < window.innerHeight - 200)?.textContent,
    );
    const question = table().getByRole('button', { name: name!, exact: true });
    const listBox = () => table().evaluate((el) => ({ left: el.getBoundingClientRect().left, width: el.getBoundingClientRect().width }));
    const listBefore = await listBox();
    await question.click();
    const detail = page.getByRole('dialog', { name: name! });
    await detail.waitFor();
    const scrollY = await page.evaluate(() => window.scrollY);
    expect(scrollY).toBeGreaterThan(200);
    // The wheel over the shaded list beside the details, and over the details (too short to scroll).
    await page.mouse.move(200, 450);
    await page.mouse.wheel(0, -150);
    await page.mouse.wheel(0, 150);
    await page.mouse.wheel(0, 100);
    await page.mouse.move(1000, 450);
    await page.mouse.wheel(0, 100);
    await page.keyboard.press('End');
    // Wheel events are handled off the main thread: a round trip through the page after them.
    await page.evaluate(() => new Promise((done) => requestAnimationFrame(() => requestAnimationFrame(done))));
    expect(await page.evaluate(() => window.scrollY)).toBe(scrollY);
    // The list does not shift sideways when its scroll bar is taken away.
    expect(await listBox()).toEqual(listBefore);
    await page.keyboard.press('Escape');
    await expect.poll(() => detail.count()).toBe(0);
    await expect.poll(() => isFocused(question)).toBe(true);
    expect(await page.evaluate(() => window.scrollY)).toBe(scrollY);
    // Scrolling works again.
    await page.mouse.wheel(0, 200);
    await expect.poll(() => page.evaluate(() => window.scrollY)).toBeGreaterThan(scrollY);
    expect(errors.filter((e) => !/401|404|Failed to load resource/.test(e))).toEqual([]);
  });
});
