/**
 * A docs folder written for Fumadocs and Docusaurus, built once by the build command
 * (`tsx site/build.ts`, into `SITE_OUT_DIR`): the sidebar follows the folders' own files
 * (`meta.json`, `_category_.json`, `_category_.yml`; a malformed one is a notice naming it) and
 * Docusaurus' number prefixes, the
 * generated home page names folder pages by their folder, an imported component whose file the
 * site cannot build says it is not shown, and an `<img>` of a missing image import shows its alt.
 * (The rules themselves: test/site.nav.test.ts, test/site.sidebar-folders.test.ts,
 * test/site.unknown-components.test.ts.)
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { PROJECT_ROOT } from '../site/build';
import { siteBuildRoot } from './helpers/site-build-root';

const files: Record<string, string> = {
  'meta.json': JSON.stringify({ pages: ['getting-started', 'reference', 'core-concepts', '[Changelog](https://example.com/changelog)', '...', '!telemetry'] }),
  'telemetry.mdx': '# Telemetry\n\nWhat is collected.\n',
  'getting-started/index.mdx': '# Getting started\n\nStart here.\n',
  'getting-started/installation.mdx': '# Installation\n',
  'getting-started/examples.mdx': '# Examples\n',
  'getting-started/meta.json': JSON.stringify({ pages: ['installation', 'examples', '[The run command](/reference/run/)', 'upgrading'] }),
  'getting-started/unlisted.mdx': '# Unlisted\n\nA page the sidebar leaves out, built all the same.\n',
  'core-concepts/index.mdx': '# Core concepts\n',
  'core-concepts/caching.mdx': '# Caching\n',
  'reference/index.mdx': '# Reference\n',
  'reference/meta.json': JSON.stringify({ title: 'API reference', pages: ['---Commands---', 'watch', '---', '...'] }),
  'reference/watch.mdx': '# watch\n',
  'reference/run.mdx': [
    'import { CreateCallout } from "./create-callout.tsx";',
    'import diagram from "./run-diagram.png";',
    '',
    '# run',
    '',
    '<CreateCallout />',
    '',
    '<img src={diagram.src} alt="How run schedules tasks" />',
    '',
    'The end.',
    '',
  ].join('\n'),
  'reference/create-callout.tsx': 'import Link from "next/link";\n\nexport const CreateCallout = () => <p>Made with <Link href="/x">create</Link>.</p>;\n',
  'api/_category_.json': JSON.stringify({ label: 'The API', position: 1, collapsed: true }),
  'api/client.md': '# Client\n',
  'plugins/_category_.yml': 'label: Plugins\nposition: [1\n',
  // Docusaurus' number prefixes: the order, and left out of labels made from the names.
  '05-tutorial/02-second.md': '# Second step\n',
  '05-tutorial/01-first.md': 'No heading here.\n',
  '05-tutorial/10-last.md': '# Last step\n',
  'plugins/sitemap.md': '# Sitemap\n',
};

/** The sidebar of a built page, as lines: `## Label` for a group (`[closed]` when it starts closed), `-- Label` for a separator, indented by depth. */
function sidebar(html: string): string[] {
  const nav = html.slice(html.indexOf('<nav class="sidebar"'), html.indexOf('</nav>', html.indexOf('<nav class="sidebar"')));
  const lines: string[] = [];
  let depth = 0;
  let closed = false;
  for (const m of nav.matchAll(/<(\/?)(ul|summary|a|li class="nav-separator"|details)([^>]*)>([^<]*)/g)) {
    const [, close, tag, attributes, text] = m;
    if (tag === 'ul') depth += close ? -1 : 1;
    else if (tag === 'details' && !close) closed = !/\bopen\b/.test(attributes!);
    else if (!close && text!.trim()) {
      const indent = '  '.repeat(depth - 1);
      if (tag === 'summary') lines.push(`${indent}## ${text!.trim()}${closed ? ' [closed]' : ''}`);
      else lines.push(`${indent}${tag === 'a' ? '' : '-- '}${text!.trim()}`);
    }
  }
  return lines;
}

describe('a site build of a docs folder with Fumadocs and Docusaurus folder files, into SITE_OUT_DIR', () => {
  const root = siteBuildRoot('docent-site-folder-files-');
  const content = join(root, 'docs');
  const out = join(root, 'out');
  let build: { code: number | null; output: string };
  const page = (url: string) => readFileSync(join(out, url, 'index.html'), 'utf8');

  beforeAll(async () => {
    for (const [path, text] of Object.entries(files)) {
      mkdirSync(join(content, path, '..'), { recursive: true });
      writeFileSync(join(content, path), text);
    }
    // The build command, as a user runs it: `SITE_OUT_DIR=… npx tsx site/build.ts`.
    build = await new Promise((resolve, reject) => {
      const child = spawn(process.execPath, [join(PROJECT_ROOT, 'node_modules/tsx/dist/cli.mjs'), 'site/build.ts'], {
        cwd: PROJECT_ROOT,
        env: { ...process.env, CONTENT_DIR: content, SITE_OUT_DIR: out, SITE_CACHE_DIR: join(root, 'cache') },
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      let output = '';
      child.stdout.on('data', (d: Buffer) => (output += d.toString()));
      child.stderr.on('data', (d: Buffer) => (output += d.toString()));
      child.on('error', reject);
      child.on('exit', (code) => resolve({ code, output }));
    });
  }, 600_000);

  it('builds into SITE_OUT_DIR, and reports the malformed folder file by name without failing', () => {
    expect(build.code, build.output).toBe(0);
    expect(existsSync(join(out, 'index.html'))).toBe(true);
    expect(existsSync(join(out, 'widget.js'))).toBe(true);
    expect(build.output).toMatch(/\[docent\] plugins\/_category_\.yml:\d+: not valid YAML \([^)]+\): the sidebar ignores it/);
    expect(build.output).toContain('[docent] getting-started/meta.json: pages entry "upgrading" names no page or folder here: ignored');
  });

  it('builds the pages a pages list leaves out (not listed, or `!name`), out of the sidebar, the home page cards and the previous/next links', () => {
    for (const url of ['getting-started/unlisted', 'telemetry']) {
      const html = page(url);
      expect(html).toContain('<h1');
      expect(sidebar(html)).not.toContain('Unlisted');
      expect(sidebar(html)).not.toContain('Telemetry');
      expect(html).not.toMatch(/class="(?:prev|next)"/);
      expect(page('')).not.toContain(`href="/${url}/"`);
    }
    // The link to a page of the site is in the reading order where the list puts it.
    expect(page('getting-started/examples')).toMatch(/<a class="next" href="\/reference\/run\/" rel="next"><small>Next<\/small>The run command<\/a>/);
  });

  it("orders the sidebar as the folder files say: the root's pages list, labels, positions, separators, links to other sites", () => {
    expect(sidebar(page('reference/run'))).toEqual([
      '## Getting started',
      '  Overview',
      '  Installation',
      '  Examples',
      '  The run command',
      '## API reference',
      '  Overview',
      '  -- Commands',
      '  watch',
      '  run',
      '## Core concepts [closed]',
      '  Overview',
      '  Caching',
      'Changelog',
      '## The API [closed]',
      '  Client',
      '## Tutorial [closed]',
      '  First',
      '  Second step',
      '  Last step',
      '## Plugins [closed]',
      '  Sitemap',
    ]);
    expect(page('reference/run')).toContain('<a class="nav-link nav-external" href="https://example.com/changelog" rel="noopener noreferrer">Changelog</a>');
    // `---` alone: a line between `watch` and `run`.
    expect(page('reference/run')).toMatch(/>watch<\/a>\s*<\/li>\s*<li class="nav-rule" aria-hidden="true"><\/li>\s*<li>\s*<a class="nav-link" href="\/reference\/run\/"/);
    // Number prefixes stay in the URLs.
    expect(page('reference/run')).toContain('<a class="nav-link" href="/05-tutorial/01-first/">First</a>');
  });

  it("names a folder's page by its folder on the generated home page, not \"Overview\"", () => {
    const cards = [...page('').matchAll(/<li><a href="([^"]+)">([^<]*)<\/a><\/li>/g)].map((m) => `${m[2]} ${m[1]}`);
    expect(cards.slice(0, 5)).toEqual(['Getting started /getting-started/', 'Installation /getting-started/installation/', 'Examples /getting-started/examples/', 'The run command /reference/run/', 'API reference /reference/']);
    expect(cards.filter((card) => card.startsWith('Overview'))).toEqual([]);
    // A page the sidebar lists twice (here by a link in a pages list) is one card, where it is first listed.
    expect(cards.filter((card) => card.endsWith(' /reference/run/'))).toEqual(['The run command /reference/run/']);
    // And in the previous/next links.
    expect(page('reference/run')).toMatch(/<a class="prev" href="\/getting-started\/examples\/" rel="prev"><small>Previous<\/small>Examples<\/a>/);
  });

  it('says an imported component whose file the site cannot build is not shown, and shows the alt of an <img> of a missing image import', () => {
    const html = page('reference/run');
    const article = html.slice(html.indexOf('<article'), html.indexOf('</article>'));
    expect(article).toContain('<p class="mdx-unknown mdx-not-shown">Not shown here: <code>&lt;CreateCallout /&gt;</code></p>');
    expect(article).toContain('<em>[How run schedules tasks]</em>');
    expect(article).not.toContain('<img');
    expect(build.output).toContain('[docent] reference/run.mdx:2: imported file ./run-diagram.png not found, so the page is built without it');
  });
});
