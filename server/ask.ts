/**
 * `npm run ask -- "question"`: answers a question in the terminal, streamed, then lists the
 * sources with their scores. Same pipeline as the chat widget (retrieval with a new user's
 * default settings, generated or extractive answer, citations checked), and the answer is
 * recorded like any other (under one `ask-cli` user).
 *
 * When a running Docent server holds the embedded database, the question goes to that server's
 * `POST /api/chat` instead (no admin token needed), as one reader across runs (`./ask-server`).
 */
import { eq } from 'drizzle-orm';
import { createChatModel } from './answer/model';
import { startChatTurn } from './answer/turn';
import { renderAnswer, streamChunks } from './answer/ui-stream';
import { AskServerError, askServer, sessionFileFor } from './ask-server';
import { ConfigError, loadConfig, loadDotEnv } from './config';
import { DatabaseLockedError } from './db/lock';
import { migrateDatabase } from './db/migrate';
import { openDatabase } from './db/open';
import { chunks, users } from './db/schema';
import { createEmbeddingProvider } from './embed';
import { createTracer } from './tracing';

const USAGE = `Usage: npm run ask -- "your question"

Answers from the indexed docs in the terminal (streamed), then lists the sources with their
retrieval scores (0–1). Uses OPENAI_API_KEY / OPENAI_BASE_URL when set, else answers
extractively. If a Docent server holds the embedded database, asks that server instead.`;

const CLI_USER = 'ask-cli';

async function main(): Promise<number> {
  const args = process.argv.slice(2);
  if (args.includes('--help') || args.includes('-h')) {
    console.log(USAGE);
    return 0;
  }
  const unknown = args.find((a) => a.startsWith('--'));
  if (unknown) {
    console.error(`ask: unknown option ${unknown}\n\n${USAGE}`);
    return 2;
  }
  const question = args.join(' ').trim();
  if (!question) {
    console.error(`ask: no question given.\n\n${USAGE}`);
    return 2;
  }
  if (question.length > 4_000) {
    console.error(`ask: the question is ${question.length} characters; the limit is 4000.`);
    return 2;
  }

  loadDotEnv();
  const config = loadConfig();
  const color = Boolean(process.stdout.isTTY) && !process.env.NO_COLOR;

  let database;
  try {
    database = await openDatabase(config.databaseUrl, { purpose: 'ask', sharedBuffers: config.pgliteSharedBuffers });
  } catch (error) {
    if (error instanceof DatabaseLockedError && error.owner.url) {
      console.error(`(asking the running Docent server at ${error.owner.url})\n`);
      const answer = await askServer(error.owner.url, question, { sessionFile: sessionFileFor(error.dataDir), color });
      if (answer.error) console.error(`\nask: ${answer.error}`);
      return answer.error ? 1 : 0;
    }
    throw error;
  }

  const embedder = createEmbeddingProvider(config);
  const tracer = createTracer(config);
  try {
    await migrateDatabase(database);
    const [indexed] = await database.db.select({ id: chunks.id }).from(chunks).limit(1);
    if (!indexed) {
      console.error('ask: nothing is indexed yet. Run `npm run ingest` (or `npm start`, which ingests content/) first.');
      return 1;
    }
    const [existing] = await database.db.select({ id: users.id }).from(users).where(eq(users.displayName, CLI_USER)).limit(1);
    const userId =
      existing?.id ?? (await database.db.insert(users).values({ displayName: CLI_USER }).returning({ id: users.id }))[0]!.id;

    const turn = await startChatTurn(
      { db: database.db, embedder, chatModel: createChatModel(config), tracer, onError: () => {} },
      { userId, clientChatId: `ask-${Date.now()}`, question },
    );
    const answer = await renderAnswer(streamChunks(turn.stream), process.stdout, { color });
    await turn.done;
    if (answer.error) console.error(`\nask: ${answer.error}`);
    return answer.error ? 1 : 0;
  } finally {
    await tracer.flush(2_000);
    await embedder.close();
    await database.close();
  }
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    if (error instanceof ConfigError || error instanceof DatabaseLockedError || error instanceof AskServerError) {
      console.error(`ask: ${error.message}`);
    } else {
      console.error('ask: failed:', (error as Error).message ?? error);
    }
    process.exit(1);
  },
);
