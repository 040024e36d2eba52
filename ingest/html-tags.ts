/**
 * Start tags in the raw HTML of a markdown page (`<a href="…">`, `<img src="…">`), read as a browser
 * reads them: attribute names lower-cased, values with their character references decoded, tags in
 * comments left out. Ingest reads the links of such HTML (`link-elements.ts`); the docs site reads
 * its images and points its links (`site/src/lib/page-images.ts`, `site/src/lib/link-elements.ts`).
 */

/** A tag in a markdown page's raw HTML (`<img>`, `<a>`): where it is in the HTML's text, and its attributes in order. */
export interface HtmlTag {
  /** The tag's name, lower-cased: `img`, `source` (of a `<picture>`), `a`. */
  name: string;
  /** Offset of `<img` (`<a`) in the HTML's text. */
  start: number;
  /** Offset just after its `>`. */
  end: number;
  /** Its attributes, names lower-cased, values with their character references decoded (`null`: no value). */
  attributes: [name: string, value: string | null][];
}

/** An HTML comment (skipped), or a start tag of one of `names` (group 1) with its attributes (group 2). */
function htmlTagPattern(names: readonly string[]): RegExp {
  return new RegExp(`<!--[\\s\\S]*?(?:-->|$)|<(${names.join('|')})\\b((?:\\s+[^\\s"'>/=]+(?:\\s*=\\s*(?:"[^"]*"|'[^']*'|[^\\s"'=<>\`]+))?)*)\\s*\\/?>`, 'gi');
}
const HTML_ATTRIBUTE = /([^\s"'>/=]+)(?:\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s"'=<>`]+)))?/g;
const CHARACTER_REFERENCES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };

/** `value` with its character references (`&amp;`, `&#47;`, `&#x2F;`) decoded. */
export function decodeReferences(value: string): string {
  return value.replace(/&(?:#(\d+)|#x([\da-f]+)|(\w+));/gi, (whole, decimal?: string, hex?: string, name?: string) => {
    if (decimal || hex) return String.fromCodePoint(Number.parseInt(decimal ?? hex!, decimal ? 10 : 16));
    return CHARACTER_REFERENCES[name!.toLowerCase()] ?? whole;
  });
}

/** The start tags named `names` (lower-case: `['a']`) of `html`, raw HTML of a markdown page; those in comments are not listed. */
export function htmlTags(html: string, names: readonly string[]): HtmlTag[] {
  if (!new RegExp(`<(${names.join('|')})\\b`, 'i').test(html)) return [];
  const tags: HtmlTag[] = [];
  for (const match of html.matchAll(htmlTagPattern(names))) {
    if (match[1] === undefined) continue; // a comment
    const attributes: HtmlTag['attributes'] = [];
    for (const attribute of (match[2] ?? '').matchAll(HTML_ATTRIBUTE)) {
      const value = attribute[2] ?? attribute[3] ?? attribute[4];
      attributes.push([attribute[1]!.toLowerCase(), value === undefined ? null : decodeReferences(value)]);
    }
    tags.push({ name: match[1].toLowerCase(), start: match.index, end: match.index + match[0].length, attributes });
  }
  return tags;
}

/** The value of the attribute `name` of an HTML tag (`<img>`, `<a>`), when it has one. */
export function htmlAttribute(tag: HtmlTag, name: string): string | undefined {
  return tag.attributes.find(([n]) => n === name)?.[1] ?? undefined;
}
