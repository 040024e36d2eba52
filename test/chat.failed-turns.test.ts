/**
 * `recordFailedTurn` and `unansweredNote` (site/src/chat/failed-turns.ts): where a live chat
 * records how a turn ended without a complete answer, and what it says after a question that
 * got no answer.
 */
import { describe, expect, it } from 'vitest';
import { recordFailedTurn, unansweredNote } from '../site/src/chat/failed-turns';
import type { DocentMessage } from '../site/src/chat/types';

const question = (id: string, text = 'Where are tickets sold?'): DocentMessage => ({ id, role: 'user', parts: [{ type: 'text', text }] });
const answer = (id: string, text = 'At the kiosk.'): DocentMessage => ({ id, role: 'assistant', parts: [{ type: 'text', text }], metadata: { chatId: 'c1', messageId: id } });
const idle = { busy: false, alertShown: false };

describe('recordFailedTurn', () => {
  it('records the reason on the answer that failed, keeping its metadata', () => {
    const list = [question('q1'), answer('a1', '')];
    const marked = recordFailedTurn(list, 'a1', { status: 'error', reason: 'The search service failed (HTTP 503).' });
    expect(marked[1]!.metadata).toEqual({ chatId: 'c1', messageId: 'a1', status: 'error', error: 'The search service failed (HTTP 503).' });
    expect(marked[0]).toBe(list[0]);
    expect(list[1]!.metadata?.status).toBeUndefined();
  });

  it('records a stop on the answer without an earlier reason', () => {
    const list = [question('q1'), { ...answer('a1'), metadata: { status: 'error', error: 'earlier' } }];
    expect(recordFailedTurn(list, 'a1', { status: 'aborted' })[1]!.metadata).toEqual({ status: 'aborted' });
  });

  it('records it on the last question when no answer had begun', () => {
    const list = [question('q1'), answer('a1'), question('q2')];
    const marked = recordFailedTurn(list, 'never-shown', { status: 'error', reason: 'Too many questions.' });
    expect(marked[2]!.metadata).toEqual({ status: 'error', error: 'Too many questions.' });
    expect(marked[1]).toBe(list[1]);
  });

  it('leaves the list as it is when there is neither', () => {
    const list = [question('q1'), answer('a1')];
    expect(recordFailedTurn(list, undefined, { status: 'aborted' })).toBe(list);
  });
});

describe('unansweredNote', () => {
  const refused = { ...question('q1'), metadata: { status: 'error', error: 'Too many questions.' } };
  const stopped = { ...question('q1'), metadata: { status: 'aborted' } };

  it('says why once another question follows', () => {
    expect(unansweredNote([refused, question('q2')], 0, idle)).toBe('Too many questions.');
    expect(unansweredNote([stopped, question('q2')], 0, { busy: true, alertShown: true })).toBe('Stopped.');
  });

  it('says nothing for a question that was answered, or that ended well', () => {
    expect(unansweredNote([refused, answer('a1')], 0, idle)).toBeUndefined();
    expect(unansweredNote([question('q1'), question('q2')], 0, idle)).toBeUndefined();
    expect(unansweredNote([answer('a0'), question('q1')], 0, idle)).toBeUndefined();
  });

  it('leaves the last question to the alert, or to the answer on its way', () => {
    expect(unansweredNote([refused], 0, { busy: false, alertShown: true })).toBeUndefined();
    expect(unansweredNote([refused], 0, { busy: true, alertShown: false })).toBeUndefined();
    expect(unansweredNote([stopped], 0, idle)).toBe('Stopped.');
  });
});
