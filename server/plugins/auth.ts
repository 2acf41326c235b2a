// Resolves the session cookie or bearer token of each request to an Actor. Sessions of a
// revoked or expired invite stop working at their next request.
import cookie from '@fastify/cookie';
import { and, eq, gt, isNull, or } from 'drizzle-orm';
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

export async function findActor(db: Database, token: string): Promise<Actor | null> {
  const now = new Date();
  const [row] = await db
    .select(actorColumns)
    .from(sessions)
    .innerJoin(people, eq(people.id, sessions.personId))
    .leftJoin(invites, eq(invites.id, sessions.inviteId))
    .where(
      and(
        eq(sessions.tokenHash, hashToken(token)),
        gt(sessions.expiresAt, now),
        or(isNull(sessions.inviteId), and(isNull(invites.revokedAt), gt(invites.expiresAt, now))),
      ),
    )
    .limit(1);
  return row ?? null;
}

async function authPlugin(app: FastifyInstance, options: { secureCookies: boolean }) {
  await app.register(cookie);
  app.decorateRequest('actor', null);
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
    if (token && token.length <= 200) request.actor = await findActor(app.db, token);
  });
}

export default fp(authPlugin, { name: 'auth', dependencies: ['database'] });
