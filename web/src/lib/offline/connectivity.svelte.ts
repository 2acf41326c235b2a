// Whether the app is offline, and since when: since the browser said so, or since an answer came
// from what the service worker kept because the network gave none. A fresh answer from the
// server (a read, the live socket opening) or the browser's `online` ends it, and is the moment
// for what waits for the network (the outbox) to go.
import { answerWatchers } from '../api.ts';
import { keptAt } from './kept-answers.ts';

class Connectivity {
  #offlineSince = $state<number | null>(null);
  /** The oldest kept answer shown since then: what the page shows is from then. */
  #seenAt = $state<number | null>(null);
  readonly #whenReached: (() => void)[] = [];

  constructor() {
    answerWatchers.add((response) => this.answered(response));
    if (!navigator.onLine) this.#lost(null);
    window.addEventListener('offline', () => this.#lost(null));
    window.addEventListener('online', () => this.reached());
  }

  /** Since when (ms since the epoch) the app has been offline; null while online. */
  get offlineSince(): number | null {
    return this.#offlineSince;
  }

  /** When the oldest kept answer on screen was saved, if one is. */
  get seenAt(): number | null {
    return this.#seenAt;
  }

  /** An answer to a read arrived: fresh, or a kept one. */
  answered(response: Response): void {
    const savedAt = keptAt(response);
    if (savedAt === null) this.reached();
    else this.#lost(savedAt);
  }

  /** The server answered (or the browser says the network is back). */
  reached(): void {
    this.#offlineSince = null;
    this.#seenAt = null;
    for (const callback of this.#whenReached) callback();
  }

  /** Calls `callback` on every reached(), from now on. */
  whenReached(callback: () => void): void {
    this.#whenReached.push(callback);
  }

  #lost(savedAt: number | null): void {
    this.#offlineSince ??= Date.now();
    if (savedAt !== null) this.#seenAt = Math.min(this.#seenAt ?? savedAt, savedAt);
  }
}

export const connectivity = new Connectivity();
