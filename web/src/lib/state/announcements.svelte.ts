// Announcements the signed-in person may read, newest first, and the newest one they have not
// dismissed yet. Which one was dismissed is kept on the phone, per event; so is the list as
// live changes leave it, for when the phone opens the page offline.
import { api, type Announcement, type CreateAnnouncementBody } from '../api.ts';
import type { ChangeMessage, LiveListener } from '../live.svelte.ts';
import { keepAnswer } from '../offline/kept-answers.ts';

const byNewest = (a: Announcement, b: Announcement) =>
  Date.parse(b.createdAt) - Date.parse(a.createdAt);

function remembered(key: string): string | null {
  try {
    return localStorage.getItem(key);
  } catch {
    return null; // Storage blocked: the banner then shows again on the next visit.
  }
}

export class AnnouncementsState implements LiveListener {
  #announcements = $state.raw<Announcement[]>([]);
  #loaded = $state(false);
  /** The createdAt of the newest announcement dismissed. */
  #seenUpTo = $state<string | null>(null);
  readonly #storageKey: string;

  constructor(readonly eventId: string) {
    this.#storageKey = `muster.announcementsSeen.${eventId}`;
    this.#seenUpTo = remembered(this.#storageKey);
  }

  get announcements(): Announcement[] {
    return this.#announcements;
  }

  get loaded(): boolean {
    return this.#loaded;
  }

  /** The newest announcement, unless it was dismissed. */
  get unseen(): Announcement | null {
    const newest = this.#announcements[0];
    if (!newest) return null;
    const seen = this.#seenUpTo ? Date.parse(this.#seenUpTo) : -Infinity;
    return Date.parse(newest.createdAt) > seen ? newest : null;
  }

  async load(): Promise<void> {
    const listed = await api.listAnnouncements(this.eventId);
    // Keep any that arrived live while the list was on its way.
    this.#announcements = this.#merge(listed, this.#announcements);
    this.#loaded = true;
  }

  apply(message: ChangeMessage): void {
    if (message.type !== 'announcement.created') return;
    this.#announcements = this.#merge([message.data as Announcement], this.#announcements);
    keepAnswer(
      `/api/events/${encodeURIComponent(this.eventId)}/announcements`,
      this.#announcements,
    );
  }

  async send(body: CreateAnnouncementBody): Promise<void> {
    const created = await api.createAnnouncement(this.eventId, body);
    this.#announcements = this.#merge([created], this.#announcements);
  }

  dismiss(announcement: Announcement): void {
    this.#seenUpTo = announcement.createdAt;
    try {
      localStorage.setItem(this.#storageKey, announcement.createdAt);
    } catch {
      // Dismissed for this page load only.
    }
  }

  #merge(incoming: Announcement[], current: Announcement[]): Announcement[] {
    const ids = incoming.map((a) => a.id);
    return [...incoming, ...current.filter((a) => !ids.includes(a.id))].sort(byNewest);
  }
}
