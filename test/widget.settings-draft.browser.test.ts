/**
 * Settings changed and not saved, in a real browser (Debian chromium via playwright-core) against
 * the real Docent app: leaving the settings panel (its "Back to chat", the header's back arrow, or
 * another view) keeps the changes, and the chat says they are not saved and do not apply yet;
 * opened again, the panel shows them, says they are not saved, and offers to discard them. They
 * are kept for the tab across the docs' pages (a citation followed reloads the widget), and put on
 * top of what another tab saved meanwhile, which is said. Text typed as a source and not added
 * with Prefer or Exclude is part of them, and Save asks for it to be added rather than dropping
 * it. Played with the keyboard.
 */
import type { Page, Route } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { UNSAVED_SETTINGS_NOTICE } from '../site/src/chat/ChatApp';
import { pendingSourceMessage, REBASED_DRAFT_NOTICE, SAVED_ELSEWHERE_MESSAGE } from '../site/src/chat/SettingsPanel';
import { collectPageErrors, hasChromium } from './helpers/browser';
import { createHashingEmbedder } from './helpers/embedder';
import { startWidgetApp, type WidgetApp } from './helpers/widget-app';
import { chatPanel as panel, openChatPanel } from './helpers/widget-page';

describe.skipIf(!hasChromium && !process.env.CI)('settings changed and not saved', () => {
  let widget: WidgetApp | undefined;
  let page: Page;
  let errors: string[];

  beforeAll(async () => {
    widget = await startWidgetApp({ embedder: createHashingEmbedder() });
    page = await (await widget.browser.newContext({ viewport: { width: 1280, height: 860 }, reducedMotion: 'reduce' })).newPage();
    errors = collectPageErrors(page);
    await openChatPanel(page, widget.url);
  });

  afterAll(async () => {
    await widget?.close();
  });

  const form = () => panel(page).getByRole('form', { name: 'Retrieval settings' });
  const maxSources = () => form().getByRole('slider', { name: /^Maximum sources/ });
  const guidePrefer = () => form().getByRole('radiogroup', { name: 'Use of guide/' }).getByRole('radio', { name: 'Prefer' });
  const notice = () => panel(page).getByRole('alert').filter({ hasText: UNSAVED_SETTINGS_NOTICE });
  const settingsButton = () => panel(page).locator('.dc-header').getByRole('button', { name: /^Retrieval settings/ });
  const focused = (locator: ReturnType<typeof form>) => locator.evaluate((el) => el === el.ownerDocument.activeElement);
  const storedSettings = () =>
    page.evaluate(async () => (await (await fetch('/api/settings')).json()) as { maxResults: number; minScore: number; preferredSources: string[]; excludedSources: string[] });
  const sourceBox = () => form().getByRole('textbox', { name: 'Source name or path prefix' });

  /** Goes to another page of the docs in the same tab, as a followed citation does: the widget reloads, its panel open again. */
  async function goToAnotherPage(path: string) {
    await page.goto(`${widget!.url}${path}`);
    await panel(page).waitFor();
    await panel(page).getByRole('textbox', { name: 'Your question' }).waitFor();
  }

  /** Presses `name` in the settings form with the keyboard. */
  async function press(name: string) {
    await form().getByRole('button', { name, exact: true }).focus();
    await page.keyboard.press('Enter');
  }

  /** Opens the settings from the header with the keyboard, and waits for the form. */
  async function openSettings() {
    await settingsButton().focus();
    await page.keyboard.press('Enter');
    await form().waitFor();
  }

  /** Raises "Maximum sources" by one and prefers the prefix `guide/` (the seeded page's folder), with the keyboard. */
  async function changeSettings() {
    await maxSources().focus();
    await page.keyboard.press('ArrowRight');
    await form().getByRole('textbox', { name: 'Source name or path prefix' }).focus();
    await page.keyboard.type('guide/');
    await form().getByRole('button', { name: 'Prefer', exact: true }).focus();
    await page.keyboard.press('Enter');
  }

  it('keeps changes left unsaved with "Back to chat", and says they do not apply yet', async () => {
    const saved = await storedSettings();
    await openSettings();
    await changeSettings();
    await expect.poll(() => form().getByRole('status').filter({ hasText: 'Changes not saved yet.' }).count()).toBe(1);

    await form().getByRole('button', { name: 'Back to chat' }).focus();
    await page.keyboard.press('Enter');
    await notice().waitFor();
    expect(await settingsButton().getAttribute('aria-label')).toBe('Retrieval settings (changes not saved)');
    // Nothing was saved behind the reader's back.
    expect(await storedSettings()).toMatchObject({ maxResults: saved.maxResults, preferredSources: saved.preferredSources });

    // Opened again: the changes are there, said to be unsaved; the chat's notice has gone.
    await openSettings();
    expect(await maxSources().inputValue()).toBe(String(saved.maxResults + 1));
    expect(await guidePrefer().isChecked()).toBe(true);
    expect(await form().getByRole('status').filter({ hasText: 'Changes not saved yet.' }).count()).toBe(1);
    expect(await notice().count()).toBe(0);
    expect(errors).toEqual([]);
  });

  it('discards them on request, with the focus kept in the form', async () => {
    const saved = await storedSettings();
    await form().getByRole('button', { name: 'Discard changes' }).focus();
    await page.keyboard.press('Enter');
    await expect.poll(() => maxSources().inputValue()).toBe(String(saved.maxResults));
    expect(await guidePrefer().isChecked()).toBe(false);
    expect(await focused(form().getByRole('button', { name: 'Back to chat' }))).toBe(true);
    expect(await form().getByRole('button', { name: 'Discard changes' }).count()).toBe(0);
    expect(await settingsButton().getAttribute('aria-label')).toBe('Retrieval settings');

    // Nothing to keep: back in the chat, no notice.
    await page.keyboard.press('Enter');
    await panel(page).getByRole('textbox', { name: 'Your question' }).waitFor();
    expect(await notice().count()).toBe(0);
  });

  it('keeps them through another view (the history, the header’s back arrow) until saved', async () => {
    await openSettings();
    await changeSettings();
    await panel(page).locator('.dc-header').getByRole('button', { name: 'Chat history' }).click();
    await notice().waitFor();
    await panel(page).locator('.dc-header').getByRole('button', { name: 'Back to chat' }).click();
    // Back in the chat (its header drawn again) before the settings button is pressed.
    await panel(page).getByRole('textbox', { name: 'Your question' }).waitFor();
    await openSettings();
    expect(await guidePrefer().isChecked()).toBe(true);

    await form().getByRole('button', { name: 'Save settings' }).focus();
    await page.keyboard.press('Enter');
    await form().getByText('Saved. Applies to your next question.').waitFor();
    expect((await storedSettings()).preferredSources).toEqual(['guide/']);
    expect(await settingsButton().getAttribute('aria-label')).toBe('Retrieval settings');
    // Saved: leaving says nothing.
    await panel(page).locator('.dc-header').getByRole('button', { name: 'Back to chat' }).click();
    await panel(page).getByRole('textbox', { name: 'Your question' }).waitFor();
    expect(await notice().count()).toBe(0);
    expect(errors).toEqual([]);
  });

  it('keeps changes not saved across the docs’ pages of the tab, until discarded', async () => {
    const saved = await storedSettings();
    await openSettings();
    await maxSources().focus();
    await page.keyboard.press('ArrowLeft');
    await press('Back to chat');
    await notice().waitFor();

    await goToAnotherPage('/guide/quick-start/');
    expect(await settingsButton().getAttribute('aria-label')).toBe('Retrieval settings (changes not saved)');
    await openSettings();
    expect(await maxSources().inputValue()).toBe(String(saved.maxResults - 1));
    expect(await form().getByRole('status').filter({ hasText: 'Changes not saved yet.' }).count()).toBe(1);
    expect(await storedSettings()).toEqual(saved);

    await press('Discard changes');
    await expect.poll(() => maxSources().inputValue()).toBe(String(saved.maxResults));
    // Discarded stays discarded on the next page.
    await goToAnotherPage('/guide/configuration/');
    expect(await settingsButton().getAttribute('aria-label')).toBe('Retrieval settings');
    await openSettings();
    expect(await maxSources().inputValue()).toBe(String(saved.maxResults));
    expect(await form().getByRole('button', { name: 'Discard changes' }).count()).toBe(0);
    expect(errors).toEqual([]);
  });

  it('puts changes not saved on top of settings saved meanwhile in another tab, and says so', async () => {
    const saved = await storedSettings();
    await maxSources().focus();
    await page.keyboard.press('ArrowRight');
    await press('Back to chat');
    await notice().waitFor();

    // Another tab of the same reader saves other changes: a minimum score, and `api/` excluded.
    const other = await page.context().newPage();
    await other.goto(`${widget!.url}/guide/`);
    const put = await other.evaluate(async (next) => {
      const response = await fetch('/api/settings', { method: 'PUT', headers: { 'content-type': 'application/json' }, body: JSON.stringify(next) });
      return response.status;
    }, { ...saved, minScore: 0.5, excludedSources: ['api/'] });
    expect(put).toBe(200);
    await other.close();

    await goToAnotherPage('/guide/links/');
    await openSettings();
    await form().getByRole('alert').filter({ hasText: REBASED_DRAFT_NOTICE }).waitFor();
    // This tab's change, and the other tab's, both there.
    expect(await maxSources().inputValue()).toBe(String(saved.maxResults + 1));
    expect(await form().getByRole('slider', { name: /^Minimum score/ }).inputValue()).toBe('0.5');
    expect(await form().getByRole('radiogroup', { name: 'Use of api/' }).getByRole('radio', { name: 'Exclude' }).isChecked()).toBe(true);

    await press('Save settings');
    await form().getByText('Saved. Applies to your next question.').waitFor();
    expect(await storedSettings()).toMatchObject({ maxResults: saved.maxResults + 1, minScore: 0.5, excludedSources: ['api/'], preferredSources: saved.preferredSources });
    expect(await form().getByRole('alert').filter({ hasText: REBASED_DRAFT_NOTICE }).count()).toBe(0);
    expect(errors).toEqual([]);
  });

  it('keeps a source typed and not added, and asks for Prefer or Exclude rather than saving without it', async () => {
    const saved = await storedSettings();
    await sourceBox().focus();
    await page.keyboard.type('book/');
    // Enter in the box submits the form: nothing is saved, and the reader is told what to do.
    await page.keyboard.press('Enter');
    await form().getByRole('alert').filter({ hasText: pendingSourceMessage('book/') }).waitFor();
    expect(await sourceBox().evaluate((el) => el === el.ownerDocument.activeElement)).toBe(true);
    expect(await sourceBox().getAttribute('aria-invalid')).toBe('true');
    expect(await storedSettings()).toEqual(saved);

    // Left with the text typed: it is a change not saved, kept across pages.
    await press('Back to chat');
    await notice().waitFor();
    await goToAnotherPage('/guide/snippets/');
    await openSettings();
    expect(await sourceBox().inputValue()).toBe('book/');
    expect(await form().getByRole('status').filter({ hasText: 'Changes not saved yet.' }).count()).toBe(1);

    await press('Prefer');
    expect(await sourceBox().inputValue()).toBe('');
    await press('Save settings');
    await form().getByText('Saved. Applies to your next question.').waitFor();
    expect((await storedSettings()).preferredSources).toEqual([...saved.preferredSources, 'book/']);
    await goToAnotherPage('/guide/');
    expect(await settingsButton().getAttribute('aria-label')).toBe('Retrieval settings');
    expect(errors).toEqual([]);
  });

  it('keeps the focus on Save while saving on a slow network, and saves once however often it is pressed', async () => {
    const saved = await storedSettings();
    await openSettings();
    await maxSources().focus();
    await page.keyboard.press('ArrowRight');
    const held: Route[] = [];
    await page.route('**/api/settings', (route) => (route.request().method() === 'PUT' ? void held.push(route) : route.continue()));
    try {
      await press('Save settings');
      await expect.poll(() => held.length).toBe(1);
      await form().getByText('Saving…').waitFor();
      const save = form().getByRole('button', { name: 'Save settings' });
      // Not dropped to <body> (a disabled button loses the focus), and a second press sends nothing.
      expect(await focused(save)).toBe(true);
      expect(await save.getAttribute('aria-disabled')).toBe('true');
      await page.keyboard.press('Enter');
      await page.evaluate(() => new Promise((done) => setTimeout(done, 200)));
      expect(held.length).toBe(1);
      for (const route of held.splice(0)) await route.continue();
      await form().getByText('Saved. Applies to your next question.').waitFor();
      expect(await focused(save)).toBe(true);
      expect((await storedSettings()).maxResults).toBe(saved.maxResults + 1);
    } finally {
      await page.unroute('**/api/settings');
    }
    expect(errors).toEqual([]);
  });

  it('does not save over settings another tab saved while the panel was open: says so, and keeps both tabs’ changes to save again', async () => {
    // The form still open from the test before, with what is saved now.
    const saved = await storedSettings();
    await maxSources().focus();
    await page.keyboard.press('ArrowRight');

    // Meanwhile another tab of the same reader saves a minimum score and `api/` excluded.
    const other = await page.context().newPage();
    await other.goto(`${widget!.url}/guide/`);
    const put = await other.evaluate(async (next) => {
      const response = await fetch('/api/settings', { method: 'PUT', headers: { 'content-type': 'application/json' }, body: JSON.stringify(next) });
      return response.status;
    }, { ...saved, minScore: 0.5, excludedSources: ['api/'] });
    expect(put).toBe(200);
    await other.close();

    await press('Save settings');
    await form().getByRole('alert').filter({ hasText: SAVED_ELSEWHERE_MESSAGE }).waitFor();
    // Nothing overwritten: the other tab's save is what is stored.
    expect(await storedSettings()).toMatchObject({ maxResults: saved.maxResults, minScore: 0.5, excludedSources: ['api/'] });
    // The form shows this tab's change on top of the other tab's.
    expect(await maxSources().inputValue()).toBe(String(saved.maxResults + 1));
    expect(await form().getByRole('slider', { name: /^Minimum score/ }).inputValue()).toBe('0.5');
    expect(await form().getByRole('radiogroup', { name: 'Use of api/' }).getByRole('radio', { name: 'Exclude' }).isChecked()).toBe(true);
    expect(await form().getByText('Changes not saved yet.').count()).toBe(0);

    // Saved again, both are kept.
    await press('Save settings');
    await form().getByText('Saved. Applies to your next question.').waitFor();
    expect(await storedSettings()).toMatchObject({ maxResults: saved.maxResults + 1, minScore: 0.5, excludedSources: ['api/'] });
    expect(await form().getByRole('alert').filter({ hasText: SAVED_ELSEWHERE_MESSAGE }).count()).toBe(0);
    expect(errors).toEqual([]);
  });
});
