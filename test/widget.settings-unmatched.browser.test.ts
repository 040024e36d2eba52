/**
 * The settings panel, in a real browser (Debian chromium via playwright-core) against the real
 * Docent app: a path prefix typed with a typo (`guide/` for `guides/`) is saved, and the panel
 * says it matches no indexed page, on its row and in a note, also when opened again; settings
 * that cannot be loaded can be loaded again from the panel.
 */
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { loadConfig } from '../server/config';
import { createApp } from '../server/http/app';
import { collectPageErrors, hasChromium, launchBrowser, screenshot } from './helpers/browser';
import { createTestDatabase, type TestDatabase } from './helpers/database';
import { createHashingEmbedder } from './helpers/embedder';
import { listenOnFreePort, type ListeningServer } from './helpers/listen';
import { seedDocuments } from './helpers/seed';
import { openChatPanel } from './helpers/widget-page';

describe.skipIf(!hasChromium && !process.env.CI)('the settings panel with a source that matches no page', () => {
  const embedder = createHashingEmbedder();
  let database: TestDatabase;
  let docent: ListeningServer | undefined;
  let browser: Browser;
  let page: Page;
  let errors: string[];

  beforeAll(async () => {
    database = await createTestDatabase('pglite');
    await seedDocuments(database.db, embedder, [
      { path: 'guides/tickets.md', title: 'Tickets', sections: [{ heading: 'Buying tickets', text: 'Ferry tickets are sold at the pier kiosk.' }] },
    ]);
    const app = createApp({ database, config: loadConfig({}), embedder, siteDir: inject('siteDir'), chatRateLimit: false });
    docent = await listenOnFreePort(app.fetch);
    browser = await launchBrowser();
    page = await (await browser.newContext({ viewport: { width: 1280, height: 860 }, reducedMotion: 'reduce' })).newPage();
    errors = collectPageErrors(page);
    await openChatPanel(page, docent.url);
  });

  afterAll(async () => {
    await browser?.close();
    await docent?.close();
    await database?.close();
  });

  const panel = () => page.getByRole('dialog', { name: 'Ask the docs' });
  const note = () => panel().locator('.dc-unmatched-note');

  it('saves a typo’d prefix, and says it matches no page on its row and in a note', async () => {
    await panel().getByRole('button', { name: 'Retrieval settings' }).click();
    await panel().getByRole('textbox', { name: 'Source name or path prefix' }).fill('guide/');
    await panel().getByRole('button', { name: 'Prefer', exact: true }).click();
    await panel().getByRole('button', { name: 'Save settings' }).click();
    await panel().getByText('Saved. Applies to your next question.').waitFor();
    await expect.poll(() => note().textContent()).toBe('No indexed page matches guide/: check the spelling. It is kept, and will apply once such pages are indexed.');
    const row = panel().locator('.dc-source-choices li', { hasText: 'guide/' }).filter({ has: page.getByRole('radiogroup', { name: 'Use of guide/' }) });
    expect(await row.locator('.dc-unmatched').textContent()).toBe(' · matches no page');
    expect(await panel().getByRole('radiogroup', { name: 'Use of guide/' }).getByRole('radio', { name: 'Prefer' }).isChecked()).toBe(true);
    await screenshot(page, 'widget-settings-unmatched');

    // Opened again, the panel says it again, for that entry only (guides/ matches a page).
    await panel().getByRole('button', { name: 'Back to chat' }).first().click();
    await panel().getByRole('button', { name: 'Retrieval settings' }).click();
    await expect.poll(() => note().count()).toBe(1);
    expect(await panel().locator('.dc-unmatched').count()).toBe(1);
    expect(errors.filter((e) => !/Failed to load resource/.test(e))).toEqual([]);
  });

  it('offers Try again when the settings cannot be loaded, which keeps the focus until they load', async () => {
    await panel().getByRole('button', { name: 'Back to chat' }).first().click();
    let failures = 2;
    await page.route('**/api/settings', (route) =>
      route.request().method() === 'GET' && failures-- > 0
        ? route.fulfill({ status: 503, contentType: 'application/json', body: JSON.stringify({ error: { code: 'database_unavailable', message: 'The database cannot be reached right now.' } }) })
        : route.continue(),
    );
    try {
      await panel().getByRole('button', { name: 'Retrieval settings' }).click();
      await panel().getByRole('alert').filter({ hasText: 'Could not load your settings' }).waitFor();
      const retry = panel().getByRole('button', { name: 'Try again' });
      await retry.focus();
      await page.keyboard.press('Enter');
      // Failed again: the same button, still focused, for another try.
      await expect.poll(() => failures).toBe(0);
      await panel().getByRole('button', { name: 'Try again' }).waitFor();
      expect(await retry.evaluate((button) => button === button.ownerDocument.activeElement)).toBe(true);
      await page.keyboard.press('Enter');
      await panel().getByRole('form', { name: 'Retrieval settings' }).waitFor();
      // Loaded: the focus is in the form (its first field), not dropped to the page.
      await expect.poll(() => panel().getByRole('form', { name: 'Retrieval settings' }).evaluate((form) => form.contains(form.ownerDocument.activeElement))).toBe(true);
      expect(await panel().getByRole('radiogroup', { name: 'Use of guide/' }).getByRole('radio', { name: 'Prefer' }).isChecked()).toBe(true);
    } finally {
      await page.unroute('**/api/settings');
    }
  });
});
