import { describe, expect, it } from 'vitest';
import { createSiteLinkFilter, siteLinkPaths, sitePagePath } from '../server/answer/site-links';

const pages = new Set(['/guides/cookies/', '/']);

/** Feeds `text` to a filter in pieces of `size` characters, as a stream would. */
async function filtered(text: string, size = text.length): Promise<string> {
  const filter = createSiteLinkFilter(async (path) => pages.has(path.endsWith('/') ? path : `${path}/`));
  let out = '';
  for (let i = 0; i < text.length; i += size) out += await filter.push(text.slice(i, i + size));
  return out + (await filter.flush());
}

describe('createSiteLinkFilter()', () => {
  it('shows a site-relative link to a page that is not indexed as its text, and keeps links to indexed pages', async () => {
    expect(await filtered('See [the page](/guides/nonexistent/#nope) and [cookies](/guides/cookies/#set-a-cookie) [1].')).toBe(
      'See the page and [cookies](/guides/cookies/#set-a-cookie) [1].',
    );
    expect(await filtered('[Home](/) and [cookies](/guides/cookies "Cookies").')).toBe('[Home](/) and [cookies](/guides/cookies "Cookies").');
  });

  it('leaves links to other sites, anchors, citations, images and code alone', async () => {
    const text =
      '[the docs](https://evil.example.com/phish), <https://attacker.example/>, [top](#top), [x](//cdn.example/x), ' +
      'Cite [1][2]. ![logo](/img/nope.png)\n\n```md\n[page](/nope/)\n```\n\nUse `[a](/nope/)`.';
    expect(await filtered(text)).toBe(text);
  });

  it.each([1, 3, 8])('decides the same however the text is split (pieces of %i)', async (size) => {
    const text = 'A [made up [1]](/made/up/) link, [cookies](/guides/cookies/) and [text] [2] end.';
    expect(await filtered(text, size)).toBe('A made up [1] link, [cookies](/guides/cookies/) and [text] [2] end.');
  });

  it('holds back only what may still be a link', async () => {
    const filter = createSiteLinkFilter(async () => false);
    expect(await filter.push('Read [the ')).toBe('Read ');
    expect(await filter.push('guide](/gui')).toBe('');
    expect(await filter.push('des/x/) now')).toBe('the guide now');
    expect(await filter.flush()).toBe('');
  });
});

describe('sitePagePath() and siteLinkPaths()', () => {
  it('gives the page of site-relative URLs only', () => {
    expect(sitePagePath('/guides/x/#y')).toBe('/guides/x/');
    expect(sitePagePath('/guides/x?a=1')).toBe('/guides/x');
    expect(sitePagePath('https://x.example/')).toBeUndefined();
    expect(sitePagePath('//x.example/')).toBeUndefined();
    expect(siteLinkPaths('See [a](/files/spec.json) and [b](https://x.example/) and [c](</guides/y/#z>).')).toEqual(['/files/spec.json', '/guides/y/']);
  });
});
