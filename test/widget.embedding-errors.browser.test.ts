/**
 * How the chat widget tells a reader that the question could not be embedded (searched), in a
 * real browser (Debian chromium via playwright-core): the real Docent app (`createApp`, embedded
 * PGlite) serving the fixture docs site, with the hosted embedding provider pointed at a local
 * OpenAI-compatible embedding server that fails as each case asks: a rate limit (429 with
 * `Retry-After`), a server down (503), a refused key (401). A failure that passes offers Retry,
 * and Retry answers once the server is back; one that will not pass says so and offers no Retry.
 */
import type { Browser, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createOpenAIEmbeddingProvider } from '../server/embed/openai';
import { collectPageErrors, hasChromium, screenshot } from './helpers/browser';
import { type EmbeddingStub, type EmbeddingStubFailure, startEmbeddingStub } from './helpers/embedding-stub';
import { startWidgetApp, type WidgetApp } from './helpers/widget-app';
import { askQuestion, openChatPanel } from './helpers/widget-page';

/** How the stub embedding server answers now. */
type Mode = 'ok' | 'rate-limited' | 'down' | 'refused-key';

describe.skipIf(!hasChromium && !process.env.CI)('the chat widget when the embedding model cannot read the question', () => {
  let mode: Mode = 'ok';
  let embeddingServer: EmbeddingStub;
  let widget: WidgetApp | undefined;
  let url: string;
  let browser: Browser;
  let page: Page;
  let errors: string[];

  beforeAll(async () => {
    embeddingServer = await startEmbeddingStub((): EmbeddingStubFailure | undefined => {
      if (mode === 'rate-limited') return { status: 429, body: { error: { message: 'Rate limit reached', code: 'rate_limit_exceeded' } }, headers: { 'retry-after': '60' } };
      if (mode === 'down') return { status: 503, body: { error: { message: 'upstream at http://gpu-7.internal is down' } }, headers: { 'retry-after-ms': '1' } };
      if (mode === 'refused-key') return { status: 401, body: { error: { message: 'Incorrect API key provided: sk-test' } } };
      return undefined;
    });
    const embedder = createOpenAIEmbeddingProvider({
      apiKey: 'sk-test',
      baseURL: embeddingServer.baseURL,
      maxRetries: 1,
    });

    widget = await startWidgetApp({ embedder });
    url = widget.url;
    browser = widget.browser;
    page = await (await browser.newContext({ viewport: { width: 1280, height: 860 }, reducedMotion: 'reduce' })).newPage();
    errors = collectPageErrors(page);
    await openChatPanel(page, url);
  });

  afterAll(async () => {
    await widget?.close();
    embeddingServer?.close();
  });

  afterEach(async (ctx) => {
    if (ctx.task.result?.state === 'fail' && page) await screenshot(page, `failed-${ctx.task.name.slice(0, 40).replace(/\W+/g, '-')}`);
  });

  const panel = () => page.getByRole('dialog', { name: 'Ask the docs' });
  const alert = () => panel().getByRole('alert');
  /** Whether the alert is in view in the panel's scrolled list (a reader sees it without scrolling). */
  const alertInView = () =>
    alert().evaluate((el) => {
      const list = el.closest('.dc-messages') ?? el.parentElement!;
      const box = el.getBoundingClientRect();
      const view = list.getBoundingClientRect();
      return box.top >= view.top - 1 && box.bottom <= view.bottom + 1;
    });
  /**
   * Reloads the page: the panel was open, which the tab remembers, so it opens again once the widget
   * is ready, and reopens the tab's chat from history. (Clicking the launcher when the panel is not
   * yet visible races that: the launcher is "Close chat" once the panel opens.)
   */
  async function reopen() {
    await page.reload();
    await panel().waitFor();
  }
  const ask = (question: string) => askQuestion(page, question);

  it('rate limited: says the search service is busy and when to retry, and Retry answers once it has passed', async () => {
    mode = 'rate-limited';
    await ask('Where are ferry tickets sold?');
    await expect
      .poll(() => alert().textContent())
      .toContain(
        'The docs could not be searched for your question: the search service is busy: too many questions, or its quota is used up (HTTP 429; it asks to wait 60 s). Please try again.',
      );
    await expect.poll(alertInView, { timeout: 5_000 }).toBe(true);
    await screenshot(page, 'widget-embedding-rate-limited');
    mode = 'ok';
    await alert().getByRole('button', { name: 'Retry' }).click();
    await panel().locator('.dc-msg-assistant').last().locator('.dc-feedback').waitFor({ timeout: 15_000 });
    await expect.poll(() => alert().count()).toBe(0);
    expect(await panel().locator('.dc-msg-assistant').last().textContent()).toContain('pier kiosk');
  });

  it('embedding server down: says it failed and to try again, without its address or text, and offers Retry', async () => {
    mode = 'down';
    await ask('Can I buy a ticket on board?');
    await expect
      .poll(() => alert().textContent())
      .toContain('The docs could not be searched for your question: the search service failed (HTTP 503). Please try again.');
    const text = (await panel().textContent()) ?? '';
    expect(text).not.toMatch(/gpu-7|internal|upstream/);
    await alert().getByRole('button', { name: 'Retry' }).waitFor();
    await expect.poll(alertInView, { timeout: 5_000 }).toBe(true);
    await screenshot(page, 'widget-embedding-unavailable');
    mode = 'ok';
    await alert().getByRole('button', { name: 'Retry' }).focus();
    await page.keyboard.press('Enter');
    await expect.poll(() => alert().count()).toBe(0);
    // The pressed button is gone: the focus is in the question box, not lost to the page.
    expect(await panel().getByRole('textbox', { name: 'Your question' }).evaluate((el) => el === document.activeElement)).toBe(true);
  });

  it('refused key: says trying again will not help, and offers no Retry', async () => {
    mode = 'refused-key';
    await ask('When does the kiosk open?');
    await expect
      .poll(() => alert().textContent())
      .toContain(
        'The docs could not be searched for your question: the search service refused this site’s credentials (HTTP 401). Trying again will not help until the site’s operator fixes the server’s configuration.',
      );
    await expect.poll(alertInView, { timeout: 5_000 }).toBe(true);
    await screenshot(page, 'widget-embedding-failed');
    expect(await alert().getByRole('button', { name: 'Retry' }).count()).toBe(0);
    expect(errors.filter((e) => !/Failed to load resource/.test(e))).toEqual([]);
  });

  it('reopened from history, a chat whose last answer failed says why, with no Retry when trying again will not help', async () => {
    // The chat of the test above: its last answer failed for a refused key.
    await reopen();
    await expect.poll(() => alert().textContent(), { timeout: 15_000 }).toContain('refused this site’s credentials (HTTP 401). Trying again will not help');
    expect(await alert().getByRole('button', { name: 'Retry' }).count()).toBe(0);
  });

  it('reopened from history, a chat whose last answer failed for a while offers Retry, which answers once the server is back; an earlier failed answer says why', async () => {
    mode = 'down';
    await ask('Is there a surcharge on board?');
    await alert().getByRole('button', { name: 'Retry' }).waitFor();
    await reopen();
    await expect.poll(() => alert().textContent(), { timeout: 15_000 }).toContain('the search service failed (HTTP 503). Please try again.');
    // The answer before it, which failed for the refused key, says why too.
    expect(await panel().locator('.dc-msg-assistant .dc-note').allTextContents()).toContainEqual(expect.stringContaining('refused this site’s credentials (HTTP 401)'));
    mode = 'ok';
    await alert().getByRole('button', { name: 'Retry' }).click();
    await panel().locator('.dc-msg-assistant').last().locator('.dc-feedback').waitFor({ timeout: 15_000 });
    await expect.poll(() => alert().count()).toBe(0);
    expect(await panel().locator('.dc-msg-assistant').last().textContent()).toContain('surcharge');
    expect(errors.filter((e) => !/Failed to load resource/.test(e))).toEqual([]);
  });
});
