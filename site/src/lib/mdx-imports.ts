/**
 * Imports an MDX page makes that this project cannot resolve, given stand-ins, for the docs site.
 * Docs written for Docusaurus import its theme (`import Tabs from '@theme/Tabs'`,
 * `import useBaseUrl from '@docusaurus/useBaseUrl'`) or their own site's components
 * (`@site/src/components/…`): Docent has none of them, and one such import used to stop the
 * whole site from building. Each name such an import binds is defined in its place instead: a
 * component (a capitalised name, or any member of a namespace: `<Theme.Tabs>`) as
 * `UnknownComponent.astro`, which shows its
 * title and content, as for a component used without an import (`mdx-components.ts`); any other
 * name as a function that returns its first argument (`useBaseUrl('/img/a.png')` is the path);
 * a file's text through webpack's raw-loader (`!!raw-loader!./a.ts`) as an empty string.
 * Docusaurus' `<Link>` (`import Link from '@docusaurus/Link'`) is a link: `DocusaurusLink.astro`.
 * An import without bindings (a stylesheet) is dropped. Ingest drops every import anyway.
 *
 * Line for line (an import over several lines leaves blank lines), and fenced code is left alone.
 */
import { fencedLines } from '../../../ingest/fences';
import { docusaurusLinkImports } from '../../../ingest/link-elements';

export interface StandInImportsOptions {
  /** Whether `specifier` resolves from the page (the site's bundler is asked). */
  resolves: (specifier: string) => Promise<boolean>;
  /** What a stand-in component is imported from (`UnknownComponent.astro`, by absolute path). */
  standIn: string;
  /**
   * What Docusaurus' `<Link>` (the default import of `@docusaurus/Link`) is imported from instead
   * (`DocusaurusLink.astro`, by absolute path): it renders a link. Default: {@link standIn}.
   */
  linkStandIn?: string;
}

/** The module of Docusaurus' `<Link>` component. */
export const DOCUSAURUS_LINK = '@docusaurus/Link';

/** An import {@link standInUnresolvedImports} gave stand-ins: what it names, and on which line of the page (from 1). */
export interface UnresolvedImport {
  specifier: string;
  line: number;
}

/** The page's MDX with its unresolvable imports replaced, and those imports (to report them). */
export async function standInUnresolvedImports(source: string, options: StandInImportsOptions): Promise<{ code: string; unresolved: UnresolvedImport[] }> {
  if (!/^import[\s{*'"]/m.test(source)) return { code: source, unresolved: [] };
  const lines = source.split('\n');
  const inFence = fencedLines(lines);
  const unresolved: UnresolvedImport[] = [];
  let standInImported = false;
  let linkImported = false;
  for (let i = 0; i < lines.length; i++) {
    if (inFence[i] || !/^import[\s{*'"]/.test(lines[i]!)) continue;
    // The statement, up to the line that names its module.
    let end = i;
    while (end < lines.length - 1 && !/(['"])[^'"]*\1\s*;?\s*$/.test(lines[end]!)) end++;
    const statement = lines.slice(i, end + 1).join('\n');
    const parsed = /^import\s+(?:([\s\S]*?)\s+from\s+)?(['"])([^'"]+)\2\s*;?\s*$/.exec(statement);
    if (!parsed || (await options.resolves(parsed[3]!))) {
      i = end;
      continue;
    }
    unresolved.push({ specifier: parsed[3]!, line: i + 1 });
    // webpack's raw-loader (`!!raw-loader!./file.ts`) gives a file's text: a string, used as one.
    const rawText = /(?:^|!)raw-loader!/.test(parsed[3]!);
    const link = parsed[3] === DOCUSAURUS_LINK && options.linkStandIn !== undefined;
    const definitions = bindings(parsed[1] ?? '').map(({ local, namespace, isDefault }) =>
      link && isDefault
        ? `export const ${local} = __DocentLink;`
        : namespace
        ? `export const ${local} = new Proxy({}, { get: () => __DocentStandIn });`
        : rawText
          ? `export const ${local} = '';`
          : /^[A-Z]/.test(local)
          ? `export const ${local} = __DocentStandIn;`
          : `export const ${local} = (...args) => args[0];`,
    );
    if (definitions.some((d) => d.includes('__DocentStandIn')) && !standInImported) {
      definitions.unshift(`import __DocentStandIn from ${JSON.stringify(options.standIn)};`);
      standInImported = true;
    }
    if (definitions.some((d) => d.includes('__DocentLink')) && !linkImported) {
      definitions.unshift(`import __DocentLink from ${JSON.stringify(options.linkStandIn)};`);
      linkImported = true;
    }
    lines.splice(i, end - i + 1, definitions.join(' '), ...Array<string>(end - i).fill(''));
    i = end;
  }
  return { code: lines.join('\n'), unresolved };
}

/** Files whose imports are components (their stand-ins show their content), not images or styles. */
const COMPONENT_FILE = /\.(?:astro|[cm]?[jt]sx?|vue|svelte|mdx?)$/i;

/**
 * The build's notices about the imports of `page` that got stand-ins (`[docent] <page>…` lines, as
 * `astro.config.mjs` prints them). `chains` gives, for an import that resolves but leads to one
 * that does not, the specifiers down to that one ({@link unresolvableImport}).
 *
 * An import of a file (a path: `./a.png`, `../../public/x.png`, `/x.ts`) that is not there is a
 * file not found, one notice per import with its line: the page is built without it, or, for a
 * component's file (`./card.astro`, `./callout.tsx`), with its components shown as their content. An import of a
 * package or an alias (`@theme/Tabs`, `next/link`, `~/components/x.astro`) is something this
 * project does not have, whose components are shown as their content: one notice for the page.
 * Docusaurus' `@docusaurus/Link` is not reported: its stand-in renders a link.
 */
export function unresolvedImportNotices(page: string, unresolved: readonly UnresolvedImport[], chains: ReadonlyMap<string, readonly string[]> = new Map()): string[] {
  const notices: string[] = [];
  const missing: string[] = [];
  for (const { specifier, line } of unresolved) {
    // Docusaurus' <Link> is rendered as a link (its stand-in is one): nothing to report.
    if (specifier === DOCUSAURUS_LINK) continue;
    const chain = chains.get(specifier) ?? [specifier];
    const last = chain[chain.length - 1]!;
    if (!/^\.{0,2}\//.test(last)) {
      missing.push(chain.join(' → '));
      continue;
    }
    const through = chain.length > 1 ? ` (through ${chain.slice(0, -1).join(' → ')})` : '';
    const outcome = COMPONENT_FILE.test(last) ? ': built with its components shown as their content' : ', so the page is built without it';
    notices.push(`[docent] ${page}:${line}: imported file ${last}${through} not found${outcome}`);
  }
  if (missing.length > 0) notices.push(`[docent] ${page}: imports ${missing.join(', ')}, which this project does not have: built with its components shown as their content`);
  return notices;
}

/**
 * The modules a JavaScript or TypeScript module imports: `import … from 'x'`, `import 'x'`,
 * `export … from 'x'` and `import('x')`. Type-only imports (`import type …`) are left out: they
 * are erased before bundling, so they need not resolve.
 */
export function moduleImports(code: string): string[] {
  const found = new Set<string>();
  for (const m of code.matchAll(/(?:^|[;}\n])[ \t]*(?:import|export)\s+(?!type\s)(?:[\w$*\s{},]*?\s*from\s*)?(['"])([^'"\n]+)\1/g)) found.add(m[2]!);
  for (const m of code.matchAll(/\bimport\(\s*(['"])([^'"\n]+)\1\s*\)/g)) found.add(m[2]!);
  return [...found];
}

export interface UnresolvableImportOptions {
  /** The id `specifier` resolves to from `importer` (the site's bundler is asked), else `undefined`. */
  resolve: (specifier: string, importer: string) => Promise<string | undefined>;
  /**
   * The source of a resolved id to look into, or `undefined` for one not to: a script of the docs'
   * own (a component file beside the page), not a package's.
   */
  localSource: (id: string) => string | undefined;
}

/**
 * Why the site cannot use `specifier`, imported by `importer`: `undefined` when it resolves, and
 * so does everything the docs' own modules it leads to import; else the specifiers from it down
 * to the one that does not resolve (`['./callout.tsx', 'next/link']`). A component file written
 * for the docs' own generator (`import Link from 'next/link'` in a Fumadocs site) resolves itself,
 * but its import stopped the whole site's build.
 */
export async function unresolvableImport(
  specifier: string,
  importer: string,
  options: UnresolvableImportOptions,
  seen: Set<string> = new Set(),
): Promise<string[] | undefined> {
  const id = await options.resolve(specifier, importer);
  if (id === undefined) return [specifier];
  if (seen.has(id)) return undefined;
  seen.add(id);
  const source = options.localSource(id);
  if (source === undefined) return undefined;
  for (const inner of moduleImports(source)) {
    const chain = await unresolvableImport(inner, id, options, seen);
    if (chain) return [specifier, ...chain];
  }
  return undefined;
}

/**
 * The names `code` (a page's MDX after {@link standInUnresolvedImports}, or one of its ESM blocks)
 * defines as stand-ins: components and namespaces of imports this project does not have.
 */
export function standInNames(code: string): Set<string> {
  const names = [...code.matchAll(/export const ([A-Za-z_$][\w$]*) = (?:__DocentStandIn|new Proxy\(\{\}, \{ get: \(\) => __DocentStandIn \}\));/g)];
  return new Set(names.map((m) => m[1]!));
}

/**
 * The names `code` (a page's MDX after {@link standInUnresolvedImports}, or one of its ESM blocks)
 * defines as stand-ins of other values: lower-case names of imports this project cannot resolve,
 * such as an image file that is not there (`import diagram from './diagram.png'`).
 */
export function standInValueNames(code: string): Set<string> {
  const names = [...code.matchAll(/export const ([A-Za-z_$][\w$]*) = \(\.\.\.args\) => args\[0\];/g)];
  return new Set(names.map((m) => m[1]!));
}

/** The local names an import clause binds: `A` (the default export), `{ B, C as D }`, `* as NS`. */
function bindings(clause: string): { local: string; namespace: boolean; isDefault: boolean }[] {
  const out: { local: string; namespace: boolean; isDefault: boolean }[] = [];
  const named = /\{([\s\S]*)\}/.exec(clause);
  for (const part of (named?.[1] ?? '').split(',')) {
    const [imported, alias] = part.trim().split(/\s+as\s+/);
    const local = (alias ?? imported)?.trim();
    if (local && /^[A-Za-z_$][\w$]*$/.test(local)) out.push({ local, namespace: false, isDefault: imported === 'default' });
  }
  const rest = clause.replace(/\{[\s\S]*\}/, '');
  const namespace = /\*\s*as\s+([A-Za-z_$][\w$]*)/.exec(rest);
  if (namespace) out.push({ local: namespace[1]!, namespace: true, isDefault: false });
  const first = /^\s*([A-Za-z_$][\w$]*)/.exec(rest.replace(/\*\s*as\s+[A-Za-z_$][\w$]*/, ''));
  if (first) out.push({ local: first[1]!, namespace: false, isDefault: true });
  return out;
}

/**
 * The names `code` (an MDX page's ESM, as written or after {@link standInUnresolvedImports}) binds
 * to Docusaurus' `<Link>`: the default import of `@docusaurus/Link` (`Link`), or its stand-in.
 */
export function docusaurusLinkNames(code: string): Set<string> {
  const names = new Set<string>();
  for (const m of code.matchAll(/export const ([A-Za-z_$][\w$]*) = __DocentLink;/g)) names.add(m[1]!);
  for (const name of docusaurusLinkImports(code)) names.add(name);
  return names;
}

/**
 * Names Docusaurus defines in every MDX page, with the values given here: `toc` (the page's
 * headings, for `<TOCInline toc={toc} />`), `metadata`, `contentTitle`, `assets`; and webpack's
 * `require`, which returns the path as written (loader prefixes such as `!file-loader!` dropped),
 * for `<img src={require('./a.png').default} />`.
 */
const GENERATOR_GLOBALS: Record<string, string> = {
  require: "(specifier) => ({ default: String(specifier).replace(/^.*!/, '') })",
  toc: '[]',
  metadata: '{}',
  contentTitle: "''",
  assets: '{}',
};

/**
 * `source` with the names defined that docs written for Docusaurus use without defining them
 * ({@link GENERATOR_GLOBALS}): each one used in a JSX expression stopped the whole site's build
 * (`require is not defined`, `toc is not defined`). A definition is appended, so no line
 * moves. Code (fenced or inline) is left alone; a name the page defines or imports itself keeps
 * its own.
 */
export function standInGeneratorGlobals(source: string): string {
  const lines = source.split('\n');
  const inFence = fencedLines(lines);
  const prose = lines.filter((_, i) => !inFence[i]).map((line) => line.replace(/`[^`]*`/g, ''));
  const definitions: string[] = [];
  for (const [name, value] of Object.entries(GENERATOR_GLOBALS)) {
    if (!source.includes(name)) continue;
    const used = new RegExp(`\\{[^{}\\n]*(?<![\\w$.])${name}\\b(?![\\w$])`);
    // Stand-ins of unresolved imports are `export const` statements, several on one line.
    const defined = new RegExp(`(?:^|;\\s*)(?:export\\s+)?(?:const|let|var|function)\\s+${name}\\b|^import\\b.*\\b${name}\\b`);
    if (prose.some((line) => used.test(line)) && !prose.some((line) => defined.test(line))) definitions.push(`export const ${name} = ${value};`);
  }
  return definitions.length === 0 ? source : `${source}\n\n${definitions.join('\n')}\n`;
}
