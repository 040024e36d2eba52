/**
 * A local LangSmith API for tests: `GET /info`, `GET /sessions?name=`, `POST /runs/batch` (how
 * Docent sends a trace), `POST /runs/multipart`, `/runs` and `/feedback`, and `PATCH
 * /feedback/:id` (404 for feedback it never received). `failWith()` makes it refuse everything.
 * Request bodies are kept as text so tests can look for run ids, names and feedback.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { gunzipSync } from 'node:zlib';

/** The id of every project the stub is asked about. */
export const PROJECT_ID = '0190a1b2-c3d4-7e5f-8a9b-0c1d2e3f4a5b';

export interface LangSmithStub {
  url: string;
  /** Every request: method, path and decoded body text. */
  requests: { method: string; path: string; body: string }[];
  /** Everything posted to the run and feedback endpoints, concatenated. */
  posted(): string;
  /**
   * Makes every request fail with `status` (401 and 403 with LangSmith's `{"detail":"Invalid
   * token"}`, others with `{"detail":"internal error"}`), or answer normally again (`undefined`).
   */
  failWith(status: number | undefined): void;
  close(): Promise<void>;
}

export async function startLangSmithStub(): Promise<LangSmithStub> {
  const requests: LangSmithStub['requests'] = [];
  let failure: number | undefined;
  const server: Server = createServer(async (req, res) => {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    let raw = Buffer.concat(chunks);
    if (req.headers['content-encoding'] === 'gzip') raw = gunzipSync(raw);
    const path = (req.url ?? '').split('?')[0]!;
    requests.push({ method: req.method ?? '', path, body: raw.toString('utf8') });
    res.setHeader('content-type', 'application/json');
    if (failure) {
      res.statusCode = failure;
      res.end(JSON.stringify({ detail: failure === 401 || failure === 403 ? 'Invalid token' : 'internal error' }));
      return;
    }
    if (req.method === 'GET' && path === '/info') {
      res.end(JSON.stringify({ version: '0.0.0-stub', batch_ingest_config: { use_multipart_endpoint: true } }));
      return;
    }
    if (req.method === 'GET' && path === '/sessions') {
      const name = new URL(req.url ?? '', 'http://stub').searchParams.get('name');
      res.end(JSON.stringify([{ id: PROJECT_ID, name }]));
      return;
    }
    if (req.method === 'POST' && /^\/(runs\/multipart|runs\/batch|runs|feedback)$/.test(path)) {
      res.statusCode = path === '/runs/multipart' ? 202 : 200;
      res.end('{}');
      return;
    }
    const feedbackId = /^\/feedback\/([0-9a-f-]{36})$/.exec(path)?.[1];
    if (req.method === 'PATCH' && feedbackId) {
      // Like LangSmith: only feedback it was given can be updated.
      const known = requests.some((r) => r.method === 'POST' && r.body.includes(feedbackId));
      res.statusCode = known ? 200 : 404;
      res.end(known ? '{}' : JSON.stringify({ detail: 'Feedback not found' }));
      return;
    }
    res.statusCode = 404;
    res.end(JSON.stringify({ detail: 'not found' }));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    posted: () =>
      requests
        .filter((r) => r.method === 'POST')
        .map((r) => r.body)
        .join('\n'),
    failWith(status) {
      failure = status;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
