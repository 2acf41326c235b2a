// How far along the route each contingent is, in the order observed on the street.
// Dependency-free: the coordinator's map imports it too.
import type { LatLng, LineString } from '../../schemas.ts';

const EARTH_RADIUS_M = 6_371_000;

export interface RouteProgress {
  contingentId: string;
  /** Metres along the route line from the assembly point (negative: not there yet). */
  alongM: number;
  /** 0–100: share of the route from the assembly point to its end. */
  percent: number;
  /** Metres from the route line: far off means the position is not on the march. */
  offRouteM: number;
  /** 1 = at the front, as observed. */
  observedOrder: number;
  /** Metres to the contingent ahead; null for the front one. */
  gapAheadM: number | null;
  stale: boolean;
}

interface Projection {
  alongM: number;
  offRouteM: number;
}

/** Local flat projection around `origin`, in metres: plenty for a march's few kilometres. */
function toMetres(point: LatLng, origin: LatLng): [number, number] {
  const rad = Math.PI / 180;
  const x = (point.lng - origin.lng) * rad * EARTH_RADIUS_M * Math.cos(origin.lat * rad);
  const y = (point.lat - origin.lat) * rad * EARTH_RADIUS_M;
  return [x, y];
}

function vertices(route: LineString): LatLng[] {
  return route.coordinates.map(([lng, lat]) => ({ lat, lng }));
}

/** The nearest point on the route to `point`: its distance along the line and from it. */
export function project(route: LineString, point: LatLng): Projection {
  const line = vertices(route);
  let best: Projection = { alongM: 0, offRouteM: Infinity };
  let walked = 0;
  for (let i = 0; i + 1 < line.length; i++) {
    const [ax, ay] = toMetres(line[i]!, point);
    const [bx, by] = toMetres(line[i + 1]!, point);
    const dx = bx - ax;
    const dy = by - ay;
    const length = Math.hypot(dx, dy);
    const t = length === 0 ? 0 : Math.min(1, Math.max(0, -(ax * dx + ay * dy) / length ** 2));
    const off = Math.hypot(ax + t * dx, ay + t * dy);
    if (off < best.offRouteM) best = { alongM: walked + t * length, offRouteM: off };
    walked += length;
  }
  return best;
}

export function routeLength(route: LineString): number {
  const line = vertices(route);
  let total = 0;
  for (let i = 0; i + 1 < line.length; i++) {
    const [x, y] = toMetres(line[i + 1]!, line[i]!);
    total += Math.hypot(x, y);
  }
  return total;
}

export function isStale(recordedAt: string, now: number, staleAfterMs: number): boolean {
  return now - new Date(recordedAt).getTime() > staleAfterMs;
}

/**
 * Progress of every positioned contingent along `route`, measured from the assembly point
 * (the route's start when there is none), front of the march first.
 */
export function marchProgress(
  route: LineString,
  assemblyPoint: LatLng | null,
  positions: { contingentId: string; position: LatLng; recordedAt: string }[],
  now: number,
  staleAfterMs: number,
): RouteProgress[] {
  const start = assemblyPoint ? project(route, assemblyPoint).alongM : 0;
  const span = Math.max(routeLength(route) - start, 1);
  const measured = positions
    .map((p) => ({ p, at: project(route, p.position) }))
    .sort((a, b) => b.at.alongM - a.at.alongM);
  return measured.map(({ p, at }, index) => {
    const alongM = at.alongM - start;
    const ahead = measured[index - 1];
    return {
      contingentId: p.contingentId,
      alongM: Math.round(alongM),
      percent: Math.round(Math.min(100, Math.max(0, (alongM / span) * 100))),
      offRouteM: Math.round(at.offRouteM),
      observedOrder: index + 1,
      gapAheadM: ahead ? Math.round(ahead.at.alongM - at.alongM) : null,
      stale: isStale(p.recordedAt, now, staleAfterMs),
    };
  });
}
