/**
 * Builds the docs site: Astro (pages from CONTENT_DIR) then the standalone widget (`widget.js` and
 * its chat script, `site/build-widget.ts`),
 * into `site/dist`, which the server serves. The build is made in a folder beside it and put in its
 * place only when it succeeded, so a failed build leaves the site that was served as it was.
 *
 *   npm run build:site              build now
 *   tsx site/build.ts --if-stale    build only when the site, the content or the dependencies
 *                                   changed since the last build (`npm start` runs this in the
 *                                   background once its port is bound: site/build-for-server.ts)
 *
 * CONTENT_DIR comes from the environment or `.env`, as for the server; SITE_OUT_DIR, when set,
 * is the folder built instead of `site/dist` (relative to the project root, as CONTENT_DIR).
 */
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, lstatSync, mkdirSync, readdirSync, readFileSync, realpathSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { basename, dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadDotEnvFile } from '../env/dot-env';
import { scriptArguments } from '../server/cli/script-args';
import { includedSnippets, snippetBasePaths, snippetFileReader } from '../ingest/snippets';
import { maxPageBytesOf } from '../ingest/scan';
import { acquireSiteBuildLock, isRunning } from './build-lock';
import { pageProgress } from './build-progress';

export const PROJECT_ROOT = resolve(fileURLToPath(new URL('..', import.meta.url)));
const STAMP = '.docent-build';
/** Beside the stamp: how long the build took and of how many pages, for the next build's estimate. */
const DURATION = '.docent-build-time.json';
const IGNORED = new Set(['dist', '.astro', 'node_modules']);
/** The folders a build of `<name>` is made in, and the one it replaces is moved to: `dist.building-123-x7`, `dist.old-123-x7`. */
const BUILD_FOLDER = /^(.*)\.(building|old)-(\d+)-[a-z\d]+$/;
/** The build lock beside `<name>` and its passing copies (`site/build-lock.ts`): `dist.build-lock`, `dist.build-lock.stale-123-x7`. */
const BUILD_LOCK = /\.build-lock($|\.)/;

export interface BuildSiteOptions {
  /** The docs folder (absolute, or relative to the project root). Default `CONTENT_DIR` or `content`. */
  contentDir?: string;
  /** Output folder. Default `site/dist`. */
  outDir?: string;
  /** Astro's cache folder. Default Astro's (`site/node_modules/.astro`). */
  cacheDir?: string;
  /** Extra environment for the build (e.g. `SITE_URL`). */
  env?: Record<string, string>;
  /**
   * Hears the site's own notices about pages (`[docent] …` lines of the build's output: a page
   * built as text because it is not valid MDX, a page left out because ingest cannot parse it, an
   * image shown as its alt text), once each. Default: none (a successful build's output is not
   * shown).
   */
  onNotice?: (line: string) => void;
  /** Hears how many pages have been written, every 250 pages, while the build runs. Default: none. */
  onPagesBuilt?: (pages: number) => void;
}

/** About how long a build of `pages` pages takes on a typical machine, in seconds: Astro's start-up, then each page. */
function typicalBuildSeconds(pages: number): number {
  return 30 + pages * 0.03;
}

/** How many pages the site of `contentDir` has (its markdown and MDX files). */
function pageCount(contentDir: string): number {
  return files(resolve(PROJECT_ROOT, contentDir)).filter((file) => /\.(md|mdx|markdown)$/i.test(file)).length;
}

/** What the last successful build into `outDir` measured (`{ seconds, pages }`), if it recorded it. */
export function lastBuildDuration(outDir: string): { seconds: number; pages: number } | undefined {
  try {
    const { seconds, pages } = JSON.parse(readFileSync(join(outDir, DURATION), 'utf8')) as { seconds: unknown; pages: unknown };
    if (typeof seconds === 'number' && seconds > 0 && Number.isFinite(seconds) && typeof pages === 'number' && pages >= 0) return { seconds, pages };
  } catch {
    // none recorded (a site built before Docent recorded it) or unreadable: the typical machine's
  }
  return undefined;
}

/**
 * About how long a build of `contentDir` into `outDir` takes, in seconds. When the build there
 * before recorded how long it took, that time scaled to the pages now: this machine's speed
 * (measured time over a typical machine's for those pages) times a typical machine's time for
 * the pages now. Otherwise a typical machine's: 30 s of Astro's start-up, then 0.03 s a page.
 */
export function estimatedBuildSeconds(contentDir: string, outDir?: string): number {
  const pages = pageCount(contentDir);
  const last = outDir === undefined ? undefined : lastBuildDuration(outDir);
  const speed = last ? last.seconds / typicalBuildSeconds(last.pages) : 1;
  return Math.max(1, Math.round(speed * typicalBuildSeconds(pages)));
}

/**
 * Every file under `path`. Like ingest (and so the site), it follows links to files but not links
 * to folders: what a linked folder holds is not built, and a link loop cannot make it recurse.
 */
function files(path: string): string[] {
  if (!existsSync(path)) return [];
  if (statSync(path).isFile()) return [path];
  return readdirSync(path, { withFileTypes: true })
    .filter((e) => !IGNORED.has(e.name) && !BUILD_FOLDER.test(e.name) && !BUILD_LOCK.test(e.name) && (e.isDirectory() || e.isFile() || (e.isSymbolicLink() && isFile(join(path, e.name)))))
    .flatMap((e) => files(join(path, e.name)));
}

function isFile(path: string): boolean {
  try {
    return statSync(path).isFile();
  } catch {
    return false; // a broken link or a link loop
  }
}

/**
 * The modules outside `site/` and `ingest/` that the site's pages and config import, directly or
 * through ingest's modules (`test/site.inputs-hash.test.ts` follows the imports and checks the
 * list): a change to one changes the pages, so it is an input of the build.
 */
export const SITE_MODULES_ELSEWHERE = ['env/dot-env.ts', 'server/db/page-names.ts', 'server/embed/provider.ts', 'server/retrieval/languages.ts'];

/**
 * A hash of everything the built site depends on: the site's sources, the content and the MkDocs
 * snippets it includes, a Docusaurus `static/` folder beside the content, the lock file,
 * ingest's modules (the site reads pages with ingest's code: page list, URLs, anchors, the
 * syntax of other generators) and the few others it imports ({@link SITE_MODULES_ELSEWHERE}).
 * All of `ingest/`, so a module the site starts to import is never left out; a change to one it
 * does not import only costs a rebuild. And the largest page built (`INGEST_MAX_PAGE_BYTES` of
 * the environment), which decides whether a large page is built.
 */
export function siteInputsHash(contentDir: string): string {
  const hash = createHash('sha256');
  // A Docusaurus `static/` folder beside the content folder: pages show its images (`/img/a.png`).
  const inputs = [
    join(PROJECT_ROOT, 'site'),
    resolve(PROJECT_ROOT, contentDir),
    join(resolve(PROJECT_ROOT, contentDir), '../static'),
    join(PROJECT_ROOT, 'ingest'),
    join(PROJECT_ROOT, 'package-lock.json'),
    ...SITE_MODULES_ELSEWHERE.map((module) => join(PROJECT_ROOT, module)),
  ];
  // The largest page built (INGEST_MAX_PAGE_BYTES): a page over it is left out, one under it built.
  hash.update(`maxPageBytes=${maxPageBytesOf(process.env)}\0`);
  const readSnippet = snippetFileReader(snippetBasePaths(resolve(PROJECT_ROOT, contentDir)));
  for (const file of inputs.flatMap(files).sort()) {
    const content = readFileSync(file);
    hash.update(relative(PROJECT_ROOT, file)).update('\0').update(content).update('\0');
    // The MkDocs snippets a page includes, which may live outside the content folder.
    if (/\.mdx?$/.test(file)) for (const [name, text] of includedSnippets(content.toString('utf8'), readSnippet)) hash.update(name).update('\0').update(text).update('\0');
  }
  return hash.digest('hex').slice(0, 16);
}

function run(script: string, args: string[], env: Record<string, string>, onOutput?: (text: string) => void): Promise<string> {
  return new Promise((resolveRun, reject) => {
    const child = spawn(process.execPath, [join(PROJECT_ROOT, script), ...args], {
      cwd: PROJECT_ROOT,
      env: { ...process.env, NODE_ENV: 'production', ASTRO_TELEMETRY_DISABLED: '1', ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout.on('data', (d: Buffer) => {
      const text = d.toString();
      output += text;
      onOutput?.(text);
    });
    child.stderr.on('data', (d: Buffer) => (output += d.toString()));
    child.on('error', reject);
    child.on('exit', (code) => (code === 0 ? resolveRun(output) : reject(new Error(`${script} ${args.join(' ')} failed (exit ${code}):\n${output.slice(-6000)}`))));
  });
}

/**
 * Builds the site into `outDir` and records the inputs' hash there. Returns the output folder.
 *
 * The build is made in a new folder beside `outDir` and renamed into its place only when it
 * succeeded (the folder it replaces is renamed away, then removed): a failed build leaves the site
 * that was there, and a server serving `outDir` meanwhile answers from the old build or the new
 * one, but for the instant between the two renames; a file it is sending stays readable. When
 * `outDir` is a symbolic link, the folder it points at is replaced. It takes no build lock
 * ({@link runSiteBuild} does): two at once into one folder both build, and the last one stays.
 */
export async function buildSite(options: BuildSiteOptions = {}): Promise<string> {
  const contentDir = options.contentDir ?? (process.env.CONTENT_DIR?.trim() || 'content');
  const outDir = resolve(PROJECT_ROOT, options.outDir ?? 'site/dist');
  const target = linkTarget(outDir) ?? outDir;
  const outProblem = outFolderProblem(target);
  if (outProblem) throw new Error(`${outDir} ${outProblem}; nothing was built or removed.`);
  removeAbandonedBuilds(target);
  const building = `${target}.building-${process.pid}-${Math.random().toString(36).slice(2, 8)}`;
  // The inputs as the build reads them: a change made during the build makes the next start build again.
  const hash = siteInputsHash(contentDir);
  const pages = pageCount(contentDir);
  const started = Date.now();
  const env: Record<string, string> = { ...options.env, CONTENT_DIR: contentDir, SITE_OUT_DIR: building };
  if (options.cacheDir) env.SITE_CACHE_DIR = resolve(PROJECT_ROOT, options.cacheDir);
  try {
    const onPagesBuilt = options.onPagesBuilt;
    const output = await run('node_modules/astro/astro.js', ['build', '--root', 'site'], env, onPagesBuilt && pageProgress(onPagesBuilt));
    const notices = new Set(output.split('\n').flatMap((line) => (line.includes('[docent] ') ? [line.slice(line.indexOf('[docent] ')).trimEnd()] : [])));
    for (const notice of notices) options.onNotice?.(notice);
    await run('node_modules/tsx/dist/cli.mjs', ['site/build-widget.ts'], env);
    writeFileSync(join(building, STAMP), `${hash}\n`);
    writeFileSync(join(building, DURATION), `${JSON.stringify({ seconds: Math.round((Date.now() - started) / 100) / 10, pages })}\n`);
    replaceFolder(target, building);
  } finally {
    rmSync(building, { recursive: true, force: true });
  }
  return outDir;
}

/** The folder the symbolic link `path` points at, when it is one that does. */
function linkTarget(path: string): string | undefined {
  try {
    return lstatSync(path).isSymbolicLink() ? realpathSync(path) : undefined;
  } catch {
    return undefined; // no such file, or a broken link (replaced by the build)
  }
}

/**
 * Puts the folder `next` in the place of `folder` by renaming: the old folder is renamed away
 * first (a folder cannot be renamed over one that has files), then removed.
 */
export function replaceFolder(folder: string, next: string): void {
  const old = `${folder}.old-${process.pid}-${Math.random().toString(36).slice(2, 8)}`;
  let moved = false;
  try {
    renameSync(folder, old);
    moved = true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  }
  try {
    renameSync(next, folder);
  } catch (error) {
    if (moved) renameSync(old, folder);
    throw error;
  }
  if (moved) rmSync(old, { recursive: true, force: true });
}

/** Removes the build folders beside `outDir` that a build which is no longer running left (killed mid-build). */
function removeAbandonedBuilds(outDir: string): void {
  let entries: string[];
  try {
    entries = readdirSync(dirname(outDir));
  } catch {
    return;
  }
  for (const entry of entries) {
    const match = BUILD_FOLDER.exec(entry);
    if (match?.[1] === basename(outDir) && !isRunning(Number(match[3]))) rmSync(join(dirname(outDir), entry), { recursive: true, force: true });
  }
}

/**
 * What is wrong with `dir` as the folder a build replaces (`site/dist`, `SITE_OUT_DIR`), if
 * anything. The build replaces the whole folder, and removes what was in it: so it must be new,
 * empty, or a site built before (its stamp, or its `widget.js`), never a folder of other files
 * (`SITE_OUT_DIR=content` would delete the docs, `SITE_OUT_DIR=.` the project).
 */
export function outFolderProblem(dir: string): string | undefined {
  let entries: string[];
  try {
    if (!statSync(dir).isDirectory()) return 'is a file, not a folder';
    entries = readdirSync(dir);
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'ENOENT' ? undefined : `cannot be read (${(error as NodeJS.ErrnoException).code})`;
  }
  if (entries.length === 0 || entries.includes(STAMP) || entries.includes('widget.js')) return undefined;
  const some = `${entries.slice(0, 3).join(', ')}${entries.length > 3 ? ', …' : ''}`;
  return `holds other files (${some}) than a docs site built before, and a build replaces the whole folder: name a new or empty folder`;
}

/** What is wrong with `dir` as the content folder (`does not exist`, `is not a folder`), if anything. */
function contentFolderProblem(dir: string): string | undefined {
  try {
    return statSync(dir).isDirectory() ? undefined : 'is not a folder';
  } catch {
    return 'does not exist';
  }
}

/** Whether `outDir` holds a build of exactly the current inputs. */
export function isSiteFresh(contentDir: string, outDir = join(PROJECT_ROOT, 'site/dist')): boolean {
  try {
    return readFileSync(join(outDir, STAMP), 'utf8').trim() === siteInputsHash(contentDir) && existsSync(join(outDir, 'widget.js'));
  } catch {
    return false;
  }
}

/** The options of {@link runSiteBuild}. */
export interface RunSiteBuildOptions extends BuildSiteOptions {
  /** Build only when the site's inputs changed since the last build; a failed build is reported, not thrown. */
  ifStale?: boolean;
  log?: (line: string) => void;
  warn?: (line: string) => void;
  /**
   * Hears that a build starts (the site was stale), with about how long it takes in seconds; also
   * that another process is building the site this one waits for, with about how long it has left.
   */
  onBuilding?: (estimatedSeconds: number) => void;
}

/**
 * `npm run build:site`, and with `ifStale` what `npm start` runs in the background once its port
 * is bound: a build only when the site's inputs changed since the last one. With `ifStale`, a
 * build that fails does not stop Docent: the error is printed, with the page it names, and the
 * server goes on serving the site built before (or none), since ingest, the API and answers do not
 * depend on the site; the next start tries again. Without it, a failed build throws. A `CONTENT_DIR` that does not
 * exist or is not a folder throws before anything is built (the site built before stays); with
 * `ifStale`, it is a warning, and the site built before is served (without one, a site with no
 * pages is built). One build at a time into a site folder (`site/build-lock.ts`): while another
 * process builds it, this one waits, then, with `ifStale`, finds it fresh (or builds after it).
 * Returns what happened.
 */
export async function runSiteBuild(options: RunSiteBuildOptions = {}): Promise<'fresh' | 'built' | 'failed'> {
  const contentDir = options.contentDir ?? (process.env.CONTENT_DIR?.trim() || 'content');
  const log = options.log ?? console.log;
  const warn = options.warn ?? console.error;
  const outDir = resolve(PROJECT_ROOT, options.outDir ?? 'site/dist');
  if (options.ifStale && isSiteFresh(contentDir, outDir)) return 'fresh';
  // One build at a time into a site folder: another Docent started from this checkout may be
  // building it now. Then this one waits, and finds the site it built fresh (or builds after it).
  const target = linkTarget(outDir) ?? outDir;
  mkdirSync(dirname(target), { recursive: true });
  const lock = await acquireSiteBuildLock(target, {
    onWaiting: (holder) => {
      const left = Math.max(5, Math.round((holder.estimatedSeconds ?? estimatedBuildSeconds(contentDir, outDir)) - (Date.now() - holder.since) / 1000));
      options.onBuilding?.(left);
      log(`[docent] another Docent (process ${holder.pid}) is building the docs site into ${relative(process.cwd(), outDir) || outDir}: waiting for it (about ${left} s) …`);
    },
  });
  try {
    if (options.ifStale && isSiteFresh(contentDir, outDir)) return 'fresh';
    return await buildUnlocked(contentDir, outDir, options, log, warn, (estimatedSeconds) => lock.update({ estimatedSeconds }));
  } finally {
    lock.release();
  }
}

/** {@link runSiteBuild} once it holds the build lock of `outDir`. */
async function buildUnlocked(
  contentDir: string,
  outDir: string,
  options: RunSiteBuildOptions,
  log: (line: string) => void,
  warn: (line: string) => void,
  onEstimate: (estimatedSeconds: number) => void,
): Promise<'built' | 'failed'> {
  // Before anything else: a build into a folder of other files would remove them.
  const outProblem = outFolderProblem(linkTarget(outDir) ?? outDir);
  if (outProblem) {
    const what = `the docs site's folder ${relative(process.cwd(), outDir) || outDir} (SITE_OUT_DIR) ${outProblem}`;
    if (!options.ifStale) throw new Error(`${what}: the site was not built, and nothing was removed.`);
    warn(`[docent] ${what}: the docs site is not built, and nothing was removed.`);
    return 'failed';
  }
  const problem = contentFolderProblem(resolve(PROJECT_ROOT, contentDir));
  if (problem) {
    const what = `CONTENT_DIR "${contentDir}" ${problem} (set CONTENT_DIR to the folder of your markdown files)`;
    // A typo in CONTENT_DIR must not pass a build (CI, a Docker image) with a site of no pages.
    if (!options.ifStale) throw new Error(`${what}: the site was not built; ${relative(process.cwd(), outDir) || outDir} is as it was.`);
    // `npm start` serves the index as it was (ingest on start skips the folder too): so the site.
    if (existsSync(join(outDir, STAMP))) {
      warn(`[docent] ${what}: the docs site is not rebuilt; serving the one built before.`);
      return 'failed';
    }
    warn(`[docent] ${what}: the site will have no pages.`);
  }
  const started = Date.now();
  const estimate = estimatedBuildSeconds(contentDir, outDir);
  onEstimate(estimate);
  options.onBuilding?.(estimate);
  log(`[docent] building the docs site from ${contentDir}/ (about ${estimate} s) …`);
  try {
    const onPagesBuilt = options.onPagesBuilt ?? ((pages: number) => log(`[docent] ${pages} pages built …`));
    const outDir = await buildSite({ ...options, contentDir, onNotice: options.onNotice ?? warn, onPagesBuilt });
    log(`[docent] site built in ${((Date.now() - started) / 1000).toFixed(1)} s: ${relative(process.cwd(), outDir) || outDir}`);
    return 'built';
  } catch (error) {
    if (!options.ifStale) throw error;
    const served = existsSync(join(outDir, 'index.html')) ? 'the site built before is served, out of date' : 'there is no site to serve until a build succeeds';
    warn(`[docent] the docs site could not be built: ${served} (ingest, the API and answers work).`);
    warn('[docent] Fix the page named below, then restart or run npm run build:site.');
    // The build's last lines name the page and the error; what comes before is progress.
    const lines = (error instanceof Error ? error.message : String(error)).split('\n').filter((l) => l.trim() !== '');
    for (const line of lines.slice(-12)) warn(`[docent]   ${line}`);
    return 'failed';
  }
}

const USAGE = `Usage: npm run build:site [-- --if-stale]

Builds the docs site (pages from CONTENT_DIR) and the standalone widget into site/dist (or
SITE_OUT_DIR); a failed build leaves the site served before as it was.

  --if-stale   build only when the site, the content or the dependencies changed since the last build
  -h, --help   show this help`;

/**
 * Reads the project's `.env` into `process.env` as the server reads it (`env/dot-env.ts`: a
 * byte-order mark or UTF-16, as Windows editors save it, hides no variable), for `CONTENT_DIR`
 * and `SITE_OUT_DIR`. Throws, naming the file, when it cannot be read.
 */
export function loadSiteEnv(envFile = join(PROJECT_ROOT, '.env')): void {
  const { problem } = loadDotEnvFile(envFile);
  if (problem) throw new Error(problem);
}

async function main() {
  // Strict, so that a mistyped option (or --help) does not start a build of half a minute.
  const { values } = scriptArguments({ command: 'build:site', usage: USAGE, options: { 'if-stale': { type: 'boolean' } } });
  loadSiteEnv();
  // SITE_OUT_DIR builds elsewhere (another docs folder, beside the site `npm start` serves).
  await runSiteBuild({ ifStale: values['if-stale'] === true, outDir: process.env.SITE_OUT_DIR?.trim() || undefined });
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  main().catch((error: unknown) => {
    console.error(`[docent] ${error instanceof Error ? error.message : String(error)}`);
    process.exit(1);
  });
}
