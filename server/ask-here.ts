/**
 * `npm run ask` answering in this process (`server/ask.ts`), when no running Docent server holds
 * the database: one chat turn of the `ask-cli` reader, streamed to the terminal. As the server
 * does, a source's link to a file the docs site publishes (`./spec.pdf` of the content folder's
 * pages) is pointed where the built site serves it (`/_docent/files/content/guides/spec.pdf`:
 * `answer/site-files.ts`), so the answer in the terminal names the same URL as in the widget.
 */
import { resolve } from 'node:path';
import { eq } from 'drizzle-orm';
import { ingestSource } from './db/source-name';
import { siteFileUrls } from './answer/site-files';
import { type ChatTurnDeps, startChatTurn } from './answer/turn';
import { type RenderedAnswer, renderAnswer, streamChunks } from './answer/ui-stream';
import type { Config } from './config';
import { users } from './db/schema';

/** The reader `npm run ask` records its chats under. */
export const CLI_USER = 'ask-cli';

export interface AnswerHereOptions {
  /** Where the answer is written (the terminal). */
  out: { write(text: string): unknown };
  /** ANSI dimming of the sources list. Default: none. */
  color?: boolean;
  /** The built docs site, as the server serves it. Default `site/dist` (relative to the working directory). */
  siteDir?: string;
}

/** Answers `question` from the index of `deps.db`, as the `ask-cli` reader, writing the answer to `options.out`. */
export async function answerHere(
  deps: Pick<ChatTurnDeps, 'db' | 'embedder' | 'chatModel' | 'tracer' | 'onError'>,
  config: Pick<Config, 'content'>,
  question: string,
  options: AnswerHereOptions,
): Promise<RenderedAnswer> {
  const [existing] = await deps.db.select({ id: users.id }).from(users).where(eq(users.displayName, CLI_USER)).limit(1);
  const userId = existing?.id ?? (await deps.db.insert(users).values({ displayName: CLI_USER }).returning({ id: users.id }))[0]!.id;
  const fileUrl = siteFileUrls({ siteDir: options.siteDir ?? 'site/dist', source: ingestSource(resolve(config.content.dir), config.content.source) });
  const turn = await startChatTurn({ ...deps, fileUrl }, { userId, clientChatId: `ask-${Date.now()}`, question });
  const answer = await renderAnswer(streamChunks(turn.stream), options.out, { color: options.color });
  await turn.done;
  return answer;
}
