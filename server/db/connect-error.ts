/**
 * What to say when a database query fails: drizzle reports every failure as `Failed query: <sql>`,
 * with the reason (a refused connection, an unknown host) only in its `cause`.
 */
import { redactUrl } from './open';

/** Error codes of a database that cannot be reached (Node's, and postgres.js's own). */
const CONNECTION_CODES = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'ETIMEDOUT', 'ECONNRESET', 'EHOSTUNREACH', 'ENETUNREACH', 'EPIPE', 'CONNECT_TIMEOUT', 'CONNECTION_CLOSED', 'CONNECTION_ENDED', 'CONNECTION_DESTROYED']);

/**
 * SQLSTATEs of a Postgres server that is restarting or dropped the connection: class 08
 * (connection exception) and the shutdown and start-up codes of class 57 (`57P01` admin
 * shutdown, `57P02` crash shutdown, `57P03` cannot connect now).
 */
const RESTART_SQLSTATES = new Set(['08000', '08001', '08003', '08004', '08006', '57P01', '57P02', '57P03']);

/** The errors of `error`'s `cause` chain, outermost first. */
function causeChain(error: unknown): unknown[] {
  const chain: unknown[] = [];
  for (let e: unknown = error; e instanceof Error && chain.length < 10; e = e.cause) chain.push(e);
  return chain;
}

/** The error of the chain that says the database cannot be reached, if one does. */
function unreachableCause(chain: unknown[]): NodeJS.ErrnoException | undefined {
  return chain.find((e) => {
    const code = String((e as NodeJS.ErrnoException).code);
    return CONNECTION_CODES.has(code) || RESTART_SQLSTATES.has(code);
  }) as NodeJS.ErrnoException | undefined;
}

/**
 * Whether `error` (or its `cause`) says the database cannot be reached right now: refused or
 * dropped connections, unknown or unreachable hosts, timeouts, a Postgres server shutting down or
 * starting up. Such a failure may pass once the database is back; a query error never does.
 */
export function isDatabaseUnreachable(error: unknown): boolean {
  return unreachableCause(causeChain(error)) !== undefined;
}

/**
 * Whether `error` came from the database: it cannot be reached ({@link isDatabaseUnreachable}), or
 * a Postgres server refused a login or a query (a `PostgresError` of postgres.js anywhere in the
 * `cause` chain).
 */
export function isDatabaseError(error: unknown): boolean {
  const chain = causeChain(error);
  return unreachableCause(chain) !== undefined || chain.some((e) => (e as Error).name === 'PostgresError');
}

/**
 * One line for a database error: `cannot connect to postgres://u:***@host/db: ECONNREFUSED (…)`
 * when the database cannot be reached, else the innermost reason (a query error's `cause`), never
 * a password.
 */
export function describeDatabaseError(error: unknown, databaseUrl: string | undefined): string {
  const chain = causeChain(error);
  const unreachable = unreachableCause(chain);
  const url = databaseUrl?.trim() ? redactUrl(databaseUrl.trim()) : 'the database';
  if (unreachable) return `cannot connect to ${url}: ${unreachable.code} (${redactUrl(unreachable.message)})`;
  const innermost = chain.at(-1);
  const message = innermost instanceof Error ? innermost.message : String(error);
  return redactUrl(message);
}
