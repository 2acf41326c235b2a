// Resolves the session cookie or bearer token of each request to an Actor. Sessions of a
// revoked or expired invite stop working at their next request.
import cookie from '@fastify/cookie';
import { and, eq, gt, inArray, isNull, or } from 'drizzle-orm';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import { invites, people, sessions } from '../../drizzle/schema.ts';
import type { Actor } from '../access.ts';
import { hashToken } from '../tokens.ts';
import type { Database } from './database.ts';

export const SESSION_COOKIE = 'muster_session';

declare module 'fastify' {
  interface FastifyRequest {
    actor: Actor | null;
    /** The session behind `actor`: live sockets close when it ends. */
    session: SessionRef | null;
  }
  interface FastifyReply {
    setSession(token: string, expiresAt: Date): FastifyReply;
    clearSession(): FastifyReply;
  }
}

export function sessionToken(request: FastifyRequest): string | null {
  const header = request.headers.authorization;
  if (header?.startsWith('Bearer ')) return header.slice(7).trim() || null;
  return request.cookies[SESSION_COOKIE] ?? null;
}

/** The columns of `people` that make an Actor. */
export const actorColumns = {
  personId: people.id,
  displayName: people.displayName,
  role: people.role,
  eventId: people.eventId,
  contingentId: people.contingentId,
};

export interface SessionRef {
  /** The session's key: the hash of its token, never the token. */
  tokenHash: string;
  inviteId: string | null;
}

/** A session works until it expires or its invite is revoked or expires. */
function working(now: Date) {
  return and(
    gt(sessions.expiresAt, now),
    or(isNull(sessions.inviteId), and(isNull(invites.revokedAt), gt(invites.expiresAt, now))),
  );
}

export async function findSession(
  db: Database,
  token: string,
): Promise<{ actor: Actor; session: SessionRef } | null> {
  const [row] = await db
    .select({ ...actorColumns, tokenHash: sessions.tokenHash, inviteId: sessions.inviteId })
    .from(sessions)
    .innerJoin(people, eq(people.id, sessions.personId))
    .leftJoin(invites, eq(invites.id, sessions.inviteId))
    .where(and(eq(sessions.tokenHash, hashToken(token)), working(new Date())))
    .limit(1);
  if (!row) return null;
  const { tokenHash, inviteId, ...actor } = row;
  return { actor, session: { tokenHash, inviteId } };
}

/** Of the sessions keyed by `tokenHashes`, those that still work. */
export async function workingSessions(db: Database, tokenHashes: string[]): Promise<Set<string>> {
  if (tokenHashes.length === 0) return new Set();
  const rows = await db
    .select({ tokenHash: sessions.tokenHash })
    .from(sessions)
    .leftJoin(invites, eq(invites.id, sessions.inviteId))
    .where(and(inArray(sessions.tokenHash, tokenHashes), working(new Date())));
  return new Set(rows.map((r) => r.tokenHash));
}

async function authPlugin(app: FastifyInstance, options: { secureCookies: boolean }) {
  await app.register(cookie);
  app.decorateRequest('actor', null);
  app.decorateRequest('session', null);
  app.decorateReply('setSession', function (this: FastifyReply, token: string, expiresAt: Date) {
    return this.setCookie(SESSION_COOKIE, token, {
      path: '/',
      httpOnly: true,
      sameSite: 'strict',
      secure: options.secureCookies,
      expires: expiresAt,
    });
  });
  app.decorateReply('clearSession', function (this: FastifyReply) {
    return this.clearCookie(SESSION_COOKIE, { path: '/' });
  });
  app.addHook('preHandler', async (request) => {
    if (!request.url.startsWith('/api/')) return;
    const token = sessionToken(request);
    if (!token || token.length > 200) return;
    const found = await findSession(app.db, token);
    request.actor = found?.actor ?? null;
    request.session = found?.session ?? null;
  });
}

export default fp(authPlugin, { name: 'auth', dependencies: ['database'] });
