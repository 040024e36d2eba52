/**
 * Test databases on both driver paths Docent supports:
 * - `pglite`: PGlite in memory, used directly (the embedded default);
 * - `postgres`: postgres.js talking the Postgres wire protocol to PGlite through
 *   `@electric-sql/pglite-socket` (the production driver path, without a Postgres install).
 * Both are migrated through Docent's own `migrateDatabase`.
 */
import { PGlite } from '@electric-sql/pglite';
import { vector } from '@electric-sql/pglite-pgvector';
import { PGLiteSocketServer } from '@electric-sql/pglite-socket';
import { migrateDatabase } from '../../server/db/migrate';
import { openDatabase, type DatabaseHandle } from '../../server/db/open';

export type DriverKind = 'pglite' | 'postgres';
export const DRIVER_KINDS: DriverKind[] = ['pglite', 'postgres'];

export interface TestDatabase extends DatabaseHandle {
  /** The URL postgres.js connects to (postgres kind only). */
  url?: string;
}

/** Opens a fresh, migrated database of the given kind. Call `close()` when done. */
export async function createTestDatabase(kind: DriverKind = 'pglite'): Promise<TestDatabase> {
  if (kind === 'pglite') {
    const handle = await openDatabase('memory://');
    await migrateDatabase(handle);
    return handle;
  }
  const pglite = await PGlite.create({ extensions: { vector } });
  // One connection at a time: pglite-socket shares a single backend session between connections.
  const server = new PGLiteSocketServer({ db: pglite, host: '127.0.0.1', port: 0, maxConnections: 1 });
  await server.start();
  const url = `postgres://postgres:postgres@${server.getServerConn()}/postgres`;
  const handle = await openDatabase(url, { maxConnections: 1 });
  await migrateDatabase(handle);
  return {
    ...handle,
    url,
    pglite,
    async close() {
      await handle.close();
      await server.stop();
      await pglite.close();
    },
  };
}
