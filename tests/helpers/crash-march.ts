// The march the kill test runs against a real server process, and the load it puts on it:
// claims, material movements and position reports, each write logged as acknowledged (it got
// a 2xx answer) or cut off (no answer: the server was killed while it was in flight).
import { randomUUID } from 'node:crypto';
import type { Movement, RecordedMovement } from '../../server/features/materials/schemas.ts';
import type { ContingentPosition } from '../../server/features/positions/schemas.ts';
import type { Claim, RoleSlot } from '../../server/features/roles/schemas.ts';
import { HttpApi } from '../browser/fixtures.ts';

export interface Member {
  token: string;
  personId: string;
}

export interface March {
  eventId: string;
  admin: Member;
  materialId: string;
  depotId: string;
  contingents: { id: string; leader: Member }[];
  volunteers: Member[];
}

/** A write that may be retried with its Idempotency-Key: a claim or a movement. */
export interface KeyedWrite {
  kind: 'claim' | 'movement';
  as: Member;
  key: string;
  path: string;
  body?: object;
}

/** What the test knows of every write it made. */
export class WriteLog {
  readonly claims = new Map<string, Claim>();
  readonly movements = new Map<string, Movement>();
  /** Per contingent: the recordedAt of every report sent, and of the last acknowledged. */
  readonly positions = new Map<string, { sent: Set<string>; acknowledged: string | null }>();
  /** Keyed writes that got no answer, to retry after the restart. */
  pending: KeyedWrite[] = [];
  /** Answers no write may get (5xx, 400…), to fail the test with. */
  readonly unexpected: string[] = [];
  readonly counts = { acknowledged: 0, positions: 0, refused: 0, cutOff: 0 };

  acceptClaim(claim: Claim): void {
    this.claims.set(claim.id, claim);
    this.counts.acknowledged++;
  }

  acceptMovement(recorded: RecordedMovement): void {
    this.movements.set(recorded.movement.id, recorded.movement);
    this.counts.acknowledged++;
  }

  positionOf(contingentId: string) {
    let reports = this.positions.get(contingentId);
    if (!reports)
      this.positions.set(contingentId, (reports = { sent: new Set(), acknowledged: null }));
    return reports;
  }
}

export interface Answer {
  status: number;
  body: unknown;
  replayed: boolean;
}

/** One request as `as`; rejects only when no answer came (connection refused or cut). */
export async function send(
  origin: string,
  as: Member,
  method: string,
  path: string,
  body?: object,
  key?: string,
): Promise<Answer> {
  const headers: Record<string, string> = { authorization: `Bearer ${as.token}` };
  if (body) headers['content-type'] = 'application/json';
  if (key) headers['idempotency-key'] = key;
  const res = await fetch(origin + path, {
    method,
    headers,
    body: body ? JSON.stringify(body) : undefined,
  });
  const text = await res.text();
  return {
    status: res.status,
    body: text ? JSON.parse(text) : null,
    replayed: res.headers.get('idempotent-replayed') === 'true',
  };
}

const asMember = (api: HttpApi & { personId: string }): Member => ({
  token: api.token!,
  personId: api.personId,
});

/**
 * Through the setup link: an event with four contingents and their leaders, ten volunteers,
 * and a newspaper with 20,000 copies at a depot, 100 of them with each contingent.
 */
export async function planMarch(origin: string, setupLink: string, log: WriteLog): Promise<March> {
  const admin = await new HttpApi(origin).join(setupLink, 'Admin');
  const event = await admin.newEvent();
  const path = `/api/events/${event.id}`;
  const contingents: March['contingents'] = [];
  for (const name of ['Teachers', 'Nurses', 'Transit workers', 'Students']) {
    const { id } = await admin.call<{ id: string }>('POST', `${path}/contingents`, { name });
    const leader = await admin.join(await admin.inviteLink(event.id, 'leader', id), `${name} lead`);
    contingents.push({ id, leader: asMember(leader) });
  }
  const volunteerLink = await admin.inviteLink(event.id, 'volunteer');
  const volunteers: Member[] = [];
  for (let i = 1; i <= 10; i++) volunteers.push(asMember(await admin.join(volunteerLink, `V${i}`)));
  const material = await admin.call<{ id: string }>('POST', `${path}/materials`, {
    kind: 'literature',
    name: 'Red Flag — May issue',
  });
  const depot = await admin.call<{ id: string }>('POST', `${path}/depots`, {
    name: 'Union hall',
    position: { lat: 34.05, lng: -118.25 },
  });
  const move = (body: object) =>
    admin.call<RecordedMovement>('POST', `${path}/movements`, { materialId: material.id, ...body });
  log.acceptMovement(await move({ kind: 'received', quantity: 20_000, toDepotId: depot.id }));
  for (const { id } of contingents) {
    const body = { kind: 'allocated', quantity: 100, fromDepotId: depot.id, toContingentId: id };
    log.acceptMovement(await move(body));
  }
  return {
    eventId: event.id,
    admin: asMember(admin),
    materialId: material.id,
    depotId: depot.id,
    contingents,
    volunteers,
  };
}

/** Three event-wide roles of one to three places each, for this round's volunteers to race for. */
export async function newSlots(origin: string, march: March, round: number): Promise<string[]> {
  const admin = new HttpApi(origin, march.admin.token);
  const ids: string[] = [];
  for (let i = 1; i <= 3; i++) {
    const slot = await admin.call<RoleSlot>('POST', `/api/events/${march.eventId}/role-slots`, {
      name: `Marshal ${round}.${i}`,
      capacity: 1 + Math.floor(Math.random() * 3),
    });
    ids.push(slot.id);
  }
  return ids;
}

const pick = <T>(items: readonly T[]): T => items[Math.floor(Math.random() * items.length)]!;
export const between = (low: number, high: number) =>
  low + Math.floor(Math.random() * (high - low + 1));

export type WriteKind = 'claim' | 'movement' | 'position';

/** Waits `ms`, or less once `stopped()` says so. */
async function pause(ms: number, stopped: () => boolean): Promise<void> {
  const until = Date.now() + ms;
  while (!stopped() && Date.now() < until) await new Promise((r) => setTimeout(r, 20));
}

/** Runs the load until `stop()`; `done` settles when every write has its answer or none. */
export function startLoad(origin: string, march: March, log: WriteLog, slotIds: string[]) {
  let stopped = false;
  const events = `/api/events/${march.eventId}`;
  const counted = { claim: 0, movement: 0, position: 0 };
  const waiting: { kind: WriteKind; nth: number; wake: () => void }[] = [];
  /** Wakes, in the same tick, whoever waits for this acknowledgment. */
  function acknowledged(kind: WriteKind) {
    counted[kind]++;
    for (const w of waiting) if (w.kind === kind && w.nth === counted[kind]) w.wake();
  }

  /** Sends a write; logs its outcome; false when it got no answer. */
  async function attempt(write: KeyedWrite | null, request: () => Promise<Answer>) {
    let answer: Answer;
    try {
      answer = await request();
    } catch {
      log.counts.cutOff++;
      if (write) log.pending.push(write);
      return null;
    }
    if (answer.status === 409 || answer.status === 429) log.counts.refused++;
    else if (answer.status >= 300)
      log.unexpected.push(`${answer.status} ${JSON.stringify(answer.body)}`);
    return answer;
  }

  async function keyed(write: KeyedWrite): Promise<void> {
    const answer = await attempt(write, () =>
      send(origin, write.as, 'POST', write.path, write.body, write.key),
    );
    if (answer?.status !== 201) return;
    if (write.kind === 'claim') log.acceptClaim(answer.body as Claim);
    else log.acceptMovement(answer.body as RecordedMovement);
    acknowledged(write.kind);
  }

  const movement = (as: Member, body: object): KeyedWrite => ({
    kind: 'movement',
    as,
    key: randomUUID(),
    path: `${events}/movements`,
    body: { materialId: march.materialId, ...body },
  });

  async function claims(queue: { as: Member; slotId: string }[]) {
    for (let next = queue.pop(); next && !stopped; next = queue.pop()) {
      const path = `${events}/role-slots/${next.slotId}/claims`;
      await keyed({ kind: 'claim', as: next.as, key: randomUUID(), path });
    }
  }

  /** A leader hands out copies, now and then loses some, and sometimes asks for too many. */
  async function handOuts({ id, leader }: March['contingents'][number]) {
    while (!stopped) {
      const quantity = Math.random() < 0.1 ? 500 : between(1, 4);
      const kind = Math.random() < 0.15 ? 'lost' : 'distributed';
      await keyed(movement(leader, { kind, quantity, fromContingentId: id }));
    }
  }

  async function allocations() {
    while (!stopped) {
      const toContingentId = pick(march.contingents).id;
      const body = { kind: 'allocated', quantity: between(5, 20), fromDepotId: march.depotId };
      await keyed(movement(march.admin, { ...body, toContingentId }));
    }
  }

  /** One report every 2.05 s, the most the server accepts; contingents 0.5 s apart. */
  async function reports({ id, leader }: March['contingents'][number], index: number) {
    const reports = log.positionOf(id);
    await pause(index * 500, () => stopped);
    while (!stopped) {
      const recordedAt = new Date().toISOString();
      const body = { position: { lat: 34.05, lng: -118.25 }, accuracy: 10, recordedAt };
      reports.sent.add(recordedAt);
      const answer = await attempt(null, () =>
        send(origin, leader, 'PUT', `${events}/contingents/${id}/position`, body),
      );
      if (answer?.status === 200) {
        reports.acknowledged = (answer.body as ContingentPosition).recordedAt;
        log.counts.acknowledged++;
        log.counts.positions++;
        acknowledged('position');
      }
      await pause(2050, () => stopped);
    }
  }

  const queue = slotIds
    .flatMap((slotId) => march.volunteers.map((as) => ({ as, slotId })))
    .sort(() => Math.random() - 0.5);
  const done = Promise.all([
    ...march.contingents.map(reports),
    ...Array.from({ length: 6 }, () => claims(queue)),
    ...march.contingents.map(handOuts),
    allocations(),
  ]);
  return {
    done,
    /** No new request starts after this; those in flight get their answer or none. */
    stop: () => (stopped = true),
    /** Resolves the moment the load's `nth` write of `kind` is acknowledged. */
    acknowledgment: (kind: WriteKind, nth: number) =>
      new Promise<void>((wake) => waiting.push({ kind, nth, wake })),
  };
}

/** The id of the claim or movement a keyed write's answer (or stored response) carries. */
export function idOf(write: Pick<KeyedWrite, 'kind'>, body: unknown): string {
  return write.kind === 'claim' ? (body as Claim).id : (body as RecordedMovement).movement.id;
}

/**
 * Sends every write that got no answer again, with its key. `committed` maps the keys the
 * database had stored before the restart to the claim or movement each made: those must be
 * answered with it (replayed), never applied twice; the others are decided afresh.
 */
export async function retryPending(
  origin: string,
  log: WriteLog,
  committed: Map<string, string>,
): Promise<{ replayed: number; applied: number; refused: number }> {
  const counts = { replayed: 0, applied: 0, refused: 0 };
  const pending = log.pending;
  log.pending = [];
  const retry = async (write: KeyedWrite) => {
    const answer = await send(origin, write.as, 'POST', write.path, write.body, write.key);
    const stored = committed.get(write.key);
    if (answer.replayed !== (stored !== undefined)) {
      log.unexpected.push(
        `retry of a ${stored ? 'committed' : 'lost'} ${write.kind}: ${answer.status}`,
      );
    } else if (stored && (answer.status !== 201 || idOf(write, answer.body) !== stored)) {
      log.unexpected.push(`the replay of ${write.key} is not the ${write.kind} stored with it`);
    }
    if (answer.status === 201) {
      if (write.kind === 'claim') log.acceptClaim(answer.body as Claim);
      else log.acceptMovement(answer.body as RecordedMovement);
      counts[answer.replayed ? 'replayed' : 'applied']++;
    } else if (answer.status === 409) {
      counts.refused++;
    } else {
      log.unexpected.push(`retry answered ${answer.status} ${JSON.stringify(answer.body)}`);
    }
  };
  await Promise.all(pending.map(retry));
  return counts;
}
