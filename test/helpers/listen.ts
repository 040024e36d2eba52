/** Serves a fetch handler (a Hono app's `fetch`) on a free port of 127.0.0.1, for tests that need a real URL. */
import { serve } from '@hono/node-server';
import type { AddressInfo } from 'node:net';

export interface ListeningServer {
  /** `http://127.0.0.1:PORT`, no trailing slash. */
  url: string;
  /** Stops listening and drops open connections (streams a test left open included). */
  close(): Promise<void>;
}

/** Listens on a port the system picks; resolves once the server accepts connections. */
export async function listenOnFreePort(fetch: (request: Request) => Response | Promise<Response>): Promise<ListeningServer> {
  const server = await new Promise<ReturnType<typeof serve>>((resolve) => {
    const s = serve({ fetch, hostname: '127.0.0.1', port: 0 }, () => resolve(s));
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        (server as unknown as { closeAllConnections?: () => void }).closeAllConnections?.();
      }),
  };
}
