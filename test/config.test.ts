import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig, loadDotEnv, siteUrlWarning } from '../server/config';
import { loadSiteEnv } from '../site/build';

function problems(env: Record<string, string>): string[] {
  try {
    loadConfig(env);
  } catch (error) {
    if (error instanceof ConfigError) return error.problems;
    throw error;
  }
  return [];
}

describe('loadConfig', () => {
  it('runs with no variables at all: embedded database, local embeddings, extractive answers', () => {
    const config = loadConfig({});
    expect(config).toMatchObject({
      databaseUrl: undefined,
      port: 4321,
      host: 'localhost',
      siteUrl: 'http://localhost:4321',
      content: { dir: 'content', source: undefined, ingestOnStart: true },
      embedding: { provider: 'local', model: 'text-embedding-3-small' },
      llm: { enabled: false, model: 'gpt-4o-mini' },
      langsmith: { enabled: false },
      adminToken: undefined,
      corsOrigins: [],
      trustProxy: 0,
      pgliteSharedBuffers: 'auto',
    });
  });

  it('enables the LLM with a key or an OpenAI-compatible base URL', () => {
    expect(loadConfig({ OPENAI_API_KEY: 'sk-test' }).llm.enabled).toBe(true);
    expect(loadConfig({ OPENAI_BASE_URL: 'http://localhost:11434/v1/' }).llm).toMatchObject({
      enabled: true,
      baseURL: 'http://localhost:11434/v1',
    });
  });

  it('names each bad variable and says what is wrong', () => {
    expect(problems({ PORT: 'eighty' })).toEqual(['PORT: expected a whole number from 1 to 65535 (got "eighty")']);
    expect(problems({ EMBEDDING_PROVIDER: 'cohere' })).toEqual([
      'EMBEDDING_PROVIDER: expected "local" or "openai" (got "cohere")',
    ]);
    expect(problems({ INGEST_ON_START: 'maybe' })).toEqual(['INGEST_ON_START: expected true or false (got "maybe")']);
    expect(problems({ OPENAI_BASE_URL: 'localhost:11434' })[0]).toMatch(/^OPENAI_BASE_URL: expected an http/);
    expect(problems({ CORS_ORIGINS: 'https://a.example.com, docs' })[0]).toMatch(/^CORS_ORIGINS: "docs" is not an origin/);
    expect(problems({ PORT: '0', SITE_URL: 'ftp://x' })).toHaveLength(2);
  });

  it('reads PORT and EMBEDDING_WORKERS as whole numbers in digits only, as the command-line options are', () => {
    expect(loadConfig({ PORT: ' 8080 ', EMBEDDING_WORKERS: '2' })).toMatchObject({ port: 8080, embedding: { workers: 2 } });
    for (const port of ['0x1F90', '1e3', '8080.0', '+8080']) {
      expect(problems({ PORT: port }), port).toEqual([`PORT: expected a whole number from 1 to 65535 (got "${port}")`]);
    }
    expect(problems({ EMBEDDING_WORKERS: '+2' })).toEqual(['EMBEDDING_WORKERS: expected a whole number from 0 to 64 (got "+2")']);
  });

  it('reads ANSWER_INSTRUCTIONS as text for the model, up to 4,000 characters', () => {
    expect(loadConfig({ ANSWER_INSTRUCTIONS: '  Call the product Acme.\n' }).llm.instructions).toBe('Call the product Acme.');
    expect(loadConfig({}).llm.instructions).toBeUndefined();
    expect(problems({ ANSWER_INSTRUCTIONS: 'x'.repeat(4_001) })[0]).toMatch(/^ANSWER_INSTRUCTIONS: is longer than 4000 characters/);
  });

  it('reads CONTENT_SOURCE up to the 300 characters a reader can prefer or exclude, and shows a longer value by its start', () => {
    expect(loadConfig({ CONTENT_SOURCE: ` ${'a'.repeat(300)} ` }).content.source).toBe('a'.repeat(300));
    expect(problems({ CONTENT_SOURCE: 'a'.repeat(301) })).toEqual([
      `CONTENT_SOURCE: a source name is at most 300 characters, or readers' settings could not prefer or exclude it (got "${'a'.repeat(80)}…", 301 characters)`,
    ]);
  });

  it('reads CHAT_CONTEXT_TOKENS as the model’s context window: unset or 0 for no limit, else at least 2048', () => {
    expect(loadConfig({}).llm.contextTokens).toBeUndefined();
    expect(loadConfig({ CHAT_CONTEXT_TOKENS: '0' }).llm.contextTokens).toBeUndefined();
    expect(loadConfig({ CHAT_CONTEXT_TOKENS: '8192' }).llm.contextTokens).toBe(8_192);
    expect(problems({ CHAT_CONTEXT_TOKENS: '1024' })[0]).toMatch(/^CHAT_CONTEXT_TOKENS: expected 0 \(no limit\) or at least 2048 tokens/);
    expect(problems({ CHAT_CONTEXT_TOKENS: '8k' })[0]).toMatch(/^CHAT_CONTEXT_TOKENS: expected a whole number/);
  });

  it('reads INGEST_MAX_PAGE_BYTES as the largest page file ingest reads: unset or 0 for ingest\'s default', () => {
    expect(loadConfig({}).content.maxPageBytes).toBeUndefined();
    expect(loadConfig({ INGEST_MAX_PAGE_BYTES: '0' }).content.maxPageBytes).toBeUndefined();
    expect(loadConfig({ INGEST_MAX_PAGE_BYTES: '20000000' }).content.maxPageBytes).toBe(20_000_000);
    expect(problems({ INGEST_MAX_PAGE_BYTES: '10MB' })[0]).toMatch(/^INGEST_MAX_PAGE_BYTES: expected a whole number/);
  });

  it('never echoes secrets', () => {
    const [problem] = problems({ ADMIN_TOKEN: 'short-secret' });
    expect(problem).toMatch(/^ADMIN_TOKEN: must be at least 16 characters/);
    expect(problem).toContain('(value hidden)');
    expect(problem).not.toContain('short-secret');
  });

  it('reports an unsupported DATABASE_URL scheme with the other problems, without its password', () => {
    const listed = problems({ DATABASE_URL: 'mysql://docent:s3cret@db/docent', PORT: 'eighty' });
    expect(listed).toEqual([
      'DATABASE_URL: unsupported scheme "mysql://"; expected postgres://user:password@host/db, a directory path for an embedded database, ' +
        'or memory:// for a throwaway one (got "mysql://docent:***@db/docent")',
      'PORT: expected a whole number from 1 to 65535 (got "eighty")',
    ]);
    expect(listed.join('\n')).not.toContain('s3cret');
    for (const usable of ['postgres://u:p@h:5432/d', 'postgresql://h/d', 'memory://', 'file:///srv/db', 'var/db']) {
      expect(loadConfig({ DATABASE_URL: usable }).databaseUrl).toBe(usable);
    }
  });

  it('checks variables that depend on each other', () => {
    expect(problems({ EMBEDDING_PROVIDER: 'openai' })).toEqual([
      'EMBEDDING_PROVIDER: "openai" needs OPENAI_API_KEY (or OPENAI_BASE_URL for a compatible server)',
    ]);
    expect(problems({ LANGSMITH_TRACING: 'true' })).toEqual([
      'LANGSMITH_TRACING: tracing is on but LANGSMITH_API_KEY is not set',
    ]);
  });

  it('refuses a user name or password in OPENAI_BASE_URL and LANGSMITH_ENDPOINT, without printing them', () => {
    const listed = problems({
      OPENAI_BASE_URL: 'http://u:hunter2@127.0.0.1:11434/v1',
      LANGSMITH_ENDPOINT: 'https://admin:hunter2@smith.internal',
    });
    expect(listed).toEqual([
      'OPENAI_BASE_URL: remove the user name and password from the URL: requests cannot send them; the key goes in OPENAI_API_KEY (got "http://***@127.0.0.1:11434/v1")',
      'LANGSMITH_ENDPOINT: remove the user name and password from the URL: requests cannot send them; the key goes in LANGSMITH_API_KEY (got "https://***@smith.internal")',
    ]);
    expect(loadConfig({ OPENAI_BASE_URL: 'http://127.0.0.1:11434/v1' }).llm.baseURL).toBe('http://127.0.0.1:11434/v1');
  });

  it('refuses an OPENAI_BASE_URL that is an endpoint (…/v1/chat/completions), which every request would get 404 from', () => {
    expect(problems({ OPENAI_BASE_URL: 'http://localhost:11434/v1/chat/completions/' })).toEqual([
      'OPENAI_BASE_URL: give the server\'s base address, without the endpoint /chat/completions (such as http://localhost:11434/v1): ' +
        'Docent adds the endpoint itself (got "http://localhost:11434/v1/chat/completions/")',
    ]);
    expect(problems({ OPENAI_BASE_URL: 'https://api.example.com/openai/v1/embeddings' })).toEqual([
      'OPENAI_BASE_URL: give the server\'s base address, without the endpoint /embeddings (such as https://api.example.com/openai/v1): ' +
        'Docent adds the endpoint itself (got "https://api.example.com/openai/v1/embeddings")',
    ]);
    for (const usable of ['http://localhost:11434/v1', 'https://openrouter.ai/api/v1', 'http://vllm:8000/v1/']) {
      expect(problems({ OPENAI_BASE_URL: usable }), usable).toEqual([]);
    }
  });

  it('redacts credentials in every value it prints', () => {
    const listed = problems({
      OPENAI_BASE_URL: 'http://admin:hunter2@[bad/v1',
      LANGSMITH_ENDPOINT: 'smith.internal/?api_key=hunter2',
      SITE_URL: 'ftp://admin:hunter2@docs.example.com',
    }).join('\n');
    expect(listed).toContain('OPENAI_BASE_URL: expected an http:// or https:// URL (got "http://***@[bad/v1")');
    expect(listed).toContain('LANGSMITH_ENDPOINT: expected an http:// or https:// URL (got "smith.internal/?api_key=***")');
    expect(listed).toContain('SITE_URL: expected an http:// or https:// URL (got "ftp://***@docs.example.com")');
    expect(listed).not.toContain('hunter2');
  });

  it('says when a required variable is empty in the environment, which hides its value in .env', () => {
    const dotEnv = { LANGSMITH_API_KEY: 'lsv2_from_dotenv', OPENAI_API_KEY: 'sk-from-dotenv' };
    expect(problems({ LANGSMITH_TRACING: 'true', LANGSMITH_API_KEY: '' })).toEqual([
      'LANGSMITH_TRACING: tracing is on but LANGSMITH_API_KEY is empty',
    ]);
    const shadowed = (env: Record<string, string>) => {
      try {
        loadConfig(env, { dotEnv });
      } catch (error) {
        return (error as ConfigError).problems;
      }
      return [];
    };
    expect(shadowed({ LANGSMITH_TRACING: 'true', LANGSMITH_API_KEY: ' ' })).toEqual([
      'LANGSMITH_TRACING: tracing is on but LANGSMITH_API_KEY is empty in the environment, which overrides its value in .env ' +
        '(remove it from the environment or give it a value there)',
    ]);
    expect(shadowed({ EMBEDDING_PROVIDER: 'openai', OPENAI_API_KEY: '' })).toEqual([
      'EMBEDDING_PROVIDER: "openai" needs OPENAI_API_KEY (or OPENAI_BASE_URL for a compatible server); ' +
        'OPENAI_API_KEY is empty in the environment, which overrides its value in .env (remove it from the environment or give it a value there)',
    ]);
  });

  it('loadDotEnv() keeps what the environment sets, and loadConfig() explains an empty variable hiding .env', () => {
    const dir = mkdtempSync(join(tmpdir(), 'docent-env-'));
    const saved = { LANGSMITH_TRACING: process.env.LANGSMITH_TRACING, LANGSMITH_API_KEY: process.env.LANGSMITH_API_KEY };
    try {
      writeFileSync(join(dir, '.env'), 'LANGSMITH_TRACING=true\nLANGSMITH_API_KEY=lsv2_from_dotenv\n');
      delete process.env.LANGSMITH_TRACING;
      process.env.LANGSMITH_API_KEY = '';
      loadDotEnv(join(dir, '.env'));
      expect(process.env.LANGSMITH_TRACING).toBe('true');
      expect(process.env.LANGSMITH_API_KEY).toBe('');
      expect(() => loadConfig()).toThrow(/LANGSMITH_API_KEY is empty in the environment, which overrides its value in \.env/);
    } finally {
      for (const [name, value] of Object.entries(saved)) {
        if (value === undefined) delete process.env[name];
        else process.env[name] = value;
      }
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('loadDotEnv() reads a .env saved with a byte-order mark or as UTF-16, as Windows editors and PowerShell save it', () => {
    const dir = mkdtempSync(join(tmpdir(), 'docent-env-'));
    const names = ['CHAT_MODEL', 'LANGSMITH_PROJECT'] as const;
    const saved = Object.fromEntries(names.map((name) => [name, process.env[name]]));
    const text = 'CHAT_MODEL=llama3.1\r\nLANGSMITH_PROJECT=docs-bot\r\n';
    const encodings: Array<[string, Buffer]> = [
      ['UTF-8 with a byte-order mark', Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(text, 'utf8')])],
      ['UTF-16 LE', Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(text, 'utf16le')])],
      ['UTF-16 BE', Buffer.concat([Buffer.from([0xfe, 0xff]), Buffer.from(text, 'utf16le').swap16()])],
    ];
    try {
      for (const [encoding, bytes] of encodings) {
        for (const name of names) delete process.env[name];
        writeFileSync(join(dir, '.env'), bytes);
        loadDotEnv(join(dir, '.env'));
        expect({ encoding, CHAT_MODEL: process.env.CHAT_MODEL, LANGSMITH_PROJECT: process.env.LANGSMITH_PROJECT }).toEqual({
          encoding,
          CHAT_MODEL: 'llama3.1',
          LANGSMITH_PROJECT: 'docs-bot',
        });
        expect(loadConfig().llm.model).toBe('llama3.1');
      }
    } finally {
      for (const [name, value] of Object.entries(saved)) {
        if (value === undefined) delete process.env[name];
        else process.env[name] = value;
      }
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('the site build (npm run build:site, astro.config.mjs) reads .env as the server does: a byte-order mark or UTF-16 hides no variable', () => {
    const dir = mkdtempSync(join(tmpdir(), 'docent-env-'));
    const names = ['CONTENT_DIR', 'SITE_OUT_DIR'] as const;
    const saved = Object.fromEntries(names.map((name) => [name, process.env[name]]));
    const text = 'CONTENT_DIR=docs\r\nSITE_OUT_DIR=build/site\r\n';
    try {
      for (const bytes of [
        Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(text, 'utf8')]),
        Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(text, 'utf16le')]),
      ]) {
        for (const name of names) delete process.env[name];
        writeFileSync(join(dir, '.env'), bytes);
        loadSiteEnv(join(dir, '.env'));
        expect({ CONTENT_DIR: process.env.CONTENT_DIR, SITE_OUT_DIR: process.env.SITE_OUT_DIR }).toEqual({ CONTENT_DIR: 'docs', SITE_OUT_DIR: 'build/site' });
      }
      // What the environment sets wins, as for the server; a .env that is a folder is named.
      process.env.CONTENT_DIR = 'from-env';
      loadSiteEnv(join(dir, '.env'));
      expect(process.env.CONTENT_DIR).toBe('from-env');
      mkdirSync(join(dir, 'folder', '.env'), { recursive: true });
      expect(() => loadSiteEnv(join(dir, 'folder', '.env'))).toThrow(`${join(dir, 'folder', '.env')}: cannot be read (it is a folder); it should be a file of NAME=value lines, or be removed`);
    } finally {
      for (const [name, value] of Object.entries(saved)) {
        if (value === undefined) delete process.env[name];
        else process.env[name] = value;
      }
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('a .env that cannot be read (a folder) is a configuration problem naming it, with the others, not a crash', () => {
    const dir = mkdtempSync(join(tmpdir(), 'docent-env-'));
    const saved = process.env.PORT;
    try {
      const path = join(dir, '.env');
      mkdirSync(path);
      expect(() => loadDotEnv(path)).not.toThrow();
      process.env.PORT = 'eighty';
      let error: unknown;
      try {
        loadConfig();
      } catch (caught) {
        error = caught;
      }
      expect(error).toBeInstanceOf(ConfigError);
      expect((error as ConfigError).problems).toEqual([
        `${path}: cannot be read (it is a folder); it should be a file of NAME=value lines, or be removed`,
        'PORT: expected a whole number from 1 to 65535 (got "eighty")',
      ]);
      // Only the environment it was read into is concerned, and a .env read later clears it.
      expect(() => loadConfig({})).not.toThrow();
      rmSync(path, { recursive: true });
      loadDotEnv(path);
      delete process.env.PORT;
      expect(() => loadConfig()).not.toThrow();
    } finally {
      if (saved === undefined) delete process.env.PORT;
      else process.env.PORT = saved;
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('treats an empty or blank value as unset, for every variable', () => {
    const blank = Object.fromEntries(
      ['PGLITE_SHARED_BUFFERS', 'HOST', 'PORT', 'CONTENT_DIR', 'INGEST_ON_START', 'EMBEDDING_PROVIDER', 'EMBEDDING_MODEL', 'CHAT_MODEL', 'LANGSMITH_PROJECT', 'SITE_URL', 'ADMIN_TOKEN'].map(
        (name) => [name, '  '],
      ),
    );
    expect(loadConfig(blank)).toEqual(loadConfig({}));
  });

  it('reads TRUST_PROXY as a number of proxy hops, with a clear error otherwise', () => {
    expect(loadConfig({ TRUST_PROXY: '2' }).trustProxy).toBe(2);
    expect(loadConfig({ TRUST_PROXY: ' ' }).trustProxy).toBe(0);
    for (const bad of ['true', '-1', '1.5', '11']) {
      expect(problems({ TRUST_PROXY: bad })).toEqual([
        `TRUST_PROXY: expected the number of reverse proxies in front of Docent, a whole number from 0 to 10 (0: none, 1: one proxy such as nginx) (got "${bad}")`,
      ]);
    }
  });

  it('reads PGLITE_SHARED_BUFFERS as auto or a size, with a clear error otherwise', () => {
    expect(loadConfig({}).pgliteSharedBuffers).toBe('auto');
    expect(loadConfig({ PGLITE_SHARED_BUFFERS: '512MB' }).pgliteSharedBuffers).toBe(512);
    expect(problems({ PGLITE_SHARED_BUFFERS: '512' })).toEqual([
      'PGLITE_SHARED_BUFFERS: expected "auto" or a size from 16MB to 1536MB, such as 256MB (got "512")',
    ]);
  });

  it('says how to fix a CORS_ORIGINS entry browsers never send: case, default port, path, spaces, no scheme', () => {
    expect(problems({ CORS_ORIGINS: 'HTTP://Localhost:4462' })[0]).toMatch(
      /^CORS_ORIGINS: "HTTP:\/\/Localhost:4462" is not an origin like https:\/\/docs\.example\.com: write http:\/\/localhost:4462 \(in lower case\)/,
    );
    expect(problems({ CORS_ORIGINS: 'http://localhost:80' })[0]).toMatch(/: write http:\/\/localhost \(without the default port\)/);
    expect(problems({ CORS_ORIGINS: 'https://docs.example.com:443' })[0]).toMatch(/: write https:\/\/docs\.example\.com \(without the default port\)/);
    expect(problems({ CORS_ORIGINS: 'https://example.com/docs' })[0]).toMatch(/: write https:\/\/example\.com \(no path\)/);
    expect(problems({ CORS_ORIGINS: 'https://a.example.com https://b.example.com' })[0]).toMatch(/: separate origins with commas/);
    expect(problems({ CORS_ORIGINS: 'localhost:4462' })[0]).toMatch(/: write its scheme, host and port/);
    expect(loadConfig({ CORS_ORIGINS: 'http://localhost:8080,https://docs.example.com' }).corsOrigins).toEqual(['http://localhost:8080', 'https://docs.example.com']);
  });

  it('parses CORS origins as a list', () => {
    expect(loadConfig({ CORS_ORIGINS: 'https://a.example.com, http://localhost:3000/' }).corsOrigins).toEqual([
      'https://a.example.com',
      'http://localhost:3000',
    ]);
  });
});

describe('siteUrlWarning', () => {
  it('warns that a SITE_URL with a path (a sub-path deployment) is not supported, and names what works instead', () => {
    const warning = siteUrlWarning(loadConfig({ SITE_URL: 'https://example.com/docs/' }).siteUrl);
    expect(warning).toContain('SITE_URL has a path (/docs)');
    expect(warning).toContain('does not work under /docs/');
    expect(warning).toContain('https://docs.example.com');
  });

  it('says nothing for a SITE_URL at the root of its host', () => {
    expect(siteUrlWarning(loadConfig({ SITE_URL: 'https://docs.example.com/' }).siteUrl)).toBeUndefined();
    expect(siteUrlWarning(loadConfig({}).siteUrl)).toBeUndefined();
  });
});
