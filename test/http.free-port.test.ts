import { createServer, type Server } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { canListen, DEV_SITE_PORT, suggestFreePort } from '../server/http/free-port';

const listen = (port: number) =>
  new Promise<Server>((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => resolve(server));
  });

describe('suggestFreePort() (the busy-port hint of npm start)', () => {
  const servers: Server[] = [];
  afterEach(async () => {
    await Promise.all(servers.splice(0).map((s) => new Promise((resolve) => s.close(resolve))));
  });

  it('suggests a port that is free now: not the busy one, not the next when it is busy too, never the dev site’s', async () => {
    const busy = await listen(0);
    servers.push(busy);
    const port = (busy.address() as { port: number }).port;
    expect(await canListen('127.0.0.1', port)).toBe(false);
    // The next port is taken as well, and the one after is on the avoid list.
    const next = await listen(port + 1).then(
      (s) => (servers.push(s), true),
      () => true,
    );
    expect(next).toBe(true);
    const suggested = await suggestFreePort('127.0.0.1', port, [port + 2]);
    expect(suggested).toBeDefined();
    expect([port, port + 1, port + 2]).not.toContain(suggested);
    expect(await canListen('127.0.0.1', suggested!)).toBe(true);
  });

  it('skips npm run dev:site’s port by default', async () => {
    const suggested = await suggestFreePort('127.0.0.1', DEV_SITE_PORT - 1);
    expect(suggested).not.toBe(DEV_SITE_PORT);
    expect(await canListen('127.0.0.1', suggested!)).toBe(true);
  });
});
