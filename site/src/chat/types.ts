/**
 * The shapes the chat widget exchanges with the Docent server (issue 4's API contract).
 */
import type { UIMessage } from 'ai';

/** One retrieved source, as the `data-sources` stream part and `GET /api/chats/:id` carry it. */
export interface SourceInfo {
  /** 1-based rank; `[n]` in the answer cites the source of rank n. */
  rank: number;
  /** Retrieval score, 0–1. */
  score: number;
  /** Document path relative to its content folder (`guide/quick-start.md`). */
  path: string;
  /** Page title. */
  title: string;
  /** The section's heading (the deepest one), `''` for a page's introduction. */
  heading: string;
  /** Link to the page and heading (`/guide/quick-start/#install`). */
  url: string;
  /** A short excerpt of the section. */
  snippet: string;
  /** Content source name, when the server sends it. */
  source?: string;
  /** Whether the answer cited this source, when known. */
  cited?: boolean;
}

/** Feedback on an assistant message (`POST /api/messages/:id/feedback`). */
export interface Feedback {
  vote: 'up' | 'down';
  rating?: number | null;
  comment?: string | null;
}

/** `messageMetadata` of an assistant message: the server's ids, needed for history and feedback. */
export interface ChatMetadata {
  /** The server's chat id (`GET /api/chats/:id`). */
  chatId?: string;
  /** The server's id of this assistant message (`POST /api/messages/:id/feedback`). */
  messageId?: string;
  /** The user's saved feedback, when the message was loaded from history. */
  feedback?: Feedback | null;
  /** How the answer ended (complete | truncated | error | aborted), from its stream's end or from history (also streaming). */
  status?: string;
  /**
   * Set by the transport when the answer's stream ended without its `finish` part
   * (`requireFinish`) or its connection dropped (`endOnDroppedConnection`): the reader saw only
   * part of it, so it is not offered for rating.
   */
  interrupted?: boolean;
  /** `false` when the server says asking again cannot help (its configuration needs fixing): no Retry. */
  retryable?: boolean;
  /** Why a failed answer ended (its stored `error`), when the message was loaded from history. */
  error?: string;
  [key: string]: unknown;
}

export type DocentMessage = UIMessage<ChatMetadata, { sources: unknown }>;

/** The user's retrieval settings (`GET`/`PUT /api/settings`). */
export interface RetrievalSettings {
  enabled: boolean;
  maxResults: number;
  minScore: number;
  preferredSources: string[];
  excludedSources: string[];
  /**
   * Entries of the two lists that match no indexed page, as the server last said (a typo, or a
   * folder not indexed yet). Never sent back.
   */
  unmatched?: string[];
  /**
   * The version of these settings as the server last gave it (`ETag`): sent back in `If-Match`
   * by a save, which the server refuses (409 `settings_changed`) when they were saved since.
   * Never part of the body.
   */
  version?: string;
}

/** Something a user can prefer or exclude (`GET /api/sources`): a source name or a path prefix. */
export interface SourceOption {
  value: string;
  label: string;
  /** How many documents it covers, when known. */
  documents?: number;
  /** Nested options (folders of a source), when the server lists them. */
  kind: 'source' | 'folder' | 'document';
}

/** One entry of `GET /api/chats`. */
export interface ChatSummary {
  /** The server's chat id. */
  id: string;
  /** The id `useChat` used for this chat (sent back as `id` when continuing it). */
  clientChatId: string;
  title: string;
  updatedAt: string | undefined;
}
