/**
 * The longest question Docent takes, in characters: one limit for the chat and search endpoints,
 * `npm run search`, `npm run ask` and eval-case exports, so that what works in one works in the
 * others (the widget's question box stops at the same length: `site/src/chat/ChatSession.tsx`).
 */
export const MAX_QUESTION_CHARS = 4_000;
