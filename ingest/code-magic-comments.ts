/**
 * Docusaurus' magic comments in code blocks: a line that is only `// highlight-next-line`,
 * `// highlight-start` or `// highlight-end` (in the comment syntax of the block's language:
 * `#` for shell, Python or YAML, `<!-- -->` for HTML or markdown, `{/* *\/}` for JSX, `--` for SQL
 * or Lua) marks lines to highlight, and Docusaurus removes it from the block it shows. Docent
 * removes it too: from the chunk (what is embedded and quoted) and from the docs site's code
 * blocks, which highlight the lines it marks. The same words in another language's comment syntax (a `// highlight-start` line shown
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
  return readMagicComments(code, language).code;
}

export interface MagicComments {
  /** The code without its magic comment lines. */
  code: string;
  /** The lines the comments mark for highlighting, 1-based, in {@link MagicComments.code}. */
  highlighted: number[];
  /** For each line of {@link MagicComments.code}, its line (1-based) in the code as written. */
  writtenLines: number[];
}

/**
 * `code` without the magic comment lines of `language`, and the lines they mark: the line after
 * `highlight-next-line`, the lines between `highlight-start` and `highlight-end` (the docs site
 * highlights them, as Docusaurus does).
 */
export function readMagicComments(code: string, language: string | null | undefined): MagicComments {
  const lines = code.split('\n');
  const pattern = language && code.includes('highlight-') ? patternFor(language) : undefined;
  const out: MagicComments = { code, highlighted: [], writtenLines: lines.map((_, i) => i + 1) };
  if (!pattern) return out;
  const kept: string[] = [];
  out.writtenLines = [];
  let nextLine = false;
  let inRange = false;
  lines.forEach((line, i) => {
    if (pattern.test(line)) {
      const directive = /highlight-(next-line|start|end)/.exec(line)![1];
      if (directive === 'next-line') nextLine = true;
      else inRange = directive === 'start';
      return;
    }
    kept.push(line);
    out.writtenLines.push(i + 1);
    if (nextLine || inRange) out.highlighted.push(kept.length);
    nextLine = false;
  });
  out.code = kept.join('\n');
  return out;
}
