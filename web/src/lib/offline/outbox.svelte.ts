// Actions taken while the network is gone — "I'm here", claiming or releasing a role, a leader's
// "+N handed out" — kept on the phone, per person and event, and sent in order, each with its
// idempotency key, once the network returns: on `online` or any sign the server is reachable
// again (a fresh answer, the live socket opening), when the app starts, and every 20 s while
// any wait. The states show them as waiting and take the answers; a refusal (a slot that
// filled up meanwhile) is listed for the person to read (OfflineBanner).
import {
  api,
  ApiError,
  type CheckIn,
  type CheckInBody,
  type Claim,
  type RecordedMovement,
  type RecordMovementBody,
} from '../api.ts';
import { instantOf } from '../format.ts';
import { answeredForCertain } from '../idempotency.ts';
import { connectivity } from './connectivity.svelte.ts';
import { type Queued, sendInOrder, type Settlement, StoredQueue } from './queue.ts';

export type QueuedAction =
  | { kind: 'check-in'; body: CheckInBody }
  | { kind: 'claim'; slotId: string }
  | { kind: 'release'; slotId: string; claimId: string }
  | { kind: 'hand-out'; body: RecordMovementBody };
type Kind = QueuedAction['kind'];
type ActionOf<K extends Kind> = Extract<QueuedAction, { kind: K }>;
export type QueuedEntry = Queued<QueuedAction>;

interface Answers {
  'check-in': CheckIn;
  claim: Claim;
  release: { promoted: Claim | null };
  'hand-out': RecordedMovement;
}

/** An action sent from the queue, with the server's answer. */
export type Delivery = {
  [K in Kind]: { kind: K; action: ActionOf<K>; answer: Answers[K] };
}[Kind];

/** A state that shows queued actions, told how each ended. */
export interface OutboxListener {
  delivered(delivery: Delivery): void;
  /** The server refused it (the outbox lists why): what the state shows is likely stale. */
  refused?(action: QueuedAction): void;
}

/** A queued action the server refused, for the person to read. */
export interface Refusal {
  entry: QueuedEntry;
  error: unknown;
}

const RETRY_EVERY_MS = 20_000;
const PREFIX = 'muster.outbox.';

function sendAction(eventId: string, action: QueuedAction, key: string): Promise<unknown> {
  switch (action.kind) {
    case 'check-in':
      return api.checkIn(eventId, action.body, key);
    case 'claim':
      return api.claimRole(eventId, action.slotId, key);
    case 'release':
      return api.releaseRole(eventId, action.slotId, action.claimId);
    case 'hand-out':
      return api.recordMovement(eventId, action.body, key);
  }
}

/** Releases carry no key: one the server no longer knows went through before its answer was lost. */
async function sendQueued(eventId: string, entry: QueuedEntry): Promise<unknown> {
  try {
    return await sendAction(eventId, entry.action, entry.key);
  } catch (error) {
    const gone = error instanceof ApiError && error.status === 404;
    if (entry.action.kind === 'release' && gone) return { promoted: null };
    throw error;
  }
}

/** One person's queue for one event. */
export class Outbox {
  #entries = $state.raw<QueuedEntry[]>([]);
  readonly #listeners: OutboxListener[] = [];
  #sending: Promise<boolean> | null = null;

  constructor(
    readonly eventId: string,
    private readonly queue: StoredQueue<QueuedAction>,
    private readonly hooks: { queued(): void; refused(refusal: Refusal): void },
  ) {
    this.#entries = queue.read();
  }

  /** What waits, oldest first. */
  get entries(): QueuedEntry[] {
    return this.#entries;
  }

  listen(listener: OutboxListener): () => void {
    this.#listeners.push(listener);
    return () => {
      const at = this.#listeners.indexOf(listener);
      if (at >= 0) this.#listeners.splice(at, 1);
    };
  }

  /**
   * Sends `action` now, or queues it with `key` when the phone is offline, the server cannot be
   * reached, or earlier actions still wait (they go first). Null when it was queued.
   */
  async send<K extends Kind>(
    action: ActionOf<K>,
    key: string,
    what = '',
  ): Promise<Answers[K] | null> {
    const waiting = this.queue.read().length > 0;
    if (navigator.onLine && !waiting) {
      try {
        // The answer to a kind of action is that kind's (see sendAction).
        return (await sendAction(this.eventId, action, key)) as Answers[K];
      } catch (error) {
        if (!(error instanceof ApiError && error.unreachable)) throw error;
      }
    }
    this.queue.add({ key, action, what, queuedAt: instantOf(Date.now()) });
    this.#entries = this.queue.read();
    this.hooks.queued();
    if (waiting && navigator.onLine) void this.flush();
    return null;
  }

  /** Sends what waits, in order; true when nothing waits any more. One round at a time. */
  flush(): Promise<boolean> {
    this.#sending ??= sendInOrder(
      this.queue,
      (entry) => sendQueued(this.eventId, entry),
      (error) => !answeredForCertain(error),
      (settlement) => this.#settled(settlement),
    ).finally(() => {
      this.#sending = null;
      this.#entries = this.queue.read();
    });
    return this.#sending;
  }

  /** Drops what waits (signing out). */
  clear(): void {
    this.queue.clear();
    this.#entries = [];
  }

  #settled(settlement: Settlement<QueuedAction>): void {
    this.#entries = this.queue.read();
    const { action } = settlement.entry;
    if (!settlement.sent) this.hooks.refused({ entry: settlement.entry, error: settlement.error });
    for (const listener of this.#listeners) {
      if (!settlement.sent) listener.refused?.(action);
      else listener.delivered({ kind: action.kind, action, answer: settlement.answer } as Delivery);
    }
  }
}

function storage(): Storage | null {
  try {
    return localStorage;
  } catch {
    return null;
  }
}

/** The browser's own storage, or one that keeps nothing when it is blocked. */
const store = storage() ?? { getItem: () => null, setItem: () => {}, removeItem: () => {} };

/** The events `personId` has actions queued in, from this visit or an earlier one. */
function storedEvents(personId: string): string[] {
  const local = storage();
  if (!local) return [];
  const prefix = `${PREFIX}${personId}.`;
  return Object.keys(local)
    .filter((name) => name.startsWith(prefix))
    .map((name) => name.slice(prefix.length));
}

/** The signed-in person's outboxes, one per event, and what sends them. */
class Outboxes {
  #personId = 'nobody';
  readonly #byEvent = new Map<string, Outbox>();
  #timer: ReturnType<typeof setInterval> | undefined;
  #refusals = $state.raw<Refusal[]>([]);

  constructor() {
    // The first try after the network returns may fail (a phone's routes come up in steps):
    // the live socket opening, a fresh answer, tells when it really is back.
    connectivity.whenReached(() => void this.#sendAll());
  }

  /** Actions the server refused since the page loaded, until the person dismisses them. */
  get refusals(): Refusal[] {
    return this.#refusals;
  }

  dismiss(refusal: Refusal): void {
    this.#refusals = this.#refusals.filter((r) => r !== refusal);
  }

  for(eventId: string): Outbox {
    let outbox = this.#byEvent.get(eventId);
    if (!outbox) {
      const queue = new StoredQueue<QueuedAction>(store, `${PREFIX}${this.#personId}.${eventId}`);
      outbox = new Outbox(eventId, queue, {
        queued: () => this.#keepTrying(),
        refused: (refusal) => (this.#refusals = [...this.#refusals, refusal]),
      });
      this.#byEvent.set(eventId, outbox);
    }
    return outbox;
  }

  /** Someone is signed in: what they queued, on an earlier visit too, goes out when it can. */
  signedIn(personId: string): void {
    if (personId === this.#personId) return;
    this.#stop();
    this.#personId = personId;
    for (const eventId of storedEvents(personId)) this.for(eventId);
    void this.#sendAll();
  }

  /** Signing out, or a new person on this phone: nobody sends what the last one queued. */
  forgetAll(): void {
    const local = storage();
    for (const name of local ? Object.keys(local) : []) {
      if (name.startsWith(PREFIX)) local!.removeItem(name);
    }
    for (const outbox of this.#byEvent.values()) outbox.clear();
    this.#stop();
    this.#personId = 'nobody';
  }

  async #sendAll(): Promise<void> {
    if (!navigator.onLine || !this.#waiting()) return;
    for (const outbox of [...this.#byEvent.values()]) await outbox.flush();
    this.#keepTrying();
  }

  #waiting(): boolean {
    return [...this.#byEvent.values()].some((outbox) => outbox.entries.length > 0);
  }

  /** A timer while anything waits: an unreachable server fires no `online` when it is back. */
  #keepTrying(): void {
    const waiting = this.#waiting();
    if (waiting && this.#timer === undefined) {
      this.#timer = setInterval(() => void this.#sendAll(), RETRY_EVERY_MS);
    } else if (!waiting && this.#timer !== undefined) {
      clearInterval(this.#timer);
      this.#timer = undefined;
    }
  }

  #stop(): void {
    clearInterval(this.#timer);
    this.#timer = undefined;
    this.#byEvent.clear();
  }
}

export const outboxes = new Outboxes();

/** The signed-in person's outbox for `eventId`. */
export const outboxFor = (eventId: string): Outbox => outboxes.for(eventId);
