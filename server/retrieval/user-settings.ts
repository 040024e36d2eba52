/**
 * Reading and saving a user's retrieval settings. A user without a row gets
 * {@link DEFAULT_RETRIEVAL_SETTINGS} (so recalibrated defaults reach everyone who never chose).
 */
import { eq, sql } from 'drizzle-orm';
import type { Database } from '../db/open';
import { userRetrievalSettings } from '../db/schema';
import { DEFAULT_RETRIEVAL_SETTINGS, type RetrievalSettings } from './settings';

/** The settings `userId` chose, or a copy of the defaults (also for `undefined`, a user not created yet). */
export async function loadUserSettings(db: Database, userId: string | undefined): Promise<RetrievalSettings> {
  if (userId) {
    const [row] = await db
      .select()
      .from(userRetrievalSettings)
      .where(eq(userRetrievalSettings.userId, userId))
      .limit(1);
    if (row) return settingsOf(row);
  }
  return structuredClone({ ...DEFAULT_RETRIEVAL_SETTINGS });
}

/** The settings a stored row holds. */
function settingsOf(row: typeof userRetrievalSettings.$inferSelect): RetrievalSettings {
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
  const values = {
    enabled: settings.enabled,
    maxResults: settings.maxResults,
    minScore: settings.minScore,
    preferredSources: settings.preferredSources,
    excludedSources: settings.excludedSources,
  };
  const [row] = await db
    .insert(userRetrievalSettings)
    .values({ userId, ...values })
    .onConflictDoUpdate({ target: userRetrievalSettings.userId, set: { ...values, updatedAt: sql`now()` } })
    .returning();
  return settingsOf(row!);
}
