/**
 * A remark plugin for the docs site: containers written `::: warning Title` … `:::` (VitePress) or
 * `:::tip[Title]` … `:::` (Docusaurus admonitions), and GitHub alerts (a blockquote whose first
 * line is `[!NOTE]`, `[!WARNING]`…, or Obsidian's `[!tip] Title`) become callouts, an
 * `<aside class="callout callout-warning">` with the title (else the kind: "Warning") above the
 * content; `::: details` becomes a `<details>` element and `::: code-group` a plain group. Without
 * it, the markers were shown as text. Ingest drops the marker lines and indexes the title
 * (`dropContainerMarkers` in `ingest/parse.ts`), so the site shows what is indexed, plus the kind.
 *
 * A container is closed by a line of as many colons as opened it (`::::` around a `:::` inside
 * it); one never closed is left as text. Marker lines need no blank lines around them.
 */
import type { Blockquote, Paragraph, Parent, PhrasingContent, Root, RootContent, Text } from 'mdast';
import { alertMarker, containerMarker } from '../../../ingest/containers';

export function remarkContainers() {
  return (tree: Root) => {
    transform(tree);
  };
}

/** Replaces the containers among `parent`'s children (and, inside them and other blocks, theirs). */
function transform(parent: Parent): void {
  const children = (parent.children as RootContent[]).flatMap((c): RootContent[] => (c.type === 'paragraph' ? splitAtMarkerLines(c) : [c]));
  const out: RootContent[] = [];
  for (let i = 0; i < children.length; i++) {
    const node = children[i]!;
    const alert = node.type === 'blockquote' ? alertOf(node) : undefined;
    if (alert) {
      const container = { type: 'blockquote', children: alert.content } as unknown as Parent;
      transform(container);
      out.push(containerNode(alert.kind, alert.title, container.children as RootContent[]));
      continue;
    }
    const open = node.type === 'paragraph' ? openingOf(node) : undefined;
    if (!open) {
      if ('children' in node && node.type !== 'paragraph' && node.type !== 'heading') transform(node as Parent);
      out.push(node);
      continue;
    }
    const content: RootContent[] = [];
    let closed = false;
    const take = (n: RootContent) => {
      const close = closingIn(n, open.colons);
      if (close) {
        if (close.before) content.push(close.before);
        closed = true;
      } else content.push(n);
    };
    let j = i + 1;
    for (; !closed && j < children.length; j++) take(children[j]!);
    if (!closed) {
      out.push(node);
      continue;
    }
    const container = { type: 'paragraph', children: content } as unknown as Parent;
    transform(container);
    out.push(containerNode(open.kind, open.title, container.children as RootContent[], open.open));
    i = j - 1;
  }
  parent.children = out as Parent['children'];
}

/**
 * A paragraph split at its lines that are container markers, each becoming a paragraph of its own:
 * markers written without blank lines around them (a `:::` closing one container on the line
 * before the `::: tip` that opens the next) are still read. A paragraph without one is returned as is.
 */
function splitAtMarkerLines(paragraph: Paragraph): Paragraph[] {
  const markerLine = (line: string) => containerMarker(line) !== undefined;
  if (!paragraph.children.some((c) => c.type === 'text' && c.value.split('\n').some(markerLine))) return [paragraph];
  const out: Paragraph[] = [];
  let current: PhrasingContent[] = [];
  const flush = () => {
    const last = current.at(-1);
    if (last?.type === 'text') last.value = last.value.replace(/\n$/, '');
    if (current.some((c) => c.type !== 'text' || c.value !== '')) out.push({ type: 'paragraph', children: current });
    current = [];
  };
  let atLineStart = true;
  paragraph.children.forEach((child, index) => {
    if (child.type !== 'text') {
      current.push(child);
      atLineStart = false;
      return;
    }
    const lines = child.value.split('\n');
    lines.forEach((line, k) => {
      const lastLine = k === lines.length - 1;
      // The whole line is in this text node: it starts a line and ends one (or the paragraph).
      const whole = (k > 0 || atLineStart) && (!lastLine || index === paragraph.children.length - 1);
      if (whole && markerLine(line)) {
        flush();
        out.push({ type: 'paragraph', children: [{ type: 'text', value: line }] });
        return;
      }
      const text = lastLine ? line : `${line}\n`;
      if (text !== '') current.push({ type: 'text', value: text });
    });
    atLineStart = child.value.endsWith('\n');
  });
  flush();
  return out;
}

/**
 * The container a paragraph opens: one that is a marker line and nothing else (paragraphs are
 * split at their marker lines first, {@link splitAtMarkerLines}).
 */
function openingOf(paragraph: Paragraph): { colons: number; kind: string; title: string; open: boolean } | undefined {
  const [only, ...others] = paragraph.children;
  if (only?.type !== 'text' || others.length > 0) return undefined;
  const marker = containerMarker(only.value);
  return marker?.kind ? { colons: marker.colons, kind: marker.kind, title: marker.title, open: marker.open === true } : undefined;
}

/** A GitHub alert (`> [!NOTE]` as the blockquote's first line), its marker line taken off. */
function alertOf(quote: Blockquote): { kind: string; title: string; content: RootContent[] } | undefined {
  const [first, ...others] = quote.children;
  if (first?.type !== 'paragraph') return undefined;
  const lead = first.children[0];
  if (lead?.type !== 'text') return undefined;
  const newline = lead.value.indexOf('\n');
  if (newline < 0 && first.children.length > 1) return undefined;
  const marker = alertMarker(newline < 0 ? lead.value : lead.value.slice(0, newline));
  if (!marker) return undefined;
  const remaining = newline < 0 ? '' : lead.value.slice(newline + 1);
  const rest = [...(remaining ? [{ ...lead, value: remaining } satisfies Text] : []), ...first.children.slice(1)];
  return { kind: marker.kind, title: marker.title, content: [...(rest.length ? [{ ...first, children: rest }] : []), ...others] as RootContent[] };
}

/**
 * Whether a block ends with the closing marker, and what comes before it: a paragraph's last line,
 * or the end of the last item of a list (where markdown puts a `:::` written right after it).
 */
function closingIn(node: RootContent, colons: number): { before?: RootContent } | undefined {
  if (node.type === 'paragraph') return closingOf(node, colons);
  if (node.type !== 'list' && node.type !== 'listItem' && node.type !== 'blockquote') return undefined;
  const last = node.children.at(-1) as RootContent | undefined;
  const close = last && closingIn(last, colons);
  if (!close) return undefined;
  const children = [...node.children.slice(0, -1), ...(close.before ? [close.before] : [])];
  return { before: children.length ? ({ ...node, children } as RootContent) : undefined };
}

function closingOf(paragraph: Paragraph, colons: number): { before?: Paragraph } | undefined {
  const last = paragraph.children.at(-1);
  if (last?.type !== 'text') return undefined;
  const newline = last.value.lastIndexOf('\n');
  const marker = containerMarker(last.value.slice(newline + 1));
  if (!marker?.closing || marker.colons !== colons) return undefined;
  const remaining = newline < 0 ? '' : last.value.slice(0, newline);
  const children = [...paragraph.children.slice(0, -1), ...(remaining ? [{ ...last, value: remaining } satisfies Text] : [])];
  return { before: children.length ? { ...paragraph, children } : undefined };
}

/** The callout (or `<details>`, open when `open`, or code group) for a container of `kind`. */
function containerNode(kind: string, title: string, content: RootContent[], open = false): RootContent {
  const label = title || kind.charAt(0).toUpperCase() + kind.slice(1).replace(/-/g, ' ');
  const strong = { type: 'strong', children: [{ type: 'text', value: label }] };
  if (kind === 'code-group') return block('div', ['code-group'], content);
  if (kind === 'details') {
    const details = block('details', ['callout', 'callout-details'], [block('summary', [], [strong as RootContent]), ...content]);
    if (open) (details.data as { hProperties: Record<string, unknown> }).hProperties.open = true;
    return details;
  }
  const heading = { type: 'paragraph', children: [strong], data: { hProperties: { className: ['callout-title'] } } } as unknown as RootContent;
  return block('aside', ['callout', `callout-${kind}`], [heading, ...content]);
}

/** A block that becomes the HTML element `name` (mdast-util-to-hast reads `data.hName`). */
function block(name: string, className: string[], children: RootContent[]): RootContent {
  return { type: 'docentContainer', data: { hName: name, hProperties: className.length ? { className } : {} }, children } as unknown as RootContent;
}
