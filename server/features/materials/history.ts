// Reading the ledger: pages of movements for the board and a leader's log, and the whole
// ledger as CSV for a coordinator's spreadsheet.
import { and, asc, desc, eq, lt, or } from 'drizzle-orm';
import { alias } from 'drizzle-orm/pg-core';
import { events, materialMovements, materials } from '../../../drizzle/schema.ts';
import {
  type Actor,
  requireCoordinator,
  requireEventMember,
  seesWholeEvent,
} from '../../access.ts';
import { requireEvent } from '../../changes.ts';
import { csvCell } from '../../csv.ts';
import { Forbidden } from '../../errors.ts';
import type { Database } from '../../plugins/database.ts';
import { contingentHolder, holderNames } from './holders.ts';
import { toMovement } from './ledger.ts';
import type { ListMovementsQuery, MovementPage } from './schemas.ts';

const PAGE = 100;
const m = materialMovements;
const reversal = alias(materialMovements, 'reversal');

/** Coordinators read the whole ledger; a leader the movements of their own contingent. */
export async function listMovements(
  db: Database,
  actor: Actor | null,
  eventId: string,
  query: ListMovementsQuery,
): Promise<MovementPage> {
  const who = requireEventMember(actor, eventId);
  let contingentId = query.contingentId;
  if (!seesWholeEvent(who)) {
    if (who.role !== 'leader' || !who.contingentId) {
      throw Forbidden('Only coordinators and leaders read the ledger.');
    }
    if (contingentId && contingentId !== who.contingentId) {
      throw Forbidden('Leaders read only their own contingent’s movements.');
    }
    contingentId = who.contingentId;
  }
  await requireEvent(db, eventId);
  const limit = query.limit ? Number(query.limit) : PAGE;
  const holder = contingentId ? contingentHolder(contingentId) : null;
  const rows = await db
    .select({ movement: m, reversedById: reversal.id })
    .from(m)
    .leftJoin(reversal, eq(reversal.reversesId, m.id))
    .where(
      and(
        eq(m.eventId, eventId),
        query.materialId ? eq(m.materialId, query.materialId) : undefined,
        holder ? or(eq(m.fromHolder, holder), eq(m.toHolder, holder)) : undefined,
        query.before ? lt(m.number, Number(query.before)) : undefined,
      ),
    )
    .orderBy(desc(m.number))
    .limit(limit + 1);
  const page = rows.slice(0, limit);
  return {
    movements: page.map((r) => toMovement(r.movement, r.reversedById)),
    nextBefore: rows.length > limit ? page[page.length - 1]!.movement.number : null,
  };
}

/** The whole ledger of an event, oldest first, as CSV. */
export async function exportMovements(
  db: Database,
  actor: Actor | null,
  eventId: string,
): Promise<{ filename: string; csv: string }> {
  requireCoordinator(actor, eventId);
  await requireEvent(db, eventId);
  const [event] = await db.select({ date: events.date }).from(events).where(eq(events.id, eventId));
  const rows = await db
    .select({
      movement: m,
      material: materials.name,
      unit: materials.unit,
      reverses: reversal.number,
    })
    .from(m)
    .innerJoin(materials, eq(materials.id, m.materialId))
    .leftJoin(reversal, eq(reversal.id, m.reversesId))
    .where(eq(m.eventId, eventId))
    .orderBy(asc(m.number));
  const keys = new Set(rows.flatMap((r) => [r.movement.fromHolder, r.movement.toHolder]));
  const names = await holderNames(db, eventId, [...keys]);
  const header = [
    'Number',
    'Time (UTC)',
    'Material',
    'Unit',
    'Kind',
    'Quantity',
    'From',
    'To',
    'Latitude',
    'Longitude',
    'Note',
    'Recorded by',
    'Reverses number',
    'Request',
  ];
  const lines = rows.map(({ movement: r, material, unit, reverses }) => [
    String(r.number),
    r.createdAt.toISOString(),
    material,
    unit,
    r.kind,
    String(r.quantity),
    names.get(r.fromHolder) ?? r.fromHolder,
    names.get(r.toHolder) ?? r.toHolder,
    r.lat === null ? '' : String(r.lat),
    r.lng === null ? '' : String(r.lng),
    r.note,
    r.recordedByName ?? '',
    reverses === null ? '' : String(reverses),
    r.requestId ?? '',
  ]);
  const csv = [header, ...lines].map((line) => line.map(csvCell).join(',')).join('\r\n') + '\r\n';
  return { filename: `ledger-${event!.date}.csv`, csv };
}
