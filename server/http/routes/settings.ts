/**
 * Retrieval settings: `GET /api/settings`, `PUT /api/settings` (the whole object, validated),
 * `DELETE /api/settings` (back to the defaults), and `GET /api/sources` (what can be preferred or
 * excluded).
 */
import { eq, sql } from 'drizzle-orm';
import { queryRows } from '../../db/open';
import { userRetrievalSettings } from '../../db/schema';
import { type RetrievalSettings, retrievalSettingsSchema } from '../../retrieval/settings';
import { unmatchedSources } from '../../retrieval/source-filter';
import { loadUserSettings, saveUserSettings } from '../../retrieval/user-settings';
import type { AppDeps, DocentHono } from '../context';
import { readJson } from '../validate';

export interface SourceOption {
  /** The content source's name: an entry in preferred/excluded sources matches it exactly. */
  name: string;
  documents: number;
  /** Top-level folders (`api/`): an entry matches every document whose path starts with it. */
  folders: { path: string; documents: number }[];
}

/** The settings as the API returns them: with `unmatched`, the entries that match no indexed page now. */
async function settingsResponse(db: AppDeps['db'], settings: RetrievalSettings) {
  return { ...settings, unmatched: await unmatchedSources(db, [...settings.preferredSources, ...settings.excludedSources]) };
}

export function registerSettingsRoutes(app: DocentHono, deps: AppDeps): void {
  const { db } = deps;

  /** `{ enabled, maxResults, minScore, preferredSources, excludedSources, unmatched }`: the user's, or the defaults. */
  app.get('/api/settings', async (c) => c.json(await settingsResponse(db, await loadUserSettings(db, c.get('auth').user?.id))));

  app.put('/api/settings', async (c) => {
    const settings = await readJson(c, retrievalSettingsSchema);
    const user = await c.get('auth').ensureUser();
    // What this request saved: read back after it, a save from another tab could be in its place.
    return c.json(await settingsResponse(db, await saveUserSettings(db, user.id, settings)));
  });

  app.delete('/api/settings', async (c) => {
    const user = c.get('auth').user;
    if (user) await db.delete(userRetrievalSettings).where(eq(userRetrievalSettings.userId, user.id));
    return c.json(await settingsResponse(db, await loadUserSettings(db, undefined)));
  });

  /** `{ sources: [{ name, documents, folders: [{ path, documents }] }] }`. */
  app.get('/api/sources', async (c) => {
    const rows = await queryRows<{ source: string; folder: string | null; documents: number | string }>(
      db,
      sql`select source,
                 case when position('/' in path) > 0 then split_part(path, '/', 1) || '/' end as folder,
                 count(*) as documents
          from documents group by 1, 2 order by 1, 2`,
    );
    const bySource = new Map<string, SourceOption>();
    for (const r of rows) {
      const option = bySource.get(r.source) ?? { name: r.source, documents: 0, folders: [] };
      option.documents += Number(r.documents);
      if (r.folder) option.folders.push({ path: r.folder, documents: Number(r.documents) });
      bySource.set(r.source, option);
    }
    return c.json({ sources: [...bySource.values()] });
  });
}
