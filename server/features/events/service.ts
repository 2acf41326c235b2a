// Events: create, read the plan as the caller may see it, update, import a GPX route.
import { and, asc, eq, inArray, or, type SQL, sql } from 'drizzle-orm';
import {
  changeRecords,
  contingents,
  events,
  meetingPointContingents,
  meetingPoints,
  people,
} from '../../../drizzle/schema.ts';
import {
  type Actor,
  requireAdministrator,
  requireCoordinator,
  requireActor,
  requireEventMember,
  seesWholeEvent,
} from '../../access.ts';
import { recordChange, writeEvent } from '../../changes.ts';
import { Invalid, NotFound } from '../../errors.ts';
import type { Database, Queryable, Transaction } from '../../plugins/database.ts';
import { canonicalTimeZone, isCalendarDate, zonedInstant } from '../../time.ts';
import { toContingent } from '../contingents/service.ts';
import { toMeetingPoint } from '../meeting-points/service.ts';
import { visiblePositions } from '../positions/service.ts';
import { parseGpxRoute } from './gpx.ts';
import type { CreateEventBody, EventPlan, EventSummary, UpdateEventBody } from './schemas.ts';

type EventRow = typeof events.$inferSelect;

function toSummary(row: EventRow): EventSummary {
  return {
    id: row.id,
    name: row.name,
    date: row.date,
    startTime: row.startTime,
    timezone: row.timezone,
    startsAt: row.startsAt.toISOString(),
  };
}

/** Checks the date and returns the timezone's canonical spelling. */
function checkWhen(date: string, timezone: string): string {
  if (!isCalendarDate(date)) throw Invalid('/body/date', 'is not a calendar date');
  const canonical = canonicalTimeZone(timezone);
  if (!canonical) throw Invalid('/body/timezone', 'is not a known IANA timezone');
  return canonical;
}

export async function createEvent(db: Database, actor: Actor | null, input: CreateEventBody) {
  requireAdministrator(actor);
  const timezone = checkWhen(input.date, input.timezone);
  const eventId = await db.transaction(async (tx) => {
    const [row] = await tx
      .insert(events)
      .values({
        ...input,
        timezone,
        startsAt: zonedInstant(input.date, input.startTime, timezone),
      })
      .returning({ id: events.id });
    await recordChange(tx, row!.id, 'event.created', { eventId: row!.id });
    return row!.id;
  });
  return getEvent(db, actor, eventId);
}

export async function listEvents(db: Database, actor: Actor | null): Promise<EventSummary[]> {
  const who = requireActor(actor);
  const rows = await db
    .select()
    .from(events)
    .where(who.role === 'administrator' ? undefined : eq(events.id, who.eventId!))
    .orderBy(asc(events.startsAt));
  return rows.map(toSummary);
}

async function loadEvent(db: Queryable, eventId: string): Promise<EventRow> {
  const [row] = await db.select().from(events).where(eq(events.id, eventId));
  if (!row) throw NotFound('The event');
  return row;
}

/** Which meeting points `actor` may see: all for coordinators, else public ones and their contingent's. */
export function meetingPointsSeenBy(actor: Actor): SQL | undefined {
  const mine = actor.contingentId;
  return seesWholeEvent(actor)
    ? undefined
    : or(
        eq(meetingPoints.visibility, 'event'),
        mine
          ? sql`exists (select 1 from ${meetingPointContingents} where ${meetingPointContingents.meetingPointId} = ${meetingPoints.id} and ${meetingPointContingents.contingentId} = ${mine})`
          : sql`false`,
      );
}

async function visibleMeetingPoints(db: Queryable, actor: Actor, event: EventRow) {
  const visible = meetingPointsSeenBy(actor);
  const rows = await db
    .select()
    .from(meetingPoints)
    .where(and(eq(meetingPoints.eventId, event.id), visible))
    .orderBy(asc(meetingPoints.meetTime), asc(meetingPoints.name));
  const links = rows.length
    ? await db
        .select()
        .from(meetingPointContingents)
        .where(
          inArray(
            meetingPointContingents.meetingPointId,
            rows.map((r) => r.id),
          ),
        )
    : [];
  return rows.map((row) =>
    toMeetingPoint(
      row,
      links.filter((l) => l.meetingPointId === row.id).map((l) => l.contingentId),
      event,
    ),
  );
}

async function visibleContingents(db: Queryable, actor: Actor, eventId: string) {
  if (!seesWholeEvent(actor) && !actor.contingentId) return [];
  const rows = await db
    .select({ contingent: contingents, leaderName: people.displayName })
    .from(contingents)
    .leftJoin(people, eq(people.id, contingents.leaderId))
    .where(
      and(
        eq(contingents.eventId, eventId),
        seesWholeEvent(actor) ? undefined : eq(contingents.id, actor.contingentId!),
      ),
    )
    .orderBy(asc(contingents.marchOrder), asc(contingents.createdAt));
  return rows.map((r) => toContingent(r.contingent, r.leaderName));
}

export async function getEvent(
  db: Database,
  actor: Actor | null,
  eventId: string,
): Promise<EventPlan> {
  const who = requireEventMember(actor, eventId);
  // One snapshot, so lastSeq matches what the plan contains.
  return db.transaction(
    async (tx) => {
      const event = await loadEvent(tx, eventId);
      return {
        ...toSummary(event),
        description: event.description,
        bring: event.bring,
        route: event.route ?? null,
        assemblyPoint: event.assemblyPoint ?? null,
        rallyPoint: event.rallyPoint ?? null,
        shareContingentPositions: event.shareContingentPositions,
        lastSeq: event.lastSeq,
        contingents: await visibleContingents(tx, who, eventId),
        meetingPoints: await visibleMeetingPoints(tx, who, event),
        positions: await visiblePositions(tx, who, event),
      };
    },
    { isolationLevel: 'repeatable read' },
  );
}

export async function updateEvent(
  db: Database,
  actor: Actor | null,
  eventId: string,
  input: UpdateEventBody,
): Promise<EventPlan> {
  requireCoordinator(actor, eventId);
  await writeEvent(db, eventId, async (tx, record) => {
    const event = await loadEvent(tx, eventId);
    const date = input.date ?? event.date;
    const startTime = input.startTime ?? event.startTime;
    const timezone = checkWhen(date, input.timezone ?? event.timezone);
    await tx
      .update(events)
      .set({
        ...input,
        timezone,
        startsAt: zonedInstant(date, startTime, timezone),
        updatedAt: new Date(),
      })
      .where(eq(events.id, eventId));
    if (input.shareContingentPositions !== undefined) {
      await shareKeptPositions(tx, eventId, input.shareContingentPositions);
    }
    await record('event.updated', { eventId, fields: Object.keys(input), values: input });
  });
  return getEvent(db, actor, eventId);
}

/**
 * Turning sharing on or off applies to the positions already kept too: a client replaying
 * changes after the switch gets what getEvent would show it now. The live hub's copy of
 * recent records does the same (server/live/recent.ts).
 */
async function shareKeptPositions(tx: Transaction, eventId: string, share: boolean) {
  await tx
    .update(changeRecords)
    .set({
      payload: sql`jsonb_set(${changeRecords.payload}, '{membersSee}', to_jsonb(${share}::boolean))`,
    })
    .where(
      and(
        eq(changeRecords.eventId, eventId),
        eq(changeRecords.type, 'contingent.position'),
        sql`${changeRecords.payload} ? 'position'`,
      ),
    );
}

export async function importRouteGpx(
  db: Database,
  actor: Actor | null,
  eventId: string,
  gpx: string,
): Promise<EventPlan> {
  requireCoordinator(actor, eventId);
  const route = parseGpxRoute(gpx);
  return updateEvent(db, actor, eventId, { route });
}

/** Used by joins: the leaders and volunteers of a contingent must belong to the event. */
export async function contingentOfEvent(db: Queryable, eventId: string, contingentId: string) {
  const [row] = await db
    .select()
    .from(contingents)
    .where(and(eq(contingents.id, contingentId), eq(contingents.eventId, eventId)));
  return row ?? null;
}
