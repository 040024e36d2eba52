/**
 * The set-up the chat widget's browser tests share: the real Docent app (`createApp`, embedded
 * PGlite, the built docs site) with one seeded page, served on a free port, and a Chromium.
 */
import type { Browser } from 'playwright-core';
import { inject } from 'vitest';
import { loadConfig } from '../../server/config';
import type { EmbeddingProvider } from '../../server/embed/provider';
import { createApp } from '../../server/http/app';
import { launchBrowser } from './browser';
import { createTestDatabase, type TestDatabase } from './database';
import { listenOnFreePort } from './listen';
import { type OpenAIStub, type StubReply, startOpenAIStub } from './openai-stub';
import { seedDocuments, type SeedDocument } from './seed';

/** The page every widget test asks about: one section, so every question about ferries finds it. */
export const TICKETS_PAGE: SeedDocument = {
  path: 'guide/tickets.md',
  title: 'Tickets',
  sections: [{ heading: 'Buying tickets', text: 'Ferry tickets are sold at the pier kiosk from 7 am, and on board for a small surcharge.' }],
};

/** What {@link startWidgetModel}'s model answers unless told otherwise: it cites {@link TICKETS_PAGE}'s one section. */
export const TICKETS_ANSWER = 'Ferry tickets are sold at the pier kiosk from 7 am [1].';

export interface WidgetModel {
  /** The OpenAI-compatible server (test/helpers/openai-stub.ts), with the requests it got. */
  stub: OpenAIStub;
  /** Environment for {@link WidgetAppOptions.env}: the app answers with this model. */
  env: Record<string, string>;
  /** How the next streamed answer goes (slow, broken off, ...); after it the model answers {@link TICKETS_ANSWER} again. */
  answerNext(reply: StubReply): void;
  close(): Promise<void>;
}

/**
 * Starts the model the widget tests' app answers with: each streamed answer is {@link TICKETS_ANSWER}
 * unless {@link WidgetModel.answerNext} said otherwise; the follow-up rewrite (not streamed)
 * returns the question as it is.
 */
export async function startWidgetModel(): Promise<WidgetModel> {
  let next: StubReply | undefined;
  const stub = await startOpenAIStub((request) => {
    if (!request.stream) return { text: request.lastUser.split('\n').at(-1) ?? '' };
    const reply = next ?? { text: TICKETS_ANSWER };
    next = undefined;
    return reply;
  });
  return {
    stub,
    env: { OPENAI_BASE_URL: stub.url, CHAT_MODEL: 'stub-model' },
    answerNext: (reply) => {
      next = reply;
    },
    close: () => stub.close(),
  };
}

export interface WidgetAppOptions {
  /** Embeds the seeded page and the questions. */
  embedder: EmbeddingProvider;
  /** Environment for `loadConfig` (e.g. `OPENAI_BASE_URL` of a model stub). Default: none (extractive answers). */
  env?: Record<string, string>;
  /**
   * HTML pages served beside the app, by path (e.g. `{ '/embedding-site/': '<!doctype html>…' }`):
   * a page of "another site" that embeds `/widget.js`. Default: none.
   */
  hostPages?: Record<string, string>;
  /**
   * Serves each request; default: the app's own `fetch` (with {@link WidgetAppOptions.hostPages}).
   * A test that holds or inspects requests wraps `appFetch` here.
   */
  serve?: (request: Request, appFetch: (request: Request) => Response | Promise<Response>) => Response | Promise<Response>;
}

export interface WidgetApp {
  database: TestDatabase;
  /** `http://127.0.0.1:PORT`, no trailing slash. */
  url: string;
  browser: Browser;
  /** Closes the browser, the server and the database. */
  close(): Promise<void>;
}

/** Starts the app with {@link TICKETS_PAGE} seeded and launches Chromium (call from `beforeAll`). */
export async function startWidgetApp(options: WidgetAppOptions): Promise<WidgetApp> {
  const database = await createTestDatabase('pglite');
  await seedDocuments(database.db, options.embedder, [TICKETS_PAGE]);
  const app = createApp({
    database,
    config: loadConfig(options.env ?? {}),
    embedder: options.embedder,
    siteDir: inject('siteDir'),
    chatRateLimit: false,
  });
  const hostPages = new Map(Object.entries(options.hostPages ?? {}));
  const appFetch = (request: Request) => {
    const hostPage = hostPages.get(new URL(request.url).pathname);
    return hostPage === undefined ? app.fetch(request) : new Response(hostPage, { headers: { 'content-type': 'text/html; charset=utf-8' } });
  };
  const serve = options.serve;
  const server = await listenOnFreePort(serve ? (request) => serve(request, appFetch) : appFetch);
  let browser: Browser;
  try {
    browser = await launchBrowser();
  } catch (error) {
    await server.close();
    await database.close();
    throw error;
  }
  return {
    database,
    url: server.url,
    browser,
    close: async () => {
      await browser.close();
      await server.close();
      await database.close();
    },
  };
}
