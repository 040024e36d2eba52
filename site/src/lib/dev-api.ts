/**
 * Where `npm run dev:site` (Astro's dev server) forwards `/api`: the `npm start` of the same
 * project, which listens on `PORT` (from the environment or `.env`, as the server reads it).
 */

/** Port `npm start` listens on when `PORT` is unset. */
const DEFAULT_PORT = '4321';

/** The URL of the running Docent server the dev site sends API requests to: `http://localhost:PORT`. */
export function devApiTarget(env: Record<string, string | undefined>): string {
  return `http://localhost:${env.PORT?.trim() || DEFAULT_PORT}`;
}
