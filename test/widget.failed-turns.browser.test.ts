/**
 * What the chat widget keeps of an answer that failed once the reader asks the next question, in
 * a real browser (Debian chromium via playwright-core): the real Docent app (`createApp`, embedded
 * PGlite) serving the fixture docs site, with a local OpenAI-compatible embedding server and a
 * local chat-completions server (test/helpers/openai-stub.ts) that fail as each case asks.
 *
 * While an answer's failure is the last thing in the chat, an alert says why. Asking again clears
 * the alert: the failed turn must still say what happened (as a chat reopened from history does),
 * not leave an empty answer, a half answer that looks complete, or a question with nothing after it
 * (the server refused it, or the reader stopped it before its answer began).
 */
import type { Browser, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { messages } from '../server/db/schema';
import { createOpenAIEmbeddingProvider } from '../server/embed/openai';
import { collectPageErrors, hasChromium, screenshot } from './helpers/browser';
import { type EmbeddingStub, type EmbeddingStubFailure, startEmbeddingStub } from './helpers/embedding-stub';
import { startWidgetApp, startWidgetModel, type WidgetApp, type WidgetModel } from './helpers/widget-app';
import { acceptEveryScore, askQuestion, openChatPanel, storedLatestChat } from './helpers/widget-page';

describe.skipIf(!hasChromium && !process.env.CI)('the chat widget after a failed answer, once the next question is asked', () => {
  /** Whether the stub embedding server fails (503) the next request. */
  let embeddingFailsOnce = false;
  /** Hold the next `/api/chat` response until this promise settles (a slow server). */
  let holdNextAnswer: Promise<void> | undefined;
  /** The response to the request held last, once it is let through (its turn has begun). */
  let heldAnswer: Promise<Response> | undefined;
  let embeddingServer: EmbeddingStub;
  let model: WidgetModel;
  let widget: WidgetApp | undefined;
  let url: string;
  let browser: Browser;
  let page: Page;
  let errors: string[];

  beforeAll(async () => {
    embeddingServer = await startEmbeddingStub((): EmbeddingStubFailure | undefined => {
      if (!embeddingFailsOnce) return undefined;
      embeddingFailsOnce = false;
      return { status: 503, body: { error: { message: 'upstream is down' } }, headers: { 'retry-after-ms': '1' } };
    });
    const embedder = createOpenAIEmbeddingProvider({
      apiKey: 'sk-test',
      baseURL: embeddingServer.baseURL,
      // The first failure is the answer's: no retry hides it.
      maxRetries: 0,
    });
    model = await startWidgetModel();

    widget = await startWidgetApp({
      embedder,
      env: model.env,
      serve: async (request, appFetch) => {
        if (new URL(request.url).pathname !== '/api/chat') return appFetch(request);
        const held = holdNextAnswer;
        holdNextAnswer = undefined;
        if (!held) return appFetch(request);
        // Held once the server has read the question, as a busy server or database would hold it.
        const body = await request.text();
        await held;
        const response = Promise.resolve(appFetch(new Request(request, { body, signal: request.signal })));
        heldAnswer = response;
        return response;
      },
    });
    url = widget.url;
    browser = widget.browser;
    page = await (await browser.newContext({ viewport: { width: 1280, height: 860 }, reducedMotion: 'reduce' })).newPage();
    errors = collectPageErrors(page);
    await openChatPanel(page, url);
    await acceptEveryScore(page);
  });

  afterAll(async () => {
    await widget?.close();
    embeddingServer?.close();
    await model?.close();
  });

  afterEach(async (ctx) => {
    if (ctx.task.result?.state === 'fail' && page) await screenshot(page, `failed-${ctx.task.name.slice(0, 40).replace(/\W+/g, '-')}`);
  });

  const panel = () => page.getByRole('dialog', { name: 'Ask the docs' });
  const alert = () => panel().getByRole('alert');
  const answers = () => panel().locator('.dc-msg-assistant');
  /** The notes (`.dc-note`) of the answer right after the question `question`. */
  const notesAfter = (question: string) =>
    panel()
      .locator('.dc-msg-user', { hasText: question })
      .locator('xpath=following-sibling::div[1]')
      .evaluate((el) => (el.classList.contains('dc-msg-assistant') ? [...el.querySelectorAll('.dc-note')].map((n) => n.textContent ?? '') : []));
  /**
   * Reloads the page (the widget reopens the tab's chat from history) and waits for `lastQuestion`.
   * The panel was open, which the tab remembers: it opens again once the widget is ready. (Clicking
   * the launcher when the panel is not yet visible races that: the launcher is "Close chat" then.)
   */
  async function reopenAt(lastQuestion: string) {
    await page.reload();
    await panel().waitFor();
    await expect.poll(() => panel().locator('.dc-msg-user', { hasText: lastQuestion }).count(), { timeout: 15_000 }).toBe(1);
  }
  const ask = (question: string) => askQuestion(page, question);
  /** Asks `question` and waits for its complete answer (rating offered, no alert). */
  async function askAndWaitForAnswer(question: string) {
    const before = await answers().locator('.dc-feedback').count();
    await ask(question);
    await expect.poll(() => answers().locator('.dc-feedback').count(), { timeout: 15_000 }).toBeGreaterThan(before);
    await expect.poll(() => alert().count()).toBe(0);
  }

  it('an answer whose question could not be searched still says why, as a reopened chat does', async () => {
    embeddingFailsOnce = true;
    await ask('Where are ferry tickets sold?');
    await expect.poll(() => alert().textContent()).toContain('the search service failed (HTTP 503)');
    const told = (await alert().locator('p').textContent()) ?? '';
    await askAndWaitForAnswer('When does the kiosk open?');
    expect(await notesAfter('Where are ferry tickets sold?')).toEqual([told]);
    await screenshot(page, 'widget-earlier-failure-live');

    // Reopened from history, the same turn says the same.
    await reopenAt('When does the kiosk open?');
    expect(await notesAfter('Where are ferry tickets sold?')).toEqual([told]);
  });

  it('an answer the model broke off mid-way still says it was interrupted, and why', async () => {
    model.answerNext({ text: 'Tickets are sold at the pier kiosk and on board for a surcharge.', failAfterChunks: 3, failWith: 'error-event' });
    await ask('Can I buy a ticket on board?');
    await expect.poll(() => alert().count(), { timeout: 15_000 }).toBe(1);
    const told = (await alert().locator('p').textContent()) ?? '';
    expect(told).not.toBe('');
    await askAndWaitForAnswer('Is there a surcharge?');
    const notes = await notesAfter('Can I buy a ticket on board?');
    expect(notes).toEqual([`This answer was interrupted. ${told}`]);
    const broken = panel().locator('.dc-msg-user', { hasText: 'Can I buy a ticket on board?' }).locator('xpath=following-sibling::div[1]');
    expect(await broken.textContent()).toContain('Tickets are sold');
    // Half an answer is not rated as if it were one (the server refuses it: 409 answer_failed).
    expect(await broken.locator('.dc-feedback').count()).toBe(0);
    await reopenAt('Is there a surcharge?');
    expect(await notesAfter('Can I buy a ticket on board?')).toEqual([`This answer was interrupted. ${told}`]);
    expect(await broken.locator('.dc-feedback').count()).toBe(0);
    expect(await panel().locator('.dc-msg-user', { hasText: 'Is there a surcharge?' }).locator('xpath=following-sibling::div[1]').locator('.dc-feedback').count()).toBe(1);
    expect(errors.filter((e) => !/Failed to load resource/.test(e))).toEqual([]);
  });

  it('a question the server refused (429) still says why once the next question is answered', async () => {
    const refusal = 'Too many questions from this address: wait 30 s before asking again.';
    await page.route(
      '**/api/chat',
      (route) =>
        route.fulfill({
          status: 429,
          headers: { 'content-type': 'application/json', 'retry-after': '30' },
          body: JSON.stringify({ error: { code: 'too_many_requests', message: refusal } }),
        }),
      { times: 1 },
    );
    await ask('Are there student discounts?');
    await expect.poll(() => alert().textContent()).toContain(refusal);
    await askAndWaitForAnswer('Where do I buy tickets?');
    expect(await notesAfter('Are there student discounts?')).toEqual([refusal]);
  });

  it('a question stopped before its answer began still says it was stopped once the next question is answered', async () => {
    let release!: () => void;
    holdNextAnswer = new Promise<void>((resolve) => (release = resolve));
    await ask('Do ferries run on Sundays?');
    await panel().getByRole('button', { name: 'Stop answering' }).click();
    await panel().getByRole('button', { name: 'Send question' }).waitFor();
    release();
    await askAndWaitForAnswer('How late does the kiosk open?');
    expect(await notesAfter('Do ferries run on Sundays?')).toEqual(['Stopped.']);
    expect(errors.filter((e) => !/Failed to load resource/.test(e))).toEqual([]);
  });

  /** The stored chat the tab shows (`GET /api/chats/:id` of the most recent chat): role, status and text of each message. */
  const storedChat = async () => (await storedLatestChat(page)).map((m) => ({ role: m.role, status: m.status, content: m.content }));
  /** The answers right after the question `question` (0 or 1, then the next question). */
  const answerTextsAfter = (question: string) =>
    panel()
      .locator('.dc-msg-user', { hasText: question })
      .locator('xpath=following-sibling::div[1][contains(@class, "dc-msg-assistant")]')
      .locator('.dc-answer')
      .allTextContents();
  const regenerateButton = () => panel().getByRole('button', { name: 'Regenerate' });

  it('an answer the reader stopped can be written again with Regenerate, from the keyboard; the new answer replaces it, here and in the stored chat', async () => {
    model.answerNext({ text: Array.from({ length: 60 }, (_, i) => `part${i} `), chunkDelayMs: 40 });
    await ask('Which pier do the ferries leave from?');
    await expect.poll(() => answerTextsAfter('Which pier do the ferries leave from?'), { timeout: 15_000 }).toEqual([expect.stringContaining('part2')]);
    await panel().getByRole('button', { name: 'Stop answering' }).click();
    await expect.poll(() => notesAfter('Which pier do the ferries leave from?')).toEqual(['Stopped.']);
    // Offered once the answer stopped, by its name; a button, so Tab reaches it and Enter presses it.
    await regenerateButton().focus();
    expect(await regenerateButton().evaluate((el) => el.tagName === 'BUTTON' && el === document.activeElement)).toBe(true);
    await screenshot(page, 'widget-stopped-regenerate');
    await page.keyboard.press('Enter');
    await expect
      .poll(() => answerTextsAfter('Which pier do the ferries leave from?'), { timeout: 15_000 })
      .toEqual([expect.stringContaining('Ferry tickets are sold at the pier kiosk')]);
    await expect.poll(() => answers().last().locator('.dc-feedback').count(), { timeout: 15_000 }).toBe(1);
    expect(await notesAfter('Which pier do the ferries leave from?')).toEqual([]);
    expect(await regenerateButton().count()).toBe(0);
    // The focus waited in the question box, not on <body>.
    expect(await panel().getByRole('textbox', { name: 'Your question' }).evaluate((el) => el === document.activeElement)).toBe(true);

    // Stored: one answer to the question, the new one; reopened, the chat shows the same.
    const turn = (await storedChat()).slice(-2);
    expect(turn).toEqual([
      { role: 'user', status: 'complete', content: 'Which pier do the ferries leave from?' },
      { role: 'assistant', status: 'complete', content: expect.stringContaining('Ferry tickets are sold at the pier kiosk') },
    ]);
    await reopenAt('Which pier do the ferries leave from?');
    expect(await answerTextsAfter('Which pier do the ferries leave from?')).toEqual([expect.stringContaining('Ferry tickets are sold at the pier kiosk')]);
    expect(await notesAfter('Which pier do the ferries leave from?')).toEqual([]);
  });

  it('a stopped answer reopened from history offers Regenerate too', async () => {
    model.answerNext({ text: Array.from({ length: 60 }, (_, i) => `bit${i} `), chunkDelayMs: 40 });
    await ask('Are dogs allowed on the ferry?');
    await expect.poll(() => answerTextsAfter('Are dogs allowed on the ferry?'), { timeout: 15_000 }).toEqual([expect.stringContaining('bit2')]);
    await panel().getByRole('button', { name: 'Stop answering' }).click();
    await regenerateButton().waitFor();
    await expect.poll(async () => (await storedChat()).at(-1)?.status, { timeout: 10_000 }).toBe('aborted');
    await reopenAt('Are dogs allowed on the ferry?');
    expect(await notesAfter('Are dogs allowed on the ferry?')).toEqual(['Stopped.']);
    await regenerateButton().click();
    await expect
      .poll(() => answerTextsAfter('Are dogs allowed on the ferry?'), { timeout: 15_000 })
      .toEqual([expect.stringContaining('Ferry tickets are sold at the pier kiosk')]);
    expect((await storedChat()).slice(-2).map((m) => [m.role, m.status])).toEqual([
      ['user', 'complete'],
      ['assistant', 'complete'],
    ]);
  });

  it('a question stopped before its answer began can be regenerated, and the stopped request arriving late does not replace the new answer', async () => {
    let release!: () => void;
    holdNextAnswer = new Promise<void>((resolve) => (release = resolve));
    await ask('Is there a night ferry?');
    await panel().getByRole('button', { name: 'Stop answering' }).click();
    await regenerateButton().click();
    await expect
      .poll(() => answerTextsAfter('Is there a night ferry?'), { timeout: 15_000 })
      .toEqual([expect.stringContaining('Ferry tickets are sold at the pier kiosk')]);
    const before = await storedChat();
    // The stopped request reaches the server only now (a slow proxy, a busy server).
    release();
    await expect.poll(() => heldAnswer).toBeDefined();
    // Its turn begun (or refused), then over: nothing is left being written.
    await heldAnswer!.catch(() => undefined);
    await expect.poll(async () => (await widget!.database.db.select({ status: messages.status }).from(messages)).some((m) => m.status === 'streaming')).toBe(false);
    await reopenAt('Is there a night ferry?');
    expect(await answerTextsAfter('Is there a night ferry?')).toEqual([expect.stringContaining('Ferry tickets are sold at the pier kiosk')]);
    expect(await notesAfter('Is there a night ferry?')).toEqual([]);
    expect(await storedChat()).toEqual(before);
    expect(errors.filter((e) => !/Failed to load resource/.test(e))).toEqual([]);
  });
});

