/**
 * What the sidebar reads from a page's frontmatter, as Docent writes it or as another site
 * generator does: the page's order among its siblings, its label and whether it is hidden.
 * A field of another shape is ignored, never a build error (a Starlight docs folder once failed
 * the whole build on its `sidebar: { … }` object).
 *
 * - order: `order` (Docent), else Starlight's `sidebar.order`, Hugo's `weight` or the weight of
 *   its first menu entry (`menu: { docs: { weight: 10 } }`), Docusaurus' `sidebar_position`;
 * - label: Starlight's `sidebar.label`, Docusaurus' `sidebar_label` (else the page's title);
 * - hidden: `sidebar: false` (Docent, VitePress) or Starlight's `sidebar.hidden`.
 */

export interface SidebarFields {
  order: number | undefined;
  label: string | undefined;
  hidden: boolean;
}

/** The sidebar fields of a page's frontmatter (see the module's comment). */
export function sidebarFields(frontmatter: Readonly<Record<string, unknown>>): SidebarFields {
  const sidebar = isRecord(frontmatter.sidebar) ? frontmatter.sidebar : {};
  return {
    order:
      toNumber(frontmatter.order) ??
      toNumber(sidebar.order) ??
      toNumber(frontmatter.weight) ??
      menuWeight(frontmatter.menu) ??
      toNumber(frontmatter.sidebar_position),
    label: toText(sidebar.label) ?? toText(frontmatter.sidebar_label),
    hidden: frontmatter.sidebar === false || sidebar.hidden === true,
  };
}

/** The weight of a Hugo page's first menu entry that has one (`menu: { docs: { weight: 10 } }`). */
function menuWeight(menu: unknown): number | undefined {
  if (!isRecord(menu)) return undefined;
  for (const entry of Object.values(menu)) {
    const weight = isRecord(entry) ? toNumber(entry.weight) : undefined;
    if (weight !== undefined) return weight;
  }
  return undefined;
}

/** A number (also written as text), or nothing. */
function toNumber(v: unknown): number | undefined {
  const n = typeof v === 'number' || (typeof v === 'string' && v.trim() !== '') ? Number(v) : Number.NaN;
  return Number.isFinite(n) ? n : undefined;
}

/** Text that is not blank, trimmed, or nothing. */
function toText(v: unknown): string | undefined {
  return typeof v === 'string' && v.trim() !== '' ? v.trim() : undefined;
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}
