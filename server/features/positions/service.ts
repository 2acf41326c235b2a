// Where each contingent is on the day, and how far along: leaders report, coordinators watch.
// Only the latest position of a contingent is kept — no history, not even in the change log.
import { and, eq, sql } from 'drizzle-orm';
import {
  changeRecords,
  contingentPositions,
  contingents,
  events,
} from '../../../drizzle/schema.ts';
import {
  type Actor,
  requireEventMember,
  requireLeaderOrCoordinator,
  seesWholeEvent,
} from '../../access.ts';
import { writeEvent } from '../../changes.ts';
import { Conflict, Invalid, NotFound, TooManyRequests } from '../../errors.ts';
import {
  commitAsynchronously,
  type Database,
  type Queryable,
  type Transaction,
} from '../../plugins/database.ts';
import { coarsen } from './coarsen.ts';
import {
  CLOCK_SKEW_MS,
  type ContingentPosition,
  type ContingentStatus,
  type ContingentStatusResult,
  MAX_REPORT_AGE_MS,
  REPORT_INTERVAL_MS,
  type ReportPositionBody,
} from './schemas.ts';

type PositionRow = typeof contingentPositions.$inferSelect;

export function toPosition(row: PositionRow): ContingentPosition {
  return {
    contingentId: row.contingentId,
    position: { lat: row.lat, lng: row.lng },
    accuracy: row.accuracy,
    recordedAt: row.recordedAt.toISOString(),
    receivedAt: row.receivedAt.toISOString(),
    coarse: false,
  };
}

/** What a volunteer sees of their contingent: a cell of about 200 m, not the point. */
export function coarsePosition(position: ContingentPosition): ContingentPosition {
  return {
    ...position,
    position: coarsen(position.position),
    accuracy: Math.max(200, position.accuracy),
    coarse: true,
  };
}

function checkRecordedAt(recordedAt: string, now: number): Date {
  const at = new Date(recordedAt);
  if (Number.isNaN(at.getTime())) throw Invalid('/body/recordedAt', 'is not a timestamp');
  if (at.getTime() > now + CLOCK_SKEW_MS) {
    throw Invalid('/body/recordedAt', 'is in the future; check the phone’s clock');
  }
  if (at.getTime() < now - MAX_REPORT_AGE_MS) {
    throw Invalid('/body/recordedAt', 'is more than 5 minutes old');
  }
  return at;
}

/** Locks the contingent (one report at a time each) and reads what the report depends on. */
async function lockContingent(tx: Transaction, eventId: string, contingentId: string) {
  const [row] = await tx
    .select({ share: events.shareContingentPositions, previous: contingentPositions })
    .from(contingents)
    .innerJoin(events, eq(events.id, contingents.eventId))
    .leftJoin(contingentPositions, eq(contingentPositions.contingentId, contingents.id))
    .where(and(eq(contingents.id, contingentId), eq(contingents.eventId, eventId)))
    .for('update', { of: contingents });
  if (!row) throw NotFound('The contingent');
  return { share: row.share, previous: row.previous ?? undefined };
}

/** Refuses a report that comes too soon after the last one, or was measured before it. */
function checkAfter(previous: PositionRow | undefined, recordedAt: Date, now: number) {
  if (!previous) return;
  const wait = previous.receivedAt.getTime() + REPORT_INTERVAL_MS - now;
  if (wait > 0) {
    throw TooManyRequests('This contingent’s position was reported a moment ago.', wait / 1000);
  }
  if (recordedAt <= previous.recordedAt) {
    throw Conflict('A newer position of this contingent is already known.', {
      reason: 'position_outdated',
      params: { recordedAt: previous.recordedAt.toISOString() },
    });
  }
}

export async function reportPosition(
  db: Database,
  actor: Actor | null,
  eventId: string,
  contingentId: string,
  input: ReportPositionBody,
): Promise<ContingentPosition> {
  requireLeaderOrCoordinator(actor, eventId, contingentId);
  const now = Date.now();
  const recordedAt = checkRecordedAt(input.recordedAt, now);
  return writeEvent(db, eventId, async (tx, record) => {
    // A position is stale in seconds and the next report is on its way: its commit need not
    // wait for the disk, and the event's lock (taken by record) is held for less. The log is
    // written in order, so a crash of PostgreSQL can lose only the last reports, never one
    // before a change that survived. (PostgreSQL only: see commitAsynchronously.)
    await commitAsynchronously(db, tx);
    const { share, previous } = await lockContingent(tx, eventId, contingentId);
    checkAfter(previous, recordedAt, now);
    // Done before the event's lock is taken, so that lock covers as little as it can.
    if (previous) await redact(tx, eventId, previous.seq, contingentId);
    const values = {
      eventId,
      lat: input.position.lat,
      lng: input.position.lng,
      accuracy: input.accuracy,
      recordedAt,
      receivedAt: new Date(now),
    };
    const position = toPosition({ contingentId, ...values, seq: 0 });
    const seq = await record(
      'contingent.position',
      { position, membersSee: share },
      { contingentId },
    );
    await tx
      .insert(contingentPositions)
      .values({ contingentId, ...values, seq })
      .onConflictDoUpdate({ target: contingentPositions.contingentId, set: { ...values, seq } });
    return position;
  });
}

/**
 * The replaced report's change record keeps its place in the sequence but not the point.
 * The live hub's copy of recent records does the same (server/live/recent.ts).
 */
async function redact(tx: Transaction, eventId: string, seq: number, contingentId: string) {
  await tx
    .update(changeRecords)
    .set({ payload: { contingentId, superseded: true } })
    .where(and(eq(changeRecords.eventId, eventId), eq(changeRecords.seq, seq)));
}

export async function setContingentStatus(
  db: Database,
  actor: Actor | null,
  eventId: string,
  contingentId: string,
  status: ContingentStatus,
): Promise<ContingentStatusResult> {
  const who = requireLeaderOrCoordinator(actor, eventId, contingentId);
  return writeEvent(db, eventId, async (tx, record) => {
    const [row] = await tx
      .update(contingents)
      .set({ status, statusChangedAt: sql`now()` })
      .where(and(eq(contingents.id, contingentId), eq(contingents.eventId, eventId)))
      .returning({ statusChangedAt: contingents.statusChangedAt });
    if (!row) throw NotFound('The contingent');
    const result = {
      contingentId,
      status,
      statusChangedAt: row.statusChangedAt!.toISOString(),
    };
    await record('contingent.status', { ...result, by: who.personId }, { contingentId });
    return result;
  });
}

/** The positions `actor` may see: all for coordinators, their own contingent's otherwise. */
export async function visiblePositions(
  db: Queryable,
  actor: Actor,
  event: { id: string; shareContingentPositions: boolean },
): Promise<ContingentPosition[]> {
  requireEventMember(actor, event.id);
  if (seesWholeEvent(actor)) {
    const rows = await db
      .select()
      .from(contingentPositions)
      .where(eq(contingentPositions.eventId, event.id));
    return rows.map(toPosition);
  }
  const mine = actor.contingentId;
  if (!mine || (actor.role !== 'leader' && !event.shareContingentPositions)) return [];
  const rows = await db
    .select()
    .from(contingentPositions)
    .where(eq(contingentPositions.contingentId, mine));
  const positions = rows.map(toPosition);
  return actor.role === 'leader' ? positions : positions.map(coarsePosition);
}
