/**
 * mkdocsBlocksAsContainers(): MkDocs admonitions and content tabs, whose content is indented by
 * four spaces, written as `:::` containers (which ingest and the docs site read).
 */
import { describe, expect, it } from 'vitest';
import { mkdocsBlocksAsContainers } from '../ingest/mkdocs-blocks';

const lines = (...l: string[]) => l.join('\n');

describe('mkdocsBlocksAsContainers()', () => {
  it('returns a page without MkDocs blocks as it is', () => {
    const page = lines('# Title', '', '!!! Important !!!', '', '    code', '', 'a === b', '=====', '');
    expect(mkdocsBlocksAsContainers(page)).toBe(page);
    expect(mkdocsBlocksAsContainers(page, { close: true })).toBe(page);
  });

  it('writes admonitions, collapsible blocks and content tabs as containers, their content out-dented, each line on its line', () => {
    const page = lines(
      '!!! warning "Back up first"',
      '    The migration **rewrites** the table.',
      '',
      '    - one',
      '!!! note',
      '    Untitled.',
      '!!! tip ""',
      '!!! info inline end "Classes are not the title"',
      '\tTab-indented.',
      '??? example',
      '    Collapsed.',
      '???+ danger "Open"',
      '    Open.',
      '=== "npm"',
      '    ```sh',
      '    npm install docent',
      '    ```',
      '===+ "pnpm"',
      '        indented code in a tab',
      'After.',
    );
    expect(mkdocsBlocksAsContainers(page).split('\n')).toEqual([
      '::: warning Back up first',
      'The migration **rewrites** the table.',
      '',
      '- one',
      '::: note',
      'Untitled.',
      '::: tip',
      '::: info Classes are not the title',
      'Tab-indented.',
      '::: details Example',
      'Collapsed.',
      '::: details Open {open}',
      'Open.',
      '::: tab npm',
      '```sh',
      'npm install docent',
      '```',
      '::: tab pnpm',
      '    indented code in a tab',
      'After.',
    ]);
  });

  it('nests blocks, an enclosing container having more colons, and leaves markers in fenced code and frontmatter alone', () => {
    const page = lines('---', 'title: "!!! note"', '---', '!!! note "Outer"', '    A.', '', '    !!! tip', '        B.', '', '    ```md', '    !!! danger', '        In code.', '    ```', '', '```', '!!! danger', '```');
    expect(mkdocsBlocksAsContainers(page).split('\n')).toEqual([
      '---',
      'title: "!!! note"',
      '---',
      ':::: note Outer',
      'A.',
      '',
      '::: tip',
      'B.',
      '',
      '```md',
      '!!! danger',
      '    In code.',
      '```',
      '',
      '```',
      '!!! danger',
      '```',
    ]);
    // A `:::` container inside an admonition is enclosed too.
    expect(mkdocsBlocksAsContainers(lines('!!! note', '    ::: tip', '    B.', '    :::')).split('\n')[0]).toBe(':::: note');
  });

  it('with close, ends each container with a closing marker, with blank lines around its content (the docs site)', () => {
    const page = lines('Intro.', '!!! note "Outer"', '    A.', '', '    !!! tip', '        B.', 'After.');
    expect(mkdocsBlocksAsContainers(page, { close: true }).split('\n')).toEqual([
      'Intro.',
      '',
      ':::: note Outer',
      '',
      'A.',
      '',
      '::: tip',
      '',
      'B.',
      '',
      ':::',
      '',
      '',
      '::::',
      '',
      'After.',
    ]);
  });

  it('writes pymdownx blocks (/// kind | title … ///) as containers line for line, options blank, other kinds left alone', () => {
    const page = lines('/// tip | Use the CLI', 'Run it.', '///', '', '//// admonition | Careful', '    type: warning', '', 'Outer.', '', '/// details | More', 'Inner.', '///', '', '////', '', '/// html | div', 'x', '///', '///');
    const expected = ['::: tip Use the CLI', 'Run it.', ':::', '', ':::: warning Careful', '', '', 'Outer.', '', '::: details More', 'Inner.', ':::', '', '::::', '', '/// html | div', 'x', '///', '///'];
    expect(mkdocsBlocksAsContainers(page).split('\n')).toEqual(expected);
    expect(mkdocsBlocksAsContainers(page, { close: true }).split('\n')).toEqual(expected);
  });

  it('converts a block inside a list item, indented as the item, and leaves an indented block elsewhere (code) and in an indented fence', () => {
    const page = lines('1. Install:', '', '    ```md', '    !!! note', '        In code.', '    ```', '', '2. Configure:', '', '    !!! warning "Careful"', '        Back up first.', '', 'Example:', '', '    !!! note', '        Shown as code.');
    expect(mkdocsBlocksAsContainers(page).split('\n')).toEqual([
      '1. Install:', '', '    ```md', '    !!! note', '        In code.', '    ```', '',
      '2. Configure:', '', '    ::: warning Careful', '    Back up first.', '',
      'Example:', '', '    !!! note', '        Shown as code.',
    ]);
  });

  it('keeps an mkdocstrings / mkautodoc directive as the object\'s name, its option lines blank, not as a container', () => {
    const page = ['## Helper Functions', '', '::: httpx.request', '    :docstring:', '', '::: my_pkg.Client', '    options:', '      members: [get]', 'After.', '', '::: tip', 'A real container.', ':::'];
    expect(mkdocsBlocksAsContainers(page.join('\n')).split('\n')).toEqual([
      '## Helper Functions',
      '',
      '`httpx.request`',
      '',
      '',
      '`my_pkg.Client`',
      '',
      '',
      'After.',
      '',
      '::: tip',
      'A real container.',
      ':::',
    ]);
  });

  it('converts a generated admonition of 200,000 lines, and pymdownx options as many (more than a call may pass)', () => {
    const body = Array.from({ length: 200_000 }, (_, i) => `line ${i}`);
    for (const close of [false, true]) {
      const out = mkdocsBlocksAsContainers(['!!! note', ...body.map((l) => `    ${l}`)].join('\n'), { close }).split('\n');
      expect(out.slice(0, close ? 3 : 2)).toEqual(close ? ['::: note', '', 'line 0'] : ['::: note', 'line 0']);
      expect(out.filter((l) => l.startsWith('line '))).toHaveLength(200_000);
    }
    const options = Array.from({ length: 200_000 }, (_, i) => `    key${i}: value`);
    const slash = mkdocsBlocksAsContainers(['/// note | Title', ...options, 'Text.', '///'].join('\n')).split('\n');
    expect(slash).toHaveLength(200_003);
    expect([slash[0], slash[1], slash.at(-2), slash.at(-1)]).toEqual(['::: note Title', '', 'Text.', ':::']);
  });
});
