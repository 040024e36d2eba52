/**
 * Reading and saving a user's retrieval settings. A user without a row gets
 * {@link DEFAULT_RETRIEVAL_SETTINGS} (so recalibrated defaults reach everyone who never chose).
 *
 * Each saved state has a version (the row's `updated_at` in microseconds, which every save moves
 * forward; {@link DEFAULT_SETTINGS_VERSION} without a row): a save may name the version it was
 * made from, and is then refused when another save came in between, rather than overwriting it.
 */
import { and, eq, sql } from 'drizzle-orm';
import type { Database } from '../db/open';
import { userRetrievalSettings } from '../db/schema';
import { DEFAULT_RETRIEVAL_SETTINGS, type RetrievalSettings } from './settings';

/** The version of a user's settings while they have none of their own (the defaults). */
export const DEFAULT_SETTINGS_VERSION = '0';

/** A row's version: its `updated_at` in microseconds since 1970, as text (exact, unlike a JS Date). */
const rowVersion = sql<string>`(extract(epoch from ${userRetrievalSettings.updatedAt}) * 1000000)::bigint::text`;

/** Every save moves `updated_at` forward, also two saves within one microsecond of the clock. */
const nextUpdatedAt = sql`greatest(clock_timestamp(), ${userRetrievalSettings.updatedAt} + interval '1 microsecond')`;

/** A user's settings and the version of that saved state. */
export interface VersionedSettings {
  settings: RetrievalSettings;
  version: string;
}

/** The settings `userId` chose, or a copy of the defaults (also for `undefined`, a user not created yet). */
export async function loadUserSettings(db: Database, userId: string | undefined): Promise<RetrievalSettings> {
  return (await loadVersionedUserSettings(db, userId)).settings;
}

/** {@link loadUserSettings} with the version of what it read. */
export async function loadVersionedUserSettings(db: Database, userId: string | undefined): Promise<VersionedSettings> {
  if (userId) {
    const [row] = await db
      .select({ row: userRetrievalSettings, version: rowVersion })
      .from(userRetrievalSettings)
      .where(eq(userRetrievalSettings.userId, userId))
      .limit(1);
    if (row) return { settings: settingsOf(row.row), version: row.version };
  }
  return { settings: structuredClone({ ...DEFAULT_RETRIEVAL_SETTINGS }), version: DEFAULT_SETTINGS_VERSION };
}

/** The columns of a stored row that are the settings. */
type StoredSettings = Pick<typeof userRetrievalSettings.$inferSelect, 'enabled' | 'maxResults' | 'minScore' | 'preferredSources' | 'excludedSources'>;

/** The settings a stored row holds. */
function settingsOf(row: StoredSettings): RetrievalSettings {
  return {
    enabled: row.enabled,
    maxResults: row.maxResults,
    // `real` column: round away float4 noise (0.3 is stored as 0.30000001192…).
    minScore: Math.round(row.minScore * 1e6) / 1e6,
    preferredSources: row.preferredSources,
    excludedSources: row.excludedSources,
  };
}

/**
 * Saves `settings` (already validated with `retrievalSettingsSchema`) as `userId`'s own, and
 * returns them as stored: what this call saved, even when another save of the same user (a second
 * tab) comes right after it.
 */
export async function saveUserSettings(db: Database, userId: string, settings: RetrievalSettings): Promise<RetrievalSettings> {
  return (await saveVersionedUserSettings(db, userId, settings))!.settings;
}

/**
 * {@link saveUserSettings} with the version of what it stored. With `ifVersion`, it saves only
 * when the stored settings are still at that version (in one statement: two saves made from the
 * same version cannot both pass), and returns `undefined` when they are not.
 */
export async function saveVersionedUserSettings(
  db: Database,
  userId: string,
  settings: RetrievalSettings,
  ifVersion?: string,
): Promise<VersionedSettings | undefined> {
  const values = {
    enabled: settings.enabled,
    maxResults: settings.maxResults,
    minScore: settings.minScore,
    preferredSources: settings.preferredSources,
    excludedSources: settings.excludedSources,
  };
  const t = userRetrievalSettings;
  const returned = { enabled: t.enabled, maxResults: t.maxResults, minScore: t.minScore, preferredSources: t.preferredSources, excludedSources: t.excludedSources, version: rowVersion };
  const set = { ...values, updatedAt: nextUpdatedAt };
  let rows: (StoredSettings & { version: string })[];
  if (ifVersion === undefined) {
    rows = await db
      .insert(userRetrievalSettings)
      .values({ userId, ...values })
      .onConflictDoUpdate({ target: userRetrievalSettings.userId, set })
      .returning(returned);
  } else if (ifVersion === DEFAULT_SETTINGS_VERSION) {
    // Made from the defaults: saved only while the user still has no settings of their own.
    rows = await db.insert(userRetrievalSettings).values({ userId, ...values }).onConflictDoNothing({ target: userRetrievalSettings.userId }).returning(returned);
  } else {
    rows = await db
      .update(userRetrievalSettings)
      .set(set)
      .where(and(eq(userRetrievalSettings.userId, userId), sql`${rowVersion} = ${ifVersion}`))
      .returning(returned);
  }
  const [row] = rows;
  return row ? { settings: settingsOf(row), version: row.version } : undefined;
}

/**
 * Takes `userId` back to the defaults (deletes their own settings); `undefined` (a user not
 * created yet) has them already. With `ifVersion`, only while the stored settings are still at that
 * version (in one statement, as {@link saveVersionedUserSettings}): returns `false`, deleting
 * nothing, when they are not. Settings already at the defaults are at {@link DEFAULT_SETTINGS_VERSION}.
 */
export async function resetUserSettings(db: Database, userId: string | undefined, ifVersion?: string): Promise<boolean> {
  if (ifVersion === undefined) {
    if (userId) await db.delete(userRetrievalSettings).where(eq(userRetrievalSettings.userId, userId));
    return true;
  }
  if (ifVersion === DEFAULT_SETTINGS_VERSION) return (await loadVersionedUserSettings(db, userId)).version === DEFAULT_SETTINGS_VERSION;
  if (!userId) return false;
  const deleted = await db
    .delete(userRetrievalSettings)
    .where(and(eq(userRetrievalSettings.userId, userId), sql`${rowVersion} = ${ifVersion}`))
    .returning({ userId: userRetrievalSettings.userId });
  return deleted.length > 0;
}
