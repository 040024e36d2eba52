/** What a tab the reader comes back to reloads: `hasChangedElsewhere` (site/src/chat/tab-return.ts). */
import { describe, expect, it } from 'vitest';
import { hasChangedElsewhere } from '../site/src/chat/tab-return';
import type { DocentMessage } from '../site/src/chat/types';

const question = (id: string, metadata: DocentMessage['metadata'] = undefined): DocentMessage => ({ id, role: 'user', parts: [{ type: 'text', text: id }], ...(metadata ? { metadata } : {}) });
const answer = (id: string, status: string): DocentMessage => ({ id, role: 'assistant', parts: [{ type: 'text', text: id }], metadata: { messageId: id, status } });

describe('hasChangedElsewhere (a tab the reader comes back to)', () => {
  const shown = [question('q1'), answer('a1', 'complete')];

  it('is false when the tab shows every stored message as stored', () => {
    expect(hasChangedElsewhere(shown, [question('q1'), answer('a1', 'complete')])).toBe(false);
  });

  it('is true for a question and answer added in another tab', () => {
    expect(hasChangedElsewhere(shown, [...shown, question('q2'), answer('a2', 'complete')])).toBe(true);
  });

  it('is true for an answer regenerated in another tab (a new answer id)', () => {
    expect(hasChangedElsewhere(shown, [question('q1'), answer('a1b', 'complete')])).toBe(true);
  });

  it('is true for an answer that ended since the tab loaded it (it was being written)', () => {
    expect(hasChangedElsewhere([question('q1'), answer('a1', 'streaming')], [question('q1'), answer('a1', 'complete')])).toBe(true);
  });

  it('keeps what only the tab knows: a question the server refused is no change', () => {
    const refused = question('q2', { status: 'error', error: 'Too many questions.' });
    expect(hasChangedElsewhere([...shown, refused], shown)).toBe(false);
  });
});
