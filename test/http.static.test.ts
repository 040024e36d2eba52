/**
 * `serveSite`, the built docs site beside the API: redirects that stay on this origin, files it
 * never serves, and the headers its pages carry. Called through `app.request()` (full URLs, so a
 * path like `//evil.example/…` reaches the app exactly as a browser would send it).
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Hono } from 'hono';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { serveSite } from '../server/http/static';

const ORIGIN = 'http://docs.test';

describe('serveSite', () => {
  let siteDir: string;
  let app: Hono;
  beforeAll(() => {
    siteDir = mkdtempSync(join(tmpdir(), 'docent-static-'));
    const page = (path: string, title: string) => {
      mkdirSync(join(siteDir, path), { recursive: true });
      writeFileSync(join(siteDir, path, 'index.html'), `<!doctype html><title>${title}</title>`);
    };
    page('', 'Home');
    page('guides/xss', 'XSS');
    page('guides/a b', 'Spaced');
    page('chat', 'Chat');
    page('review', 'Review');
    writeFileSync(join(siteDir, 'widget.js'), 'console.log("widget")');
    page('.drafts/wip', 'Draft');
    page('api/.internal', 'Internal');
    writeFileSync(join(siteDir, '404.html'), '<!doctype html><title>Not found</title>');
    writeFileSync(join(siteDir, '.docent-build'), 'abc123\n');
    writeFileSync(join(siteDir, 'guides/.notes.txt'), 'private notes');
    mkdirSync(join(siteDir, '.well-known'));
    writeFileSync(join(siteDir, '.well-known/security.txt'), 'Contact: mailto:security@docs.test\n');
    app = new Hono().use('*', serveSite(siteDir));
  });
  afterAll(() => rmSync(siteDir, { recursive: true, force: true }));

  const get = (path: string) => app.request(`${ORIGIN}${path}`, { redirect: 'manual' });

  describe('the trailing-slash redirect', () => {
    it('sends /path to /path/, keeping the query string', async () => {
      const res = await get('/guides/xss?q=1&r=%2F');
      expect(res.status).toBe(308);
      expect(res.headers.get('location')).toBe('/guides/xss/?q=1&r=%2F');
      expect((await get('/guides/a%20b')).headers.get('location')).toBe('/guides/a%20b/');
    });

    it.each([
      '//evil.example/..%2fguides/xss',
      '//evil.example/%2E%2E/guides/xss',
      '//guides/xss',
      '/%5cevil.example/..%2fguides/xss',
      '/%5C%5Cevil.example/..%2fguides/xss',
      '/\\evil.example/..%2fguides/xss',
      '/\\/evil.example/..%2fguides/xss',
      '/.%2f/evil.example/..%2fguides/xss',
    ])('never leaves this origin: %s', async (path) => {
      const res = await get(path);
      expect(res.status).toBe(308);
      const location = res.headers.get('location')!;
      expect(location).toBe('/guides/xss/');
      // What a browser makes of it: this origin, the page that was found.
      expect(new URL(location, `${ORIGIN}${path}`).href).toBe(`${ORIGIN}/guides/xss/`);
    });

    it('sends a path that names the home folder another way to /', async () => {
      const res = await get('/guides/..%2f.');
      expect(res.status).toBe(308);
      expect(res.headers.get('location')).toBe('/');
    });
  });

  describe('dot-files', () => {
    it.each(['/.docent-build', '/%2edocent-build', '/guides/.notes.txt', '/guides/xss/..%2f.notes.txt', '/.drafts/wip/', '/.drafts/wip'])(
      'answers %s with the 404 page',
      async (path) => {
        const res = await get(path);
        expect(res.status).toBe(404);
        expect(await res.text()).toContain('<title>Not found</title>');
      },
    );

    it('serves no dot-folder page under /api/ either', async () => {
      expect((await get('/api/.internal/')).status).toBe(404);
    });

    it('still serves /.well-known/ (RFC 8615)', async () => {
      const res = await get('/.well-known/security.txt');
      expect(res.status).toBe(200);
      expect(await res.text()).toContain('Contact:');
    });
  });

  describe('headers', () => {
    const SELF_ONLY = "frame-ancestors 'self'";

    it.each(['/', '/guides/xss/', '/chat/', '/review/', '/no/such/page/'])('%s may be framed by this origin only', async (path) => {
      const res = await get(path);
      expect(res.headers.get('content-type')).toBe('text/html; charset=utf-8');
      expect(res.headers.get('content-security-policy')).toBe(SELF_ONLY);
      expect(res.headers.get('x-frame-options')).toBe('SAMEORIGIN');
      expect(res.headers.get('referrer-policy')).toBe('strict-origin-when-cross-origin');
      expect(res.headers.get('x-content-type-options')).toBe('nosniff');
    });

    it('sends the same on HEAD', async () => {
      const res = await app.request(`${ORIGIN}/review/`, { method: 'HEAD' });
      expect(res.status).toBe(200);
      expect(res.headers.get('content-security-policy')).toBe(SELF_ONLY);
    });

    it('gives files that are not pages the referrer policy and no CSP', async () => {
      const res = await get('/widget.js');
      expect(res.status).toBe(200);
      expect(res.headers.get('referrer-policy')).toBe('strict-origin-when-cross-origin');
      expect(res.headers.get('content-security-policy')).toBeNull();
    });

    it('lets chatFrameAncestors frame the full-page chat, and nothing else', async () => {
      const embedding = new Hono().use('*', serveSite(siteDir, { chatFrameAncestors: ['https://docs.example.com', 'https://www.example.com'] }));
      const chat = await embedding.request(`${ORIGIN}/chat/`);
      expect(chat.headers.get('content-security-policy')).toBe("frame-ancestors 'self' https://docs.example.com https://www.example.com");
      // It would override the CSP in old browsers and refuse the sites allowed above.
      expect(chat.headers.get('x-frame-options')).toBeNull();
      expect((await embedding.request(`${ORIGIN}/chat/index.html`)).headers.get('content-security-policy')).toBe(chat.headers.get('content-security-policy'));
      for (const path of ['/', '/review/', '/guides/xss/', '/no/such/page/']) {
        expect((await embedding.request(`${ORIGIN}${path}`)).headers.get('content-security-policy'), path).toBe(SELF_ONLY);
      }
      const anyone = new Hono().use('*', serveSite(siteDir, { chatFrameAncestors: ['*'] }));
      expect((await anyone.request(`${ORIGIN}/chat/`)).headers.get('content-security-policy')).toBe("frame-ancestors 'self' *");
    });

    it.each([['https://docs.example.com/path'], ["https://a.example 'unsafe-inline'"], ['docs.example.com'], ["https://a.example; script-src 'none'"]])(
      'refuses chatFrameAncestors %j at setup',
      (origin) => {
        expect(() => serveSite(siteDir, { chatFrameAncestors: [origin] })).toThrow(/chatFrameAncestors: .* is not an origin like https:\/\/docs\.example\.com/);
      },
    );

    it('frames the page shown before the site is built by this origin only', async () => {
      const empty = mkdtempSync(join(tmpdir(), 'docent-static-empty-'));
      try {
        const res = await new Hono().use('*', serveSite(empty)).request(`${ORIGIN}/`);
        expect(await res.text()).toContain('Docent is running');
        expect(res.headers.get('content-security-policy')).toBe(SELF_ONLY);
        expect(res.headers.get('referrer-policy')).toBe('strict-origin-when-cross-origin');
      } finally {
        rmSync(empty, { recursive: true, force: true });
      }
    });
  });
});
