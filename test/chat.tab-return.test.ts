/** What a tab the reader comes back to reloads: `hasChangedElsewhere` (site/src/chat/tab-return.ts). */
import { describe, expect, it } from 'vitest';
import { changesElsewhere, hasChangedElsewhere, showsAnswerWrittenElsewhere } from '../site/src/chat/tab-return';
import type { DocentMessage, Feedback } from '../site/src/chat/types';

const question = (id: string, metadata: DocentMessage['metadata'] = undefined): DocentMessage => ({ id, role: 'user', parts: [{ type: 'text', text: id }], ...(metadata ? { metadata } : {}) });
const answer = (id: string, status: string, feedback: Feedback | null = null): DocentMessage => ({
  id,
  role: 'assistant',
  parts: [{ type: 'text', text: id }],
  metadata: { messageId: id, status, feedback },
});

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

describe('hasChangedElsewhere and changesElsewhere: feedback given in another tab', () => {
  it('counts a rating or comment given or changed elsewhere as a change; a live answer (no feedback field) is as a stored one with none', () => {
    const live: DocentMessage = { id: 'a1', role: 'assistant', parts: [{ type: 'text', text: 'a1' }], metadata: { messageId: 'a1', status: 'complete' } };
    expect(hasChangedElsewhere([question('q1'), live], [question('q1'), answer('a1', 'complete')])).toBe(false);
    expect(hasChangedElsewhere([question('q1'), live], [question('q1'), answer('a1', 'complete', { vote: 'up', rating: null, comment: null })])).toBe(true);
    const rated = answer('a1', 'complete', { vote: 'up', rating: 4, comment: null });
    expect(hasChangedElsewhere([question('q1'), rated], [question('q1'), answer('a1', 'complete', { vote: 'up', rating: 4 })])).toBe(false);
    expect(hasChangedElsewhere([question('q1'), rated], [question('q1'), answer('a1', 'complete', { vote: 'up', rating: 4, comment: 'Clear.' })])).toBe(true);
  });

  it('updates only the answers that changed, keeping what only this tab knows; new messages replace the list', () => {
    const refused = question('q2', { status: 'error', error: 'Too many questions.' });
    const storedAnswer = answer('a1', 'complete', { vote: 'down', rating: 2, comment: null });
    expect(changesElsewhere([question('q1'), answer('a1', 'complete'), refused], [question('q1'), storedAnswer])).toEqual({
      change: 'updated',
      messages: [question('q1'), storedAnswer, refused],
    });
    const ended = answer('a1', 'aborted');
    expect(changesElsewhere([question('q1'), answer('a1', 'streaming')], [question('q1'), ended])).toEqual({ change: 'updated', messages: [question('q1'), ended] });
    const more = [question('q1'), storedAnswer, question('q3'), answer('a3', 'complete')];
    expect(changesElsewhere([question('q1'), answer('a1', 'complete'), refused], more)).toEqual({ change: 'continued', messages: more });
    expect(changesElsewhere([question('q1'), storedAnswer], [question('q1'), storedAnswer])).toBeUndefined();
  });

  it('showsAnswerWrittenElsewhere: an answer loaded while still being written', () => {
    expect(showsAnswerWrittenElsewhere([question('q1'), answer('a1', 'streaming')])).toBe(true);
    expect(showsAnswerWrittenElsewhere([question('q1'), answer('a1', 'aborted')])).toBe(false);
  });
});
