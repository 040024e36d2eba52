/**
 * Tab labels. A tab's content is read after the label its button shows, as the site shows it
 * ("pnpm", then the pnpm command). The label is the tab's `label` or `title` (Docusaurus,
 * Starlight, Mintlify), else its `value` (Fumadocs' `<Tab value="pnpm">`; Docusaurus shows the
 * value when there is no label), else the entry of its `<Tabs items={['React', 'Vue']}>` at the
 * tab's position (Nextra, the AI SDK docs). Old Docusaurus pages name them in the parent instead,
 * `<Tabs values={[{ label: 'Apple', value: 'apple' }]}>` with `<TabItem value="apple">`, and those
 * labels take precedence over the tab's own, as Docusaurus shows them. {@link tabLabels} reads
 * them (the docs site shows them above each tab's content); {@link labelTabs} writes each label
 * found this way into a `label` attribute, which the renderer reads like any prose attribute, and
 * drops the `items` or `values` the labels came from, which would otherwise be indexed as a list
 * of their own.
 */
import { labelsByValue, stringArray } from './jsx-data';
import { type JsxNode, childElements, componentName, isJsxElement, stringAttribute } from './jsx-nodes';

/** `Tab`, `TabItem`, `Tabs.Tab`: a tab. */
export const isTab = (node: JsxNode) => isJsxElement(node) && (componentName(node) === 'Tab' || componentName(node) === 'TabItem');

/** A tab's own label: its `label`, else its `title`. */
const ownLabel = (tab: JsxNode) => stringAttribute(tab, 'label') ?? stringAttribute(tab, 'title');

export interface TabLabels {
  /** The label each tab of the tree shows on its button, for the tabs that have one. */
  labels: Map<JsxNode, string>;
  /** The `<Tabs items={…}>` or `<Tabs values={…}>` whose items gave its tabs their labels. */
  labelledByItems: JsxNode[];
}

/** The label each tab of `tree` shows on its button, by the rules above (reads `tree` only). */
export function tabLabels(tree: JsxNode): TabLabels {
  const out: TabLabels = { labels: new Map(), labelledByItems: [] };
  const visit = (node: JsxNode) => {
    // A `<Tabs items={…}>`: its tabs are its tab children, in order (Nextra writes them on one
    // line, inside a paragraph, as often as on lines of their own).
    const items = isJsxElement(node) ? stringArray(node.attributes?.find((a) => a.name === 'items')?.value) : undefined;
    if (items) {
      const tabs = childElements(node, isTab);
      if (tabs.length > 0 && tabs.length <= items.length && tabs.every((t) => ownLabel(t) === undefined && stringAttribute(t, 'value') === undefined)) {
        tabs.forEach((tab, i) => out.labels.set(tab, items[i]!));
        out.labelledByItems.push(node);
      }
    }
    // A `<Tabs values={[{ label, value }]}>`: labels for its tabs by their `value`.
    const byValue = isJsxElement(node) ? labelsByValue(node.attributes?.find((a) => a.name === 'values')?.value) : undefined;
    if (byValue) {
      let used = false;
      for (const tab of childElements(node, isTab)) {
        const value = stringAttribute(tab, 'value');
        const label = value === undefined ? undefined : byValue.get(value);
        if (label === undefined) continue;
        out.labels.set(tab, label);
        used = true;
      }
      if (used) out.labelledByItems.push(node);
    }
    if (isTab(node) && !out.labels.has(node)) {
      const label = ownLabel(node) ?? stringAttribute(node, 'value');
      if (label !== undefined) out.labels.set(node, label);
    }
    for (const child of node.children ?? []) visit(child);
  };
  visit(tree);
  return out;
}

/** Gives every tab of `tree` the label its button shows as its `label`, when it has one (changes `tree`). */
export function labelTabs(tree: JsxNode): void {
  const { labels, labelledByItems } = tabLabels(tree);
  for (const [tab, label] of labels) {
    if (ownLabel(tab) === label) continue;
    const others = (tab.attributes ?? []).filter((a) => a.name !== 'label');
    tab.attributes = [...others, { type: 'mdxJsxAttribute', name: 'label', value: label }];
  }
  for (const tabs of labelledByItems) tabs.attributes = tabs.attributes!.filter((a) => a.name !== 'items' && a.name !== 'values');
}
