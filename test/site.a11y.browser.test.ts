/**
 * Accessibility of the docs site, the chat widget, the full-page chat and the review page,
 * checked by axe-core (test/helpers/axe.ts) against the WCAG 2.1 A and AA rules, in a real
 * browser (Debian chromium via playwright-core) against the contract test server serving the
 * fixture site (the set-up of test/site.browser.test.ts). Each state a reader meets is checked:
 * light and dark themes, a page with code blocks, tabs and callouts, the 404 page, the widget with
 * an answer and its citations, its feedback form, history and settings, /chat, and the review
 * page with rated answers and an answer's details. Then the widget is used with the keyboard only.
 *
 * The rules are axe's WCAG 2.0/2.1 A and AA rules, and its best practices (landmarks, heading
 * order, one h1, ...). A violation of impact serious or critical fails the test. So does any
 * other, except those listed in ACCEPTED below with the reason they stay. What axe cannot decide
 * (its `incomplete` results: a score written over its bar, text in the standalone widget's shadow
 * root) is not failed on: test/site.contrast.test.ts checks those colours from the stylesheets.
 * A11Y_REPORT=file.json writes every page state's findings, for a report.
 */
import { rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, inject, it } from 'vitest';
import { type AxeScope, type AxeViolation, axeFindings, axeViolations, WCAG21_AA_TAGS } from './helpers/axe';
import { collectPageErrors, hasChromium, launchBrowser, screenshot } from './helpers/browser';
import { type ContractServer, startContractServer } from './helpers/contract-server';
import { readFixtureDocs } from './helpers/fixture-docs';
import { FIXTURE_DOCS } from './setup/site-build';

const ADMIN_TOKEN = 'a11y-review-token-0123456789abcdef';
const evalFile = join(tmpdir(), `docent-a11y-eval-${process.pid}.jsonl`);

/**
 * Moderate and minor violations left on purpose: rule id, and why. None is left today. A rule
 * of impact serious or critical fails the test even when listed here.
 */
const ACCEPTED = new Map<string, string>([]);

/** The violations a test fails on: all but the accepted ones of moderate or minor impact. */
function failing(violations: AxeViolation[]): AxeViolation[] {
  return violations.filter((v) => v.impact === 'serious' || v.impact === 'critical' || !ACCEPTED.has(v.rule));
}

describe.skipIf(!hasChromium && !process.env.CI)('accessibility (axe-core, WCAG 2.1 AA)', () => {
  let server: ContractServer;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  let errors: string[];
  /** A page of another site with the standalone widget.js, for its shadow-root widget. */
  let hostPage: Server;
  let hostUrl: string;
  const findings: Record<string, AxeViolation[]> = {};

  /** axe's violations on `page` now, kept for the report under `name`. */
  async function check(name: string, scope: AxeScope = {}, on: Page = page): Promise<AxeViolation[]> {
    const { violations, incomplete } = await axeFindings(on, { tags: [...WCAG21_AA_TAGS, 'best-practice'], ...scope });
    findings[name] = violations;
    findings[`${name} (incomplete)`] = incomplete;
    return failing(violations);
  }

  /** Switches the site to `theme` with its toggle button, which says whether dark mode is on. */
  async function setTheme(theme: 'light' | 'dark', on: Page = page) {
    const toggle = on.getByRole('button', { name: 'Toggle dark mode' });
    if ((await on.locator('html').getAttribute('data-theme')) !== theme) await toggle.click();
    await expect.poll(() => on.locator('html').getAttribute('data-theme')).toBe(theme);
    await expect.poll(() => toggle.getAttribute('aria-pressed')).toBe(String(theme === 'dark'));
  }

  beforeAll(async () => {
    hostPage = createServer((req, res) => {
      res.setHeader('content-type', 'text/html; charset=utf-8');
      const theme = new URL(req.url ?? '/', 'http://host').searchParams.get('theme') ?? 'light';
      res.end(`<!doctype html><html lang="en" data-theme="${theme}"><head><title>Acme docs</title></head>
        <body style="background: ${theme === 'dark' ? '#111' : '#fff'}; color: ${theme === 'dark' ? '#eee' : '#111'}"><main><h1>Acme docs</h1><p>A host page.</p></main>
        <script src="${server.url}/widget.js" data-docent-url="${server.url}" defer></script></body></html>`);
    });
    await new Promise<void>((r) => hostPage.listen(0, '127.0.0.1', r));
    // "localhost" is another origin than the Docent server's 127.0.0.1.
    hostUrl = `http://localhost:${(hostPage.address() as AddressInfo).port}`;
    server = await startContractServer({ siteDir: inject('siteDir'), docs: await readFixtureDocs(FIXTURE_DOCS), adminToken: ADMIN_TOKEN, evalFile, corsOrigins: [hostUrl] });
    browser = await launchBrowser();
    // Reduced motion: axe reads colours once, and a panel fading in would be read half drawn.
    context = await browser.newContext({ viewport: { width: 1360, height: 880 }, reducedMotion: 'reduce' });
    page = await context.newPage();
    errors = collectPageErrors(page);
  });

  afterAll(async () => {
    if (process.env.A11Y_REPORT) (await import('node:fs')).writeFileSync(process.env.A11Y_REPORT, JSON.stringify(findings, null, 2));
    await browser?.close();
    await server?.close();
    hostPage?.close();
    rmSync(evalFile, { force: true });
  });

  afterEach(async (ctx) => {
    if (ctx.task.result?.state === 'fail' && page) await screenshot(page, `a11y-failed-${ctx.task.name.slice(0, 40).replace(/\W+/g, '-')}`);
  });

  const panel = () => page.getByRole('dialog', { name: 'Ask the docs' });
  const composer = () => panel().getByRole('textbox', { name: 'Your question' });
  const answers = () => panel().locator('.dc-msg-assistant');
  const launcher = () => page.getByRole('button', { name: 'Ask the docs', exact: true }).last();
  const focusedIs = (locator: ReturnType<Page['locator']>) => locator.evaluate((el) => el === document.activeElement);

  describe('docs site', () => {
    it('finds what it should: a button without a name and text too light to read', async () => {
      await page.goto(`${server.url}/guide/quick-start/`);
      await setTheme('light');
      await page.locator('.prose').evaluate((el) =>
        el.insertAdjacentHTML('beforeend', '<div id="a11y-probe"><button type="button"><svg width="16" height="16"></svg></button><p style="color: #80899a">Too light</p></div>'),
      );
      const found = await axeViolations(page);
      expect(found.map((v) => [v.rule, v.impact, v.nodes.map((n) => n.target)])).toEqual([
        ['button-name', 'critical', ['#a11y-probe > button']],
        ['color-contrast', 'serious', ['#a11y-probe > p']],
      ]);
      await page.locator('#a11y-probe').evaluate((el) => el.remove());
    });

    it('has no violations on a docs page, in the light and the dark theme', async () => {
      await page.goto(`${server.url}/guide/quick-start/`);
      await setTheme('light');
      expect(await check('docs page, light')).toEqual([]);
      await setTheme('dark');
      expect(await check('docs page, dark')).toEqual([]);
      // The toggle says dark mode is on from the start of the next page too.
      await page.reload();
      await expect.poll(() => page.getByRole('button', { name: 'Toggle dark mode' }).getAttribute('aria-pressed')).toBe('true');
    });

    it('has no violations on a page with titled and highlighted code blocks, tabs and callouts, in both themes', async () => {
      await page.goto(`${server.url}/api/from-docusaurus/`);
      expect(await page.locator('.prose .callout-tab').count()).toBeGreaterThan(0);
      expect(await page.locator('.prose aside.callout:not(.callout-tab)').count()).toBeGreaterThanOrEqual(4);
      expect(await page.locator('.prose pre.astro-code .line.highlighted').count()).toBeGreaterThan(0);
      await setTheme('dark');
      expect(await check('code, tabs and callouts, dark')).toEqual([]);
      await setTheme('light');
      expect(await check('code, tabs and callouts, light')).toEqual([]);
    });

    it('has no violations on the 404 page', async () => {
      await page.goto(`${server.url}/no-such-page/`);
      expect(await check('404 page, light')).toEqual([]);
      await setTheme('dark');
      expect(await check('404 page, dark')).toEqual([]);
      await setTheme('light');
    });

    it('has no violations with the navigation drawer open on a phone', async () => {
      const phone = await context.newPage();
      try {
        await phone.setViewportSize({ width: 390, height: 800 });
        await phone.goto(`${server.url}/guide/configuration/`);
        await phone.getByRole('button', { name: 'Open navigation' }).click();
        await expect.poll(async () => (await phone.locator('#sidebar').boundingBox())!.x).toBe(0);
        expect(await check('phone, navigation open', {}, phone)).toEqual([]);
      } finally {
        await phone.close();
      }
    });
  });

  describe('chat widget', () => {
    it('has no violations with an answer and its citations shown, in both themes', async () => {
      await page.goto(`${server.url}/guide/quick-start/`);
      await launcher().click();
      await composer().fill('How do I read a path parameter in routing?');
      await composer().press('Enter');
      await answers().first().locator('.dc-feedback').waitFor({ timeout: 15_000 });
      await expect.poll(() => answers().first().locator('a.dc-cite').count()).toBeGreaterThan(0);
      expect(await check('widget with an answer, light')).toEqual([]);
      await setTheme('dark');
      expect(await check('widget with an answer, dark')).toEqual([]);
      await setTheme('light');
    });

    it("has no violations with a citation's hover card shown", async () => {
      await answers().first().locator('a.dc-cite').first().focus();
      await page.getByRole('tooltip').waitFor();
      expect(await check('widget, citation card')).toEqual([]);
      await page.keyboard.press('Escape');
      await page.getByRole('tooltip').waitFor({ state: 'detached' });
    });

    it('has no violations with the feedback form (rating, comment) open, in both themes', async () => {
      const feedback = answers().first().getByRole('group', { name: 'Feedback on this answer' });
      await feedback.getByRole('button', { name: 'Helpful (thumbs up)' }).click();
      await feedback.getByRole('button', { name: 'Rate 4 out of 5' }).click();
      await feedback.getByRole('textbox', { name: 'Comment (optional)' }).fill('Clear.');
      await feedback.getByRole('button', { name: 'Save comment' }).click();
      await expect.poll(() => server.state.feedback[0]?.comment).toBe('Clear.');
      expect(await check('widget, feedback form, light')).toEqual([]);
      await setTheme('dark');
      expect(await check('widget, feedback form, dark')).toEqual([]);
      await setTheme('light');
    });

    it('has no violations in the history and settings views', async () => {
      // A second rated answer, down-voted, for the review page.
      await composer().fill('What about the optional parameter in routing?');
      await composer().press('Enter');
      await answers().nth(1).locator('.dc-feedback').waitFor({ timeout: 15_000 });
      const feedback = answers().nth(1).getByRole('group', { name: 'Feedback on this answer' });
      await feedback.getByRole('button', { name: 'Not helpful (thumbs down)' }).click();
      await feedback.getByRole('button', { name: 'Rate 2 out of 5' }).click();
      await expect.poll(() => server.state.feedback.length).toBe(2);
      await expect.poll(() => server.state.feedback[1]?.rating).toBe(2);

      await panel().getByRole('button', { name: 'Chat history' }).click();
      await panel().getByRole('list', { name: 'Earlier chats' }).getByRole('listitem').first().waitFor();
      expect(await check('widget, history')).toEqual([]);
      await panel().getByRole('button', { name: 'Delete chat “How do I read a path parameter in routing?”' }).click();
      await panel().getByRole('button', { name: 'Keep' }).waitFor();
      expect(await check('widget, history, delete confirmation')).toEqual([]);
      await panel().getByRole('button', { name: 'Keep' }).click();
      await panel().getByRole('button', { name: 'Retrieval settings' }).click();
      await panel().getByRole('switch', { name: 'Search the docs', exact: true }).waitFor();
      expect(await check('widget, settings, light')).toEqual([]);
      await setTheme('dark');
      expect(await check('widget, settings, dark')).toEqual([]);
      await setTheme('light');
      await panel().getByRole('button', { name: 'Back to chat' }).first().click();
    });

    it('is opened, used and closed with the keyboard only: focus goes in, Tab reaches the answer and its feedback, Esc closes and gives the focus back to the launcher', async () => {
      await page.keyboard.press('Escape');
      await expect.poll(() => panel().count()).toBe(0);
      await page.goto(`${server.url}/guide/configuration/`);
      // From the top of the page, Tab until the launcher has the focus.
      let steps = 0;
      while (!(await focusedIs(launcher())) && steps++ < 80) await page.keyboard.press('Tab');
      expect(await focusedIs(launcher())).toBe(true);
      const outline = () => page.evaluate(() => getComputedStyle(document.activeElement!).outlineStyle);
      expect(await outline()).not.toBe('none');
      await page.keyboard.press('Enter');
      await expect.poll(() => focusedIs(composer())).toBe(true);
      // The launcher, now named "Close chat", says the panel is open.
      expect(await page.locator('button.dc-launcher').getAttribute('aria-expanded')).toBe('true');
      // The tab's chat, reopened with the panel: its answers are there before the question is asked.
      const count = await answers().count();
      await page.keyboard.type('How do I set the port?');
      await page.keyboard.press('Enter');
      await answers().nth(count).locator('.dc-feedback').waitFor({ timeout: 15_000 });
      expect(await panel().locator('.dc-msg-user .dc-bubble').last().textContent()).toBe('How do I set the port?');
      // Shift+Tab from the question box walks back through the answer to its feedback.
      const up = answers().nth(count).getByRole('button', { name: 'Helpful (thumbs up)' });
      steps = 0;
      while (!(await focusedIs(up)) && steps++ < 40) await page.keyboard.press('Shift+Tab');
      expect(await focusedIs(up)).toBe(true);
      expect(await outline()).not.toBe('none');
      await page.keyboard.press('Enter');
      await expect.poll(() => up.getAttribute('aria-pressed')).toBe('true');
      // Tab order stays in reading order: the rating comes next.
      await page.keyboard.press('Tab');
      await page.keyboard.press('Tab');
      await expect.poll(() => page.evaluate(() => document.activeElement?.getAttribute('aria-label'))).toBe('Rate 1 out of 5');
      await page.keyboard.press('Escape');
      await expect.poll(() => panel().count()).toBe(0);
      expect(await focusedIs(launcher())).toBe(true);
      expect(await launcher().getAttribute('aria-expanded')).toBe('false');
      // And it opens again from there with Space.
      await page.keyboard.press(' ');
      await expect.poll(() => focusedIs(composer())).toBe(true);
      await page.keyboard.press('Escape');
      await expect.poll(() => panel().count()).toBe(0);
    });

    it('keeps the keyboard in the panel while it covers the whole screen (a phone): a modal dialog there, whose Tab and Shift+Tab cycle inside it', async () => {
      const phone = await context.newPage();
      try {
        await phone.setViewportSize({ width: 390, height: 800 });
        await phone.goto(`${server.url}/guide/configuration/`);
        await phone.locator('button.dc-launcher').click();
        const dialog = phone.getByRole('dialog', { name: 'Ask the docs' });
        await expect.poll(() => dialog.getByRole('textbox', { name: 'Your question' }).evaluate((el) => el === document.activeElement)).toBe(true);
        expect(await dialog.getAttribute('aria-modal')).toBe('true');
        const inDialog = () => phone.evaluate(() => document.activeElement?.closest('[role="dialog"]') !== null);
        for (const key of ['Tab', 'Shift+Tab']) {
          for (let i = 0; i < 12; i++) {
            await phone.keyboard.press(key);
            expect(await inDialog()).toBe(true);
          }
        }
        expect(await check('phone, chat panel', {}, phone)).toEqual([]);
        // Wider than a phone the panel sits beside the page, which stays usable: not modal.
        await phone.setViewportSize({ width: 1000, height: 800 });
        await expect.poll(() => dialog.getAttribute('aria-modal')).toBe('false');
        await phone.keyboard.press('Escape');
      } finally {
        await phone.close();
      }
    });
  });

  describe('standalone widget.js on another site', () => {
    it('has no violations in its shadow root, closed and open with an answer, on a light and a dark host page', async () => {
      const host = await context.newPage();
      try {
        for (const theme of ['light', 'dark'] as const) {
          await host.goto(`${hostUrl}/?theme=${theme}`);
          const launcher = host.locator('docent-widget .dc-launcher');
          await launcher.waitFor();
          expect(await check(`widget.js, closed, ${theme} host`, {}, host)).toEqual([]);
          await launcher.click();
          const dialog = host.getByRole('dialog', { name: 'Ask the docs' });
          await expect.poll(() => dialog.evaluate((el) => el.closest('.docent-root')!.getAttribute('data-theme'))).toBe(theme);
          await dialog.getByRole('textbox', { name: 'Your question' }).fill('How do I use a path parameter?');
          await dialog.getByRole('textbox', { name: 'Your question' }).press('Enter');
          await dialog.locator('.dc-feedback').first().waitFor({ timeout: 15_000 });
          expect(await check(`widget.js, open with an answer, ${theme} host`, {}, host)).toEqual([]);
          await host.keyboard.press('Escape');
          await dialog.waitFor({ state: 'hidden' });
        }
      } finally {
        await host.close();
      }
    });
  });

  describe('full-page chat', () => {
    it('has no violations on /chat/ with an answer and the history beside it, in both themes', async () => {
      await page.goto(`${server.url}/chat/?q=${encodeURIComponent('How do I configure the port?')}`);
      await page.getByRole('textbox', { name: 'Your question' }).press('Enter');
      await page.locator('.dc-msg-assistant .dc-feedback').waitFor({ timeout: 15_000 });
      await page.getByRole('complementary', { name: 'Your chats' }).getByRole('listitem').first().waitFor();
      expect(await check('/chat/, light')).toEqual([]);
      await setTheme('dark');
      expect(await check('/chat/, dark')).toEqual([]);
      await setTheme('light');
      expect(errors).toEqual([]);
    });
  });

  describe('review page', () => {
    let admin: Page;

    it('has no violations on the login form, with an error shown', async () => {
      admin = await context.newPage();
      await admin.goto(`${server.url}/review/`);
      await admin.getByLabel('Admin token').fill('not-the-token');
      await admin.getByRole('button', { name: 'Log in' }).click();
      await admin.getByRole('alert').waitFor();
      expect(await check('review, login with error', {}, admin)).toEqual([]);
    });

    it('has no violations with rated answers listed, in both themes', async () => {
      await admin.getByLabel('Admin token').fill(ADMIN_TOKEN);
      await admin.getByLabel('Admin token').press('Enter');
      const table = admin.getByRole('region', { name: 'Rated answers' });
      await expect.poll(() => table.getByRole('row').count()).toBe(server.state.feedback.length + 1);
      await expect.poll(() => admin.locator('svg.rv-chart').count()).toBe(3);
      expect(await check('review, table, light', {}, admin)).toEqual([]);
      await setTheme('dark', admin);
      expect(await check('review, table, dark', {}, admin)).toEqual([]);
      await setTheme('light', admin);
    });

    it("has no violations with an answer's details open", async () => {
      await admin.getByRole('button', { name: 'How do I read a path parameter in routing?' }).click();
      const detail = admin.getByRole('dialog', { name: 'How do I read a path parameter in routing?' });
      await detail.waitFor();
      await expect.poll(() => detail.locator('.rv-sources-table tbody tr').count()).toBeGreaterThanOrEqual(1);
      expect(await check('review, details', {}, admin)).toEqual([]);
      await admin.keyboard.press('Escape');
      await detail.waitFor({ state: 'detached' });
      await admin.close();
    });
  });
});
