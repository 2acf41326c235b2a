// The coverage board's model: contingents (rows) by roles (columns), each cell the slots of
// one role in one contingent, summed to filled/needed. A role is its preset, or for a custom
// slot its name, so "Marshal" in one contingent and "marshal " in another share a column.
import type { Contingent, RolePreset, RoleSlot } from './api.ts';
import { ROLE_PRESETS } from './role-presets.ts';
import { isUncovered } from './roles.ts';

export interface Coverage {
  filled: number;
  needed: number;
  /** Some slot has fewer holders than it needs. */
  uncovered: boolean;
  /** Some critical slot has fewer holders than it needs. */
  criticalUncovered: boolean;
}

export interface CoverageColumn {
  key: string;
  preset: RolePreset | null;
  /** The custom slot's name as first seen; presets are named in the reader's language. */
  name: string;
}

export interface CoverageCell extends Coverage {
  slots: RoleSlot[];
}

export interface CoverageRow {
  /** Null for the slots of the whole march. */
  contingent: Contingent | null;
  cells: Map<string, CoverageCell>;
  total: Coverage;
}

export interface CoverageBoard {
  columns: CoverageColumn[];
  rows: CoverageRow[];
  totals: Map<string, Coverage>;
  total: Coverage;
}

export const roleKey = (slot: RoleSlot): string =>
  slot.preset ?? `custom:${slot.name.trim().toLocaleLowerCase()}`;

function sum(slots: RoleSlot[]): Coverage {
  return {
    filled: slots.reduce((n, s) => n + s.filled, 0),
    needed: slots.reduce((n, s) => n + s.needed, 0),
    uncovered: slots.some(isUncovered),
    criticalUncovered: slots.some((s) => s.critical && isUncovered(s)),
  };
}

function columnsOf(slots: RoleSlot[]): CoverageColumn[] {
  const custom = new Map<string, CoverageColumn>();
  const presets = new Set<RolePreset>();
  for (const slot of slots) {
    if (slot.preset) presets.add(slot.preset);
    else if (!custom.has(roleKey(slot))) {
      custom.set(roleKey(slot), { key: roleKey(slot), preset: null, name: slot.name.trim() });
    }
  }
  return [
    ...ROLE_PRESETS.filter((p) => presets.has(p)).map((p) => ({ key: p, preset: p, name: p })),
    ...[...custom.values()].sort((a, b) => a.name.localeCompare(b.name)),
  ];
}

function rowOf(contingent: Contingent | null, slots: RoleSlot[]): CoverageRow {
  const mine = slots.filter((s) => s.contingentId === (contingent?.id ?? null));
  const byRole = new Map<string, RoleSlot[]>();
  for (const slot of mine) byRole.set(roleKey(slot), [...(byRole.get(roleKey(slot)) ?? []), slot]);
  const cells = new Map([...byRole].map(([key, group]) => [key, { ...sum(group), slots: group }]));
  return { contingent, cells, total: sum(mine) };
}

/** Contingents in march order, after a row for the whole march's slots if there are any. */
export function coverageBoard(contingents: Contingent[], slots: RoleSlot[]): CoverageBoard {
  const columns = columnsOf(slots);
  const eventWide = slots.some((s) => s.contingentId === null) ? [rowOf(null, slots)] : [];
  const rows = [...eventWide, ...contingents.map((c) => rowOf(c, slots))];
  const totals = new Map(
    columns.map((c) => [c.key, sum(slots.filter((s) => roleKey(s) === c.key))]),
  );
  return { columns, rows, totals, total: sum(slots) };
}
