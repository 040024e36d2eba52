/**
 * The docs site's search dialog (site/src/search/DocsSearch.tsx) in a real browser (Debian
 * chromium via playwright-core), against the contract test server (test/helpers/contract-server.ts,
 * whose `GET /api/search` ranks the fixture site's sections as the chat does). The failures the
 * server or the network can give (index still building, rate limited, unreachable, no server at
 * all) are played by answering `/api/search` from the test with `page.route`.
 */
import type { Browser, BrowserContext, Page, Route } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, inject, it } from 'vitest';
import { axeViolations, WCAG21_AA_TAGS } from './helpers/axe';
import { collectPageErrors, hasChromium, launchBrowser, screenshot } from './helpers/browser';
import { lowContrastText } from './helpers/contrast';
import { type ContractServer, startContractServer } from './helpers/contract-server';
import { readFixtureDocs } from './helpers/fixture-docs';
import { FIXTURE_DOCS } from './setup/site-build';

describe.skipIf(!hasChromium && !process.env.CI)('docs search in a browser', () => {
  let server: ContractServer;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  let errors: string[];

  beforeAll(async () => {
    server = await startContractServer({
      siteDir: inject('siteDir'),
      docs: await readFixtureDocs(FIXTURE_DOCS),
      adminToken: 'search-token-0123456789abcdef',
      evalFile: '/dev/null',
    });
    browser = await launchBrowser();
    context = await browser.newContext({ viewport: { width: 1280, height: 860 }, reducedMotion: 'reduce' });
    page = await context.newPage();
    errors = collectPageErrors(page);
  });

  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  afterEach(async (ctx) => {
    if (ctx.task.result?.state === 'fail' && page) await screenshot(page, `failed-search-${ctx.task.name.slice(0, 40).replace(/\W+/g, '-')}`);
    await page.unrouteAll({ behavior: 'ignoreErrors' });
  });

  const button = (on: Page = page) => on.getByRole('button', { name: 'Search the docs' });
  const dialog = (on: Page = page) => on.getByRole('dialog', { name: 'Search the docs' });
  const box = (on: Page = page) => dialog(on).getByRole('searchbox', { name: 'Search the docs' });
  const results = (on: Page = page) => dialog(on).getByRole('list', { name: 'Results' }).getByRole('link');
  /** Waits until the results shown are those of what the box says (no search under way). */
  const settled = (on: Page = page) => expect.poll(() => dialog(on).getByRole('list', { name: 'Results', includeHidden: true }).getAttribute('aria-busy')).toBe('false');
  const searches = () => server.state.requests.filter((r) => r.path === '/api/search').length;
  /** The accessible name of the focused element (`aria-label`, else its text). */
  const focusedName = (on: Page = page) => on.evaluate(() => document.activeElement?.getAttribute('aria-label') ?? document.activeElement?.textContent ?? '');
  /** Opens a docs page and waits until its islands are interactive (the chat widget says so). */
  async function openPage(path: string, on: Page = page) {
    await on.goto(`${server.url}${path}`);
    await on.locator('html[data-docent-widget="ready"]').waitFor({ state: 'attached' });
  }
  /**
   * Whether the page is scrolled to the heading `id`: it is near the top of the window, below the
   * header, or, on a page too short for that, the page is scrolled to its end with the heading in view.
   */
  const scrolledTo = (id: string) =>
    page.evaluate((id) => {
      const box = document.getElementById(id)?.getBoundingClientRect();
      if (!box || box.top < 0 || box.bottom > innerHeight) return false;
      const atEnd = Math.ceil(scrollY + innerHeight) >= document.documentElement.scrollHeight;
      return box.top < 200 || atEnd;
    }, id);
  /** Opens the dialog with `/`, the focus on the page (not in a text field). */
  async function openWithSlash(on: Page = page) {
    await on.locator('main h1').first().click();
    await on.keyboard.press('/');
    await dialog(on).waitFor();
  }

  it('opens with / and Ctrl+K when the focus is not in a text field, and Esc gives the focus back to the header button', async () => {
    await openPage('/guide/configuration/');
    expect(await button().isVisible()).toBe(true);
    await openWithSlash();
    await expect.poll(() => box().evaluate((el) => el === document.activeElement)).toBe(true);
    // The slash opened the dialog; it was not typed into the box.
    expect(await box().inputValue()).toBe('');
    await page.keyboard.press('Escape');
    await expect.poll(() => dialog().isVisible()).toBe(false);
    expect(await focusedName()).toBe('Search the docs');

    await page.locator('main h1').first().click();
    await page.keyboard.press('Control+k');
    await dialog().waitFor();
    await page.keyboard.press('Escape');
    await expect.poll(() => focusedName()).toBe('Search the docs');

    // In a text field, / is a character.
    await page.evaluate(() => {
      const field = document.createElement('input');
      field.id = 'probe-field';
      document.querySelector('main')!.prepend(field);
      field.focus();
    });
    await page.keyboard.press('/');
    expect(await page.locator('#probe-field').inputValue()).toBe('/');
    expect(await dialog().isVisible()).toBe(false);
    expect(errors).toEqual([]);
  });

  it('opens once it is ready when the button or / was pressed while its script was still loading', async () => {
    for (const press of ['button', '/'] as const) {
      // The search island's script is held back until the press has been made.
      let release!: () => void;
      const released = new Promise<void>((resolve) => (release = resolve));
      await page.route('**/_astro/DocsSearch.*.js', async (route) => {
        await released;
        await route.continue();
      });
      await page.goto(`${server.url}/guide/configuration/`, { waitUntil: 'domcontentloaded' });
      // The page's own script has run (it adds the headings' "#" links); the island has not.
      await page.locator('.heading-anchor').first().waitFor({ state: 'attached' });
      expect(await page.locator('astro-island[component-url*="DocsSearch"][ssr]').count()).toBe(1);
      if (press === 'button') await button().click();
      else {
        await page.locator('main h1').first().click();
        await page.keyboard.press('/');
      }
      release();
      await dialog().waitFor();
      await expect.poll(() => box().evaluate((el) => el === document.activeElement)).toBe(true);
      expect(await box().inputValue()).toBe('');
      await page.keyboard.press('Escape');
      await expect.poll(() => dialog().isVisible()).toBe(false);
      await page.unroute('**/_astro/DocsSearch.*.js');
    }
    expect(errors).toEqual([]);
  });

  it('searches once typing pauses, shows breadcrumbs and marked snippets, moves with the arrow keys, and Enter lands on the section', async () => {
    await openPage('/guide/configuration/');
    await openWithSlash();
    const before = searches();
    await box().pressSequentially('path parameter');
    await settled();
    await expect.poll(() => results().count()).toBeGreaterThan(1);
    // One request for the pause at the end, not one per keystroke.
    expect(searches() - before).toBeLessThan('path parameter'.length / 2);
    expect(server.state.requests.filter((r) => r.path === '/api/search').length).toBe(searches());

    const first = results().first();
    expect(await first.locator('.docs-search-crumbs').textContent()).toBe('Routing › Path Parameter');
    // The query's words are marked, in the breadcrumb and in the snippet (`c.req.param('name')`).
    expect(await first.locator('.docs-search-crumbs mark').allTextContents()).toEqual(['Path', 'Parameter']);
    expect(await first.locator('.docs-search-snippet mark').allTextContents()).toEqual(['param']);
    expect(await first.getAttribute('href')).toBe('/api/routing/#path-parameter');

    // ↓ from the box to the first result, ↓ to the second, ↑ back; ↑ on the first goes back to the box.
    const focused = () => page.evaluate(() => document.activeElement?.getAttribute('href') ?? document.activeElement?.tagName);
    await page.keyboard.press('ArrowDown');
    expect(await focused()).toBe('/api/routing/#path-parameter');
    await page.keyboard.press('ArrowDown');
    const second = results().nth(1);
    const target = (await second.getAttribute('href'))!;
    expect(await focused()).toBe(target);
    await page.keyboard.press('ArrowUp');
    await page.keyboard.press('ArrowUp');
    expect(await focused()).toBe('INPUT');
    // Typing with the focus on a result goes on in the box.
    await page.keyboard.press('ArrowDown');
    await page.keyboard.type('s');
    expect(await focused()).toBe('INPUT');
    expect(await box().inputValue()).toBe('path parameters');
    await settled();
    // Back to the first query: its results were kept, and come at once.
    const asked = searches();
    await page.keyboard.press('Backspace');
    expect(await box().inputValue()).toBe('path parameter');
    await settled();
    expect(searches()).toBe(asked);
    await page.keyboard.press('ArrowDown');
    await page.keyboard.press('ArrowDown');
    expect(await focused()).toBe(target);
    await screenshot(page, 'search-results');
    expect(await lowContrastText(page)).toEqual([]);

    expect(target).toMatch(/#./);
    await page.keyboard.press('Enter');
    await expect.poll(() => new URL(page.url()).pathname + new URL(page.url()).hash).toBe(target);
    await expect.poll(() => scrolledTo(decodeURIComponent(target.split('#')[1]!))).toBe(true);
    expect(await dialog().isVisible()).toBe(false);
    expect(errors).toEqual([]);
  });

  it('gives the focus back to the box when new results replace the result that had it', async () => {
    await openPage('/guide/configuration/');
    await openWithSlash();
    await box().fill('path parameter');
    await settled();
    // The next search's answer is held until the reader has moved down to an old result.
    let release!: () => void;
    const held = new Promise<void>((resolve) => (release = resolve));
    await page.route('**/api/search?*', async (route) => {
      await held;
      await route.continue();
    });
    await box().fill('environment variables');
    await page.keyboard.press('ArrowDown');
    expect(await page.evaluate(() => document.activeElement?.getAttribute('href'))).toBe('/api/routing/#path-parameter');
    release();
    await settled();
    expect(await results().first().getAttribute('href')).toBe('/guide/configuration/#env');
    await expect.poll(() => box().evaluate((el) => el === document.activeElement)).toBe(true);
    await page.keyboard.press('Escape');
    await expect.poll(() => focusedName()).toBe('Search the docs');
  });

  it('closes and scrolls to a section of the page it was opened on', async () => {
    await openPage('/guide/configuration/');
    await openWithSlash();
    await box().fill('environment variables');
    await expect.poll(() => results().first().getAttribute('href')).toBe('/guide/configuration/#env');
    await page.keyboard.press('Enter');
    await expect.poll(() => new URL(page.url()).hash).toBe('#env');
    expect(await dialog().isVisible()).toBe(false);
    await expect.poll(() => page.evaluate(() => window.scrollY)).toBeGreaterThan(0);
    await expect.poll(() => scrolledTo('env')).toBe(true);
  });

  it('keeps Tab and Shift+Tab inside the dialog, and passes axe', async () => {
    await openPage('/guide/configuration/');
    await openWithSlash();
    await box().fill('path parameter');
    await expect.poll(() => results().count()).toBeGreaterThan(1);
    const hrefs = await results().evaluateAll((links) => links.map((a) => a.getAttribute('href')!));
    const focused = () => page.evaluate(() => document.activeElement?.getAttribute('href') ?? (document.activeElement?.tagName === 'INPUT' ? 'INPUT' : document.activeElement?.textContent));
    const visited: (string | null | undefined)[] = [];
    for (let i = 0; i < hrefs.length + 2; i++) {
      await page.keyboard.press('Tab');
      visited.push(await focused());
    }
    // Round the dialog and back to the box, never to the page behind it.
    expect(visited).toEqual(['Close', ...hrefs, 'INPUT']);
    await page.keyboard.press('Shift+Tab');
    expect(await focused()).toBe(hrefs.at(-1));
    const violations = await axeViolations(page, { include: '.docs-search', tags: [...WCAG21_AA_TAGS, 'best-practice'] });
    expect(violations.map((v) => `${v.rule}: ${v.help} ${v.nodes.map((n) => n.target).join(', ')}`)).toEqual([]);
    await page.keyboard.press('Escape');
  });

  it('offers the chat with the query as its question when nothing is found', async () => {
    await openPage('/guide/configuration/');
    await openWithSlash();
    await box().fill('zebra quantum');
    const ask = dialog().getByRole('link', { name: 'Ask the docs: “zebra quantum”' });
    await ask.waitFor();
    expect(await dialog().getByRole('status').textContent()).toBe('Nothing in the docs matches “zebra quantum”.');
    expect(await results().count()).toBe(0);
    await ask.click();
    await page.waitForURL(/\/chat\//);
    await expect.poll(() => page.getByRole('textbox', { name: 'Your question' }).inputValue()).toBe('zebra quantum');
  });

  /** Answers the page's searches with `fulfil` (a response, or `'abort'` for a network failure). */
  async function answerSearches(fulfil: Parameters<Route['fulfill']>[0] | 'abort') {
    await page.route('**/api/search?*', (route) => (fulfil === 'abort' ? route.abort('connectionrefused') : route.fulfill(fulfil)));
  }
  const alertText = () => dialog().getByRole('alert').textContent();

  it('says the index is still being built, in the server’s words', async () => {
    const message = 'Docent is still indexing the docs for the first time (12 of 40 pages so far): it can answer in about a minute. The docs pages can be read meanwhile.';
    await answerSearches({ status: 503, headers: { 'retry-after': '30' }, contentType: 'application/json', body: JSON.stringify({ error: { code: 'index_building', message } }) });
    await openPage('/guide/configuration/');
    await openWithSlash();
    await box().fill('port');
    await expect.poll(alertText).toBe(message);
  });

  it('says the reader searched too often, and Try again searches again', async () => {
    await answerSearches({
      status: 429,
      headers: { 'retry-after': '12' },
      contentType: 'application/json',
      body: JSON.stringify({ error: { code: 'too_many_requests', message: 'Too many searches: at most 60 per 60 s. Try again in 12 s.' } }),
    });
    await openPage('/guide/configuration/');
    await openWithSlash();
    await box().fill('path parameter');
    await expect.poll(alertText).toBe('Too many searches: at most 60 per 60 s. Try again in 12 s.Try again');
    await page.unrouteAll({ behavior: 'ignoreErrors' });
    await dialog().getByRole('button', { name: 'Try again' }).click();
    await expect.poll(() => results().count()).toBeGreaterThan(1);
    expect(await dialog().getByRole('alert').count()).toBe(0);
  });

  it('says the server cannot be reached, never showing a raw response', async () => {
    await openPage('/guide/configuration/');
    await answerSearches('abort');
    await openWithSlash();
    await box().fill('port');
    await expect.poll(alertText).toBe('Could not reach the Docent server. Check your connection and try again.Try again');
    await page.unrouteAll({ behavior: 'ignoreErrors' });
    await answerSearches({ status: 500, contentType: 'application/json', body: JSON.stringify({ stack: 'Error: boom\n    at search (server.ts:1:1)' }) });
    await box().fill('host');
    await expect.poll(alertText).toBe('The Docent server answered 500 Internal Server Error: it may be restarting or overloaded. Try again in a moment.Try again');
  });

  it('says search needs the Docent server on a site served as static files', async () => {
    await answerSearches({ status: 404, contentType: 'text/html', body: '<!doctype html><title>404</title><h1>404 Not Found</h1>' });
    await openPage('/guide/configuration/');
    expect(await button().isVisible()).toBe(true);
    await button().click();
    await box().fill('port');
    await expect.poll(alertText).toBe(
      'Search needs the Docent server, and this copy of the docs is served without it (as static files). Browse the pages from the navigation instead.',
    );
    expect(await dialog().getByRole('button', { name: 'Try again' }).count()).toBe(0);
  });

  it('covers the screen of a phone, in the dark theme too', async () => {
    const phone = await context.newPage();
    await phone.setViewportSize({ width: 390, height: 800 });
    await openPage('/guide/configuration/', phone);
    await phone.getByRole('button', { name: 'Toggle dark mode' }).click();
    await button(phone).click();
    await box(phone).fill('path parameter');
    await expect.poll(() => results(phone).count()).toBeGreaterThan(1);
    expect(await dialog(phone).boundingBox()).toEqual({ x: 0, y: 0, width: 390, height: 800 });
    expect(await phone.evaluate(() => document.documentElement.scrollWidth)).toBe(390);
    const background = await dialog(phone).evaluate((el) => getComputedStyle(el).backgroundColor);
    expect(background).toBe('rgb(15, 17, 21)');
    await screenshot(phone, 'search-phone-dark');
    expect(await lowContrastText(phone)).toEqual([]);
    await dialog(phone).getByRole('button', { name: 'Close', exact: true }).click();
    await expect.poll(() => focusedName(phone)).toBe('Search the docs');
    await phone.getByRole('button', { name: 'Toggle dark mode' }).click();
    await phone.close();
  });
});
