/**
 * A Postgres (PGlite over the wire protocol, as in `database.ts`) that a test can stop and start
 * again on the same port with the same data, as a real server restarts: `stop()` closes every
 * connection and refuses new ones, `start()` listens again.
 */
import { PGlite } from '@electric-sql/pglite';
import { vector } from '@electric-sql/pglite-pgvector';
import { PGLiteSocketServer } from '@electric-sql/pglite-socket';

export interface RestartablePostgres {
  /** `postgres://…` URL of the server (the same after a restart). */
  url: string;
  /** Closes every connection and stops listening. */
  stop(): Promise<void>;
  /** Listens again, on the same port, with the same data. */
  start(): Promise<void>;
  /** Stops the server for good and closes the database. */
  close(): Promise<void>;
}

/** Starts a restartable Postgres with pgvector on a free port. */
export async function startRestartablePostgres(): Promise<RestartablePostgres> {
  const pglite = await PGlite.create({ extensions: { vector } });
  // One connection at a time: pglite-socket shares a single backend session between connections.
  let server: PGLiteSocketServer | undefined = new PGLiteSocketServer({ db: pglite, host: '127.0.0.1', port: 0, maxConnections: 1 });
  await server.start();
  const port = Number(server.getServerConn().split(':').at(-1));
  const stop = async () => {
    await server?.stop();
    server = undefined;
  };
  return {
    url: `postgres://postgres:postgres@127.0.0.1:${port}/postgres`,
    stop,
    async start() {
      if (server) return;
      server = new PGLiteSocketServer({ db: pglite, host: '127.0.0.1', port, maxConnections: 1 });
      await server.start();
    },
    async close() {
      await stop();
      await pglite.close();
    },
  };
}
