/**
 * Template tags made readable before a page is parsed, by ingest and by the docs site alike:
 * Hugo shortcodes (Docsy, the Kubernetes docs, Hugo Learn and Book) and Liquid tags (GitBook,
 * Jekyll). Docs written for those generators hold callouts, tabs and code in them, and some
 * links and terms inline:
 *
 * ```md
 * {{< note >}}
 * Pods are the smallest deployable units.
 * {{< /note >}}
 *
 * {{% alert title="Back up first" color="warning" %}} … {{% /alert %}}
 * {{< tabs >}} {{% tab name="npm" %}} … {{% /tab %}} {{< /tabs >}}
 * {% hint style="warning" %} … {% endhint %}
 * {% tabs %} {% tab title="npm" %} … {% endtab %} {% endtabs %}
 * {% highlight ruby %} … {% endhighlight %}
 *
 * See [Pods]({{< ref "pods.md" >}}) and {{< glossary_tooltip text="Services" term_id="service" >}}.
 * ```
 *
 * Any other reader shows them as text, so ingest indexed their syntax. Here:
 * - a line that is only a callout, tab or details tag, opening or closing, with its pair, becomes
 *   a `:::` container marker (`::: warning Back up first`, `::: tab npm`), which ingest and the
 *   site read (`containers.ts`); a container holding others has more colons. A tab without a
 *   title takes the one its tab set gives it, by order (Hextra's `{{< tabs items="npm,pnpm" >}}`)
 *   or by id (`tabName1="With pipx" tabID1="pipx"` … `{{< tab tabID="pipx" >}}`);
 * - Jekyll's `{% highlight ruby %}` … `{% endhighlight %}` becomes a code fence, and what is
 *   between `{% raw %}` … `{% endraw %}` is left as written;
 * - a line that is only another tag keeps its prose arguments (`title`, `caption`, `alt`,
 *   `text`, `name`, `label`, `summary`, `content`; an embed's `url`), else it becomes blank;
 * - an inline tag becomes its `text` argument, `ref` and `relref` their page (a link keeps a
 *   target), any other nothing.
 *
 * Escaped shortcodes (`{{</* note *\/>}}`, written to show the syntax), inline code and fenced code
 * are left as written, and so is `{{ output }}` (Vue and Liquid alike write it). Line for line:
 * every line keeps its number.
 */
import { fencedLines } from './fences';
import { inListItem } from './list-items';
import { codeSpanOr } from './mdx-source';

const ARGUMENTS = '((?:\\s+(?:[\\w-]+=)?(?:"[^"]*"|\'[^\']*\'|`[^`]*`|[^\\s"\'`%>}]+))*)';
/** A Hugo shortcode, `{{< name args >}}` or `{{% /name %}}` (not an escaped `{{</* … *\/>}}`). */
const HUGO = String.raw`\{\{([<%])(?!\s*\/\*)\s*(\/)?\s*([A-Za-z][\w./-]*)${ARGUMENTS}\s*\/?\s*[>%]\}\}`;
/** A Liquid tag, `{% name args %}` or `{% endname %}` (not the `{%` inside Hugo's `{{%`). */
const LIQUID = String.raw`(?<!\{)\{%-?\s*(end)?([A-Za-z][\w-]*)${ARGUMENTS}\s*-?%\}`;
const TAG = new RegExp(`${HUGO}|${LIQUID}`, 'g');
/** An inline code span (left as written), or a tag. */
const CODE_OR_TAG = codeSpanOr(`${HUGO}|${LIQUID}`, 'g');
const ARGUMENT = /(?:([\w-]+)=)?(?:"([^"]*)"|'([^']*)'|`([^`]*)`|([^\s"'`]+))/g;

/** Tags that are callouts, named by their kind. */
const CALLOUTS = new Set('note tip info important warning caution danger error success attention todo'.split(' '));
/** Callouts whose kind is an argument (`{{% alert color="warning" %}}`, `{{< hint info >}}`, `{% hint style="info" %}`). */
const GENERIC_CALLOUTS = new Set(['alert', 'notice', 'callout', 'admonition', 'admonish', 'hint']);
/** Tags that only group others (tab sets, GitBook's content references): their lines become blank. */
const WRAPPERS = new Set(['tabs', 'tabpane', 'tab-group', 'tabgroup', 'content-ref']);
/** Arguments that are prose (`content`: Jekyll's `{% include note.html content="…" %}`). */
const PROSE_ARGUMENTS = ['title', 'caption', 'alt', 'text', 'name', 'label', 'summary', 'header', 'content'];

interface Tag {
  closing: boolean;
  name: string;
  named: Map<string, string>;
  positional: string[];
}

/** `source` (a page's text) with its template tags made markdown (see the module's comment). */
export function templateTagsAsMarkdown(source: string): string {
  if (!source.includes('{{<') && !source.includes('{{%') && !source.includes('{%')) return source;
  const lines = source.split('\n');
  // Lines that are one tag and nothing else.
  const tags = new Map<number, Tag>();
  lines.forEach((line, i) => {
    const only = wholeLineTag(line);
    if (only) tags.set(i, only);
  });
  const literal = literalLines(lines, tags);
  for (const i of tags.keys()) if (literal[i]) tags.delete(i);
  nameTabsFromTheirSet(tags);
  const containers = pairContainers(tags);
  return lines
    .map((line, i) => {
      if (literal[i]) return line;
      const container = containers.get(i);
      if (container) {
        // Indented inside a list item, the marker keeps its indentation (its callout stays in the item).
        const indent = /^[ \t]*/.exec(line)![0];
        return indent !== '' && inListItem(lines, i, indent.length) ? indent + container : container;
      }
      const tag = tags.get(i);
      if (tag?.name === 'highlight') return tag.closing ? '```' : `\`\`\`${tag.positional[0] ?? ''}`;
      if (tag) return tag.closing || WRAPPERS.has(tag.name) || tag.name === 'raw' ? '' : proseOf(tag);
      return line.replace(CODE_OR_TAG, (...m: string[]) => (m[1] !== undefined ? m[0]! : inlineText(tagOf(m.slice(1)))));
    })
    .join('\n');
}

/**
 * Lines left as written: fenced code, and what is between `{% highlight %}` or `{% raw %}` and
 * their end tags (the tag lines themselves are converted).
 */
function literalLines(lines: readonly string[], tags: ReadonlyMap<number, Tag>): boolean[] {
  const literal = fencedLines(lines);
  let open: string | undefined;
  lines.forEach((_, i) => {
    if (literal[i] && open === undefined) return;
    const tag = tags.get(i);
    if (open !== undefined) {
      if (tag?.closing && tag.name === open) open = undefined;
      else literal[i] = true;
      return;
    }
    if (tag && !tag.closing && (tag.name === 'highlight' || tag.name === 'raw')) open = tag.name;
  });
  return literal;
}

/** A tag from a match of {@link TAG} (groups 1–4 Hugo's, 5–7 Liquid's). */
function tagOf(match: readonly string[]): Tag {
  const liquid = match[1] === undefined;
  const named = new Map<string, string>();
  const positional: string[] = [];
  for (const a of ((liquid ? match[7] : match[4]) ?? '').matchAll(ARGUMENT)) {
    const value = a[2] ?? a[3] ?? a[4] ?? a[5] ?? '';
    if (a[1]) named.set(a[1].toLowerCase(), value);
    else positional.push(value);
  }
  return liquid
    ? { closing: match[5] === 'end', name: match[6]!.toLowerCase(), named, positional }
    : { closing: match[2] === '/', name: match[3]!.toLowerCase(), named, positional };
}

function wholeLineTag(line: string): Tag | undefined {
  const trimmed = line.trim();
  if (!trimmed.startsWith('{')) return undefined;
  const matches = [...trimmed.matchAll(TAG)];
  if (matches.length !== 1 || matches[0]![0] !== trimmed) return undefined;
  return tagOf(matches[0]!);
}

/**
 * Gives each tab tag without a title of its own (`name`, `title`, `header`, a positional one) the
 * title its tab set lists: the set's `items` (comma-separated, in tab order), or its numbered
 * `tabName1`, `tabName2`… matched by the tab's `tabID` against `tabID1`, `tabID2`…, else by order.
 */
function nameTabsFromTheirSet(tags: ReadonlyMap<number, Tag>): void {
  const sets: { names: string[]; ids: string[]; next: number }[] = [];
  for (const [, tag] of [...tags].sort((a, b) => a[0] - b[0])) {
    if (WRAPPERS.has(tag.name) && tag.name !== 'content-ref') {
      if (tag.closing) sets.pop();
      else sets.push({ ...tabNamesOf(tag), next: 0 });
      continue;
    }
    const set = sets.at(-1);
    if (tag.name !== 'tab' || tag.closing || !set) continue;
    const index = set.next++;
    if (['name', 'title', 'header'].some((k) => tag.named.get(k)) || tag.positional.length > 0) continue;
    const byId = tag.named.has('tabid') ? set.ids.indexOf(tag.named.get('tabid')!) : -1;
    const title = set.names[byId >= 0 ? byId : index];
    if (title) tag.named.set('name', title);
  }
}

/** The tab titles a tab set lists, in order, and their ids (see {@link nameTabsFromTheirSet}). */
function tabNamesOf(tag: Tag): { names: string[]; ids: string[] } {
  const items = tag.named.get('items');
  if (items !== undefined) return { names: items.split(',').map((n) => n.trim()), ids: [] };
  const names: string[] = [];
  const ids: string[] = [];
  for (let n = 1; tag.named.has(`tabname${n}`); n++) {
    names.push(tag.named.get(`tabname${n}`)!.trim());
    ids.push(tag.named.get(`tabid${n}`) ?? '');
  }
  return { names, ids };
}

/** The container a tag opens: its kind and title, when it is a callout, a tab or details. */
function containerOf(tag: Tag): { kind: string; title: string } | undefined {
  const title = tag.named.get('title') ?? tag.named.get('header') ?? '';
  if (CALLOUTS.has(tag.name)) return { kind: tag.name, title };
  if (GENERIC_CALLOUTS.has(tag.name)) {
    const kind = tag.named.get('type') ?? tag.named.get('color') ?? tag.named.get('style') ?? tag.positional[0] ?? 'note';
    return { kind: kind.toLowerCase().replace(/[^\w-]/g, '') || 'note', title: title || (tag.positional[1] ?? '') };
  }
  if (tag.name === 'tab') return { kind: 'tab', title: tag.named.get('name') ?? (title || (tag.positional[0] ?? '')) };
  if (tag.name === 'details') {
    const summary = tag.named.get('summary') ?? (title || (tag.positional[0] ?? ''));
    return { kind: 'details', title: /^(?:true|open)$/i.test(tag.named.get('open') ?? '') ? `${summary} {open}`.trim() : summary };
  }
  return undefined;
}

/**
 * The marker lines of the containers whose opening and closing tags each stand on their own
 * line, by line: as many colons as the container is deep from its innermost one, plus three.
 */
function pairContainers(tags: ReadonlyMap<number, Tag>): Map<number, string> {
  const open: { at: number; name: string; container: { kind: string; title: string }; height: number }[] = [];
  const out = new Map<number, string>();
  for (const [at, tag] of [...tags].sort((a, b) => a[0] - b[0])) {
    if (!tag.closing) {
      const container = containerOf(tag);
      if (container) open.push({ at, name: tag.name, container, height: 0 });
      continue;
    }
    const index = open.map((o) => o.name).lastIndexOf(tag.name);
    if (index < 0) continue;
    // Tags opened inside it and never closed are not containers.
    const [opening] = open.splice(index);
    const height = opening!.height;
    const colons = ':'.repeat(3 + height);
    out.set(opening!.at, `${colons} ${opening!.container.kind}${opening!.container.title ? ` ${opening!.container.title}` : ''}`);
    out.set(at, colons);
    const parent = open.at(-1);
    if (parent) parent.height = Math.max(parent.height, height + 1);
  }
  return out;
}

/** A tag standing alone on its line, as the prose it carries. */
function proseOf(tag: Tag): string {
  const keys = tag.name === 'embed' ? ['url', ...PROSE_ARGUMENTS] : PROSE_ARGUMENTS;
  return keys.map((k) => tag.named.get(k)).filter((v): v is string => !!v && v.trim() !== '').join(' — ');
}

/** An inline tag as text: its `text` argument, the page of `ref`/`relref`, else nothing. */
function inlineText(tag: Tag): string {
  if (tag.closing) return '';
  if (tag.name === 'ref' || tag.name === 'relref') return tag.named.get('path') ?? tag.positional[0] ?? '';
  return tag.named.get('text') ?? '';
}
