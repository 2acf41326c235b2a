// The links a volunteer's meeting point card hands to the phone: an iCalendar entry (RFC 5545)
// for its calendar and a geo: URI (RFC 5870) for its maps app. Pure functions, no browser.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { zonedInstant } from '../../server/time.ts';
import type { MeetingPoint } from '../../web/src/lib/api.ts';
import {
  calendarFileName,
  escapeText,
  foldLine,
  meetingPointCalendar,
} from '../../web/src/lib/calendar.ts';
import { geoUri } from '../../web/src/lib/geo-uri.ts';

const EVENT = 'May Day — Los Angeles';
/** Characters of 1, 2, 3 and 4 octets in UTF-8, as often as each other. */
const anyWidth = fc
  .oneof(
    fc.integer({ min: 0x20, max: 0x7e }),
    fc.integer({ min: 0x80, max: 0x7ff }),
    fc.integer({ min: 0x800, max: 0xd7ff }),
    fc.integer({ min: 0x10000, max: 0x10ffff }),
  )
  .map((code) => String.fromCodePoint(code));
const NOW = new Date('2027-04-20T18:05:09.123Z');

/** A meeting point of an event in Los Angeles, its time worked out as the server does. */
function meetingPoint(fields: Partial<MeetingPoint> & { date?: string } = {}): MeetingPoint {
  const { date = '2027-05-01', ...rest } = fields;
  const meetTime = rest.meetTime === undefined ? '09:30' : rest.meetTime;
  return {
    id: '0b8f5c7e-3c1a-4e0f-9a55-2d7c1f4e8a10',
    name: 'MacArthur Park boathouse',
    position: { lat: 34.0581, lng: -118.2765 },
    address: '2230 W 6th St',
    instructions: '',
    visibility: 'event',
    contingentIds: [],
    ...rest,
    meetTime,
    meetAt: meetTime ? zonedInstant(date, meetTime, 'America/Los_Angeles').toISOString() : null,
  };
}

function calendarOf(point: MeetingPoint, eventName = EVENT): string {
  const ics = meetingPointCalendar(point, eventName, NOW);
  if (ics === null) throw new Error('no calendar entry');
  return ics;
}

/** RFC 5545 §3.1: a line break followed by one space or tab joins two lines. */
const unfold = (ics: string) => ics.replace(/\r\n[ \t]/g, '');
const octets = (line: string) => Buffer.byteLength(line, 'utf8');
/** The property of an unfolded calendar, e.g. "SUMMARY", without its name. */
const property = (ics: string, name: string) =>
  unfold(ics)
    .split('\r\n')
    .find((line) => line.startsWith(`${name}:`))
    ?.slice(name.length + 1);

describe('a meeting point as a calendar entry', () => {
  it('is one event in UTC for a meeting in Los Angeles, with CRLF line endings', () => {
    const ics = calendarOf(meetingPoint({ instructions: 'Look for the red banner' }));
    expect(ics.split('\r\n')).toEqual([
      'BEGIN:VCALENDAR',
      'VERSION:2.0',
      'PRODID:-//Muster//Meeting points//EN',
      'CALSCALE:GREGORIAN',
      'METHOD:PUBLISH',
      'BEGIN:VEVENT',
      'UID:0b8f5c7e-3c1a-4e0f-9a55-2d7c1f4e8a10@muster',
      'DTSTAMP:20270420T180509Z',
      // 09:30 Pacific Daylight Time, UTC−7.
      'DTSTART:20270501T163000Z',
      'DTEND:20270501T173000Z',
      'SUMMARY:May Day — Los Angeles: MacArthur Park boathouse',
      'LOCATION:MacArthur Park boathouse\\, 2230 W 6th St',
      'GEO:34.0581;-118.2765',
      'DESCRIPTION:Look for the red banner',
      'END:VEVENT',
      'END:VCALENDAR',
      '',
    ]);
    expect(ics.replace(/\r\n/g, '')).not.toMatch(/[\r\n]/);
  });

  it('follows the clocks of Los Angeles in winter too', () => {
    const ics = calendarOf(meetingPoint({ date: '2027-01-15', meetTime: '09:30' }));
    // 09:30 Pacific Standard Time, UTC−8.
    expect(property(ics, 'DTSTART')).toBe('20270115T173000Z');
    expect(property(ics, 'DTEND')).toBe('20270115T183000Z');
  });

  it('keeps the same UID for one meeting point, whatever changes about it', () => {
    const before = calendarOf(meetingPoint());
    const moved = calendarOf(meetingPoint({ meetTime: '11:00', address: 'Grand Park' }));
    expect(property(moved, 'UID')).toBe(property(before, 'UID'));
    expect(property(moved, 'DTSTART')).toBe('20270501T180000Z');
    const other = calendarOf(meetingPoint({ id: '5d0e2a64-8b7f-4c11-b3d2-6f1e9c0a7b32' }));
    expect(property(other, 'UID')).not.toBe(property(before, 'UID'));
  });

  it('is not made for a meeting point without a time', () => {
    expect(meetingPointCalendar(meetingPoint({ meetTime: null }), EVENT, NOW)).toBeNull();
  });

  it('escapes backslashes, semicolons, commas and line breaks in text', () => {
    const ics = calendarOf(
      meetingPoint({
        name: 'Gate 3; north, by the fountain',
        address: 'C:\\ Plaza, LA',
        instructions: 'Bring water.\r\nWear red;\nno flags\rwith poles.',
      }),
    );
    expect(property(ics, 'SUMMARY')).toBe(
      'May Day — Los Angeles: Gate 3\\; north\\, by the fountain',
    );
    expect(property(ics, 'LOCATION')).toBe(
      'Gate 3\\; north\\, by the fountain\\, C:\\\\ Plaza\\, LA',
    );
    expect(property(ics, 'DESCRIPTION')).toBe(
      'Bring water.\\nWear red\\;\\nno flags\\nwith poles.',
    );
    expect(escapeText('tab\there, bell\u0007 gone')).toBe('tab\there\\, bell gone');
  });

  it('folds long lines at 75 octets, and unfolding gives back the text', () => {
    const instructions =
      'Entrada por la calle 6ª: busquen la pancarta roja «¡Sí se puede!» junto a la fuente. ' +
      '集合場所は噴水の横です。 ✊🏽✊🏿 Traigan agua, gorra y crema solar; no traigan palos.';
    const ics = calendarOf(meetingPoint({ instructions }));
    const lines = ics.split('\r\n');
    expect(lines.filter((line) => line.startsWith(' ')).length).toBeGreaterThanOrEqual(2);
    for (const line of lines) {
      expect(octets(line)).toBeLessThanOrEqual(75);
      // Each line is whole UTF-8 on its own: no character cut in two.
      expect(Buffer.from(line, 'utf8').toString('utf8')).toBe(line);
    }
    expect(property(ics, 'DESCRIPTION')).toBe(escapeText(instructions));
  });

  it('moves a character that does not fit whole to the next line', () => {
    expect(foldLine(`${'x'.repeat(74)}é`)).toBe(`${'x'.repeat(74)}\r\n é`);
    expect(foldLine(`${'x'.repeat(73)}🏳️‍🌈`).split('\r\n')).toEqual([`${'x'.repeat(73)}`, ' 🏳️‍🌈']);
    expect(foldLine('x'.repeat(75))).toBe('x'.repeat(75));
  });

  it('folds any text into whole lines of at most 75 octets', () => {
    fc.assert(
      fc.property(fc.string({ unit: anyWidth, maxLength: 300, size: 'max' }), (text) => {
        const folded = foldLine(`DESCRIPTION:${text}`);
        for (const line of folded.split('\r\n')) {
          expect(octets(line)).toBeLessThanOrEqual(75);
          expect(Buffer.from(line, 'utf8').toString('utf8')).toBe(line);
        }
        expect(unfold(folded)).toBe(`DESCRIPTION:${text}`);
      }),
    );
  });

  it('is named after its meeting point in plain ASCII', () => {
    expect(calendarFileName({ name: 'Plaza de la Raza — Entrada Sur' })).toBe(
      'plaza-de-la-raza-entrada-sur.ics',
    );
    expect(calendarFileName({ name: '集合場所' })).toBe('meeting-point.ics');
  });
});

describe('a meeting point as a geo: URI', () => {
  it('gives the position, and the name as a label the maps app shows', () => {
    expect(geoUri(meetingPoint({ name: 'Boathouse (north side), 6th & Alvarado' }))).toBe(
      'geo:34.0581,-118.2765?q=34.0581,-118.2765(Boathouse%20%28north%20side%29%2C%206th%20%26%20Alvarado)',
    );
  });

  it('writes coordinates as plain decimals, never in exponent notation', () => {
    expect(geoUri({ name: 'Null Island', position: { lat: 0.0000001, lng: -0.0000004 } })).toBe(
      'geo:0,0?q=0,0(Null%20Island)',
    );
    expect(geoUri({ name: 'x', position: { lat: 51.4778812345, lng: -0.0014 } })).toMatch(
      /^geo:51\.477881,-0\.0014\?/,
    );
  });
});
