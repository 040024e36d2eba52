/**
 * `POST /api/chat`: a source's link to a file the docs site publishes (`./spec.pdf`) leads to that
 * file on the site in the answer, quoted (extractive) or copied by the model
 * (server/answer/site-files.ts, wired by `createApp({ contentSource })`).
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../server/config';
import { createApp } from '../server/http/app';
import { createClient } from './helpers/client';
import { createTestDatabase, DRIVER_KINDS, type TestDatabase } from './helpers/database';
import { createHashingEmbedder } from './helpers/embedder';
import { type OpenAIStub, startOpenAIStub } from './helpers/openai-stub';
import { seedDocuments } from './helpers/seed';
import { assemble, chatBody, readChunks, textOf } from './helpers/ui-stream';

const embedder = createHashingEmbedder();
const SPEC = 'The wire format is described in [the protocol spec](./spec.pdf#page=2), with every message type.';

describe.each(DRIVER_KINDS)('links to files in answers through %s', (kind) => {
  let database: TestDatabase;
  let stub: OpenAIStub;
  let siteDir = '';
  beforeAll(async () => {
    database = await createTestDatabase(kind);
    await seedDocuments(database.db, embedder, [{ path: 'guides/protocol.md', title: 'Protocol', sections: [{ heading: 'Wire format', text: SPEC }] }]);
    stub = await startOpenAIStub();
    // The built site, holding the file its page links to, as the site's build copies it.
    siteDir = mkdtempSync(join(tmpdir(), 'docent-chat-file-links-'));
    mkdirSync(join(siteDir, '_docent/files/content/guides'), { recursive: true });
    writeFileSync(join(siteDir, '_docent/files/content/guides/spec.pdf'), '%PDF-1.4\n');
  });
  afterAll(async () => {
    await stub?.close();
    await database?.close();
    if (siteDir) rmSync(siteDir, { recursive: true, force: true });
  });

  const ask = async (config: Record<string, string>, id: string, options: { contentSource?: string } = { contentSource: 'docs' }) => {
    const client = createClient(createApp({ database, config: loadConfig(config), embedder, siteDir, ...options }));
    return textOf(await assemble(await readChunks(await client.json('/api/chat', 'POST', chatBody(id, 'What is the wire format of the protocol?')))));
  };

  it('quotes the link pointed at the file on the site, not at a path under the page’s URL', async () => {
    const text = await ask({}, 'extractive');
    expect(text).toContain('[the protocol spec](/_docent/files/content/guides/spec.pdf#page=2)');
    // Without the content folder's source, as before: against the page's URL (a 404).
    expect(await ask({}, 'extractive-unknown', {})).toContain('[the protocol spec](/guides/protocol/spec.pdf#page=2)');
  });

  it('gives the model the link to the file, and keeps it when the answer copies it', async () => {
    stub.setReply(() => ({ text: 'See [the spec](/_docent/files/content/guides/spec.pdf#page=2) [1].' }));
    const text = await ask({ OPENAI_BASE_URL: stub.url, CHAT_MODEL: 'stub-model' }, 'model');
    expect(stub.requests.at(-1)!.system).toContain('[the protocol spec](/_docent/files/content/guides/spec.pdf#page=2)');
    expect(text).toContain('[the spec](/_docent/files/content/guides/spec.pdf#page=2)');
  });
});
