// Stock, derived from the ledger's sums: per material, each holder's on-hand, moved-in,
// handed-out and lost counts, event totals, and hand-outs per quarter hour.
import { and, eq, or, sql } from 'drizzle-orm';
import { materialLevels, materialMovements } from '../../../drizzle/schema.ts';
import { type Actor, requireEventMember, seesWholeEvent } from '../../access.ts';
import { requireEvent } from '../../changes.ts';
import type { Database } from '../../plugins/database.ts';
import {
  contingentHolder,
  type HolderKey,
  holderNames,
  isStock,
  LOST,
  PUBLIC,
  SUPPLIER,
  toRef,
} from './holders.ts';
import type { HolderStock, MaterialStock, Stock } from './schemas.ts';
import { listMaterials } from './service.ts';

const QUARTER_HOUR_S = 900;

interface Sums {
  in: number;
  out: number;
  receivedIn: number;
  handedOut: number;
  lost: number;
}

interface Flow {
  materialId: string;
  from: string;
  to: string;
  reversal: boolean;
  quantity: number;
}

/** Sums of the ledger per material and holder. */
function sumFlows(flows: Flow[]): Map<string, Map<HolderKey, Sums>> {
  const byMaterial = new Map<string, Map<HolderKey, Sums>>();
  for (const f of flows) {
    const holders = byMaterial.get(f.materialId) ?? new Map<HolderKey, Sums>();
    byMaterial.set(f.materialId, holders);
    const at = (key: HolderKey) => {
      let sums = holders.get(key);
      if (!sums) holders.set(key, (sums = { in: 0, out: 0, receivedIn: 0, handedOut: 0, lost: 0 }));
      return sums;
    };
    at(f.from).out += f.quantity;
    at(f.to).in += f.quantity;
    // A reversal moves back what its movement moved: subtract from the counts it added to.
    const sign = f.reversal ? -1 : 1;
    const [source, target] = f.reversal ? [f.to, f.from] : [f.from, f.to];
    if (target === PUBLIC) at(source).handedOut += sign * f.quantity;
    else if (target === LOST) at(source).lost += sign * f.quantity;
    else if (isStock(target)) at(target).receivedIn += sign * f.quantity;
  }
  return byMaterial;
}

const zero: Sums = { in: 0, out: 0, receivedIn: 0, handedOut: 0, lost: 0 };

function net(sums: Sums | undefined): number {
  return sums ? sums.in - sums.out : 0;
}

export async function getStock(db: Database, actor: Actor | null, eventId: string): Promise<Stock> {
  const who = requireEventMember(actor, eventId);
  await requireEvent(db, eventId);
  const whole = seesWholeEvent(who);
  const mine = who.contingentId ? contingentHolder(who.contingentId) : null;
  if (!whole && !mine) return { materials: [] };
  const touchesMine = mine
    ? or(eq(materialMovements.fromHolder, mine), eq(materialMovements.toHolder, mine))
    : undefined;
  const scope = and(eq(materialMovements.eventId, eventId), whole ? undefined : touchesMine);
  const [materialList, flows, levels, handOuts] = await Promise.all([
    listMaterials(db, who, eventId),
    db
      .select({
        materialId: materialMovements.materialId,
        from: materialMovements.fromHolder,
        to: materialMovements.toHolder,
        reversal: sql<boolean>`${materialMovements.kind} = 'reversal'`,
        quantity: sql<number>`sum(${materialMovements.quantity})::bigint`.mapWith(Number),
      })
      .from(materialMovements)
      .where(scope)
      .groupBy(sql`1, 2, 3, 4`),
    db
      .select()
      .from(materialLevels)
      .where(
        and(
          eq(materialLevels.eventId, eventId),
          whole ? undefined : eq(materialLevels.holder, mine!),
        ),
      ),
    handOutsByQuarter(db, eventId, whole ? null : mine),
  ]);
  const sums = sumFlows(flows);
  const keys = new Set<HolderKey>();
  for (const holders of sums.values()) for (const key of holders.keys()) keys.add(key);
  for (const level of levels) keys.add(level.holder);
  if (mine) keys.add(mine);
  const names = await holderNames(db, eventId, [...keys]);
  return {
    materials: materialList.map((material): MaterialStock => {
      const holders = sums.get(material.id) ?? new Map<HolderKey, Sums>();
      const levelsOf = levels.filter((l) => l.materialId === material.id);
      const visible = new Set(
        [...holders.keys(), ...levelsOf.map((l) => l.holder), ...(mine ? [mine] : [])].filter(
          (key) => isStock(key) && (whole || key === mine),
        ),
      );
      const rows = [...visible].map((key): HolderStock => {
        const s = holders.get(key) ?? zero;
        const level = levelsOf.find((l) => l.holder === key);
        const onHand = net(s);
        const threshold = level?.lowStockThreshold ?? null;
        return {
          holder: toRef(key),
          name: names.get(key) ?? '(deleted)',
          onHand,
          receivedIn: s.receivedIn,
          handedOut: s.handedOut,
          lost: s.lost,
          planned: level?.planned ?? null,
          lowStockThreshold: threshold,
          low: threshold !== null && onHand < threshold,
        };
      });
      // Depots first, where stock comes from; then contingents, by name.
      rows.sort(
        (a, b) =>
          Number(a.holder.kind === 'contingent') - Number(b.holder.kind === 'contingent') ||
          a.name.localeCompare(b.name),
      );
      const totals = whole
        ? {
            received: -net(holders.get(SUPPLIER)),
            onHand: rows.reduce((total, row) => total + row.onHand, 0),
            handedOut: net(holders.get(PUBLIC)),
            lost: net(holders.get(LOST)),
          }
        : null;
      return {
        material,
        totals,
        holders: rows,
        handOuts: handOuts
          .filter((h) => h.materialId === material.id)
          .map(({ from, quantity }) => ({ from, quantity })),
      };
    }),
  };
}

/** Copies handed out (and not reversed) per material and quarter hour, oldest first. */
async function handOutsByQuarter(db: Database, eventId: string, holder: HolderKey | null) {
  const m = materialMovements;
  const rows = await db
    .select({
      materialId: m.materialId,
      bucket:
        sql<number>`(floor(extract(epoch from ${m.createdAt}) / ${QUARTER_HOUR_S}) * ${QUARTER_HOUR_S})::bigint`.mapWith(
          Number,
        ),
      quantity: sql<number>`sum(${m.quantity})::bigint`.mapWith(Number),
    })
    .from(m)
    .where(
      and(
        eq(m.eventId, eventId),
        eq(m.kind, 'distributed'),
        holder ? eq(m.fromHolder, holder) : undefined,
        sql`not exists (select 1 from ${m} r where r.reverses_id = ${m.id})`,
      ),
    )
    .groupBy(sql`1, 2`)
    .orderBy(sql`2`);
  return rows.map((r) => ({
    materialId: r.materialId,
    from: new Date(Number(r.bucket) * 1000).toISOString(),
    quantity: Number(r.quantity),
  }));
}
