// What a click on the planning map means right now: nothing, the next point of a route
// being drawn, the assembly or rally point, or the place of a new meeting point.
import type { LatLng } from '../api.ts';
import type { PlanState } from './plan.svelte.ts';
import { Task } from './task.svelte.ts';

export type MapMode = 'idle' | 'draw-route' | 'assembly' | 'rally' | 'meeting-point';

/** GeoJSON order: [longitude, latitude]. */
export type Coordinate = [number, number];

export class PlanEditor {
  #mode = $state<MapMode>('idle');
  #draft = $state.raw<Coordinate[]>([]);
  /** A meeting point placed on the map (or typed) but not saved yet. */
  newMeetingPoint = $state.raw<LatLng | null>(null);
  /** Saving what a map click or drag asked for. */
  readonly task = new Task();

  constructor(private readonly plan: PlanState) {}

  get mode(): MapMode {
    return this.#mode;
  }

  get draft(): Coordinate[] {
    return this.#draft;
  }

  start(mode: Exclude<MapMode, 'idle'>): void {
    this.#mode = mode;
    this.#draft = [];
    this.task.clear();
    if (mode === 'meeting-point') this.newMeetingPoint = null;
  }

  cancel(): void {
    this.#mode = 'idle';
    this.#draft = [];
  }

  async click(at: LatLng): Promise<void> {
    switch (this.#mode) {
      case 'draw-route':
        this.#draft = [...this.#draft, [at.lng, at.lat]];
        return;
      case 'assembly':
      case 'rally':
        await this.#placePoint(this.#mode, at);
        return;
      case 'meeting-point':
        this.newMeetingPoint = at;
        this.#mode = 'idle';
        return;
    }
  }

  undoDraftPoint(): void {
    this.#draft = this.#draft.slice(0, -1);
  }

  clearDraft(): void {
    this.#draft = [];
  }

  async finishRoute(): Promise<boolean> {
    const coordinates = this.#draft;
    const saved = await this.task.run(() =>
      this.plan.update({ route: { type: 'LineString', coordinates } }),
    );
    if (saved) this.cancel();
    return saved;
  }

  moveMeetingPoint(id: string, position: LatLng): Promise<boolean> {
    return this.task.run(() => this.plan.updateMeetingPoint(id, { position }));
  }

  async #placePoint(kind: 'assembly' | 'rally', at: LatLng): Promise<void> {
    const body = kind === 'assembly' ? { assemblyPoint: at } : { rallyPoint: at };
    if (await this.task.run(() => this.plan.update(body))) this.cancel();
  }
}
