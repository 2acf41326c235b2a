// The standard roles a coordinator adds with one tap, each with a coverage rule that suits a
// march: how many of them a contingent of a given size needs, and whether it may not go
// without. Names and descriptions come from the i18n catalogues (`preset.*`).
import { neededFor } from '../../../server/features/roles/coverage.ts';
import type { RolePreset } from './api.ts';

interface PresetRule {
  /** A fixed number of places; null: as many as the group's marchers need. */
  capacity: number | null;
  needPerMarchers: number | null;
  needMinimum: number | null;
  critical: boolean;
}

export const PRESET_RULES = {
  marshal: { capacity: null, needPerMarchers: 50, needMinimum: 2, critical: true },
  sign_carrier: { capacity: null, needPerMarchers: 20, needMinimum: 1, critical: false },
  literature_distributor: { capacity: null, needPerMarchers: 30, needMinimum: 2, critical: false },
  banner_carrier: { capacity: 2, needPerMarchers: null, needMinimum: 2, critical: false },
  medic: { capacity: 2, needPerMarchers: null, needMinimum: 1, critical: true },
  legal_observer: { capacity: 2, needPerMarchers: null, needMinimum: 1, critical: true },
  chant_leader: { capacity: null, needPerMarchers: 100, needMinimum: 1, critical: false },
  safety: { capacity: null, needPerMarchers: 100, needMinimum: 1, critical: false },
  driver: { capacity: 1, needPerMarchers: null, needMinimum: 1, critical: false },
  photographer: { capacity: 1, needPerMarchers: null, needMinimum: 1, critical: false },
} satisfies Record<RolePreset, PresetRule>;

/** In the server's order, which is also the coverage board's column order. */
export const ROLE_PRESETS = Object.keys(PRESET_RULES) as RolePreset[];

/** How many a slot needs for `marchers`: the server's own rule. */
export { neededFor };

/** A preset's coverage rule, with places for as many as `marchers` need. */
export function presetRule(preset: RolePreset, marchers: number) {
  const { capacity, ...rule } = PRESET_RULES[preset];
  const needed = neededFor({ ...rule, capacity: capacity ?? 1 }, marchers);
  return { ...rule, capacity: Math.min(500, Math.max(1, capacity ?? needed)) };
}
