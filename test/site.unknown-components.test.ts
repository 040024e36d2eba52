/**
 * remarkUnknownComponents() (the docs site): the stand-ins of components an MDX page does not have
 * are told the label each tab's button shows, by ingest's rules, and whether they are inline; the
 * page's own components are left alone. (The built page: test/site.build.test.ts.)
 */
import type { Root } from 'mdast';
import remarkMdx from 'remark-mdx';
import remarkParse from 'remark-parse';
import { unified } from 'unified';
import { visit } from 'unist-util-visit';
import { describe, expect, it } from 'vitest';
import { remarkUnknownComponents } from '../site/src/lib/remark-unknown-components';

/** Each JSX element of `mdx` after the plugin: its name and the props the plugin gave it. */
function standInProps(mdx: string): [string, Record<string, unknown>][] {
  const processor = unified().use(remarkParse).use(remarkMdx).use(remarkUnknownComponents);
  const tree = processor.runSync(processor.parse(mdx)) as Root;
  const out: [string, Record<string, unknown>][] = [];
  visit(tree, (node) => {
    if (node.type !== 'mdxJsxFlowElement' && node.type !== 'mdxJsxTextElement') return;
    const props = Object.fromEntries(node.attributes.flatMap((a) => (a.type === 'mdxJsxAttribute' && a.name.startsWith('docent') ? [[a.name, a.value]] : [])));
    out.push([node.name ?? '', props]);
  });
  return out;
}

describe('remarkUnknownComponents()', () => {
  it("labels each tab as its button does: label or title, else value, else its <Tabs items={…}> entry", () => {
    const mdx = [
      '<Tabs>',
      '  <TabItem value="npm" label="npm (default)">npm i</TabItem>',
      '  <TabItem value="yarn">yarn add</TabItem>',
      '  <Tab title="pnpm">pnpm add</Tab>',
      '</Tabs>',
      '',
      "<Tabs items={['React', 'Vue']}>",
      '  <Tab>',
      '',
      '  useChat',
      '',
      '  </Tab>',
      '  <Tabs.Tab>useVue</Tabs.Tab>',
      '</Tabs>',
      '',
      "<Tabs values={[{label: 'Apple', value: 'apple'}, {label: 'Orange', value: 'orange'}]}>",
      '  <TabItem value="apple">An apple</TabItem>',
      '  <TabItem value="orange" label="Orange 2">An orange</TabItem>',
      '</Tabs>',
      '',
    ].join('\n');
    expect(standInProps(mdx)).toEqual([
      ['Tabs', {}],
      ['TabItem', { docentTabLabel: 'npm (default)', docentInline: 'line' }],
      ['TabItem', { docentTabLabel: 'yarn', docentInline: 'line' }],
      ['Tab', { docentTabLabel: 'pnpm', docentInline: 'line' }],
      ['Tabs', {}],
      ['Tab', { docentTabLabel: 'React' }],
      ['Tabs.Tab', { docentTabLabel: 'Vue', docentInline: 'line' }],
      ['Tabs', {}],
      ['TabItem', { docentTabLabel: 'Apple', docentInline: 'line' }],
      ['TabItem', { docentTabLabel: 'Orange', docentInline: 'line' }],
    ]);
  });

  it('marks a component inside text or a heading as text, one a paragraph is made of as a line, a block as neither', () => {
    const mdx = ['## Tabs <Unknown>inside</Unknown> heading', '', 'A <Badge>new</Badge> word.', '', '<Card title="Tip">On its own line.</Card>', '', '<Note>', 'A block.', '</Note>', ''].join('\n');
    expect(standInProps(mdx)).toEqual([
      ['Unknown', { docentInline: 'text' }],
      ['Badge', { docentInline: 'text' }],
      ['Card', { docentInline: 'line' }],
      ['Note', { docentCallout: 'note' }],
    ]);
  });

  it("gives a callout component its kind: its type (Callout, Aside, Admonition; note without one), or its name (Warning, Tip); a tab is a tab, one without content (an icon) none", () => {
    const mdx = [
      '<Callout type="warn" title="Careful">Fumadocs.</Callout>',
      '',
      '<Callout>',
      'No type.',
      '</Callout>',
      '',
      '<Aside type="caution">Starlight.</Aside>',
      '',
      '<Admonition type="Danger">Docusaurus.</Admonition>',
      '',
      '<Callout type={kind}>An expression.</Callout>',
      '',
      '<Warning>Mintlify.</Warning> <Check>Done.</Check>',
      '',
      'Inside <Tip>text</Tip>.',
      '',
      '<Tabs>',
      '  <Tab title="Note">A tab.</Tab>',
      '</Tabs>',
      '',
      '<Card title="Card">Not a callout.</Card>',
      '',
      '<Info />',
      '',
    ].join('\n');
    expect(standInProps(mdx)).toEqual([
      ['Callout', { docentCallout: 'warning', docentInline: 'line' }],
      ['Callout', { docentCallout: 'note' }],
      ['Aside', { docentCallout: 'caution', docentInline: 'line' }],
      ['Admonition', { docentCallout: 'danger', docentInline: 'line' }],
      ['Callout', { docentCallout: 'note', docentInline: 'line' }],
      ['Warning', { docentCallout: 'warning', docentInline: 'line' }],
      ['Check', { docentCallout: 'success', docentInline: 'line' }],
      ['Tip', { docentCallout: 'tip', docentInline: 'text' }],
      ['Tabs', {}],
      ['Tab', { docentTabLabel: 'Note', docentInline: 'line' }],
      ['Card', { docentInline: 'line' }],
      ['Info', {}],
    ]);
  });

  it("leaves the page's own components alone, and HTML elements; marks stand-ins of imports the project does not have", () => {
    const mdx = [
      "import { Tab } from './local-tabs.jsx';",
      'export const Highlight = ({ children }) => children;',
      'import __DocentStandIn from "/site/UnknownComponent.astro"; export const TabItem = __DocentStandIn; export const Theme = new Proxy({}, { get: () => __DocentStandIn });',
      '',
      '<Tab value="npm">npm</Tab> and <TabItem value="yarn">yarn</TabItem> and <Theme.Tab label="pnpm">pnpm</Theme.Tab>',
      '',
      'A <Highlight>real</Highlight> one and a <span>span</span>.',
      '',
    ].join('\n');
    expect(standInProps(mdx)).toEqual([
      ['Tab', {}],
      ['TabItem', { docentTabLabel: 'yarn', docentInline: 'text' }],
      ['Theme.Tab', { docentTabLabel: 'pnpm', docentInline: 'text' }],
      ['Highlight', {}],
      ['span', {}],
    ]);
  });

  it('gives a component with no content on its own line its alt, else, when imported from what the site cannot use, its name (its stand-in says it is not shown)', () => {
    const mdx = [
      'import __DocentStandIn from "/site/UnknownComponent.astro"; export const CreateTurboCallout = __DocentStandIn; export const UI = new Proxy({}, { get: () => __DocentStandIn });',
      '',
      '<CreateTurboCallout />',
      '',
      '<UI.Banner></UI.Banner>',
      '',
      '<ThemeAwareImage',
      '  dark={{',
      '    alt: "Local caching creates a cache on each system.",',
      '    src: LocalCachingDarkImage,',
      '  }}',
      '/>',
      '',
      '<Figure alt=" A diagram " />',
      '',
      '<CreateTurboCallout>With content.</CreateTurboCallout>',
      '',
      'Inline <CreateTurboCallout /> in text, and a component used without an import: <Info />',
      '',
      '<Spacer />',
      '',
    ].join('\n');
    expect(standInProps(mdx)).toEqual([
      ['CreateTurboCallout', { docentNotShown: 'CreateTurboCallout' }],
      ['UI.Banner', { docentNotShown: 'UI.Banner' }],
      ['ThemeAwareImage', { docentAlt: 'Local caching creates a cache on each system.' }],
      ['Figure', { docentAlt: 'A diagram' }],
      ['CreateTurboCallout', { docentInline: 'line' }],
      ['CreateTurboCallout', { docentInline: 'text' }],
      ['Info', { docentInline: 'text' }],
      ['Spacer', {}],
    ]);
  });

  it("takes the slot off what a stand-in is passed in a named slot (its one slot shows it); a real component's children keep theirs", () => {
    const mdx = [
      "import Own from './own.astro';",
      '',
      '<Preview>',
      '',
      '<Aside slot="preview">Shown.</Aside>',
      '',
      '<Fragment slot="markdoc">',
      '',
      'Markdoc.',
      '',
      '</Fragment>',
      '',
      'Text <span slot="inline">inline</span>.',
      '',
      '</Preview>',
      '',
      '<Own>',
      '  <div slot="named">Own slot.</div>',
      '</Own>',
      '',
    ].join('\n');
    const processor = unified().use(remarkParse).use(remarkMdx).use(remarkUnknownComponents);
    const tree = processor.runSync(processor.parse(mdx)) as Root;
    const slots: [string, unknown][] = [];
    visit(tree, (node) => {
      if (node.type !== 'mdxJsxFlowElement' && node.type !== 'mdxJsxTextElement') return;
      const slot = node.attributes.find((a) => a.type === 'mdxJsxAttribute' && a.name === 'slot');
      slots.push([node.name ?? '', slot?.value]);
    });
    expect(slots).toEqual([
      ['Preview', undefined],
      ['Aside', undefined],
      ['Fragment', undefined],
      ['span', undefined],
      ['Own', undefined],
      ['div', 'named'],
    ]);
  });
});
