/**
 * `rebaseDraft` (site/src/chat/settings-draft.ts): settings changed and not saved in one tab, put
 * on top of settings saved meanwhile in another, keep both tabs' changes.
 */
import { describe, expect, it } from 'vitest';
import { rebaseDraft } from '../site/src/chat/settings-draft';
import type { RetrievalSettings } from '../site/src/chat/types';

const base: RetrievalSettings = { enabled: true, maxResults: 5, minScore: 0.2, preferredSources: ['guide/'], excludedSources: ['blog/'] };

describe('rebaseDraft', () => {
  it('takes the values this tab changed, and the saved ones for the rest', () => {
    const draft = { base, settings: { ...base, maxResults: 8 }, pending: '' };
    expect(rebaseDraft(draft, { ...base, minScore: 0.5, enabled: false })).toEqual({ ...base, maxResults: 8, minScore: 0.5, enabled: false });
  });

  it('applies the sources this tab preferred, excluded or set back to normal, keeping the other tab’s', () => {
    const draft = { base, settings: { ...base, preferredSources: ['api/'], excludedSources: ['blog/', 'guide/'] }, pending: '' };
    const current = { ...base, preferredSources: ['guide/', 'book/'], excludedSources: [] };
    expect(rebaseDraft(draft, current)).toMatchObject({ preferredSources: ['book/', 'api/'], excludedSources: ['guide/'] });
  });

  it('lets this tab’s value win where both tabs changed the same one', () => {
    const draft = { base, settings: { ...base, maxResults: 3 }, pending: '' };
    expect(rebaseDraft(draft, { ...base, maxResults: 10, unmatched: ['blog/'] })).toEqual({ ...base, maxResults: 3, unmatched: ['blog/'] });
  });
});
