/**
 * A file or folder name's number prefix, as Docusaurus reads it (`DefaultNumberPrefixParser`):
 * digits, then `-`, `_` or `.` (`01-intro` → 1, "intro"; `003 - Setup` → 3, "Setup"). A date or a
 * version (`2021-01-31-notes`, `7.0-release`) has none. The prefix orders the docs sidebar
 * (`site/src/lib/nav.ts`) and is left out of a title or label made from the name
 * (`titleFromPath()` of `parse.ts`, `labelFromName()` of `nav.ts`); URLs keep it.
 */
export function numberPrefix(name: string): { prefix: number | undefined; name: string } {
  if (/^\d+[-_.]\d+/.test(name)) return { prefix: undefined, name };
  const match = /^(\d+)\s*[-_.]+\s*([^-_.\s].*)$/.exec(name);
  return match ? { prefix: Number.parseInt(match[1]!, 10), name: match[2]! } : { prefix: undefined, name };
}
