/**
 * The port `npm run dev:site` serves the docs site on (`astro.config.mjs` sets it from here; the
 * server's busy-port hint skips it): one place, so the two cannot disagree.
 */
export const DEV_SITE_PORT = 4322;
