/**
 * A `.md` page written as MDX (opening with `import Tabs from '@theme/Tabs'`, as Docusaurus 3 reads
 * every `.md` page as MDX): ingest reads it as MDX (`isMarkdownWrittenAsMdx()`), and the docs site
 * shows it without its import/export lines, as ingest indexes it, and the text inside its
 * components. A page whose lines only start with the word "import" is markdown on both. One site build.
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseDocument } from '../ingest/parse';
import { runSiteBuild } from '../site/build';
import { siteBuildRoot } from './helpers/site-build-root';

const files: Record<string, string> = {
  'docs/index.md': '# Home\n\nWelcome.\n',
  'docs/install.md': [
    '---',
    'title: Install',
    '---',
    '',
    "import Tabs from '@theme/Tabs';",
    "import TabItem from '@theme/TabItem';",
    '',
    '## Setup',
    '',
    '<Tabs>',
    '<TabItem value="npm" label="npm">',
    '',
    'Run the installer with npm.',
    '',
    '</TabItem>',
    '</Tabs>',
    '',
  ].join('\n'),
  'docs/prose.md': '# Prose\n\nimport the module first, then call it.\n',
};

describe('a site build of a .md page written as MDX', () => {
  const root = siteBuildRoot('docent-site-md-as-mdx-');

  it('shows it without its import lines and with the text of its components, as ingest indexes it', async () => {
    for (const [path, data] of Object.entries(files)) {
      mkdirSync(join(root, path, '..'), { recursive: true });
      writeFileSync(join(root, path), data);
    }
    const out = join(root, 'out');
    const result = await runSiteBuild({ contentDir: join(root, 'docs'), outDir: out, cacheDir: join(root, 'cache'), log: () => {}, warn: () => {} });
    expect(result).toBe('built');
    const install = readFileSync(join(out, 'install/index.html'), 'utf8');
    expect(install).not.toContain('@theme/Tabs');
    expect(install).toContain('Run the installer with npm.');
    expect(parseDocument(files['docs/install.md']!, 'install.md').sections.flatMap((s) => s.blocks.map((b) => b.text))).toEqual(['npm', 'Run the installer with npm.']);
    // Words that only start a line as a statement would are markdown, on the site and in the index.
    expect(readFileSync(join(out, 'prose/index.html'), 'utf8')).toContain('import the module first, then call it.');
  }, 600_000);
});
