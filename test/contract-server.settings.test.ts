/**
 * The contract server (test/helpers/contract-server.ts, the stand-in the site's browser journeys
 * run against) speaks the settings' version contract as the real server does: the same `ETag`s,
 * the same statuses and error bodies for `If-Match` on `PUT` and `DELETE /api/settings`. The same
 * steps run against both, so that what the widget does with a 409 in those journeys is what it
 * would do with Docent.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../server/config';
import { createApp } from '../server/http/app';
import { SETTINGS_CHANGED_MESSAGE } from '../server/http/routes/settings';
import { DEFAULT_RETRIEVAL_SETTINGS } from '../server/retrieval/settings';
import { createClient } from './helpers/client';
import { type ContractServer, startContractServer } from './helpers/contract-server';
import { createTestDatabase, type TestDatabase } from './helpers/database';
import { createHashingEmbedder } from './helpers/embedder';

/** Sends requests as one browser would: its session cookie kept between them. */
interface Visitor {
  request(path: string, init?: RequestInit): Promise<Response>;
}

type Target = { name: string; start(): Promise<{ visitor(): Visitor; close(): Promise<void> }> };

const TARGETS: Target[] = [
  {
    name: 'the real server',
    async start() {
      const database: TestDatabase = await createTestDatabase('pglite');
      const app = createApp({ database, config: loadConfig({}), embedder: createHashingEmbedder(), siteDir: false });
      return { visitor: () => createClient(app), close: () => database.close() };
    },
  },
  {
    name: 'the contract server',
    async start() {
      const dir = mkdtempSync(join(tmpdir(), 'docent-contract-settings-'));
      const server: ContractServer = await startContractServer({ siteDir: dir, docs: [], adminToken: 'contract-token-0123456789', evalFile: join(dir, 'eval.jsonl') });
      const visitor = (): Visitor => {
        let cookie: string | undefined;
        return {
          async request(path, init = {}) {
            const headers = new Headers(init.headers);
            if (cookie) headers.set('cookie', cookie);
            const res = await fetch(`${server.url}${path}`, { ...init, headers });
            const set = res.headers.getSetCookie().find((line) => line.startsWith('docent_session='));
            if (set) cookie = set.split(';')[0];
            return res;
          },
        };
      };
      return {
        visitor,
        async close() {
          await server.close();
          rmSync(dir, { recursive: true, force: true });
        },
      };
    },
  },
];

describe.each(TARGETS)('settings versions on $name', (target) => {
  let started: Awaited<ReturnType<Target['start']>>;
  beforeAll(async () => {
    started = await target.start();
  });
  afterAll(async () => started?.close());

  const etag = (res: Response) => res.headers.get('etag');
  const settings = (maxResults: number) => ({ ...DEFAULT_RETRIEVAL_SETTINGS, maxResults });
  const put = (visitor: Visitor, body: unknown, ifMatch?: string) =>
    visitor.request('/api/settings', {
      method: 'PUT',
      headers: { 'content-type': 'application/json', ...(ifMatch ? { 'if-match': ifMatch } : {}) },
      body: JSON.stringify(body),
    });
  const reset = (visitor: Visitor, ifMatch?: string) => visitor.request('/api/settings', { method: 'DELETE', headers: ifMatch ? { 'if-match': ifMatch } : {} });
  const changed = { error: { code: 'settings_changed', message: SETTINGS_CHANGED_MESSAGE } };

  it('gives the defaults the version "0", and each save a version of its own that GET gives back', async () => {
    const visitor = started.visitor();
    expect(etag(await visitor.request('/api/settings'))).toBe('"0"');
    const first = await put(visitor, settings(3), '"0"');
    expect(first.status).toBe(200);
    expect(etag(first)).toMatch(/^"[1-9]\d*"$/);
    expect(etag(await visitor.request('/api/settings'))).toBe(etag(first));
    const second = await put(visitor, settings(4), etag(first)!);
    expect(second.status).toBe(200);
    expect(BigInt(etag(second)!.slice(1, -1))).toBeGreaterThan(BigInt(etag(first)!.slice(1, -1)));
  });

  it('refuses a PUT or a DELETE from a stale version with 409 settings_changed and the current ETag, keeping what is saved', async () => {
    const visitor = started.visitor();
    const saved = await put(visitor, settings(3), '"0"');
    const stalePut = await put(visitor, settings(9), '"0"');
    expect(stalePut.status).toBe(409);
    expect(await stalePut.json()).toEqual(changed);
    expect(etag(stalePut)).toBe(etag(saved));
    const staleReset = await reset(visitor, '"0"');
    expect(staleReset.status).toBe(409);
    expect(await staleReset.json()).toEqual(changed);
    expect(etag(staleReset)).toBe(etag(saved));
    const kept = await visitor.request('/api/settings');
    expect((await kept.json()).maxResults).toBe(3);
    expect(etag(kept)).toBe(etag(saved));
  });

  it('resets from the current version to the defaults, "0" again', async () => {
    const visitor = started.visitor();
    const saved = await put(visitor, settings(3), '"0"');
    const done = await reset(visitor, etag(saved)!);
    expect(done.status).toBe(200);
    expect(etag(done)).toBe('"0"');
    expect((await done.json()).maxResults).toBe(DEFAULT_RETRIEVAL_SETTINGS.maxResults);
    expect(etag(await visitor.request('/api/settings'))).toBe('"0"');
  });

  it('saves and resets whatever is stored without If-Match, or with *', async () => {
    const visitor = started.visitor();
    await put(visitor, settings(3));
    expect((await put(visitor, settings(4))).status).toBe(200);
    expect((await put(visitor, settings(5), '*')).status).toBe(200);
    expect((await reset(visitor, '*')).status).toBe(200);
    await put(visitor, settings(6));
    expect((await reset(visitor)).status).toBe(200);
  });

  it('refuses a malformed If-Match with 400 bad_request, naming it', async () => {
    const visitor = started.visitor();
    for (const res of [await put(visitor, settings(3), 'v1'), await reset(visitor, 'v1')]) {
      expect(res.status).toBe(400);
      const body = await res.json();
      expect(body.error.code).toBe('bad_request');
      expect(body.error.message).toContain('not "v1"');
    }
  });
});
