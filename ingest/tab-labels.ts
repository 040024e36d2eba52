/**
 * Tab labels. A tab's content is read after the label its button shows, as the site shows it
 * ("pnpm", then the pnpm command). The label is the tab's `label` or `title` (Docusaurus,
 * Starlight, Mintlify), else its `value` (Fumadocs' `<Tab value="pnpm">`; Docusaurus shows the
 * value when there is no label), else the entry of its `<Tabs items={['React', 'Vue']}>` at the
 * tab's position (Nextra, the AI SDK docs). {@link labelTabs} writes each label found this way into
 * a `label` attribute, which the renderer reads like any prose attribute, and drops the `items`
 * the labels came from, which would otherwise be indexed as a list of their own.
 */
import { stringArray } from './jsx-data';
import { type JsxNode, childElements, componentName, isJsxElement, stringAttribute } from './jsx-nodes';

/** `Tab`, `TabItem`, `Tabs.Tab`: a tab. */
const isTab = (node: JsxNode) => isJsxElement(node) && (componentName(node) === 'Tab' || componentName(node) === 'TabItem');

const hasLabel = (tab: JsxNode) => stringAttribute(tab, 'label') !== undefined || stringAttribute(tab, 'title') !== undefined;

function setLabel(tab: JsxNode, label: string): void {
  tab.attributes = [...(tab.attributes ?? []), { type: 'mdxJsxAttribute', name: 'label', value: label }];
}

/** Gives every tab of `tree` without a `label` or `title` the label its button shows, when it has one (changes `tree`). */
export function labelTabs(tree: JsxNode): void {
  const children = tree.children ?? [];
  // A `<Tabs items={…}>`: its tabs are its tab children, in order (Nextra writes them on one
  // line, inside a paragraph, as often as on lines of their own).
  const items = isJsxElement(tree) ? stringArray(tree.attributes?.find((a) => a.name === 'items')?.value) : undefined;
  if (items) {
    const tabs = childElements(tree, isTab);
    if (tabs.length > 0 && tabs.length <= items.length && tabs.every((t) => !hasLabel(t) && stringAttribute(t, 'value') === undefined)) {
      tabs.forEach((tab, i) => setLabel(tab, items[i]!));
      tree.attributes = tree.attributes!.filter((a) => a.name !== 'items');
    }
  }
  if (isTab(tree) && !hasLabel(tree)) {
    const value = stringAttribute(tree, 'value');
    if (value !== undefined) setLabel(tree, value);
  }
  for (const child of children) labelTabs(child);
}
