/**
 * Hugo shortcodes made readable before a page is parsed, by ingest and by the docs site alike.
 * Hugo docs (Docsy, the Kubernetes docs, Hugo Learn and Relearn) write callouts and tabs as
 * shortcodes, and some links and terms inline:
 *
 * ```md
 * {{< note >}}
 * Pods are the smallest deployable units.
 * {{< /note >}}
 *
 * {{% alert title="Back up first" color="warning" %}} … {{% /alert %}}
 * {{% notice tip %}} … {{% /notice %}}
 * {{< tabs >}} {{% tab name="npm" %}} … {{% /tab %}} {{< /tabs >}}
 *
 * See [Pods]({{< ref "pods.md" >}}) and {{< glossary_tooltip text="Services" term_id="service" >}}.
 * ```
 *
 * Any other reader shows them as text, so ingest indexed their syntax. Here:
 * - a line that is only a callout, tab or details shortcode, opening or closing, with its pair,
 *   becomes a `:::` container marker (`::: warning Back up first`, `::: tab npm`), which ingest and
 *   the site read (`containers.ts`); a container holding others has more colons;
 * - a line that is only another shortcode keeps its prose arguments (`title`, `caption`, `alt`,
 *   `text`, `name`, `label`, `summary`), else it becomes blank;
 * - an inline shortcode becomes its `text` argument, `ref` and `relref` their page (a link keeps a
 *   target), any other nothing.
 *
 * Escaped shortcodes (`{{</* note *\/>}}`, written to show the syntax), inline code and fenced code
 * are left as written. Line for line: every line keeps its number.
 */

import { fencedLines } from './fences';
import { codeSpanOr } from './mdx-source';

/** One shortcode call, `{{< name args >}}` or `{{% /name %}}`. */
const SHORTCODE = /\{\{([<%])(?!\s*\/\*)\s*(\/)?\s*([A-Za-z][\w./-]*)((?:\s+(?:[\w-]+=)?(?:"[^"]*"|'[^']*'|`[^`]*`|[^\s"'`%>]+))*)\s*\/?\s*[>%]\}\}/g;
const ARGUMENT = /(?:([\w-]+)=)?(?:"([^"]*)"|'([^']*)'|`([^`]*)`|([^\s"'`]+))/g;

/** An inline code span (left as written), or a shortcode (its groups shifted by one). */
const CODE_OR_SHORTCODE = codeSpanOr(SHORTCODE.source, 'g');

/** Shortcodes that are callouts (their kind is their name, or an argument of theirs for the generic ones). */
const CALLOUTS = new Set('note tip hint info important warning caution danger error success attention todo'.split(' '));
const GENERIC_CALLOUTS = new Set(['alert', 'notice', 'callout', 'admonition', 'admonish']);
/** Shortcodes that only group others (tab sets): their lines become blank. */
const GROUPS = new Set(['tabs', 'tabpane', 'tab-group', 'tabgroup']);
const PROSE_ARGUMENTS = ['title', 'caption', 'alt', 'text', 'name', 'label', 'summary', 'header'];

interface Call {
  closing: boolean;
  name: string;
  named: Map<string, string>;
  positional: string[];
}

/** `source` (a page's text) with its Hugo shortcodes made markdown (see the module's comment). */
export function hugoShortcodesAsMarkdown(source: string): string {
  if (!source.includes('{{<') && !source.includes('{{%')) return source;
  const lines = source.split('\n');
  const inFence = fencedLines(lines);
  // Lines that are one shortcode and nothing else.
  const calls = new Map<number, Call>();
  lines.forEach((line, i) => {
    if (inFence[i]) return;
    const only = wholeLineCall(line);
    if (only) calls.set(i, only);
  });
  const containers = pairContainers(calls);
  return lines
    .map((line, i) => {
      if (inFence[i]) return line;
      const container = containers.get(i);
      if (container) return container;
      const call = calls.get(i);
      if (call) return call.closing || GROUPS.has(call.name) ? '' : proseOf(call);
      return line.replace(CODE_OR_SHORTCODE, (...m: string[]) => (m[1] !== undefined ? m[0]! : inlineText(readCall(m.slice(1)))));
    })
    .join('\n');
}

function readCall(match: readonly string[]): Call {
  const named = new Map<string, string>();
  const positional: string[] = [];
  for (const a of (match[4] ?? '').matchAll(ARGUMENT)) {
    const value = a[2] ?? a[3] ?? a[4] ?? a[5] ?? '';
    if (a[1]) named.set(a[1].toLowerCase(), value);
    else positional.push(value);
  }
  return { closing: match[2] === '/', name: match[3]!.toLowerCase(), named, positional };
}

function wholeLineCall(line: string): Call | undefined {
  const trimmed = line.trim();
  if (!trimmed.startsWith('{{')) return undefined;
  const matches = [...trimmed.matchAll(SHORTCODE)];
  if (matches.length !== 1 || matches[0]![0] !== trimmed) return undefined;
  return readCall(matches[0]!);
}

/** The container a shortcode opens: its kind and title, when it is a callout, a tab or details. */
function containerOf(call: Call): { kind: string; title: string } | undefined {
  const title = call.named.get('title') ?? call.named.get('header') ?? '';
  if (CALLOUTS.has(call.name)) return { kind: call.name, title };
  if (GENERIC_CALLOUTS.has(call.name)) {
    const kind = call.named.get('type') ?? call.named.get('color') ?? call.named.get('style') ?? call.positional[0] ?? 'note';
    return { kind: kind.toLowerCase().replace(/[^\w-]/g, '') || 'note', title: title || (call.positional[1] ?? '') };
  }
  if (call.name === 'tab') return { kind: 'tab', title: call.named.get('name') ?? (title || (call.positional[0] ?? '')) };
  if (call.name === 'details') return { kind: 'details', title: call.named.get('summary') ?? (title || (call.positional[0] ?? '')) };
  return undefined;
}

/**
 * The marker lines of the containers whose opening and closing shortcodes each stand on their own
 * line, by line: as many colons as the container is deep from its innermost one, plus three.
 */
function pairContainers(calls: ReadonlyMap<number, Call>): Map<number, string> {
  const open: { at: number; name: string; container: { kind: string; title: string }; height: number }[] = [];
  const out = new Map<number, string>();
  for (const [at, call] of [...calls].sort((a, b) => a[0] - b[0])) {
    if (!call.closing) {
      const container = containerOf(call);
      if (container) open.push({ at, name: call.name, container, height: 0 });
      continue;
    }
    const index = open.map((o) => o.name).lastIndexOf(call.name);
    if (index < 0) continue;
    // Shortcodes opened inside it and never closed are not containers.
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

/** A shortcode standing alone on its line, as the prose it carries. */
function proseOf(call: Call): string {
  return PROSE_ARGUMENTS.map((k) => call.named.get(k)).filter((v): v is string => !!v && v.trim() !== '').join(' — ');
}

/** An inline shortcode as text: its `text` argument, the page of `ref`/`relref`, else nothing. */
function inlineText(call: Call): string {
  if (call.closing) return '';
  if (call.name === 'ref' || call.name === 'relref') return call.named.get('path') ?? call.positional[0] ?? '';
  return call.named.get('text') ?? '';
}
