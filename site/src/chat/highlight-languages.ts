/**
 * The code languages the chat highlights: the ones documentation answers use most. A curated
 * set keeps the widget small (highlight.js's "common" set alone is ~166 kB); code in any other
 * language is shown unhighlighted.
 */
import type { LanguageFn } from 'lowlight';
import bash from 'highlight.js/lib/languages/bash';
import css from 'highlight.js/lib/languages/css';
import diff from 'highlight.js/lib/languages/diff';
import dockerfile from 'highlight.js/lib/languages/dockerfile';
import go from 'highlight.js/lib/languages/go';
import ini from 'highlight.js/lib/languages/ini';
import javascript from 'highlight.js/lib/languages/javascript';
import json from 'highlight.js/lib/languages/json';
import markdown from 'highlight.js/lib/languages/markdown';
import python from 'highlight.js/lib/languages/python';
import rust from 'highlight.js/lib/languages/rust';
import sql from 'highlight.js/lib/languages/sql';
import typescript from 'highlight.js/lib/languages/typescript';
import xml from 'highlight.js/lib/languages/xml';
import yaml from 'highlight.js/lib/languages/yaml';

export const HIGHLIGHT_LANGUAGES: Record<string, LanguageFn> = {
  bash,
  css,
  diff,
  dockerfile,
  go,
  ini,
  javascript,
  json,
  markdown,
  python,
  rust,
  sql,
  typescript,
  xml,
  yaml,
};

/** Extra names people put on code fences. */
export const HIGHLIGHT_ALIASES: Record<string, string[]> = {
  bash: ['sh', 'shell', 'zsh', 'console', 'shellscript'],
  typescript: ['ts', 'tsx', 'mts', 'cts'],
  javascript: ['js', 'jsx', 'mjs', 'cjs'],
  xml: ['html', 'svg', 'vue', 'astro'],
  ini: ['toml', 'env', 'dotenv'],
  json: ['jsonc', 'json5'],
  markdown: ['md', 'mdx'],
  yaml: ['yml'],
  python: ['py'],
  dockerfile: ['docker'],
};
