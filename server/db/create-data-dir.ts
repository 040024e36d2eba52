/**
 * Creating a new embedded database's data directory. PGlite creates one with initdb, a single
 * WebAssembly call of seconds that would block the process's event loop: a server, its port bound
 * already, could not even answer `GET /api/health` meanwhile. So the directory is created in a
 * worker thread, under a temporary name beside it (`<dataDir>.new`), and renamed into place once
 * complete: a process stopped part way leaves only the temporary directory, never a half-made
 * database that the next start would take for a valid one. The caller holds the database's lock
 * (`lock.ts`), so no other process creates the same directory at the same time.
 *
 * The worker also applies the migrations (`migrations/`) before the rename: the first migration of
 * a new database is one long WebAssembly run too (about a second of a frozen event loop on the
 * main thread), and a database is renamed into place only once migrated, so a process stopped
 * part way never leaves one half migrated.
 *
 * The worker hands back PGlite's compiled WebAssembly module, for the process to open the new
 * database with: its code was optimised while initdb ran, and a module compiled afresh would run
 * queries on the new database slower at first (measured: a first migration 3.5 s against 0.7 s).
 */
import { mkdirSync, readdirSync, renameSync, rmdirSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname } from 'node:path';
import { Worker } from 'node:worker_threads';
import { MIGRATIONS_DIR } from './migrations-folder';

/**
 * The worker: creates the database at `workerData.dataDir` (PGlite runs initdb when the directory
 * holds none), with pgvector, applies the migrations of `workerData.migrationsFolder` with
 * drizzle's migrator (as `migrate.ts` does), closes it, and posts the compiled PGlite module it
 * ran. Plain CommonJS, so that it runs without the TypeScript loader.
 */
const WORKER_SOURCE = `
const { readFileSync } = require('node:fs');
const { join, dirname } = require('node:path');
const { parentPort, workerData } = require('node:worker_threads');
const { PGlite } = require(workerData.pglite);
const { vector } = require(workerData.pgvector);
const { drizzle } = require(workerData.drizzle);
const { migrate } = require(workerData.migrator);
(async () => {
  const pgliteWasmModule = await WebAssembly.compile(readFileSync(join(dirname(workerData.pglite), 'pglite.wasm')));
  const client = await PGlite.create(workerData.dataDir, { pgliteWasmModule, extensions: { vector } });
  await migrate(drizzle({ client }), { migrationsFolder: workerData.migrationsFolder });
  await client.close();
  parentPort.postMessage(pgliteWasmModule);
})().catch((error) => { process.nextTick(() => { throw error; }); });
`;

/** Whether `dataDir` holds nothing yet: it does not exist, or is an empty directory. Such a directory is created by {@link createDataDir}. */
export function isNewDataDir(dataDir: string): boolean {
  try {
    return readdirSync(dataDir).length === 0;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'ENOENT';
  }
}

/** The temporary directory a new database at `dataDir` is created in before it is renamed into place. */
export function temporaryDataDir(dataDir: string): string {
  return `${dataDir}.new`;
}

/**
 * Creates a new embedded database at `dataDir` (absent or empty: see {@link isNewDataDir}), with
 * the migrations of `options.migrationsFolder` (default: Docent's `migrations/`) applied, in a
 * worker thread, so the event loop keeps turning meanwhile. It is made in
 * {@link temporaryDataDir} (a leftover of a creation that was stopped part way is removed first)
 * and renamed to `dataDir` when complete. Call it holding the database's lock. Returns the
 * worker's compiled PGlite module (PGlite's `pgliteWasmModule` option), to open the database with.
 */
export async function createDataDir(dataDir: string, options: { migrationsFolder?: string } = {}): Promise<WebAssembly.Module | undefined> {
  const temporary = temporaryDataDir(dataDir);
  mkdirSync(dirname(dataDir), { recursive: true });
  rmSync(temporary, { recursive: true, force: true });
  try {
    const module = await runWorker(temporary, options.migrationsFolder ?? MIGRATIONS_DIR);
    // rename() replaces an empty directory on POSIX only: remove it first.
    try {
      rmdirSync(dataDir);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
    }
    renameSync(temporary, dataDir);
    return module;
  } catch (error) {
    rmSync(temporary, { recursive: true, force: true });
    throw error;
  }
}

/** Runs {@link WORKER_SOURCE} on `dataDir`; resolves, with the module it posted, when it exited having created and migrated the database. */
function runWorker(dataDir: string, migrationsFolder: string): Promise<WebAssembly.Module | undefined> {
  const resolveModule = createRequire(import.meta.url).resolve;
  const modules = { pglite: resolveModule('@electric-sql/pglite'), pgvector: resolveModule('@electric-sql/pglite-pgvector'), drizzle: resolveModule('drizzle-orm/pglite'), migrator: resolveModule('drizzle-orm/pglite/migrator') };
  // execArgv: []: the worker needs no loader of the parent's (tsx), which would only slow its start.
  const worker = new Worker(WORKER_SOURCE, { eval: true, workerData: { dataDir, migrationsFolder, ...modules }, execArgv: [] });
  return new Promise((resolve, reject) => {
    let failure: Error | undefined;
    let module: WebAssembly.Module | undefined;
    worker.once('message', (message: unknown) => {
      if (message instanceof WebAssembly.Module) module = message;
    });
    worker.once('error', (error) => {
      failure = error;
    });
    worker.once('exit', (code) => {
      if (failure) reject(failure);
      else if (code !== 0) reject(new Error(`creating the database stopped (worker exit code ${code})`));
      else resolve(module);
    });
  });
}
