// A meeting point as a geo: URI (RFC 5870), which a phone hands to its maps app. The label
// follows Android's convention, `?q=<lat>,<lng>(<label>)`, so the app shows the name and
// not just a dropped pin.
import type { MeetingPoint } from './api.ts';

export function geoUri(point: Pick<MeetingPoint, 'name' | 'position'>): string {
  const at = `${coordinate(point.position.lat)},${coordinate(point.position.lng)}`;
  return `geo:${at}?q=${at}(${encodeLabel(point.name)})`;
}

/** Degrees with at most 6 decimals (about 10 cm), never in exponent notation. */
export function coordinate(degrees: number): string {
  return String(Number(degrees.toFixed(6)) || 0);
}

/** Percent-encoded, parentheses too: a ")" in a name would otherwise end the label early. */
function encodeLabel(label: string): string {
  return encodeURIComponent(label).replace(
    /[!'()*]/g,
    (char) => `%${char.charCodeAt(0).toString(16).toUpperCase()}`,
  );
}
