// Role slots as the signed-in person may see them, with the claims, assignments and waitlist
// places that change them. After each write the list is read again, so counts, holders and
// waitlist places are the server's; until that answer arrives the write's own result is shown.
// Offline, a claim or a release waits in the outbox and shows as waiting until it is sent.
import {
  api,
  ApiError,
  type Claim,
  type CreateRoleSlotBody,
  type RoleSlot,
  type UpdateRoleSlotBody,
} from '../api.ts';
import { IdempotencyKeys, newIdempotencyKey } from '../idempotency.ts';
import type { ChangeMessage, LiveListener } from '../live.svelte.ts';
import {
  type Delivery,
  outboxFor,
  type OutboxListener,
  type QueuedAction,
} from '../offline/outbox.svelte.ts';
import { upsert } from '../plan-changes.ts';

/** Changes that alter role slots; a burst of them (a coordinator assigning) is read once. */
const SLOT_CHANGE = /^(roleSlot|claim|waitlist)\./;
const REFRESH_AFTER_MS = 300;

const withHolder = (slot: RoleSlot, claim: Claim): RoleSlot => ({
  ...slot,
  filled: slot.filled + 1,
  holders: [
    ...slot.holders,
    {
      claimId: claim.id,
      personId: claim.personId,
      displayName: claim.displayName,
      since: claim.createdAt,
    },
  ],
});

/** A claim or release of a slot taken offline, not sent yet. */
export type PendingSlotAction = { kind: 'claim' } | { kind: 'release'; claimId: string };

export class RoleSlotsState implements LiveListener, OutboxListener {
  #slots = $state.raw<RoleSlot[]>([]);
  #loaded = $state(false);
  readonly #keys = new IdempotencyKeys();
  #refreshTimer: ReturnType<typeof setTimeout> | undefined;

  /** With `contingentId`, only that contingent's slots (no event-wide ones). */
  constructor(
    readonly eventId: string,
    readonly contingentId?: string,
  ) {}

  get slots(): RoleSlot[] {
    return this.#slots;
  }

  get loaded(): boolean {
    return this.#loaded;
  }

  /** This phone's claims and releases of `slotId` that wait to be sent. */
  pendingFor(slotId: string): PendingSlotAction[] {
    return outboxFor(this.eventId)
      .entries.map((e) => e.action)
      .filter((a) => (a.kind === 'claim' || a.kind === 'release') && a.slotId === slotId)
      .map((a) =>
        a.kind === 'release' ? { kind: a.kind, claimId: a.claimId } : { kind: 'claim' },
      );
  }

  async load(): Promise<void> {
    this.#slots = await api.listRoleSlots(this.eventId, this.contingentId);
    this.#loaded = true;
  }

  /** Slot changes come without the whole slot as this person sees it: read the list again. */
  apply(message: ChangeMessage): void {
    if (!this.#loaded || !SLOT_CHANGE.test(message.type)) return;
    clearTimeout(this.#refreshTimer);
    this.#refreshTimer = setTimeout(() => void this.#refresh(), REFRESH_AFTER_MS);
  }

  async claim(slotId: string): Promise<void> {
    const action = { kind: 'claim', slotId } as const;
    const claim = await this.#write(() =>
      this.#keys.send(`claim:${slotId}`, (key) =>
        outboxFor(this.eventId).send(action, key, this.#nameOf(slotId)),
      ),
    );
    if (!claim) return;
    this.#claimed(slotId, claim);
    await this.#refresh();
  }

  async assign(slotId: string, personId: string): Promise<void> {
    const claim = await this.#write(() =>
      this.#keys.send(`assign:${slotId}:${personId}`, (key) =>
        api.assignRole(this.eventId, slotId, personId, key),
      ),
    );
    this.#patch(slotId, (slot) => withHolder(slot, claim));
    await this.#refresh();
  }

  /** Releases a place (one's own) or removes its holder; someone waiting may take it. */
  async release(slotId: string, claimId: string): Promise<void> {
    const action = { kind: 'release', slotId, claimId } as const;
    const released = await this.#write(() =>
      outboxFor(this.eventId).send(action, newIdempotencyKey(), this.#nameOf(slotId)),
    );
    if (!released) return;
    this.#released(slotId, claimId, released.promoted);
    await this.#refresh();
  }

  async joinWaitlist(slotId: string): Promise<void> {
    const { place } = await this.#write(() => api.joinWaitlist(this.eventId, slotId));
    this.#patch(slotId, (slot) => ({ ...slot, waiting: slot.waiting + 1, myWaitlistPlace: place }));
    await this.#refresh();
  }

  async leaveWaitlist(slotId: string): Promise<void> {
    await this.#write(() => api.leaveWaitlist(this.eventId, slotId));
    this.#patch(slotId, (slot) => ({
      ...slot,
      waiting: Math.max(0, slot.waiting - 1),
      myWaitlistPlace: null,
    }));
    await this.#refresh();
  }

  async create(body: CreateRoleSlotBody): Promise<RoleSlot> {
    const created = await api.createRoleSlot(this.eventId, body);
    this.#slots = upsert(this.#slots, created);
    return created;
  }

  async update(slotId: string, body: UpdateRoleSlotBody): Promise<void> {
    const updated = await this.#write(() => api.updateRoleSlot(this.eventId, slotId, body));
    this.#patch(slotId, () => updated);
  }

  async remove(slotId: string): Promise<void> {
    await api.deleteRoleSlot(this.eventId, slotId);
    this.#slots = this.#slots.filter((s) => s.id !== slotId);
  }

  /** A claim or release sent from the outbox once the network came back. */
  delivered(delivery: Delivery): void {
    if (delivery.kind === 'claim') this.#claimed(delivery.action.slotId, delivery.answer);
    else if (delivery.kind === 'release') {
      const { slotId, claimId } = delivery.action;
      this.#released(slotId, claimId, delivery.answer.promoted);
    } else return;
    void this.#refresh();
  }

  refused(action: QueuedAction): void {
    if (action.kind === 'claim' || action.kind === 'release') void this.#refresh();
  }

  /** Shown until the list is read again; once, if that read already has it. */
  #claimed(slotId: string, claim: Claim): void {
    this.#patch(slotId, (slot) =>
      slot.holders.some((h) => h.claimId === claim.id)
        ? slot
        : { ...withHolder(slot, claim), myWaitlistPlace: null },
    );
  }

  #released(slotId: string, claimId: string, promoted: Claim | null): void {
    this.#patch(slotId, (slot) =>
      slot.holders.some((h) => h.claimId === claimId)
        ? {
            ...slot,
            filled: promoted ? slot.filled : slot.filled - 1,
            holders: slot.holders.filter((h) => h.claimId !== claimId),
          }
        : slot,
    );
  }

  #nameOf(slotId: string): string {
    return this.#slots.find((s) => s.id === slotId)?.name ?? '';
  }

  /** A conflict (full, taken, overlapping) means the list is stale: read it again, then report. */
  async #write<T>(send: () => Promise<T>): Promise<T> {
    try {
      return await send();
    } catch (error) {
      if (error instanceof ApiError && error.status === 409) await this.#refresh();
      throw error;
    }
  }

  /** The write succeeded either way; if reading the list fails, its patched copy stands. */
  async #refresh(): Promise<void> {
    await this.load().catch(() => undefined);
  }

  #patch(slotId: string, change: (slot: RoleSlot) => RoleSlot): void {
    this.#slots = this.#slots.map((s) => (s.id === slotId ? change(s) : s));
  }
}
