/**
 * A TCP proxy in front of a test Postgres that plays a database crash at a chosen moment: when a
 * message from the client matches `crashOn`, it closes every connection (the client sees the
 * connection closed, as when the server process is killed) and stops listening, so that new
 * connections are refused while the database is "down".
 */
import { type AddressInfo, connect, createServer, type Socket } from 'node:net';

export interface CrashingProxy {
  /** Port the proxy listens on, until it crashes. */
  port: number;
  /** Settles when the proxy has crashed. */
  crashed: Promise<void>;
  /** Closes the proxy (and every connection through it). */
  close(): Promise<void>;
}

/**
 * Starts a proxy to `127.0.0.1:upstreamPort` that crashes on the first message from a client
 * whose text (read as Latin-1) matches `crashOn`; that message is not passed on.
 */
export async function startCrashingProxy(upstreamPort: number, crashOn: RegExp): Promise<CrashingProxy> {
  const sockets = new Set<Socket>();
  let isDown = false;
  let markCrashed!: () => void;
  const crashed = new Promise<void>((resolve) => (markCrashed = resolve));
  const server = createServer((client) => {
    if (isDown) return client.destroy();
    const upstream = connect(upstreamPort, '127.0.0.1');
    for (const socket of [client, upstream]) {
      sockets.add(socket);
      socket.on('error', () => {});
      socket.on('close', () => sockets.delete(socket));
    }
    upstream.pipe(client);
    // A connection closed on one side is closed on the other.
    client.on('close', () => upstream.destroy());
    upstream.on('close', () => client.destroy());
    client.on('data', (data: Buffer) => {
      if (isDown) return;
      if (!crashOn.test(data.toString('latin1'))) return void upstream.write(data);
      isDown = true;
      server.close();
      for (const socket of sockets) socket.end();
      markCrashed();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    port: (server.address() as AddressInfo).port,
    crashed,
    async close() {
      isDown = true;
      for (const socket of sockets) socket.destroy();
      await new Promise((resolve) => server.close(resolve));
    },
  };
}
