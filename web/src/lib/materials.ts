// The materials ledger as the web app reads it: which holders each kind of movement moves
// between (the server's rules, so forms offer only what it accepts), holders as select values,
// and hand-outs per quarter hour for the board's chart.
import type {
  HolderRef,
  HolderStock,
  MaterialKind,
  MaterialStock,
  Movement,
  MovementKind,
  RecordMovementBody,
} from './api.ts';

/** Live changes that alter stock, requests or depots: the materials pages read them again. */
export function isMaterialChange(type: string): boolean {
  return (
    type.startsWith('material.') || type.startsWith('materialRequest.') || type === 'depot.created'
  );
}

/** The units the server gives a material when none is named, in English (its DEFAULT_UNITS). */
export const DEFAULT_UNITS: Record<MaterialKind, string> = {
  sign: 'signs',
  literature: 'copies',
  shirt: 'shirts',
  flag: 'flags',
  banner: 'banners',
  other: 'items',
};

/** The movement that takes `movement` back: the same quantity, the other way. */
export function reversalOf(movement: Movement): RecordMovementBody {
  return { materialId: movement.materialId, kind: 'reversal', reverses: movement.id };
}

/** A burst of changes (a coordinator allocating to every contingent) is read once. */
export const REFRESH_AFTER_MS = 250;

export type RecordableKind = Exclude<MovementKind, 'reversal'>;
export type StockSide = 'depot' | 'contingent';

const BOTH: readonly StockSide[] = ['depot', 'contingent'];

/** Where each kind of movement may take from and give to; an empty side is outside the stock. */
export const MOVEMENT_SIDES: Record<
  RecordableKind,
  { from: readonly StockSide[]; to: readonly StockSide[] }
> = {
  received: { from: [], to: ['depot'] },
  allocated: { from: ['depot'], to: ['contingent'] },
  transferred: { from: BOTH, to: BOTH },
  returned: { from: ['contingent'], to: ['depot'] },
  distributed: { from: BOTH, to: [] },
  lost: { from: BOTH, to: [] },
  damaged: { from: BOTH, to: [] },
};

export const RECORDABLE_KINDS = Object.keys(MOVEMENT_SIDES) as RecordableKind[];

/** A depot or contingent as one select value: `depot:<id>` or `contingent:<id>`. */
export type HolderKey = `${StockSide}:${string}`;

export function holderKey(ref: HolderRef): string {
  return ref.id ? `${ref.kind}:${ref.id}` : ref.kind;
}

function parseHolder(key: HolderKey): { kind: StockSide; id: string } {
  const at = key.indexOf(':');
  return { kind: key.slice(0, at) as StockSide, id: key.slice(at + 1) };
}

/** The body fields that name a holder on one side, e.g. { fromDepotId }. */
export function sideFields(
  side: 'from' | 'to',
  key: HolderKey | null,
): Partial<RecordMovementBody> {
  if (!key) return {};
  const { kind, id } = parseHolder(key);
  return { [`${side}${kind === 'depot' ? 'Depot' : 'Contingent'}Id`]: id };
}

/** The fields naming a holder for a level: { depotId } or { contingentId }. */
export function levelFields(key: HolderKey): { depotId: string } | { contingentId: string } {
  const { kind, id } = parseHolder(key);
  return kind === 'depot' ? { depotId: id } : { contingentId: id };
}

/** A contingent's row of one material's stock. */
export function contingentRow(stock: MaterialStock, contingentId: string): HolderStock | undefined {
  return stock.holders.find((h) => h.holder.kind === 'contingent' && h.holder.id === contingentId);
}

export const QUARTER_HOUR_MS = 15 * 60_000;
/** A day of quarter hours: the chart shows at most the last one. */
const MAX_BARS = 96;

/** Hand-outs per quarter hour from the first to the last, the quiet ones as zero. */
export function quarterHours(
  handOuts: MaterialStock['handOuts'],
): { from: string; quantity: number }[] {
  if (handOuts.length === 0) return [];
  const byStart = new Map(handOuts.map((h) => [Date.parse(h.from), h.quantity]));
  const last = Math.max(...byStart.keys());
  const first = Math.max(Math.min(...byStart.keys()), last - (MAX_BARS - 1) * QUARTER_HOUR_MS);
  const bars: { from: string; quantity: number }[] = [];
  for (let at = first; at <= last; at += QUARTER_HOUR_MS) {
    bars.push({ from: new Date(at).toISOString(), quantity: byStart.get(at) ?? 0 });
  }
  return bars;
}

/** A whole number ≥ 0 from a number input, or null when it is empty or not one. */
export function countOrNull(value: number | null | undefined): number | null {
  return typeof value === 'number' && Number.isInteger(value) && value >= 0 ? value : null;
}

/** The most one movement or request may count (the server's MAX_QUANTITY). */
export const MAX_QUANTITY = 1_000_000;

/** A quantity to move or ask for: a whole number from 1 to MAX_QUANTITY, else null. */
export function quantityOrNull(value: number | null | undefined): number | null {
  const count = countOrNull(value);
  return count !== null && count >= 1 && count <= MAX_QUANTITY ? count : null;
}
