// Announcements: a coordinator's word to the whole event, one contingent, or the holders of
// one role — stored, listed, and delivered live through their change record.
import { and, desc, eq, or, sql } from 'drizzle-orm';
import { announcements, contingents, roleClaims, roleSlots } from '../../../drizzle/schema.ts';
import {
  type Actor,
  requireCoordinator,
  requireEventMember,
  seesWholeEvent,
} from '../../access.ts';
import { requireEvent, writeEvent } from '../../changes.ts';
import { Invalid } from '../../errors.ts';
import type { Database, Transaction } from '../../plugins/database.ts';
import { type Announcement, ANNOUNCEMENTS_LISTED, type CreateAnnouncementBody } from './schemas.ts';

type AnnouncementRow = typeof announcements.$inferSelect;

export function toAnnouncement(row: AnnouncementRow): Announcement {
  return {
    id: row.id,
    target: row.target,
    contingentId: row.contingentId,
    roleSlotId: row.roleSlotId,
    roleName: row.roleName,
    body: row.body,
    authorName: row.authorName,
    createdAt: row.createdAt.toISOString(),
  };
}

interface Addressed {
  contingentId: string | null;
  roleSlotId: string | null;
  roleName: string | null;
  recipientIds: string[];
}

/** Checks the target names something in this event, and for a role, who holds it now. */
async function address(
  tx: Transaction,
  eventId: string,
  input: CreateAnnouncementBody,
): Promise<Addressed> {
  const none = { contingentId: null, roleSlotId: null, roleName: null, recipientIds: [] };
  if (input.target === 'event') {
    if (input.contingentId) throw Invalid('/body/contingentId', 'is only for target contingent');
    if (input.roleSlotId) throw Invalid('/body/roleSlotId', 'is only for target role');
    return none;
  }
  if (input.target === 'contingent') {
    if (!input.contingentId)
      throw Invalid('/body/contingentId', 'is required for target contingent');
    if (input.roleSlotId) throw Invalid('/body/roleSlotId', 'is only for target role');
    const [row] = await tx
      .select({ id: contingents.id })
      .from(contingents)
      .where(and(eq(contingents.id, input.contingentId), eq(contingents.eventId, eventId)));
    if (!row) throw Invalid('/body/contingentId', 'is not a contingent of this event');
    return { ...none, contingentId: row.id };
  }
  if (!input.roleSlotId) throw Invalid('/body/roleSlotId', 'is required for target role');
  if (input.contingentId) throw Invalid('/body/contingentId', 'is only for target contingent');
  const [slot] = await tx
    .select({ id: roleSlots.id, name: roleSlots.name, contingentId: roleSlots.contingentId })
    .from(roleSlots)
    .where(and(eq(roleSlots.id, input.roleSlotId), eq(roleSlots.eventId, eventId)));
  if (!slot) throw Invalid('/body/roleSlotId', 'is not a role slot of this event');
  const holders = await tx
    .select({ personId: roleClaims.personId })
    .from(roleClaims)
    .where(eq(roleClaims.slotId, slot.id));
  return {
    contingentId: slot.contingentId,
    roleSlotId: slot.id,
    roleName: slot.name,
    recipientIds: holders.map((h) => h.personId),
  };
}

export async function createAnnouncement(
  db: Database,
  actor: Actor | null,
  eventId: string,
  input: CreateAnnouncementBody,
): Promise<Announcement> {
  const who = requireCoordinator(actor, eventId);
  return writeEvent(db, eventId, async (tx, record) => {
    const addressed = await address(tx, eventId, input);
    const [row] = await tx
      .insert(announcements)
      .values({
        eventId,
        target: input.target,
        body: input.body.trim(),
        authorId: who.personId,
        authorName: who.displayName,
        ...addressed,
      })
      .returning();
    const announcement = toAnnouncement(row!);
    await record(
      'announcement.created',
      { announcement, recipientIds: addressed.recipientIds },
      { contingentId: addressed.contingentId },
    );
    return announcement;
  });
}

/**
 * The announcements `actor` may read, newest first: coordinators all; everyone the event's;
 * members their contingent's; holders those sent to their role, and its contingent's leader.
 */
export async function listAnnouncements(
  db: Database,
  actor: Actor | null,
  eventId: string,
): Promise<Announcement[]> {
  const who = requireEventMember(actor, eventId);
  await requireEvent(db, eventId);
  const mine = who.contingentId;
  const visible = seesWholeEvent(who)
    ? undefined
    : or(
        eq(announcements.target, 'event'),
        mine
          ? and(eq(announcements.target, 'contingent'), eq(announcements.contingentId, mine))
          : undefined,
        sql`${who.personId}::uuid = any(${announcements.recipientIds})`,
        who.role === 'leader' && mine
          ? and(eq(announcements.target, 'role'), eq(announcements.contingentId, mine))
          : undefined,
      );
  const rows = await db
    .select()
    .from(announcements)
    .where(and(eq(announcements.eventId, eventId), visible))
    .orderBy(desc(announcements.createdAt), desc(announcements.id))
    .limit(ANNOUNCEMENTS_LISTED);
  return rows.map(toAnnouncement);
}
