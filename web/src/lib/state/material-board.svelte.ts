// The coordinators' materials board: stock per material and holder, depots, requests to
// decide, the newest movements, and low-stock alerts as they arrive. A live change to any of
// them reads them again (once per burst); each write reads them again after it, so what the
// board shows is always the server's sums, never a sum kept here.
import {
  api,
  ApiError,
  type CreateDepotBody,
  type CreateMaterialBody,
  type DecideMaterialRequestBody,
  type Depot,
  type HolderRef,
  type MaterialRequest,
  type MaterialStock,
  type Movement,
  type RecordMovementBody,
  type SetMaterialLevelBody,
} from '../api.ts';
import { IdempotencyKeys } from '../idempotency.ts';
import type { ChangeMessage, LiveListener } from '../live.svelte.ts';
import { isMaterialChange, REFRESH_AFTER_MS, reversalOf } from '../materials.ts';

/** What a material.lowStock change says: a holder went below its threshold. */
export interface LowStockAlert {
  seq: number;
  materialId: string;
  materialName: string;
  holder: HolderRef;
  name: string;
  quantity: number;
  threshold: number;
}

/** The newest movements the board lists. */
const MOVEMENTS_LISTED = 50;
/** Alerts kept on screen, newest first. */
const ALERTS_KEPT = 20;

export class MaterialBoardState implements LiveListener {
  #stock = $state.raw<MaterialStock[]>([]);
  #depots = $state.raw<Depot[]>([]);
  #requests = $state.raw<MaterialRequest[]>([]);
  #movements = $state.raw<Movement[]>([]);
  #alerts = $state.raw<LowStockAlert[]>([]);
  #loaded = $state(false);
  readonly #keys = new IdempotencyKeys();
  #refreshTimer: ReturnType<typeof setTimeout> | undefined;
  /** Reads started and the newest one shown, so a slow older read never hides a newer one. */
  #reads = 0;
  #shown = 0;

  constructor(readonly eventId: string) {}

  get stock(): MaterialStock[] {
    return this.#stock;
  }

  get depots(): Depot[] {
    return this.#depots;
  }

  get requests(): MaterialRequest[] {
    return this.#requests;
  }

  get movements(): Movement[] {
    return this.#movements;
  }

  get alerts(): LowStockAlert[] {
    return this.#alerts;
  }

  get loaded(): boolean {
    return this.#loaded;
  }

  async load(): Promise<void> {
    const read = ++this.#reads;
    const [stock, depots, requests, page] = await Promise.all([
      api.getStock(this.eventId),
      api.listDepots(this.eventId),
      api.listMaterialRequests(this.eventId),
      api.listMovements(this.eventId, MOVEMENTS_LISTED),
    ]);
    if (read < this.#shown) return;
    this.#shown = read;
    this.#stock = stock.materials;
    this.#depots = depots;
    this.#requests = requests;
    this.#movements = page.movements;
    this.#loaded = true;
  }

  apply(message: ChangeMessage): void {
    if (message.type === 'material.lowStock') {
      const alert = { seq: message.seq, ...(message.data as Omit<LowStockAlert, 'seq'>) };
      this.#alerts = [alert, ...this.#alerts].slice(0, ALERTS_KEPT);
    }
    // Also while the first read is under way: it may have started before this change.
    if (!isMaterialChange(message.type)) return;
    clearTimeout(this.#refreshTimer);
    this.#refreshTimer = setTimeout(() => void this.#refresh(), REFRESH_AFTER_MS);
  }

  stop(): void {
    clearTimeout(this.#refreshTimer);
  }

  dismissAlerts(): void {
    this.#alerts = [];
  }

  async createMaterial(body: CreateMaterialBody): Promise<void> {
    await api.createMaterial(this.eventId, body);
    await this.#refresh();
  }

  async createDepot(body: CreateDepotBody): Promise<void> {
    await api.createDepot(this.eventId, body);
    await this.#refresh();
  }

  async setLevel(materialId: string, body: SetMaterialLevelBody): Promise<void> {
    await api.setMaterialLevel(this.eventId, materialId, body);
    await this.#refresh();
  }

  /** One movement; the same body sent again after no answer keeps its key. */
  async record(body: RecordMovementBody): Promise<void> {
    await this.#write(() =>
      this.#keys.send(`movement:${JSON.stringify(body)}`, (key) =>
        api.recordMovement(this.eventId, body, key),
      ),
    );
  }

  async reverse(movement: Movement): Promise<void> {
    const body = reversalOf(movement);
    await this.#write(() =>
      this.#keys.send(`reverse:${movement.id}`, (key) =>
        api.recordMovement(this.eventId, body, key),
      ),
    );
  }

  async fulfil(request: MaterialRequest, fromDepotId: string, quantity: number): Promise<void> {
    await this.#decide(request, { decision: 'fulfil', fromDepotId, quantity });
  }

  async decline(request: MaterialRequest, reason: string): Promise<void> {
    await this.#decide(request, { decision: 'decline', reason });
  }

  async #decide(request: MaterialRequest, body: DecideMaterialRequestBody): Promise<void> {
    await this.#write(() =>
      this.#keys.send(`decide:${request.id}:${JSON.stringify(body)}`, (key) =>
        api.decideMaterialRequest(this.eventId, request.id, body, key),
      ),
    );
  }

  /** Short stock or a request someone else decided: the board is stale, read it, then report. */
  async #write(send: () => Promise<unknown>): Promise<void> {
    try {
      await send();
    } catch (error) {
      if (error instanceof ApiError && error.status === 409) await this.#refresh();
      throw error;
    }
    await this.#refresh();
  }

  /** The write succeeded either way; if reading fails, the next change reads again. */
  async #refresh(): Promise<void> {
    await this.load().catch(() => undefined);
  }
}
