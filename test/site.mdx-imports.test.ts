/**
 * standInUnresolvedImports() (the docs site): imports an MDX page makes that this project cannot
 * resolve (Docusaurus' `@theme/Tabs`) are replaced by stand-in definitions, line for line.
 */
import { describe, expect, it } from 'vitest';
import { standInUnresolvedImports } from '../site/src/lib/mdx-imports';

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
    expect(unresolved).toEqual(['@theme/Tabs', '@theme/All', '@site/src/components/Card', '@site/src/css/page.css']);
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
  });

  it('leaves a page whose imports resolve, and imports in fenced code, as written', async () => {
    const source = ["import React from 'react';", '', '```mdx', "import Tabs from '@theme/Tabs';", '```', ''].join('\n');
    expect(await standInUnresolvedImports(source, options)).toEqual({ code: source, unresolved: [] });
  });
});
