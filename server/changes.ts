// The single write path for an event's plan: rows and their change records commit
// together. The live layer delivers change records; nothing else pushes to clients.
import { eq, sql } from 'drizzle-orm';
import { changeRecords, events } from '../drizzle/schema.ts';
import { NotFound } from './errors.ts';
import { type Database, type Queryable, sqlState, type Transaction } from './plugins/database.ts';

export interface ChangeOptions {
  /** The contingent this change concerns; narrows who may see it. */
  contingentId?: string | null;
  /** Only coordinators of the event may see it (invites, people). */
  coordinatorsOnly?: boolean;
}

export type RecordChange = (
  type: string,
  payload: Record<string, unknown>,
  options?: ChangeOptions,
) => Promise<number>;

/**
 * Runs `write` in a transaction on one event. `record` appends a change record with the
 * event's next sequence number; the number is taken under the event row's lock, so
 * sequence numbers are strictly increasing and gap-free in commit order.
 */
export async function writeEvent<T>(
  db: Database,
  eventId: string,
  write: (tx: Transaction, record: RecordChange) => Promise<T>,
): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      const result = await db.transaction(async (tx) => {
        await requireEvent(tx, eventId);
        return write(tx, (type, payload, options) =>
          recordChange(tx, eventId, type, payload, options),
        );
      });
      committed(db, eventId);
      return result;
    } catch (error) {
      // PostgreSQL may abort one of two transactions that wait on each other; its whole
      // work rolled back, so running it again is safe.
      if (attempt >= 3 || !isRetryable(error)) throw error;
    }
  }
}

function isRetryable(error: unknown): boolean {
  const state = sqlState(error);
  return state === '40001' || state === '40P01';
}

const commitListeners = new WeakMap<object, (eventId: string) => void>();

/** The live layer listens here for committed changes of the database `db`. */
export function onCommitted(db: Database, listener: (eventId: string) => void): void {
  commitListeners.set(db, listener);
}

/** Call after a transaction that recorded changes of `eventId` has committed. */
export function committed(db: Database, eventId: string): void {
  commitListeners.get(db)?.(eventId);
}

/** Fails with NotFound before any write that would otherwise hit a foreign key. */
export async function requireEvent(db: Queryable, eventId: string): Promise<void> {
  const [row] = await db.select({ id: events.id }).from(events).where(eq(events.id, eventId));
  if (!row) throw NotFound('The event');
}

/** Appends one change record to `eventId`'s log inside the caller's transaction. */
export async function recordChange(
  tx: Transaction,
  eventId: string,
  type: string,
  payload: Record<string, unknown>,
  options: ChangeOptions = {},
): Promise<number> {
  const [row] = await tx
    .update(events)
    .set({ lastSeq: sql`${events.lastSeq} + 1` })
    .where(eq(events.id, eventId))
    .returning({ seq: events.lastSeq });
  if (!row) throw NotFound('The event');
  await tx.insert(changeRecords).values({
    eventId,
    seq: row.seq,
    type,
    payload,
    contingentId: options.contingentId ?? null,
    coordinatorsOnly: options.coordinatorsOnly ?? false,
  });
  return row.seq;
}
