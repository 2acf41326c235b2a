// Meeting points: where and when people meet, and who may see each one.
import { and, eq, inArray } from 'drizzle-orm';
import {
  contingents,
  events,
  meetingPointContingents,
  meetingPoints,
} from '../../../drizzle/schema.ts';
import { type Actor, requireCoordinator } from '../../access.ts';
import { writeEvent } from '../../changes.ts';
import { Invalid, NotFound } from '../../errors.ts';
import type { Database, Transaction } from '../../plugins/database.ts';
import { zonedInstant } from '../../time.ts';
import type { CreateMeetingPointBody, MeetingPoint, UpdateMeetingPointBody } from './schemas.ts';

type MeetingPointRow = typeof meetingPoints.$inferSelect;
type EventTime = Pick<typeof events.$inferSelect, 'date' | 'timezone'>;

export function toMeetingPoint(
  row: MeetingPointRow,
  contingentIds: string[],
  event: EventTime,
): MeetingPoint {
  return {
    id: row.id,
    name: row.name,
    position: { lat: row.lat, lng: row.lng },
    address: row.address,
    meetTime: row.meetTime,
    meetAt: row.meetTime
      ? zonedInstant(event.date, row.meetTime, event.timezone).toISOString()
      : null,
    instructions: row.instructions,
    visibility: row.visibility,
    contingentIds,
  };
}

async function eventTime(tx: Transaction, eventId: string): Promise<EventTime> {
  const [row] = await tx
    .select({ date: events.date, timezone: events.timezone })
    .from(events)
    .where(eq(events.id, eventId));
  if (!row) throw NotFound('The event');
  return row;
}

/** Replaces the meeting point's contingents, after checking they belong to the event. */
async function setContingents(
  tx: Transaction,
  eventId: string,
  meetingPointId: string,
  contingentIds: string[],
) {
  if (contingentIds.length > 0) {
    const found = await tx
      .select({ id: contingents.id })
      .from(contingents)
      .where(and(eq(contingents.eventId, eventId), inArray(contingents.id, contingentIds)));
    if (found.length !== contingentIds.length) {
      throw Invalid('/body/contingentIds', 'names a contingent that is not in this event');
    }
  }
  await tx
    .delete(meetingPointContingents)
    .where(eq(meetingPointContingents.meetingPointId, meetingPointId));
  if (contingentIds.length > 0) {
    await tx
      .insert(meetingPointContingents)
      .values(contingentIds.map((contingentId) => ({ meetingPointId, contingentId })));
  }
}

async function currentContingents(tx: Transaction, meetingPointId: string): Promise<string[]> {
  const rows = await tx
    .select({ id: meetingPointContingents.contingentId })
    .from(meetingPointContingents)
    .where(eq(meetingPointContingents.meetingPointId, meetingPointId));
  return rows.map((r) => r.id);
}

function columns(input: UpdateMeetingPointBody) {
  const { position, contingentIds: _ignored, ...rest } = input;
  return { ...rest, ...(position ? { lat: position.lat, lng: position.lng } : {}) };
}

export async function createMeetingPoint(
  db: Database,
  actor: Actor | null,
  eventId: string,
  input: CreateMeetingPointBody,
): Promise<MeetingPoint> {
  requireCoordinator(actor, eventId);
  return writeEvent(db, eventId, async (tx, record) => {
    const event = await eventTime(tx, eventId);
    const [row] = await tx
      .insert(meetingPoints)
      .values({
        eventId,
        ...columns(input),
        name: input.name,
        lat: input.position.lat,
        lng: input.position.lng,
      })
      .returning();
    const contingentIds = input.contingentIds ?? [];
    await setContingents(tx, eventId, row!.id, contingentIds);
    const meetingPoint = toMeetingPoint(row!, contingentIds, event);
    await record('meetingPoint.created', { meetingPoint });
    return meetingPoint;
  });
}

export async function updateMeetingPoint(
  db: Database,
  actor: Actor | null,
  eventId: string,
  meetingPointId: string,
  input: UpdateMeetingPointBody,
): Promise<MeetingPoint> {
  requireCoordinator(actor, eventId);
  return writeEvent(db, eventId, async (tx, record) => {
    const event = await eventTime(tx, eventId);
    const [current] = await tx
      .select()
      .from(meetingPoints)
      .where(and(eq(meetingPoints.id, meetingPointId), eq(meetingPoints.eventId, eventId)))
      .for('update');
    if (!current) throw NotFound('The meeting point');
    // What it was, so open pages can show what changed and who no longer sees it.
    const previous = toMeetingPoint(current, await currentContingents(tx, current.id), event);
    const [row] = await tx
      .update(meetingPoints)
      .set({ ...columns(input), updatedAt: new Date() })
      .where(and(eq(meetingPoints.id, meetingPointId), eq(meetingPoints.eventId, eventId)))
      .returning();
    if (!row) throw NotFound('The meeting point');
    if (input.contingentIds) await setContingents(tx, eventId, row.id, input.contingentIds);
    const meetingPoint = toMeetingPoint(row, await currentContingents(tx, row.id), event);
    await record('meetingPoint.updated', { meetingPoint, previous, fields: Object.keys(input) });
    return meetingPoint;
  });
}

export async function deleteMeetingPoint(
  db: Database,
  actor: Actor | null,
  eventId: string,
  meetingPointId: string,
): Promise<void> {
  requireCoordinator(actor, eventId);
  await writeEvent(db, eventId, async (tx, record) => {
    const contingentIds = await currentContingents(tx, meetingPointId);
    const deleted = await tx
      .delete(meetingPoints)
      .where(and(eq(meetingPoints.id, meetingPointId), eq(meetingPoints.eventId, eventId)))
      .returning({ id: meetingPoints.id });
    if (deleted.length === 0) throw NotFound('The meeting point');
    await record('meetingPoint.deleted', { meetingPointId, contingentIds });
  });
}
