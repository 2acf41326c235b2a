// People who joined an event, for coordinators choosing a contingent's leader.
import { api, type Person } from '../api.ts';
import type { ChangeMessage, LiveListener } from '../live.svelte.ts';

export class PeopleState implements LiveListener {
  #people = $state.raw<Person[]>([]);

  constructor(readonly eventId: string) {}

  get people(): Person[] {
    return this.#people;
  }

  leadersOf(contingentId: string): Person[] {
    return this.#people.filter((p) => p.role === 'leader' && p.contingentId === contingentId);
  }

  async load(): Promise<void> {
    this.#people = await api.listPeople(this.eventId);
  }

  apply(message: ChangeMessage): void {
    if (message.type === 'person.joined') void this.load().catch(() => undefined);
  }
}
