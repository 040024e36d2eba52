/**
 * Links written to a MyST label (`[the policies](netpol)` for `(netpol)=` before a heading, as
 * Sphinx sites with myst-parser write them): pointed at the label's page and heading, as ingest
 * points them (ingest/myst-labels.ts, `pageLinkUrl()`), and on a site that sets MyST labels, a bare
 * name that leads nowhere gets a build notice saying so, not one about a missing file
 * (site/src/lib/remark-file-links.ts). One site build, below.
 */
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Link, Root } from 'mdast';
import remarkParse from 'remark-parse';
import { unified } from 'unified';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { runSiteBuild } from '../site/build';
import { checkFileLink, pageLinkTest, remarkFileLinks } from '../site/src/lib/remark-file-links';
import { remarkPageLinks } from '../site/src/lib/remark-page-links';
import { useContentFixture } from './helpers/content-fixture';
import { siteBuildRoot } from './helpers/site-build-root';

const site = mkdtempSync(join(tmpdir(), 'docent-myst-label-links-'));
const docs = join(site, 'docs');
const files: Record<string, string> = {
  'docs/index.md': '# Home\n',
  'docs/administrator/security.md': '# Security\n\n(https)=\n\n## HTTPS\n\n(netpol)=\n\n## Kubernetes network policies\n',
  'docs/administrator/upgrade.md': '# Upgrade\n',
};
useContentFixture({
  site,
  files,
  contentRoot: docs,
});
const page = join(docs, 'administrator/upgrade.md');

describe('links to MyST labels', () => {
  const notices: string[] = [];
  afterEach(() => {
    vi.restoreAllMocks();
    notices.length = 0;
  });

  it("points a link to a label at the label's page and heading, and names a bare name that leads nowhere", async () => {
    vi.spyOn(console, 'warn').mockImplementation((line: string) => void notices.push(line));
    const processor = unified().use(remarkParse).use(remarkPageLinks).use(remarkFileLinks);
    const tree: Root = processor.parse('See [the policies](netpol), [HTTPS](HTTPS) and [the schema](schema_hub.config).\n\nAlso [the changelog](changelog).\n');
    await processor.run(tree, { path: page } as never);
    const urls: string[] = [];
    const walk = (node: Root | Root['children'][number]): void => {
      if (node.type === 'link') urls.push((node as Link).url);
      if ('children' in node) for (const child of node.children) walk(child as Root['children'][number]);
    };
    walk(tree);
    expect(urls).toEqual(['/administrator/security/#kubernetes-network-policies', '/administrator/security/#https', 'schema_hub.config', 'changelog']);
    expect(notices).toEqual([
      '[docent] administrator/upgrade.md:1: link schema_hub.config names no page, file or MyST label of the docs: the link leads nowhere',
      '[docent] administrator/upgrade.md:3: link changelog names no page, file or MyST label of the docs: the link leads nowhere',
    ]);
  });

  it('says a bare name is missing only on a site that sets MyST labels', async () => {
    const isPage = await pageLinkTest(docs, 'administrator/upgrade.md');
    expect(checkFileLink('changelog', page, docs, isPage, { mystLabels: true })).toEqual({ kind: 'missing', reason: 'names no page, file or MyST label of the docs' });
    expect(checkFileLink('changelog', page, docs, isPage)).toEqual({ kind: 'as-written' });
    expect(checkFileLink('schema_hub.config', page, docs, isPage)).toEqual({ kind: 'missing' });
    for (const url of ['netpol', './security', '../', '#https', 'https://example.com']) expect(checkFileLink(url, page, docs, isPage, { mystLabels: true }), url).toEqual({ kind: 'as-written' });
  });
});

describe('a site build of MyST pages with links to labels', () => {
  const root = siteBuildRoot('docent-site-myst-labels-');

  it("points them at the label's heading, and names each that leads nowhere", async () => {
    const content = join(root, 'docs');
    for (const [path, data] of Object.entries({
      ...files,
      'docs/administrator/upgrade.md': '# Upgrade\n\nSee [the policies](netpol) and [the schema](schema_hub.config).\n',
      'docs/administrator/roles.md':
        '# Roles\n\nSee {ref}`netpol`, {ref}`HTTPS <https>`, {doc}`the upgrade <upgrade>`, {doc}`/administrator/security`, [the policies](#netpol), {ref}`genindex` and {doc}`missing`.\n',
      'docs/administrator/roles-mdx.mdx': '# Roles in MDX\n\nSee {ref}`netpol`, {doc}`the upgrade <upgrade>` and {doc}`01-intro`.\n',
      'docs/administrator/later.md': '# Later\n\nSee {ref}`later`.\n',
      'docs/administrator/01-intro.md': 'A page without a title or heading.\n',
      'docs/administrator/retitled.md': '# Retitled\n\nSee {doc}`upgrade`.\n',
    })) {
      mkdirSync(join(root, path, '..'), { recursive: true });
      writeFileSync(join(root, path), data);
    }
    const warnings: string[] = [];
    const out = join(root, 'out');
    const result = await runSiteBuild({ contentDir: content, outDir: out, cacheDir: join(root, 'cache'), log: () => {}, warn: (l) => warnings.push(l) });
    expect(result).toBe('built');
    expect(warnings.filter((l) => l.includes(': link') || l.includes('linked file'))).toEqual([
      '[docent] administrator/upgrade.md:3: link schema_hub.config names no page, file or MyST label of the docs: the link leads nowhere',
    ]);
    const html = readFileSync(join(out, 'administrator/upgrade/index.html'), 'utf8');
    expect(html).toContain('<a href="/administrator/security/#kubernetes-network-policies">the policies</a>');
    expect(readFileSync(join(out, 'administrator/security/index.html'), 'utf8')).toContain('id="kubernetes-network-policies"');
    // MyST's {ref} and {doc} roles and links to #label: links where they lead to a page, as ingest stores them; text where they do not.
    const roles = readFileSync(join(out, 'administrator/roles/index.html'), 'utf8');
    expect(roles).toContain(
      'See <a href="/administrator/security/#kubernetes-network-policies">Kubernetes network policies</a>, <a href="/administrator/security/#https">HTTPS</a>, ' +
        '<a href="/administrator/upgrade/">the upgrade</a>, <a href="/administrator/security/">Security</a>, ' +
        '<a href="/administrator/security/#kubernetes-network-policies">the policies</a>, genindex and missing.',
    );
    expect(readFileSync(join(out, 'administrator/roles-mdx/index.html'), 'utf8')).toContain(
      'See <a href="/administrator/security/#kubernetes-network-policies">Kubernetes network policies</a>, <a href="/administrator/upgrade/">the upgrade</a> and <a href="/administrator/01-intro/">Intro</a>.',
    );
    // A page titled from its file name leaves out the number prefix (the URL keeps it), as Docusaurus titles it.
    expect(readFileSync(join(out, 'administrator/01-intro/index.html'), 'utf8')).toMatch(/<title>Intro\b/);
    expect(readFileSync(join(out, 'administrator/retitled/index.html'), 'utf8')).toContain('See <a href="/administrator/upgrade/">Upgrade</a>.');
    expect(readFileSync(join(out, 'administrator/later/index.html'), 'utf8')).toContain('See later.');

    // The label set later on another page: the unchanged page is rendered again, its role now a link (not left cached as text).
    writeFileSync(join(content, 'administrator/security.md'), `${files['docs/administrator/security.md']}\n(later)=\n\n## Later steps\n`);
    // So is a page whose {doc} shows another page's title, when that title changes.
    writeFileSync(join(content, 'administrator/upgrade.md'), '# Upgrading\n\nSee [the policies](netpol) and [the schema](schema_hub.config).\n');
    expect(await runSiteBuild({ contentDir: content, outDir: out, cacheDir: join(root, 'cache'), log: () => {}, warn: () => {} })).toBe('built');
    expect(readFileSync(join(out, 'administrator/later/index.html'), 'utf8')).toContain('See <a href="/administrator/security/#later-steps">Later steps</a>.');
    expect(readFileSync(join(out, 'administrator/retitled/index.html'), 'utf8')).toContain('See <a href="/administrator/upgrade/">Upgrading</a>.');
  }, 600_000);
});
