// The outbox's queue as plain data: actions kept in the phone's storage, in the order they were
// taken, each with the idempotency key it was (or will be) sent with, and the rule that sends
// them. No Svelte and no browser here (tests/web/outbox-queue.test.ts runs it in node).

/** One action waiting to be sent. */
export interface Queued<Action> {
  /** The Idempotency-Key: the same on every try, so the server applies the action once. */
  key: string;
  action: Action;
  /** What the action was about (a role's name, a material's), for the messages about it. */
  what: string;
  /** When it was taken on this phone, ISO 8601. */
  queuedAt: string;
}

/** The part of localStorage the queue uses; tests give it a Map. */
export interface KeyValueStore {
  getItem(name: string): string | null;
  setItem(name: string, value: string): void;
  removeItem(name: string): void;
}

/** A queue in `store` under `name`. Storage is the truth: another tab may change it too. */
export class StoredQueue<Action> {
  constructor(
    readonly store: KeyValueStore,
    readonly name: string,
  ) {}

  read(): Queued<Action>[] {
    try {
      const saved: unknown = JSON.parse(this.store.getItem(this.name) ?? '[]');
      return Array.isArray(saved) ? (saved as Queued<Action>[]) : [];
    } catch {
      return []; // Storage blocked, or not ours: nothing to send.
    }
  }

  add(entry: Queued<Action>): void {
    this.#write([...this.read().filter((e) => e.key !== entry.key), entry]);
  }

  remove(key: string): void {
    this.#write(this.read().filter((e) => e.key !== key));
  }

  clear(): void {
    try {
      this.store.removeItem(this.name);
    } catch {
      // Storage blocked: there was nothing kept either.
    }
  }

  #write(entries: Queued<Action>[]): void {
    try {
      if (entries.length === 0) this.store.removeItem(this.name);
      else this.store.setItem(this.name, JSON.stringify(entries));
    } catch {
      // Storage blocked or full: the action is lost with the page, as it was without a queue.
    }
  }
}

export type Settlement<Action> =
  | { entry: Queued<Action>; sent: true; answer: unknown }
  | { entry: Queued<Action>; sent: false; error: unknown };

/**
 * Sends the queue's actions one at a time, oldest first. An answer the server gave for certain
 * (a success, or a refusal such as a full slot's 409) takes the action off the queue and is
 * reported; a failure after which the server may or may not have applied it (no answer, a 5xx)
 * stops the round and leaves it, and all after it, for the next round with the same key.
 * True when the queue is empty at the end.
 */
export async function sendInOrder<Action>(
  queue: StoredQueue<Action>,
  send: (entry: Queued<Action>) => Promise<unknown>,
  tryAgainAfter: (error: unknown) => boolean,
  settled: (settlement: Settlement<Action>) => void,
): Promise<boolean> {
  for (let entry = queue.read()[0]; entry; entry = queue.read()[0]) {
    let settlement: Settlement<Action>;
    try {
      settlement = { entry, sent: true, answer: await send(entry) };
    } catch (error) {
      if (tryAgainAfter(error)) return false;
      settlement = { entry, sent: false, error };
    }
    queue.remove(entry.key);
    settled(settlement);
  }
  return true;
}
