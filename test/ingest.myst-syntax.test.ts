/**
 * mystAsMarkdown(): MyST directives, roles and labels (Sphinx with myst-parser, Jupyter Book)
 * made markdown that ingest and the docs site read, line for line.
 */
import { describe, expect, it } from 'vitest';
import { parseDocument } from '../ingest/parse';
import { mystAsMarkdown, mystUntitledDocHrefs } from '../ingest/myst-syntax';
import { mystLabels } from '../ingest/myst-labels';
import { linkedPage, pageLinkUrl } from '../ingest/page-links';
import { pageTitleReader } from '../ingest/page-titles';

const lines = (...l: string[]) => l.join('\n');

describe('mystAsMarkdown()', () => {
  it('returns a page without MyST syntax as it is, code fences with attributes included', () => {
    const page = lines('# Title', '', '```{.textual path="app.py"}', '```', '', '```python', 'x = {"a": 1}', '```', '% of users', '(not a label) = 2');
    expect(mystAsMarkdown(page)).toBe(page);
  });

  it('writes admonitions, dropdowns, tabs and version notes as containers, options blank, each line on its line', () => {
    const page = lines(
      '```{note}',
      'Python 3.8 or later.',
      '```',
      '```{admonition} Back up first',
      ':class: warning dropdown',
      '',
      'It rewrites the table.',
      '```',
      '````{tab-set}',
      '```{tab-item} pip',
      'pip install foo',
      '```',
      '````',
      ':::{dropdown} More',
      ':open:',
      'Hidden.',
      ':::',
      '~~~{versionadded} 2.1',
      'The `--fast` flag.',
      '~~~',
      '```{seealso}',
      '---',
      'class: x',
      '---',
      'Other pages.',
      '```',
    );
    expect(mystAsMarkdown(page).split('\n')).toEqual([
      '::: note',
      'Python 3.8 or later.',
      ':::',
      '',
      '::: warning Back up first',
      '',
      'It rewrites the table.',
      ':::',
      '',
      '::: tab pip',
      'pip install foo',
      ':::',
      '',
      '',
      '::: details More {open}',
      'Hidden.',
      ':::',
      '::: note Added in version 2.1',
      'The `--fast` flag.',
      ':::',
      '',
      '',
      '',
      '::: seealso',
      'Other pages.',
      ':::',
    ]);
  });

  it('reads a directive with 200,000 option lines (more than a call may pass), line for line', () => {
    const options = Array.from({ length: 200_000 }, (_, i) => `:key${i}: value`);
    const note = mystAsMarkdown(['```{note}', ...options, 'Text.', '```'].join('\n')).split('\n');
    expect(note).toHaveLength(200_003);
    expect([note[0], note[200_000], note[200_001], note[200_002]]).toEqual(['', '::: note', 'Text.', ':::']);
    const raw = mystAsMarkdown(['```{graphviz}', ...options, 'digraph { a -> b }', '```'].join('\n')).split('\n');
    expect(raw).toHaveLength(200_003);
    expect([raw[0], raw[1], raw.at(-1)]).toEqual(['```{graphviz}', ':key0: value', '```']);
  });

  it('keeps nesting: a directive inside one with a longer fence becomes a container inside one with more colons', () => {
    expect(mystAsMarkdown(lines('````{warning}', '```{note}', 'Inner.', '```', 'Outer.', '````')).split('\n')).toEqual([
      ':::: warning',
      '::: note',
      'Inner.',
      ':::',
      'Outer.',
      '::::',
    ]);
  });

  it('makes code directives plain fences, API entries their signature and description, navigation blank, and leaves other directives as written', () => {
    const page = lines(
      '```{code-block} python',
      ':linenos:',
      'print("hi")',
      '```',
      '```{toctree}',
      ':maxdepth: 2',
      'install',
      '```',
      '```{py:function} connect(url, timeout=10)',
      'Opens a connection to *url*.',
      '```',
      '```{mermaid}',
      'graph TD',
      '```',
      '```{note}',
      '```sh',
      '```{toctree}',
      '```',
      '```',
    );
    expect(mystAsMarkdown(page).split('\n')).toEqual([
      '',
      '```python',
      'print("hi")',
      '```',
      '',
      '',
      '',
      '',
      '`connect(url, timeout=10)`',
      'Opens a connection to *url*.',
      '',
      '```{mermaid}',
      'graph TD',
      '```',
      '::: note',
      '```sh',
      '```{toctree}',
      '```',
      ':::',
    ]);
  });

  it('writes roles as the site shows them, blanks labels, and on a MyST page comments, outside code', () => {
    const page = lines(
      '(install)=',
      '# Install',
      '% a comment',
      'See {ref}`the guide <install>` and {doc}`usage`; call {py:func}`~pkg.core.connect` or {command}`pkg run`.',
      'Pick {menuselection}`File --> Open`, a {term}`widget`, `{ref}`not a role``.',
      '```text',
      '(kept)=',
      '% kept',
      '```',
    );
    expect(mystAsMarkdown(page).split('\n')).toEqual([
      '',
      '# Install',
      '',
      'See the guide and usage; call `connect` or `pkg run`.',
      'Pick File > Open, a widget, `{ref}`not a role``.',
      '```text',
      '(kept)=',
      '% kept',
      '```',
    ]);
  });
});

describe('mystAsMarkdown() with the docs\' pages and labels', () => {
  it('makes a {ref} or {doc} that leads to a page a link, a {ref} showing its heading unless it has a text, and leaves one that leads nowhere its text', () => {
    const labels = mystLabels([['admin/security.md', '# Security\n\n(netpol)=\n## Network [policies]\n\n(note)=\nA paragraph.\n']]);
    const asked: string[] = [];
    const leadsToPage = (href: string) => (asked.push(href), ['#netpol', '#note', '../admin/security', '/admin/setup helm'].includes(href));
    const page = lines(
      'See {ref}`netpol`, {ref}`the policies <netpol>`, {ref}`note` and {ref}`genindex`.',
      'Read {doc}`../admin/security`, {doc}`Helm </admin/setup helm>` or {doc}`missing`; `{ref}`netpol`` is code.',
      '```text',
      '{ref}`netpol`',
      '```',
    );
    expect(mystAsMarkdown(page, { leadsToPage, labels }).split('\n')).toEqual([
      'See [Network \\[policies\\]](#netpol), [the policies](#netpol), [note](#note) and genindex.',
      'Read [../admin/security](../admin/security), [Helm](</admin/setup helm>) or missing; `{ref}`netpol`` is code.',
      '```text',
      '{ref}`netpol`',
      '```',
    ]);
    expect(asked).toEqual(['#netpol', '#netpol', '#note', '#genindex', '../admin/security', '/admin/setup helm', 'missing']);
  });

  it('gives each label of a run (label lines with blank lines between) the block after the run, and each run its own block', () => {
    const labels = mystLabels([['guide.md', '# Guide\n\n(a)=\n\n(b)=\n(c)=\n## First\n\n(d)=\nA paragraph.\n\n(e)=\n(f)=\n\n## Second\n']]);
    expect(Object.fromEntries(labels)).toEqual({
      a: { page: 'guide.md', anchor: 'first', title: 'First' },
      b: { page: 'guide.md', anchor: 'first', title: 'First' },
      c: { page: 'guide.md', anchor: 'first', title: 'First' },
      d: { page: 'guide.md', anchor: '' },
      e: { page: 'guide.md', anchor: 'second', title: 'Second' },
      f: { page: 'guide.md', anchor: 'second', title: 'Second' },
    });
  });

  it("shows, for a {doc} without a text of its own, its page's title, as Sphinx does: its path when the page's title is not known", () => {
    const asked: string[] = [];
    const titles: Record<string, string> = { '../admin/security': 'Securing your hub', './the_basics': 'The basics' };
    const options = {
      leadsToPage: (href: string) => href !== 'missing',
      linkedPageTitle: (href: string) => (asked.push(href), titles[href]),
    };
    const page = 'Read {doc}`../admin/security`, {doc}`./the_basics`, {doc}`Helm <../admin/security>`, {doc}`<./the_basics>`, {doc}`unknown` and {doc}`missing`.';
    expect(mystAsMarkdown(page, options)).toBe(
      'Read [Securing your hub](../admin/security), [The basics](./the_basics), [Helm](../admin/security), [The basics](./the_basics), [unknown](unknown) and missing.',
    );
    // Asked only for a {doc} without a text that leads to a page.
    expect(asked).toEqual(['../admin/security', './the_basics', './the_basics', 'unknown']);
    expect(mystUntitledDocHrefs(page)).toEqual(['../admin/security', './the_basics', './the_basics', 'unknown', 'missing']);
    expect(mystUntitledDocHrefs('See {ref}`netpol` and {doc}`the guide <install>`; `{doc}`install`` is code.')).toEqual([]);
  });

  it('points the links in the chunks as parseDocument() points any link, and keeps every role its text without them', () => {
    const sources: [string, string][] = [
      ['docs/admin/security.md', '# Security\n\n(netpol)=\n## Network policies\n'],
      ['docs/guide/upgrade.md', '# Upgrade\n\nSee {ref}`netpol`, {doc}`/admin/security`, {doc}`Security <../admin/security>`, {ref}`genindex` and [the policies](#netpol).\n'],
    ];
    const labels = mystLabels(sources);
    const pages = new Set(sources.map(([p]) => p));
    const [from, source] = sources[1]!;
    const doc = parseDocument(source, from, { labels, linkUrl: (href) => pageLinkUrl(href, from, pages, { labels }) });
    expect(doc.sections[0]!.blocks.map((b) => b.text)).toEqual([
      'See [Network policies](/docs/admin/security/#network-policies), [/admin/security](/docs/admin/security/), [Security](/docs/admin/security/), genindex and [the policies](/docs/admin/security/#network-policies).',
    ]);
    // With the pages' titles, a {doc} without a text shows its page's title (`page-titles.ts`).
    const titleOf = pageTitleReader((p) => new Map(sources).get(p));
    const linkedPageTitle = (href: string) => {
      const linked = linkedPage(href, from, pages, { labels });
      return linked && titleOf(linked.page);
    };
    const titled = parseDocument(source.replace('# Upgrade', '# Upgrade\n\n{doc}`missing`'), from, { labels, linkedPageTitle, linkUrl: (href) => pageLinkUrl(href, from, pages, { labels }) });
    expect(titled.sections[0]!.blocks.map((b) => b.text)).toEqual([
      'missing',
      'See [Network policies](/docs/admin/security/#network-policies), [Security](/docs/admin/security/), [Security](/docs/admin/security/), genindex and [the policies](/docs/admin/security/#network-policies).',
    ]);
    expect(parseDocument(source, from).sections[0]!.blocks.map((b) => b.text)).toEqual(['See netpol, /admin/security, Security, genindex and [the policies](#netpol).']);
  });
});

describe('parseDocument() of a MyST page', () => {
  it('indexes admonitions as prose with their titles, code directives as code, and leaves navigation out, every line where it was', () => {
    const page = lines(
      '# Install', // 1
      '',
      '```{warning} Do not run as root', // 3
      'It breaks permissions.',
      '```',
      '',
      '```{code-block} sh', // 7
      ':caption: Install',
      'pip install foo',
      '```',
      '',
      '```{toctree}', // 12
      'usage',
      '```',
      '',
      '## Usage', // 16
      '',
      'Call {py:func}`connect`.',
    );
    const doc = parseDocument(page, 'install.md');
    expect(doc.sections.map((s) => [s.line, s.blocks.map((b) => [b.kind, b.text, b.line])])).toEqual([
      [1, [['prose', 'Do not run as root:\nIt breaks permissions.', 3], ['code', '```sh\npip install foo\n```', 8]]],
      [16, [['prose', 'Call `connect`.', 18]]],
    ]);
  });
});
