// Invite links: capabilities to join an event in one role. Only their hashes are stored.
import { and, asc, desc, eq, inArray, isNull } from 'drizzle-orm';
import { contingents, events, invites, people, sessions } from '../../../drizzle/schema.ts';
import { type Actor, requireCoordinator } from '../../access.ts';
import { requireEvent, writeEvent } from '../../changes.ts';
import { Invalid, NotFound } from '../../errors.ts';
import type { Database, Transaction } from '../../plugins/database.ts';
import { hashToken, newToken } from '../../tokens.ts';
import type { CreatedInvite, CreateInviteBody, Invite } from './schemas.ts';

const DAY = 24 * 60 * 60 * 1000;
type InviteRow = typeof invites.$inferSelect;

function toInvite(row: InviteRow, joined: Invite['joined']): Invite {
  return {
    id: row.id,
    role: row.role as Invite['role'],
    contingentId: row.contingentId,
    label: row.label,
    createdAt: row.createdAt.toISOString(),
    expiresAt: row.expiresAt.toISOString(),
    revokedAt: row.revokedAt?.toISOString() ?? null,
    joined,
  };
}

async function defaultExpiry(tx: Transaction, eventId: string): Promise<Date> {
  const [event] = await tx.select().from(events).where(eq(events.id, eventId));
  if (!event) throw NotFound('The event');
  const threeDaysAfter = event.startsAt.getTime() + 3 * DAY;
  return new Date(Math.max(threeDaysAfter, Date.now() + 3 * DAY));
}

async function checkContingent(tx: Transaction, eventId: string, input: CreateInviteBody) {
  const contingentId = input.contingentId ?? null;
  if (input.role === 'leader' && !contingentId) {
    throw Invalid('/body/contingentId', 'a leader invite needs a contingent');
  }
  if (input.role === 'coordinator' && contingentId) {
    throw Invalid('/body/contingentId', 'a coordinator invite is for the whole event');
  }
  if (!contingentId) return null;
  const [row] = await tx
    .select({ id: contingents.id })
    .from(contingents)
    .where(and(eq(contingents.id, contingentId), eq(contingents.eventId, eventId)));
  if (!row) throw Invalid('/body/contingentId', 'is not a contingent of this event');
  return contingentId;
}

export async function createInvite(
  db: Database,
  actor: Actor | null,
  eventId: string,
  input: CreateInviteBody,
): Promise<CreatedInvite> {
  const who = requireCoordinator(actor, eventId);
  const requested = input.expiresAt ? new Date(input.expiresAt) : null;
  if (requested && Number.isNaN(requested.getTime())) {
    throw Invalid('/body/expiresAt', 'is not a valid date and time');
  }
  if (requested && requested.getTime() <= Date.now()) {
    throw Invalid('/body/expiresAt', 'must be in the future');
  }
  if (requested && requested.getTime() > Date.now() + 366 * DAY) {
    throw Invalid('/body/expiresAt', 'must be within a year');
  }
  const token = newToken();
  return writeEvent(db, eventId, async (tx, record) => {
    const contingentId = await checkContingent(tx, eventId, input);
    const [row] = await tx
      .insert(invites)
      .values({
        tokenHash: hashToken(token),
        role: input.role,
        eventId,
        contingentId,
        label: input.label ?? '',
        createdBy: who.personId,
        expiresAt: requested ?? (await defaultExpiry(tx, eventId)),
      })
      .returning();
    const invite = toInvite(row!, []);
    await record('invite.created', { invite }, { coordinatorsOnly: true });
    return { invite, token, path: `/join#${token}` };
  });
}

export async function listInvites(
  db: Database,
  actor: Actor | null,
  eventId: string,
): Promise<Invite[]> {
  requireCoordinator(actor, eventId);
  await requireEvent(db, eventId);
  const rows = await db
    .select()
    .from(invites)
    .where(eq(invites.eventId, eventId))
    .orderBy(desc(invites.createdAt));
  const joined = rows.length
    ? await db
        .select({ id: people.id, displayName: people.displayName, inviteId: people.inviteId })
        .from(people)
        .where(
          inArray(
            people.inviteId,
            rows.map((r) => r.id),
          ),
        )
        .orderBy(asc(people.createdAt))
    : [];
  return rows.map((row) =>
    toInvite(
      row,
      joined
        .filter((p) => p.inviteId === row.id)
        .map(({ id, displayName }) => ({ id, displayName })),
    ),
  );
}

/** Revoking ends the link's sessions at once; revoking twice is harmless. */
export async function revokeInvite(
  db: Database,
  actor: Actor | null,
  eventId: string,
  inviteId: string,
): Promise<void> {
  requireCoordinator(actor, eventId);
  await writeEvent(db, eventId, async (tx, record) => {
    const [row] = await tx
      .select()
      .from(invites)
      .where(and(eq(invites.id, inviteId), eq(invites.eventId, eventId)));
    if (!row) throw NotFound('The invite');
    if (row.revokedAt) return;
    await tx
      .update(invites)
      .set({ revokedAt: new Date() })
      .where(and(eq(invites.id, inviteId), isNull(invites.revokedAt)));
    await tx.delete(sessions).where(eq(sessions.inviteId, inviteId));
    await record('invite.revoked', { inviteId }, { coordinatorsOnly: true });
  });
}
