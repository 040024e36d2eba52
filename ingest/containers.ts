/**
 * The marker lines of `:::` containers: `::: warning Title` … `:::` (VitePress) and
 * `:::tip[Title]` … `:::` (Docusaurus admonitions), and the first line of a GitHub alert
 * (`> [!NOTE]`, also Obsidian's `> [!tip]- Title`). Ingest drops the markers and indexes the
 * title (`parse.ts`); the docs site turns the containers and alerts into callouts
 * (`site/src/lib/remark-containers.ts`). Both read a marker line here, so the site shows what is
 * indexed.
 */

export interface ContainerMarker {
  /** How many colons: a container is closed by a marker with as many. */
  colons: number;
  /** The container's kind (`warning`, `tip`, `details`), lower-cased; none on a closing marker. */
  kind?: string;
  /** The title written after the kind (`[…]` unwrapped), or `''`; `{…}` attributes are no title. */
  title: string;
  /** `{open}` among its attributes (VitePress' `::: details Title {open}`): a details block shown open. */
  open?: boolean;
  /** Colons alone: the marker that closes a container. */
  closing: boolean;
}

/** The container marker `line` is, if it is one. */
export function containerMarker(line: string): ContainerMarker | undefined {
  const m = /^\s*(:{3,})\s*([\w-]+)?\s*(.*)$/.exec(line);
  if (!m) return undefined;
  // Trailing `{…}` attributes (`{open}`, `{#id .class}`) are no title.
  const attributes = /(?:^|\s)\{([^{}]*)\}$/.exec(m[3]!.trim());
  const written = (attributes ? m[3]!.trim().slice(0, attributes.index) : m[3]!).replace(/^\[|\]$/g, '').trim();
  const marker: ContainerMarker = { colons: m[1]!.length, kind: m[2]?.toLowerCase(), title: written, closing: !m[2] && m[3] === '' };
  if (attributes && /(?:^|\s)open(?:\s|=|$)/.test(attributes[1]!)) marker.open = true;
  return marker;
}

/** The marker of a GitHub alert or Obsidian callout, the first line of a blockquote. */
export interface AlertMarker {
  /** `note`, `tip`, `important`, `warning`, `caution` (GitHub), or any word (Obsidian), lower-cased. */
  kind: string;
  /** Text after the marker (Obsidian's title), or `''`. */
  title: string;
}

/**
 * The alert marker `line` is, if it is one: `[!NOTE]`, `[!warning]+ Title` (the blockquote's `>`
 * already taken off). A title with markup is not read (the line is left as written).
 */
export function alertMarker(line: string): AlertMarker | undefined {
  const m = /^\s*\[!([A-Za-z][\w-]*)\][+-]?(?:[ \t]+(.*?))?[ \t]*$/.exec(line);
  // A title with markup (`**`, links, code) is not read as one: the line stays as written.
  if (!m || /[*_`[\]<>]/.test(m[2] ?? '')) return undefined;
  return { kind: m[1]!.toLowerCase(), title: m[2]?.trim() ?? '' };
}
