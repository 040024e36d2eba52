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

  it('falls back to a port the system picks when the next 20 are not to be used, and to none on a host that is not this machine', async () => {
    const avoid = Array.from({ length: 20 }, (_, i) => 40_001 + i);
    const suggested = await suggestFreePort('127.0.0.1', 40_000, avoid);
    expect(suggested).toBeGreaterThan(0);
    expect(avoid).not.toContain(suggested);
    // 192.0.2.1 is TEST-NET-1 (RFC 5737): no interface of this machine has it.
    expect(await suggestFreePort('192.0.2.1', 40_000)).toBeUndefined();
    expect(await canListen('192.0.2.1', 40_001)).toBe(false);
  });

  it('avoids the port the docs site’s dev server is configured with (site/astro.config.mjs)', async () => {
    const configUrl = new URL('../site/astro.config.mjs', import.meta.url).href;
    const { default: config } = (await import(configUrl)) as { default: { server?: { port?: number } } };
    expect(config.server?.port).toBe(DEV_SITE_PORT);
  });
});
