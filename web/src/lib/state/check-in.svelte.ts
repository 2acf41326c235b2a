// The signed-in person's own "I'm here": read once, sent with one tap (a tap retried after
// no answer checks in once; offline, it waits in the outbox and goes when the network is
// back), taken back after a mistap, and kept in step live with their other open pages. The
// server answers a second check-in with the one it kept.
import { api, ApiError, type CheckIn } from '../api.ts';
import { IdempotencyKeys } from '../idempotency.ts';
import type { ChangeMessage, LiveListener } from '../live.svelte.ts';
import { type Delivery, outboxFor, type OutboxListener } from '../offline/outbox.svelte.ts';

export class CheckInState implements LiveListener, OutboxListener {
  #checkIn = $state.raw<CheckIn | null>(null);
  #loaded = $state(false);
  readonly #keys = new IdempotencyKeys();

  constructor(
    readonly eventId: string,
    readonly personId: string,
  ) {}

  /** The check-in, or null before the person checks in. */
  get current(): CheckIn | null {
    return this.#checkIn;
  }

  get loaded(): boolean {
    return this.#loaded;
  }

  /** Checked in on this phone while offline: waiting to be sent. */
  get queued(): boolean {
    return outboxFor(this.eventId).entries.some((e) => e.action.kind === 'check-in');
  }

  async load(): Promise<void> {
    this.#checkIn = await api.myCheckIn(this.eventId);
    this.#loaded = true;
  }

  apply(message: ChangeMessage): void {
    const data = message.data as { checkIn?: CheckIn } | undefined;
    if (!data?.checkIn || data.checkIn.personId !== this.personId) return;
    if (message.type === 'attendance.checkedIn') this.#checkIn = data.checkIn;
    else if (message.type === 'attendance.undone') this.#checkIn = null;
  }

  /** Checks in, at `meetingPointId` when the page knows where the person meets. */
  async checkIn(meetingPointId: string | null): Promise<void> {
    const body = meetingPointId ? { meetingPointId } : {};
    const checkIn = await this.#keys.send('check-in', (key) =>
      outboxFor(this.eventId).send({ kind: 'check-in', body }, key),
    );
    if (checkIn) this.#took(checkIn);
  }

  delivered(delivery: Delivery): void {
    if (delivery.kind === 'check-in') this.#took(delivery.answer);
  }

  #took(checkIn: CheckIn): void {
    this.#checkIn = checkIn;
    this.#loaded = true;
  }

  /** Takes the check-in back; none left (an undo retried after no answer) is as good. */
  async undo(): Promise<void> {
    try {
      await api.undoCheckIn(this.eventId);
    } catch (error) {
      if (!(error instanceof ApiError && error.status === 404)) throw error;
    }
    this.#checkIn = null;
  }
}
