/**
 * Docusaurus' magic comments in code blocks: a line that is only `// highlight-next-line`,
 * `// highlight-start` or `// highlight-end` (in the comment syntax of the block's language:
 * `#` for shell, Python or YAML, `<!-- -->` for HTML or markdown, `{/* *\/}` for JSX, `--` for SQL
 * or Lua) marks lines to highlight, and Docusaurus removes it from the block it shows. Docent
 * removes it too: from the chunk (what is embedded and quoted) and from the docs site's code
 * blocks. The same words in another language's comment syntax (a `// highlight-start` line shown
 * in a markdown example) are that block's content and stay.
 */

/** The directives Docusaurus defines by default. */
const DIRECTIVE = String.raw`highlight-(?:next-line|start|end)`;

/** Comment syntaxes by language (Docusaurus' own table, `getCommentPattern`): each a whole-line pattern. */
const C_LIKE = [String.raw`\/\/\s*${DIRECTIVE}`, String.raw`\/\*\s*${DIRECTIVE}\s*\*\/`];
const JSX = [...C_LIKE, String.raw`\{\s*\/\*\s*${DIRECTIVE}\s*\*\/\s*\}`];
const HASH = [String.raw`#\s*${DIRECTIVE}`];
const HTML = [String.raw`<!--\s*${DIRECTIVE}\s*-->`];
const DASHES = [String.raw`--\s*${DIRECTIVE}`];

const BY_LANGUAGE: [RegExp, string[]][] = [
  [/^(?:jsx|tsx|mdx)$/, [...JSX, ...HTML]],
  [/^(?:js|javascript|ts|typescript|mjs|cjs|java|c|cpp|c\+\+|cs|csharp|go|rust|rs|swift|kotlin|kt|scala|php|dart|json5?|jsonc|css|scss|less|groovy|gradle)$/, C_LIKE],
  [/^(?:sh|bash|shell|zsh|console|python|py|ruby|rb|yaml|yml|toml|perl|r|powershell|ps1|dockerfile|docker|make|makefile|ini|properties|conf|nginx|elixir|ex)$/, HASH],
  [/^(?:html|xml|svg|md|markdown|vue)$/, HTML],
  [/^(?:sql|lua|haskell|hs|elm)$/, DASHES],
];

/** Whole-line patterns of the magic comments of `language` (a fence's info word), or none. */
function patternFor(language: string): RegExp | undefined {
  const lang = language.toLowerCase();
  const syntaxes = BY_LANGUAGE.find(([test]) => test.test(lang))?.[1];
  return syntaxes ? new RegExp(`^[ \\t]*(?:${syntaxes.join('|')})[ \\t]*$`) : undefined;
}

/** `code` (a code block's lines, without its fences) without the magic comment lines of `language`. */
export function withoutMagicComments(code: string, language: string | null | undefined): string {
  if (!language || !code.includes('highlight-')) return code;
  const pattern = patternFor(language);
  if (!pattern) return code;
  return code
    .split('\n')
    .filter((line) => !pattern.test(line))
    .join('\n');
}
