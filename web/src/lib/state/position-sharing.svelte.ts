// A leader's phone sharing where the contingent is. The phone reports a fix whenever it has
// one; sharing-rule.ts decides which are sent. A move made during the 5 s pause is sent when
// the pause ends, not lost; a phone standing still is asked for a fresh fix now and then.
import { api, ApiError } from '../api.ts';
import { instantOf } from '../format.ts';
import {
  type Fix,
  MIN_INTERVAL_MS,
  type SentPosition,
  STILL_INTERVAL_MS,
  worthSending,
} from '../sharing-rule.ts';
import { messageOf } from './task.svelte.ts';

/** How often a phone that reports nothing is asked where it is. */
const STILL_CHECK_MS = 10_000;
/** The server takes accuracies up to 1 km. */
const MAX_ACCURACY_M = 1000;

export type SharingProblem = 'denied' | 'unavailable' | 'unsupported' | { message: string };

function storageKey(eventId: string): string {
  return `muster.sharePosition.${eventId}`;
}

export class PositionSharing {
  #on = $state(false);
  #last = $state.raw<SentPosition | null>(null);
  #problem = $state.raw<SharingProblem | null>(null);
  /** The newest fix, sent or not. */
  #latest: Fix | null = null;
  #watch: number | null = null;
  #stillTimer: ReturnType<typeof setInterval> | undefined;
  #pauseTimer: ReturnType<typeof setTimeout> | undefined;
  #sending = false;
  /** When a report was last tried, sent or not: a phone offline does not try every second. */
  #triedAt = 0;

  constructor(
    readonly eventId: string,
    readonly contingentId: string,
  ) {}

  get on(): boolean {
    return this.#on;
  }

  get lastSent(): SentPosition | null {
    return this.#last;
  }

  get problem(): SharingProblem | null {
    return this.#problem;
  }

  /** Whether the leader left sharing on when this page was last open. */
  get wasOn(): boolean {
    try {
      return localStorage.getItem(storageKey(this.eventId)) === 'on';
    } catch {
      return false;
    }
  }

  start(): void {
    this.#problem = null;
    if (!('geolocation' in navigator)) {
      this.#problem = 'unsupported';
      return;
    }
    this.#on = true;
    this.#remember(true);
    const options = { enableHighAccuracy: true, maximumAge: 5_000, timeout: 60_000 };
    this.#watch = navigator.geolocation.watchPosition(this.#fix, this.#failed, options);
    // A phone standing still may report nothing: ask it now and then.
    this.#stillTimer = setInterval(() => {
      if (this.#last && Date.now() - this.#last.at < STILL_INTERVAL_MS) return;
      navigator.geolocation.getCurrentPosition(this.#fix, this.#failed, {
        ...options,
        maximumAge: 0,
      });
    }, STILL_CHECK_MS);
  }

  /** Stops watching; `forget` also stops it from resuming when the page opens again. */
  stop(forget = true): void {
    this.#on = false;
    if (forget) this.#remember(false);
    if (this.#watch !== null) navigator.geolocation.clearWatch(this.#watch);
    this.#watch = null;
    clearInterval(this.#stillTimer);
    clearTimeout(this.#pauseTimer);
  }

  #fix = (reading: GeolocationPosition): void => {
    const { latitude, longitude, accuracy } = reading.coords;
    this.#latest = {
      position: { lat: latitude, lng: longitude },
      accuracy,
      measuredAt: reading.timestamp,
    };
    if (this.#problem === 'unavailable') this.#problem = null;
    this.#consider();
  };

  /** Sends the newest fix if it is worth it, or looks again when the 5 s pause is over. */
  #consider = (): void => {
    const fix = this.#latest;
    if (!this.#on || this.#sending || !fix) return;
    const now = Date.now();
    const pause = this.#triedAt + MIN_INTERVAL_MS - now;
    if (pause > 0) {
      clearTimeout(this.#pauseTimer);
      this.#pauseTimer = setTimeout(this.#consider, pause);
      return;
    }
    if (!worthSending(this.#last, fix, now)) return;
    this.#triedAt = now;
    void this.#send(fix, now);
  };

  async #send(fix: Fix, now: number): Promise<void> {
    this.#sending = true;
    let again = true;
    try {
      await api.reportPosition(this.eventId, this.contingentId, {
        position: { lat: round(fix.position.lat), lng: round(fix.position.lng) },
        accuracy: Math.min(MAX_ACCURACY_M, Math.max(0, Math.round(fix.accuracy))),
        recordedAt: instantOf(fix.measuredAt),
      });
      this.#last = { ...fix, at: now };
      this.#problem = null;
    } catch (error) {
      const status = error instanceof ApiError ? error.status : 0;
      // Too soon after another report (429): try again after the pause, quietly. A position
      // measured later is already kept (409): this fix is done with, quietly too.
      if (status === 409) {
        if (this.#latest === fix) this.#latest = null;
      } else if (status !== 429) this.#problem = { message: messageOf(error) };
      // Refused for good (a phone clock far off, say): wait for the next fix, not 5 s.
      again = status === 0 || status === 429 || status >= 500;
    } finally {
      this.#sending = false;
    }
    if (again) this.#consider();
  }

  #failed = (error: GeolocationPositionError): void => {
    if (error.code === error.PERMISSION_DENIED) {
      this.stop();
      this.#problem = 'denied';
    } else {
      // No fix for now (indoors, a timeout): keep watching, say so until the next one.
      this.#problem = 'unavailable';
    }
  };

  #remember(on: boolean): void {
    try {
      if (on) localStorage.setItem(storageKey(this.eventId), 'on');
      else localStorage.removeItem(storageKey(this.eventId));
    } catch {
      // Not remembered: the leader turns it on again after a reload.
    }
  }
}

/** Micro-degrees, as the API keeps them. */
function round(n: number): number {
  return Math.round(n * 1e6) / 1e6;
}
