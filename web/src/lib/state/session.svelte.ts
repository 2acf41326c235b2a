// Who is signed in. Loaded once at start; joining and signing out update it. What the phone
// keeps for offline use belongs to who is signed in: it goes when they do.
import { api, ApiError, type Person } from '../api.ts';
import { forgetAnswers } from '../offline/kept-answers.ts';
import { outboxes } from '../offline/outbox.svelte.ts';
import { paths } from '../router.svelte.ts';

export type SessionStatus = 'loading' | 'ready' | 'failed';

export class SessionState {
  #person = $state.raw<Person | null>(null);
  #status = $state<SessionStatus>('loading');

  get person(): Person | null {
    return this.#person;
  }

  get status(): SessionStatus {
    return this.#status;
  }

  async load(): Promise<void> {
    this.#status = 'loading';
    try {
      const person = await api.me();
      // Before the pages show: what this person queued offline goes out when it can.
      outboxes.signedIn(person.id);
      this.#person = person;
      this.#status = 'ready';
    } catch (error) {
      if (error instanceof ApiError && error.status === 401) {
        forgetOfflineData();
        this.#person = null;
        this.#status = 'ready';
      } else {
        this.#status = 'failed';
      }
    }
  }

  async join(token: string, displayName: string): Promise<Person> {
    const person = await api.join({ token, displayName });
    forgetOfflineData();
    outboxes.signedIn(person.id);
    this.#person = person;
    this.#status = 'ready';
    return person;
  }

  /** The server ended the session (a revoked link, a deleted contingent): show the welcome. */
  ended(): void {
    forgetOfflineData();
    this.#person = null;
    this.#status = 'ready';
  }

  async signOut(): Promise<void> {
    await api.logout();
    forgetOfflineData();
    this.#person = null;
  }
}

/** The next person on this phone must neither see the last one's plan nor send their actions. */
function forgetOfflineData(): void {
  outboxes.forgetAll();
  void forgetAnswers();
}

/** Where a person lands after joining or opening the start page. */
export function homePathFor(person: Person): string {
  if (!person.eventId || person.role === 'administrator') return paths.home();
  if (person.role === 'coordinator') return paths.plan(person.eventId);
  return paths.event(person.eventId);
}

export function plansEvent(person: Person | null, eventId: string): boolean {
  if (!person) return false;
  return (
    person.role === 'administrator' || (person.role === 'coordinator' && person.eventId === eventId)
  );
}

export const session = new SessionState();
