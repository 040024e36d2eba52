/**
 * Docent's configuration: environment variables, validated once at start-up.
 *
 * Every variable is documented in `.env.example` and in `content/` (configuration reference).
 * A bad value stops start-up with a message naming the variable and what is wrong with it;
 * secret values are never echoed.
 */
import { z } from 'zod';
import { loadDotEnvFile } from '../env/dot-env';
import { type SharedBuffersSetting, parseSharedBuffers } from './db/buffer-cache';
import { redactSecrets } from './answer/errors';
import { DatabaseUrlError, parseDatabaseLocation, redactUrl } from './db/open';
import { MAX_SOURCE_LENGTH } from './db/source-name';

const SECRET = /(KEY|TOKEN|PASSWORD|SECRET)$/;

const optionalString = z
  .string()
  .trim()
  .optional()
  .transform((v) => (v === '' ? undefined : v));

/** A string with a default; an empty or blank value counts as unset (as for every variable). */
const stringWithDefault = (fallback: string) =>
  z
    .string()
    .trim()
    .optional()
    .transform((v) => (v === undefined || v === '' ? fallback : v));

const booleanString = (fallback: boolean) =>
  z
    .string()
    .trim()
    .toLowerCase()
    .optional()
    .transform((v, ctx) => {
      if (v === undefined || v === '') return fallback;
      if (['true', '1', 'yes', 'on'].includes(v)) return true;
      if (['false', '0', 'no', 'off'].includes(v)) return false;
      ctx.addIssue({ code: 'custom', message: 'expected true or false' });
      return z.NEVER;
    });

const integerString = (fallback: number, min: number, max: number) =>
  z
    .string()
    .trim()
    .optional()
    .transform((v, ctx) => {
      if (v === undefined || v === '') return fallback;
      // Digits only: `Number()` would also read `0x1F90`, `1e3` and `8080.0`.
      const n = /^\d+$/.test(v) ? Number(v) : Number.NaN;
      if (!Number.isInteger(n) || n < min || n > max) {
        ctx.addIssue({ code: 'custom', message: `expected a whole number from ${min} to ${max}` });
        return z.NEVER;
      }
      return n;
    });

/**
 * An http(s) URL. With `keyVariable`, the URL of an API Docent calls with `fetch`, which cannot
 * send a user name or password in a URL (every call would fail): such a URL is refused, pointing
 * to the variable the key belongs in.
 */
const httpUrl = (keyVariable?: string) =>
  z
    .string()
    .trim()
    .optional()
    .transform((v, ctx) => {
      if (v === undefined || v === '') return undefined;
      let url: URL;
      try {
        url = new URL(v);
        if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new Error('not http');
      } catch {
        ctx.addIssue({ code: 'custom', message: 'expected an http:// or https:// URL' });
        return z.NEVER;
      }
      if (keyVariable && (url.username || url.password)) {
        ctx.addIssue({
          code: 'custom',
          message: `remove the user name and password from the URL: requests cannot send them; the key goes in ${keyVariable}`,
        });
        return z.NEVER;
      }
      return v.replace(/\/+$/, '');
    });

/** Smallest `CHAT_CONTEXT_TOKENS` other than 0 (no limit). */
export const MIN_CHAT_CONTEXT_TOKENS = 2_048;

/** Most characters of `ANSWER_INSTRUCTIONS`. */
export const MAX_ANSWER_INSTRUCTIONS = 4_000;

/** The environment variables Docent reads, with their defaults. */
export const envSchema = z.object({
  // Checked here, with every other variable, rather than when the database is opened.
  DATABASE_URL: optionalString.superRefine((v, ctx) => {
    try {
      parseDatabaseLocation(v);
    } catch (error) {
      if (!(error instanceof DatabaseUrlError)) throw error;
      ctx.addIssue({ code: 'custom', message: error.problem });
    }
  }),
  PGLITE_SHARED_BUFFERS: z
    .string()
    .optional()
    .transform((v, ctx) => {
      try {
        return parseSharedBuffers(v);
      } catch (error) {
        ctx.addIssue({ code: 'custom', message: (error as Error).message });
        return z.NEVER;
      }
    }),
  HOST: stringWithDefault('localhost'),
  PORT: integerString(4321, 1, 65535),
  SITE_URL: httpUrl(),
  CONTENT_DIR: stringWithDefault('content'),
  CONTENT_SOURCE: optionalString.superRefine((v, ctx) => {
    if (v !== undefined && v.length > MAX_SOURCE_LENGTH) {
      ctx.addIssue({ code: 'custom', message: `a source name is at most ${MAX_SOURCE_LENGTH} characters, or readers' settings could not prefer or exclude it` });
    }
  }),
  INGEST_ON_START: booleanString(true),
  INGEST_MAX_PAGE_BYTES: integerString(0, 0, 2_000_000_000),
  EMBEDDING_PROVIDER: stringWithDefault('local')
    .transform((v) => v.toLowerCase())
    .pipe(z.enum(['local', 'openai'], { error: 'expected "local" or "openai"' })),
  EMBEDDING_MODEL: stringWithDefault('text-embedding-3-small'),
  EMBEDDING_WORKERS: integerString(0, 0, 64),
  OPENAI_API_KEY: optionalString,
  // The base address (`…/v1`): Docent adds the endpoint. A pasted endpoint would be asked for
  // `…/chat/completions/chat/completions`, which every server answers 404.
  OPENAI_BASE_URL: httpUrl('OPENAI_API_KEY').superRefine((v, ctx) => {
    if (v === undefined) return;
    const url = new URL(v);
    const path = url.pathname.replace(/\/+$/, '');
    const endpoint = /\/(chat\/completions|completions|embeddings|responses)$/i.exec(path)?.[0];
    if (endpoint) {
      ctx.addIssue({
        code: 'custom',
        message: `give the server's base address, without the endpoint ${endpoint} (such as ${url.origin}${path.slice(0, -endpoint.length)}): Docent adds the endpoint itself`,
      });
    }
  }),
  CHAT_MODEL: stringWithDefault('gpt-4o-mini'),
  CHAT_CONTEXT_TOKENS: integerString(0, 0, 10_000_000).refine((v) => v === 0 || v >= MIN_CHAT_CONTEXT_TOKENS, {
    message: `expected 0 (no limit) or at least ${MIN_CHAT_CONTEXT_TOKENS} tokens (the answer alone may take 1200)`,
  }),
  ANSWER_INSTRUCTIONS: optionalString.refine((v) => v === undefined || v.length <= MAX_ANSWER_INSTRUCTIONS, {
    message: `is longer than ${MAX_ANSWER_INSTRUCTIONS} characters; keep it to a few sentences (every answer sends it to the model)`,
  }),
  LANGSMITH_TRACING: booleanString(false),
  LANGSMITH_API_KEY: optionalString,
  LANGSMITH_ENDPOINT: httpUrl('LANGSMITH_API_KEY'),
  LANGSMITH_PROJECT: stringWithDefault('docent'),
  ADMIN_TOKEN: optionalString.refine((v) => v === undefined || v.length >= 16, {
    message: 'must be at least 16 characters (generate one with `openssl rand -hex 32`)',
  }),
  TRUST_PROXY: z
    .string()
    .trim()
    .optional()
    .transform((v, ctx) => {
      if (v === undefined || v === '') return 0;
      const n = Number(v);
      if (!/^\d+$/.test(v) || n > 10) {
        ctx.addIssue({
          code: 'custom',
          message: 'expected the number of reverse proxies in front of Docent, a whole number from 0 to 10 (0: none, 1: one proxy such as nginx)',
        });
        return z.NEVER;
      }
      return n;
    }),
  CORS_ORIGINS: optionalString.transform((v, ctx) => {
    const origins = (v ?? '')
      .split(',')
      .map((s) => s.trim().replace(/\/+$/, ''))
      .filter(Boolean);
    for (const origin of origins) {
      if (origin === '*') continue;
      const problem = originProblem(origin);
      if (problem) {
        ctx.addIssue({ code: 'custom', message: problem });
        return z.NEVER;
      }
    }
    return origins;
  }),
});

/**
 * Why `value` (one entry of `CORS_ORIGINS`) is not an origin as browsers send it, with the fix;
 * `undefined` when it is one. Browsers send origins in lower case and without the scheme's
 * default port, and the entry is compared with them as it is.
 */
export function originProblem(value: string): string | undefined {
  const problem = `"${value}" is not an origin like https://docs.example.com`;
  if (/\s/.test(value)) return `${problem}: separate origins with commas, like https://docs.example.com,https://www.example.com`;
  let url: URL | undefined;
  try {
    url = new URL(value);
  } catch {
    url = undefined;
  }
  if (!url || url.origin === 'null') return `${problem}: write its scheme, host and port (if not the default), like https://docs.example.com or http://localhost:3000`;
  if (url.origin === value) return undefined;
  const fixes: string[] = [];
  if (url.pathname !== '/' || url.search || url.hash) fixes.push('no path');
  const schemeAndHost = value.split(/[/?#]/, 3).join('/');
  if (schemeAndHost !== schemeAndHost.toLowerCase()) fixes.push('in lower case');
  if (!url.port && /^[a-z][a-z\d+.-]*:\/\/[^/?#]*:\d+/i.test(value)) fixes.push('without the default port');
  return `${problem}: write ${url.origin}${fixes.length ? ` (${fixes.join(', ')})` : ''}`;
}

/**
 * A warning for a `SITE_URL` with a path (`https://example.com/docs`): Docent is served at the root
 * of its host (its pages, redirects and API use absolute paths), so a site under a sub-path does
 * not work. `undefined` for a URL without a path.
 */
export function siteUrlWarning(siteUrl: string): string | undefined {
  const { pathname, origin } = new URL(siteUrl);
  if (pathname === '/' || pathname === '') return undefined;
  return (
    `SITE_URL has a path (${pathname}), but Docent must be served at the root of its host: its pages, redirects and API ` +
    `use absolute paths, so it does not work under ${pathname}/. Serve it on a host of its own (${origin.replace('://', '://docs.')}) ` +
    'or embed the chat widget in the other site (see the deployment guide).'
  );
}

export type Env = z.infer<typeof envSchema>;

export interface Config {
  /** `DATABASE_URL`: unset → embedded PGlite at `.data/pglite`. */
  databaseUrl: string | undefined;
  /** `PGLITE_SHARED_BUFFERS`: the embedded database's buffer cache, `auto` (default) or MB (`server/db/buffer-cache.ts`). */
  pgliteSharedBuffers: SharedBuffersSetting;
  host: string;
  port: number;
  /** Public URL of the site, used for absolute links (default `http://localhost:PORT`). */
  siteUrl: string;
  /** `maxPageBytes` (`INGEST_MAX_PAGE_BYTES`): the largest page file ingest reads; undefined: ingest's default (2 MB). */
  content: { dir: string; source: string | undefined; ingestOnStart: boolean; maxPageBytes: number | undefined };
  embedding: { provider: 'local' | 'openai'; model: string; workers: number };
  /**
   * The chat model. `enabled` is false when neither an API key nor a base URL is set: answers are
   * extractive. `instructions` (`ANSWER_INSTRUCTIONS`) are added to the model's rules for every answer.
   * `contextTokens` (`CHAT_CONTEXT_TOKENS`): the model's context window the prompt is fitted into;
   * undefined for no limit.
   */
  llm: {
    enabled: boolean;
    apiKey: string | undefined;
    baseURL: string | undefined;
    model: string;
    instructions: string | undefined;
    contextTokens: number | undefined;
  };
  langsmith: { enabled: boolean; apiKey: string | undefined; endpoint: string | undefined; project: string };
  adminToken: string | undefined;
  corsOrigins: string[];
  /**
   * `TRUST_PROXY`: how many reverse proxies sit in front of Docent and append to
   * `X-Forwarded-For`. 0 (default): the client is the TCP peer and the header is ignored.
   */
  trustProxy: number;
}

/** Thrown for invalid configuration; `problems` are one line per variable. */
export class ConfigError extends Error {
  override readonly name = 'ConfigError';
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}\nSee .env.example for every variable.`);
  }
}

function describeValue(name: string, value: unknown): string {
  if (value === undefined) return '';
  if (SECRET.test(name)) return ' (value hidden)';
  // Any URL may hold a password (a database URL keeps its user name).
  const text = name === 'DATABASE_URL' ? redactUrl(String(value)) : redactSecrets(String(value));
  // A long value (a pasted paragraph) is shown by its start and its length.
  if (text.length > 120) return ` (got ${JSON.stringify(`${text.slice(0, 80)}…`)}, ${text.length} characters)`;
  return ` (got ${JSON.stringify(text)})`;
}

export interface LoadConfigOptions {
  /**
   * The values `.env` holds, to explain a variable the environment sets to an empty value (which
   * wins over `.env`). Default: what {@link loadDotEnv} read, when `env` is `process.env`.
   */
  dotEnv?: Record<string, string | undefined>;
}

/** Validates `env` (default `process.env`) and returns the typed configuration, or throws {@link ConfigError}. */
export function loadConfig(env: Record<string, string | undefined> = process.env, options: LoadConfigOptions = {}): Config {
  const fileProblems = env === process.env && dotEnvProblem ? [dotEnvProblem] : [];
  const parsed = envSchema.safeParse(env);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((issue) => {
      const name = String(issue.path[0] ?? 'environment');
      return `${name}: ${issue.message}${describeValue(name, env[name])}`;
    });
    throw new ConfigError([...fileProblems, ...problems]);
  }
  const e = parsed.data;
  const dotEnv = options.dotEnv ?? (env === process.env ? dotEnvValues : {});
  // A variable that is present but empty counts as unset, and hides its value in .env.
  const empty = (name: string) =>
    env[name] === undefined
      ? undefined
      : dotEnv[name]?.trim()
        ? `${name} is empty in the environment, which overrides its value in .env (remove it from the environment or give it a value there)`
        : `${name} is empty`;
  const problems: string[] = [...fileProblems];
  if (e.EMBEDDING_PROVIDER === 'openai' && !e.OPENAI_API_KEY && !e.OPENAI_BASE_URL) {
    const notes = ['OPENAI_API_KEY', 'OPENAI_BASE_URL'].map(empty).filter(Boolean);
    problems.push(
      `EMBEDDING_PROVIDER: "openai" needs OPENAI_API_KEY (or OPENAI_BASE_URL for a compatible server)${notes.length ? `; ${notes.join('; ')}` : ''}`,
    );
  }
  if (e.LANGSMITH_TRACING && !e.LANGSMITH_API_KEY) {
    problems.push(`LANGSMITH_TRACING: tracing is on but ${empty('LANGSMITH_API_KEY') ?? 'LANGSMITH_API_KEY is not set'}`);
  }
  if (problems.length) throw new ConfigError(problems);

  return {
    databaseUrl: e.DATABASE_URL,
    pgliteSharedBuffers: e.PGLITE_SHARED_BUFFERS,
    host: e.HOST,
    port: e.PORT,
    siteUrl: e.SITE_URL ?? `http://localhost:${e.PORT}`,
    content: { dir: e.CONTENT_DIR, source: e.CONTENT_SOURCE, ingestOnStart: e.INGEST_ON_START, maxPageBytes: e.INGEST_MAX_PAGE_BYTES || undefined },
    embedding: { provider: e.EMBEDDING_PROVIDER, model: e.EMBEDDING_MODEL, workers: e.EMBEDDING_WORKERS },
    llm: {
      enabled: Boolean(e.OPENAI_API_KEY || e.OPENAI_BASE_URL),
      apiKey: e.OPENAI_API_KEY,
      baseURL: e.OPENAI_BASE_URL,
      model: e.CHAT_MODEL,
      instructions: e.ANSWER_INSTRUCTIONS,
      contextTokens: e.CHAT_CONTEXT_TOKENS || undefined,
    },
    langsmith: {
      enabled: e.LANGSMITH_TRACING,
      apiKey: e.LANGSMITH_API_KEY,
      endpoint: e.LANGSMITH_ENDPOINT,
      project: e.LANGSMITH_PROJECT,
    },
    adminToken: e.ADMIN_TOKEN,
    corsOrigins: e.CORS_ORIGINS,
    trustProxy: e.TRUST_PROXY,
  };
}

/** What the last {@link loadDotEnv} read from `.env`. */
let dotEnvValues: Record<string, string | undefined> = {};
/** Why the last {@link loadDotEnv} could not read `.env`, reported by {@link loadConfig} with the other problems. */
let dotEnvProblem: string | undefined;

/**
 * Reads `.env` from the working directory into `process.env` (variables already set win, even
 * when empty; {@link loadConfig} then says so), as `env/dot-env.ts` reads it for every entry point.
 * A `.env` that cannot be read (a folder, no permission) is a configuration problem
 * {@link loadConfig} reports, naming the file.
 */
export function loadDotEnv(path = '.env'): void {
  const file = loadDotEnvFile(path);
  dotEnvProblem = file.problem;
  if (!file.problem) dotEnvValues = file.values;
}
