// The administrator's list of events.
import { api, type CreateEventBody, type EventPlan, type EventSummary } from '../api.ts';

export class EventListState {
  #events = $state.raw<EventSummary[]>([]);
  #loaded = $state(false);

  get events(): EventSummary[] {
    return this.#events;
  }

  get loaded(): boolean {
    return this.#loaded;
  }

  async load(): Promise<void> {
    this.#events = await api.listEvents();
    this.#loaded = true;
  }

  async create(body: CreateEventBody): Promise<EventPlan> {
    const plan = await api.createEvent(body);
    this.#events = [...this.#events, plan];
    return plan;
  }
}
