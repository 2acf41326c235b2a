// One contingent's materials, for its leader on the day: what it holds of each material, its
// requests for more, and the writes a leader makes with one hand — hand out N, undo the last
// hand-out, ask for more. Live changes to its stock or requests read them again. Offline, a
// hand-out waits in the outbox (shown as waiting) and is counted once when the network is back.
import {
  api,
  ApiError,
  type HolderStock,
  type Material,
  type MaterialRequest,
  type MaterialStock,
  type Movement,
  type RecordedMovement,
} from '../api.ts';
import { IdempotencyKeys } from '../idempotency.ts';
import type { ChangeMessage, LiveListener } from '../live.svelte.ts';
import { contingentRow, isMaterialChange, REFRESH_AFTER_MS, reversalOf } from '../materials.ts';
import {
  type Delivery,
  outboxFor,
  type OutboxListener,
  type QueuedAction,
} from '../offline/outbox.svelte.ts';

export interface ContingentMaterial {
  material: Material;
  /** What the contingent has: the server always lists a member's own row. */
  stock: HolderStock;
}

function emptyRow(contingentId: string): HolderStock {
  return {
    holder: { kind: 'contingent', id: contingentId },
    name: '',
    onHand: 0,
    receivedIn: 0,
    handedOut: 0,
    lost: 0,
    planned: null,
    lowStockThreshold: null,
    low: false,
  };
}

export class ContingentMaterialsState implements LiveListener, OutboxListener {
  #stock = $state.raw<MaterialStock[]>([]);
  #requests = $state.raw<MaterialRequest[]>([]);
  #loaded = $state(false);
  /** The last hand-out recorded from this page, which one tap undoes. */
  #lastHandOut = $state.raw<Movement | null>(null);
  readonly #keys = new IdempotencyKeys();
  #refreshTimer: ReturnType<typeof setTimeout> | undefined;
  #reads = 0;
  #shown = 0;

  constructor(
    readonly eventId: string,
    readonly contingentId: string,
  ) {}

  get loaded(): boolean {
    return this.#loaded;
  }

  get materials(): ContingentMaterial[] {
    return this.#stock.map((s) => ({
      material: s.material,
      stock: contingentRow(s, this.contingentId) ?? emptyRow(this.contingentId),
    }));
  }

  get lastHandOut(): Movement | null {
    return this.#lastHandOut;
  }

  /** How many of `materialId` this phone logged as handed out offline, not sent yet. */
  waitingHandOut(materialId: string): number {
    let count = 0;
    for (const { action } of outboxFor(this.eventId).entries) {
      if (action.kind === 'hand-out' && this.#handOutOf(action, materialId)) {
        count += action.body.quantity ?? 0;
      }
    }
    return count;
  }

  requestsFor(materialId: string): MaterialRequest[] {
    return this.#requests.filter((r) => r.materialId === materialId);
  }

  async load(): Promise<void> {
    const read = ++this.#reads;
    const [stock, requests] = await Promise.all([
      api.getStock(this.eventId),
      api.listMaterialRequests(this.eventId),
    ]);
    if (read < this.#shown) return;
    this.#shown = read;
    this.#stock = stock.materials;
    this.#requests = requests;
    this.#loaded = true;
  }

  apply(message: ChangeMessage): void {
    if (!isMaterialChange(message.type)) return;
    clearTimeout(this.#refreshTimer);
    this.#refreshTimer = setTimeout(() => void this.#refresh(), REFRESH_AFTER_MS);
  }

  stop(): void {
    clearTimeout(this.#refreshTimer);
  }

  /** Records `quantity` handed out; a tap retried after no answer is counted once. */
  async handOut(materialId: string, quantity: number): Promise<void> {
    const body = {
      materialId,
      kind: 'distributed' as const,
      quantity,
      fromContingentId: this.contingentId,
    };
    const name = this.#stock.find((s) => s.material.id === materialId)?.material.name ?? '';
    const recorded = await this.#write(() =>
      this.#keys.send(`hand-out:${materialId}:${quantity}`, (key) =>
        outboxFor(this.eventId).send({ kind: 'hand-out', body }, key, name),
      ),
    );
    if (!recorded) return;
    this.#handedOut(recorded);
    await this.#refresh();
  }

  /** A hand-out sent from the outbox once the network came back. */
  delivered(delivery: Delivery): void {
    if (delivery.kind !== 'hand-out' || !this.#handOutOf(delivery.action)) return;
    this.#handedOut(delivery.answer);
    void this.#refresh();
  }

  refused(action: QueuedAction): void {
    if (action.kind === 'hand-out' && this.#handOutOf(action)) void this.#refresh();
  }

  #handOutOf(action: QueuedAction, materialId?: string): boolean {
    if (action.kind !== 'hand-out') return false;
    const { body } = action;
    const ours = body.kind === 'distributed' && body.fromContingentId === this.contingentId;
    return ours && (materialId === undefined || body.materialId === materialId);
  }

  #handedOut(recorded: RecordedMovement): void {
    const { movement } = recorded;
    this.#lastHandOut = movement;
    const left = recorded.balances.find((b) => b.holder.id === this.contingentId)?.quantity;
    this.#patch(movement.materialId, (row) => ({
      ...row,
      onHand: left ?? row.onHand - movement.quantity,
      handedOut: row.handedOut + movement.quantity,
    }));
  }

  /** Takes back the last hand-out (a mistap), as a reversal in the ledger. */
  async undoHandOut(): Promise<void> {
    const movement = this.#lastHandOut;
    if (!movement) return;
    const body = reversalOf(movement);
    await this.#write(() =>
      this.#keys.send(`reverse:${movement.id}`, (key) =>
        api.recordMovement(this.eventId, body, key),
      ),
    );
    this.#lastHandOut = null;
    await this.#refresh();
  }

  async requestMore(materialId: string, quantity: number, note: string): Promise<void> {
    const body = {
      materialId,
      contingentId: this.contingentId,
      quantity,
      ...(note ? { note } : {}),
    };
    const created = await this.#keys.send(`request:${JSON.stringify(body)}`, (key) =>
      api.createMaterialRequest(this.eventId, body, key),
    );
    this.#requests = [created, ...this.#requests.filter((r) => r.id !== created.id)];
    await this.#refresh();
  }

  /** Short of stock: the numbers on screen are stale, so read them again, then report. */
  async #write<T>(send: () => Promise<T>): Promise<T> {
    try {
      return await send();
    } catch (error) {
      if (error instanceof ApiError && error.status === 409) await this.#refresh();
      throw error;
    }
  }

  async #refresh(): Promise<void> {
    await this.load().catch(() => undefined);
  }

  #patch(materialId: string, change: (row: HolderStock) => HolderStock): void {
    this.#stock = this.#stock.map((s) =>
      s.material.id === materialId
        ? {
            ...s,
            holders: s.holders.map((h) =>
              h.holder.kind === 'contingent' && h.holder.id === this.contingentId ? change(h) : h,
            ),
          }
        : s,
    );
  }
}
