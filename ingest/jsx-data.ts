/**
 * The data MDX components carry in JavaScript attributes, as markdown. API references often keep
 * their parameters there rather than in the page's text:
 *
 *   <PropertiesTable content={[{ name: 'maxRetries', type: 'number', isOptional: true,
 *     description: 'Maximum number of retries.' }]} />
 *
 * becomes "- `maxRetries` (number, optional): Maximum number of retries.", so a question about
 * `maxRetries` finds its section (which was empty before, and dropped). Arrays of objects become
 * lists (nested arrays, nested lists), arrays of strings lists of those strings, an object of
 * objects one item per key (fumadocs' `TypeTable`). Objects are read only when they name something
 * or describe it (`name`, `title`, `description`, …): a `style={{…}}` object is not prose. Literal
 * values only; anything computed is left out. A component documenting one field in string
 * attributes (`<ParamField query="limit" type="number">`) gets a line naming it ({@link fieldLabel}).
 */

/** The few ESTree shapes read here (the parse tree MDX attaches to attribute expressions). */
interface EsNode {
  type: string;
  [key: string]: unknown;
}

/** Keys naming the item an object describes, in order of preference. */
const LABEL_KEYS = ['name', 'title', 'label', 'key', 'prop', 'property', 'field', 'option', 'id'];
/** Keys holding its description. */
const DESCRIPTION_KEYS = ['description', 'desc', 'summary', 'details', 'text', 'content', 'body', 'note'];
/** Attributes that are never documentation. */
const IGNORED_ATTRIBUTES = new Set(['style', 'className', 'class', 'href', 'src', 'id', 'key', 'ref']);

/** An MDX JSX attribute, as mdast-util-mdx-jsx gives it. */
export interface JsxAttribute {
  type: string;
  name?: string;
  value?: unknown;
}

/** Markdown for the data in a component's attribute expressions ('' when there is none). */
export function attributeData(attributes: readonly JsxAttribute[]): string {
  const parts: string[] = [];
  for (const attr of attributes) {
    if (attr.type !== 'mdxJsxAttribute' || !attr.name || IGNORED_ATTRIBUTES.has(attr.name)) continue;
    const expression = expressionOf(attr.value);
    const items = expression?.type === 'ArrayExpression' ? listItems(expression, 0) : expression?.type === 'ObjectExpression' ? keyedItems(expression) : [];
    if (items.length) parts.push(items.join('\n\n'));
  }
  return parts.join('\n\n');
}

/** Attributes naming the parameter or field a component documents (Mintlify's `<ParamField query="limit">`). */
const FIELD_NAME_ATTRIBUTES = ['name', 'path', 'query', 'body', 'header', 'param', 'field', 'prop'];

/**
 * The line naming the field a component documents, when it has a name and a type
 * (`<ParamField query="limit" type="number" default="10" required>` → "`limit` (number, required,
 * default: 10)"), else ''. Its description is the component's text, which follows. Without a type,
 * `name` is not a field's (`<Icon name="check" />`).
 */
export function fieldLabel(attributes: readonly JsxAttribute[]): string {
  const strings = new Map<string, string>();
  const flags: string[] = [];
  for (const attr of attributes) {
    if (attr.type !== 'mdxJsxAttribute' || !attr.name) continue;
    if (typeof attr.value === 'string' && attr.value.trim()) strings.set(attr.name, oneLine(attr.value));
    else if (attr.value === null || attr.value === undefined) flags.push(attr.name.toLowerCase());
  }
  const nameKey = FIELD_NAME_ATTRIBUTES.find((k) => strings.has(k));
  const type = strings.get('type');
  if (!nameKey || !type) return '';
  const defaultValue = strings.get('default') ?? strings.get('defaultValue');
  const details = [type, ...flags.filter((f) => f === 'required' || f === 'optional' || f === 'deprecated'), defaultValue ? `default: ${defaultValue}` : undefined];
  return labelled(strings.get(nameKey), details);
}

/** "`name` (detail, detail)": the head of an item; either part may be missing. */
function labelled(name: string | undefined, details: readonly (string | undefined)[]): string {
  const shown = details.filter(Boolean).join(', ');
  return [name !== undefined ? `\`${name}\`` : '', shown ? `(${shown})` : ''].filter(Boolean).join(' ');
}

/**
 * An object whose values are objects, keyed by what they describe (fumadocs' `<TypeTable type={{
 * limit: { type: 'number', description: '…' } }} />`): one item per key, the key as its label.
 */
function keyedItems(object: EsNode): string[] {
  const items: string[] = [];
  for (const property of (object.properties as EsNode[]) ?? []) {
    if (property.type !== 'Property' || (property.value as EsNode).type !== 'ObjectExpression') continue;
    const key = keyOf(property.key as EsNode);
    const item = key === undefined ? undefined : objectItem(property.value as EsNode, 0, key);
    if (item) items.push(item);
  }
  return items;
}

/** The strings of an attribute written as a literal array of strings (`items={['React', 'Vue']}`), else undefined. */
export function stringArray(value: unknown): string[] | undefined {
  const expression = expressionOf(value);
  if (expression?.type !== 'ArrayExpression') return undefined;
  const strings = ((expression.elements as (EsNode | null)[]) ?? []).map((e) => (e ? literalText(e) : undefined));
  return strings.every((s) => s !== undefined) ? strings.map(oneLine) : undefined;
}

/**
 * `value` → `label` of an attribute written as a literal array of `{ label, value }` objects
 * (old Docusaurus `<Tabs values={[{ label: 'Apple', value: 'apple' }]}>`), else undefined.
 */
export function labelsByValue(value: unknown): Map<string, string> | undefined {
  const expression = expressionOf(value);
  if (expression?.type !== 'ArrayExpression') return undefined;
  const out = new Map<string, string>();
  for (const element of (expression.elements as (EsNode | null)[]) ?? []) {
    if (element?.type !== 'ObjectExpression') return undefined;
    const fields = new Map<string, string>();
    for (const property of (element.properties as EsNode[]) ?? []) {
      const name = property.type === 'Property' ? keyOf(property.key as EsNode) : undefined;
      const text = name === undefined ? undefined : literalText(property.value as EsNode);
      if (name !== undefined && text !== undefined) fields.set(name, text);
    }
    const [v, label] = [fields.get('value'), fields.get('label')];
    if (v === undefined || label === undefined) return undefined;
    out.set(v, oneLine(label));
  }
  return out.size > 0 ? out : undefined;
}

function expressionOf(value: unknown): EsNode | undefined {
  const v = value as { type?: string; data?: { estree?: { body?: { type: string; expression?: EsNode }[] } } } | undefined;
  if (v?.type !== 'mdxJsxAttributeValueExpression') return undefined;
  const statement = v.data?.estree?.body?.[0];
  return statement?.type === 'ExpressionStatement' ? statement.expression : undefined;
}

/** The list items of an array (each may span several lines: its nested lists). */
function listItems(array: EsNode, depth: number): string[] {
  const indent = '  '.repeat(depth);
  const items: string[] = [];
  for (const element of (array.elements as (EsNode | null)[]) ?? []) {
    if (!element) continue;
    const text = literalText(element);
    if (text !== undefined) {
      if (text.trim()) items.push(`${indent}- ${oneLine(text)}`);
      continue;
    }
    if (element.type === 'ObjectExpression') {
      const item = objectItem(element, depth);
      if (item) items.push(item);
    }
  }
  return items;
}

/**
 * One object as a list item: "- `label` (type, flags): description; other: value", nested arrays
 * below. `key`: the label when the object is a value keyed by what it describes.
 */
function objectItem(object: EsNode, depth: number, key?: string): string | undefined {
  const strings = new Map<string, string>();
  const flags: string[] = [];
  const nested: string[] = [];
  for (const property of (object.properties as EsNode[]) ?? []) {
    if (property.type !== 'Property') continue;
    const name = keyOf(property.key as EsNode);
    if (name === undefined) continue;
    const value = property.value as EsNode;
    const text = literalText(value);
    if (text !== undefined) {
      if (text.trim()) strings.set(name, oneLine(text));
    } else if (value.type === 'Literal' && value.value === true) {
      flags.push(name.replace(/^is(?=[A-Z])/, '').toLowerCase());
    } else if (value.type === 'ArrayExpression') {
      for (const item of listItems(value, depth + 1)) nested.push(item);
    }
  }
  const labelKey = key === undefined ? LABEL_KEYS.find((k) => strings.has(k)) : undefined;
  const descriptionKey = DESCRIPTION_KEYS.find((k) => strings.has(k));
  const type = strings.get('type');
  if (!labelKey && !descriptionKey && !(type && nested.length)) return undefined;
  const named = key ?? (labelKey ? strings.get(labelKey) : undefined);
  // Without a name, the type names the item ("- `TelemetrySettings`", with its fields below).
  const head = named !== undefined ? labelled(named, [type, ...flags]) : labelled(type, flags);
  const used = new Set([labelKey, descriptionKey, 'type']);
  const rest = [...strings].filter(([k]) => !used.has(k)).map(([k, v]) => `${k}: ${v}`);
  // "Milliseconds to wait. default: 5000", "The values; default: []".
  const description = [descriptionKey ? strings.get(descriptionKey) : undefined, ...rest]
    .filter((x): x is string => Boolean(x))
    .reduce((all, part) => (all === '' ? part : `${all}${/[.!?:]$/.test(all) ? ' ' : '; '}${part}`), '');
  const line = `${'  '.repeat(depth)}- ${[head, description].filter(Boolean).join(head && description ? ': ' : '')}`;
  return [line, ...nested].join('\n');
}

function keyOf(key: EsNode): string | undefined {
  if (key.type === 'Identifier') return key.name as string;
  if (key.type === 'Literal' && typeof key.value === 'string') return key.value;
  return undefined;
}

/** The text of a string literal or a template literal (its fixed parts), else undefined. */
function literalText(node: EsNode): string | undefined {
  if (node.type === 'Literal' && typeof node.value === 'string') return node.value;
  if (node.type === 'TemplateLiteral') return ((node.quasis as { value: { cooked?: string | null; raw: string } }[]) ?? []).map((q) => q.value.cooked ?? q.value.raw).join('');
  return undefined;
}

const oneLine = (text: string) => text.replace(/\s+/g, ' ').trim();
