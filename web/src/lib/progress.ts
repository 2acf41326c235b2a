// The march on the day: each contingent's status, where it is along the route, in what order
// the street sees them, and which have gone quiet. The measuring is the server's own code.
import { marchProgress, type RouteProgress } from '../../../server/features/positions/progress.ts';
import type { Contingent, ContingentPosition, EventPlan } from './api.ts';

/** As the server's STALE_AFTER_MS (a test checks they agree): no report for 2 minutes. */
export const STALE_AFTER_MS = 2 * 60_000;

export interface ContingentProgress {
  contingent: Contingent;
  position: ContingentPosition | null;
  /** Null without a route or a position. */
  progress: RouteProgress | null;
  stale: boolean;
}

export function isStale(position: ContingentPosition, now: number): boolean {
  return now - Date.parse(position.recordedAt) > STALE_AFTER_MS;
}

/** Every contingent: those with a position in the order observed, then the rest in plan order. */
export function contingentProgress(
  plan: EventPlan,
  contingents: Contingent[],
  now: number,
): ContingentProgress[] {
  const positions = new Map(plan.positions.map((p) => [p.contingentId, p]));
  const measured = plan.route
    ? marchProgress(plan.route, plan.assemblyPoint, plan.positions, now, STALE_AFTER_MS)
    : [];
  const byId = new Map(measured.map((m) => [m.contingentId, m]));
  const rows = contingents.map((contingent) => {
    const position = positions.get(contingent.id) ?? null;
    const progress = byId.get(contingent.id) ?? null;
    return { contingent, position, progress, stale: position ? isStale(position, now) : false };
  });
  const order = (row: ContingentProgress) =>
    row.progress?.observedOrder ?? (row.position ? measured.length : Infinity);
  return rows.sort((a, b) => order(a) - order(b));
}

/** "850 m", "1.2 km", in the reader's language. */
export function formatDistance(metres: number, locale: string): string {
  const km = Math.abs(metres) >= 1000;
  return new Intl.NumberFormat(locale, {
    style: 'unit',
    unit: km ? 'kilometer' : 'meter',
    maximumFractionDigits: km ? 1 : 0,
  }).format(km ? metres / 1000 : Math.round(metres / 10) * 10);
}
