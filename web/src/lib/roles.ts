// Small facts about a role slot, the same wherever it is shown.
import type { RoleSlot } from './api.ts';

export const isFull = (slot: RoleSlot): boolean => slot.filled >= slot.capacity;

/** Fewer people hold it than it needs. */
export const isUncovered = (slot: RoleSlot): boolean => slot.filled < slot.needed;

export const holds = (slot: RoleSlot, personId: string): boolean =>
  slot.holders.some((h) => h.personId === personId);

/** Slots of one contingent first, then event-wide ones; critical first, then by name. */
export function bySlotOrder(a: RoleSlot, b: RoleSlot): number {
  if ((a.contingentId === null) !== (b.contingentId === null)) return a.contingentId ? -1 : 1;
  if (a.critical !== b.critical) return a.critical ? -1 : 1;
  return a.name.localeCompare(b.name);
}
