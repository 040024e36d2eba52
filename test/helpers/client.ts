/** A tiny browser stand-in for `app.request()`: keeps the session cookie between requests. */
import type { App } from '../../server/http/app';

export interface TestClient {
  /** The session cookie's value, once the server set one. */
  cookie: string | undefined;
  request(path: string, init?: RequestInit): Promise<Response>;
  json(path: string, method: string, body: unknown, headers?: Record<string, string>): Promise<Response>;
}

export function createClient(app: App, base = 'http://localhost'): TestClient {
  const client: TestClient = {
    cookie: undefined,
    async request(path, init = {}) {
      const headers = new Headers(init.headers);
      if (client.cookie && !headers.has('cookie')) headers.set('cookie', `docent_session=${client.cookie}`);
      const res = await app.request(`${base}${path}`, { ...init, headers });
      for (const line of res.headers.getSetCookie()) {
        const match = /^docent_session=([^;]*)/.exec(line);
        if (match) client.cookie = match[1] || undefined;
      }
      return res;
    },
    json(path, method, body, headers = {}) {
      return client.request(path, {
        method,
        headers: { 'content-type': 'application/json', ...headers },
        body: typeof body === 'string' ? body : JSON.stringify(body),
      });
    },
  };
  return client;
}
