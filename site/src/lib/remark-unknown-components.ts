/**
 * A remark plugin for the docs site's MDX pages: tells the stand-in of each component the page
 * does not have (`components/UnknownComponent.astro`: one used without an import, `<Note>`, or
 * imported from a package this project lacks, `@theme/TabItem`) what it needs to show it as text,
 * as ingest indexes it:
 * - a tab gets the label its button shows, by ingest's rules (`ingest/tab-labels.ts`: its `label`
 *   or `title`, else its `value`, else its entry in `<Tabs items={…}>`), so "npm" and "Yarn" are
 *   shown above their commands;
 * - a component in a paragraph or a heading (`## Tabs <Badge>new</Badge>`) is marked inline, so
 *   its stand-in is a `<span>`, not a block inside a `<p>` or an `<h2>`. One of the components a
 *   paragraph is made of (`<Card title="Tip">Text</Card>` on one line) still reads as a block with
 *   its title, as ingest reads it (`paragraphComponents()`); one inside text shows its content only;
 * - a callout component (Fumadocs' and Nextra's `<Callout type="warn">`, Starlight's
 *   `<Aside type="caution">`, Docusaurus' `<Admonition type="tip">`, Mintlify's `<Warning>`) gets
 *   its kind, so it is shown as the site shows a `::: warning` container, not as plain text;
 * - a component used with no content, on a line of its own, that has an `alt` (an attribute, or
 *   a field of one: `<ThemeAwareImage dark={{ alt: "…", src: … }} />`) gets it, so its stand-in
 *   shows it as the site shows an image it cannot show; one the page imports from a file or a
 *   package the site cannot use (`<CreateTurboCallout />`, whose file imports `next/link`) gets
 *   its name, so its stand-in says it is not shown here, rather than showing nothing;
 * - what is passed to a stand-in in a named slot (Starlight's docs write `<Preview>` with
 *   `<Aside slot="preview">` and `<Fragment slot="markdoc">` in it) loses its `slot`: a stand-in
 *   shows its one slot, so that content was left out of the page, yet ingest indexes it.
 *
 * Components the page defines, or imports from a package it has, are left alone: they get no props
 * they do not expect.
 */
import type { Root, RootContent } from 'mdast';
import type { MdxJsxFlowElement, MdxJsxTextElement } from 'mdast-util-mdx-jsx';
import { visit } from 'unist-util-visit';
import { type JsxNode, paragraphComponents } from '../../../ingest/jsx-nodes';
import { tabLabels } from '../../../ingest/tab-labels';
import { definedNames } from './mdx-components';
import { standInNames } from './mdx-imports';

/** The props a stand-in reads (UnknownComponent.astro). */
export interface StandInProps {
  /** Set on a tab: the label its button shows. */
  docentTabLabel?: string;
  /**
   * Set on a component in phrasing content: `line` when it is one of the components its paragraph
   * is made of (shown as a block, with its title), `text` inside text or a heading (its content only).
   */
  docentInline?: 'line' | 'text';
  /** Set on a callout component: its kind, as a `:::` container's (`note`, `tip`, `warning`, `caution`, `danger`…). */
  docentCallout?: string;
  /** Set on a component with no content, on a line of its own, that has an `alt`: that text. */
  docentAlt?: string;
  /** Set on an imported component with no content, on a line of its own: its name (`CreateTurboCallout`). */
  docentNotShown?: string;
}

/** The `alt` of a JSX element: its `alt` attribute, else the first `alt: "…"` in an attribute's expression. */
function altOf(node: MdxJsxFlowElement | MdxJsxTextElement): string | undefined {
  for (const attribute of node.attributes) {
    if (attribute.type !== 'mdxJsxAttribute' || attribute.value == null) continue;
    if (attribute.name === 'alt' && typeof attribute.value === 'string' && attribute.value.trim()) return attribute.value.trim();
    if (typeof attribute.value === 'string') continue;
    const alt = /(?:^|[{,\s])alt\s*:\s*(["'])((?:(?!\1)[^\\\n])+)\1/.exec(attribute.value.value)?.[2]?.trim();
    if (alt) return alt;
  }
  return undefined;
}

/** Components whose kind is their `type` attribute (`note` when it has none). */
const CALLOUTS_BY_TYPE = new Set(['Callout', 'Aside', 'Admonition']);
/** Components that are a callout of one kind (Mintlify, Nextra's `<Callout>` aside): their name, lower-cased. */
const CALLOUTS_BY_NAME = new Set(['Note', 'Tip', 'Info', 'Warning', 'Caution', 'Danger', 'Important', 'Check']);
/** Kinds other generators name differently, as the site's callouts name them (`callout-warning`). */
const KIND_ALIASES: Record<string, string> = { warn: 'warning', check: 'success', idea: 'tip', secondary: 'note' };

/**
 * The callout kind of the stand-in `node` (`<Callout type="warn">` → `warning`), if it is a callout
 * component. One with no content is not (`<Info />` is an icon in lucide-react).
 */
function calloutKind(node: MdxJsxFlowElement | MdxJsxTextElement): string | undefined {
  if (node.children.length === 0) return undefined;
  const name = (node.name ?? '').split('.').pop()!;
  let kind: string | undefined;
  if (CALLOUTS_BY_NAME.has(name)) kind = name.toLowerCase();
  else if (CALLOUTS_BY_TYPE.has(name)) {
    const type = node.attributes.find((a) => a.type === 'mdxJsxAttribute' && a.name === 'type')?.value;
    kind = typeof type === 'string' && /^[a-z][a-z-]*$/i.test(type.trim()) ? type.trim().toLowerCase() : 'note';
  }
  return kind === undefined ? undefined : (KIND_ALIASES[kind] ?? kind);
}

export function remarkUnknownComponents() {
  return (tree: Root) => {
    const esm: string[] = [];
    visit(tree, 'mdxjsEsm', (node) => void esm.push(node.value));
    const defined = definedNames(esm.join('\n'));
    const standIns = standInNames(esm.join('\n'));
    // A capitalised name the page does not define (so the site supplies the stand-in), or a name
    // bound to a stand-in; `Theme.Tabs` by its namespace.
    const isStandIn = (name: string | null | undefined) => {
      const first = (name ?? '').split('.')[0]!;
      return standIns.has(first) || (/^[A-Z]/.test(first) && !defined.has(first));
    };
    const { labels } = tabLabels(tree as unknown as JsxNode);
    visit(tree, (node, _index, parent) => {
      if ((node.type !== 'mdxJsxFlowElement' && node.type !== 'mdxJsxTextElement') || !isStandIn(node.name)) return;
      const props: StandInProps = {};
      const label = labels.get(node as unknown as JsxNode);
      if (label !== undefined) props.docentTabLabel = label;
      const callout = label === undefined ? calloutKind(node) : undefined;
      if (callout !== undefined) props.docentCallout = callout;
      if (node.type === 'mdxJsxFlowElement' && node.children.length === 0 && label === undefined) {
        const alt = altOf(node);
        if (alt !== undefined) props.docentAlt = alt;
        else if (standIns.has((node.name ?? '').split('.')[0]!)) props.docentNotShown = node.name!;
      }
      if (node.type === 'mdxJsxTextElement') {
        const ownLine = parent !== undefined && paragraphComponents(parent as unknown as JsxNode)?.includes(node as unknown as JsxNode);
        props.docentInline = ownLine ? 'line' : 'text';
      }
      for (const [name, value] of Object.entries(props)) node.attributes.push({ type: 'mdxJsxAttribute', name, value });
      for (const child of slotted(node)) child.attributes = child.attributes.filter((a) => a.type !== 'mdxJsxAttribute' || a.name !== 'slot');
    });
  };
}

/** The elements passed to `node` (its children, also those inside a paragraph of it), which a `slot` attribute may send to a named slot. */
function slotted(node: MdxJsxFlowElement | MdxJsxTextElement): (MdxJsxFlowElement | MdxJsxTextElement)[] {
  return (node.children as RootContent[]).flatMap((child) => {
    const inside = child.type === 'paragraph' ? child.children : [child];
    return inside.filter((c): c is MdxJsxFlowElement | MdxJsxTextElement => c.type === 'mdxJsxFlowElement' || c.type === 'mdxJsxTextElement');
  });
}
