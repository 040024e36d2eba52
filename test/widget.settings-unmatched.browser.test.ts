/**
 * The settings panel, in a real browser (Debian chromium via playwright-core) against the real
 * Docent app: a path prefix typed with a typo (`guide/` for `guides/`) is saved, and the panel
 * says it matches no indexed page, on its row and in a note, also when opened again.
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
});
