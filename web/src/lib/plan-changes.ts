// How one live change alters a plan. Pure: the plan in, the new plan out — or `reload` when
// the change touches more than its message says (an event's date moves every meeting time).
import type {
  Contingent,
  ContingentPosition,
  ContingentStatusResult,
  EventPlan,
  MeetingPoint,
} from './api.ts';
import type { ChangeMessage } from '../../../server/live/protocol.ts';

export type PlanChange = EventPlan | 'reload' | null;

/** `items` with `item` in place of the one with its id, or added: a live change may come first. */
export function upsert<T extends { id: string }>(items: T[], item: T): T[] {
  return items.some((i) => i.id === item.id)
    ? items.map((i) => (i.id === item.id ? item : i))
    : [...items, item];
}

function patchContingent(plan: EventPlan, id: string, patch: Partial<Contingent>): EventPlan {
  return {
    ...plan,
    contingents: plan.contingents.map((c) => (c.id === id ? { ...c, ...patch } : c)),
  };
}

function reorder(plan: EventPlan, ids: string[]): EventPlan {
  const order = new Map(ids.map((id, index) => [id, index + 1]));
  return {
    ...plan,
    contingents: plan.contingents.map((c) => ({
      ...c,
      marchOrder: order.get(c.id) ?? c.marchOrder,
    })),
  };
}

function placePosition(plan: EventPlan, position: ContingentPosition): EventPlan {
  const others = plan.positions.filter((p) => p.contingentId !== position.contingentId);
  return { ...plan, positions: [...others, position] };
}

function contingentChange(
  plan: EventPlan,
  type: string,
  data: Record<string, unknown>,
): PlanChange {
  switch (type) {
    case 'contingent.created':
    case 'contingent.updated':
      return { ...plan, contingents: upsert(plan.contingents, data.contingent as Contingent) };
    case 'contingent.leaderChanged':
      return patchContingent(plan, data.contingentId as string, {
        leaderId: data.leaderId as string | null,
        leaderName: data.leaderName as string | null,
      });
    case 'contingent.status': {
      const { contingentId, status, statusChangedAt } = data as ContingentStatusResult;
      return patchContingent(plan, contingentId, { status, statusChangedAt });
    }
    case 'contingent.position':
      return placePosition(plan, data as unknown as ContingentPosition);
    case 'contingents.reordered':
      return reorder(plan, data.contingentIds as string[]);
    case 'contingent.deleted':
      // Deleting renumbers the march and may take meeting points with it.
      return 'reload';
  }
  return null;
}

function meetingPointChange(plan: EventPlan, type: string, data: Record<string, unknown>) {
  switch (type) {
    case 'meetingPoint.created':
    case 'meetingPoint.updated':
      return {
        ...plan,
        meetingPoints: upsert(plan.meetingPoints, data.meetingPoint as MeetingPoint),
      };
    case 'meetingPoint.deleted':
      return {
        ...plan,
        meetingPoints: plan.meetingPoints.filter((m) => m.id !== data.meetingPointId),
      };
  }
  return null;
}

/** The plan after `message`; null when the message is not about the plan. */
export function applyChange(plan: EventPlan, message: ChangeMessage): PlanChange {
  const data = (message.data ?? {}) as Record<string, unknown>;
  if (message.type === 'event.updated') return 'reload';
  if (message.type.startsWith('contingent')) return contingentChange(plan, message.type, data);
  if (message.type.startsWith('meetingPoint.')) {
    return meetingPointChange(plan, message.type, data);
  }
  return null;
}

/** A meeting point's change that those going there must notice: where or when. */
export function movesMeetingPoint(message: ChangeMessage): string | null {
  if (message.type !== 'meetingPoint.updated') return null;
  const { meetingPoint, fields } = message.data as { meetingPoint: MeetingPoint; fields: string[] };
  const noticed = ['position', 'address', 'meetTime', 'name'];
  return fields.some((f) => noticed.includes(f)) ? meetingPoint.id : null;
}

/**
 * The meeting point as it was before `message` changed it. The server sends it only to those
 * who saw it before, so whoever has it may be told "moved from …".
 */
export function meetingPointBefore(message: ChangeMessage): MeetingPoint | null {
  if (message.type !== 'meetingPoint.updated') return null;
  return (message.data as { previous?: MeetingPoint }).previous ?? null;
}

export interface MeetingPointChangeSaid {
  /** Where it was, when its place changed. */
  movedFrom: string | null;
  /** Its time before and after, when its time changed. */
  time: { before: string | null; after: string } | null;
}

const samePlace = (a: MeetingPoint, b: MeetingPoint) =>
  a.position.lat === b.position.lat && a.position.lng === b.position.lng && a.address === b.address;

/** What a person who saw `before` should be told about `now`; times as `formatTime` writes them. */
export function describeMeetingPointChange(
  before: MeetingPoint,
  now: MeetingPoint,
  formatTime: (point: MeetingPoint) => string | null,
): MeetingPointChangeSaid {
  const [timeBefore, timeAfter] = [formatTime(before), formatTime(now)];
  return {
    movedFrom: samePlace(before, now) ? null : before.address || before.name,
    time: timeAfter && timeBefore !== timeAfter ? { before: timeBefore, after: timeAfter } : null,
  };
}
