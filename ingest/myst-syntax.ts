/**
 * MyST markdown (Sphinx sites with myst-parser, Jupyter Book) made markdown that ingest and the
 * docs site read alike, line for line, before a page is parsed. Without it, a directive written
 * as a fence was indexed as code (a note's text, an API entry's description), and roles and
 * labels were indexed as written (`{ref}`, `(install)=`).
 *
 * **Directives**, written as a fence whose info string is `{name}` (backticks, tildes, or MyST's
 * colon fence `:::{name}`), followed by option lines (`:key: value`, or a YAML block between
 * `---` lines, which become blank):
 * - admonitions (`{note}`, `{warning}`, `{tip}`, `{seealso}`… and `{admonition} Title` with its
 *   kind from `:class:`), `{dropdown}`, `{tab-item}`, `{card}`, `{topic}`, `{sidebar}` and the
 *   version notes (`{versionadded} 2.1`) become `:::` containers (`containers.ts`), as many
 *   colons as the fence has characters, so nesting is kept (`````` ````{tab-set} `````` around
 *   ```` ```{tab-item} ````);
 * - `{code-block} python` (also `{code}`, `{code-cell}`…) becomes a plain fence for that language;
 * - layout directives whose content is markdown (`{tab-set}`, `{grid}`, `{figure}`'s caption,
 *   `{list-table}`, `{glossary}`) keep their content and lose their fence lines;
 * - an API entry (`{py:function} connect(url)`, `{autoclass} pkg.Client`) keeps the object's
 *   signature as code and its description as markdown;
 * - navigation and media (`{toctree}`, `{contents}`, `{image}`, `{include}`…), which show no text of
 *   their own, become blank;
 * - any other directive (`{mermaid}`, `{eval-rst}`, `{math}`) is left as written: code.
 *
 * **Roles** `` {name}`text` `` become what the site shows: a reference (`{ref}`, `{doc}`,
 * `{term}`) its text (`Title <target>` → `Title`), a code role (`{py:func}`, `{command}`, `{file}`)
 * code (`~pkg.f` → `f`), others their text. A `{ref}` or `{doc}` whose target is one of the docs'
 * labels or pages becomes a link there, its text the link's (`[Title](#target)`, `[Title](target)`;
 * a `{ref}` without a text, the text of the heading its label is set on, and a `{doc}` without
 * one, its page's title: {@link MystSyntaxOptions.leadsToPage}), which ingest and the docs site point at the page as
 * they point any link (`page-links.ts`); one that leads nowhere stays its text. **Labels** `(name)=` and, on a page that uses MyST
 * syntax, `%` comment lines and `+++` block breaks become blank. Fenced code is left alone.
 */
import { fencedLines } from './fences';
import { codeSpanOr } from './mdx-source';
import type { LabelTarget } from './myst-labels';

/** Whether `source` may hold MyST syntax (a cheap test, before converting). */
const MAY_HAVE_MYST = /^[ \t]*(?:`{3,}|~{3,}|:{3,})[ \t]*\{[A-Za-z]|\{[A-Za-z][\w:+.-]*\}`|^\([^)\s]+\)=[ \t]*$/m;
/** A directive's opening fence: indentation, fence, name, argument. */
const OPENING = /^([ \t]*)(`{3,}|~{3,}|:{3,})[ \t]*\{([A-Za-z][\w:.+-]*)\}[ \t]*(.*?)[ \t]*$/;
/** Any other opening code fence (CommonMark: no backtick after backticks on the line). */
const CODE_OPENING = /^([ \t]*)(`{3,}(?!.*`)|~{3,})/;
/** A directive option line (`:class: tip`, `:open:`). */
const OPTION = /^[ \t]*:[\w-]+:(?:[ \t].*)?$/;
/** A MyST target label before a heading or block: `(install-guide)=`. */
const LABEL = /^[ \t]*\([^)\s]+\)=[ \t]*$/;

/** Admonitions: container kind by directive name. */
const ADMONITIONS: Record<string, string> = {
  note: 'note',
  warning: 'warning',
  tip: 'tip',
  important: 'important',
  caution: 'caution',
  attention: 'attention',
  danger: 'danger',
  error: 'error',
  hint: 'hint',
  seealso: 'seealso',
  todo: 'todo',
};
/** Titles Sphinx gives some notes; `$` is the directive's argument. */
const VERSION_NOTES: Record<string, { kind: string; title: string }> = {
  versionadded: { kind: 'note', title: 'Added in version $' },
  versionchanged: { kind: 'note', title: 'Changed in version $' },
  versionremoved: { kind: 'warning', title: 'Removed in version $' },
  deprecated: { kind: 'warning', title: 'Deprecated since version $' },
};
/** Boxes with a title (their argument): kind by directive name. */
const BOXES: Record<string, string> = {
  'tab-item': 'tab',
  card: 'card',
  'grid-item-card': 'card',
  topic: 'note',
  sidebar: 'note',
  margin: 'note',
};
const CODE = new Set(['code-block', 'code', 'sourcecode', 'code-cell', 'jupyter-execute', 'ipython', 'testcode', 'doctest']);
const CONTENT_ONLY = new Set(['tab-set', 'grid', 'grid-item', 'figure', 'list-table', 'table', 'glossary', 'only', 'div', 'container', 'centered', 'hlist', 'epigraph', 'pull-quote', 'highlights', 'compound', 'card-carousel']);
const BLANK = new Set(['toctree', 'contents', 'tableofcontents', 'image', 'include', 'literalinclude', 'raw', 'bibliography', 'index', 'meta', 'highlight', 'default-role', 'currentmodule', 'sectionauthor', 'moduleauthor', 'codeauthor', 'tabularcolumns', 'csv-table']);
/** Sphinx's Python and JavaScript object directives without a domain prefix (`{function}`). */
const API_ENTRIES = new Set(['function', 'class', 'method', 'attribute', 'data', 'exception', 'module', 'property', 'decorator', 'classmethod', 'staticmethod']);

/** What a directive becomes. */
type Conversion =
  | { as: 'container'; kind: string; title: string }
  | { as: 'code'; language: string }
  | { as: 'content'; lead?: string }
  | { as: 'blank' }
  | { as: 'unchanged' };

/** How the directive `name` with `argument` and `options` is converted. */
function conversionOf(name: string, argument: string, options: ReadonlyMap<string, string>, colon: boolean): Conversion {
  const lower = name.toLowerCase();
  if (lower in ADMONITIONS) return { as: 'container', kind: ADMONITIONS[lower]!, title: argument };
  if (lower === 'admonition') {
    const kind = options.get('class')?.split(/\s+/).find((c) => c.toLowerCase() in ADMONITIONS)?.toLowerCase() ?? 'note';
    return { as: 'container', kind, title: argument };
  }
  if (lower === 'dropdown') return { as: 'container', kind: 'details', title: `${argument || 'Details'}${options.has('open') ? ' {open}' : ''}` };
  if (lower in VERSION_NOTES) {
    const note = VERSION_NOTES[lower]!;
    return { as: 'container', kind: note.kind, title: note.title.replace('$', argument).trim() };
  }
  if (lower in BOXES) return { as: 'container', kind: BOXES[lower]!, title: argument };
  if (CODE.has(lower) && !colon) return { as: 'code', language: argument.split(/\s+/)[0] ?? '' };
  if (CONTENT_ONLY.has(lower)) return { as: 'content' };
  if (lower === 'rubric') return { as: 'content', lead: argument ? `**${argument}**` : undefined };
  if (BLANK.has(lower)) return { as: 'blank' };
  if (lower.includes(':') || lower.startsWith('auto') || API_ENTRIES.has(lower)) return { as: 'content', lead: argument ? `\`${argument}\`` : undefined };
  // A colon fence holds markdown whatever its name.
  return colon ? { as: 'container', kind: lower, title: argument } : { as: 'unchanged' };
}

/** An open directive or code fence. */
interface Open {
  fence: string;
  conversion: Conversion;
  indent: string;
}

export interface MystSyntaxOptions {
  /**
   * Whether a link of the page to `href` leads to a page (`pageLinkUrl()` of `page-links.ts`, as
   * ingest and the docs site point links): a `{ref}` role becomes a link to `#label`, and a `{doc}`
   * role a link to its path, when it does, so both are pointed at the page like any link.
   * Default: none (every role is its text).
   */
  leadsToPage?: (href: string) => boolean;
  /**
   * The docs' MyST labels by name in lower case (`mystLabels()`): a `{ref}` without a text of its
   * own shows the heading its label is set on, as Sphinx does (`` {ref}`netpol` `` → Network
   * policies), else the label. Default: none.
   */
  labels?: ReadonlyMap<string, LabelTarget>;
  /**
   * The title of the page a link of the page to `href` leads to (as ingest titles it:
   * `readPageInfo()`): a `{doc}` role without a text of its own that leads to a page
   * ({@link leadsToPage}) shows it, as Sphinx does (`` {doc}`the_basics` `` → The basics), else its
   * path. Default: none (the path).
   */
  linkedPageTitle?: (href: string) => string | undefined;
}

/** `source` (a page's text, line endings normalised) with its MyST syntax made markdown, line for line. */
export function mystAsMarkdown(source: string, options: MystSyntaxOptions = {}): string {
  if (!MAY_HAVE_MYST.test(source)) return source;
  const lines = source.split('\n');
  // Frontmatter (YAML `---` or TOML `+++`) is not markdown.
  const frontmatterEnd = lines[0] === '---' || lines[0] === '+++' ? lines.indexOf(lines[0], 1) : -1;
  const out = lines.slice(0, frontmatterEnd + 1);
  const open: Open[] = [];
  /** Whether the lines are opaque (inside code, or inside a directive left as written or blanked). */
  const opaque = () => open.some((o) => o.conversion.as === 'code' || o.conversion.as === 'unchanged' || o.conversion.as === 'blank');
  const blanked = () => open.some((o) => o.conversion.as === 'blank');
  for (let i = out.length; i < lines.length; i++) {
    const line = lines[i]!;
    const top = open.at(-1);
    if (top && closes(line, top.fence)) {
      open.pop();
      const c = top.conversion;
      out.push(c.as === 'container' ? `${top.indent}${':'.repeat(Math.max(3, top.fence.length))}` : c.as === 'code' || c.as === 'unchanged' ? (blanked() ? '' : line) : '');
      continue;
    }
    if (opaque()) {
      out.push(blanked() ? '' : line);
      continue;
    }
    const directive = OPENING.exec(line);
    if (directive) {
      const [, indent, fence, name, argument] = directive as unknown as [string, string, string, string, string];
      // Option lines: `:key: value` lines, or a YAML block between `---` lines, right after the fence.
      const options = new Map<string, string>();
      let last = i;
      if (lines[i + 1]?.trim() === '---') {
        const end = lines.findIndex((l, j) => j > i + 1 && l.trim() === '---');
        if (end > 0) {
          for (const l of lines.slice(i + 2, end)) {
            const m = /^\s*([\w-]+):\s*(.*)$/.exec(l);
            if (m) options.set(m[1]!, m[2]!);
          }
          last = end;
        }
      } else {
        while (last + 1 < lines.length && OPTION.test(lines[last + 1]!)) {
          const m = /^\s*:([\w-]+):\s*(.*)$/.exec(lines[++last]!)!;
          options.set(m[1]!, m[2]!);
        }
      }
      const conversion = conversionOf(name, argument, options, fence.startsWith(':'));
      open.push({ fence, conversion, indent });
      // One line at a time: thousands of option lines are more than a call may pass.
      if (conversion.as === 'unchanged') {
        for (let j = i; j <= last; j++) out.push(lines[j]!);
      } else {
        // The option lines go blank and the opening line takes the last of them, so code starts at its first line.
        for (let j = i + 1; j <= last; j++) out.push('');
        out.push(openingLine(conversion, indent, fence));
      }
      i = last;
      continue;
    }
    const code = CODE_OPENING.exec(line);
    if (code) {
      open.push({ fence: code[2]!.replace(/[^`~]/g, ''), conversion: { as: 'code', language: '' }, indent: code[1]! });
      out.push(line);
      continue;
    }
    out.push(line);
  }
  // Comments and block breaks are read only on a page that shows it is MyST: `%` may start a line of prose elsewhere.
  const code = fencedLines(out);
  const myst = out.some((l, i) => l !== lines[i]) || out.some((l, i) => !code[i] && (LABEL.test(l) || ROLE_ONLY.test(l)));
  return out.map((line, i) => (i <= frontmatterEnd || code[i] ? line : prose(line, myst, options))).join('\n');
}

/** Whether `line` closes a fence opened with `fence` (the same character, at least as many). */
function closes(line: string, fence: string): boolean {
  const m = /^[ \t]*(`{3,}|~{3,}|:{3,})[ \t]*$/.exec(line);
  return m !== null && m[1]![0] === fence[0] && m[1]!.length >= fence.length;
}

/** The line that opens a converted directive. */
function openingLine(c: Conversion, indent: string, fence: string): string {
  switch (c.as) {
    case 'container':
      return `${indent}${':'.repeat(Math.max(3, fence.length))} ${c.kind}${c.title ? ` ${c.title}` : ''}`;
    case 'code':
      return `${indent}${fence}${c.language}`;
    case 'content':
      return c.lead ? `${indent}${c.lead}` : '';
    default:
      return '';
  }
}

/** A role, `{name}` then a code span (groups 2 and 3), after any inline code span (group 1, left alone). */
const ROLE = codeSpanOr(String.raw`\{([A-Za-z][\w:+.-]*)\}\`([^\`\n]+)\``, 'g');
/** Roles shown as their text: references, terms, abbreviations. */
const TEXT_ROLES = new Set(['ref', 'doc', 'numref', 'any', 'term', 'download', 'eq', 'abbr', 'sub', 'sup', 'subscript', 'superscript', 'guilabel', 'menuselection', 'math', 'cite', 'external', 'dfn', 'manpage', 'pep', 'rfc']);

/** A role anywhere on a line (inline code not told apart: only to tell a MyST page). */
const ROLE_ONLY = /\{[A-Za-z][\w:+.-]*\}`[^`\n]+`/;

/** A prose line with its labels, roles and (on a MyST page) comments and block breaks made markdown. */
function prose(line: string, myst: boolean, { leadsToPage, labels, linkedPageTitle }: MystSyntaxOptions): string {
  if (LABEL.test(line) || (myst && (/^%/.test(line) || /^\+\+\+(?:[ \t].*)?$/.test(line)))) return '';
  if (!line.includes('}`')) return line;
  return line.replace(ROLE, (whole, ticks: string | undefined, name: string | undefined, text: string | undefined) => {
    if (ticks !== undefined) return whole;
    const role = name!.toLowerCase();
    // `Title <target>` shows Title; a bare target shows itself (`~a.b.c` its last part).
    const titled = /^(.*?)\s*<([^<>]+)>$/.exec(text!);
    const shown = titled && titled[1] ? titled[1] : (titled?.[2] ?? text!).replace(/^!/, '');
    if (role === 'menuselection') return shown.replace(/\s*-->\s*/g, ' > ');
    const href = role === 'ref' || role === 'doc' ? referenceHref(role, (titled?.[2] ?? text!).replace(/^[!~]/, '').trim()) : undefined;
    if (href !== undefined && leadsToPage?.(href)) {
      // Without a text of its own, a `{ref}` shows its label's heading and a `{doc}` its page's title.
      const title = titled?.[1] ? undefined : role === 'ref' ? labels?.get(href.slice(1).toLowerCase())?.title : linkedPageTitle?.(href);
      return `[${(title || shown).replace(/[[\]\\]/g, '\\$&')}](${/[\s()<>]/.test(href) ? `<${href}>` : href})`;
    }
    if (TEXT_ROLES.has(role.replace(/^\w+:(?=\w)/, ''))) return shown;
    const code = shown.startsWith('~') ? shown.slice(1).split('.').pop()! : shown;
    return `\`${code}\``;
  });
}

/**
 * The link a reference role is written as: `{ref}` to its label, `#label` (`page-links.ts` reads a
 * link to `#name` as a link to that MyST label), `{doc}` to its document's path, relative to the
 * page or, starting with `/`, to the docs' root (`../install`, `/kubernetes/setup-helm`).
 */
function referenceHref(role: 'ref' | 'doc', target: string): string | undefined {
  if (target === '' || /[<>`]/.test(target)) return undefined;
  return role === 'ref' ? `#${target}` : target;
}

/**
 * The links the page's `{ref}` and `{doc}` roles would be ({@link MystSyntaxOptions.leadsToPage}),
 * each as written (`#netpol`, `../install`), in page order: what they lead to decides what the page
 * shows, so the docs site renders the page again when that changes.
 */
export function mystReferenceHrefs(source: string): string[] {
  const hrefs: string[] = [];
  mystAsMarkdown(source, { leadsToPage: (href) => (hrefs.push(href), false) });
  return hrefs;
}

/**
 * The links of the page's `{doc}` roles without a text of their own, as written (`../install`), in
 * page order: they show the title of the page they lead to
 * ({@link MystSyntaxOptions.linkedPageTitle}), so the page reads otherwise when that title changes.
 */
export function mystUntitledDocHrefs(source: string): string[] {
  const hrefs: string[] = [];
  mystAsMarkdown(source, { leadsToPage: () => true, linkedPageTitle: (href) => (hrefs.push(href), undefined) });
  return hrefs;
}
