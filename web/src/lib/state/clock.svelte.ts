// The time now, ticking, for what goes stale by itself: a contingent that stopped reporting.
export class Clock {
  #now = $state(Date.now());

  get now(): number {
    return this.#now;
  }

  /** Ticks every `everyMs` until the returned function is called (an effect's cleanup). */
  tick(everyMs: number): () => void {
    this.#now = Date.now();
    const timer = setInterval(() => (this.#now = Date.now()), everyMs);
    return () => clearInterval(timer);
  }
}
