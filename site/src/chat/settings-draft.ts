/**
 * The reader's retrieval settings changed and not saved yet (a draft), kept for the browser tab in
 * sessionStorage as the chat is: following a citation to another docs page reloads the widget,
 * and the draft is there again, until saved or discarded.
 *
 * A draft remembers the settings it was made from (`base`). When the settings saved on the server
 * are no longer those (saved meanwhile in another tab), the draft is not put over them as it is:
 * {@link rebaseDraft} applies only what the reader changed here to what is saved now, so neither
 * tab's changes are lost without a word, and the panel says so.
 */
import type { RetrievalSettings } from './types';

/** Settings changed and not saved. */
export interface SettingsDraft {
  /** The saved settings the changes were made from. */
  base: RetrievalSettings;
  /** The settings as the reader has changed them. */
  settings: RetrievalSettings;
  /** Text typed in "Add a source or path prefix" and not added with Prefer or Exclude yet (`''`: none). */
  pending: string;
}

const storageKey = (apiBase: string) => `docent-settings-draft:${apiBase || 'same-origin'}`;

const isSettings = (value: unknown): value is RetrievalSettings => {
  const s = value as RetrievalSettings | null;
  return (
    typeof s === 'object' &&
    s !== null &&
    typeof s.enabled === 'boolean' &&
    typeof s.maxResults === 'number' &&
    typeof s.minScore === 'number' &&
    Array.isArray(s.preferredSources) &&
    Array.isArray(s.excludedSources)
  );
};

/** The tab's draft for the Docent server at `apiBase` (`''`: same origin), if any. */
export function readSettingsDraft(apiBase: string): SettingsDraft | undefined {
  try {
    const value = JSON.parse(sessionStorage.getItem(storageKey(apiBase)) ?? 'null') as Partial<SettingsDraft> | null;
    if (!value || !isSettings(value.base) || !isSettings(value.settings)) return undefined;
    return { base: value.base, settings: value.settings, pending: typeof value.pending === 'string' ? value.pending : '' };
  } catch {
    return undefined;
  }
}

/** Keeps `draft` for the tab; `undefined` forgets it (saved or discarded). */
export function writeSettingsDraft(apiBase: string, draft: SettingsDraft | undefined): void {
  try {
    if (draft) sessionStorage.setItem(storageKey(apiBase), JSON.stringify(draft));
    else sessionStorage.removeItem(storageKey(apiBase));
  } catch {
    // Storage disabled: the draft lasts for this page.
  }
}

/**
 * `draft`'s changes applied to `current` (the settings saved now, which differ from the draft's
 * base): each value the reader changed takes the reader's value, every other one stays as saved;
 * a source the reader preferred, excluded or set back to normal is so, and the sources changed
 * elsewhere keep their change.
 */
export function rebaseDraft(draft: SettingsDraft, current: RetrievalSettings): RetrievalSettings {
  const { base, settings } = draft;
  const pick = <K extends 'enabled' | 'maxResults' | 'minScore'>(key: K) => (settings[key] !== base[key] ? settings[key] : current[key]);
  const choiceIn = (s: RetrievalSettings, value: string) =>
    s.excludedSources.includes(value) ? 'exclude' : s.preferredSources.includes(value) ? 'prefer' : 'any';
  const preferred = new Set(current.preferredSources);
  const excluded = new Set(current.excludedSources);
  for (const value of new Set([...base.preferredSources, ...base.excludedSources, ...settings.preferredSources, ...settings.excludedSources])) {
    const choice = choiceIn(settings, value);
    if (choice === choiceIn(base, value)) continue;
    preferred.delete(value);
    excluded.delete(value);
    if (choice === 'prefer') preferred.add(value);
    if (choice === 'exclude') excluded.add(value);
  }
  return {
    enabled: pick('enabled'),
    maxResults: pick('maxResults'),
    minScore: pick('minScore'),
    preferredSources: [...preferred],
    excludedSources: [...excluded],
    ...(current.unmatched ? { unmatched: current.unmatched } : {}),
  };
}
