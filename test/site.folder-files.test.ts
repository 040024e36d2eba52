/**
 * A docs folder built by the build command as a user runs it (`tsx site/build.ts`, into
 * `SITE_OUT_DIR`).
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { PROJECT_ROOT } from '../site/build';
import { siteBuildRoot } from './helpers/site-build-root';

const files: Record<string, string> = {
  'meta.json': JSON.stringify({ pages: ['getting-started', 'reference', 'core-concepts', '[Changelog](https://example.com/changelog)'] }),
  'getting-started/index.mdx': '# Getting started\n\nStart here.\n',
  'getting-started/installation.mdx': '# Installation\n',
  'getting-started/examples.mdx': '# Examples\n',
  'getting-started/meta.json': JSON.stringify({ pages: ['installation', 'examples'] }),
  'core-concepts/index.mdx': '# Core concepts\n',
  'core-concepts/caching.mdx': '# Caching\n',
  'reference/index.mdx': '# Reference\n',
  'reference/meta.json': JSON.stringify({ title: 'API reference', pages: ['---Commands---', 'watch', '...'] }),
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
  'plugins/sitemap.md': '# Sitemap\n',
};

describe('a site build by the build command, into SITE_OUT_DIR', () => {
  const root = siteBuildRoot('docent-site-folder-files-');
  const content = join(root, 'docs');
  const out = join(root, 'out');
  let build: { code: number | null; output: string };

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

  it('builds into SITE_OUT_DIR', () => {
    expect(build.code, build.output).toBe(0);
    expect(existsSync(join(out, 'index.html'))).toBe(true);
    expect(existsSync(join(out, 'widget.js'))).toBe(true);
  });
});
