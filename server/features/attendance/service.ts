// "I'm here": people check themselves in at the meeting point, and their leader and the
// coordinators see how many of each contingent are here, live. Names go no further than that:
// a check-in's change record reaches the coordinators, the contingent's leader and the person.
import { and, asc, eq, type SQL, sql } from 'drizzle-orm';
import { checkIns, contingents, meetingPoints, people } from '../../../drizzle/schema.ts';
import { type Actor, requireEventMember, seesWholeEvent } from '../../access.ts';
import { requireEvent, writeEvent } from '../../changes.ts';
import { Forbidden, Invalid, NotFound } from '../../errors.ts';
import { once, type Outcome } from '../../idempotency.ts';
import type { Database, Queryable } from '../../plugins/database.ts';
import { meetingPointsSeenBy } from '../events/service.ts';
import type {
  Attendance,
  AttendanceCount,
  CheckIn,
  CheckInBody,
  ContingentAttendance,
  MyCheckIn,
} from './schemas.ts';

type CheckInRow = typeof checkIns.$inferSelect;

function toCheckIn(row: CheckInRow, displayName: string): CheckIn {
  return {
    personId: row.personId,
    displayName,
    contingentId: row.contingentId,
    meetingPointId: row.meetingPointId,
    checkedInAt: row.checkedInAt.toISOString(),
  };
}

/** Whoever joined the event checks themselves in; administrators are in no event. */
function requireParticipant(actor: Actor | null, eventId: string): Actor {
  const who = requireEventMember(actor, eventId);
  if (who.eventId !== eventId) throw Forbidden('Only people who joined this event check in.');
  return who;
}

const mine = (who: Actor, eventId: string) =>
  and(eq(checkIns.eventId, eventId), eq(checkIns.personId, who.personId));

async function requireVisibleMeetingPoint(
  db: Queryable,
  who: Actor,
  eventId: string,
  meetingPointId: string,
): Promise<void> {
  const [row] = await db
    .select({ id: meetingPoints.id })
    .from(meetingPoints)
    .where(
      and(
        eq(meetingPoints.id, meetingPointId),
        eq(meetingPoints.eventId, eventId),
        meetingPointsSeenBy(who),
      ),
    );
  if (!row) throw Invalid('/body/meetingPointId', 'is not a meeting point of this event you see');
}

/**
 * Checks the caller in: 201 with the new check-in, or 200 with the one kept when they had
 * checked in already (its time and meeting point stay as they were; nothing is recorded).
 */
export async function checkIn(
  db: Database,
  actor: Actor | null,
  eventId: string,
  input: CheckInBody,
  key?: string,
): Promise<Outcome<CheckIn>> {
  const who = requireParticipant(actor, eventId);
  return writeEvent(db, eventId, (tx, record) =>
    once(tx, who.personId, key, `checkIn:${eventId}`, async () => {
      const meetingPointId = input.meetingPointId ?? null;
      if (meetingPointId) await requireVisibleMeetingPoint(tx, who, eventId, meetingPointId);
      const [row] = await tx
        .insert(checkIns)
        .values({ eventId, personId: who.personId, contingentId: who.contingentId, meetingPointId })
        .onConflictDoNothing()
        .returning();
      if (!row) {
        const [kept] = await tx.select().from(checkIns).where(mine(who, eventId));
        return { status: 200, body: toCheckIn(kept!, who.displayName) };
      }
      const checkIn = toCheckIn(row, who.displayName);
      await record('attendance.checkedIn', { checkIn }, { contingentId: row.contingentId });
      return { status: 201, body: checkIn };
    }),
  );
}

/** Takes the caller's check-in back (a mistap); 404 when there is none. */
export async function undoCheckIn(
  db: Database,
  actor: Actor | null,
  eventId: string,
): Promise<void> {
  const who = requireParticipant(actor, eventId);
  await writeEvent(db, eventId, async (tx, record) => {
    const [row] = await tx.delete(checkIns).where(mine(who, eventId)).returning();
    if (!row) throw NotFound('Your check-in');
    const checkIn = toCheckIn(row, who.displayName);
    await record('attendance.undone', { checkIn }, { contingentId: row.contingentId });
  });
}

export async function getMyCheckIn(
  db: Database,
  actor: Actor | null,
  eventId: string,
): Promise<MyCheckIn> {
  const who = requireParticipant(actor, eventId);
  const [row] = await db.select().from(checkIns).where(mine(who, eventId));
  return { checkIn: row ? toCheckIn(row, who.displayName) : null };
}

/** Per contingent, in march order: who checked in, the expected size, who joined. */
function contingentCounts(
  db: Database,
  eventId: string,
  only: string | null,
): Promise<ContingentAttendance[]> {
  const count = (query: SQL) => sql<number>`(${query})`.mapWith(Number);
  return db
    .select({
      contingentId: contingents.id,
      checkedIn: count(
        sql`select count(*) from ${checkIns} where ${checkIns.eventId} = ${contingents.eventId} and ${checkIns.contingentId} = ${contingents.id}`,
      ),
      expected: contingents.expectedSize,
      members: count(
        sql`select count(*) from ${people} where ${people.contingentId} = ${contingents.id}`,
      ),
    })
    .from(contingents)
    .where(and(eq(contingents.eventId, eventId), only ? eq(contingents.id, only) : undefined))
    .orderBy(asc(contingents.marchOrder), asc(contingents.id));
}

/** Everyone in the event, in a contingent or not (coordinators check in too). */
async function totalOf(
  db: Database,
  eventId: string,
  rows: ContingentAttendance[],
): Promise<AttendanceCount> {
  const [checkedIn, members] = await Promise.all([
    db.$count(checkIns, eq(checkIns.eventId, eventId)),
    db.$count(people, eq(people.eventId, eventId)),
  ]);
  const expected = rows.reduce((sum, row) => sum + row.expected, 0);
  return { checkedIn, expected, members };
}

/** Coordinators see every contingent and the event's total; a leader their contingent only. */
export async function getAttendance(
  db: Database,
  actor: Actor | null,
  eventId: string,
): Promise<Attendance> {
  const who = requireEventMember(actor, eventId);
  const whole = seesWholeEvent(who);
  if (!whole && (who.role !== 'leader' || !who.contingentId)) {
    throw Forbidden('Only coordinators and contingent leaders see attendance.');
  }
  await requireEvent(db, eventId);
  const rows = await contingentCounts(db, eventId, whole ? null : who.contingentId);
  return { contingents: rows, total: whole ? await totalOf(db, eventId, rows) : null };
}
