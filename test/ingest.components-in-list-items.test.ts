import { readFileSync } from 'node:fs';
import type { Code, List, ListItem, Nodes, Root } from 'mdast';
import { toString } from 'mdast-util-to-string';
import remarkParse from 'remark-parse';
import { unified } from 'unified';
import { describe, expect, it } from 'vitest';
import { chunkSections } from '../ingest/chunk';
import { parseDocument } from '../ingest/parse';

// What a component inside a list item gives the chunk, read back as a strict CommonMark reader
// (remark, GitHub, a language model) reads the chunk's markdown.
const source = readFileSync(new URL('./fixtures/components-in-lists/steps.mdx', import.meta.url), 'utf8');
const chunks = chunkSections(parseDocument(source, 'guides/steps.mdx').sections);

/** The chunk of the section whose heading is `heading`, parsed back with remark. */
function chunkTree(heading: string): Root {
  const found = chunks.filter((c) => c.headings[c.headings.length - 1] === heading);
  expect(found).toHaveLength(1);
  return unified().use(remarkParse).parse(found[0]!.text);
}

const listsOf = (node: Nodes): List[] => ('children' in node ? (node.children as Nodes[]).filter((c): c is List => c.type === 'list') : []);
const codeIn = (item: ListItem): Code[] => item.children.filter((c): c is Code => c.type === 'code');
const paragraphsIn = (item: ListItem): string[] => item.children.filter((c) => c.type === 'paragraph').map((c) => toString(c));

describe('parseDocument() + chunkSections(): a component inside a list item', () => {
  it("keeps a Starlight tab's fenced code (and its label) inside the step, the next step a step of its own", () => {
    const tree = chunkTree('Starlight steps with tabs');
    // One list, of two steps: no fence at the left margin ends the list and opens a code block
    // running on through the steps below.
    const [list, ...more] = listsOf(tree);
    expect(more).toEqual([]);
    expect(tree.children.filter((c) => c.type === 'code')).toEqual([]);
    const [first, second] = list!.children;
    expect(list!.children).toHaveLength(2);
    expect(paragraphsIn(first!)).toEqual(['Add the integration:', 'npm', 'pnpm']);
    expect(codeIn(first!).map((c) => [c.lang, c.value])).toEqual([
      ['sh', 'npx astro add tailwind'],
      ['sh', 'pnpm astro add tailwind'],
    ]);
    // Each tab's label is the paragraph right before its code.
    const order = first!.children.map((c) => (c.type === 'code' ? `code:${c.value}` : toString(c)));
    expect(order).toEqual(['Add the integration:', 'npm', 'code:npx astro add tailwind', 'pnpm', 'code:pnpm astro add tailwind']);
    expect(paragraphsIn(second!)).toEqual(['Install the plugin:']);
    expect(codeIn(second!).map((c) => c.value)).toEqual(['npm install @astrojs/starlight-tailwind']);
  });

  it("keeps a component's text without code, and its title, inside the item", () => {
    const [list] = listsOf(chunkTree('An aside in a list item'));
    expect(list!.children).toHaveLength(2);
    expect(paragraphsIn(list!.children[0]!)).toEqual(['Check the version:', 'Careful', 'Node 18 is no longer supported\nby this release.']);
    expect(paragraphsIn(list!.children[1]!)).toEqual(['Then upgrade.']);
  });

  it('keeps the code in the inner item of a nested list', () => {
    const [outer] = listsOf(chunkTree('Nested lists'));
    expect(outer!.children.map((item) => paragraphsIn(item))).toEqual([['Outer item'], ['Next outer item.']]);
    const [inner] = listsOf(outer!.children[0]!);
    expect(inner!.children).toHaveLength(2);
    expect(paragraphsIn(inner!.children[0]!)).toEqual(['Inner step:', 'npm']);
    expect(codeIn(inner!.children[0]!).map((c) => [c.lang, c.value])).toEqual([['sh', 'npm install left-pad']]);
    expect(paragraphsIn(inner!.children[1]!)).toEqual(['Second inner step.']);
  });

  it('keeps Docusaurus tabs (labelled by their value) indented past the item inside it, as code and not indented code', () => {
    const [list] = listsOf(chunkTree('Docusaurus tabs indented past the item'));
    expect(list!.children).toHaveLength(2);
    const [first, second] = list!.children;
    expect(paragraphsIn(first!)).toEqual(['Install the package:', 'yarn']);
    expect(codeIn(first!).map((c) => [c.lang, c.value])).toEqual([['bash', 'yarn add @docusaurus/core']]);
    expect(paragraphsIn(second!)).toEqual(['Start the site.']);
  });

  it('keeps a component in a blockquote inside the blockquote', () => {
    const text = '# Page\n\n> Note:\n>\n> <Tabs>\n> <TabItem label="npm">\n>\n> ```sh\n> npm i\n> ```\n>\n> </TabItem>\n> </Tabs>\n';
    const [chunk] = chunkSections(parseDocument(text, 'page.mdx').sections);
    const tree = unified().use(remarkParse).parse(chunk!.text);
    expect(tree.children.map((c) => c.type)).toEqual(['blockquote']);
    const quote = tree.children[0]!;
    expect('children' in quote && quote.children.map((c) => (c.type === 'code' ? `code:${c.value}` : toString(c)))).toEqual(['Note:', 'npm', 'code:npm i']);
  });
});
