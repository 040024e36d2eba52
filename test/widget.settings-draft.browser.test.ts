/**
 * Settings changed and not saved, in a real browser (Debian chromium via playwright-core) against
 * the real Docent app: leaving the settings panel (its "Back to chat", the header's back arrow, or
 * another view) keeps the changes, and the chat says they are not saved and do not apply yet;
 * opened again, the panel shows them, says they are not saved, and offers to discard them. Played
 * with the keyboard.
 */
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { UNSAVED_SETTINGS_NOTICE } from '../site/src/chat/ChatApp';
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
  const storedSettings = () => page.evaluate(async () => (await (await fetch('/api/settings')).json()) as { maxResults: number; preferredSources: string[] });

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
});
