// The ledger: every change of stock is one movement, appended with the balances it changes
// and its change record in one transaction. Balances are taken with a conditional update,
// so no holder's stock goes negative however many phones record at once.
import { createHash } from 'node:crypto';
import { and, asc, eq, gte, inArray, sql } from 'drizzle-orm';
import {
  materialBalances,
  materialLevels,
  materialMovements,
  materials,
} from '../../../drizzle/schema.ts';
import { type Actor, requireEventMember, seesWholeEvent } from '../../access.ts';
import { type RecordChange, writeEvent } from '../../changes.ts';
import { Conflict, Forbidden, Invalid, NotFound } from '../../errors.ts';
import { once, type Outcome } from '../../idempotency.ts';
import type { Database, Queryable, Transaction } from '../../plugins/database.ts';
import { reopenRequest } from './requests.ts';
import {
  contingentHolder,
  type HolderKey,
  holderNames,
  isStock,
  LOST,
  namedHolder,
  PUBLIC,
  SUPPLIER,
  toRef,
} from './holders.ts';
import type {
  BalanceChange,
  Movement,
  MovementKind,
  RecordedMovement,
  RecordMovementBody,
} from './schemas.ts';

type MovementRow = typeof materialMovements.$inferSelect;
type MaterialRow = typeof materials.$inferSelect;

export function toMovement(row: MovementRow, reversedById: string | null = null): Movement {
  return {
    id: row.id,
    number: row.number,
    materialId: row.materialId,
    kind: row.kind,
    quantity: row.quantity,
    from: toRef(row.fromHolder),
    to: toRef(row.toHolder),
    position: row.lat === null || row.lng === null ? null : { lat: row.lat, lng: row.lng },
    note: row.note,
    reversesId: row.reversesId,
    reversedById,
    requestId: row.requestId,
    recordedByName: row.recordedByName,
    createdAt: row.createdAt.toISOString(),
  };
}

/** A movement ready to apply: its holders resolved and checked. */
export interface Move {
  material: MaterialRow;
  kind: MovementKind;
  quantity: number;
  from: HolderKey;
  to: HolderKey;
  position?: { lat: number; lng: number } | undefined;
  note?: string | undefined;
  reversesId?: string | null;
  requestId?: string | null;
}

type Direction = { from: readonly HolderSide[]; to: readonly HolderSide[] };
type HolderSide = 'depot' | 'contingent' | typeof SUPPLIER | typeof PUBLIC | typeof LOST;

/** Where each kind of movement may go. */
export const DIRECTIONS: Record<Exclude<MovementKind, 'reversal'>, Direction> = {
  received: { from: [SUPPLIER], to: ['depot'] },
  allocated: { from: ['depot'], to: ['contingent'] },
  transferred: { from: ['depot', 'contingent'], to: ['depot', 'contingent'] },
  returned: { from: ['contingent'], to: ['depot'] },
  distributed: { from: ['depot', 'contingent'], to: [PUBLIC] },
  lost: { from: ['depot', 'contingent'], to: [LOST] },
  damaged: { from: ['depot', 'contingent'], to: [LOST] },
};

/** What a leader may record from their own contingent; a volunteer only hands out. */
const LEADER_KINDS: readonly MovementKind[] = [
  'transferred',
  'returned',
  'distributed',
  'lost',
  'damaged',
];

function mayRecord(actor: Actor, kind: MovementKind, from: HolderKey): boolean {
  if (seesWholeEvent(actor)) return true;
  if (!actor.contingentId || from !== contingentHolder(actor.contingentId)) return false;
  if (actor.role === 'leader') return LEADER_KINDS.includes(kind);
  return actor.role === 'volunteer' && kind === 'distributed';
}

async function side(
  db: Queryable,
  eventId: string,
  body: RecordMovementBody,
  which: 'from' | 'to',
  allowed: readonly HolderSide[],
): Promise<HolderKey> {
  const ids =
    which === 'from'
      ? { depotId: body.fromDepotId, contingentId: body.fromContingentId }
      : { depotId: body.toDepotId, contingentId: body.toContingentId };
  const stock = allowed.filter(
    (s): s is 'depot' | 'contingent' => s === 'depot' || s === 'contingent',
  );
  if (stock.length > 0) return namedHolder(db, eventId, which, ids, stock, body.kind);
  // The supplier, the public and lost take no id.
  if (ids.depotId) throw Invalid(`/body/${which}DepotId`, `is not used for ${body.kind}`);
  if (ids.contingentId) throw Invalid(`/body/${which}ContingentId`, `is not used for ${body.kind}`);
  return allowed[0]!;
}

export async function loadMaterial(
  db: Queryable,
  eventId: string,
  materialId: string,
  /** The body field that named it; null when the path did (404). */
  field: string | null = '/body/materialId',
): Promise<MaterialRow> {
  const [row] = await db
    .select()
    .from(materials)
    .where(and(eq(materials.id, materialId), eq(materials.eventId, eventId)));
  if (!row)
    throw field ? Invalid(field, 'is not a material of this event') : NotFound('The material');
  return row;
}

/** Resolves a new (not reversing) movement's holders and checks its fields fit its kind. */
async function plan(
  db: Queryable,
  eventId: string,
  body: RecordMovementBody,
): Promise<Omit<Move, 'material'>> {
  const kind = body.kind as Exclude<MovementKind, 'reversal'>;
  if (body.reverses) throw Invalid('/body/reverses', 'is only for a reversal');
  if (body.quantity === undefined) throw Invalid('/body/quantity', `is required for ${kind}`);
  if (body.position && kind !== 'distributed') {
    throw Invalid('/body/position', 'is only for distributed');
  }
  const direction = DIRECTIONS[kind];
  const from = await side(db, eventId, body, 'from', direction.from);
  const to = await side(db, eventId, body, 'to', direction.to);
  if (from === to) {
    const field = body.toContingentId ? '/body/toContingentId' : '/body/toDepotId';
    throw Invalid(field, 'must differ from where it comes from');
  }
  return { kind, quantity: body.quantity, from, to, position: body.position, note: body.note };
}

/** A reversal moves the same quantity back, once, and names the movement it corrects. */
async function planReversal(
  tx: Transaction,
  actor: Actor,
  eventId: string,
  body: RecordMovementBody,
): Promise<Omit<Move, 'material'>> {
  if (!body.reverses) throw Invalid('/body/reverses', 'is required for a reversal');
  for (const field of [
    'quantity',
    'fromDepotId',
    'fromContingentId',
    'toDepotId',
    'toContingentId',
    'position',
  ] as const) {
    if (body[field] !== undefined) {
      throw Invalid(`/body/${field}`, 'is taken from the movement it reverses');
    }
  }
  const [original] = await tx
    .select()
    .from(materialMovements)
    .where(and(eq(materialMovements.id, body.reverses), eq(materialMovements.eventId, eventId)))
    .for('update');
  if (!original) throw Invalid('/body/reverses', 'is not a movement of this event');
  if (original.materialId !== body.materialId) {
    throw Invalid('/body/materialId', 'is not the material of the movement it reverses');
  }
  if (original.kind === 'reversal') {
    throw Invalid('/body/reverses', 'is a reversal; record the movement again instead');
  }
  if (!mayRecord(actor, original.kind, original.fromHolder)) {
    throw Forbidden('You may not reverse this movement.');
  }
  if (actor.role === 'volunteer' && original.recordedBy !== actor.personId) {
    throw Forbidden('You may reverse only what you recorded.');
  }
  const [reversal] = await tx
    .select({ id: materialMovements.id })
    .from(materialMovements)
    .where(eq(materialMovements.reversesId, original.id));
  if (reversal) {
    throw Conflict('This movement was already reversed.', {
      reason: 'already_reversed',
      params: { reversedById: reversal.id },
    });
  }
  return {
    kind: 'reversal',
    quantity: original.quantity,
    from: original.toHolder,
    to: original.fromHolder,
    note: body.note,
    reversesId: original.id,
    // A reversed fulfilment reopens its request (see recordMovement).
    requestId: original.requestId,
  };
}

/** Takes `n` from a holder's balance, or fails naming what it has; the supplier may go below 0. */
async function take(tx: Transaction, eventId: string, move: Move): Promise<number> {
  const { material, from: holder, quantity: n } = move;
  if (holder === SUPPLIER) return credit(tx, eventId, material.id, holder, -n);
  const [row] = await tx
    .update(materialBalances)
    .set({ quantity: sql`${materialBalances.quantity} - ${n}` })
    .where(
      and(
        eq(materialBalances.materialId, material.id),
        eq(materialBalances.holder, holder),
        gte(materialBalances.quantity, n),
      ),
    )
    .returning({ quantity: materialBalances.quantity });
  if (row) return row.quantity;
  const available = await balanceOf(tx, material.id, holder);
  const name = (await holderNames(tx, eventId, [holder])).get(holder)!;
  throw Conflict(
    `Only ${available} ${material.unit} of ${material.name} on hand at ${name}; cannot move ${n}.`,
    {
      reason: 'insufficient_stock',
      params: {
        available,
        requested: n,
        holder: name,
        material: material.name,
        unit: material.unit,
      },
    },
  );
}

async function credit(
  tx: Transaction,
  eventId: string,
  materialId: string,
  holder: HolderKey,
  n: number,
): Promise<number> {
  const [row] = await tx
    .insert(materialBalances)
    .values({ materialId, holder, eventId, quantity: n })
    .onConflictDoUpdate({
      target: [materialBalances.materialId, materialBalances.holder],
      set: { quantity: sql`${materialBalances.quantity} + ${n}` },
    })
    .returning({ quantity: materialBalances.quantity });
  return row!.quantity;
}

export async function balanceOf(
  db: Queryable,
  materialId: string,
  holder: HolderKey,
): Promise<number> {
  const [row] = await db
    .select({ quantity: materialBalances.quantity })
    .from(materialBalances)
    .where(and(eq(materialBalances.materialId, materialId), eq(materialBalances.holder, holder)));
  return row?.quantity ?? 0;
}

/** Records a coordinators' alert when this movement took a holder below its threshold. */
async function alertIfLow(
  tx: Transaction,
  record: RecordChange,
  eventId: string,
  move: Move,
  left: number,
): Promise<void> {
  if (!isStock(move.from)) return;
  const [level] = await tx
    .select({ threshold: materialLevels.lowStockThreshold })
    .from(materialLevels)
    .where(
      and(eq(materialLevels.materialId, move.material.id), eq(materialLevels.holder, move.from)),
    );
  const threshold = level?.threshold;
  if (threshold === null || threshold === undefined) return;
  if (left >= threshold || left + move.quantity < threshold) return;
  await recordLowStock(tx, record, eventId, move.material, move.from, left, threshold);
}

export async function recordLowStock(
  tx: Transaction,
  record: RecordChange,
  eventId: string,
  material: MaterialRow,
  holder: HolderKey,
  quantity: number,
  threshold: number,
): Promise<void> {
  const name = (await holderNames(tx, eventId, [holder])).get(holder)!;
  await record(
    'material.lowStock',
    {
      materialId: material.id,
      materialName: material.name,
      holder: toRef(holder),
      name,
      quantity,
      threshold,
    },
    { coordinatorsOnly: true },
  );
}

/**
 * Locks the balances a movement changes in one order (by holder), so that A → B and B → A
 * at the same moment wait for each other instead of deadlocking.
 */
async function lockBalances(
  tx: Transaction,
  eventId: string,
  materialId: string,
  holders: HolderKey[],
): Promise<void> {
  const sorted = [...new Set(holders)].sort();
  const lock = () =>
    tx
      .select({ holder: materialBalances.holder })
      .from(materialBalances)
      .where(
        and(eq(materialBalances.materialId, materialId), inArray(materialBalances.holder, sorted)),
      )
      .orderBy(asc(materialBalances.holder))
      .for('update');
  if ((await lock()).length === sorted.length) return;
  // A holder's first movement: make its row (at 0) in the same order, then lock them all.
  await tx
    .insert(materialBalances)
    .values(sorted.map((holder) => ({ materialId, holder, eventId, quantity: 0 })))
    .onConflictDoNothing();
  await lock();
}

/** Appends one movement: balances moved, the row inserted, alerts and the change recorded. */
export async function applyMovement(
  tx: Transaction,
  record: RecordChange,
  eventId: string,
  actor: Actor,
  move: Move,
): Promise<RecordedMovement> {
  await lockBalances(tx, eventId, move.material.id, [move.from, move.to]);
  const left = await take(tx, eventId, move);
  const gained = await credit(tx, eventId, move.material.id, move.to, move.quantity);
  const [row] = await tx
    .insert(materialMovements)
    .values({
      eventId,
      materialId: move.material.id,
      kind: move.kind,
      quantity: move.quantity,
      fromHolder: move.from,
      toHolder: move.to,
      lat: move.position?.lat ?? null,
      lng: move.position?.lng ?? null,
      note: move.note?.trim() ?? '',
      reversesId: move.reversesId ?? null,
      requestId: move.requestId ?? null,
      recordedBy: actor.eventId ? actor.personId : null,
      recordedByName: actor.displayName,
    })
    .returning();
  const balances: BalanceChange[] = [];
  if (isStock(move.from)) balances.push({ holder: toRef(move.from), quantity: left });
  if (isStock(move.to)) balances.push({ holder: toRef(move.to), quantity: gained });
  const recorded = { movement: toMovement(row!), balances };
  await record('material.moved', recorded);
  await alertIfLow(tx, record, eventId, move, left);
  return recorded;
}

/** The same body sent again with the same key is the same request. */
export function fingerprint(body: object): string {
  return createHash('sha256').update(JSON.stringify(body)).digest('base64url').slice(0, 22);
}

export async function recordMovement(
  db: Database,
  actor: Actor | null,
  eventId: string,
  body: RecordMovementBody,
  key?: string,
): Promise<Outcome<RecordedMovement>> {
  const who = requireEventMember(actor, eventId);
  if (!seesWholeEvent(who) && !who.contingentId) {
    throw Forbidden('Only coordinators and members of a contingent record movements.');
  }
  return writeEvent(db, eventId, (tx, record) =>
    once(tx, who.personId, key, `movement:${eventId}:${fingerprint(body)}`, async () => {
      const material = await loadMaterial(tx, eventId, body.materialId);
      const planned =
        body.kind === 'reversal'
          ? await planReversal(tx, who, eventId, body)
          : await plan(tx, eventId, body);
      if (body.kind !== 'reversal' && !mayRecord(who, planned.kind, planned.from)) {
        throw Forbidden('You may record only what your contingent hands out, returns or loses.');
      }
      const recorded = await applyMovement(tx, record, eventId, who, { ...planned, material });
      if (planned.kind === 'reversal' && planned.requestId) {
        await reopenRequest(tx, record, planned.requestId);
      }
      return { status: 201, body: recorded };
    }),
  );
}
