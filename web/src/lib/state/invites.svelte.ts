// Invite links of an event. A created link's token comes back once and is kept here, in
// memory, only until the coordinator is done with it.
import { api, type CreateInviteBody, type CreatedInvite, type Invite } from '../api.ts';
import type { ChangeMessage, LiveListener } from '../live.svelte.ts';

export class InviteState implements LiveListener {
  #invites = $state.raw<Invite[]>([]);
  #created = $state.raw<CreatedInvite | null>(null);

  constructor(readonly eventId: string) {}

  get invites(): Invite[] {
    return this.#invites;
  }

  /** The invite just created, with its token; null once dismissed. */
  get created(): CreatedInvite | null {
    return this.#created;
  }

  async load(): Promise<void> {
    this.#invites = await api.listInvites(this.eventId);
  }

  /** New links, revocations and who joined with them show in the list. */
  apply(message: ChangeMessage): void {
    if (message.type.startsWith('invite.') || message.type === 'person.joined') {
      void this.load().catch(() => undefined);
    }
  }

  async create(body: CreateInviteBody): Promise<CreatedInvite> {
    const created = await api.createInvite(this.eventId, body);
    this.#created = created;
    this.#invites = [created.invite, ...this.#invites.filter((i) => i.id !== created.invite.id)];
    return created;
  }

  dismissCreated(): void {
    this.#created = null;
  }

  async revoke(inviteId: string): Promise<void> {
    await api.revokeInvite(this.eventId, inviteId);
    await this.load();
  }
}
