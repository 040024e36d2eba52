/**
 * Identity: anonymous visitors with a session cookie, and admins.
 *
 * - A visitor becomes a `users` row the first time they do something that needs one (ask, rate,
 *   save settings, log in); reading endpoints never create users. The session cookie holds an
 *   opaque random token; only its SHA-256 hash is stored (`sessions.token_hash`).
 * - The cookie is `HttpOnly; SameSite=Lax; Path=/` (plus `Secure` over https). When a request
 *   comes from an origin listed in `CORS_ORIGINS` over https (the widget embedded on another
 *   site), the cookie is set `SameSite=None; Secure; Partitioned` instead: a Lax cookie is never
 *   sent on cross-site `fetch`, so the embedded widget would lose its chats and could not rate its
 *   own answers. `Partitioned` (CHIPS) keys the cookie to the embedding site, so it cannot track a
 *   visitor across sites. Browsers that block all third-party cookies still get answers; they
 *   just start a new anonymous user each time (serve the widget from the same site to avoid it).
 * - Admins send `Authorization: Bearer $ADMIN_TOKEN` (compared in constant time), or turn their
 *   own session into an admin session with `POST /api/admin/login` so a browser page never keeps
 *   the token in script-readable storage. An admin session stores a digest of the token it logged
 *   in with and is admin only while that matches the current `ADMIN_TOKEN`: rotating the token
 *   ends every admin session. Wrong tokens are limited per client address ({@link AdminAttempts}).
 */
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { and, eq, gt, lt, notExists, sql } from 'drizzle-orm';
import type { Context, MiddlewareHandler } from 'hono';
import { deleteCookie, getCookie, setCookie } from 'hono/cookie';
import type { CookieOptions } from 'hono/utils/cookie';
import type { Config } from '../config';
import type { Database } from '../db/open';
import { chats, messageFeedback, sessions, userRetrievalSettings, users } from '../db/schema';
import { ApiError } from './errors';

/** Name of the session cookie. */
export const SESSION_COOKIE = 'docent_session';
/** How long a session lives without activity: 180 days. Activity extends it. */
export const SESSION_TTL_MS = 180 * 24 * 60 * 60 * 1000;
/** `users.last_active_at` and the session's expiry are refreshed at most this often: 10 minutes. */
const ACTIVITY_REFRESH_MS = 10 * 60 * 1000;

export interface CurrentUser {
  id: string;
  /** `admin` only for an admin session logged in with the current `ADMIN_TOKEN`. */
  role: 'visitor' | 'admin';
}

/** What routes read from the context: the visitor (if known) and a way to create one. */
export interface Auth {
  /** The visitor behind the session cookie, or `undefined` when there is no valid session. */
  readonly user: CurrentUser | undefined;
  /** The visitor, created (with a new session cookie) when there is none yet. */
  ensureUser(): Promise<CurrentUser>;
  /**
   * Makes the visitor's session an admin session (after the caller checked the token), or ends
   * that. Creates the visitor first when there is none.
   */
  setAdminSession(admin: boolean): Promise<void>;
}

export type AuthEnv = { Variables: { auth: Auth } };

/** SHA-256 of a session token, hex: what the `sessions` table stores. */
export function hashToken(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}

/**
 * What an admin session stores instead of the token: a SHA-256 digest of it (with a prefix of its
 * own, so it never equals a token hash stored elsewhere). Nothing in the database opens the review
 * pages.
 */
export function adminTokenDigest(adminToken: string): string {
  return createHash('sha256').update(`docent-admin-session\0${adminToken}`).digest('hex');
}

/** Compares two secrets in constant time (their SHA-256 digests, so lengths may differ). */
export function safeEqual(a: string, b: string): boolean {
  return timingSafeEqual(createHash('sha256').update(a).digest(), createHash('sha256').update(b).digest());
}

/**
 * Whether the reader is on https: `SITE_URL` says so, or the request came over https, directly or
 * (`X-Forwarded-Proto`) through a proxy that ended TLS. A proxy's `http` never overrides an https
 * `SITE_URL`: behind a load balancer that ends TLS before nginx, nginx's `$scheme` is `http` while
 * the reader is on https, and the cookie must stay `Secure`.
 */
function isHttps(c: Context, config: Config): boolean {
  if (config.siteUrl.startsWith('https:')) return true;
  const proto = c.req.header('x-forwarded-proto')?.split(',')[0]?.trim();
  return proto === 'https' || new URL(c.req.url).protocol === 'https:';
}

function isAllowedCrossOrigin(c: Context, config: Config): boolean {
  const origin = c.req.header('origin');
  if (!origin || origin === new URL(c.req.url).origin) return false;
  return config.corsOrigins.includes(origin) || config.corsOrigins.includes('*');
}

/** The session cookie's attributes for this request (see the module comment). */
function sessionCookieAttributes(c: Context, config: Config): CookieOptions {
  const secure = isHttps(c, config);
  const crossSite = secure && isAllowedCrossOrigin(c, config);
  return { path: '/', httpOnly: true, secure, ...(crossSite ? { sameSite: 'None', partitioned: true } : { sameSite: 'Lax' }) };
}

function writeSessionCookie(c: Context, config: Config, token: string, expires: Date): void {
  setCookie(c, SESSION_COOKIE, token, { ...sessionCookieAttributes(c, config), expires });
}

/**
 * Clears the session cookie, with the attributes it was set with: a browser deletes a
 * `Partitioned` cookie only when told so with `Partitioned`, and every `Set-Cookie` of the session
 * says `HttpOnly` and `SameSite`.
 */
function clearSessionCookie(c: Context, config: Config): void {
  deleteCookie(c, SESSION_COOKIE, sessionCookieAttributes(c, config));
}

/** Creates an anonymous user with a fresh session; sets the cookie on the response. */
async function createUserWithSession(c: Context, db: Database, config: Config): Promise<SessionUser> {
  const token = randomBytes(32).toString('base64url');
  const expiresAt = new Date(Date.now() + SESSION_TTL_MS);
  const user = await db.transaction(async (tx) => {
    const [row] = await tx.insert(users).values({}).returning({ id: users.id });
    const [session] = await tx
      .insert(sessions)
      .values({ userId: row!.id, tokenHash: hashToken(token), expiresAt })
      .returning({ id: sessions.id });
    return { id: row!.id, role: 'visitor' as const, sessionId: session!.id };
  });
  writeSessionCookie(c, config, token, expiresAt);
  return user;
}

interface SessionUser extends CurrentUser {
  sessionId: string;
}

interface SessionRow {
  id: string;
  adminTokenDigest: string | null;
  sessionId: string;
  expiresAt: Date;
  lastActiveAt: Date;
}

async function findSession(db: Database, token: string): Promise<SessionRow | undefined> {
  const [row] = await db
    .select({
      id: users.id,
      adminTokenDigest: sessions.adminTokenDigest,
      sessionId: sessions.id,
      expiresAt: sessions.expiresAt,
      lastActiveAt: users.lastActiveAt,
    })
    .from(sessions)
    .innerJoin(users, eq(users.id, sessions.userId))
    .where(and(eq(sessions.tokenHash, hashToken(token)), gt(sessions.expiresAt, new Date())))
    .limit(1);
  return row;
}

export interface SessionOptions {
  /**
   * Runs before a user (and session) is created for a visitor without one, once per request;
   * throws (e.g. a 429 `ApiError`) to refuse, and then nothing is inserted.
   */
  beforeCreateUser?: (c: Context) => void;
}

/**
 * Middleware: resolves the session cookie into `c.get('auth')`. Refreshes the session's expiry
 * and `users.last_active_at` (at most every 10 minutes). An unknown or expired cookie is ignored
 * (and cleared), never an error.
 */
export function sessionMiddleware(db: Database, config: Config, options: SessionOptions = {}): MiddlewareHandler<AuthEnv> {
  return async (c, next) => {
    let user: SessionUser | undefined;
    const token = getCookie(c, SESSION_COOKIE);
    if (token && token.length <= 200) {
      const row = await findSession(db, token);
      if (row) {
        const admin =
          config.adminToken !== undefined &&
          row.adminTokenDigest !== null &&
          safeEqual(row.adminTokenDigest, adminTokenDigest(config.adminToken));
        user = { id: row.id, role: admin ? 'admin' : 'visitor', sessionId: row.sessionId };
        if (Date.now() - row.lastActiveAt.getTime() > ACTIVITY_REFRESH_MS) {
          const now = new Date();
          const expiresAt = new Date(now.getTime() + SESSION_TTL_MS);
          await db.update(users).set({ lastActiveAt: now }).where(eq(users.id, row.id));
          await db.update(sessions).set({ expiresAt }).where(eq(sessions.id, row.sessionId));
          writeSessionCookie(c, config, token, expiresAt);
        }
      } else {
        clearSessionCookie(c, config);
      }
    }
    let creating: Promise<SessionUser> | undefined;
    const ensureUser = async (): Promise<SessionUser> => {
      if (user) return user;
      if (!creating) {
        options.beforeCreateUser?.(c);
        creating = createUserWithSession(c, db, config).then((created) => (user = created));
      }
      return creating;
    };
    const auth: Auth = {
      get user() {
        return user && { id: user.id, role: user.role };
      },
      ensureUser: async () => {
        const { id, role } = await ensureUser();
        return { id, role };
      },
      async setAdminSession(admin) {
        const existed = user !== undefined && creating === undefined;
        const current = await ensureUser();
        const digest = admin ? adminTokenDigest(requireAdminToken(config)) : null;
        if (admin && existed) {
          // A new session token on login: a token planted in the browser beforehand (session
          // fixation) or seen before never becomes an admin session. The user, and their chats, stay.
          const token = randomBytes(32).toString('base64url');
          const expiresAt = new Date(Date.now() + SESSION_TTL_MS);
          current.sessionId = await db.transaction(async (tx) => {
            await tx.delete(sessions).where(eq(sessions.id, current.sessionId));
            const [session] = await tx
              .insert(sessions)
              .values({ userId: current.id, tokenHash: hashToken(token), expiresAt, adminTokenDigest: digest })
              .returning({ id: sessions.id });
            return session!.id;
          });
          writeSessionCookie(c, config, token, expiresAt);
        } else {
          await db.update(sessions).set({ adminTokenDigest: digest }).where(eq(sessions.id, current.sessionId));
        }
        // The role records that this user has been an admin; authority comes from the session.
        if (admin) await db.update(users).set({ role: 'admin' }).where(eq(users.id, current.id));
        current.role = admin ? 'admin' : 'visitor';
      },
    };
    c.set('auth', auth);
    await next();
  };
}

/** What {@link purgeExpiredSessions} deleted. */
export interface PurgedSessions {
  /** Expired sessions. */
  sessions: number;
  /** Readers left with nothing: no session, chat, feedback or saved settings. */
  users: number;
}

/**
 * Deletes expired sessions (run at start-up), and the readers they leave with nothing of theirs:
 * no session (live or not), no chat, no feedback and no saved settings. Such a reader can never be
 * signed in again (only a session's cookie names a reader), so the row would be kept forever for
 * nothing. A reader with a chat, a rating or settings is kept whatever their sessions.
 */
export async function purgeExpiredSessions(db: Database): Promise<PurgedSessions> {
  return db.transaction(async (tx) => {
    const expired = await tx.delete(sessions).where(lt(sessions.expiresAt, sql`now()`)).returning({ id: sessions.id });
    const orphans = await tx
      .delete(users)
      .where(
        and(
          notExists(tx.select({ one: sql`1` }).from(sessions).where(eq(sessions.userId, users.id))),
          notExists(tx.select({ one: sql`1` }).from(chats).where(eq(chats.userId, users.id))),
          notExists(tx.select({ one: sql`1` }).from(messageFeedback).where(eq(messageFeedback.userId, users.id))),
          notExists(tx.select({ one: sql`1` }).from(userRetrievalSettings).where(eq(userRetrievalSettings.userId, users.id))),
        ),
      )
      .returning({ id: users.id });
    return { sessions: expired.length, users: orphans.length };
  });
}

const ADMIN_DISABLED =
  'Review and admin endpoints are disabled because ADMIN_TOKEN is not set. Set ADMIN_TOKEN ' +
  '(at least 16 characters, e.g. `openssl rand -hex 32`) in the server environment and restart.';

/** Throws unless the server has an ADMIN_TOKEN; returns it. */
export function requireAdminToken(config: Config): string {
  if (!config.adminToken) throw new ApiError(403, 'admin_disabled', ADMIN_DISABLED);
  return config.adminToken;
}

/**
 * Counts wrong admin tokens per client, so that `ADMIN_TOKEN` cannot be guessed at speed
 * (`adminFailureLimit` in `rate-limit.ts`; `createApp` makes one for all admin routes).
 */
export interface AdminAttempts {
  /** Throws (429) when this client may not try a token now; runs before any comparison. */
  check(c: Context): void;
  /** Records a wrong token from this client. */
  failed(c: Context): void;
}

/** No limit on admin tokens. */
export const unlimitedAdminAttempts: AdminAttempts = { check() {}, failed() {} };

/**
 * Whether `token` is this server's ADMIN_TOKEN (compared in constant time). A wrong one counts
 * against the client in `attempts`, which throws 429 instead once the client has failed too often.
 */
export function isAdminToken(c: Context, config: Config, attempts: AdminAttempts, token: string): boolean {
  const adminToken = requireAdminToken(config);
  attempts.check(c);
  if (safeEqual(token, adminToken)) return true;
  attempts.failed(c);
  return false;
}

/**
 * Reads the bearer token of the request, if it sent one (`''` for `Bearer` without a token). Other
 * schemes are not Docent's and are ignored: a reverse proxy with HTTP Basic authentication passes
 * its `Authorization: Basic …` on, and the reader's admin session must still count.
 */
function bearerToken(c: Context): string | undefined {
  const header = c.req.header('authorization')?.trim();
  if (!header || !/^Bearer(\s|$)/i.test(header)) return undefined;
  return header.slice('Bearer'.length).trim();
}

/**
 * Whether the request is an admin's: a valid bearer token, or an admin session. Throws 403 when
 * no ADMIN_TOKEN is configured, 401 for a wrong bearer token (counted in `attempts`) and 429 when
 * `attempts` refuses the client's tokens for now.
 */
export function isAdminRequest(c: Context<AuthEnv>, config: Config, attempts: AdminAttempts): boolean {
  requireAdminToken(config);
  const bearer = bearerToken(c);
  if (bearer !== undefined) {
    if (!isAdminToken(c, config, attempts, bearer)) {
      throw new ApiError(401, 'invalid_token', 'The bearer token is not this server’s ADMIN_TOKEN.');
    }
    return true;
  }
  return c.get('auth').user?.role === 'admin';
}

/** Middleware for admin-only routes: bearer token or admin session, else 401/403/429 JSON. */
export function requireAdmin(config: Config, attempts: AdminAttempts): MiddlewareHandler<AuthEnv> {
  return async (c, next) => {
    if (!isAdminRequest(c, config, attempts)) {
      throw new ApiError(
        401,
        'unauthorized',
        'Admins only: send `Authorization: Bearer <ADMIN_TOKEN>`, or log in on the review page.',
      );
    }
    await next();
  };
}
