// The materials catalogue: what an event hands out, the depots it is kept in, and the
// levels (planned counts, low-stock thresholds) per material and holder.
import { and, asc, eq } from 'drizzle-orm';
import { depots, materialLevels, materials } from '../../../drizzle/schema.ts';
import {
  type Actor,
  requireCoordinator,
  requireEventMember,
  seesWholeEvent,
} from '../../access.ts';
import { requireEvent, writeEvent } from '../../changes.ts';
import { Forbidden, Invalid } from '../../errors.ts';
import type { Database } from '../../plugins/database.ts';
import { balanceOf, loadMaterial, recordLowStock } from './ledger.ts';
import { contingentOf, namedHolder, toRef } from './holders.ts';
import type {
  CreateDepotBody,
  CreateMaterialBody,
  Depot,
  Material,
  MaterialKind,
  MaterialLevel,
  SetMaterialLevelBody,
} from './schemas.ts';

/** The unit a material is counted in when none is named (the web app translates these). */
export const DEFAULT_UNITS: Record<MaterialKind, string> = {
  sign: 'signs',
  literature: 'copies',
  shirt: 'shirts',
  flag: 'flags',
  banner: 'banners',
  other: 'items',
};

export function toMaterial(row: typeof materials.$inferSelect): Material {
  return {
    id: row.id,
    kind: row.kind,
    name: row.name,
    language: row.language,
    unit: row.unit,
    slogan: row.slogan,
    createdAt: row.createdAt.toISOString(),
  };
}

function toDepot(row: typeof depots.$inferSelect): Depot {
  return {
    id: row.id,
    name: row.name,
    position: { lat: row.lat, lng: row.lng },
    createdAt: row.createdAt.toISOString(),
  };
}

export async function createMaterial(
  db: Database,
  actor: Actor | null,
  eventId: string,
  input: CreateMaterialBody,
): Promise<Material> {
  requireCoordinator(actor, eventId);
  if (input.slogan && input.kind !== 'sign') throw Invalid('/body/slogan', 'is only for signs');
  return writeEvent(db, eventId, async (tx, record) => {
    const [row] = await tx
      .insert(materials)
      .values({
        eventId,
        kind: input.kind,
        name: input.name.trim(),
        language: input.language ?? null,
        unit: input.unit?.trim() ?? DEFAULT_UNITS[input.kind],
        slogan: input.slogan?.trim() ?? null,
      })
      .returning();
    const material = toMaterial(row!);
    await record('material.created', { material });
    return material;
  });
}

/** Everyone in the event may see what it hands out. */
export async function listMaterials(
  db: Database,
  actor: Actor | null,
  eventId: string,
): Promise<Material[]> {
  requireEventMember(actor, eventId);
  await requireEvent(db, eventId);
  const rows = await db
    .select()
    .from(materials)
    .where(eq(materials.eventId, eventId))
    .orderBy(asc(materials.kind), asc(materials.name), asc(materials.id));
  return rows.map(toMaterial);
}

export async function createDepot(
  db: Database,
  actor: Actor | null,
  eventId: string,
  input: CreateDepotBody,
): Promise<Depot> {
  requireCoordinator(actor, eventId);
  return writeEvent(db, eventId, async (tx, record) => {
    const [row] = await tx
      .insert(depots)
      .values({ eventId, name: input.name.trim(), ...input.position })
      .returning();
    const depot = toDepot(row!);
    await record('depot.created', { depot });
    return depot;
  });
}

/** Coordinators and leaders (who return stock to them) see the depots. */
export async function listDepots(
  db: Database,
  actor: Actor | null,
  eventId: string,
): Promise<Depot[]> {
  const who = requireEventMember(actor, eventId);
  if (!seesWholeEvent(who) && who.role !== 'leader') {
    throw Forbidden('Only coordinators and leaders see the depots.');
  }
  await requireEvent(db, eventId);
  const rows = await db
    .select()
    .from(depots)
    .where(eq(depots.eventId, eventId))
    .orderBy(asc(depots.name), asc(depots.id));
  return rows.map(toDepot);
}

/**
 * Sets how many of a material a holder should have (planned) and below which quantity
 * coordinators are alerted; setting a threshold the holder is already under alerts at once.
 */
export async function setMaterialLevel(
  db: Database,
  actor: Actor | null,
  eventId: string,
  materialId: string,
  input: SetMaterialLevelBody,
): Promise<MaterialLevel> {
  requireCoordinator(actor, eventId);
  return writeEvent(db, eventId, async (tx, record) => {
    const material = await loadMaterial(tx, eventId, materialId, null);
    const holder = await namedHolder(tx, eventId, '', input, ['depot', 'contingent'], 'a level');
    const where = and(eq(materialLevels.materialId, materialId), eq(materialLevels.holder, holder));
    const [before] = await tx.select().from(materialLevels).where(where).for('update');
    const values = { planned: input.planned, lowStockThreshold: input.lowStockThreshold };
    await tx
      .insert(materialLevels)
      .values({ materialId, holder, eventId, ...values })
      .onConflictDoUpdate({
        target: [materialLevels.materialId, materialLevels.holder],
        set: values,
      });
    const level: MaterialLevel = { materialId, holder: toRef(holder), ...values };
    await record('material.level', { level }, { contingentId: contingentOf(holder) });
    const threshold = input.lowStockThreshold;
    if (threshold !== null) {
      const quantity = await balanceOf(tx, materialId, holder);
      const wasLow = before?.lowStockThreshold != null && quantity < before.lowStockThreshold;
      if (quantity < threshold && !wasLow) {
        await recordLowStock(tx, record, eventId, material, holder, quantity, threshold);
      }
    }
    return level;
  });
}
