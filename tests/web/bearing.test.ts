// "Your contingent is about 350 m north-east of you": the distance, its rounding and the
// compass point, and the countdown's minutes. Pure functions, no browser.
import { describe, expect, it } from 'vitest';
import { bearingDeg, bearingTo, compassPoint, roughMetres } from '../../web/src/lib/bearing.ts';
import { durationUntil } from '../../web/src/lib/format.ts';

/** Degrees of latitude in a metre, and of longitude at Los Angeles (34° N). */
const LAT_M = 1 / 111_195;
const LNG_M = LAT_M / Math.cos((34 * Math.PI) / 180);
const HERE = { lat: 34, lng: -118.25 };
const away = (north: number, east: number) => ({
  lat: HERE.lat + north * LAT_M,
  lng: HERE.lng + east * LNG_M,
});

describe('bearingTo', () => {
  it('says how far, rounded to 50 m, and which way', () => {
    expect(bearingTo(HERE, away(250, 250))).toEqual({ metres: 350, direction: 'ne' });
    expect(bearingTo(HERE, away(-600, 0))).toEqual({ metres: 600, direction: 's' });
    expect(bearingTo(HERE, away(0, -1_234))).toEqual({ metres: 1_200, direction: 'w' });
    expect(bearingTo(HERE, away(-300, -300)).direction).toBe('sw');
  });

  it('measures clockwise from north', () => {
    expect(bearingDeg(HERE, away(100, 0))).toBeCloseTo(0, 0);
    expect(bearingDeg(HERE, away(0, 100))).toBeCloseTo(90, 0);
    expect(bearingDeg(HERE, away(-100, 0))).toBeCloseTo(180, 0);
    expect(bearingDeg(HERE, away(0, -100))).toBeCloseTo(270, 0);
  });

  it('names the nearest of eight compass points', () => {
    expect(compassPoint(0)).toBe('n');
    expect(compassPoint(22)).toBe('n');
    expect(compassPoint(23)).toBe('ne');
    expect(compassPoint(200)).toBe('s');
    expect(compassPoint(350)).toBe('n');
  });

  it('rounds to what a 200 m cell can tell', () => {
    expect(roughMetres(0)).toBe(0);
    expect(roughMetres(374)).toBe(350);
    expect(roughMetres(980)).toBe(1_000);
    expect(roughMetres(1_449)).toBe(1_400);
  });
});

describe('durationUntil', () => {
  const now = Date.parse('2027-05-01T08:00:00Z');

  it('counts whole minutes to a moment ahead', () => {
    expect(durationUntil('2027-05-01T09:20:30Z', now)).toEqual({
      past: false,
      hours: 1,
      minutes: 20,
    });
  });

  it('counts whole minutes since a moment behind', () => {
    expect(durationUntil('2027-05-01T07:55:00Z', now)).toEqual({
      past: true,
      hours: 0,
      minutes: 5,
    });
  });
});
