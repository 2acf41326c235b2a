// Contingents of an event: the groups that march, in march order.
import { and, asc, eq, gt, max } from 'drizzle-orm';
import { contingents, materialBalances, materialLevels, people } from '../../../drizzle/schema.ts';
import { type Actor, requireCoordinator } from '../../access.ts';
import { writeEvent } from '../../changes.ts';
import { Conflict, Invalid, NotFound } from '../../errors.ts';
import type { Database, Transaction } from '../../plugins/database.ts';
import type { Contingent, CreateContingentBody, UpdateContingentBody } from './schemas.ts';

type ContingentRow = typeof contingents.$inferSelect;

/** Colours handed to new contingents in turn, chosen to read well on a map. */
const PALETTE = [
  '#c0392b',
  '#1f6feb',
  '#2e7d32',
  '#8e24aa',
  '#ef6c00',
  '#00838f',
  '#6d4c41',
  '#d81b60',
];

export function toContingent(row: ContingentRow, leaderName: string | null): Contingent {
  return {
    id: row.id,
    name: row.name,
    description: row.description,
    colour: row.colour,
    marchOrder: row.marchOrder,
    expectedSize: row.expectedSize,
    leaderId: row.leaderId,
    leaderName,
    status: row.status,
    statusChangedAt: row.statusChangedAt?.toISOString() ?? null,
  };
}

async function checkLeader(tx: Transaction, contingentId: string, leaderId: string) {
  const [leader] = await tx
    .select({ id: people.id, displayName: people.displayName })
    .from(people)
    .where(
      and(
        eq(people.id, leaderId),
        eq(people.role, 'leader'),
        eq(people.contingentId, contingentId),
      ),
    );
  if (!leader) throw Invalid('/body/leaderId', 'is not a leader who joined this contingent');
  return leader.displayName;
}

async function leaderName(tx: Transaction, leaderId: string | null): Promise<string | null> {
  if (!leaderId) return null;
  const [row] = await tx.select().from(people).where(eq(people.id, leaderId));
  return row?.displayName ?? null;
}

export async function createContingent(
  db: Database,
  actor: Actor | null,
  eventId: string,
  input: CreateContingentBody,
): Promise<Contingent> {
  requireCoordinator(actor, eventId);
  if (input.leaderId) throw Invalid('/body/leaderId', 'a new contingent has no leaders yet');
  return writeEvent(db, eventId, async (tx, record) => {
    const [last] = await tx
      .select({ order: max(contingents.marchOrder) })
      .from(contingents)
      .where(eq(contingents.eventId, eventId));
    const lastOrder = last?.order ?? 0;
    const [row] = await tx
      .insert(contingents)
      .values({
        eventId,
        name: input.name,
        description: input.description ?? '',
        colour: input.colour ?? PALETTE[lastOrder % PALETTE.length]!,
        marchOrder: input.marchOrder ?? lastOrder + 1,
        expectedSize: input.expectedSize ?? 0,
      })
      .returning();
    const contingent = toContingent(row!, null);
    await record('contingent.created', { contingent }, { contingentId: row!.id });
    return contingent;
  });
}

async function loadContingent(tx: Transaction, eventId: string, contingentId: string) {
  const [row] = await tx
    .select()
    .from(contingents)
    .where(and(eq(contingents.id, contingentId), eq(contingents.eventId, eventId)));
  if (!row) throw NotFound('The contingent');
  return row;
}

export async function updateContingent(
  db: Database,
  actor: Actor | null,
  eventId: string,
  contingentId: string,
  input: UpdateContingentBody,
): Promise<Contingent> {
  requireCoordinator(actor, eventId);
  return writeEvent(db, eventId, async (tx, record) => {
    await loadContingent(tx, eventId, contingentId);
    if (input.leaderId) await checkLeader(tx, contingentId, input.leaderId);
    const [row] = await tx
      .update(contingents)
      .set({ ...input, updatedAt: new Date() })
      .where(eq(contingents.id, contingentId))
      .returning();
    const contingent = toContingent(row!, await leaderName(tx, row!.leaderId));
    await record('contingent.updated', { contingent }, { contingentId });
    return contingent;
  });
}

export async function deleteContingent(
  db: Database,
  actor: Actor | null,
  eventId: string,
  contingentId: string,
): Promise<void> {
  requireCoordinator(actor, eventId);
  await writeEvent(db, eventId, async (tx, record) => {
    await loadContingent(tx, eventId, contingentId);
    await refuseIfHoldingStock(tx, contingentId);
    // Its movements stay in the ledger; its planned counts and thresholds go with it.
    await tx.delete(materialLevels).where(eq(materialLevels.holder, `contingent:${contingentId}`));
    await tx.delete(contingents).where(eq(contingents.id, contingentId));
    await record('contingent.deleted', { contingentId }, { contingentId });
  });
}

/** A contingent's stock must go back to a depot first, or the ledger would lose track of it. */
async function refuseIfHoldingStock(tx: Transaction, contingentId: string): Promise<void> {
  // Movements to a contingent hold a key-share lock on its row: once this lock is ours, none
  // is under way, and any that follows finds the contingent gone.
  await tx
    .select({ id: contingents.id })
    .from(contingents)
    .where(eq(contingents.id, contingentId))
    .for('update');
  const [held] = await tx
    .select({ quantity: materialBalances.quantity })
    .from(materialBalances)
    .where(
      and(
        eq(materialBalances.holder, `contingent:${contingentId}`),
        gt(materialBalances.quantity, 0),
      ),
    )
    .limit(1);
  if (held) {
    throw Conflict('This contingent still holds materials: return or transfer them first.', {
      reason: 'holds_stock',
      params: {},
    });
  }
}

export async function reorderContingents(
  db: Database,
  actor: Actor | null,
  eventId: string,
  contingentIds: string[],
): Promise<Contingent[]> {
  requireCoordinator(actor, eventId);
  return writeEvent(db, eventId, async (tx, record) => {
    const rows = await tx
      .select({ contingent: contingents, leaderName: people.displayName })
      .from(contingents)
      .leftJoin(people, eq(people.id, contingents.leaderId))
      .where(eq(contingents.eventId, eventId))
      .orderBy(asc(contingents.marchOrder));
    const known = new Set(rows.map((r) => r.contingent.id));
    if (contingentIds.length !== known.size || !contingentIds.every((id) => known.has(id))) {
      throw Invalid('/body/contingentIds', 'must list every contingent of the event exactly once');
    }
    for (const [index, id] of contingentIds.entries()) {
      await tx
        .update(contingents)
        .set({ marchOrder: index + 1 })
        .where(eq(contingents.id, id));
    }
    await record('contingents.reordered', { contingentIds });
    const byId = new Map(rows.map((r) => [r.contingent.id, r]));
    return contingentIds.map((id, index) => {
      const r = byId.get(id)!;
      return toContingent({ ...r.contingent, marchOrder: index + 1 }, r.leaderName);
    });
  });
}
