import type { EventPlan, LatLng } from '../api.ts';

/** Every place of a plan worth framing on the map: route, assembly, rally, meeting points. */
export function planPoints(plan: EventPlan | null): LatLng[] {
  if (!plan) return [];
  return [
    ...(plan.route?.coordinates ?? []).map(([lng, lat]) => ({ lat, lng })),
    ...(plan.assemblyPoint ? [plan.assemblyPoint] : []),
    ...(plan.rallyPoint ? [plan.rallyPoint] : []),
    ...plan.meetingPoints.map((m) => m.position),
  ];
}
