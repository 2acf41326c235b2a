// Dates and times, formatted with Intl in the event's own timezone (a march happens where
// it happens, wherever the reader's phone thinks it is).

function format(value: string | Date, locale: string, options: Intl.DateTimeFormatOptions): string {
  const date = typeof value === 'string' ? new Date(value) : value;
  try {
    return new Intl.DateTimeFormat(locale, options).format(date);
  } catch {
    // An unknown timezone: fall back to the reader's own.
    const { timeZone: _ignored, ...rest } = options;
    return new Intl.DateTimeFormat(locale, rest).format(date);
  }
}

/** "Friday, 1 May 2026, 10:00 PDT" */
export function formatEventStart(startsAt: string, timeZone: string, locale: string): string {
  return format(startsAt, locale, {
    timeZone,
    weekday: 'long',
    year: 'numeric',
    month: 'long',
    day: 'numeric',
    hour: 'numeric',
    minute: '2-digit',
    timeZoneName: 'short',
  });
}

/** A moment as the API writes it, from milliseconds since the epoch. */
export function instantOf(ms: number): string {
  return new Date(ms).toISOString();
}

/** "10:00" in the event's timezone. */
export function formatTimeOfDay(instant: string, timeZone: string, locale: string): string {
  return format(instant, locale, { timeZone, hour: 'numeric', minute: '2-digit' });
}

/** A moment in the reader's own timezone, e.g. an invite's expiry. */
export function formatMoment(instant: string, locale: string): string {
  return format(instant, locale, { dateStyle: 'medium', timeStyle: 'short' });
}

export function browserTimeZone(): string {
  return Intl.DateTimeFormat().resolvedOptions().timeZone || 'UTC';
}

/** IANA timezone names for a select, always including `current`. */
export function timeZones(current: string): string[] {
  const known =
    typeof Intl.supportedValuesOf === 'function' ? Intl.supportedValuesOf('timeZone') : [];
  const zones = new Set([...known, 'UTC', current].filter(Boolean));
  return [...zones].sort();
}

/** A wall-clock "HH:MM" as the reader's locale writes it ("2:30 PM", "14:30"). */
export function formatClock(time: string, locale: string): string {
  const [hours = 0, minutes = 0] = time.split(':').map(Number);
  const at = new Date(Date.UTC(2000, 0, 1, hours, minutes));
  return format(at, locale, { timeZone: 'UTC', hour: 'numeric', minute: '2-digit' });
}

/** "10:00 – 12:00", or null without a window. */
export function formatTimeWindow(
  start: string | null,
  end: string | null,
  locale: string,
): string | null {
  if (!start || !end) return null;
  return `${formatClock(start, locale)} – ${formatClock(end, locale)}`;
}

const englishOrdinals: Record<string, string> = { one: 'st', two: 'nd', few: 'rd', other: 'th' };

/** "2nd" in English; elsewhere the number, which the message itself places ("puesto 2"). */
export function formatPlace(place: number, locale: string): string {
  if (!locale.startsWith('en')) return String(place);
  const rule = new Intl.PluralRules('en', { type: 'ordinal' }).select(place);
  return `${place}${englishOrdinals[rule] ?? 'th'}`;
}

export interface Duration {
  /** Whether the moment is already behind us. */
  past: boolean;
  hours: number;
  minutes: number;
}

/** From `now` to `instant`, in whole minutes: what a countdown or "2 min ago" says. */
export function durationUntil(instant: string, now: number): Duration {
  const ms = Date.parse(instant) - now;
  const total = Math.floor(Math.abs(ms) / 60_000);
  return { past: ms < 0, hours: Math.floor(total / 60), minutes: total % 60 };
}
