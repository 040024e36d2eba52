import remarkParse from 'remark-parse';
import { unified } from 'unified';
import { describe, expect, it } from 'vitest';
import { documentUrl } from '../ingest/urls';

describe('documentUrl()', () => {
  it('gives a page its path without the extension, with a trailing slash, under the base URL', () => {
    expect(documentUrl('api/routing.md')).toBe('/api/routing/');
    expect(documentUrl('guide/quick start.mdx', 'https://docs.example.com')).toBe('https://docs.example.com/guide/quick%20start/');
  });

  it('writes letters in composed form (NFC), as the site builds the page, whatever form the file name has', () => {
    const nfd = 'guides/re\u0301sume\u0301.md'; // as macOS names résumé.md
    expect(documentUrl(nfd)).toBe('/guides/r%C3%A9sum%C3%A9/');
    expect(documentUrl(nfd)).toBe(documentUrl(nfd.normalize('NFC')));
  });

  it('maps index pages, and Hugo\'s _index section pages, to their folder', () => {
    expect(documentUrl('index.md')).toBe('/');
    expect(documentUrl('guide/index.mdx')).toBe('/guide/');
    expect(documentUrl('_index.md')).toBe('/');
    expect(documentUrl('concepts/_index.md', 'https://k8s.example/docs/')).toBe('https://k8s.example/docs/concepts/');
    expect(documentUrl('concepts/my_index.md')).toBe('/concepts/my_index/');
  });

  it('maps a README to its folder, as MkDocs, Docusaurus and GitBook do (scan.ts leaves out a README beside an index page)', () => {
    expect(documentUrl('README.md')).toBe('/');
    expect(documentUrl('guides/README.md')).toBe('/guides/');
    expect(documentUrl('guides/readme.mdx', '/docs/')).toBe('/docs/guides/');
    expect(documentUrl('guides/readme-first.md')).toBe('/guides/readme-first/');
  });

  it('leaves out Fumadocs folder groups, (name), as Fumadocs serves their pages, and only those', () => {
    expect(documentUrl('(guides)/setup.mdx')).toBe('/setup/');
    expect(documentUrl('docs/(guides)/(basics)/setup.mdx', '/base/')).toBe('/base/docs/setup/');
    expect(documentUrl('api/(methods)/get.md')).toBe('/api/get/');
    expect(documentUrl('(guides)/index.mdx')).toBe('/');
    expect(documentUrl('(guides)/deploy/README.md')).toBe('/deploy/');
    // Not a group: parentheses inside a name, an unclosed one, a file's own name.
    expect(documentUrl('api/get(id)/a.md')).toBe('/api/get%28id%29/a/');
    expect(documentUrl('(draft/a.md')).toBe('/%28draft/a/');
    expect(documentUrl('guides/(setup).md')).toBe('/guides/%28setup%29/');
  });

  it('encodes parentheses, so that a URL put in a markdown link (a citation, a link in a chunk) is a link', () => {
    const links = (markdown: string) => JSON.stringify(unified().use(remarkParse).parse(markdown)).match(/"url":"[^"]*"/g);
    for (const path of ['notes(draft.md', 'notes)draft.md', 'v2)/setup.md', 'guides/(setup).md']) {
      const url = documentUrl(path, '/docs/');
      expect(links(`See [the page](${url}) and [another](/other/).`)).toEqual([`"url":"${url}"`, '"url":"/other/"']);
      expect(decodeURI(url)).toBe(`/docs/${path.replace(/\.md$/, '')}/`);
    }
  });
});
