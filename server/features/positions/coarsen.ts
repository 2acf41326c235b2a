// Coarsening a position to a cell of about 200 m: what volunteers may see of their own
// contingent, enough to find it in a crowd and no more.
import type { LatLng } from '../../schemas.ts';

/** 200 m in degrees of latitude. */
const CELL_LAT = 200 / 111_320;

function snap(value: number, step: number): number {
  return (Math.floor(value / step) + 0.5) * step;
}

/** The centre of the ~200 m grid cell that holds `point`; every point in a cell maps to it. */
export function coarsen(point: LatLng): LatLng {
  const lat = Math.min(90, Math.max(-90, snap(point.lat, CELL_LAT)));
  // A degree of longitude shrinks towards the poles; size cells by the cell's own latitude.
  const cos = Math.max(Math.cos((lat * Math.PI) / 180), 0.01);
  const lng = snap(point.lng, CELL_LAT / cos);
  return { lat: round(lat), lng: round(Math.min(180, Math.max(-180, lng))) };
}

function round(value: number): number {
  return Math.round(value * 1e5) / 1e5;
}
