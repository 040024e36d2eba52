/**
 * Prompts for the chat model: answering from numbered sources, answering with retrieval turned
 * off, and rewriting a follow-up question into a standalone search query.
 */
import type { AnswerSource } from '../chats/sources';
import { resolveLinksOf, type SourceFileUrl } from './source-links';

/** Most characters of one source's text put into the prompt. */
const SOURCE_CHARS = 6_000;

/**
 * The numbered sources block: `[1] Title › Heading (url)` followed by the section text, its links
 * pointed where they lead on its page (`source-links.ts`; files it links to where `fileUrl` says the
 * docs site serves them), so a link the model copies still works.
 */
export function formatSources(sources: readonly AnswerSource[], fileUrl?: SourceFileUrl): string {
  return sources
    .map((s) => {
      const where = [s.title, ...s.headings.slice(1)].join(' › ');
      const full = resolveLinksOf(s, fileUrl);
      const text = full.length > SOURCE_CHARS ? `${full.slice(0, SOURCE_CHARS)}…` : full;
      return `[${s.rank}] ${where} (${s.url})\n${text.trim()}`;
    })
    .join('\n\n---\n\n');
}

/**
 * The site's own instructions (`ANSWER_INSTRUCTIONS`), after Docent's rules: they can set the
 * tone, the product's name or the language, but citing only the given sources stays a rule.
 */
function siteInstructions(instructions: string | undefined): string[] {
  const text = instructions?.trim();
  if (!text) return [];
  return ['', 'Instructions from the maintainers of this documentation site (Docent’s rules above still apply):', text];
}

/** System prompt for answering from numbered documentation sources, with the site's own `instructions` if any. */
export function answerSystemPrompt(sources: readonly AnswerSource[], instructions?: string, fileUrl?: SourceFileUrl): string {
  return [
    'You are Docent, the assistant of a documentation site. Answer the reader’s question using only',
    'the numbered documentation sources below.',
    '',
    'Rules:',
    '- Cite every statement that comes from a source with its number in square brackets, like [1] or [2][3],',
    `  placed right after the statement. Only the numbers 1 to ${sources.length} exist; never cite anything else.`,
    '- If the sources do not contain the answer, say plainly that the documentation does not cover it.',
    '  Do not guess and do not use outside knowledge.',
    '- Be concise. Use markdown; put code in fenced code blocks with a language tag. Copy code and',
    '  names exactly as the sources write them.',
    '- Link only to URLs the sources give (their own, or links in their text); never make up a URL.',
    ...siteInstructions(instructions),
    '',
    'Sources:',
    '',
    formatSources(sources, fileUrl),
  ].join('\n');
}

/** System prompt when the reader turned retrieval off: no sources, and the answer must say so. */
export function noRetrievalSystemPrompt(instructions?: string): string {
  return [
    'You are Docent, the assistant of a documentation site. The reader turned documentation search',
    'off in their settings, so you have no documentation sources for this question. Answer from',
    'general knowledge, briefly, and do not cite sources or invent links. If you are not sure, say so.',
    ...siteInstructions(instructions),
  ].join('\n');
}

/** Instructions for rewriting a follow-up question into a standalone search query. */
export const REWRITE_SYSTEM_PROMPT = [
  'You rewrite the last question of a conversation about a documentation site into one standalone',
  'search query that can be understood without the conversation: resolve pronouns and references',
  '("it", "that", "the second option") using the earlier turns, keep the names of APIs, functions and',
  'options exactly, and do not answer the question. If the question already stands on its own,',
  'return it unchanged. Reply with the query only, on one line, without quotes.',
].join('\n');

/** The user prompt for the rewrite: the conversation so far, then the question. */
export function rewritePrompt(history: readonly { role: string; content: string }[], question: string): string {
  const turns = history
    .map((m) => `${m.role === 'user' ? 'Reader' : 'Docent'}: ${m.content.replace(/\s+/g, ' ').slice(0, 600)}`)
    .join('\n');
  return `Conversation so far:\n${turns}\n\nLast question: ${question}\n\nStandalone query:`;
}
