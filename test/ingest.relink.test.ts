import { mkdirSync, renameSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { ingestContent } from '../ingest/index';
import type { IngestOptions } from '../ingest/types';
import { type Database, queryRows } from '../server/db/open';
import { removeTempDirs, tempDir } from './helpers/content';
import { createTestDatabase, DRIVER_KINDS, type TestDatabase } from './helpers/database';
import { createHashingEmbedder } from './helpers/embedder';

/** The pages ingest parsed, in order (one entry per parse). */
const parsed = vi.hoisted(() => [] as string[]);
vi.mock('../ingest/parse', async (importOriginal) => {
  const actual = await importOriginal<typeof import('../ingest/parse')>();
  return {
    ...actual,
    parseDocument: (...args: Parameters<typeof actual.parseDocument>) => {
      parsed.push(args[1]);
      return actual.parseDocument(...args);
    },
  };
});

afterAll(() => removeTempDirs());
beforeEach(() => {
  parsed.length = 0;
});

const write = (dir: string, path: string, text: string) => {
  mkdirSync(dirname(join(dir, path)), { recursive: true });
  writeFileSync(join(dir, path), text);
};

/** Pages linking to `guide/streaming.md` in each way the parser points at a page, and pages that only name it. */
function linkingSite(): string {
  const dir = tempDir('docent-relink-');
  write(dir, 'guide/streaming.md', '# Streaming\n\n## Import\n\nStream responses.\n');
  write(dir, 'guide/routing.md', '# Routing\n\nRoutes match paths.\n');
  write(dir, 'relative.md', '# Relative\n\nSee [the guide](./guide/streaming.md).\n');
  write(dir, 'guide/absolute.md', '# Absolute\n\nSee [the guide](/guide/streaming.md).\n');
  write(dir, 'anchor.md', '# Anchor\n\nSee [its import](./guide/streaming#import).\n');
  write(dir, 'component.mdx', '# Component\n\n<Note>\n\nSee [the guide](./guide/streaming.md).\n\n</Note>\n');
  // Names the page in its text (and links elsewhere), but no link of it leads to the page.
  write(dir, 'prose.md', '# Prose\n\nStreaming: the streaming guide explains streaming. See [routing](./guide/routing.md).\n');
  return dir;
}

const LINKING = ['anchor.md', 'component.mdx', 'guide/absolute.md', 'relative.md'];

describe.each(DRIVER_KINDS)('ingest of unchanged pages whose links lead elsewhere, through %s', (kind) => {
  let database: TestDatabase;
  let db: Database;
  beforeAll(async () => {
    database = await createTestDatabase(kind);
    db = database.db;
  });
  afterAll(async () => database?.close());

  const setup = (name: string, dir: string) => {
    const embedder = createHashingEmbedder(`test:${name}@512`);
    const run = (options: Partial<IngestOptions> = {}) => ingestContent(db, embedder, { contentDir: dir, source: name, ...options });
    const textOf = async (path: string) =>
      (
        await queryRows<{ text: string }>(
          db,
          sql`select c.text from chunks c join documents d on d.id = c.document_id
              where d.source = ${name} and d.path = ${path} order by c.ordinal`,
        )
      )
        .map((r) => r.text)
        .join('\n');
    return { run, textOf };
  };

  it('re-reads, once each, the pages whose relative, absolute, anchored or MDX links led to a renamed page, and no other page', async () => {
    const dir = linkingSite();
    const { run, textOf } = setup('renamed', dir);
    expect((await run()).documents.added).toBe(7);
    expect(await textOf('relative.md')).toBe('See [the guide](/guide/streaming/).');
    expect(await textOf('guide/absolute.md')).toBe('See [the guide](/guide/streaming/).');
    expect(await textOf('anchor.md')).toBe('See [its import](/guide/streaming/#import).');
    expect(await textOf('component.mdx')).toBe('See [the guide](/guide/streaming/).');

    parsed.length = 0;
    renameSync(join(dir, 'guide/streaming.md'), join(dir, 'guide/streams.md'));
    const renamed = await run();
    expect(renamed.documents).toEqual({ added: 1, updated: 4, unchanged: 2, removed: 1, failed: 0 });
    expect([...parsed].sort()).toEqual([...LINKING, 'guide/streams.md'].sort());
    // The links lead to no page now: left as written.
    expect(await textOf('relative.md')).toBe('See [the guide](./guide/streaming.md).');
    expect(await textOf('anchor.md')).toBe('See [its import](./guide/streaming#import).');

    parsed.length = 0;
    renameSync(join(dir, 'guide/streams.md'), join(dir, 'guide/streaming.md'));
    const back = await run();
    expect(back.documents).toEqual({ added: 1, updated: 4, unchanged: 2, removed: 1, failed: 0 });
    expect([...parsed].sort()).toEqual([...LINKING, 'guide/streaming.md'].sort());
    expect(await textOf('anchor.md')).toBe('See [its import](/guide/streaming/#import).');
    expect(await textOf('component.mdx')).toBe('See [the guide](/guide/streaming/).');

    // Nothing changed: nothing is parsed.
    parsed.length = 0;
    expect((await run()).documents.unchanged).toBe(7);
    expect(parsed).toEqual([]);
  });

  it('re-reads a page whose link finds a page added later, and no other page', async () => {
    const dir = linkingSite();
    write(dir, 'ahead.md', '# Ahead\n\nSee [what comes](./guide/coming.md) and [the guide](guide/streaming.md).\n');
    write(dir, 'odd.md', '# Odd\n\nA link named like a property of every object: [odd](__proto__).\n');
    const { run, textOf } = setup('added', dir);
    await run();
    expect(await textOf('ahead.md')).toBe('See [what comes](./guide/coming.md) and [the guide](/guide/streaming/).');

    parsed.length = 0;
    write(dir, 'guide/coming.md', '# Coming\n\nSoon.\n');
    expect((await run()).documents).toEqual({ added: 1, updated: 1, unchanged: 8, removed: 0, failed: 0 });
    expect([...parsed].sort()).toEqual(['ahead.md', 'guide/coming.md']);
    expect(await textOf('ahead.md')).toBe('See [what comes](/guide/coming/) and [the guide](/guide/streaming/).');
  });

  it('re-reads a page whose link leads to a Docusaurus slug that moved, though no page was added or removed', async () => {
    const dir = tempDir('docent-relink-');
    write(dir, 'started.md', '---\nslug: /getting-started\n---\n# Getting started\n\nFirst steps.\n');
    write(dir, 'see-also.md', '# See also\n\nRead [getting started](/getting-started#first) first.\n');
    const { run, textOf } = setup('slug-moved', dir);
    await run();
    expect(await textOf('see-also.md')).toBe('Read [getting started](/started/#first) first.');

    write(dir, 'started.md', '---\nslug: /first-steps\n---\n# Getting started\n\nFirst steps.\n');
    expect((await run()).documents).toEqual({ added: 0, updated: 2, unchanged: 0, removed: 0, failed: 0 });
    expect(await textOf('see-also.md')).toBe('Read [getting started](/getting-started#first) first.');
  });

  it('points a link to a MyST label at its heading, and re-reads the page when the label moves', async () => {
    const dir = tempDir('docent-relink-');
    write(dir, 'security.md', '# Security\n\n## HTTPS\n\nUse TLS.\n\n(netpol)=\n\n## Network policies\n\nLimit traffic.\n');
    write(dir, 'upgrade.md', '# Upgrade\n\nSee [the policies](netpol) and [the schema](schema_hub.config).\n');
    const { run, textOf } = setup('myst-label', dir);
    await run();
    expect(await textOf('upgrade.md')).toBe('See [the policies](/security/#network-policies) and [the schema](schema_hub.config).');

    write(dir, 'security.md', '# Security\n\n(netpol)=\n\n## HTTPS\n\nUse TLS.\n\n## Network policies\n\nLimit traffic.\n');
    expect((await run()).documents).toEqual({ added: 0, updated: 2, unchanged: 0, removed: 0, failed: 0 });
    expect(await textOf('upgrade.md')).toBe('See [the policies](/security/#https) and [the schema](schema_hub.config).');
  });

  it('makes a MyST {ref} a link once its label is set, and a link to #label one to its page, re-reading the unchanged page', async () => {
    const dir = tempDir('docent-relink-');
    write(dir, 'security.md', '# Security\n\n(https)=\n\n## HTTPS\n\nUse TLS.\n\n## Network policies\n\nLimit traffic.\n');
    write(dir, 'upgrade.md', '# Upgrade\n\nSee {ref}`netpol`, [the policies](#netpol) and {doc}`Security <security>`.\n');
    const { run, textOf } = setup('myst-ref', dir);
    await run();
    expect(await textOf('upgrade.md')).toBe('See netpol, [the policies](#netpol) and [Security](/security/).');

    write(dir, 'security.md', '# Security\n\n(https)=\n\n## HTTPS\n\nUse TLS.\n\n(netpol)=\n\n## Network policies\n\nLimit traffic.\n');
    expect((await run()).documents).toEqual({ added: 0, updated: 2, unchanged: 0, removed: 0, failed: 0 });
    expect(await textOf('upgrade.md')).toBe('See [Network policies](/security/#network-policies), [the policies](/security/#network-policies) and [Security](/security/).');
  });

  it("shows a MyST {doc} without a text as its page's title, and re-reads the unchanged page when that title changes", async () => {
    const dir = tempDir('docent-relink-');
    write(dir, 'kubernetes/setup-helm.md', '---\ntitle: Setting up Helm\n---\n\nInstall it.\n');
    write(dir, '02-intro.md', 'No title here.\n');
    write(dir, 'upgrade.md', '# Upgrade\n\nSee {doc}`kubernetes/setup-helm`, {doc}`/02-intro`, {doc}`Helm <kubernetes/setup-helm>` and {doc}`missing`.\n');
    const { run, textOf } = setup('myst-doc', dir);
    await run();
    expect(await textOf('upgrade.md')).toBe('See [Setting up Helm](/kubernetes/setup-helm/), [Intro](/02-intro/), [Helm](/kubernetes/setup-helm/) and missing.');

    write(dir, 'kubernetes/setup-helm.md', '---\ntitle: Installing Helm\n---\n\nInstall it.\n');
    expect((await run()).documents).toEqual({ added: 0, updated: 2, unchanged: 1, removed: 0, failed: 0 });
    expect(await textOf('upgrade.md')).toBe('See [Installing Helm](/kubernetes/setup-helm/), [Intro](/02-intro/), [Helm](/kubernetes/setup-helm/) and missing.');
  });

  it("points a link from the site root written under the docs' own base (/docs/…) at its page", async () => {
    const dir = tempDir('docent-relink-');
    write(dir, 'guides/setup.md', '# Setup\n\n## Install\n\nRun it.\n');
    write(dir, 'intro.md', '# Intro\n\nRead [the setup](/docs/guides/setup#install) and [the intro](/docs/intro.md).\n');
    const { run, textOf } = setup('site-root', dir);
    await run();
    expect(await textOf('intro.md')).toBe('Read [the setup](/guides/setup/#install) and [the intro](/intro/).');
  });

  it('still re-points the links of pages indexed before links were recorded, and records theirs', async () => {
    const dir = linkingSite();
    const { run, textOf } = setup('legacy', dir);
    await run();
    await db.execute(sql`update documents set page_links = null where source = 'legacy'`);

    renameSync(join(dir, 'guide/streaming.md'), join(dir, 'guide/streams.md'));
    expect((await run()).documents).toEqual({ added: 1, updated: 4, unchanged: 2, removed: 1, failed: 0 });
    expect(await textOf('relative.md')).toBe('See [the guide](./guide/streaming.md).');
    const recorded = await queryRows<{ path: string; page_links: unknown }>(
      db,
      sql`select path, page_links from documents where source = 'legacy' order by path`,
    );
    // The pages checked (their text names the page) now have their links; the routing page names no page added or removed.
    expect(Object.fromEntries(recorded.map((r) => [r.path, r.page_links]))).toEqual({
      'anchor.md': { './guide/streaming#import': null },
      'component.mdx': { './guide/streaming.md': null },
      'guide/absolute.md': { '/guide/streaming.md': null },
      'guide/routing.md': null,
      'guide/streams.md': {},
      'prose.md': { './guide/routing.md': '/guide/routing/' },
      'relative.md': { './guide/streaming.md': null },
    });

    parsed.length = 0;
    renameSync(join(dir, 'guide/streams.md'), join(dir, 'guide/streaming.md'));
    await run();
    expect([...parsed].sort()).toEqual([...LINKING, 'guide/streaming.md'].sort());
  });
});
