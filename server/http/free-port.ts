/**
 * A port to suggest when Docent's own is taken: the next ones up that a server can listen on at
 * the moment, skipping ports other Docent commands use (`npm run dev:site`'s 4322), so the hint
 * never sends the operator to another busy port.
 */
import { createServer } from 'node:net';

/** The port `npm run dev:site` serves on (`site/astro.config.mjs`). */
export const DEV_SITE_PORT = 4322;

/** Whether a server can listen on `host`:`port` right now. */
export function canListen(host: string, port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const probe = createServer();
    probe.once('error', () => resolve(false));
    probe.listen({ host, port, exclusive: true }, () => probe.close(() => resolve(true)));
  });
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
  return new Promise((resolve) => {
    const probe = createServer();
    probe.once('error', () => resolve(undefined));
    probe.listen({ host, port: 0, exclusive: true }, () => {
      const { port } = probe.address() as { port: number };
      probe.close(() => resolve(port));
    });
  });
}
