// The plan of one event as the signed-in person may see it, with the methods that change it.
// Every method waits for the server and then takes the server's answer as the new state;
// live changes from others arrive through apply(), and the plan they make is what the phone
// keeps for when it opens offline.
import {
  api,
  type Contingent,
  type ContingentPosition,
  type ContingentStatus,
  type CreateContingentBody,
  type CreateMeetingPointBody,
  type EventPlan,
  type MeetingPoint,
  type UpdateContingentBody,
  type UpdateEventBody,
  type UpdateMeetingPointBody,
} from '../api.ts';
import type { ChangeMessage, LiveListener } from '../live.svelte.ts';
import { keepAnswer } from '../offline/kept-answers.ts';
import { applyChange, meetingPointBefore, movesMeetingPoint, upsert } from '../plan-changes.ts';

const byMarchOrder = (a: Contingent, b: Contingent) => a.marchOrder - b.marchOrder;

export class PlanState implements LiveListener {
  #plan = $state.raw<EventPlan | null>(null);
  readonly contingents: Contingent[] = $derived(
    [...(this.#plan?.contingents ?? [])].sort(byMarchOrder),
  );
  /** Meeting points whose place or time changed while the page was open. */
  #moved = $state.raw<string[]>([]);
  /** Those meeting points as this page first saw them, when the server said (see previousOf). */
  #before = $state.raw<Record<string, MeetingPoint>>({});
  /** Live changes that arrive while the plan is being read; applied after it, if newer. */
  #held: ChangeMessage[] | null = null;
  #loading: Promise<void> | null = null;

  constructor(readonly eventId: string) {}

  get plan(): EventPlan | null {
    return this.#plan;
  }

  get meetingPoints(): MeetingPoint[] {
    return this.#plan?.meetingPoints ?? [];
  }

  get positions(): ContingentPosition[] {
    return this.#plan?.positions ?? [];
  }

  get movedMeetingPoints(): string[] {
    return this.#moved;
  }

  /** A moved meeting point as it was before its first change while the page was open. */
  previousOf(meetingPointId: string): MeetingPoint | undefined {
    return this.#before[meetingPointId];
  }

  contingent(id: string | null): Contingent | undefined {
    return id ? this.contingents.find((c) => c.id === id) : undefined;
  }

  positionOf(contingentId: string | null): ContingentPosition | undefined {
    return this.positions.find((p) => p.contingentId === contingentId);
  }

  /** Reads the plan; calls while a read is under way share it. */
  load(): Promise<void> {
    this.#loading ??= this.#read().finally(() => (this.#loading = null));
    return this.#loading;
  }

  /** Takes a live change the plan does not include yet (its seq is after the plan's lastSeq). */
  apply(message: ChangeMessage): void {
    if (this.#held) {
      this.#held.push(message);
      return;
    }
    const plan = this.#plan;
    if (!plan || message.seq <= plan.lastSeq) return;
    const next = applyChange(plan, message);
    if (next === 'reload') void this.load().catch(() => undefined);
    else if (next) {
      this.#plan = { ...next, lastSeq: message.seq };
      keepAnswer(`/api/events/${encodeURIComponent(this.eventId)}`, this.#plan);
    }
    const moved = movesMeetingPoint(message);
    if (moved && !this.#moved.includes(moved)) this.#moved = [...this.#moved, moved];
    const before = meetingPointBefore(message);
    if (moved && before && !this.#before[moved])
      this.#before = { ...this.#before, [moved]: before };
  }

  async setStatus(contingentId: string, status: ContingentStatus): Promise<void> {
    const { statusChangedAt } = await api.setContingentStatus(this.eventId, contingentId, status);
    this.#setContingents(
      this.#current().contingents.map((c) =>
        c.id === contingentId ? { ...c, status, statusChangedAt } : c,
      ),
    );
  }

  async update(body: UpdateEventBody): Promise<void> {
    this.#plan = await api.updateEvent(this.eventId, body);
  }

  async importGpx(gpx: string): Promise<void> {
    this.#plan = await api.importGpx(this.eventId, gpx);
  }

  async addContingent(body: CreateContingentBody): Promise<Contingent> {
    const created = await api.createContingent(this.eventId, body);
    // Its live change may have arrived before this answer: add it once.
    this.#setContingents(upsert(this.#current().contingents, created));
    return created;
  }

  async updateContingent(id: string, body: UpdateContingentBody): Promise<void> {
    const updated = await api.updateContingent(this.eventId, id, body);
    this.#setContingents(this.#current().contingents.map((c) => (c.id === id ? updated : c)));
  }

  /** Deleting renumbers the march and may touch meeting points, so the plan is reloaded. */
  async deleteContingent(id: string): Promise<void> {
    await api.deleteContingent(this.eventId, id);
    await this.load();
  }

  async moveContingent(id: string, offset: -1 | 1): Promise<void> {
    const ids = this.contingents.map((c) => c.id);
    const from = ids.indexOf(id);
    const to = from + offset;
    if (from < 0 || to < 0 || to >= ids.length) return;
    [ids[from], ids[to]] = [ids[to]!, ids[from]!];
    this.#setContingents(await api.reorderContingents(this.eventId, ids));
  }

  async addMeetingPoint(body: CreateMeetingPointBody): Promise<MeetingPoint> {
    const created = await api.createMeetingPoint(this.eventId, body);
    this.#setMeetingPoints(upsert(this.meetingPoints, created));
    return created;
  }

  async updateMeetingPoint(id: string, body: UpdateMeetingPointBody): Promise<void> {
    const updated = await api.updateMeetingPoint(this.eventId, id, body);
    this.#setMeetingPoints(this.meetingPoints.map((m) => (m.id === id ? updated : m)));
  }

  async deleteMeetingPoint(id: string): Promise<void> {
    await api.deleteMeetingPoint(this.eventId, id);
    this.#setMeetingPoints(this.meetingPoints.filter((m) => m.id !== id));
  }

  async #read(): Promise<void> {
    this.#held = [];
    try {
      this.#plan = await api.getEvent(this.eventId);
    } finally {
      const held = this.#held;
      this.#held = null;
      for (const message of held) this.apply(message);
    }
  }

  #current(): EventPlan {
    if (!this.#plan) throw new Error('The plan has not been loaded yet.');
    return this.#plan;
  }

  #setContingents(contingents: Contingent[]): void {
    this.#plan = { ...this.#current(), contingents };
  }

  #setMeetingPoints(meetingPoints: MeetingPoint[]): void {
    this.#plan = { ...this.#current(), meetingPoints };
  }
}
