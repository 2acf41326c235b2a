// Who is signed in. Loaded once at start; joining and signing out update it.
import { api, ApiError, type Person } from '../api.ts';
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
      this.#person = await api.me();
      this.#status = 'ready';
    } catch (error) {
      if (error instanceof ApiError && error.status === 401) {
        this.#person = null;
        this.#status = 'ready';
      } else {
        this.#status = 'failed';
      }
    }
  }

  async join(token: string, displayName: string): Promise<Person> {
    const person = await api.join({ token, displayName });
    this.#person = person;
    this.#status = 'ready';
    return person;
  }

  /** The server ended the session (a revoked link, a deleted contingent): show the welcome. */
  ended(): void {
    this.#person = null;
    this.#status = 'ready';
  }

  async signOut(): Promise<void> {
    await api.logout();
    this.#person = null;
  }
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
