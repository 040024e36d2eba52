/**
 * Links of a source to files the docs site publishes (`./spec.pdf`): quoted in an answer, they lead
 * to the file on the site (server/answer/site-files.ts, `resolveLinksOf()` of source-links.ts).
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { siteFileUrls } from '../server/answer/site-files';
import { resolveLinksOf } from '../server/answer/source-links';

const siteDir = mkdtempSync(join(tmpdir(), 'docent-site-files-'));
beforeAll(() => {
  // What the site's build copies: the files its pages link to.
  for (const path of ['_docent/files/content/guides/spec.pdf', '_docent/files/content/guides/my examples.zip', '_docent/files/content/files/data.csv', '_docent/files/static/files/beside.zip', 'guides/page/index.html']) {
    mkdirSync(join(siteDir, path, '..'), { recursive: true });
    writeFileSync(join(siteDir, path), 'x');
  }
});
afterAll(() => rmSync(siteDir, { recursive: true, force: true }));

const fileUrl = siteFileUrls({ siteDir, source: 'docs' });
const page = { source: 'docs', path: 'guides/page.md' };

describe('siteFileUrls()', () => {
  it('gives the URL of a file the built site holds, read from the page’s folder or the site root, its fragment kept', () => {
    expect(fileUrl('./spec.pdf#page=2', page)).toBe('/_docent/files/content/guides/spec.pdf#page=2');
    expect(fileUrl('spec.pdf', page)).toBe('/_docent/files/content/guides/spec.pdf');
    expect(fileUrl('./my%20examples.zip', page)).toBe('/_docent/files/content/guides/my%20examples.zip');
    expect(fileUrl('../files/data.csv', page)).toBe('/_docent/files/content/files/data.csv');
    expect(fileUrl('./spec.pdf', { source: 'docs', path: 'guides/index.md' })).toBe('/_docent/files/content/guides/spec.pdf');
    expect(fileUrl('/files/data.csv', page)).toBe('/_docent/files/content/files/data.csv');
    expect(fileUrl('/files/beside.zip', page)).toBe('/_docent/files/static/files/beside.zip');
  });

  it('gives nothing for a file the site does not hold, a page, the web, or a page of another source', () => {
    for (const href of ['./none.pdf', './page.md', '../page/', '#usage', 'https://example.com/spec.pdf', '//cdn.example.com/a.zip', '../../spec.pdf', '../.env', '']) {
      expect(fileUrl(href, page), href).toBeUndefined();
    }
    expect(fileUrl('./spec.pdf', { source: 'other', path: 'guides/page.md' })).toBeUndefined();
  });
});

describe('resolveLinksOf()', () => {
  const source = { ...page, url: '/guides/page/#usage', text: 'Read [the spec](./spec.pdf#page=2), [the FAQ](./faq.md) and [usage](#usage).\n\n```md\n[x](./spec.pdf)\n```' };

  it('points links to files the site serves at them, and resolves the others against the page’s URL', () => {
    expect(resolveLinksOf(source, fileUrl)).toBe(
      'Read [the spec](/_docent/files/content/guides/spec.pdf#page=2), [the FAQ](/guides/page/faq.md) and [usage](/guides/page/#usage).\n\n```md\n[x](./spec.pdf)\n```',
    );
    // Without a site: as before, against the page's URL.
    expect(resolveLinksOf(source)).toContain('[the spec](/guides/page/spec.pdf#page=2)');
    expect(resolveLinksOf(source, fileUrl, 'A passage: [the spec](spec.pdf).')).toBe('A passage: [the spec](/_docent/files/content/guides/spec.pdf).');
  });
});
