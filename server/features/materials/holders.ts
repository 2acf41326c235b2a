// Holders of stock, as the ledger names them: `depot:<id>`, `contingent:<id>`, and three
// outside the stock — the supplier, the public (handed out) and lost.
import { and, eq, inArray } from 'drizzle-orm';
import { contingents, depots } from '../../../drizzle/schema.ts';
import { Invalid } from '../../errors.ts';
import type { Queryable } from '../../plugins/database.ts';
import type { HolderRef } from './schemas.ts';

export type HolderKey = string;
export type HolderKind = HolderRef['kind'];

export const SUPPLIER = 'supplier';
export const PUBLIC = 'public';
export const LOST = 'lost';

export const depotHolder = (id: string): HolderKey => `depot:${id}`;
export const contingentHolder = (id: string): HolderKey => `contingent:${id}`;

export function toRef(key: HolderKey): HolderRef {
  const [kind, id] = key.split(':') as [HolderKind, string | undefined];
  return { kind, id: id ?? null };
}

/** Depots and contingents hold stock; their balances may never go negative. */
export function isStock(key: HolderKey): boolean {
  return key.startsWith('depot:') || key.startsWith('contingent:');
}

export function contingentOf(key: HolderKey): string | null {
  return key.startsWith('contingent:') ? key.slice('contingent:'.length) : null;
}

/** Holder names for display: depots' and contingents' names, and the three outside ones. */
export async function holderNames(
  db: Queryable,
  eventId: string,
  keys: HolderKey[],
): Promise<Map<HolderKey, string>> {
  const names = new Map<HolderKey, string>([
    [SUPPLIER, 'Supplier'],
    [PUBLIC, 'Handed out'],
    [LOST, 'Lost or damaged'],
  ]);
  const ids = (kind: HolderKind) =>
    keys.filter((k) => k.startsWith(`${kind}:`)).map((k) => toRef(k).id!);
  const depotIds = ids('depot');
  const contingentIds = ids('contingent');
  const [depotRows, contingentRows] = await Promise.all([
    depotIds.length
      ? db
          .select({ id: depots.id, name: depots.name })
          .from(depots)
          .where(and(eq(depots.eventId, eventId), inArray(depots.id, depotIds)))
      : [],
    contingentIds.length
      ? db
          .select({ id: contingents.id, name: contingents.name })
          .from(contingents)
          .where(and(eq(contingents.eventId, eventId), inArray(contingents.id, contingentIds)))
      : [],
  ]);
  for (const row of depotRows) names.set(depotHolder(row.id), row.name);
  for (const row of contingentRows) names.set(contingentHolder(row.id), row.name);
  for (const key of keys) if (!names.has(key)) names.set(key, '(deleted)');
  return names;
}

/** The holder a body names by `<side>DepotId` or `<side>ContingentId`, checked to be this event's. */
export async function namedHolder(
  db: Queryable,
  eventId: string,
  side: 'from' | 'to' | '',
  ids: { depotId?: string | undefined; contingentId?: string | undefined },
  allowed: readonly ('depot' | 'contingent')[],
  purpose: string,
): Promise<HolderKey> {
  const field = (kind: 'depot' | 'contingent') =>
    side ? `/body/${side}${kind === 'depot' ? 'Depot' : 'Contingent'}Id` : `/body/${kind}Id`;
  if (ids.depotId && ids.contingentId) {
    throw Invalid(field('contingent'), 'give a depot or a contingent, not both');
  }
  for (const kind of ['depot', 'contingent'] as const) {
    if ((kind === 'depot' ? ids.depotId : ids.contingentId) && !allowed.includes(kind)) {
      throw Invalid(field(kind), `is not used for ${purpose}`);
    }
  }
  if (ids.depotId) {
    const [row] = await db
      .select({ id: depots.id })
      .from(depots)
      .where(and(eq(depots.id, ids.depotId), eq(depots.eventId, eventId)));
    if (!row) throw Invalid(field('depot'), 'is not a depot of this event');
    return depotHolder(row.id);
  }
  if (ids.contingentId) {
    const [row] = await db
      .select({ id: contingents.id })
      .from(contingents)
      .where(and(eq(contingents.id, ids.contingentId), eq(contingents.eventId, eventId)))
      // Held to commit: the contingent cannot be deleted while stock moves to or from it.
      .for('key share');
    if (!row) throw Invalid(field('contingent'), 'is not a contingent of this event');
    return contingentHolder(row.id);
  }
  throw Invalid(field(allowed[0]!), `is required for ${purpose}`);
}
