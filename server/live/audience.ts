// Who receives which change record, and in what form. Coordinators of the event receive
// every record whole; everyone else receives what a delivery addresses to one of their keys.
// A record is serialized once per delivery, never once per socket.
import type { Actor } from '../access.ts';
import { seesWholeEvent } from '../access.ts';
import type { CheckIn } from '../features/attendance/schemas.ts';
import type { HolderRef } from '../features/materials/schemas.ts';
import type { MeetingPoint } from '../features/meeting-points/schemas.ts';
import type { ContingentPosition } from '../features/positions/schemas.ts';
import { coarsePosition } from '../features/positions/service.ts';

/** A change record as the live layer reads it from change_records. */
export interface ChangeRow {
  eventId: string;
  seq: number;
  type: string;
  contingentId: string | null;
  coordinatorsOnly: boolean;
  payload: unknown;
}

/**
 * Keys a socket listens on: `all` (everyone in the event), `leaders` (every contingent's
 * leader), `c:<id>` (a contingent's members, its leader included), `l:<id>` (a contingent's
 * leader), `p:<id>` (one person).
 */
export type Keys = ReadonlySet<string>;

export interface Delivery {
  to: string[];
  /** Sent under another type, e.g. `roleSlot.changed` when the detail is not theirs to see. */
  type?: string;
  data: unknown;
}

export interface Audience {
  /** What coordinators receive; `skip` for a record nobody receives (a redacted position). */
  coordinators: { data: unknown } | 'skip';
  /** In order: a socket takes the first delivery addressed to one of its keys. */
  others: Delivery[];
}

export function keysOf(actor: Actor): Keys | 'coordinator' {
  if (seesWholeEvent(actor)) return 'coordinator';
  const keys = new Set(['all', `p:${actor.personId}`]);
  if (actor.role === 'leader') keys.add('leaders');
  if (actor.contingentId) {
    keys.add(`c:${actor.contingentId}`);
    if (actor.role === 'leader') keys.add(`l:${actor.contingentId}`);
  }
  return keys;
}

/** The delivery meant for a socket with `keys`, if any. */
export function deliveryFor(audience: Audience, keys: Keys): Delivery | undefined {
  return audience.others.find((d) => d.to.some((key) => keys.has(key)));
}

const everyone = (data: unknown): Audience => ({
  coordinators: { data },
  others: [{ to: ['all'], data }],
});
const coordinatorsOnly = (data: unknown): Audience => ({ coordinators: { data }, others: [] });
const contingent = (id: string | null) => (id ? [`c:${id}`] : ['all']);
const leaderOf = (...ids: (string | null | undefined)[]) =>
  ids.filter((id): id is string => !!id).map((id) => `l:${id}`);

type Payload = Record<string, unknown>;

function seenBy(point: Pick<MeetingPoint, 'visibility' | 'contingentIds'>): string[] {
  return point.visibility === 'event' ? ['all'] : point.contingentIds.map((id) => `c:${id}`);
}

function meetingPointChange(row: ChangeRow, payload: Payload): Audience {
  const point = payload.meetingPoint as MeetingPoint;
  const { previous, ...current } = payload as Payload & { previous?: MeetingPoint };
  const seen = seenBy(point);
  const before = previous ? seenBy(previous) : [];
  // Those who saw it before and still do learn what changed; those who see it only now
  // do not learn where and when it was (another contingent's plan, perhaps); those who
  // saw it before and not now are told it is gone from their plan.
  const kept = before.includes('all')
    ? seen
    : before.filter((key) => seen.includes('all') || seen.includes(key));
  const lost = before.filter((key) => !seen.includes(key));
  return {
    coordinators: { data: payload },
    others: [
      { to: kept, data: payload },
      { to: seen, data: current },
      { to: lost, type: 'meetingPoint.deleted', data: { meetingPointId: point.id } },
    ],
  };
}

function positionChange(row: ChangeRow, payload: Payload): Audience {
  if (payload.superseded) return { coordinators: 'skip', others: [] };
  const position = payload.position as ContingentPosition;
  const others: Delivery[] = [{ to: leaderOf(row.contingentId), data: position }];
  if (payload.membersSee) {
    others.push({ to: contingent(row.contingentId), data: coarsePosition(position) });
  }
  return { coordinators: { data: position }, others };
}

function slotId(payload: Payload): string {
  return (payload.slotId ?? (payload.slot as { id: string } | undefined)?.id) as string;
}

/** A slot's definition: its contingent's leader sees it whole, its other viewers that it changed. */
function slotChange(row: ChangeRow, payload: Payload): Audience {
  const changed = { type: 'roleSlot.changed', data: { slotId: slotId(payload) } };
  return {
    coordinators: { data: payload },
    others: [
      { to: leaderOf(row.contingentId), data: payload },
      { to: contingent(row.contingentId), ...changed },
    ],
  };
}

/** A claim or waitlist place: whole to its holder and their leaders, nameless to the rest. */
function holderChange(row: ChangeRow, payload: Payload): Audience {
  const claim = payload.claim as { personId: string } | undefined;
  const personId = claim?.personId ?? (payload.personId as string);
  const holderContingentId = payload.holderContingentId as string | null | undefined;
  return {
    coordinators: { data: payload },
    others: [
      { to: [`p:${personId}`, ...leaderOf(row.contingentId, holderContingentId)], data: payload },
      {
        to: contingent(row.contingentId),
        type: 'roleSlot.changed',
        data: { slotId: slotId(payload) },
      },
    ],
  };
}

function announcementChange(payload: Payload): Audience {
  const announcement = payload.announcement as {
    target: 'event' | 'contingent' | 'role';
    contingentId: string | null;
  };
  const recipients = (payload.recipientIds as string[]).map((id) => `p:${id}`);
  const to =
    announcement.target === 'event'
      ? ['all']
      : announcement.target === 'contingent'
        ? contingent(announcement.contingentId)
        : [...recipients, ...leaderOf(announcement.contingentId)];
  return { coordinators: { data: announcement }, others: [{ to, data: announcement }] };
}

/** A check-in, with the person's name: to coordinators, their leader and themselves only. */
function attendanceChange(row: ChangeRow, payload: Payload): Audience {
  const { personId } = payload.checkIn as CheckIn;
  return {
    coordinators: { data: payload },
    others: [{ to: [`p:${personId}`, ...leaderOf(row.contingentId)], data: payload }],
  };
}

interface MovedPayload {
  movement: { from: HolderRef; to: HolderRef; recordedByName: string | null };
  balances: { holder: HolderRef; quantity: number }[];
}

/**
 * A movement: whole to the leaders of the contingents it moved between, without who recorded
 * it to their members; each contingent learns only its own balance.
 */
function movementChange(payload: Payload): Audience {
  const { movement, balances } = payload as unknown as MovedPayload;
  const others: Delivery[] = [];
  const members: Delivery[] = [];
  for (const side of [movement.from, movement.to]) {
    if (side.kind !== 'contingent' || !side.id) continue;
    const own = balances.filter((b) => b.holder.kind === 'contingent' && b.holder.id === side.id);
    others.push({ to: [`l:${side.id}`], data: { movement, balances: own } });
    const nameless = { ...movement, recordedByName: null };
    members.push({ to: [`c:${side.id}`], data: { movement: nameless, balances: own } });
  }
  return { coordinators: { data: payload }, others: [...others, ...members] };
}

/** The audience of one change record. Types not listed here go to coordinators only. */
export function audienceOf(row: ChangeRow): Audience {
  const payload = (row.payload ?? {}) as Payload;
  if (row.coordinatorsOnly) return coordinatorsOnly(payload);
  switch (row.type) {
    case 'event.created':
    case 'event.updated':
      return everyone(payload);
    case 'contingent.created':
    case 'contingent.updated':
    case 'contingent.deleted':
    case 'contingent.leaderChanged':
    case 'contingent.status':
      return {
        coordinators: { data: payload },
        others: [{ to: contingent(row.contingentId), data: payload }],
      };
    case 'contingent.position':
      return positionChange(row, payload);
    case 'meetingPoint.created':
    case 'meetingPoint.updated':
      return meetingPointChange(row, payload);
    case 'meetingPoint.deleted':
      return {
        coordinators: { data: payload },
        others: [{ to: ['all'], data: { meetingPointId: payload.meetingPointId } }],
      };
    case 'roleSlot.created':
    case 'roleSlot.updated':
    case 'roleSlot.deleted':
      return slotChange(row, payload);
    case 'claim.created':
    case 'claim.assigned':
    case 'claim.promoted':
    case 'claim.released':
    case 'waitlist.joined':
    case 'waitlist.left':
      return holderChange(row, payload);
    case 'announcement.created':
      return announcementChange(payload);
    case 'attendance.checkedIn':
    case 'attendance.undone':
      return attendanceChange(row, payload);
    case 'material.created':
      return everyone(payload);
    case 'depot.created':
      return { coordinators: { data: payload }, others: [{ to: ['leaders'], data: payload }] };
    case 'material.moved':
      return movementChange(payload);
    case 'material.level':
    case 'materialRequest.created':
    case 'materialRequest.decided':
    case 'materialRequest.reopened':
      return {
        coordinators: { data: payload },
        others: [{ to: leaderOf(row.contingentId), data: payload }],
      };
    default:
      return coordinatorsOnly(payload);
  }
}
