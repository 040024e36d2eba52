/**
 * standInUnresolvedImports() (the docs site): imports an MDX page makes that this project cannot
 * resolve (Docusaurus' `@theme/Tabs`) are replaced by stand-in definitions, line for line.
 */
import { describe, expect, it } from 'vitest';
import { moduleImports, standInGeneratorGlobals, standInNames, standInUnresolvedImports, standInValueNames, unresolvableImport, unresolvedImportNotices } from '../site/src/lib/mdx-imports';

const options = { resolves: async (specifier: string) => specifier === 'react' || specifier === './local.jsx', standIn: '/site/UnknownComponent.astro' };

describe('standInUnresolvedImports()', () => {
  it('defines each name an unresolvable import binds, components as the stand-in and other names as a function returning its argument', async () => {
    const source = [
      "import Tabs, { TabItem as Item, useTabs } from '@theme/Tabs';",
      'import * as Theme from "@theme/All";',
      'import {',
      '  Card,',
      "} from '@site/src/components/Card';",
      "import '@site/src/css/page.css';",
      "import React from 'react';",
      "import Local from './local.jsx';",
      '',
      '# Page',
    ].join('\n');
    const { code, unresolved } = await standInUnresolvedImports(source, options);
    expect(unresolved).toEqual([
      { specifier: '@theme/Tabs', line: 1 },
      { specifier: '@theme/All', line: 2 },
      { specifier: '@site/src/components/Card', line: 3 },
      { specifier: '@site/src/css/page.css', line: 6 },
    ]);
    expect(code.split('\n')).toEqual([
      'import __DocentStandIn from "/site/UnknownComponent.astro"; export const Item = __DocentStandIn; export const useTabs = (...args) => args[0]; export const Tabs = __DocentStandIn;',
      'export const Theme = new Proxy({}, { get: () => __DocentStandIn });',
      'export const Card = __DocentStandIn;',
      '',
      '',
      '',
      "import React from 'react';",
      "import Local from './local.jsx';",
      '',
      '# Page',
    ]);
    // The names the page's components are given stand-ins for (remark-unknown-components.ts reads them).
    expect([...standInNames(code)].sort()).toEqual(['Card', 'Item', 'Tabs', 'Theme']);
    // And the other names (remark-missing-images.ts shows an <img> of one as its alt text).
    expect([...standInValueNames(code)]).toEqual(['useTabs']);
  });

  it('leaves a page whose imports resolve, and imports in fenced code, as written', async () => {
    const source = ["import React from 'react';", '', '```mdx', "import Tabs from '@theme/Tabs';", '```', ''].join('\n');
    expect(await standInUnresolvedImports(source, options)).toEqual({ code: source, unresolved: [] });
  });

  it("defines a raw-loader import's binding as a string, the file's text webpack would give", async () => {
    const { code } = await standInUnresolvedImports("import Code from '!!raw-loader!./a.ts';\n", options);
    expect(code).toBe("export const Code = '';\n");
  });
});

describe('unresolvedImportNotices()', () => {
  it('says an imported file is not found, with its line (a component file: its components shown as their content), and names the packages this project does not have once per page', () => {
    const unresolved = [
      { specifier: '../../public/images/a.png', line: 3 },
      { specifier: '@theme/Tabs', line: 4 },
      { specifier: './callout.tsx', line: 5 },
      { specifier: './helper.tsx', line: 6 },
      { specifier: '/abs/b.png', line: 7 },
      { specifier: '~/components/preview.astro', line: 8 },
      { specifier: '../components/about.astro', line: 9 },
    ];
    const chains = new Map([
      ['./callout.tsx', ['./callout.tsx', 'next/link']],
      ['./helper.tsx', ['./helper.tsx', './lib.ts', '../gone.ts']],
    ]);
    expect(unresolvedImportNotices('guide/page.mdx', unresolved, chains)).toEqual([
      '[docent] guide/page.mdx:3: imported file ../../public/images/a.png not found, so the page is built without it',
      '[docent] guide/page.mdx:6: imported file ../gone.ts (through ./helper.tsx → ./lib.ts) not found: built with its components shown as their content',
      '[docent] guide/page.mdx:7: imported file /abs/b.png not found, so the page is built without it',
      '[docent] guide/page.mdx:9: imported file ../components/about.astro not found: built with its components shown as their content',
      '[docent] guide/page.mdx: imports @theme/Tabs, ./callout.tsx → next/link, ~/components/preview.astro, which this project does not have: built with its components shown as their content',
    ]);
    expect(unresolvedImportNotices('page.mdx', [])).toEqual([]);
    // Docusaurus' <Link> gets a stand-in that is a link: nothing is missing from the page.
    expect(unresolvedImportNotices('page.mdx', [{ specifier: '@docusaurus/Link', line: 1 }])).toEqual([]);
    expect(unresolvedImportNotices('page.mdx', [{ specifier: '@docusaurus/Link', line: 1 }, { specifier: '@theme/Tabs', line: 2 }])).toEqual([
      '[docent] page.mdx: imports @theme/Tabs, which this project does not have: built with its components shown as their content',
    ]);
  });
});

describe('moduleImports()', () => {
  it('lists static, side-effect, re-exported and dynamic imports, over several lines too; not type-only ones', () => {
    const code = [
      'import Link from "next/link";',
      "import type { ReactNode } from 'react';",
      'import {',
      '  Callout,',
      '  type CalloutProps,',
      "} from '@/components/callout';",
      "import './card.css';",
      "export { Tabs } from './tabs';",
      "export type { Props } from './props';",
      "const Chart = lazy(() => import('./chart'));",
      "export const label = 'import x from \"y\"';",
    ].join('\n');
    expect(moduleImports(code)).toEqual(['next/link', '@/components/callout', './card.css', './tabs', './chart']);
  });
});

describe('unresolvableImport()', () => {
  /** A module graph: what each file imports, and which specifiers resolve to which file. */
  const files: Record<string, string> = {
    '/docs/callout.tsx': "import Link from 'next/link';\nexport const Callout = () => null;",
    '/docs/card.tsx': "import { Icon } from './icon';\nexport const Card = () => null;",
    '/docs/icon.tsx': "import { Card } from './card';\nimport React from 'react';\nexport const Icon = () => null;",
    '/docs/broken-card.tsx': "import { Callout } from './callout';\nexport const BrokenCard = () => null;",
  };
  const targets: Record<string, string> = { './callout': '/docs/callout.tsx', './card': '/docs/card.tsx', './icon': '/docs/icon.tsx', './broken-card': '/docs/broken-card.tsx', react: '/node_modules/react/index.js' };
  const options = {
    resolve: async (specifier: string) => targets[specifier],
    localSource: (id: string) => files[id],
  };

  it('is undefined for an import that resolves, with every import of the local modules it leads to (import cycles end)', async () => {
    expect(await unresolvableImport('react', '/docs/page.mdx', options)).toBeUndefined();
    expect(await unresolvableImport('./card', '/docs/page.mdx', options)).toBeUndefined();
  });

  it('names the chain down to the import that does not resolve', async () => {
    expect(await unresolvableImport('@theme/Tabs', '/docs/page.mdx', options)).toEqual(['@theme/Tabs']);
    expect(await unresolvableImport('./callout', '/docs/page.mdx', options)).toEqual(['./callout', 'next/link']);
    expect(await unresolvableImport('./broken-card', '/docs/page.mdx', options)).toEqual(['./broken-card', './callout', 'next/link']);
  });
});

describe('standInGeneratorGlobals()', () => {
  it('defines require() after the page when its JSX calls it, returning the path without loader prefixes', () => {
    const source = '# Page\n\n<img src={require(\'./a.png\').default} />\n';
    const code = standInGeneratorGlobals(source);
    expect(code.startsWith(source)).toBe(true); // no line moves
    const definition = code.slice(source.length).trim();
    expect(definition).toMatch(/^export const require = /);
    const require = new Function(`${definition.replace(/^export /, '')}; return require;`)() as (s: string) => { default: string };
    expect(require('!file-loader!./a.xyz').default).toBe('./a.xyz');
  });

  it("defines Docusaurus' toc for <TOCInline toc={toc} />, and only what the page uses", () => {
    expect(standInGeneratorGlobals('<TOCInline toc={toc} />\n')).toBe('<TOCInline toc={toc} />\n\n\nexport const toc = [];\n');
    expect(standInGeneratorGlobals('A {props.toc} and {metadata.title}.\n')).toBe('A {props.toc} and {metadata.title}.\n\n\nexport const metadata = {};\n');
  });

  it('leaves a page alone when the names are only in code or prose, or the page defines them', () => {
    for (const source of [
      '```js\nconst a = {x: require(\'a\')};\n```\n',
      'Call `{require(\'a\')}` yourself.\n',
      'Use require() here, and the toc.\n',
      "export const require = (p) => p;\n\n<img src={require('./a.png')} />\n",
      "import { toc } from './data.js';\n\n<TOCInline toc={toc} />\n",
      'export const A = __DocentStandIn; export const toc = (...args) => args[0];\n\n<TOCInline toc={toc} />\n',
    ]) {
      expect(standInGeneratorGlobals(source)).toBe(source);
    }
  });
});
