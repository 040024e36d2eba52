import type { AddressInfo } from 'node:net';
import { serve } from '@hono/node-server';
import { Hono } from 'hono';
import { describe, expect, it } from 'vitest';
import { clientAddress } from '../server/http/rate-limit';

describe('clientAddress on a real socket', () => {
  it('is the TCP peer address by default, whatever X-Forwarded-For says', async () => {
    const app = new Hono();
    app.get('/', (c) => c.text(`${clientAddress(c, { trustProxy: 0 })}|${clientAddress(c, { trustProxy: 1 })}`));
    const server = serve({ fetch: app.fetch, hostname: '127.0.0.1', port: 0 });
    await new Promise((r) => server.once('listening', r));
    try {
      const { port } = server.address() as AddressInfo;
      const res = await fetch(`http://127.0.0.1:${port}/`, { headers: { 'x-forwarded-for': '198.51.100.4, 203.0.113.9' } });
      const [direct, proxied] = (await res.text()).split('|');
      expect(direct).toMatch(/^(::ffff:)?127\.0\.0\.1$/);
      expect(proxied).toBe('203.0.113.9');
    } finally {
      await new Promise((r) => server.close(r));
    }
  });
});
