/**
 * Per-user retrieval settings: their shape, validation and defaults.
 *
 * A user who never changed their settings has no row in `user_retrieval_settings` and gets
 * {@link DEFAULT_RETRIEVAL_SETTINGS}, so recalibrated defaults reach every such user.
 */
import { z } from 'zod';
import type { RetrievalSettingsSnapshot } from '../db/schema';
import { MAX_SOURCE_LENGTH } from '../db/source-name';

export type RetrievalSettings = RetrievalSettingsSnapshot;

/**
 * Defaults for a new user. `minScore` is the abstention threshold on the 0–1 calibrated score
 * (see `fusion.ts`): below it a source is not good enough to answer from. 0.45 was the highest
 * threshold that kept ≥ 95% of the tuning sets' answerable questions answered when first fitted;
 * refitted on five tuning sets it keeps 97.3% of them answered (docent's 92.5%); 0.5–0.55 would
 * keep ≥ 95% overall but cut docent's and pino's further, and on the held-out sets trade answers
 * for abstentions about one for one (`npm run eval:fit`, BENCHMARKS.md).
 */
export const DEFAULT_RETRIEVAL_SETTINGS: Readonly<RetrievalSettings> = Object.freeze({
  enabled: true,
  maxResults: 5,
  minScore: 0.45,
  preferredSources: [],
  excludedSources: [],
});

const sourceList = z
  .array(z.string().trim().min(1, 'a source cannot be empty').max(MAX_SOURCE_LENGTH, `a source is at most ${MAX_SOURCE_LENGTH} characters`))
  .max(50, 'at most 50 sources')
  .transform((list) => [...new Set(list)]);

const settingsShape = {
  enabled: z.boolean(),
  maxResults: z.number().int('maxResults must be a whole number').min(1).max(20),
  minScore: z.number().min(0).max(1),
  preferredSources: sourceList,
  excludedSources: sourceList,
};

/**
 * The body of `PUT /api/settings` (every field required, as `GET /api/settings` returns them).
 * Strict, as every other request body: an unknown field (a typo such as `minscore`) is refused
 * by name rather than silently dropped. `unmatched`, which `GET /api/settings` adds, is accepted
 * and dropped, so that what it returned can be sent back changed. An entry both preferred and
 * excluded is refused, naming it.
 */
export const retrievalSettingsSchema = z
  .strictObject(
    { ...settingsShape, unmatched: z.array(z.unknown()).optional() },
    {
      error: (issue) =>
        issue.code === 'unrecognized_keys'
          ? `unknown field${issue.keys.length > 1 ? 's' : ''} ${issue.keys.map((k) => JSON.stringify(k)).join(', ')} (settings have ${Object.keys(settingsShape).join(', ')})`
          : undefined,
    },
  )
  .superRefine((settings, ctx) => {
    const excluded = new Set(settings.excludedSources);
    for (const entry of settings.preferredSources.filter((e) => excluded.has(e))) {
      ctx.addIssue({
        code: 'custom',
        path: ['excludedSources'],
        message: `${JSON.stringify(entry.slice(0, 80))} is also in preferredSources: a source is either preferred or excluded`,
      });
    }
  })
  .transform(({ unmatched: _unmatched, ...settings }): RetrievalSettings => settings);
