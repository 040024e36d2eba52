/**
 * Links from the site root written the way the docs' own generator serves them
 * (`/docs/guides/setup`, `[x](/docs/intro.md)`) when the content folder is not that site's root:
 * its `docs/` under another name, or a folder holding the site's root folder (`pageLinkUrl()`,
 * ingest/page-links.ts, which the site's remark plugin and ingest share).
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Link, Root } from 'mdast';
import remarkMdx from 'remark-mdx';
import remarkParse from 'remark-parse';
import { unified } from 'unified';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { remarkFileLinks } from '../site/src/lib/remark-file-links';
import { remarkPageLinks } from '../site/src/lib/remark-page-links';

const site = mkdtempSync(join(tmpdir(), 'docent-site-root-links-'));
// The docs' `docs/` folder, copied under another name.
const handbook = join(site, 'handbook');
const files: Record<string, string> = {
  'handbook/index.md': '# Home\n',
  'handbook/intro.md': '# Intro\n',
  'handbook/guides/setup.md': '# Setup\n\n## Install\n',
  'handbook/guides/page.md': '# Page\n',
};
const saved = process.env.DOCENT_CONTENT_ROOT;
beforeAll(() => {
  for (const [path, content] of Object.entries(files)) {
    mkdirSync(join(site, path, '..'), { recursive: true });
    writeFileSync(join(site, path), content);
  }
  process.env.DOCENT_CONTENT_ROOT = handbook;
});
afterAll(() => {
  if (saved === undefined) delete process.env.DOCENT_CONTENT_ROOT;
  else process.env.DOCENT_CONTENT_ROOT = saved;
  rmSync(site, { recursive: true, force: true });
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
