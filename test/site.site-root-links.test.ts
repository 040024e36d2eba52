/**
 * Links from the site root written the way the docs' own generator serves them
 * (`/docs/guides/setup`, `[x](/docs/intro.md)`) when the content folder is not that site's root:
 * its `docs/` under another name, or a folder holding the site's root folder (`pageLinkUrl()`,
 * ingest/page-links.ts, which the site's remark plugin and ingest share). And the build's notice
 * for a link to a file that exists but that the site does not publish (outside the content folder,
 * hidden, a draft: site/src/lib/remark-file-links.ts). One site build, below.
 */
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Link, Root } from 'mdast';
import remarkMdx from 'remark-mdx';
import remarkParse from 'remark-parse';
import { unified } from 'unified';
import { describe, expect, it } from 'vitest';
import { runSiteBuild } from '../site/build';
import { remarkFileLinks } from '../site/src/lib/remark-file-links';
import { remarkPageLinks } from '../site/src/lib/remark-page-links';
import { useContentFixture } from './helpers/content-fixture';
import { siteBuildRoot } from './helpers/site-build-root';

const site = mkdtempSync(join(tmpdir(), 'docent-site-root-links-'));
// The docs' `docs/` folder, copied under another name.
const handbook = join(site, 'handbook');
const files: Record<string, string> = {
  'handbook/index.md': '# Home\n',
  'handbook/intro.md': '# Intro\n',
  'handbook/guides/setup.md': '# Setup\n\n## Install\n',
  'handbook/guides/page.md': '# Page\n',
};
useContentFixture({
  site,
  files,
  contentRoot: handbook,
});

describe('remarkPageLinks() with links from the site root of the docs\' own site', () => {
  it('points /docs/… links at the page when the content folder is that site\'s docs/ under another name', async () => {
    const processor = unified().use(remarkParse).use(remarkMdx).use(remarkPageLinks).use(remarkFileLinks);
    const text = [
      "import Link from '@docusaurus/Link';",
      '',
      '[setup](/docs/guides/setup#install), [intro](/docs/intro.md), [blog](/blog/none) and [home](/docs).',
      '',
      '<a href="/docs/guides/setup">A</a> <Link to="/docs/intro">B</Link>',
      '',
    ].join('\n');
    const tree: Root = processor.parse(text);
    await processor.run(tree, { path: join(handbook, 'guides/page.mdx') } as never);
    const urls: unknown[] = [];
    const walk = (node: Root | Root['children'][number]): void => {
      if (node.type === 'link') urls.push((node as Link).url);
      if ((node.type as string) === 'mdxJsxTextElement') {
        urls.push((node as unknown as { attributes: { name: string; value: unknown }[] }).attributes.find((a) => a.name === 'href' || a.name === 'to')?.value);
      }
      if ('children' in node) for (const child of node.children) walk(child as Root['children'][number]);
    };
    walk(tree);
    expect(urls).toEqual(['/guides/setup/#install', '/intro/', '/blog/none', '/docs', '/guides/setup/', '/intro/']);
  });
});

describe('a site build of a docs/ folder under another name, with links to files it does not publish', () => {
  const root = siteBuildRoot('docent-site-root-links-');

  it('points /docs/… links at their pages, and says why each link to an unpublished file leads nowhere', async () => {
    const content = join(root, 'handbook');
    const written: Record<string, string> = {
      'LICENSE': 'MIT\n',
      'handbook/index.md': '# Home\n',
      'handbook/intro.md': '# Intro\n',
      'handbook/.env': 'SECRET=1\n',
      'handbook/guides/setup.md': '# Setup\n\n## Install\n',
      'handbook/guides/draft.md': '---\ndraft: true\n---\n# Draft\n',
      'handbook/guides/page.md': [
        '# Page',
        '',
        'See [the setup](/docs/guides/setup#install), [the intro](/docs/intro.md) and <a href="/docs/guides/setup">setup</a>.',
        '',
        'Licensed under [MIT](../../LICENSE); see [the draft](./draft.md) and [the settings](../.env).',
        '',
        'Also [gone](./gone.pdf).',
        '',
      ].join('\n'),
    };
    for (const [path, data] of Object.entries(written)) {
      mkdirSync(join(root, path, '..'), { recursive: true });
      writeFileSync(join(root, path), data);
    }
    const warnings: string[] = [];
    const out = join(root, 'out');
    const result = await runSiteBuild({ contentDir: content, outDir: out, cacheDir: join(root, 'cache'), log: () => {}, warn: (l) => warnings.push(l) });
    expect(result).toBe('built');
    expect(warnings.filter((l) => l.includes('linked file')).sort()).toEqual([
      '[docent] guides/page.md:5: linked file ../../LICENSE is outside the content folder, which the site does not serve: the link leads nowhere',
      '[docent] guides/page.md:5: linked file ../.env is a hidden file (a name starting with a dot), which the site does not serve: the link leads nowhere',
      '[docent] guides/page.md:5: linked file ./draft.md is a draft, which the site does not build: the link leads nowhere',
      '[docent] guides/page.md:7: linked file ./gone.pdf not found, so the link leads nowhere',
    ]);
    const html = readFileSync(join(out, 'guides/page/index.html'), 'utf8');
    expect(html).toContain('<a href="/guides/setup/#install">the setup</a>');
    expect(html).toContain('<a href="/intro/">the intro</a>');
    expect(html).toContain('<a href="/guides/setup/">setup</a>');
  }, 600_000);
});
