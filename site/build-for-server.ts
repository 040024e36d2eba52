/**
 * The site build `npm start` runs in a child process once its port is bound
 * (`server/site-build.ts` starts it): `runSiteBuild({ ifStale: true })` into the folder given as
 * the only argument, the one the server serves. It tells the server over IPC when a build starts
 * (with an estimate of its length) and how it ended (`SiteBuildMessage`); its output is the
 * server's. `CONTENT_DIR` comes from the server's environment.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { SiteBuildMessage } from '../server/site-build';
import { runSiteBuild } from './build';

const tell = (message: SiteBuildMessage) => new Promise<void>((resolve) => (process.send ? process.send(message, () => resolve()) : resolve()));

async function main() {
  const outDir = process.argv[2];
  if (!outDir) throw new Error('usage: site/build-for-server.ts <site folder>');
  let building: Promise<void> | undefined;
  const outcome = await runSiteBuild({ ifStale: true, outDir, onBuilding: (estimatedSeconds) => void (building = tell({ siteBuild: 'building', estimatedSeconds })) });
  await building;
  if (outcome !== 'failed') return tell({ siteBuild: outcome });
  const reason = existsSync(join(outDir, 'index.html'))
    ? 'The docs site could not be rebuilt (the server log names the page): the site built before is served, out of date.'
    : 'The docs site could not be built (the server log names the page): there is no site to serve until a build succeeds.';
  return tell({ siteBuild: 'failed', reason });
}

main().then(
  () => process.disconnect?.(),
  (error: unknown) => {
    console.error(`[docent] the docs site could not be built: ${error instanceof Error ? error.message : String(error)}`);
    process.exit(1);
  },
);
