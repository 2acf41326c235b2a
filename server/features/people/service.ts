// People join through invite links with a display name and nothing else.
import { and, asc, eq, gt, isNull, or, sql } from 'drizzle-orm';
import { contingents, invites, people, sessions } from '../../../drizzle/schema.ts';
import {
  type Actor,
  requireActor,
  requireCoordinator,
  requireLeaderOrCoordinator,
} from '../../access.ts';
import { committed, recordChange, requireEvent } from '../../changes.ts';
import { NotFound, Unauthorized } from '../../errors.ts';
import type { Database, Transaction } from '../../plugins/database.ts';
import { hashToken, newToken } from '../../tokens.ts';
import type { Person } from './schemas.ts';

const DAY = 24 * 60 * 60 * 1000;
const ADMIN_SESSION_DAYS = 365;
const SETUP_LINK_DAYS = 7;

type PersonRow = typeof people.$inferSelect;

function toPerson(
  row: Pick<PersonRow, 'id' | 'displayName' | 'role' | 'eventId' | 'contingentId'>,
): Person {
  return {
    id: row.id,
    displayName: row.displayName,
    role: row.role,
    eventId: row.eventId,
    contingentId: row.contingentId,
  };
}

export interface Joined {
  person: Person;
  sessionToken: string;
  expiresAt: Date;
}

/** Uses the link once, atomically: expired, revoked or used-up links are refused. */
async function useInvite(tx: Transaction, token: string) {
  const [invite] = await tx
    .update(invites)
    .set({ uses: sql`${invites.uses} + 1` })
    .where(
      and(
        eq(invites.tokenHash, hashToken(token)),
        isNull(invites.revokedAt),
        gt(invites.expiresAt, new Date()),
        or(isNull(invites.maxUses), sql`${invites.uses} < ${invites.maxUses}`),
      ),
    )
    .returning();
  if (!invite) {
    throw Unauthorized('This link does not work: it may have expired, been revoked or been used.');
  }
  return invite;
}

/** A leader who joins a contingent that has no leader yet becomes its leader. */
async function claimLeadership(tx: Transaction, person: PersonRow) {
  if (person.role !== 'leader' || !person.contingentId || !person.eventId) return;
  const claimed = await tx
    .update(contingents)
    .set({ leaderId: person.id, updatedAt: new Date() })
    .where(and(eq(contingents.id, person.contingentId), isNull(contingents.leaderId)))
    .returning({ id: contingents.id });
  if (claimed.length > 0) {
    await recordChange(
      tx,
      person.eventId,
      'contingent.leaderChanged',
      { contingentId: person.contingentId, leaderId: person.id, leaderName: person.displayName },
      { contingentId: person.contingentId },
    );
  }
}

export async function joinWithInvite(
  db: Database,
  token: string,
  displayName: string,
): Promise<Joined> {
  const joined = await db.transaction(async (tx) => {
    const invite = await useInvite(tx, token);
    const [row] = await tx
      .insert(people)
      .values({
        displayName: displayName.trim(),
        role: invite.role,
        eventId: invite.eventId,
        contingentId: invite.contingentId,
        inviteId: invite.id,
      })
      .returning();
    const person = row!;
    const isAdministrator = person.role === 'administrator';
    const sessionToken = newToken();
    const expiresAt = isAdministrator
      ? new Date(Date.now() + ADMIN_SESSION_DAYS * DAY)
      : invite.expiresAt;
    await tx.insert(sessions).values({
      tokenHash: hashToken(sessionToken),
      personId: person.id,
      // An administrator's session outlives the one-time setup link.
      inviteId: isAdministrator ? null : invite.id,
      expiresAt,
    });
    if (person.eventId) {
      await recordChange(
        tx,
        person.eventId,
        'person.joined',
        { person: toPerson(person) },
        { coordinatorsOnly: true },
      );
      await claimLeadership(tx, person);
    }
    return { person: toPerson(person), sessionToken, expiresAt };
  });
  if (joined.person.eventId) committed(db, joined.person.eventId);
  return joined;
}

export function getMe(actor: Actor | null): Person {
  const who = requireActor(actor);
  return {
    id: who.personId,
    displayName: who.displayName,
    role: who.role,
    eventId: who.eventId,
    contingentId: who.contingentId,
  };
}

export async function logout(db: Database, token: string | null): Promise<void> {
  if (token) await db.delete(sessions).where(eq(sessions.tokenHash, hashToken(token)));
}

export async function listPeople(db: Database, actor: Actor | null, eventId: string) {
  requireCoordinator(actor, eventId);
  await requireEvent(db, eventId);
  const rows = await db
    .select()
    .from(people)
    .where(eq(people.eventId, eventId))
    .orderBy(asc(people.createdAt));
  return rows.map(toPerson);
}

/**
 * While no administrator exists, makes a fresh one-time setup link and returns its
 * token; earlier unused setup links stop working.
 */
export async function ensureSetupLink(db: Database): Promise<string | null> {
  return db.transaction(async (tx) => {
    const [admin] = await tx
      .select({ id: people.id })
      .from(people)
      .where(eq(people.role, 'administrator'))
      .limit(1);
    if (admin) return null;
    await tx.delete(invites).where(and(eq(invites.role, 'administrator'), eq(invites.uses, 0)));
    const token = newToken();
    await tx.insert(invites).values({
      tokenHash: hashToken(token),
      role: 'administrator',
      label: 'setup',
      maxUses: 1,
      expiresAt: new Date(Date.now() + SETUP_LINK_DAYS * DAY),
    });
    return token;
  });
}

/** Members of one contingent, for its leader and the coordinators. */
export async function listMembers(
  db: Database,
  actor: Actor | null,
  eventId: string,
  contingentId: string,
): Promise<Person[]> {
  requireLeaderOrCoordinator(actor, eventId, contingentId);
  const [contingent] = await db
    .select({ id: contingents.id })
    .from(contingents)
    .where(and(eq(contingents.id, contingentId), eq(contingents.eventId, eventId)));
  if (!contingent) throw NotFound('The contingent');
  const rows = await db
    .select()
    .from(people)
    .where(and(eq(people.eventId, eventId), eq(people.contingentId, contingentId)))
    .orderBy(asc(people.displayName));
  return rows.map(toPerson);
}
