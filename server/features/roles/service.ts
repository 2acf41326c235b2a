// Role slots: the roles a march needs, per contingent or event-wide, and how well each
// is covered. Claims, assignments and the waitlist are in claims.ts.
import { and, asc, desc, eq, inArray, isNull, or, sql } from 'drizzle-orm';
import {
  contingents,
  meetingPoints,
  people,
  roleClaims,
  roleSlots,
  roleWaitlist,
} from '../../../drizzle/schema.ts';
import {
  type Actor,
  requireCoordinator,
  requireEventMember,
  seesWholeEvent,
} from '../../access.ts';
import { requireEvent, writeEvent } from '../../changes.ts';
import { Conflict, Invalid, NotFound } from '../../errors.ts';
import type { Database, Queryable, Transaction } from '../../plugins/database.ts';
import { fillFromWaitlist } from './claims.ts';
import { neededFor } from './coverage.ts';
import type { CreateRoleSlotBody, RoleSlot, UpdateRoleSlotBody } from './schemas.ts';

export type SlotRow = typeof roleSlots.$inferSelect;

/**
 * Coordinators see every holder; a leader sees their contingent's places and their members'
 * places anywhere; everyone sees their own.
 */
export function seesHolder(
  actor: Actor,
  slot: Pick<SlotRow, 'contingentId'>,
  holder: { personId: string; contingentId: string | null },
): boolean {
  if (seesWholeEvent(actor) || holder.personId === actor.personId) return true;
  if (actor.role !== 'leader' || actor.contingentId === null) return false;
  return slot.contingentId === actor.contingentId || holder.contingentId === actor.contingentId;
}

/** Event-wide slots are open to everyone in the event; contingent slots to its members. */
export function maySeeSlot(actor: Actor, slot: Pick<SlotRow, 'contingentId'>): boolean {
  return seesWholeEvent(actor) || !slot.contingentId || slot.contingentId === actor.contingentId;
}

export async function loadSlot(db: Queryable, eventId: string, slotId: string) {
  const [slot] = await db
    .select()
    .from(roleSlots)
    .where(and(eq(roleSlots.id, slotId), eq(roleSlots.eventId, eventId)));
  if (!slot) throw NotFound('The role slot');
  return slot;
}

async function marchersBySlot(db: Queryable, eventId: string) {
  const rows = await db
    .select({ id: contingents.id, size: contingents.expectedSize })
    .from(contingents)
    .where(eq(contingents.eventId, eventId));
  const sizes = new Map(rows.map((r) => [r.id, r.size]));
  const total = rows.reduce((sum, r) => sum + r.size, 0);
  return (slot: SlotRow) => (slot.contingentId ? (sizes.get(slot.contingentId) ?? 0) : total);
}

async function meetingPointNames(db: Queryable, slots: SlotRow[]) {
  const ids = [...new Set(slots.map((s) => s.meetingPointId).filter((id) => id !== null))];
  if (ids.length === 0) return new Map<string, string>();
  const rows = await db
    .select({ id: meetingPoints.id, name: meetingPoints.name })
    .from(meetingPoints)
    .where(inArray(meetingPoints.id, ids));
  return new Map(rows.map((r) => [r.id, r.name]));
}

/** Slots as `actor` may see them, with holders, coverage and waitlist places. */
export async function describeSlots(
  db: Queryable,
  actor: Actor,
  eventId: string,
  slots: SlotRow[],
): Promise<RoleSlot[]> {
  if (slots.length === 0) return [];
  const ids = slots.map((s) => s.id);
  const claims = await db
    .select({
      claim: roleClaims,
      displayName: people.displayName,
      contingentId: people.contingentId,
    })
    .from(roleClaims)
    .innerJoin(people, eq(people.id, roleClaims.personId))
    .where(inArray(roleClaims.slotId, ids))
    .orderBy(asc(roleClaims.createdAt));
  const waiting = await db
    .select()
    .from(roleWaitlist)
    .where(inArray(roleWaitlist.slotId, ids))
    .orderBy(asc(roleWaitlist.createdAt), asc(roleWaitlist.id));
  const marchers = await marchersBySlot(db, eventId);
  const places = await meetingPointNames(db, slots);
  return slots.map((slot) => {
    const queue = waiting.filter((w) => w.slotId === slot.id);
    const place = queue.findIndex((w) => w.personId === actor.personId);
    return {
      ...slot,
      needed: neededFor(slot, marchers(slot)),
      meetingPointName: slot.meetingPointId ? (places.get(slot.meetingPointId) ?? null) : null,
      holders: claims
        .filter((c) => c.claim.slotId === slot.id)
        .filter((c) => seesHolder(actor, slot, { ...c.claim, contingentId: c.contingentId }))
        .map((c) => ({
          claimId: c.claim.id,
          personId: c.claim.personId,
          displayName: c.displayName,
          since: c.claim.createdAt.toISOString(),
        })),
      waiting: queue.length,
      myWaitlistPlace: place >= 0 ? place + 1 : null,
    };
  });
}

export async function listRoleSlots(
  db: Database,
  actor: Actor | null,
  eventId: string,
  contingentId?: string,
): Promise<RoleSlot[]> {
  const who = requireEventMember(actor, eventId);
  await requireEvent(db, eventId);
  const visible = seesWholeEvent(who)
    ? undefined
    : or(
        isNull(roleSlots.contingentId),
        who.contingentId ? eq(roleSlots.contingentId, who.contingentId) : sql`false`,
      );
  const slots = await db
    .select()
    .from(roleSlots)
    .where(
      and(
        eq(roleSlots.eventId, eventId),
        visible,
        contingentId ? eq(roleSlots.contingentId, contingentId) : undefined,
      ),
    )
    .orderBy(asc(roleSlots.contingentId), desc(roleSlots.critical), asc(roleSlots.name));
  return describeSlots(db, who, eventId, slots);
}

async function checkReferences(
  tx: Transaction,
  eventId: string,
  input: { contingentId?: string | null; meetingPointId?: string | null },
) {
  if (input.contingentId) {
    const [row] = await tx
      .select({ id: contingents.id })
      .from(contingents)
      .where(and(eq(contingents.id, input.contingentId), eq(contingents.eventId, eventId)));
    if (!row) throw Invalid('/body/contingentId', 'is not a contingent of this event');
  }
  if (input.meetingPointId) {
    const [row] = await tx
      .select({ id: meetingPoints.id })
      .from(meetingPoints)
      .where(and(eq(meetingPoints.id, input.meetingPointId), eq(meetingPoints.eventId, eventId)));
    if (!row) throw Invalid('/body/meetingPointId', 'is not a meeting point of this event');
  }
}

function checkNeed(needMinimum: number | null, capacity: number) {
  if (needMinimum !== null && needMinimum > capacity) {
    throw Invalid('/body/needMinimum', `cannot be more than the capacity (${capacity})`);
  }
}

function checkWindow(startTime: string | null, endTime: string | null) {
  if ((startTime === null) !== (endTime === null)) {
    throw Invalid('/body/endTime', 'a time window needs both a start and an end');
  }
  if (startTime !== null && endTime !== null && startTime >= endTime) {
    throw Invalid('/body/endTime', 'must be after the start time');
  }
}

export async function createRoleSlot(
  db: Database,
  actor: Actor | null,
  eventId: string,
  input: CreateRoleSlotBody,
): Promise<RoleSlot> {
  const who = requireCoordinator(actor, eventId);
  checkWindow(input.startTime ?? null, input.endTime ?? null);
  checkNeed(input.needMinimum ?? null, input.capacity);
  return writeEvent(db, eventId, async (tx, record) => {
    await checkReferences(tx, eventId, input);
    const [slot] = await tx
      .insert(roleSlots)
      .values({ ...input, eventId })
      .returning();
    const [described] = await describeSlots(tx, who, eventId, [slot!]);
    await record('roleSlot.created', { slot: described }, { contingentId: slot!.contingentId });
    return described!;
  });
}

export async function updateRoleSlot(
  db: Database,
  actor: Actor | null,
  eventId: string,
  slotId: string,
  input: UpdateRoleSlotBody,
): Promise<RoleSlot> {
  const who = requireCoordinator(actor, eventId);
  return writeEvent(db, eventId, async (tx, record) => {
    const current = await loadSlot(tx, eventId, slotId);
    checkWindow(
      input.startTime !== undefined ? input.startTime : current.startTime,
      input.endTime !== undefined ? input.endTime : current.endTime,
    );
    checkNeed(
      input.needMinimum !== undefined ? input.needMinimum : current.needMinimum,
      input.capacity ?? current.capacity,
    );
    await checkReferences(tx, eventId, input);
    // Capacity may not drop below the places already claimed: the condition makes the
    // check and the change one atomic step.
    const [slot] = await tx
      .update(roleSlots)
      .set({ ...input, updatedAt: new Date() })
      .where(
        and(
          eq(roleSlots.id, slotId),
          input.capacity !== undefined ? sql`${roleSlots.filled} <= ${input.capacity}` : undefined,
        ),
      )
      .returning();
    if (!slot) {
      throw Conflict(
        `${current.filled} people hold this role; release places before lowering its capacity.`,
      );
    }
    // Waiting people are locked before the change records take the event's lock.
    if (slot.capacity > current.capacity) await fillFromWaitlist(tx, record, slot);
    await record(
      'roleSlot.updated',
      { slotId, fields: Object.keys(input) },
      { contingentId: slot.contingentId },
    );
    const [described] = await describeSlots(tx, who, eventId, [
      await loadSlot(tx, eventId, slotId),
    ]);
    return described!;
  });
}

export async function deleteRoleSlot(
  db: Database,
  actor: Actor | null,
  eventId: string,
  slotId: string,
): Promise<void> {
  requireCoordinator(actor, eventId);
  await writeEvent(db, eventId, async (tx, record) => {
    const slot = await loadSlot(tx, eventId, slotId);
    await tx.delete(roleSlots).where(eq(roleSlots.id, slotId));
    await record('roleSlot.deleted', { slotId }, { contingentId: slot.contingentId });
  });
}
