/**
 * Opens Docent's database from a `DATABASE_URL`-style location and returns one typed drizzle
 * database, whichever driver is behind it:
 *
 * | location                        | database                                   |
 * |---------------------------------|--------------------------------------------|
 * | unset or empty                  | PGlite persisted at `.data/pglite`         |
 * | a directory path (or `file://`) | PGlite persisted there                     |
 * | `memory://`                     | PGlite in memory (tests, throwaway runs)   |
 * | `postgres://…`, `postgresql://…`| Postgres with pgvector through postgres.js |
 *
 * An embedded database is locked to the process that opened it (see `lock.ts`); within one
 * process, opening the same directory twice shares one instance.
 */
import { existsSync, mkdirSync, readdirSync, statSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { PGlite, type QueryOptions, type Transaction, types } from '@electric-sql/pglite';
import { vector } from '@electric-sql/pglite-pgvector';
import { is, type SQL } from 'drizzle-orm';
import type { PgDatabase, PgQueryResultHKT } from 'drizzle-orm/pg-core';
import { drizzle as drizzlePglite, PgliteDatabase } from 'drizzle-orm/pglite';
import { drizzle as drizzlePostgres } from 'drizzle-orm/postgres-js';
import postgres from 'postgres';
import { type SharedBuffersSetting, DEFAULT_SHARED_BUFFERS_MB, sharedBuffersMb } from './buffer-cache';
import { createDataDir, isNewDataDir } from './create-data-dir';
import { acquireLock, type HeldLock } from './lock';
import * as schema from './schema';

export type Schema = typeof schema;
/** The drizzle database every module uses; it does not reveal which driver is behind it. */
export type Database = PgDatabase<PgQueryResultHKT, Schema>;

export const DEFAULT_PGLITE_DIR = '.data/pglite';

export type DatabaseLocation =
  | { kind: 'pglite'; dataDir: string | undefined }
  | {
      kind: 'postgres';
      url: string;
      /** The URL's `max`: most connections the pool opens (postgres.js would read it as text). */
      maxConnections?: number;
    };

export interface DatabaseHandle {
  db: Database;
  /** Which driver is behind `db`. */
  kind: DatabaseLocation['kind'];
  /** A printable description of where the data lives (never includes a password). */
  description: string;
  /** The PGlite instance, for embedded databases (tests use it to serve the wire protocol). */
  pglite?: PGlite;
  /** The embedded database's buffer cache in MB (`shared_buffers`, see `buffer-cache.ts`). */
  sharedBuffersMb?: number;
  /** The embedded database's directory (none in memory or on Postgres). */
  dataDir?: string;
  /** The connection URL, for Postgres databases (migrations open their own connection with it). */
  url?: string;
  /** The embedded database's lock (the URL it names is given when it is opened, `url`). */
  lock?: HeldLock;
  /** Closes the connection (and releases the lock). Safe to call twice. */
  close(): Promise<void>;
}

export interface OpenDatabaseOptions {
  /** What this process is, recorded in the embedded database's lock (default `docent`). */
  purpose?: string;
  /**
   * Where this process can be reached (a server's URL, its port bound already), recorded in the
   * embedded database's lock as it is taken: the commands that find the database locked hand
   * their work to it, also while it is still opening the database.
   */
  url?: string;
  /** Most connections postgres.js opens. Default: the URL's `max` (`postgres://…/docent?max=4`), else 10. */
  maxConnections?: number;
  /** Working directory that relative paths resolve against (default `process.cwd()`). */
  cwd?: string;
  /**
   * Buffer cache of an embedded database (`PGLITE_SHARED_BUFFERS`): a size in MB, or `auto`
   * (default): sized to the database on disk, 128–512 MB (`buffer-cache.ts`). Fixed when the
   * database is opened; a directory already open in this process keeps its instance's.
   */
  sharedBuffers?: SharedBuffersSetting;
}

/**
 * Thrown for a `DATABASE_URL` that names no database Docent can open. `problem` says what is
 * wrong without the variable or its value (the configuration check adds both, as for every
 * variable); the message has both, with the password hidden.
 */
export class DatabaseUrlError extends Error {
  override readonly name = 'DatabaseUrlError';
  constructor(
    readonly problem: string,
    url: string,
  ) {
    super(`DATABASE_URL: ${problem} (got "${redactUrl(url)}")`);
  }
}

/**
 * Thrown when the folder `DATABASE_URL` names cannot hold an embedded database: a file stands
 * there, it holds other files than a database (a docs folder, a project), or it cannot be created
 * or written. Nothing is written then: PGlite would otherwise fail without a reason, or create a
 * database among the folder's own files.
 */
export class DataFolderError extends Error {
  override readonly name = 'DataFolderError';
  constructor(problem: string) {
    super(`DATABASE_URL: ${problem}`);
  }
}

/** File system errors that mean "this user cannot create or write there", by code. */
const NOT_WRITABLE: Record<string, string> = {
  EACCES: 'permission denied',
  EPERM: 'operation not permitted',
  EROFS: 'read-only file system',
  ENOTDIR: 'a part of the path is a file',
  ENOENT: 'a part of the path cannot be created',
};

/**
 * Checks that `dataDir` can hold an embedded database before anything is written there: it is
 * missing, an empty folder, or a folder holding a database (`PG_VERSION`, as every Postgres data
 * folder has). Throws {@link DataFolderError} otherwise.
 */
function checkDataFolder(dataDir: string): void {
  let stats;
  try {
    stats = statSync(dataDir);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? '';
    if (code === 'ENOENT') return;
    throw new DataFolderError(`${dataDir} cannot be read (${NOT_WRITABLE[code] ?? code}).`);
  }
  if (!stats.isDirectory()) {
    throw new DataFolderError(`${dataDir} is a file, not a folder: name the folder of the embedded database (it is created if missing).`);
  }
  let entries: string[];
  try {
    entries = readdirSync(dataDir);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? '';
    throw new DataFolderError(`${dataDir} cannot be read (${NOT_WRITABLE[code] ?? code}).`);
  }
  if (entries.length > 0 && !existsSync(resolve(dataDir, 'PG_VERSION'))) {
    throw new DataFolderError(
      `${dataDir} holds other files (${entries.slice(0, 3).join(', ')}${entries.length > 3 ? ', …' : ''}) but no database: ` +
        `the embedded database needs a folder of its own, new or empty (the docs folder is CONTENT_DIR).`,
    );
  }
}

/** Longest pause, in seconds, between two tries to reach a database that is down: the `Retry-After` of a 503. */
const MAX_RECONNECT_DELAY_S = 5;

/**
 * postgres.js options of every Postgres connection pool Docent opens:
 * - `fetch_types: false`: Docent reads no arrays of enums or other non-built-in types, so the
 *   driver need not look types up in the catalog; when it does, postgres.js 4 opens one connection
 *   beyond the pool's `max` for it, which a database at its connection limit refuses, failing the
 *   query after `connect_timeout`.
 * - `backoff`: after failed connection attempts postgres.js 4 fails queries at once until its next
 *   try, up to 20 s later; Docent tries again within {@link MAX_RECONNECT_DELAY_S} (with postgres.js's
 *   jitter), so a database that is back serves the retry a 503 asked for.
 * - `onnotice`: notices (`relation already exists, skipping`) are not printed.
 */
export const POSTGRES_CLIENT_OPTIONS = {
  fetch_types: false,
  backoff: (retries: number) => (0.5 + Math.random() / 2) * Math.min(3 ** retries / 100, MAX_RECONNECT_DELAY_S),
  onnotice: () => {},
};

/** Connections a Postgres pool opens unless the URL's `max` says otherwise (postgres.js's default). */
const DEFAULT_POOL_SIZE = 10;
/** Largest `max` accepted in a `DATABASE_URL`. */
const MAX_POOL_SIZE = 1000;

/** Parses a `DATABASE_URL` value. Throws {@link DatabaseUrlError} when it is not usable. */
export function parseDatabaseLocation(value: string | undefined, cwd = process.cwd()): DatabaseLocation {
  const raw = value?.trim() ?? '';
  if (raw === '') return { kind: 'pglite', dataDir: resolve(cwd, DEFAULT_PGLITE_DIR) };
  if (raw === 'memory://' || raw === 'memory:') return { kind: 'pglite', dataDir: undefined };
  if (/^postgres(ql)?:\/\//i.test(raw)) {
    const max = /[?&]max=([^&#]*)/.exec(raw)?.[1];
    if (max === undefined) return { kind: 'postgres', url: raw };
    const n = /^\d+$/.test(max) ? Number(max) : Number.NaN;
    if (!(n >= 1 && n <= MAX_POOL_SIZE)) throw new DatabaseUrlError(`max (the most connections Docent opens) must be a whole number from 1 to ${MAX_POOL_SIZE}, got "${max}"`, raw);
    return { kind: 'postgres', url: raw, maxConnections: n };
  }
  if (/^file:\/\//i.test(raw)) return { kind: 'pglite', dataDir: fileUrlFolder(raw, cwd) };
  const scheme = /^[a-z][a-z0-9+.-]*:\/\//i.exec(raw)?.[0];
  if (scheme) {
    throw new DatabaseUrlError(
      `unsupported scheme "${scheme}"; expected postgres://user:password@host/db, ` +
        `a directory path for an embedded database, or memory:// for a throwaway one`,
      raw,
    );
  }
  // `postgres:host/db` (the `//` left out) would otherwise be a folder of that name: an empty
  // embedded database in place of the server meant, with readers' chats kept where nobody looks.
  // One letter before the colon is a Windows drive (`C:\docent`), not a scheme.
  const schemeWithoutSlashes = /^([a-z][a-z0-9+.-]+):(?!\/\/)/i.exec(raw)?.[1];
  if (schemeWithoutSlashes) {
    throw new DatabaseUrlError(
      `"${schemeWithoutSlashes}:" is not followed by "//"; expected postgres://user:password@host/db, ` +
        `a directory path for an embedded database (a folder whose name has a colon: start it with ./), or memory:// for a throwaway one`,
      raw,
    );
  }
  return { kind: 'pglite', dataDir: resolve(cwd, raw) };
}

/**
 * The folder a `file://` URL names: `file:///srv/db` (or `file://localhost/srv/db`) is `/srv/db`.
 * What follows `file://` is a host, so `file://data/db` does not name the relative folder
 * `data/db` (nor a folder on a host `data`): it is refused, showing both ways to write it.
 */
function fileUrlFolder(raw: string, cwd: string): string {
  const url = URL.canParse(raw) ? new URL(raw) : undefined;
  const written = raw.slice('file://'.length);
  if (url && url.hostname !== '' && url.hostname !== 'localhost') {
    throw new DatabaseUrlError(
      `a file:// URL names an absolute folder, with three slashes (file:///srv/docent/db); for a folder relative ` +
        `to the working directory write its path alone: DATABASE_URL=${written} (the folder ${resolve(cwd, written)})`,
      raw,
    );
  }
  let folder: string | undefined;
  try {
    folder = url && fileURLToPath(url);
  } catch {
    // A percent-encoded slash (`%2F`), which no folder name holds.
  }
  if (!folder || folder === '/') {
    throw new DatabaseUrlError('a file:// URL must name the folder of the embedded database, with three slashes: file:///srv/docent/db', raw);
  }
  return folder;
}

/** Hides the password of a connection URL, for messages and logs. */
export function redactUrl(url: string): string {
  // Also a URL whose `//` was left out (`postgres:user:password@host/db`), which DATABASE_URL refuses.
  return url.replace(/\/\/([^:/@]+):([^@]*)@/, '//$1:***@').replace(/^([a-z][a-z0-9+.-]+:)([^:/@]+):([^@/]*)@/i, '$1$2:***@');
}

/**
 * Types that drizzle's PGlite driver reads as text: it passes these parsers (each returns the
 * value unchanged) with every query, and PGlite then copies its whole parser table (~320 types)
 * for that one query: ~0.13 ms each, about 1.4 ms of a search's 11 queries. So each PGlite
 * instance gets them as its own parsers ({@link createPglite}), and {@link withInstanceParsers}
 * leaves drizzle's out of each call while the instance still has them: the rows are the same.
 */
const TEXT_TYPES = [
  types.TIMESTAMP,
  types.TIMESTAMPTZ,
  types.INTERVAL,
  types.DATE,
  1231, // numeric[]
  1115, // timestamp[]
  1185, // timestamptz[]
  1187, // interval[]
  1182, // date[]
];
const asText = (value: string) => value;

/**
 * A PGlite instance with pgvector, reading {@link TEXT_TYPES} as text by default, with a buffer
 * cache of `bufferMb` (PGlite's own start parameters, plus `shared_buffers` when not the default);
 * `pgliteWasmModule`: PGlite compiled already (by the worker that created the database).
 */
async function createPglite(dataDir: string | undefined, bufferMb: number, pgliteWasmModule?: WebAssembly.Module): Promise<PGlite> {
  const startParams = bufferMb === DEFAULT_SHARED_BUFFERS_MB ? undefined : [...PGlite.defaultStartParams, '-c', `shared_buffers=${bufferMb}MB`];
  const options = { extensions: { vector }, startParams, ...(pgliteWasmModule ? { pgliteWasmModule } : {}) };
  const client = dataDir === undefined ? await PGlite.create(options) : await PGlite.create(dataDir, options);
  // After `create`: PGlite sets the array types' parsers while it starts, over any given to it.
  for (const oid of TEXT_TYPES) client.parsers[oid] = asText;
  return client;
}

/** drizzle's per-query options without the parsers `instance` applies anyway (any other is kept). */
function withoutInstanceParsers(options: QueryOptions | undefined, instance: PGlite): QueryOptions | undefined {
  const parsers = options?.parsers;
  if (!parsers || !Object.keys(parsers).every((oid) => instance.parsers[oid] === asText)) return options;
  const { parsers: _, ...rest } = options;
  return rest;
}

/** The client handed to drizzle: `client` (`instance` or a transaction of it), queried through {@link withoutInstanceParsers}. */
function withInstanceParsers<T extends PGlite | Transaction>(client: T, instance: PGlite): T {
  return new Proxy(client, {
    get(target, property) {
      if (property === 'query') {
        return (query: string, params?: unknown[], options?: QueryOptions) => target.query(query, params, withoutInstanceParsers(options, instance));
      }
      if (property === 'transaction' && 'transaction' in target) {
        return <R>(callback: (tx: Transaction) => Promise<R>) => target.transaction((tx) => callback(withInstanceParsers(tx, instance)));
      }
      const value = Reflect.get(target, property, target) as unknown;
      return typeof value === 'function' ? value.bind(target) : value;
    },
  });
}

/** A drizzle database over a PGlite instance made by {@link createPglite}. */
function drizzleOverPglite(client: PGlite): Database {
  return drizzlePglite({ client: withInstanceParsers(client, client), schema }) as unknown as Database;
}

interface SharedPglite {
  client: PGlite;
  lock: HeldLock;
  refs: number;
  sharedBuffersMb: number;
}

// One PGlite instance per data directory per process, kept on globalThis so that module reloads
// (dev servers, test re-imports) never open a second instance on the same files.
const registryKey = Symbol.for('docent.pglite.registry');
const registry: Map<string, Promise<SharedPglite>> = ((globalThis as Record<symbol, unknown>)[registryKey] ??=
  new Map()) as Map<string, Promise<SharedPglite>>;

async function openSharedPglite(dataDir: string, purpose: string, sharedBuffers: SharedBuffersSetting, url: string | undefined): Promise<SharedPglite> {
  const existing = registry.get(dataDir);
  if (existing) {
    const shared = await existing;
    shared.refs++;
    return shared;
  }
  const opening = (async () => {
    checkDataFolder(dataDir);
    let lock: HeldLock;
    try {
      mkdirSync(dirname(dataDir), { recursive: true });
      lock = acquireLock(`${dataDir}.lock`, dataDir, purpose, url);
    } catch (error) {
      const reason = NOT_WRITABLE[(error as NodeJS.ErrnoException).code ?? ''];
      if (reason === undefined) throw error;
      // The lock file goes beside the folder, so its parent folder must be writable too.
      throw new DataFolderError(
        `the embedded database at ${dataDir} cannot be created or written (${reason}, in ${dirname(dataDir)}): ` +
          `name a folder this user can write, or change the permissions.`,
      );
    }
    let mb: number | undefined;
    try {
      // A new database is created off the main thread (initdb blocks for seconds), then opened here.
      const compiled = isNewDataDir(dataDir) ? await createDataDir(dataDir) : undefined;
      mb = sharedBuffersMb(sharedBuffers, dataDir);
      const client = await createPglite(dataDir, mb, compiled);
      return { client, lock, refs: 1, sharedBuffersMb: mb };
    } catch (error) {
      lock.release();
      const cache = mb !== undefined && mb !== DEFAULT_SHARED_BUFFERS_MB ? ` (with a ${mb} MB buffer cache, PGLITE_SHARED_BUFFERS)` : '';
      throw new Error(`Could not open the embedded database at ${dataDir}${cache}: ${(error as Error).message}`, {
        cause: error,
      });
    }
  })();
  registry.set(dataDir, opening);
  opening.catch(() => registry.delete(dataDir));
  return opening;
}

/** Opens the database at `location` (a `DATABASE_URL` value). */
export async function openDatabase(
  location: string | undefined,
  options: OpenDatabaseOptions = {},
): Promise<DatabaseHandle> {
  const parsed = parseDatabaseLocation(location, options.cwd);

  if (parsed.kind === 'postgres') {
    const client = postgres(parsed.url, {
      ...POSTGRES_CLIENT_OPTIONS,
      max: options.maxConnections ?? parsed.maxConnections ?? DEFAULT_POOL_SIZE,
      connection: { application_name: options.purpose ?? 'docent' },
    });
    const db = drizzlePostgres({ client, schema }) as unknown as Database;
    let closed = false;
    return {
      db,
      kind: 'postgres',
      url: parsed.url,
      description: `Postgres at ${redactUrl(parsed.url)}`,
      async close() {
        if (closed) return;
        closed = true;
        await client.end({ timeout: 5 });
      },
    };
  }

  if (parsed.dataDir === undefined) {
    const mb = sharedBuffersMb(options.sharedBuffers ?? 'auto', undefined);
    const client = await createPglite(undefined, mb);
    const db = drizzleOverPglite(client);
    return {
      db,
      kind: 'pglite',
      description: 'embedded database in memory',
      pglite: client,
      sharedBuffersMb: mb,
      async close() {
        if (!client.closed) await client.close();
      },
    };
  }

  const dataDir = parsed.dataDir;
  const shared = await openSharedPglite(dataDir, options.purpose ?? 'docent', options.sharedBuffers ?? 'auto', options.url);
  const db = drizzleOverPglite(shared.client);
  let closed = false;
  return {
    db,
    kind: 'pglite',
    description: `embedded database at ${dataDir}`,
    pglite: shared.client,
    sharedBuffersMb: shared.sharedBuffersMb,
    dataDir,
    lock: shared.lock,
    async close() {
      if (closed) return;
      closed = true;
      if (--shared.refs > 0) return;
      registry.delete(dataDir);
      try {
        await shared.client.close();
      } finally {
        shared.lock.release();
      }
    },
  };
}

/**
 * Which driver is behind `db` (a database {@link openDatabase} returned, not a transaction):
 * `pglite`, an embedded database only this process can open (see `lock.ts`), or `postgres`,
 * which other processes may be using at the same time.
 */
export function databaseKind(db: Database): DatabaseLocation['kind'] {
  return is(db, PgliteDatabase) ? 'pglite' : 'postgres';
}

/**
 * Runs raw SQL and returns its rows, whichever driver is behind `db`
 * (`execute()` gives `{ rows }` on PGlite and an array on postgres.js).
 */
export async function queryRows<T extends Record<string, unknown>>(db: Database, query: SQL): Promise<T[]> {
  const result = (await db.execute(query)) as unknown;
  if (Array.isArray(result)) return result as T[];
  return ((result as { rows?: T[] }).rows ?? []) as T[];
}
