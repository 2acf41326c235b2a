// Who joined one contingent, for its leader (choosing whom to assign) and the coordinators.
import { api, type Person } from '../api.ts';

export class MembersState {
  #members = $state.raw<Person[]>([]);

  constructor(
    readonly eventId: string,
    readonly contingentId: string,
  ) {}

  get members(): Person[] {
    return this.#members;
  }

  async load(): Promise<void> {
    this.#members = await api.listMembers(this.eventId, this.contingentId);
  }
}
