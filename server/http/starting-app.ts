/**
 * What the server answers while it starts: `server/main.ts` binds the port before it opens and
 * migrates the database (seconds for an embedded database, more for a new one or a long
 * migration), so that a reverse proxy or a reader meanwhile gets an answer rather than "connection
 * refused". The docs site is served as usual; `GET /api/health` answers `200` with `status`
 * `starting`; every other API route answers `503` `server_starting` with `Retry-After`, as it
 * needs the database. Once the database is ready the server hands every request to `createApp()`.
 */
import { Hono } from 'hono';
import type { Config } from '../config';
import type { DatabaseLocation } from '../db/open';
import { apiCors } from './api-cors';
import { compressText } from './compression';
import { errorBody, handleError, handleNotFound } from './errors';
import { type SiteBuildState, withSite } from '../site-build';
import { serveSite } from './static';

/** The `Retry-After` of a `server_starting` answer, in seconds. */
export const STARTING_RETRY_AFTER_S = 5;

/** What readers and API clients are told while the server starts. */
export const STARTING_MESSAGE = 'Docent is starting (opening its database): try again in a few seconds. The docs pages can be read meanwhile.';

export interface StartingAppOptions {
  /** The validated configuration (`loadConfig()`): its CORS origins apply already. */
  config: Pick<Config, 'corsOrigins'>;
  /** Which database is being opened, as `GET /api/health` names it. */
  databaseKind: DatabaseLocation['kind'];
  /** The built docs site, as for `createApp()`. Default `site/dist`; `false` serves no site. */
  siteDir?: string | false;
  /** The build of the site `npm start` runs in the background, as for `createApp()`. Default: none. */
  siteBuild?: () => SiteBuildState | undefined;
}

/** The app served until the database is open and migrated: health says `starting`, the API `503`, the site as usual. */
export function createStartingApp(options: StartingAppOptions): Hono {
  const app = new Hono();
  app.onError(handleError);
  app.notFound(handleNotFound);
  app.use('*', compressText());
  const cors = apiCors(options.config);
  if (cors) app.use('/api/*', cors);
  // `200`, as while the first index is built: the site is served; poll until `status` is `ok` to ask questions.
  app.get('/api/health', (c) => c.json({ status: 'starting', database: options.databaseKind, index: { state: 'starting' }, ...withSite(options.siteBuild) }));
  app.all('/api/*', (c) => {
    c.header('retry-after', String(STARTING_RETRY_AFTER_S));
    return c.json(errorBody('server_starting', STARTING_MESSAGE), 503);
  });
  const siteDir = options.siteDir ?? 'site/dist';
  if (siteDir !== false) app.use('*', serveSite(siteDir, { chatFrameAncestors: options.config.corsOrigins, siteBuild: options.siteBuild }));
  return app;
}
