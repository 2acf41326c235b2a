// Idempotency-Key support for writes a flaky phone may retry: the first result is stored
// with the key in the write's own transaction; a retry gets that result back.
import { and, eq } from 'drizzle-orm';
import { idempotencyKeys } from '../drizzle/schema.ts';
import { Conflict } from './errors.ts';
import type { Transaction } from './plugins/database.ts';

export interface Outcome<T> {
  status: number;
  body: T;
  /** True when this is the stored result of an earlier request with the same key. */
  replayed: boolean;
}

/** The part of a Fastify reply `sendOutcome` uses; services stay free of HTTP. */
interface Reply<Sent> {
  header(name: string, value: string): unknown;
  code(status: number): { send(body: unknown): Sent };
}

/** Answers with an outcome's status and body, marking a replay `Idempotent-Replayed: true`. */
export function sendOutcome<T, Sent>(reply: Reply<Sent>, outcome: Outcome<T>): Sent {
  if (outcome.replayed) reply.header('idempotent-replayed', 'true');
  return reply.code(outcome.status).send(outcome.body);
}

/**
 * Runs `write` once per (person, key). The key row is inserted before the write, so a
 * concurrent retry blocks on it until this transaction ends, then reads the stored
 * result; if this transaction rolls back, the key is free again.
 */
export async function once<T>(
  tx: Transaction,
  personId: string,
  key: string | undefined,
  operation: string,
  write: () => Promise<{ status: number; body: T }>,
): Promise<Outcome<T>> {
  if (!key) return { ...(await write()), replayed: false };
  const inserted = await tx
    .insert(idempotencyKeys)
    .values({ personId, key, operation })
    .onConflictDoNothing()
    .returning({ key: idempotencyKeys.key });
  if (inserted.length === 0) return replay<T>(tx, personId, key, operation);
  const result = await write();
  await tx
    .update(idempotencyKeys)
    .set({ status: result.status, response: result.body })
    .where(and(eq(idempotencyKeys.personId, personId), eq(idempotencyKeys.key, key)));
  return { ...result, replayed: false };
}

async function replay<T>(
  tx: Transaction,
  personId: string,
  key: string,
  operation: string,
): Promise<Outcome<T>> {
  const [stored] = await tx
    .select()
    .from(idempotencyKeys)
    .where(and(eq(idempotencyKeys.personId, personId), eq(idempotencyKeys.key, key)));
  if (!stored || stored.operation !== operation || stored.status === null) {
    throw Conflict('This Idempotency-Key was already used for a different request.');
  }
  return { status: stored.status, body: stored.response as T, replayed: true };
}
