// Reads a route out of a GPX file: the points of its first track (all segments), or of
// its first route when it has no track. Waypoints are ignored.
import { Invalid } from '../../errors.ts';
import type { LineString } from '../../schemas.ts';

const POINT = /<(trkpt|rtept)\b([^>]*)>/g;
const ATTRIBUTE = (name: string) => new RegExp(`\\b${name}\\s*=\\s*["']([^"']*)["']`);
const MAX_POINTS = 5000;

const DECIMAL = /^\s*[-+]?(\d+\.?\d*|\.\d+)\s*$/;

function readNumber(attributes: string, name: string): number {
  const text = ATTRIBUTE(name).exec(attributes)?.[1] ?? '';
  return DECIMAL.test(text) ? Number(text) : NaN;
}

function readPoint(attributes: string): [number, number] | null {
  const lat = readNumber(attributes, 'lat');
  const lon = readNumber(attributes, 'lon');
  if (!Number.isFinite(lat) || !Number.isFinite(lon)) return null;
  if (Math.abs(lat) > 90 || Math.abs(lon) > 180) return null;
  return [lon, lat];
}

export function parseGpxRoute(gpx: string): LineString {
  if (!/<gpx\b/.test(gpx)) throw Invalid('/body/gpx', 'is not a GPX document');
  const track: [number, number][] = [];
  const route: [number, number][] = [];
  for (const match of gpx.matchAll(POINT)) {
    const point = readPoint(match[2] ?? '');
    if (!point) throw Invalid('/body/gpx', 'has a point without a valid lat and lon');
    (match[1] === 'trkpt' ? track : route).push(point);
  }
  const coordinates = track.length > 0 ? track : route;
  if (coordinates.length < 2)
    throw Invalid('/body/gpx', 'has no track or route of two or more points');
  if (coordinates.length > MAX_POINTS) {
    throw Invalid('/body/gpx', `has more than ${MAX_POINTS} points; simplify the route first`);
  }
  return { type: 'LineString', coordinates };
}
