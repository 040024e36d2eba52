/**
 * The settings' versions (`ETag`, `If-Match` on `PUT` and `DELETE /api/settings`) on both database
 * paths: PGlite directly, and postgres.js over the wire. A version is `updated_at` in microseconds,
 * read as text in SQL: a driver that parses timestamps to a JS `Date` (milliseconds) must not get
 * its hands on it, or two saves within one millisecond would get one `ETag`.
 */
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../server/config';
import { createApp } from '../server/http/app';
import { hashToken } from '../server/http/auth';
import { SETTINGS_CHANGED_MESSAGE } from '../server/http/routes/settings';
import { DEFAULT_RETRIEVAL_SETTINGS } from '../server/retrieval/settings';
import { createClient, type TestClient } from './helpers/client';
import { createTestDatabase, DRIVER_KINDS, type TestDatabase } from './helpers/database';
import { createHashingEmbedder } from './helpers/embedder';

describe.each(DRIVER_KINDS)('settings versions through %s', (kind) => {
  let database: TestDatabase;
  let app: ReturnType<typeof createApp>;
  beforeAll(async () => {
    database = await createTestDatabase(kind);
    app = createApp({ database, config: loadConfig({}), embedder: createHashingEmbedder(), siteDir: false });
  });
  afterAll(async () => database?.close());

  const etag = (res: Response) => res.headers.get('etag') ?? '';
  const put = async (client: TestClient, patch: Partial<typeof DEFAULT_RETRIEVAL_SETTINGS>) => {
    const res = await client.json('/api/settings', 'PUT', { ...DEFAULT_RETRIEVAL_SETTINGS, minScore: 0, ...patch });
    expect(res.status).toBe(200);
    return res.json();
  };
  const putIf = (client: TestClient, version: string, patch: Partial<typeof DEFAULT_RETRIEVAL_SETTINGS>) =>
    client.json('/api/settings', 'PUT', { ...DEFAULT_RETRIEVAL_SETTINGS, minScore: 0, ...patch }, { 'if-match': version });

  it('gives each save its own version, also saves right after one another', async () => {
    const client = createClient(app);
    const versions: string[] = [];
    let version = etag(await client.request('/api/settings'));
    for (let i = 0; i < 20; i++) {
      // Each save made from the version the one before answered: refused if two got one version.
      const res = i % 2 ? await putIf(client, version, { maxResults: 1 + i }) : await client.json('/api/settings', 'PUT', { ...DEFAULT_RETRIEVAL_SETTINGS, maxResults: 1 + i });
      expect({ i, status: res.status }).toEqual({ i, status: 200 });
      version = etag(res);
      expect(version).toMatch(/^"\d+"$/);
      versions.push(version);
    }
    const numbers = versions.map((v) => BigInt(v.slice(1, -1)));
    expect(numbers.every((n, i) => i === 0 || n > numbers[i - 1]!)).toBe(true);
    expect(etag(await client.request('/api/settings'))).toBe(versions.at(-1));
    expect((await putIf(client, versions.at(-1)!, { maxResults: 4 })).status).toBe(200);
    expect((await putIf(client, versions.at(-2)!, { maxResults: 5 })).status).toBe(409);
  });

  it('keeps the microseconds of the version: saves within one millisecond get versions of their own, each of which saves', async () => {
    const client = createClient(app);
    await put(client, { maxResults: 2 });
    // A stored version with microseconds, ahead of the clock: the saves after it all fall within its millisecond.
    const stored = '4102444800123456'; // 2100-01-01T00:00:00.123456Z
    await database.db.execute(sql`update user_retrieval_settings set updated_at = to_timestamp(${stored}::numeric / 1000000) where user_id = (select user_id from sessions where token_hash = ${hashToken(client.cookie!)})`);
    const read = await client.request('/api/settings');
    expect(etag(read)).toBe(`"${stored}"`);
    const first = await putIf(client, etag(read), { maxResults: 3 });
    expect(first.status).toBe(200);
    expect(etag(first)).toBe('"4102444800123457"');
    const second = await putIf(client, etag(first), { maxResults: 4 });
    expect(second.status).toBe(200);
    expect(etag(second)).toBe('"4102444800123458"');
    // The older ones are stale now, to the microsecond.
    expect((await putIf(client, etag(first), { maxResults: 5 })).status).toBe(409);
    const reset = await client.request('/api/settings', { method: 'DELETE', headers: { 'if-match': etag(first) } });
    expect(reset.status).toBe(409);
    expect(etag(reset)).toBe(etag(second));
    expect((await client.request('/api/settings', { method: 'DELETE', headers: { 'if-match': etag(second) } })).status).toBe(200);
  });

  describe('If-Match: a save made from settings saved since elsewhere', () => {
    it('saves over the version GET gave, and answers the new one', async () => {
      const client = createClient(app);
      await put(client, { maxResults: 2 });
      const read = await client.request('/api/settings');
      expect(etag(read)).toMatch(/^"\d+"$/);
      const res = await putIf(client, etag(read), { maxResults: 4 });
      expect(res.status).toBe(200);
      expect((await res.json()).maxResults).toBe(4);
      expect(etag(res)).not.toBe(etag(read));
      expect(etag(await client.request('/api/settings'))).toBe(etag(res));
    });

    it('refuses with 409 settings_changed a save over settings another tab saved meanwhile, and keeps those', async () => {
      const client = createClient(app);
      await put(client, { maxResults: 2 });
      // Both tabs load the settings.
      const loaded = etag(await client.request('/api/settings'));
      const first = await putIf(client, loaded, { maxResults: 7 });
      expect(first.status).toBe(200);
      // The second tab saves what it loaded, changed.
      const stale = await putIf(client, loaded, { excludedSources: ['legacy'] });
      expect(stale.status).toBe(409);
      expect(await stale.json()).toEqual({ error: { code: 'settings_changed', message: SETTINGS_CHANGED_MESSAGE } });
      // With the version saved now, to save on top of it.
      expect(etag(stale)).toBe(etag(first));
      const kept = await client.request('/api/settings');
      expect((await kept.json()).maxResults).toBe(7);
      expect(etag(kept)).toBe(etag(first));
      // Made from what is saved now, it saves.
      expect((await putIf(client, etag(stale), { maxResults: 7, excludedSources: ['legacy'] })).status).toBe(200);
    });

    it('lets one of two saves made from one version through, at once, and refuses the other', async () => {
      const client = createClient(app);
      await put(client, { maxResults: 2 });
      for (let round = 0; round < 3; round++) {
        const loaded = etag(await client.request('/api/settings'));
        const statuses = (await Promise.all([putIf(client, loaded, { maxResults: 3 }), putIf(client, loaded, { maxResults: 9 })])).map((r) => r.status);
        expect({ round, statuses: statuses.sort() }).toEqual({ round, statuses: [200, 409] });
      }
    });

    it('version of the defaults: a save from them is refused once the visitor saved settings of their own, and passes after DELETE', async () => {
      const client = createClient(app);
      const defaults = etag(await client.request('/api/settings'));
      expect((await putIf(client, defaults, { maxResults: 3 })).status).toBe(200);
      expect((await putIf(client, defaults, { maxResults: 4 })).status).toBe(409);
      const deleted = await client.request('/api/settings', { method: 'DELETE' });
      expect(etag(deleted)).toBe(defaults);
      expect((await putIf(client, defaults, { maxResults: 4 })).status).toBe(200);
    });

    it('saves whatever is stored without If-Match, or with *, as before', async () => {
      const client = createClient(app);
      const loaded = etag(await client.request('/api/settings'));
      await put(client, { maxResults: 2 });
      expect((await client.json('/api/settings', 'PUT', { ...DEFAULT_RETRIEVAL_SETTINGS, maxResults: 5 })).status).toBe(200);
      expect((await putIf(client, '*', { maxResults: 6 })).status).toBe(200);
      expect((await putIf(client, loaded, { maxResults: 8 })).status).toBe(409);
    });

    describe('DELETE /api/settings', () => {
      const deleteIf = (client: TestClient, version: string) => client.request('/api/settings', { method: 'DELETE', headers: { 'if-match': version } });

      it('refuses with 409 settings_changed a reset made from settings another tab saved since, and keeps those', async () => {
        const client = createClient(app);
        await put(client, { maxResults: 2 });
        // Both tabs load the settings; the first saves, the second (stale) resets.
        const loaded = etag(await client.request('/api/settings'));
        const saved = await putIf(client, loaded, { maxResults: 7 });
        expect(saved.status).toBe(200);
        const stale = await deleteIf(client, loaded);
        expect(stale.status).toBe(409);
        expect(await stale.json()).toEqual({ error: { code: 'settings_changed', message: SETTINGS_CHANGED_MESSAGE } });
        expect(etag(stale)).toBe(etag(saved));
        const kept = await client.request('/api/settings');
        expect((await kept.json()).maxResults).toBe(7);
        expect(etag(kept)).toBe(etag(saved));
        // Made from what is saved now, it resets.
        const reset = await deleteIf(client, etag(stale));
        expect(reset.status).toBe(200);
        expect(await reset.json()).toEqual({ ...DEFAULT_RETRIEVAL_SETTINGS, unmatched: [] });
        expect(etag(reset)).toBe('"0"');
        expect(etag(await client.request('/api/settings'))).toBe('"0"');
      });

      it('lets one of a save and a reset made from one version through, at once, and refuses the other', async () => {
        const client = createClient(app);
        await put(client, { maxResults: 2 });
        for (let round = 0; round < 3; round++) {
          const loaded = etag(await client.request('/api/settings'));
          const [saved, reset] = await Promise.all([putIf(client, loaded, { maxResults: 3 + round }), deleteIf(client, loaded)]);
          expect({ round, statuses: [saved.status, reset.status].sort() }).toEqual({ round, statuses: [200, 409] });
          // What is stored is what the one let through answered.
          const through = saved.status === 200 ? saved : reset;
          expect(etag(await client.request('/api/settings'))).toBe(etag(through));
          if (reset.status === 200) await put(client, { maxResults: 2 });
        }
      });

      it('with the version of the defaults: resets (nothing to do) while there are none of their own, refuses once some were saved', async () => {
        const client = createClient(app);
        // A new visitor: no user is created by it.
        const fresh = await deleteIf(client, '"0"');
        expect(fresh.status).toBe(200);
        expect(etag(fresh)).toBe('"0"');
        expect(client.cookie).toBeUndefined();
        await put(client, { maxResults: 3 });
        const stale = await deleteIf(client, '"0"');
        expect(stale.status).toBe(409);
        expect((await (await client.request('/api/settings')).json()).maxResults).toBe(3);
      });

      it('refuses a version that is not the stored one for a visitor with the defaults (reset since), without creating a user', async () => {
        const client = createClient(app);
        const res = await deleteIf(client, '"1733561234567890"');
        expect(res.status).toBe(409);
        expect(etag(res)).toBe('"0"');
        expect(client.cookie).toBeUndefined();
      });

      it('resets whatever is stored without If-Match, or with *, as before', async () => {
        const client = createClient(app);
        const loaded = etag(await client.request('/api/settings'));
        await put(client, { maxResults: 2 });
        expect((await client.request('/api/settings', { method: 'DELETE' })).status).toBe(200);
        await put(client, { maxResults: 2 });
        expect((await deleteIf(client, '*')).status).toBe(200);
        await put(client, { maxResults: 2 });
        expect((await deleteIf(client, loaded)).status).toBe(409);
      });

      it('refuses a malformed If-Match with 400, naming it, and resets nothing', async () => {
        const client = createClient(app);
        await put(client, { maxResults: 2 });
        const res = await deleteIf(client, '1733561234567890');
        expect(res.status).toBe(400);
        expect((await res.json()).error.message).toContain('not "1733561234567890"');
        expect((await (await client.request('/api/settings')).json()).maxResults).toBe(2);
      });
    });

    it.each(['1733561234567890', '"abc"', '"1", "2"'])('refuses If-Match %s with 400, naming it', async (header) => {
      const res = await putIf(createClient(app), header, {});
      expect(res.status).toBe(400);
      expect((await res.json()).error.message).toContain(`not ${JSON.stringify(header)}`);
    });
  });
});
