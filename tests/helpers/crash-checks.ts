// What a killed server left behind, read straight from its database while no server runs,
// and checked against what it acknowledged: every acknowledged write is there, nothing is
// there twice, and every invariant — capacity, balances, the change log — holds.
import { join } from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import pg from 'pg';
import { expect } from 'vitest';
import { idOf, type KeyedWrite, type March, type WriteLog } from './crash-march.ts';
import type { LiveMessage } from './live.ts';

interface Rows {
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- rows as SQL returns them
  query(text: string, params?: unknown[]): Promise<any[]>;
  close(): Promise<void>;
}

async function connect(env: Record<string, string>): Promise<Rows> {
  if (env.DATABASE_URL) {
    const client = new pg.Client({ connectionString: env.DATABASE_URL });
    await client.connect();
    return {
      query: async (text, params) => (await client.query(text, params)).rows,
      close: () => client.end(),
    };
  }
  // Not through the server's openDatabase: its lock would take over the one the killed server
  // left, and the restarted server must show that it does that itself.
  const client = await PGlite.create(join(env.MUSTER_DATA_DIR!, 'pglite'));
  return {
    query: async (text, params) => (await client.query(text, params)).rows,
    close: () => client.close(),
  };
}

export interface Inspection {
  lastSeq: number;
  /** The seqs a coordinator's socket replays: every record but redacted positions. */
  replayed: number[];
  /** Keys of unanswered writes that committed, with the id of the claim or movement each made. */
  committed: Map<string, string>;
}

export async function inspectDatabase(
  env: Record<string, string>,
  march: March,
  log: WriteLog,
  seen: LiveMessage[],
): Promise<Inspection> {
  const db = await connect(env);
  try {
    const committed = await committedKeys(db, log.pending);
    const idsOf = (kind: KeyedWrite['kind']) =>
      log.pending
        .filter((w) => w.kind === kind && committed.has(w.key))
        .map((w) => committed.get(w.key)!);
    const claims = await checkClaims(db, march, log, idsOf('claim'));
    const movements = await checkLedger(db, march, log, idsOf('movement'));
    await checkPositions(db, march, log);
    const changes = await checkChangeLog(db, march, { claims, movements }, seen);
    return { ...changes, committed };
  } finally {
    await db.close();
  }
}

/** A key is stored with its write's result in the write's transaction, or not at all. */
async function committedKeys(db: Rows, pending: KeyedWrite[]): Promise<Map<string, string>> {
  const committed = new Map<string, string>();
  if (pending.length === 0) return committed;
  const places = pending.map((_, i) => `$${i + 1}`).join(', ');
  const rows = await db.query(
    `select person_id, key, status, response from idempotency_keys where key in (${places})`,
    pending.map((w) => w.key),
  );
  for (const row of rows) {
    const write = pending.find((w) => w.key === row.key)!;
    expect(row.person_id).toBe(write.as.personId);
    expect(row.status, `key ${row.key} stored without its result`).toBe(201);
    committed.set(row.key, idOf(write, row.response));
  }
  return committed;
}

async function checkClaims(db: Rows, march: March, log: WriteLog, committed: string[]) {
  const claims = await db.query(
    `select c.id, c.slot_id, c.person_id from role_claims c
       join role_slots s on s.id = c.slot_id where s.event_id = $1`,
    [march.eventId],
  );
  const ids = new Set<string>(claims.map((c) => c.id));
  expect(ids, 'claims: the acknowledged, and the unanswered that committed').toEqual(
    new Set([...log.claims.keys(), ...committed]),
  );
  for (const row of claims) {
    const claim = log.claims.get(row.id);
    if (claim) expect([row.slot_id, row.person_id]).toEqual([claim.slotId, claim.personId]);
  }
  const slots = await db.query(
    `select s.id, s.capacity, s.filled, count(c.id)::int as held from role_slots s
       left join role_claims c on c.slot_id = s.id where s.event_id = $1 group by s.id`,
    [march.eventId],
  );
  for (const slot of slots) {
    expect(slot.filled, `slot ${slot.id}: filled counts its claims`).toBe(slot.held);
    expect(slot.held, `slot ${slot.id} over capacity`).toBeLessThanOrEqual(slot.capacity);
  }
  return ids;
}

const holderKey = (ref: { kind: string; id: string | null }) =>
  ref.id ? `${ref.kind}:${ref.id}` : ref.kind;

async function checkLedger(db: Rows, march: March, log: WriteLog, committed: string[]) {
  const rows = await db.query(
    `select id, quantity, from_holder, to_holder from material_movements where event_id = $1`,
    [march.eventId],
  );
  const ids = new Set<string>(rows.map((r) => r.id));
  expect(ids, 'movements: the acknowledged, and the unanswered that committed').toEqual(
    new Set([...log.movements.keys(), ...committed]),
  );
  const sums = new Map<string, number>();
  const add = (holder: string, n: number) => sums.set(holder, (sums.get(holder) ?? 0) + n);
  for (const row of rows) {
    const movement = log.movements.get(row.id);
    if (movement) {
      const { quantity, from, to } = movement;
      expect([row.quantity, row.from_holder, row.to_holder]).toEqual([
        quantity,
        holderKey(from),
        holderKey(to),
      ]);
    }
    add(row.from_holder, -row.quantity);
    add(row.to_holder, row.quantity);
  }
  await checkBalances(db, march, sums);
  return ids;
}

async function checkBalances(db: Rows, march: March, sums: Map<string, number>) {
  const rows = await db.query(
    `select holder, quantity::int as quantity from material_balances
       where event_id = $1 and quantity <> 0`,
    [march.eventId],
  );
  const balances = new Map<string, number>(rows.map((r) => [r.holder, r.quantity]));
  const nonZero = new Map([...sums].filter(([, n]) => n !== 0));
  expect(balances, 'balances are the ledger’s sums').toEqual(nonZero);
  for (const [holder, n] of balances) {
    if (holder !== 'supplier') expect(n, `${holder} negative`).toBeGreaterThanOrEqual(0);
  }
  const of = (test: (holder: string) => boolean) =>
    [...balances].filter(([h]) => test(h)).reduce((total, [, n]) => total + n, 0);
  const received = -of((h) => h === 'supplier');
  const onHand = of((h) => h.startsWith('depot:') || h.startsWith('contingent:'));
  expect(received, 'received = on hand + handed out + lost').toBe(
    onHand + of((h) => h === 'public') + of((h) => h === 'lost'),
  );
}

/** Each contingent's kept report is one sent, at least as new as the last acknowledged. */
async function checkPositions(db: Rows, march: March, log: WriteLog) {
  const rows = await db.query(
    `select p.contingent_id, p.recorded_at, r.type, r.payload from contingent_positions p
       left join change_records r on r.event_id = p.event_id and r.seq = p.seq
       where p.event_id = $1`,
    [march.eventId],
  );
  for (const { id } of march.contingents) {
    const reports = log.positions.get(id);
    const row = rows.find((r) => r.contingent_id === id);
    if (!reports?.acknowledged) continue;
    expect(row, `the acknowledged position of ${id}`).toBeDefined();
    const kept = new Date(row.recorded_at).toISOString();
    expect(reports.sent.has(kept), `${kept} was never sent`).toBe(true);
    expect(kept >= reports.acknowledged, `${kept} older than ${reports.acknowledged}`).toBe(true);
    expect([row.type, row.payload.position?.recordedAt]).toEqual(['contingent.position', kept]);
  }
}

/**
 * Seqs run 1, 2, 3… up to the event's lastSeq with no gap; each claim and movement has its
 * record; and everything a live socket saw before the kill is still there.
 */
async function checkChangeLog(
  db: Rows,
  march: March,
  rows: { claims: Set<string>; movements: Set<string> },
  seen: LiveMessage[],
) {
  const records = await db.query(
    `select seq::int as seq, type, payload from change_records where event_id = $1 order by seq`,
    [march.eventId],
  );
  const [event] = await db.query(`select last_seq::int as last_seq from events where id = $1`, [
    march.eventId,
  ]);
  const lastSeq: number = event.last_seq;
  expect(records.map((r) => r.seq)).toEqual(Array.from({ length: lastSeq }, (_, i) => i + 1));
  const idsIn = (type: string, field: 'claim' | 'movement') =>
    new Set(records.filter((r) => r.type === type).map((r) => r.payload[field].id));
  expect(idsIn('claim.created', 'claim'), 'a record per claim').toEqual(rows.claims);
  expect(idsIn('material.moved', 'movement'), 'a record per movement').toEqual(rows.movements);
  for (const message of seen) {
    if (message.seq === undefined) continue;
    expect(message.seq, 'a live socket saw a change that did not survive').toBeLessThanOrEqual(
      lastSeq,
    );
    expect(records[message.seq - 1].type).toBe(message.type);
  }
  const replayed = records.filter((r) => !r.payload.superseded).map((r) => r.seq as number);
  return { lastSeq, replayed };
}
