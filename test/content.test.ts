/**
 * Accuracy checks for Docent's own documentation (`content/`) and its eval question set.
 * They read the repository's files, not ../shared, and need no database.
 */
import { readFileSync, readdirSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Heading, Link, Root } from 'mdast';
import remarkFrontmatter from 'remark-frontmatter';
import remarkGfm from 'remark-gfm';
import remarkParse from 'remark-parse';
import { unified } from 'unified';
import { visit } from 'unist-util-visit';
import { parse as parseYaml } from 'yaml';
import { describe, expect, it } from 'vitest';
import { headingAnchors, headingText } from '../ingest/anchors';
import { documentUrl } from '../ingest/urls';
import { envSchema } from '../server/config';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const CONTENT_DIR = join(ROOT, 'content');
const QUESTIONS_FILE = join(ROOT, 'eval', 'questions', 'docent.jsonl');

interface Page {
  path: string;
  frontmatter: Record<string, unknown>;
  headings: string[];
  anchors: Set<string>;
  links: string[];
  text: string;
}

function listMarkdown(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = join(dir, entry.name);
    if (entry.isDirectory()) return listMarkdown(full);
    return /\.mdx?$/.test(entry.name) ? [full] : [];
  });
}

function readPage(file: string): Page {
  const text = readFileSync(file, 'utf8');
  const tree = unified().use(remarkParse).use(remarkFrontmatter).use(remarkGfm).parse(text) as Root;
  let frontmatter: Record<string, unknown> = {};
  const first = tree.children[0];
  if (first?.type === 'yaml') frontmatter = (parseYaml(first.value) ?? {}) as Record<string, unknown>;
  const headings: string[] = [];
  visit(tree, 'heading', (node: Heading) => {
    headings.push(headingText(node));
  });
  const links: string[] = [];
  visit(tree, 'link', (node: Link) => {
    links.push(node.url);
  });
  return {
    path: relative(CONTENT_DIR, file).split(sep).join('/'),
    frontmatter,
    headings,
    anchors: new Set(headingAnchors(tree).values()),
    links,
    text,
  };
}

const pages = listMarkdown(CONTENT_DIR).map(readPage);
const byPath = new Map(pages.map((p) => [p.path, p]));
const byUrl = new Map(pages.map((p) => [documentUrl(p.path), p]));
const envNames = Object.keys(envSchema.shape);

describe('content/ pages', () => {
  it('covers every page issue 7 asks for', () => {
    expect([...byPath.keys()].sort()).toEqual(
      expect.arrayContaining([
        'index.md',
        'getting-started/index.md',
        'reference/configuration.md',
        'guides/writing-content.md',
        'guides/ingesting-content.md',
        'guides/retrieval.md',
        'guides/answering.md',
        'reference/http-api.md',
        'guides/chat-widget.md',
        'guides/feedback-and-review.md',
        'guides/langsmith.md',
        'guides/evaluation.md',
        'guides/deployment.md',
        'troubleshooting.md',
      ]),
    );
  });

  it.each(pages.map((p) => [p.path, p] as const))('%s has title, description and order in its frontmatter', (_, page) => {
    expect(typeof page.frontmatter.title, 'title').toBe('string');
    expect(String(page.frontmatter.title).trim()).not.toBe('');
    expect(typeof page.frontmatter.description, 'description').toBe('string');
    expect(typeof page.frontmatter.order, 'order').toBe('number');
  });

  it.each(pages.map((p) => [p.path, p] as const))('%s has no repeated heading (every anchor is the plain slug)', (_, page) => {
    const repeated = page.headings.filter((h, i) => page.headings.indexOf(h) !== i);
    expect(repeated).toEqual([]);
  });

  it.each(pages.map((p) => [p.path, p] as const))('%s links only to pages and headings that exist', (_, page) => {
    const broken = page.links
      .filter((url) => url.startsWith('/') || url.startsWith('#'))
      .filter((url) => {
        const [pathPart = '', anchor] = url.split('#');
        const target = pathPart === '' ? page : byUrl.get(pathPart);
        if (!target) return true;
        return anchor !== undefined && !target.anchors.has(decodeURIComponent(anchor));
      });
    expect(broken).toEqual([]);
  });
});

describe('reference/configuration.md', () => {
  const page = byPath.get('reference/configuration.md')!;

  it('has a section for every variable of the config schema, and none other', () => {
    const documented = page.headings.filter((h) => /^[A-Z][A-Z0-9_]+$/.test(h));
    expect([...documented].sort()).toEqual([...envNames].sort());
  });

  it('names no environment variable outside the config schema anywhere in content/', () => {
    // Variables of other programs that the docs quote (the postgres Docker image, LangChain's
    // LANGCHAIN_ENDPOINT, which the LangSmith library reads and Docent overrides; Ollama's
    // OLLAMA_CONTEXT_LENGTH), postgres.js's error codes CONNECT_TIMEOUT and CONNECTION_CLOSED, and
    // EVAL_DB_DIR, read by `npm run eval:fit` only, and SITE_OUT_DIR, read by `npm run build:site`
    // only (development and build tools, not the server's configuration).
    const foreign = new Set([
      'POSTGRES_USER',
      'POSTGRES_PASSWORD',
      'POSTGRES_DB',
      'LANGCHAIN_ENDPOINT',
      'OLLAMA_CONTEXT_LENGTH',
      'CONNECT_TIMEOUT',
      'CONNECTION_CLOSED',
      'EVAL_DB_DIR',
      'SITE_OUT_DIR',
    ]);
    const unknown = new Set<string>();
    for (const p of pages) {
      for (const [, name] of p.text.matchAll(/\b([A-Z][A-Z0-9]*(?:_[A-Z0-9]+)+)\b/g)) {
        if (!envNames.includes(name!) && !foreign.has(name!)) unknown.add(`${p.path}: ${name}`);
      }
    }
    expect([...unknown]).toEqual([]);
  });

  it('matches .env.example, which documents the same variables', () => {
    const example = readFileSync(join(ROOT, '.env.example'), 'utf8');
    const names = [...example.matchAll(/^#?\s*([A-Z][A-Z0-9_]+)=/gm)].map((m) => m[1]);
    expect([...new Set(names)].sort()).toEqual([...envNames].sort());
  });
});

interface EvalQuestion {
  id: string;
  question: string;
  gold: { path: string; heading: string }[];
  answer: string;
  kind: string;
}

describe('eval/questions/docent.jsonl', () => {
  const lines = readFileSync(QUESTIONS_FILE, 'utf8').split('\n').filter((l) => l.trim() !== '');
  const questions = lines.map((line, i) => {
    try {
      return JSON.parse(line) as EvalQuestion;
    } catch (error) {
      throw new Error(`eval/questions/docent.jsonl:${i + 1}: ${(error as Error).message}`);
    }
  });

  it('has at least 30 questions, at least 10 of them unanswerable, with unique ids', () => {
    expect(questions.length).toBeGreaterThanOrEqual(30);
    expect(questions.filter((q) => q.gold.length === 0).length).toBeGreaterThanOrEqual(10);
    expect(new Set(questions.map((q) => q.id)).size).toBe(questions.length);
  });

  it.each(questions.map((q) => [q.id, q] as const))('%s has the fields of the eval format', (_, q) => {
    expect(Object.keys(q).sort()).toEqual(['answer', 'gold', 'id', 'kind', 'question']);
    expect(q.question.trim()).not.toBe('');
    expect(q.answer.trim()).not.toBe('');
    expect(Array.isArray(q.gold)).toBe(true);
    expect(q.kind === 'unanswerable').toBe(q.gold.length === 0);
  });

  it.each(questions.filter((q) => q.gold.length > 0).map((q) => [q.id, q] as const))(
    '%s points at headings that exist in content/ (or at a page title: the whole page is gold)',
    (_, q) => {
      for (const gold of q.gold) {
        const page = byPath.get(gold.path);
        expect(page, `no page ${gold.path}`).toBeDefined();
        // A page's title heads every breadcrumb of the page, so as gold it matches any of its sections.
        const headings = [...page!.headings, ...(typeof page!.frontmatter.title === 'string' ? [page!.frontmatter.title] : [])];
        expect(headings, `${gold.path} has no heading or title "${gold.heading}"`).toContain(gold.heading);
      }
    },
  );
});
