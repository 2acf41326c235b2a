// Claims on role slots. Capacity is enforced by one conditional update of the slot's
// `filled` counter (never count-then-insert); locks are always taken slot first, then
// person, then event, so concurrent claims and releases cannot deadlock.
import { and, asc, eq, sql } from 'drizzle-orm';
import { people, roleClaims, roleSlots, roleWaitlist } from '../../../drizzle/schema.ts';
import { type Actor, requireEventMember, seesWholeEvent } from '../../access.ts';
import { type RecordChange, writeEvent } from '../../changes.ts';
import { AppError, Conflict, Forbidden, Invalid, NotFound } from '../../errors.ts';
import { once, type Outcome } from '../../idempotency.ts';
import type { Database, Transaction } from '../../plugins/database.ts';
import type { Claim } from './schemas.ts';
import { loadSlot, maySeeSlot, type SlotRow } from './service.ts';

type Person = typeof people.$inferSelect;

/** Locks the slot's row: releases and waitlist joins on one slot then go one at a time. */
async function lockSlot(tx: Transaction, eventId: string, slotId: string): Promise<SlotRow> {
  const [slot] = await tx
    .select()
    .from(roleSlots)
    .where(and(eq(roleSlots.id, slotId), eq(roleSlots.eventId, eventId)))
    .for('update');
  if (!slot) throw NotFound('The role slot');
  return slot;
}

/** Event-wide roles are anyone's to take; a contingent's roles are its members'. */
function mayHold(person: { contingentId: string | null }, slot: SlotRow): boolean {
  return !slot.contingentId || slot.contingentId === person.contingentId;
}

/** Takes one place if there is one: the check and the increment are one atomic update. */
async function takePlace(tx: Transaction, slot: SlotRow): Promise<void> {
  const [row] = await tx
    .update(roleSlots)
    .set({ filled: sql`${roleSlots.filled} + 1` })
    .where(and(eq(roleSlots.id, slot.id), sql`${roleSlots.filled} < ${roleSlots.capacity}`))
    .returning({ id: roleSlots.id });
  if (!row) {
    throw Conflict(`"${slot.name}" is full: all ${slot.capacity} places are taken.`, {
      reason: 'slot_full',
      params: { slot: slot.name, capacity: slot.capacity },
    });
  }
}

/**
 * Locks the person (serializing their claims) and checks they are in the event. `no key
 * update`, not `update`: a keyed claim has already stored its Idempotency-Key, whose foreign
 * key took a key-share lock on the person, and `for update` conflicts with that. Two keyed
 * claims of one person at once (a phone retrying its queue after a restart) would each hold
 * a key share and wait for the other's: a deadlock, again on every retry.
 */
async function lockPerson(tx: Transaction, eventId: string, personId: string): Promise<Person> {
  const [person] = await tx
    .select()
    .from(people)
    .where(and(eq(people.id, personId), eq(people.eventId, eventId)))
    .for('no key update');
  if (!person) throw Invalid('/body/personId', 'is not a person in this event');
  return person;
}

/**
 * Refuses a contingent's slot to someone outside it (they could not see it), a second place
 * in the same slot, or a slot whose time window overlaps one the person holds.
 */
async function checkFree(tx: Transaction, slot: SlotRow, person: Person): Promise<void> {
  if (!mayHold(person, slot)) {
    throw Invalid('/body/personId', `is not a member of the contingent "${slot.name}" is for`);
  }
  const held = await tx
    .select({ slot: roleSlots })
    .from(roleClaims)
    .innerJoin(roleSlots, eq(roleSlots.id, roleClaims.slotId))
    .where(eq(roleClaims.personId, person.id));
  if (held.some((h) => h.slot.id === slot.id)) {
    throw Conflict(`${person.displayName} already holds "${slot.name}".`, {
      reason: 'already_held',
      params: { person: person.displayName, slot: slot.name },
    });
  }
  if (!slot.startTime || !slot.endTime) return;
  const clash = held.find(
    ({ slot: other }) =>
      other.startTime &&
      other.endTime &&
      other.startTime < slot.endTime! &&
      slot.startTime! < other.endTime,
  );
  if (clash) {
    const other = clash.slot;
    const params = {
      person: person.displayName,
      other: other.name,
      otherWindow: `${other.startTime}–${other.endTime}`,
      slot: slot.name,
      window: `${slot.startTime}–${slot.endTime}`,
    };
    throw Conflict(
      `${params.person} already holds "${params.other}" (${params.otherWindow}), which overlaps "${params.slot}" (${params.window}).`,
      { reason: 'time_overlap', params },
    );
  }
}

async function insertClaim(
  tx: Transaction,
  record: RecordChange,
  slot: SlotRow,
  person: Person,
  by: { personId: string | null; type: 'claim.created' | 'claim.assigned' | 'claim.promoted' },
): Promise<Claim> {
  const [row] = await tx
    .insert(roleClaims)
    .values({ slotId: slot.id, personId: person.id, assignedBy: by.personId })
    .returning();
  await tx
    .delete(roleWaitlist)
    .where(and(eq(roleWaitlist.slotId, slot.id), eq(roleWaitlist.personId, person.id)));
  const claim: Claim = {
    id: row!.id,
    slotId: slot.id,
    personId: person.id,
    displayName: person.displayName,
    createdAt: row!.createdAt.toISOString(),
  };
  await record(
    by.type,
    { claim, slotId: slot.id, holderContingentId: person.contingentId },
    { contingentId: slot.contingentId },
  );
  return claim;
}

/** One claim write: idempotent per key, a place taken, the person checked, the claim stored. */
async function claimFor(
  db: Database,
  actor: Actor,
  eventId: string,
  slot: SlotRow,
  personId: string,
  key: string | undefined,
): Promise<Outcome<Claim>> {
  const self = personId === actor.personId;
  return writeEvent(db, eventId, (tx, record) =>
    once(tx, actor.personId, key, `claim:${slot.id}:${personId}`, async () => {
      const current = await loadSlot(tx, eventId, slot.id);
      await takePlace(tx, current);
      const person = await lockPerson(tx, eventId, personId);
      await checkFree(tx, current, person);
      const type = self ? 'claim.created' : 'claim.assigned';
      const claim = await insertClaim(tx, record, current, person, {
        personId: actor.personId,
        type,
      });
      return { status: 201, body: claim };
    }),
  );
}

export async function claimRole(
  db: Database,
  actor: Actor | null,
  eventId: string,
  slotId: string,
  key?: string,
): Promise<Outcome<Claim>> {
  const who = requireEventMember(actor, eventId);
  if (!who.eventId) throw Forbidden('Administrators do not hold roles; assign someone instead.');
  const slot = await loadSlot(db, eventId, slotId);
  if (!mayHold(who, slot)) throw Forbidden('This role is for members of another contingent.');
  return claimFor(db, who, eventId, slot, who.personId, key);
}

/** Coordinators assign anyone in the event; a leader assigns their own contingent's members. */
export async function assignRole(
  db: Database,
  actor: Actor | null,
  eventId: string,
  slotId: string,
  personId: string,
  key?: string,
): Promise<Outcome<Claim>> {
  const who = requireEventMember(actor, eventId);
  const slot = await loadSlot(db, eventId, slotId);
  if (!seesWholeEvent(who)) {
    if (who.role !== 'leader' || !maySeeSlot(who, slot)) {
      throw Forbidden('Only a coordinator or this contingent’s leader may assign this role.');
    }
    const [member] = await db
      .select({ id: people.id })
      .from(people)
      .where(and(eq(people.id, personId), eq(people.contingentId, who.contingentId!)));
    if (!member) throw Invalid('/body/personId', 'is not a member of your contingent');
  }
  return claimFor(db, who, eventId, slot, personId, key);
}

/** The first person waiting who may take the place (no overlapping role) gets it. */
/**
 * The first `count` people waiting who may take a place in `slot` (no overlapping role),
 * locked. Runs before the transaction records a change: locks go slot, person, event.
 */
async function nextInLine(tx: Transaction, slot: SlotRow, count: number): Promise<Person[]> {
  const queue = await tx
    .select()
    .from(roleWaitlist)
    .where(eq(roleWaitlist.slotId, slot.id))
    .orderBy(asc(roleWaitlist.createdAt), asc(roleWaitlist.id));
  const chosen: Person[] = [];
  for (const waiting of queue) {
    if (chosen.length === count) break;
    try {
      const person = await lockPerson(tx, slot.eventId, waiting.personId);
      await checkFree(tx, slot, person);
      chosen.push(person);
    } catch (error) {
      // Our own refusals skip this person; a database error fails the whole transaction.
      if (!(error instanceof AppError)) throw error;
    }
  }
  return chosen;
}

function promote(tx: Transaction, record: RecordChange, slot: SlotRow, person: Person) {
  return insertClaim(tx, record, slot, person, { personId: null, type: 'claim.promoted' });
}

/**
 * After capacity grows, people waiting take the new places, first come first served.
 * Call it on the locked slot before recording any change.
 */
export async function fillFromWaitlist(tx: Transaction, record: RecordChange, slot: SlotRow) {
  const promoted = await nextInLine(tx, slot, slot.capacity - slot.filled);
  if (promoted.length === 0) return;
  await tx
    .update(roleSlots)
    .set({ filled: sql`${roleSlots.filled} + ${promoted.length}` })
    .where(eq(roleSlots.id, slot.id));
  for (const person of promoted) await promote(tx, record, slot, person);
}

/** The holder releases; the contingent's leader or a coordinator removes. */
export async function releaseRole(
  db: Database,
  actor: Actor | null,
  eventId: string,
  slotId: string,
  claimId: string,
): Promise<{ promoted: Claim | null }> {
  const who = requireEventMember(actor, eventId);
  return writeEvent(db, eventId, async (tx, record) => {
    // The slot's row lock serializes releases, so each freed place goes to one person.
    const slot = await lockSlot(tx, eventId, slotId);
    const [claim] = await tx
      .select({ claim: roleClaims, contingentId: people.contingentId })
      .from(roleClaims)
      .innerJoin(people, eq(people.id, roleClaims.personId))
      .where(and(eq(roleClaims.id, claimId), eq(roleClaims.slotId, slotId)));
    if (!claim) throw NotFound('The claim');
    const leads =
      who.role === 'leader' &&
      who.contingentId !== null &&
      (slot.contingentId === who.contingentId || claim.contingentId === who.contingentId);
    if (claim.claim.personId !== who.personId && !seesWholeEvent(who) && !leads) {
      throw Forbidden('Only the holder, their leader or a coordinator may release this role.');
    }
    await tx.delete(roleClaims).where(eq(roleClaims.id, claimId));
    const [next] = await nextInLine(tx, slot, 1);
    await record(
      'claim.released',
      {
        claimId,
        slotId,
        personId: claim.claim.personId,
        holderContingentId: claim.contingentId,
        by: who.personId,
      },
      { contingentId: slot.contingentId },
    );
    const promoted = next ? await promote(tx, record, slot, next) : null;
    if (!promoted) {
      await tx
        .update(roleSlots)
        .set({ filled: sql`${roleSlots.filled} - 1` })
        .where(eq(roleSlots.id, slotId));
    }
    return { promoted };
  });
}

/** A person may wait for a full slot; the first in line gets the next freed place. */
export async function joinWaitlist(
  db: Database,
  actor: Actor | null,
  eventId: string,
  slotId: string,
): Promise<{ slotId: string; personId: string; place: number }> {
  const who = requireEventMember(actor, eventId);
  if (!who.eventId) throw Forbidden('Administrators do not hold roles.');
  return writeEvent(db, eventId, async (tx, record) => {
    const slot = await lockSlot(tx, eventId, slotId);
    if (!mayHold(who, slot)) throw Forbidden('This role is for members of another contingent.');
    if (slot.filled < slot.capacity) {
      throw Conflict(`"${slot.name}" has free places: claim one.`, {
        reason: 'slot_has_room',
        params: { slot: slot.name },
      });
    }
    const person = await lockPerson(tx, eventId, who.personId);
    await checkFree(tx, slot, person);
    const joined = await tx
      .insert(roleWaitlist)
      .values({ slotId, personId: who.personId })
      .onConflictDoNothing()
      .returning({ id: roleWaitlist.id });
    const queue = await tx
      .select({ personId: roleWaitlist.personId })
      .from(roleWaitlist)
      .where(eq(roleWaitlist.slotId, slotId))
      .orderBy(asc(roleWaitlist.createdAt), asc(roleWaitlist.id));
    const place = queue.findIndex((w) => w.personId === who.personId) + 1;
    // Asking again (a retried request) answers the place held and changes nothing.
    if (joined.length === 0) return { slotId, personId: who.personId, place };
    await record(
      'waitlist.joined',
      { slotId, personId: who.personId, place, holderContingentId: who.contingentId },
      { contingentId: slot.contingentId },
    );
    return { slotId, personId: who.personId, place };
  });
}

export async function leaveWaitlist(
  db: Database,
  actor: Actor | null,
  eventId: string,
  slotId: string,
): Promise<void> {
  const who = requireEventMember(actor, eventId);
  await writeEvent(db, eventId, async (tx, record) => {
    const slot = await loadSlot(tx, eventId, slotId);
    const left = await tx
      .delete(roleWaitlist)
      .where(and(eq(roleWaitlist.slotId, slotId), eq(roleWaitlist.personId, who.personId)))
      .returning({ id: roleWaitlist.id });
    if (left.length === 0) throw NotFound('Your place on this waitlist');
    await record(
      'waitlist.left',
      { slotId, personId: who.personId, holderContingentId: who.contingentId },
      { contingentId: slot.contingentId },
    );
  });
}
