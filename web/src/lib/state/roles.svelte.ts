// Role slots as the signed-in person may see them, with the claims, assignments and waitlist
// places that change them. After each write the list is read again, so counts, holders and
// waitlist places are the server's; until that answer arrives the write's own result is shown.
import {
  api,
  ApiError,
  type Claim,
  type CreateRoleSlotBody,
  type RoleSlot,
  type UpdateRoleSlotBody,
} from '../api.ts';
import { IdempotencyKeys } from '../idempotency.ts';
import type { ChangeMessage, LiveListener } from '../live.svelte.ts';
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

export class RoleSlotsState implements LiveListener {
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
    const claim = await this.#write(() =>
      this.#keys.send(`claim:${slotId}`, (key) => api.claimRole(this.eventId, slotId, key)),
    );
    this.#patch(slotId, (slot) => ({ ...withHolder(slot, claim), myWaitlistPlace: null }));
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
    const { promoted } = await this.#write(() => api.releaseRole(this.eventId, slotId, claimId));
    this.#patch(slotId, (slot) => ({
      ...slot,
      filled: promoted ? slot.filled : slot.filled - 1,
      holders: slot.holders.filter((h) => h.claimId !== claimId),
    }));
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
