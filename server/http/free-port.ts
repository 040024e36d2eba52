/**
 * A port to suggest when Docent's own is taken: the next ones up that a server can listen on at
 * the moment, skipping ports other Docent commands use (`npm run dev:site`'s 4322), so the hint
 * never sends the operator to another busy port.
 */
import { createServer } from 'node:net';
import { DEV_SITE_PORT } from '../../site/dev-port';

export { DEV_SITE_PORT };

/**
 * Listens on `host`:`port` (`0`: a port the system picks) and closes again at once: the port it
 * listened on, or `undefined` when it could not.
 */
function probe(host: string, port: number): Promise<number | undefined> {
  return new Promise((resolve) => {
    const server = createServer();
    server.once('error', () => resolve(undefined));
    server.listen({ host, port, exclusive: true }, () => {
      const { port: listened } = server.address() as { port: number };
      server.close(() => resolve(listened));
    });
  });
}

/** Whether a server can listen on `host`:`port` right now. */
export async function canListen(host: string, port: number): Promise<boolean> {
  return (await probe(host, port)) !== undefined;
}

/**
 * The first port after `busyPort` (up to 20 on) that is free on `host` and not in `avoid`, else
 * one the system picks; `undefined` when none can be found (such as a `host` that is not this
 * machine's).
 */
export async function suggestFreePort(host: string, busyPort: number, avoid: readonly number[] = [DEV_SITE_PORT]): Promise<number | undefined> {
  for (let port = busyPort + 1; port <= Math.min(busyPort + 20, 65535); port++) {
    if (!avoid.includes(port) && (await canListen(host, port))) return port;
  }
  return probe(host, 0);
}
