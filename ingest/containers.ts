/**
 * The marker lines of `:::` containers: `::: warning Title` … `:::` (VitePress) and
 * `:::tip[Title]` … `:::` (Docusaurus admonitions). Ingest drops the markers and indexes the
 * title (`parse.ts`); the docs site turns the containers into callouts
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
  /** Colons alone: the marker that closes a container. */
  closing: boolean;
}

/** The container marker `line` is, if it is one. */
export function containerMarker(line: string): ContainerMarker | undefined {
  const m = /^\s*(:{3,})\s*([\w-]+)?\s*(.*)$/.exec(line);
  if (!m) return undefined;
  const written = m[3]!.replace(/^\[|\]$/g, '').trim();
  return { colons: m[1]!.length, kind: m[2]?.toLowerCase(), title: /^\{.*\}$/.test(written) ? '' : written, closing: !m[2] && m[3] === '' };
}
