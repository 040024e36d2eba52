import { execFile } from 'node:child_process';
import { closeSync, existsSync, ftruncateSync, mkdirSync, mkdtempSync, openSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { PGlite, type QueryOptions } from '@electric-sql/pglite';
import { vector } from '@electric-sql/pglite-pgvector';
import { PGLiteSocketServer } from '@electric-sql/pglite-socket';
import { sql } from 'drizzle-orm';
import { drizzle } from 'drizzle-orm/pglite';
import { afterEach, describe, expect, it } from 'vitest';
import { autoSharedBuffersMb, grownCacheHint, parseSharedBuffers, relationBytes, sharedBuffersMb } from '../server/db/buffer-cache';
import { DatabaseLockedError, readLockOwner } from '../server/db/lock';
import { DataFolderError, openDatabase, parseDatabaseLocation, queryRows } from '../server/db/open';

const run = promisify(execFile);
const dirs: string[] = [];
function tempDir() {
  const dir = mkdtempSync(join(tmpdir(), 'docent-db-'));
  dirs.push(dir);
  return dir;
}
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

describe('parseDatabaseLocation', () => {
  it('maps DATABASE_URL values to drivers', () => {
    expect(parseDatabaseLocation(undefined, '/app')).toEqual({ kind: 'pglite', dataDir: '/app/.data/pglite' });
    expect(parseDatabaseLocation('', '/app')).toEqual({ kind: 'pglite', dataDir: '/app/.data/pglite' });
    expect(parseDatabaseLocation('memory://')).toEqual({ kind: 'pglite', dataDir: undefined });
    expect(parseDatabaseLocation('var/db', '/app')).toEqual({ kind: 'pglite', dataDir: '/app/var/db' });
    expect(parseDatabaseLocation('file:///srv/db')).toEqual({ kind: 'pglite', dataDir: '/srv/db' });
    expect(parseDatabaseLocation('postgres://u:p@h:5432/d')).toEqual({ kind: 'postgres', url: 'postgres://u:p@h:5432/d' });
    expect(parseDatabaseLocation('postgresql://h/d')).toEqual({ kind: 'postgres', url: 'postgresql://h/d' });
    expect(parseDatabaseLocation('postgres://h/d?sslmode=require&max=4')).toEqual({ kind: 'postgres', url: 'postgres://h/d?sslmode=require&max=4', maxConnections: 4 });
    for (const bad of ['0', 'abc', '2.5', '', '5000']) {
      expect(() => parseDatabaseLocation(`postgres://u:secret@h/d?max=${bad}`)).toThrow(
        new RegExp(`^DATABASE_URL: max \\(the most connections Docent opens\\) must be a whole number from 1 to 1000, got "${bad.replace('.', '\\.')}" \\(got "postgres://u:\\*\\*\\*@h/d\\?max=`),
      );
    }
  });

  it('rejects other schemes with a message naming DATABASE_URL, without the password', () => {
    expect(() => parseDatabaseLocation('mysql://root:secret@h/d')).toThrow(/^DATABASE_URL: unsupported scheme "mysql:\/\/"; expected postgres:.* \(got "mysql:\/\/root:\*\*\*@h\/d"\)$/);
  });

  it('rejects a URL whose // is missing rather than making an embedded database in a folder of that name', () => {
    expect(() => parseDatabaseLocation('postgres:db.example.com/docent', '/app')).toThrow(
      'DATABASE_URL: "postgres:" is not followed by "//"; expected postgres://user:password@host/db, a directory path for an embedded database ' +
        '(a folder whose name has a colon: start it with ./), or memory:// for a throwaway one (got "postgres:db.example.com/docent")',
    );
    expect(() => parseDatabaseLocation('postgresql:docent:s3cret@db/docent', '/app')).toThrow(/^DATABASE_URL: "postgresql:" is not followed by "\/\/".*\(got "postgresql:docent:\*\*\*@db\/docent"\)$/);
    expect(() => parseDatabaseLocation('file:/srv/db', '/app')).toThrow(/"file:" is not followed by "\/\/"/);
    // A folder whose name has a colon, written as a path, and a Windows drive letter, stay folders.
    expect(parseDatabaseLocation('./postgres:db', '/app')).toEqual({ kind: 'pglite', dataDir: '/app/postgres:db' });
    expect(parseDatabaseLocation('C:\\docent', '/app')).toEqual({ kind: 'pglite', dataDir: '/app/C:\\docent' });
  });

  it('reads a file:// URL as an absolute folder, and refuses file://relative/x (a host there) showing how to write it', () => {
    expect(parseDatabaseLocation('file://localhost/srv/db', '/app')).toEqual({ kind: 'pglite', dataDir: '/srv/db' });
    expect(parseDatabaseLocation('file:///srv/my%20db', '/app')).toEqual({ kind: 'pglite', dataDir: '/srv/my db' });
    expect(() => parseDatabaseLocation('file://data/db', '/app')).toThrow(
      'DATABASE_URL: a file:// URL names an absolute folder, with three slashes (file:///srv/docent/db); for a folder relative ' +
        'to the working directory write its path alone: DATABASE_URL=data/db (the folder /app/data/db) (got "file://data/db")',
    );
    for (const noFolder of ['file://', 'file:///', 'file:///srv/a%2Fb']) {
      expect(() => parseDatabaseLocation(noFolder, '/app')).toThrow(/^DATABASE_URL: a file:\/\/ URL must name the folder of the embedded database, with three slashes: file:\/\/\/srv\/docent\/db \(got/);
    }
  });
});

describe('openDatabase: a DATABASE_URL folder that cannot hold an embedded database', () => {
  it('refuses a file, a folder of other files (a docs folder) and a path through a file, naming DATABASE_URL, and writes nothing', async () => {
    const root = tempDir();
    const file = join(root, 'notes.txt');
    writeFileSync(file, 'not a database');
    const docs = join(root, 'docs');
    mkdirSync(join(docs, 'guides'), { recursive: true });
    writeFileSync(join(docs, 'index.md'), '# Docs\n');
    const cases: Array<[string, string]> = [
      [file, `DATABASE_URL: ${file} is a file, not a folder: name the folder of the embedded database (it is created if missing).`],
      [
        docs,
        `DATABASE_URL: ${docs} holds other files (guides, index.md) but no database: the embedded database needs a folder of its own, new or empty (the docs folder is CONTENT_DIR).`,
      ],
      [join(file, 'db'), `DATABASE_URL: ${join(file, 'db')} cannot be read (a part of the path is a file).`],
    ];
    for (const [location, message] of cases) {
      const error = await openDatabase(location).catch((e: unknown) => e);
      expect(error, location).toBeInstanceOf(DataFolderError);
      expect((error as Error).message).toBe(message);
    }
    // Nothing was written: no database files among the docs, no lock files beside them.
    expect(readdirSync(docs).sort()).toEqual(['guides', 'index.md']);
    expect(readdirSync(root).sort()).toEqual(['docs', 'notes.txt']);
    // An empty folder is a new database, and a database folder opens again.
    const empty = join(root, 'empty');
    mkdirSync(empty);
    const handle = await openDatabase(empty);
    await handle.close();
    expect(existsSync(join(empty, 'PG_VERSION'))).toBe(true);
    const again = await openDatabase(empty);
    await again.close();
  });
});

describe('buffer cache (PGLITE_SHARED_BUFFERS)', () => {
  it('parseSharedBuffers() reads auto or a size in MB/GB, and says what it expects otherwise', () => {
    expect(parseSharedBuffers(undefined)).toBe('auto');
    expect(parseSharedBuffers(' AUTO ')).toBe('auto');
    expect(parseSharedBuffers('256MB')).toBe(256);
    expect(parseSharedBuffers('1gb')).toBe(1024);
    expect(parseSharedBuffers('1536MB')).toBe(1536);
    expect(() => sharedBuffersMb(2048, undefined)).toThrow('PGLITE_SHARED_BUFFERS: 2048 MB is not a size from 16 to 1536 MB');
    expect(sharedBuffersMb('auto', undefined)).toBe(128);
    // PGlite does not start with 2 GB (its memory is 2 GB in all).
    for (const bad of ['256', '8MB', '2GB', '1537MB', 'lots', '1.5GB']) {
      expect(() => parseSharedBuffers(bad)).toThrow('expected "auto" or a size from 16MB to 1536MB, such as 256MB');
    }
  });

  it('autoSharedBuffersMb() gives the size on disk rounded up to 64 MB, from 128 to 512 MB', () => {
    const mb = 2 ** 20;
    expect(autoSharedBuffersMb(0)).toBe(128);
    expect(autoSharedBuffersMb(60 * mb)).toBe(128);
    expect(autoSharedBuffersMb(129 * mb)).toBe(192);
    expect(autoSharedBuffersMb(300 * mb)).toBe(320);
    expect(autoSharedBuffersMb(929 * mb)).toBe(512);
  });
});

describe('openDatabase (embedded)', () => {
  it('persists data in its directory across reopen', async () => {
    const dir = join(tempDir(), 'pglite');
    const first = await openDatabase(dir);
    await first.db.execute(sql`create table kept (v int)`);
    await first.db.execute(sql`insert into kept values (42)`);
    await first.close();

    const second = await openDatabase(dir);
    expect(await queryRows(second.db, sql`select v from kept`)).toEqual([{ v: 42 }]);
    await second.close();
  });

  it('sizes the buffer cache: 128 MB for a new database with auto, the size asked for otherwise', async () => {
    const dir = join(tempDir(), 'pglite');
    const auto = await openDatabase(dir);
    expect(auto.sharedBuffersMb).toBe(128);
    expect(await queryRows(auto.db, sql`show shared_buffers`)).toEqual([{ shared_buffers: '128MB' }]);
    await auto.db.execute(sql`create table kept (v int)`);
    await auto.close();
    const sized = await openDatabase(dir, { sharedBuffers: 192 });
    expect(sized.sharedBuffersMb).toBe(192);
    expect(await queryRows(sized.db, sql`show shared_buffers`)).toEqual([{ shared_buffers: '192MB' }]);
    expect(await queryRows(sized.db, sql`select count(*)::int as n from kept`)).toEqual([{ n: 0 }]);
    await sized.close();
    // The relation files of a new database are a few MB: auto stays at the default.
    const small = relationBytes(dir);
    expect(small).toBeGreaterThan(1_000_000);
    expect(small).toBeLessThan(128 * 2 ** 20);
    expect(relationBytes(join(dir, 'missing'))).toBe(0);
    // 130 MB more on disk (a sparse file standing for a grown table): auto gives the next 64 MB step.
    const grown = openSync(join(dir, 'base', 'grown-table'), 'w');
    ftruncateSync(grown, 130 * 2 ** 20);
    closeSync(grown);
    expect(relationBytes(dir)).toBe(small + 130 * 2 ** 20);
    const larger = await openDatabase(dir);
    expect(larger.sharedBuffersMb).toBe(autoSharedBuffersMb(small + 130 * 2 ** 20));
    expect(larger.sharedBuffersMb).toBeGreaterThan(128);
    expect(larger.dataDir).toBe(dir);
    expect(await queryRows(larger.db, sql`show shared_buffers`)).toEqual([{ shared_buffers: `${larger.sharedBuffersMb}MB` }]);
    await larger.close();
    // A server that opened it at 128 MB is told to restart; one already at the right size, or with a size set, is not.
    expect(grownCacheHint('auto', 128, dir)).toBe(
      `the database has grown: restart Docent to give it a ${larger.sharedBuffersMb} MB page cache instead of 128 MB (PGLITE_SHARED_BUFFERS=auto)`,
    );
    expect(grownCacheHint('auto', larger.sharedBuffersMb, dir)).toBeUndefined();
    expect(grownCacheHint(128, 128, dir)).toBeUndefined();
    expect(grownCacheHint('auto', undefined, undefined)).toBeUndefined();
  });

  it('names the url given in the lock from the moment it is taken, before the database is open', async () => {
    const dir = join(tempDir(), 'pglite');
    const opening = openDatabase(dir, { purpose: 'server', url: 'http://127.0.0.1:4321' });
    // The lock is taken before PGlite starts (seconds): another process finds where to send its work meanwhile.
    expect(readLockOwner(`${dir}.lock`)).toMatchObject({ pid: process.pid, purpose: 'server', url: 'http://127.0.0.1:4321' });
    const handle = await opening;
    await handle.close();
    expect(readLockOwner(`${dir}.lock`)).toBeUndefined();
  });

  it('shares one instance per directory within a process and locks it against other processes', async () => {
    const dir = join(tempDir(), 'pglite');
    const a = await openDatabase(dir, { purpose: 'server' });
    const b = await openDatabase(dir);
    expect(b.pglite).toBe(a.pglite);
    expect(readLockOwner(`${dir}.lock`)).toMatchObject({ pid: process.pid, purpose: 'server' });

    const script = `
      import { openDatabase } from './server/db/open.ts';
      try { await openDatabase(${JSON.stringify(dir)}); console.log('OPENED'); }
      catch (e) { console.log(e.name + ': ' + e.message); }
    `;
    const { stdout } = await run(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], {
      cwd: process.cwd(),
    });
    expect(stdout).toContain('DatabaseLockedError');
    // A server lock with no URL (a Docent from before servers named it as they took the lock) is still opening the database.
    expect(stdout).toContain(`in use by a Docent server that is still opening it (pid ${process.pid}`);
    expect(stdout).toContain('Run this again in a few seconds, once it serves');
    expect(stdout).not.toContain('OPENED');

    await b.close();
    expect(readLockOwner(`${dir}.lock`)?.pid).toBe(process.pid); // still held by `a`
    await a.close();
    expect(readLockOwner(`${dir}.lock`)).toBeUndefined();
  });

  it('takes over a lock left by a process that no longer exists', async () => {
    const dir = join(tempDir(), 'pglite');
    const { stdout } = await run(process.execPath, ['-e', 'console.log(process.pid)']);
    const deadPid = Number(stdout.trim());
    const { hostname } = await import('node:os');
    writeFileSync(`${dir}.lock`, JSON.stringify({ pid: deadPid, host: hostname(), startedAt: 'then', purpose: 'ingest' }));

    const handle = await openDatabase(dir);
    expect(readLockOwner(`${dir}.lock`)?.pid).toBe(process.pid);
    // Said at start-up (server/main.ts), for whoever looks into the crash.
    expect(handle.lock?.tookOver).toMatchObject({ pid: deadPid, purpose: 'ingest', startedAt: 'then' });
    await handle.close();
  });

  it('refuses a lock held by a live process with a clear error', async () => {
    const dir = join(tempDir(), 'pglite');
    const { hostname } = await import('node:os');
    writeFileSync(
      `${dir}.lock`,
      JSON.stringify({ pid: process.ppid, host: hostname(), startedAt: '2026-01-01T00:00:00Z', purpose: 'server', url: 'http://localhost:4321' }),
    );
    const error = await openDatabase(dir).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DatabaseLockedError);
    expect((error as Error).message).toContain('is in use by the Docent server at http://localhost:4321 (pid');
    expect((error as Error).message).toContain('stop that process first, or point DATABASE_URL at a Postgres server');

    writeFileSync(`${dir}.lock`, JSON.stringify({ pid: process.ppid, host: hostname(), startedAt: '2026-01-01T00:00:00Z', purpose: 'ingest' }));
    const ingest = await openDatabase(dir).catch((e: unknown) => e);
    expect((ingest as Error).message).toContain('is in use by another Docent process (ingest) (pid');
  });
});

describe('openDatabase (embedded): queries', () => {
  // Timestamps, dates, intervals and their arrays: the types drizzle reads as text.
  const values = sql`select '2026-12-02 10:00:00.123'::timestamp as ts, '2026-12-02 10:00:00+00'::timestamptz as tstz, '2026-12-02'::date as d,
                            interval '1 day 2 hours' as i, array[1.5, 2]::numeric[] as nums, array['2026-12-02 10:00'::timestamp] as tss,
                            array['2026-12-02 10:00+00'::timestamptz] as tstzs, array[interval '1 hour'] as intervals, array['2026-12-02'::date] as ds,
                            array['a', 'b c'] as texts, 1.5::float8 as f, 2::int as n, '{"a": 1}'::jsonb as j, true as b`;

  it('reads every type as drizzle over a plain PGlite does', async () => {
    const handle = await openDatabase('memory://');
    const plain = await PGlite.create({ extensions: { vector } });
    try {
      await queryRows(handle.db, sql`set timezone = 'UTC'`);
      await plain.query(`set timezone = 'UTC'`);
      const [ours] = await queryRows(handle.db, sql`${values}`);
      const [reference] = await queryRows(drizzle({ client: plain }) as never, sql`${values}`);
      expect(ours).toEqual(reference);
      expect(ours).toMatchObject({ ts: '2026-12-02 10:00:00.123', tss: '{"2026-12-02 10:00:00"}', texts: ['a', 'b c'], n: 2 });
      await handle.db.transaction(async (tx) => {
        const [inTransaction] = await queryRows(tx as never, sql`${values}`);
        expect(inTransaction).toEqual(reference);
      });
    } finally {
      await plain.close();
      await handle.close();
    }
  });

  it('does not hand drizzle\'s parsers to PGlite with each query (PGlite copies its ~320 parsers for each one)', async () => {
    const handle = await openDatabase('memory://');
    try {
      const pglite = handle.pglite!;
      const seen: (QueryOptions | undefined)[] = [];
      const query = pglite.query.bind(pglite);
      pglite.query = ((text: string, params?: unknown[], options?: QueryOptions) => {
        seen.push(options);
        return query(text, params, options);
      }) as typeof pglite.query;
      await queryRows(handle.db, sql`select 1 as one`);
      expect(seen).toHaveLength(1);
      expect(seen[0]?.parsers).toBeUndefined();
    } finally {
      await handle.close();
    }
  });
});

describe('openDatabase (postgres://)', () => {
  it('opens at most the URL\'s max connections: parallel queries queue on a server that takes one', async () => {
    const pglite = await PGlite.create();
    // pglite-socket serves one connection at a time, like a connection-limited managed Postgres.
    const server = new PGLiteSocketServer({ db: pglite, host: '127.0.0.1', port: 0, maxConnections: 1 });
    await server.start();
    const handle = await openDatabase(`postgres://postgres:postgres@${server.getServerConn()}/postgres?max=1`);
    try {
      const rows = await Promise.all(Array.from({ length: 6 }, (_, i) => queryRows<{ n: number }>(handle.db, sql`select ${i}::int as n`)));
      expect(rows.map((r) => r[0]!.n)).toEqual([0, 1, 2, 3, 4, 5]);
    } finally {
      await handle.close();
      await server.stop();
      await pglite.close();
    }
  });
});
