/**
 * The JSX components an MDX page uses without importing or defining them: docs written for
 * another site generator use its components (Docusaurus' `<Tabs>`, Mintlify's `<ParamField>`)
 * without an import, and MDX stops the build on the first one. The docs page gives each of them
 * a plain stand-in that shows its content (`components/UnknownComponent.astro`), so the page
 * builds and reads as text, the way ingest indexes it.
 */

import { unwrapMdxCodeBlocks } from '../../../ingest/mdx-source';

/** Names of components `body` uses (`<ParamField …>`) that it neither imports nor exports. */
export function undefinedComponents(body: string): string[] {
  // A Docusaurus `mdx-code-block` holds MDX, not code (as the page is compiled: mdx-source.ts).
  const code = unwrapMdxCodeBlocks(body).replace(/^(```|~~~)[^\n]*\n[\s\S]*?^\1[^\n]*$/gm, '').replace(/`[^`\n]*`/g, '');
  const used = new Set([...code.matchAll(/<([A-Z][A-Za-z0-9_]*)(?=[\s/>])/g)].map((m) => m[1]!));
  const defined = definedNames(code);
  return [...used].filter((name) => !defined.has(name)).sort();
}

/** The names the `import` and `export` lines of `code` (MDX, or its ESM blocks) define. */
export function definedNames(code: string): Set<string> {
  const defined = new Set<string>();
  for (const m of code.matchAll(/^import\s+([^'"]+?)\s+from\s/gm)) {
    for (const name of m[1]!.replace(/[{}*]/g, ' ').split(/[\s,]+/)) if (name && name !== 'as' && name !== 'type') defined.add(name);
  }
  // Stand-ins of unresolved imports are `export const` statements, several on one line (mdx-imports.ts).
  for (const m of code.matchAll(/(?:^|;[ \t]*)export\s+(?:const|let|var|function|class)\s+([A-Za-z_$][\w$]*)/gm)) defined.add(m[1]!);
  return defined;
}
