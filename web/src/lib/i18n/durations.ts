// Durations as a person reads them: "in 1 h 20 min", "started 5 min ago", "2 min ago", in
// the language of the `t` given (the app's current one, or the server's for a first render).
import { durationUntil, type Duration } from '../format.ts';
import type { Translate } from './catalogue.ts';

function sayDuration(t: Translate, { hours, minutes }: Duration): string {
  if (hours === 0) return t('time.minutes', { minutes });
  if (minutes === 0) return t('time.hours', { hours });
  return t('time.hoursMinutes', { hours, minutes });
}

/** A countdown to a meeting time, or how long ago it was; null a day or more either way. */
export function sayCountdown(t: Translate, instant: string, now: number): string | null {
  const duration = durationUntil(instant, now);
  if (duration.hours >= 24) return null;
  if (duration.hours === 0 && duration.minutes === 0) return t('time.startsNow');
  const said = sayDuration(t, duration);
  return duration.past
    ? t('time.startedAgo', { duration: said })
    : t('time.in', { duration: said });
}

/** How long ago something was reported. */
export function sayAgo(t: Translate, instant: string, now: number): string {
  const duration = durationUntil(instant, now);
  if (!duration.past || (duration.hours === 0 && duration.minutes === 0)) return t('time.justNow');
  return t('time.ago', { duration: sayDuration(t, duration) });
}
