/**
 * Retrieval settings: `GET /api/settings`, `PUT /api/settings` (the whole object, validated),
 * `DELETE /api/settings` (back to the defaults), and `GET /api/sources` (what can be preferred or
 * excluded).
 *
 * Each settings response has an `ETag`: the version of the settings it returns. A `PUT` that sends
 * it back in `If-Match` saves only over that version: when the settings were saved since (another
 * tab), it is refused with 409 `settings_changed` (and the `ETag` of what is saved now) instead
 * of overwriting them. A `PUT` without `If-Match` (or with `*`) saves whatever is stored. A
 * `DELETE` honours `If-Match` the same way: a reset from a stale tab does not discard newer settings.
 */
import { sql } from 'drizzle-orm';
import { queryRows } from '../../db/open';
import { type RetrievalSettings, retrievalSettingsSchema } from '../../retrieval/settings';
import { unmatchedSources } from '../../retrieval/source-filter';
import { DEFAULT_SETTINGS_VERSION, loadUserSettings, loadVersionedUserSettings, resetUserSettings, saveVersionedUserSettings } from '../../retrieval/user-settings';
import { badRequest, errorBody, quotedId } from '../errors';
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

/** A version as an entity tag: `"1733561234567890"`. */
const entityTag = (version: string) => `"${version}"`;

/** Said with 409 `settings_changed`. */
export const SETTINGS_CHANGED_MESSAGE =
  'Your settings were saved elsewhere (another tab or window) after these were loaded, so they were not saved over. Load them again and save your changes on top of them.';

/**
 * The version an `If-Match` header asks for: `undefined` without one (or `*`: whatever is stored).
 * One entity tag, as the settings responses' `ETag` gives it (a weak `W/` one is taken as strong).
 */
export function ifMatchVersion(header: string | undefined): string | undefined {
  const value = header?.trim();
  if (!value || value === '*') return undefined;
  const match = /^(?:W\/)?"(\d{1,20})"$/.exec(value);
  if (!match) throw badRequest(`If-Match must be one entity tag as the ETag of GET /api/settings gives it (such as "1733561234567890"), not ${quotedId(value)}`);
  return match[1]!;
}

export function registerSettingsRoutes(app: DocentHono, deps: AppDeps): void {
  const { db } = deps;

  /** `{ enabled, maxResults, minScore, preferredSources, excludedSources, unmatched }`: the user's, or the defaults; `ETag`: their version. */
  app.get('/api/settings', async (c) => {
    const { settings, version } = await loadVersionedUserSettings(db, c.get('auth').user?.id);
    c.header('ETag', entityTag(version));
    return c.json(await settingsResponse(db, settings));
  });

  app.put('/api/settings', async (c) => {
    const ifVersion = ifMatchVersion(c.req.header('if-match'));
    const settings = await readJson(c, retrievalSettingsSchema);
    const user = await c.get('auth').ensureUser();
    // What this request saved: read back after it, a save from another tab could be in its place.
    const saved = await saveVersionedUserSettings(db, user.id, settings, ifVersion);
    if (!saved) {
      c.header('ETag', entityTag((await loadVersionedUserSettings(db, user.id)).version));
      return c.json(errorBody('settings_changed', SETTINGS_CHANGED_MESSAGE), 409);
    }
    c.header('ETag', entityTag(saved.version));
    return c.json(await settingsResponse(db, saved.settings));
  });

  app.delete('/api/settings', async (c) => {
    const ifVersion = ifMatchVersion(c.req.header('if-match'));
    const userId = c.get('auth').user?.id;
    if (!(await resetUserSettings(db, userId, ifVersion))) {
      c.header('ETag', entityTag((await loadVersionedUserSettings(db, userId)).version));
      return c.json(errorBody('settings_changed', SETTINGS_CHANGED_MESSAGE), 409);
    }
    c.header('ETag', entityTag(DEFAULT_SETTINGS_VERSION));
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
