// A meeting point as an iCalendar file (RFC 5545), built in the page so that adding it to a
// phone's calendar needs no server, and works from the last known plan when offline.
import type { MeetingPoint } from './api.ts';
import { coordinate } from './geo-uri.ts';

type CalendarPoint = Pick<
  MeetingPoint,
  'id' | 'name' | 'address' | 'instructions' | 'position' | 'meetAt'
>;

/** A meeting has a time but no end: the entry holds an hour, long enough to gather and set off. */
export const MEETING_LENGTH_MS = 60 * 60_000;
/** RFC 5545 §3.1: lines longer than this many octets, line break excluded, are folded. */
const MAX_LINE_OCTETS = 75;
const CRLF = '\r\n';

/**
 * The .ics text for meeting at `point`, or null when it has no time yet (an entry without a
 * time would be a guess). `now` is its DTSTAMP. The UID stays the same for one meeting point,
 * so a calendar can tell a second import of it from a new meeting.
 */
export function meetingPointCalendar(
  point: CalendarPoint,
  eventName: string,
  now: Date,
): string | null {
  if (!point.meetAt) return null;
  const start = new Date(point.meetAt);
  const location = [point.name, point.address].filter(Boolean).join(', ');
  const lines = [
    'BEGIN:VCALENDAR',
    'VERSION:2.0',
    'PRODID:-//Muster//Meeting points//EN',
    'CALSCALE:GREGORIAN',
    'METHOD:PUBLISH',
    'BEGIN:VEVENT',
    `UID:${point.id}@muster`,
    `DTSTAMP:${utcDateTime(now)}`,
    `DTSTART:${utcDateTime(start)}`,
    `DTEND:${utcDateTime(new Date(start.getTime() + MEETING_LENGTH_MS))}`,
    `SUMMARY:${escapeText(eventName ? `${eventName}: ${point.name}` : point.name)}`,
    `LOCATION:${escapeText(location)}`,
    `GEO:${coordinate(point.position.lat)};${coordinate(point.position.lng)}`,
    ...(point.instructions ? [`DESCRIPTION:${escapeText(point.instructions)}`] : []),
    'END:VEVENT',
    'END:VCALENDAR',
  ];
  return lines.map(foldLine).join(CRLF) + CRLF;
}

/** A file name for it: the meeting point's name in plain ASCII, e.g. "macarthur-park.ics". */
export function calendarFileName(point: Pick<MeetingPoint, 'name'>): string {
  const slug = point.name
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 60)
    .replace(/-+$/, '');
  return `${slug || 'meeting-point'}.ics`;
}

/** DATE-TIME in UTC, "20270501T170000Z" (RFC 5545 §3.3.5, form #2). */
export function utcDateTime(date: Date): string {
  return date
    .toISOString()
    .replace(/\.\d+Z$/, 'Z')
    .replace(/[-:]/g, '');
}

/** A TEXT value (RFC 5545 §3.3.11): backslash, semicolon, comma and line breaks escaped. */
export function escapeText(text: string): string {
  return (
    text
      .replace(/\\/g, '\\\\')
      .replace(/;/g, '\\;')
      .replace(/,/g, '\\,')
      .replace(/\r\n|\r|\n/g, '\\n')
      // Other control characters are not allowed in TEXT at all.
      // eslint-disable-next-line no-control-regex
      .replace(/[\u0000-\u0008\u000a-\u001f\u007f]/g, '')
  );
}

/**
 * Folds a content line into lines of at most 75 octets of UTF-8, each continuation starting
 * with a space (RFC 5545 §3.1). Splits only between code points, never inside a character.
 */
export function foldLine(line: string): string {
  const parts: string[] = [];
  let part = '';
  let octets = 0;
  for (const char of line) {
    const size = utf8Length(char);
    if (octets + size > MAX_LINE_OCTETS) {
      parts.push(part);
      part = ' ';
      octets = 1;
    }
    part += char;
    octets += size;
  }
  parts.push(part);
  return parts.join(CRLF);
}

/** Octets of one code point in UTF-8 (a lone surrogate is written as U+FFFD, three octets). */
function utf8Length(char: string): number {
  const code = char.codePointAt(0)!;
  if (code < 0x80) return 1;
  if (code < 0x800) return 2;
  if (code < 0x10000) return 3;
  return 4;
}
