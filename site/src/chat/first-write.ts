/**
 * One visitor, one user. The server creates a visitor's user (and sets the session cookie) on the
 * first request that writes something: a question (`POST /api/chat`), a settings save
 * (`PUT /api/settings`) or an admin login on the review page (`POST /api/admin/login`); reading
 * requests create none. Two such requests sent at once by a visitor
 * without a cookie would each create a user, the browser would keep the cookie of the last
 * response, and what the other one wrote (a chat, the settings) would be lost to the visitor.
 *
 * {@link sendInTurn} sends those requests one after the other until one of them has succeeded on
 * this page: after that the browser has the cookie and they go out at once. The turn lasts until a
 * response's headers arrive (the cookie comes with them), not until an answer has streamed. Where
 * the browser has Web Locks (secure pages: https or localhost), the turn is also kept across the
 * tabs of the same site, so that two new tabs asking at once make one user.
 */

/** The turn of one Docent server (`base`) on this page. */
interface Turn {
  /** A request of this page that could create the user has succeeded: the browser has the cookie. */
  known: boolean;
  /** Settles when the request now in turn has its response (or failed). */
  last: Promise<unknown>;
}

const turns = new Map<string, Turn>();

/** Web Locks, where the browser has them (not on insecure pages, not in Node). */
function webLocks(): LockManager | undefined {
  const nav = (globalThis as { navigator?: Navigator }).navigator;
  return nav && 'locks' in nav ? nav.locks : undefined;
}

/**
 * Sends a request that may create the visitor's user (`send`), in turn with the others of this
 * Docent server (`base`, `''` for the same origin) while no such request has succeeded yet on this
 * page; at once after that. Resolves with the response (its body still unread), or rejects as
 * `send` does.
 */
export function sendInTurn(base: string, send: () => Promise<Response>): Promise<Response> {
  const turn = turns.get(base) ?? { known: false, last: Promise.resolve() };
  turns.set(base, turn);
  if (turn.known) return send();
  const sendAndNote = async (): Promise<Response> => {
    if (turn.known) return send();
    const response = await send();
    if (response.ok) turn.known = true;
    return response;
  };
  const locks = webLocks();
  // The lock is held until the response's headers are in: the other tabs' requests wait for that.
  const acrossTabs = async (manager: LockManager) => {
    let response: Response | undefined;
    await manager.request(`docent-first-write ${base}`, async () => {
      response = await sendAndNote();
    });
    return response!;
  };
  const inTurn = turn.last.then(() => (locks ? acrossTabs(locks) : sendAndNote()));
  turn.last = inTurn.catch(() => undefined);
  return inTurn;
}

/** `fetch` that sends every request through {@link sendInTurn} (for the chat transport). */
export function fetchInTurn(base: string, fetchImpl: typeof fetch = (...args) => globalThis.fetch(...args)): typeof fetch {
  return (input, init) => sendInTurn(base, () => fetchImpl(input, init));
}

/** Forgets every turn (for tests: a new page). */
export function resetTurns(): void {
  turns.clear();
}
