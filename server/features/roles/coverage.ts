// How many people a role slot needs. No imports: the web app uses the same rule to
// preview a slot's need while the coordinator edits it.

export interface CoverageRule {
  capacity: number;
  /** One needed per this many expected marchers, when set. */
  needPerMarchers: number | null;
  /** At least this many, when set; with neither rule, capacity is the need. */
  needMinimum: number | null;
}

export function neededFor(rule: CoverageRule, marchers: number): number {
  if (rule.needPerMarchers) {
    return Math.max(rule.needMinimum ?? 0, Math.ceil(marchers / rule.needPerMarchers));
  }
  return rule.needMinimum ?? rule.capacity;
}
