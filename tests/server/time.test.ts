import { describe, expect, it } from 'vitest';
import { isCalendarDate, isTimeZone, zonedInstant } from '../../server/time.ts';

describe('zonedInstant', () => {
  it.each([
    ['2027-05-01', '10:00', 'America/Los_Angeles', '2027-05-01T17:00:00.000Z'],
    ['2027-01-15', '10:00', 'America/Los_Angeles', '2027-01-15T18:00:00.000Z'],
    ['2027-05-01', '10:00', 'Asia/Kolkata', '2027-05-01T04:30:00.000Z'],
    ['2027-05-01', '00:15', 'Europe/Madrid', '2027-04-30T22:15:00.000Z'],
    ['2027-11-07', '01:30', 'America/New_York', '2027-11-07T05:30:00.000Z'],
  ])('reads %s %s in %s as %s', (date, time, zone, expected) => {
    expect(zonedInstant(date, time, zone).toISOString()).toBe(expected);
  });
});

describe('isTimeZone and isCalendarDate', () => {
  it('accept real zones and days and refuse made-up ones', () => {
    expect(isTimeZone('America/Mexico_City')).toBe(true);
    expect(isTimeZone('Mars/Olympus_Mons')).toBe(false);
    expect(isCalendarDate('2028-02-29')).toBe(true);
    expect(isCalendarDate('2027-02-29')).toBe(false);
  });
});
