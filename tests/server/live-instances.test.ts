// The live stream across processes, with the real server (server/main.ts) spawned as
// `npm start` runs it: a client that reconnects after a restart misses nothing, and on one
// PostgreSQL database a client of one instance hears every write made through another.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type DatabaseKind, adminUrl, databaseKinds, freshPostgres } from '../helpers/databases.ts';
import { LiveClient, type LiveMessage } from '../helpers/live.ts';
import { type ServerProcess, startServer } from '../helpers/server-process.ts';

const range = (from: number, to: number) =>
  Array.from({ length: to - from + 1 }, (_, i) => from + i);
const bodyOf = (m: LiveMessage) => (m.data as { body?: string } | undefined)?.body;

/** Someone signed in to a spawned server, calling its API over HTTP. */
class Caller {
  constructor(
    readonly token: string,
    readonly personId: string,
  ) {}

  async send<T>(origin: string, method: string, path: string, body?: object): Promise<T> {
    const res = await fetch(origin + path, {
      method,
      headers: {
        authorization: `Bearer ${this.token}`,
        ...(body ? { 'content-type': 'application/json' } : {}),
      },
      body: body ? JSON.stringify(body) : undefined,
    });
    const text = await res.text();
    if (res.status >= 300) throw new Error(`${method} ${path}: ${res.status} ${text}`);
    return (text ? JSON.parse(text) : undefined) as T;
  }
}

async function joinAs(origin: string, token: string, displayName: string): Promise<Caller> {
  const res = await fetch(`${origin}/api/join`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ token, displayName }),
  });
  expect(res.status).toBe(200);
  const session = /muster_session=([^;]+)/.exec(res.headers.get('set-cookie') ?? '')![1]!;
  return new Caller(session, ((await res.json()) as { id: string }).id);
}

/** The administrator, through the setup link the first start printed. */
function administrator(server: ServerProcess): Promise<Caller> {
  return joinAs(server.origin, new URL(server.setupLink!).hash.slice(1), 'Rosa');
}

interface March {
  eventId: string;
  a: string;
  b: string;
}

async function planAMarch(server: ServerProcess, admin: Caller): Promise<March> {
  const event = await admin.send<{ id: string }>(server.origin, 'POST', '/api/events', {
    name: 'May Day',
    date: '2027-05-01',
    startTime: '10:00',
    timezone: 'America/Los_Angeles',
  });
  const contingent = (name: string) =>
    admin.send<{ id: string }>(server.origin, 'POST', `/api/events/${event.id}/contingents`, {
      name,
      expectedSize: 100,
    });
  return { eventId: event.id, a: (await contingent('A')).id, b: (await contingent('B')).id };
}

async function lastSeq(server: ServerProcess, as: Caller, eventId: string): Promise<number> {
  return (await as.send<{ lastSeq: number }>(server.origin, 'GET', `/api/events/${eventId}`))
    .lastSeq;
}

function connect(server: ServerProcess, as: Caller, eventId: string, since?: number) {
  return LiveClient.connect(server.origin, {
    origin: server.origin,
    eventId,
    since,
    token: as.token,
  });
}

const cleanups: (() => Promise<unknown>)[] = [];
afterAll(async () => {
  for (const cleanup of cleanups.reverse()) await cleanup();
});

async function databaseEnv(kind: DatabaseKind): Promise<Record<string, string>> {
  if (kind === 'postgres') {
    const database = await freshPostgres();
    cleanups.push(database.drop);
    return { DATABASE_URL: database.databaseUrl! };
  }
  const dir = mkdtempSync(join(tmpdir(), 'muster-live-'));
  cleanups.push(async () => rmSync(dir, { recursive: true, force: true }));
  return { MUSTER_DATA_DIR: dir };
}

async function started(env: Record<string, string>): Promise<ServerProcess> {
  const server = await startServer(env);
  cleanups.push(() => (server.child.exitCode === null ? server.stop() : Promise.resolve()));
  return server;
}

describe.each(databaseKinds)('live updates across a restart on %s', (kind) => {
  it('replays exactly the changes made after the restart, in order, then streams live', async () => {
    const env = await databaseEnv(kind);
    const first = await started(env);
    const admin = await administrator(first);
    const { eventId, a } = await planAMarch(first, admin);
    const announce = (server: ServerProcess, body: string) =>
      admin.send(server.origin, 'POST', `/api/events/${eventId}/announcements`, {
        target: 'event',
        body,
      });

    const client = await connect(first, admin, eventId, 0);
    for (let i = 0; i < 5; i++) await announce(first, `Before ${i}`);
    await client.until((m) => m.some((x) => bodyOf(x) === 'Before 4'));
    const since = client.seqs().at(-1)!;
    expect(client.seqs()).toEqual(range(1, since));
    expect(await first.stop('SIGINT')).toBe(0);
    expect((await client.closing()).code).toBe(1001);

    const second = await started(env);
    for (let i = 0; i < 10; i++) await announce(second, `After ${i}`);
    await admin.send(second.origin, 'PUT', `/api/events/${eventId}/contingents/${a}/status`, {
      status: 'marching',
    });
    await admin.send(second.origin, 'POST', `/api/events/${eventId}/meeting-points`, {
      name: 'Boathouse',
      position: { lat: 34.0593, lng: -118.2776 },
    });
    const missed = await lastSeq(second, admin, eventId);
    expect(missed).toBe(since + 12);

    const back = await connect(second, admin, eventId, since);
    await back.until((m) => m.length >= 12);
    expect(back.seqs()).toEqual(range(since + 1, missed));
    expect(back.messages.map((m) => bodyOf(m) ?? m.type)).toEqual([
      ...range(0, 9).map((i) => `After ${i}`),
      'contingent.status',
      'meetingPoint.created',
    ]);
    await announce(second, 'Live again');
    await back.until((m) => m.length === 13);
    expect(back.messages.at(-1)).toMatchObject({ seq: missed + 1, type: 'announcement.created' });
    back.close();
  }, 120_000);
});

describe.runIf(adminUrl)('two instances on one PostgreSQL database', () => {
  let one: ServerProcess;
  let other: ServerProcess;
  let admin: Caller;
  let databaseUrl = '';

  beforeAll(async () => {
    const env = await databaseEnv('postgres');
    databaseUrl = env.DATABASE_URL!;
    one = await started(env);
    admin = await administrator(one);
    other = await started(env);
  }, 120_000);

  /** Joins through a new invite the administrator made on `one`; its id, to revoke it. */
  async function invited(eventId: string, invite: object, displayName: string) {
    const created = await admin.send<{ token: string; invite: { id: string } }>(
      one.origin,
      'POST',
      `/api/events/${eventId}/invites`,
      invite,
    );
    const caller = await joinAs(one.origin, created.token, displayName);
    return Object.assign(caller, { inviteId: created.invite.id });
  }

  async function seqsOf(eventId: string, after: number): Promise<{ seq: number; type: string }[]> {
    const client = new pg.Client({ connectionString: databaseUrl });
    await client.connect();
    try {
      const { rows } = await client.query<{ seq: string; type: string }>(
        'select seq, type from change_records where event_id = $1 and seq > $2 order by seq',
        [eventId, after],
      );
      return rows.map((r) => ({ seq: Number(r.seq), type: r.type }));
    } finally {
      await client.end();
    }
  }

  it('delivers through one every change written through the other, a burst of 240 included, in order and without gaps', async () => {
    const { eventId, a, b } = await planAMarch(one, admin);
    const leaderA = await invited(eventId, { role: 'leader', contingentId: a }, 'Ada');
    const since = await lastSeq(one, admin, eventId);
    const coordinator = await connect(other, admin, eventId, since);
    const leader = await connect(other, leaderA, eventId, since);
    const path = `/api/events/${eventId}`;

    // One at a time, then 240 at once: event-wide news, news for B only, statuses of A and B.
    await admin.send(one.origin, 'POST', `${path}/meeting-points`, {
      name: 'Boathouse',
      position: { lat: 34.0593, lng: -118.2776 },
    });
    await admin.send(one.origin, 'PUT', `${path}/contingents/${a}/status`, { status: 'marching' });
    const statuses = ['assembling', 'marching', 'arrived', 'dispersed'];
    await Promise.all(
      range(0, 239).map((i) => {
        if (i % 4 === 0) {
          const target =
            i % 8 === 0 ? { target: 'event' } : { target: 'contingent', contingentId: b };
          return admin.send(one.origin, 'POST', `${path}/announcements`, {
            ...target,
            body: `#${i}`,
          });
        }
        const contingent = i % 4 === 1 ? a : b;
        return admin.send(one.origin, 'PUT', `${path}/contingents/${contingent}/status`, {
          status: statuses[i % statuses.length],
        });
      }),
    );
    const written = await seqsOf(eventId, since);
    expect(written.map((r) => r.seq)).toEqual(range(since + 1, since + 242));

    await coordinator.until((m) => m.length >= written.length, 15_000);
    expect(coordinator.messages.map((m) => [m.seq, m.type])).toEqual(
      written.map((r) => [r.seq, r.type]),
    );

    // The leader of A: everything but B's statuses and B's news, in the same order.
    const forLeader = coordinator.messages.filter(
      (m) => (m.data as { contingentId?: string | null }).contingentId !== b,
    );
    await leader.until((m) => m.length >= forLeader.length, 15_000);
    expect(leader.seqs()).toEqual(forLeader.map((m) => m.seq));
    expect(leader.messages.filter((m) => m.type === 'announcement.created').map(bodyOf)).toEqual(
      coordinator.messages
        .filter((m) => m.type === 'announcement.created')
        .filter((m) => (m.data as { target: string }).target === 'event')
        .map(bodyOf),
    );
    coordinator.close();
    leader.close();
  }, 60_000);

  it('closes on one instance, within a second, the sockets of an invite revoked through the other', async () => {
    const { eventId, a } = await planAMarch(one, admin);
    const volunteer = await invited(eventId, { role: 'volunteer', contingentId: a }, 'Vic');
    const onOther = await connect(other, volunteer, eventId);
    const onOne = await connect(one, volunteer, eventId);
    // Both sockets have joined once they hear the same news.
    await admin.send(one.origin, 'POST', `/api/events/${eventId}/announcements`, {
      target: 'event',
      body: 'Hello',
    });
    for (const client of [onOther, onOne]) await client.until((m) => m.length === 1);

    await admin.send(one.origin, 'DELETE', `/api/events/${eventId}/invites/${volunteer.inviteId}`);
    const revokedAt = Date.now();
    for (const client of [onOther, onOne]) {
      expect(await client.closing(3000)).toEqual({ code: 4001, reason: 'invite revoked' });
      expect(client.closedAt! - revokedAt).toBeLessThan(1000);
    }
  }, 30_000);
});
