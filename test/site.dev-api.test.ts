/** `npm run dev:site` forwards the API to the running `npm start`, on the port that server uses. */
import type { AstroUserConfig } from 'astro';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { devApiTarget } from '../site/src/lib/dev-api';

describe('npm run dev:site API forwarding', () => {
  afterEach(() => {
    vi.unstubAllEnvs();
    vi.resetModules();
  });

  it('forwards /api to npm start on PORT, and on 4321 when PORT is unset', () => {
    expect(devApiTarget({ PORT: '8080' })).toBe('http://localhost:8080');
    expect(devApiTarget({ PORT: ' 8080 ' })).toBe('http://localhost:8080');
    expect(devApiTarget({})).toBe('http://localhost:4321');
    expect(devApiTarget({ PORT: '' })).toBe('http://localhost:4321');
  });

  it('is what the Astro config of the site uses', async () => {
    vi.stubEnv('PORT', '4629');
    // By URL: the config is JavaScript, without type declarations.
    const configUrl = new URL('../site/astro.config.mjs', import.meta.url).href;
    const { default: config } = (await import(/* @vite-ignore */ configUrl)) as { default: AstroUserConfig };
    expect(config.vite?.server?.proxy).toEqual({ '/api': 'http://localhost:4629' });
  });
});
