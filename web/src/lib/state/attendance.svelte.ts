// How many are here, for a contingent's leader (their contingent) or the coordinators (every
// contingent, and the event): read again shortly after any live change that may move a count,
// at most once per window however many phones check in at once.
import { api, type Attendance, type AttendanceCount, type ContingentAttendance } from '../api.ts';
import type { ChangeMessage, LiveListener } from '../live.svelte.ts';

/** A burst of check-ins within this window is read once. */
export const ATTENDANCE_REFRESH_MS = 500;

/** Changes after which a count may differ: check-ins, people joining, contingents' sizes. */
export function movesAttendance(type: string): boolean {
  return (
    type.startsWith('attendance.') ||
    type === 'person.joined' ||
    type === 'contingent.created' ||
    type === 'contingent.updated' ||
    type === 'contingent.deleted'
  );
}

export class AttendanceState implements LiveListener {
  #attendance = $state.raw<Attendance | null>(null);
  #refreshTimer: ReturnType<typeof setTimeout> | undefined;
  #reads = 0;
  #shown = 0;

  constructor(readonly eventId: string) {}

  get loaded(): boolean {
    return this.#attendance !== null;
  }

  /** The whole event (coordinators only). */
  get total(): AttendanceCount | null {
    return this.#attendance?.total ?? null;
  }

  of(contingentId: string): ContingentAttendance | undefined {
    return this.#attendance?.contingents.find((c) => c.contingentId === contingentId);
  }

  async load(): Promise<void> {
    const read = ++this.#reads;
    const attendance = await api.getAttendance(this.eventId);
    if (read < this.#shown) return;
    this.#shown = read;
    this.#attendance = attendance;
  }

  apply(message: ChangeMessage): void {
    if (!movesAttendance(message.type) || this.#refreshTimer !== undefined) return;
    this.#refreshTimer = setTimeout(() => {
      this.#refreshTimer = undefined;
      void this.load().catch(() => undefined);
    }, ATTENDANCE_REFRESH_MS);
  }

  stop(): void {
    clearTimeout(this.#refreshTimer);
    this.#refreshTimer = undefined;
  }
}
