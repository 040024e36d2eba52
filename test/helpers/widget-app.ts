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
import { seedDocuments, type SeedDocument } from './seed';

/** The page every widget test asks about: one section, so every question about ferries finds it. */
export const TICKETS_PAGE: SeedDocument = {
  path: 'guide/tickets.md',
  title: 'Tickets',
  sections: [{ heading: 'Buying tickets', text: 'Ferry tickets are sold at the pier kiosk from 7 am, and on board for a small surcharge.' }],
};

export interface WidgetAppOptions {
  /** Embeds the seeded page and the questions. */
  embedder: EmbeddingProvider;
  /** Environment for `loadConfig` (e.g. `OPENAI_BASE_URL` of a model stub). Default: none (extractive answers). */
  env?: Record<string, string>;
  /**
   * Serves each request; default: the app's own `fetch`. A test that holds or inspects requests
   * wraps `appFetch` here.
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
  const appFetch = (request: Request) => app.fetch(request);
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
