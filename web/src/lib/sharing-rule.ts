// When a leader's phone sends the contingent's position: at most every 5 s, and only when it
// moved 25 m or 30 s have passed since the last report, so a phone at 15 % battery sends
// little, and a contingent standing still still shows as alive (stale after 2 minutes).
import type { LatLng } from './api.ts';

export const MIN_INTERVAL_MS = 5_000;
export const MIN_MOVE_M = 25;
/** Sent this long after the last even without moving: well inside the 2 minutes of staleness. */
export const STILL_INTERVAL_MS = 30_000;

/** One reading of the phone's position. */
export interface Fix {
  position: LatLng;
  accuracy: number;
  /** When the phone measured it (its clock, ms since the epoch). */
  measuredAt: number;
}

export interface SentPosition extends Fix {
  /** When it was sent (the request went out). */
  at: number;
}

/** Metres between two points, near enough for "did we move 25 m". */
export function distanceM(a: LatLng, b: LatLng): number {
  const rad = Math.PI / 180;
  const x = (b.lng - a.lng) * rad * Math.cos(((a.lat + b.lat) / 2) * rad);
  const y = (b.lat - a.lat) * rad;
  return Math.hypot(x, y) * 6_371_000;
}

/** Whether `fix` is worth sending now, after `last`: 5 s apart, and moved 25 m or 30 s on. */
export function worthSending(last: SentPosition | null, fix: Fix, now: number): boolean {
  if (!last) return true;
  if (fix.measuredAt <= last.measuredAt) return false;
  const since = now - last.at;
  if (since < MIN_INTERVAL_MS) return false;
  return since >= STILL_INTERVAL_MS || distanceM(last.position, fix.position) >= MIN_MOVE_M;
}
