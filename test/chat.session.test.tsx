/**
 * What a conversation shows of stored turns (`ChatSession`, rendered to HTML as a chat reopened
 * from history, or reloaded when the reader comes back to its tab, first renders).
 */
import { renderToStaticMarkup } from 'react-dom/server';
import { describe, expect, it } from 'vitest';
import { createDocentApi } from '../site/src/chat/api';
import { ChatSession } from '../site/src/chat/ChatSession';
import type { DocentMessage } from '../site/src/chat/types';

const question = (id: string): DocentMessage => ({ id, role: 'user', parts: [{ type: 'text', text: `${id}?` }] });
const answer = (id: string, status: string, text = `Answer ${id}`): DocentMessage => ({
  id,
  role: 'assistant',
  parts: [{ type: 'text', text }],
  metadata: { chatId: 'c1', messageId: id, status },
});
const render = (messages: DocentMessage[]) =>
  renderToStaticMarkup(<ChatSession api={createDocentApi('')} clientChatId="c" resolveUrl={(u) => u} initialMessages={messages} />);
const REGENERATE = />\s*Regenerate<\/button>/;

describe('ChatSession with stored turns', () => {
  it('offers Regenerate under a last answer that was stopped', () => {
    const html = render([question('q1'), answer('a1', 'aborted', 'Half an ans')]);
    expect(html).toContain('Stopped.');
    expect(html).toMatch(REGENERATE);
  });

  it('offers it under a last answer stopped before it began (stored empty)', () => {
    const html = render([question('q1'), answer('a1', 'aborted', '')]);
    expect(html).toMatch(REGENERATE);
  });

  it('offers no Regenerate for a stopped answer followed by another question, nor under a complete one', () => {
    expect(render([question('q1'), answer('a1', 'aborted'), question('q2'), answer('a2', 'complete')])).not.toMatch(REGENERATE);
    expect(render([question('q1'), answer('a1', 'complete')])).not.toMatch(REGENERATE);
  });

  it('says an answer loaded while another tab still writes it is unfinished, and offers no rating for it yet', () => {
    const writing = render([question('q1'), answer('a1', 'streaming', 'The first half')]);
    expect(writing).toContain('still being written, in another tab or window');
    expect(writing).not.toContain('dc-feedback');
    expect(render([question('q1'), answer('a1', 'complete')])).toContain('dc-feedback');
  });
});

describe('ChatSession rating bars', () => {
  it('offers no rating for an answer that failed part-way (its text kept, said interrupted), and one for a stopped or cut-off answer', () => {
    const failed = render([question('q1'), answer('a1', 'error', 'Tickets are sold at the'), question('q2'), answer('a2', 'complete')]);
    expect(failed).toContain('This answer was interrupted.');
    expect(failed).toContain('Tickets are sold at the');
    // Only the complete answer after it has a rating bar.
    expect(failed.match(/dc-feedback"/g)).toHaveLength(1);
    expect(render([question('q1'), answer('a1', 'error', 'Tickets are sold at the')])).not.toContain('dc-feedback');
    expect(render([question('q1'), answer('a1', 'aborted', 'Tickets are sold at the')])).toContain('dc-feedback');
    expect(render([question('q1'), answer('a1', 'truncated', 'Tickets are sold at the')])).toContain('dc-feedback');
  });
});
