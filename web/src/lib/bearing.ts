// How far and which way something is from the person holding the phone: "about 350 m
// north-east". The distance is sharing-rule's; only the direction and the rounding are new.
import type { LatLng } from './api.ts';
import { distanceM } from './sharing-rule.ts';

export const COMPASS = ['n', 'ne', 'e', 'se', 's', 'sw', 'w', 'nw'] as const;
export type CompassPoint = (typeof COMPASS)[number];

export interface Bearing {
  /** Rounded to what the positions can tell: 50 m under a kilometre, 100 m over. */
  metres: number;
  direction: CompassPoint;
}

/** Degrees clockwise from north, 0–360, near enough over a march's few kilometres. */
export function bearingDeg(from: LatLng, to: LatLng): number {
  const rad = Math.PI / 180;
  const x = (to.lng - from.lng) * Math.cos(((from.lat + to.lat) / 2) * rad);
  const y = to.lat - from.lat;
  return (((Math.atan2(x, y) / rad) % 360) + 360) % 360;
}

export function compassPoint(degrees: number): CompassPoint {
  return COMPASS[Math.round(degrees / 45) % COMPASS.length]!;
}

export function roughMetres(metres: number): number {
  const step = metres < 1000 ? 50 : 100;
  return Math.round(metres / step) * step;
}

/** Where `to` is seen from `from`. */
export function bearingTo(from: LatLng, to: LatLng): Bearing {
  return {
    metres: roughMetres(distanceM(from, to)),
    direction: compassPoint(bearingDeg(from, to)),
  };
}
