// GET /api/live: the socket that carries an event's change records to open pages. Each test
// listens on a real port and connects like a page would; writes go through the API.
import { and, asc, eq, gt, lte } from 'drizzle-orm';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { changeRecords } from '../../drizzle/schema.ts';
import type { EventPlan } from '../../server/features/events/schemas.ts';
import type { CreatedInvite } from '../../server/features/invites/schemas.ts';
import type { MeetingPoint } from '../../server/features/meeting-points/schemas.ts';
import { coarsen } from '../../server/features/positions/coarsen.ts';
import type { RoleSlot } from '../../server/features/roles/schemas.ts';
import type { LatLng } from '../../server/schemas.ts';
import { parseConfig } from '../../server/config.ts';
import { type Session, type TestApp, useTestApp } from '../helpers/app.ts';
import { databaseKinds } from '../helpers/databases.ts';
import { LiveClient, type LiveClientOptions, type LiveMessage } from '../helpers/live.ts';

const PERSHING_SQUARE = { lat: 34.0483, lng: -118.2531 };
const CITY_HALL = { lat: 34.0537, lng: -118.2428 };
const COORDINATOR_ONLY = [
  'invite.created',
  'invite.revoked',
  'person.joined',
  'contingents.reordered',
];

const range = (from: number, to: number) =>
  Array.from({ length: to - from + 1 }, (_, i) => from + i);
/** Waits until the clock reads `at` (a timer may fire a millisecond early). */
async function untilTime(at: number): Promise<void> {
  while (Date.now() < at) await new Promise((resolve) => setTimeout(resolve, at - Date.now()));
}

/** A socket for the tests of one app: connected to its port, closed after each test. */
function useLive(t: () => TestApp) {
  let base = '';
  const open: LiveClient[] = [];
  beforeAll(async () => {
    base = await t().app.listen({ port: 0, host: '127.0.0.1' });
  });
  afterEach(() => {
    for (const client of open.splice(0)) client.close();
  });
  return {
    base: () => base,
    /**
     * Connects like a page, and returns once the hub has taken the socket in and sent what it
     * missed: from then on every change is the socket's to receive.
     */
    async connect(
      as: Session | null,
      eventId: string,
      options: Partial<LiveClientOptions> = {},
    ): Promise<LiveClient> {
      const joined = () =>
        t()
          .app.live.members()
          .filter((m) => m.eventId === eventId && m.backlog === null).length;
      const before = joined();
      const client = await LiveClient.connect(base, {
        origin: base,
        eventId,
        token: as?.token,
        ...options,
      });
      open.push(client);
      await eventually(() => joined() > before || client.closed !== null);
      return client;
    },
  };
}

async function lastSeqOf(app: TestApp, as: Session, eventId: string): Promise<number> {
  return (await app.send<EventPlan>(as, 'GET', `/api/events/${eventId}`)).lastSeq;
}

async function recordsAfter(app: TestApp, eventId: string, seq: number) {
  return app.app.db
    .select({ seq: changeRecords.seq, type: changeRecords.type })
    .from(changeRecords)
    .where(and(eq(changeRecords.eventId, eventId), gt(changeRecords.seq, seq)))
    .orderBy(asc(changeRecords.seq));
}

/** Waits until `done()` holds, checking every 20 ms, or fails after `timeoutMs`. */
async function eventually(done: () => boolean, timeoutMs = 5000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!done()) {
    if (Date.now() > deadline) throw new Error(`still not so after ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

const bodyOf = (m: LiveMessage) => (m.data as { body?: string } | undefined)?.body;

describe.each(databaseKinds)('live updates on %s', (kind) => {
  const t = useTestApp(kind);
  const live = useLive(t);

  /** A march (see newMarch), and announcements from its administrator. */
  async function march(event: object = {}) {
    const app = t();
    const m = await app.newMarch(event);
    const announce = (body: string, target: object = { target: 'event' }) =>
      app.send(m.admin, 'POST', `/api/events/${m.event.id}/announcements`, { ...target, body });
    return { app, ...m, announce };
  }

  describe('GET /api/live', () => {
    it('answers a plain GET, without an upgrade, with 426', async () => {
      const { app, admin, event } = await march();
      const res = await app.inject({
        method: 'GET',
        url: `/api/live?event=${event.id}`,
        headers: admin.headers,
      });
      expect(res.statusCode).toBe(426);
      expect(res.headers.upgrade).toBe('websocket');
      expect(res.headers['content-type']).toContain('application/problem+json');
    });

    it('refuses a socket with no Origin or a foreign one with 403, before upgrading', async () => {
      const { admin, event } = await march();
      await expect(live.connect(admin, event.id, { origin: undefined })).rejects.toThrow(
        'refused: 403',
      );
      await expect(
        live.connect(admin, event.id, { origin: 'https://muster.example.org' }),
      ).rejects.toThrow('refused: 403');
      await expect(live.connect(admin, event.id)).resolves.toBeInstanceOf(LiveClient);
    });

    it('refuses an anonymous socket with 401 and one of another event with 403', async () => {
      const { app, admin, event } = await march();
      const other = await app.newEvent(admin, { name: 'Another march' });
      const outsider = await app.invited(admin, other.id, 'coordinator');
      await expect(live.connect(null, event.id)).rejects.toThrow('refused: 401');
      await expect(live.connect(outsider, event.id)).rejects.toThrow('refused: 403');
    });

    it("takes the page's session cookie, and answers ping with pong", async () => {
      const { volunteerA, event } = await march();
      const client = await live.connect(volunteerA, event.id, { asCookie: true });
      client.send(JSON.stringify({ type: 'ping' }));
      await client.until((m) => m.some((x) => x.type === 'pong'));
      expect(client.messages).toEqual([{ type: 'pong' }]);
      expect(client.closed).toBeNull();
    });

    it('closes with 1008 on any message but a ping', async () => {
      const { admin, event } = await march();
      const client = await live.connect(admin, event.id);
      client.send(JSON.stringify({ type: 'subscribe', event: '*' }));
      expect((await client.closing()).code).toBe(1008);
    });

    it('answers ten pings in a second and closes with 1008 on the eleventh', async () => {
      const { admin, event } = await march();
      const client = await live.connect(admin, event.id);
      for (let i = 0; i < 11; i++) client.send(JSON.stringify({ type: 'ping' }));
      expect((await client.closing()).code).toBe(1008);
      expect(client.messages).toEqual(Array.from({ length: 10 }, () => ({ type: 'pong' })));
    });

    it('closes with 1009 on a frame over 64 KB', async () => {
      const { admin, event } = await march();
      const client = await live.connect(admin, event.id);
      client.send(JSON.stringify({ type: 'ping', pad: 'x'.repeat(65 * 1024) }));
      expect((await client.closing()).code).toBe(1009);
    });
  });

  describe('with allowed origins configured', () => {
    const listed = useTestApp(kind, {
      allowedOrigins: parseConfig({ MUSTER_ALLOWED_ORIGINS: 'http://localhost:5173' })
        .allowedOrigins,
    });
    const devServer = useLive(listed);

    it("accepts pages of the listed origins besides the server's own", async () => {
      const app = listed();
      const admin = await app.administrator();
      const event = await app.newEvent(admin);
      for (const origin of ['http://localhost:5173', devServer.base()]) {
        const client = await devServer.connect(admin, event.id, { origin });
        client.send(JSON.stringify({ type: 'ping' }));
        await client.until((m) => m.length === 1);
      }
      await expect(
        devServer.connect(admin, event.id, { origin: 'https://evil.example.org' }),
      ).rejects.toThrow('refused: 403');
    });

    const proxied = parseConfig({
      MUSTER_PUBLIC_URL: 'https://muster.example.org',
      MUSTER_ALLOWED_ORIGINS: 'http://localhost:5173',
    });
    const behindProxy = useTestApp(kind, {
      publicUrl: proxied.publicUrl,
      allowedOrigins: proxied.allowedOrigins,
    });
    const proxy = useLive(behindProxy);

    it('accepts only the public URL and the listed origins once a public URL is set', async () => {
      const app = behindProxy();
      const admin = await app.administrator();
      const event = await app.newEvent(admin);
      for (const origin of ['https://muster.example.org', 'http://localhost:5173']) {
        const client = await proxy.connect(admin, event.id, { origin });
        client.send(JSON.stringify({ type: 'ping' }));
        await client.until((m) => m.length === 1);
      }
      // Behind a proxy the Host header names the proxy's upstream, not what the browser shows.
      await expect(proxy.connect(admin, event.id, { origin: proxy.base() })).rejects.toThrow(
        'refused: 403',
      );
    });
  });

  describe('order and completeness', () => {
    it('delivers, after 60 s away, exactly the 100 changes made meanwhile, in order, then live ones', async () => {
      const { app, admin, event, a, b, leaderA, announce } = await march();
      const away = await live.connect(admin, event.id, { since: 0 });
      const leaderAway = await live.connect(leaderA, event.id, { since: 0 });
      const since = await lastSeqOf(app, admin, event.id);
      await away.until((m) => m.at(-1)?.seq === since);
      away.close();
      leaderAway.close();
      await Promise.all([away.closing(), leaderAway.closing()]);

      // One change every 600 ms for a minute: event-wide news, A's status, news for B only.
      const start = Date.now();
      const statuses = ['assembling', 'marching', 'arrived'];
      const forLeaderA: boolean[] = [];
      for (let i = 0; i < 100; i++) {
        if (i % 3 === 0) await announce(`Update ${i}`);
        if (i % 3 === 1) {
          await app.send(leaderA, 'PUT', `/api/events/${event.id}/contingents/${a.id}/status`, {
            status: statuses[i % statuses.length],
          });
        }
        if (i % 3 === 2) await announce(`For B ${i}`, { target: 'contingent', contingentId: b.id });
        forLeaderA.push(i % 3 !== 2);
        await untilTime(start + (i + 1) * 600);
      }
      expect(Date.now() - start).toBeGreaterThanOrEqual(60_000);

      const missed = await recordsAfter(app, event.id, since);
      expect(missed.map((r) => r.seq)).toEqual(range(since + 1, since + 100));
      const back = await live.connect(admin, event.id, { since });
      const leaderBack = await live.connect(leaderA, event.id, { since });
      await back.until((m) => m.length >= 100, 15_000);
      expect(back.messages.map((m) => [m.seq, m.type])).toEqual(missed.map((r) => [r.seq, r.type]));
      expect(back.messages.filter((m) => m.type === 'announcement.created').map(bodyOf)).toEqual(
        range(0, 99)
          .filter((i) => i % 3 !== 1)
          .map((i) => (i % 3 === 0 ? `Update ${i}` : `For B ${i}`)),
      );
      const leaderSeqs = missed.filter((_, i) => forLeaderA[i]).map((r) => r.seq);
      await leaderBack.until((m) => m.length >= leaderSeqs.length, 15_000);
      expect(leaderBack.seqs()).toEqual(leaderSeqs);

      await announce('Live again');
      await back.until((m) => m.some((x) => bodyOf(x) === 'Live again'));
      await leaderBack.until((m) => m.some((x) => bodyOf(x) === 'Live again'));
      expect(back.seqs()).toEqual(range(since + 1, since + 101));
      expect(leaderBack.seqs()).toEqual([...leaderSeqs, since + 101]);
    }, 120_000);

    it('hands over from replay to live without losing or repeating a change', async () => {
      const { app, admin, event, announce } = await march();
      const since = await lastSeqOf(app, admin, event.id);
      for (let i = 0; i < 30; i++) await announce(`Before ${i}`);
      // Four writers keep committing while sockets join one after another, so changes land
      // both in what a socket replays and in what arrives live meanwhile (on PostgreSQL; PGlite
      // runs one transaction at a time, and there the test checks order and completeness).
      const writing = Promise.all(
        range(1, 4).map(async (writer) => {
          for (let i = 0; i < 15; i++) await announce(`During ${writer}.${i}`);
        }),
      );
      const clients: LiveClient[] = [];
      for (let i = 0; i < 6; i++) clients.push(await live.connect(admin, event.id, { since }));
      await writing;
      await announce('Done');
      for (const client of clients) {
        await client.until((m) => m.some((x) => bodyOf(x) === 'Done'));
        expect(client.seqs()).toEqual(range(since + 1, since + 91));
      }
    });

    it('streams only changes from now on when the client names no since', async () => {
      const { app, admin, event, announce } = await march();
      await announce('Old news');
      const client = await live.connect(admin, event.id);
      const lastSeq = await lastSeqOf(app, admin, event.id);
      await announce('News');
      await client.until((m) => m.length === 1);
      expect(client.messages.map((m) => [m.seq, bodyOf(m)])).toEqual([[lastSeq + 1, 'News']]);
    });
  });

  describe('who receives what', () => {
    /**
     * Contingents A and B; a coordinator; the leaders of A and B; two volunteers of A, one of
     * B and one of no contingent; a Sign carrier and a Marshal slot for A and an event-wide
     * Literature slot.
     */
    async function matrix() {
      const app = t();
      const admin = await app.administrator();
      const event = await app.newEvent(admin);
      const a = await app.newContingent(admin, event.id, { name: 'A' });
      const b = await app.newContingent(admin, event.id, { name: 'B' });
      const join = (role: 'coordinator' | 'leader' | 'volunteer', name: string, c?: string) =>
        app.invited(admin, event.id, role, c, name);
      const people = {
        coordinator: await join('coordinator', 'Cora Jiménez'),
        leaderA: await join('leader', 'Ada Kovacs', a.id),
        leaderB: await join('leader', 'Ben Tanaka', b.id),
        volunteerA: await join('volunteer', 'Ali Haddad', a.id),
        otherVolunteerA: await join('volunteer', 'Amy Okafor', a.id),
        volunteerB: await join('volunteer', 'Bea Lindqvist', b.id),
        volunteerAtLarge: await join('volunteer', 'Nia Moreno'),
      };
      const slot = (name: string, contingentId?: string) =>
        app.send<RoleSlot>(admin, 'POST', `/api/events/${event.id}/role-slots`, {
          name,
          capacity: 5,
          ...(contingentId ? { contingentId } : {}),
        });
      const slots = {
        signs: await slot('Sign carrier', a.id),
        marshal: await slot('Marshal', a.id),
        literature: await slot('Literature'),
      };
      return { app, admin, event, a, b, people, slots };
    }

    type Matrix = Awaited<ReturnType<typeof matrix>>;
    type Who = keyof Matrix['people'];

    /** The mix of changes of a march morning, written through the API. */
    async function morning(m: Matrix, coordinatorSocket: LiveClient) {
      const { app, event, a, b, people, slots } = m;
      const path = `/api/events/${event.id}`;
      const claim = (who: Who, slotId: string) =>
        app.send(people[who], 'POST', `${path}/role-slots/${slotId}/claims`);
      const report = (who: Session, contingentId: string, position: LatLng) =>
        app.send(who, 'PUT', `${path}/contingents/${contingentId}/position`, {
          position,
          accuracy: 15,
          recordedAt: new Date(Date.now() - 1000).toISOString(),
        });
      const announce = (body: string, target: object = { target: 'event' }) =>
        app.send(people.coordinator, 'POST', `${path}/announcements`, { ...target, body });
      const meetingPoint = (name: string, contingentIds?: string[]) =>
        app.newMeetingPoint(people.coordinator, event.id, {
          name,
          ...(contingentIds ? { visibility: 'contingents', contingentIds } : {}),
        });

      await claim('volunteerA', slots.signs.id);
      await claim('otherVolunteerA', slots.signs.id);
      await claim('volunteerA', slots.marshal.id);
      await claim('volunteerB', slots.literature.id);
      await report(people.leaderA, a.id, PERSHING_SQUARE);
      const firstOfA = await lastSeqOf(app, people.coordinator, event.id);
      // Delivered live before the next report of A redacts it.
      await coordinatorSocket.until((all) => all.some((x) => x.seq === firstOfA));
      await report(people.leaderB, b.id, CITY_HALL);
      await app.send(people.leaderA, 'PUT', `${path}/contingents/${a.id}/status`, {
        status: 'marching',
      });
      await announce('Step off at ten');
      await announce('A: banners up', { target: 'contingent', contingentId: a.id });
      await announce('B: wait at Fifth', { target: 'contingent', contingentId: b.id });
      await announce('Marshals: vests on', { target: 'role', roleSlotId: slots.marshal.id });
      const invite = await app.send<CreatedInvite>(people.coordinator, 'POST', `${path}/invites`, {
        role: 'volunteer',
        contingentId: b.id,
      });
      await app.join(invite.token, 'Lou Ferreira');
      await app.send(people.coordinator, 'PUT', `${path}/contingent-order`, {
        contingentIds: [b.id, a.id],
      });
      await meetingPoint('Boathouse');
      await meetingPoint('A gathering', [a.id]);
      const moving = await meetingPoint('Moving', [a.id]);
      await app.send(people.coordinator, 'PATCH', `${path}/meeting-points/${moving.id}`, {
        contingentIds: [b.id],
      });
      await app.send(people.coordinator, 'PATCH', path, { shareContingentPositions: true });
      await app.letReportIntervalPass(a.id);
      await report(people.leaderA, a.id, CITY_HALL);
      await announce('End of the drill');
      return { firstOfA, meetingPoints: [moving] };
    }

    /** The fields of the messages below that their labels read. */
    interface MessageData {
      claim?: { personId: string };
      slotId?: string;
      contingentId?: string;
      coarse?: boolean;
      status?: string;
      body?: string;
      meetingPoint?: MeetingPoint;
      meetingPointId?: string;
    }

    /** Reads a message as a line of the behaviour table below. */
    function labeller(m: Matrix, meetingPoints: Map<string, string>) {
      const names = new Map<string, string>(
        Object.values(m.people).map((s) => [s.person.id, s.person.displayName]),
      );
      const contingents = new Map([
        [m.a.id, 'A'],
        [m.b.id, 'B'],
      ]);
      const slots = new Map(Object.values(m.slots).map((s) => [s.id, s.name]));
      return (message: LiveMessage): string => {
        const data = message.data as MessageData;
        switch (message.type) {
          case 'claim.created':
            return `claim.created: ${names.get(data.claim!.personId)} in ${slots.get(data.slotId!)}`;
          case 'roleSlot.changed':
            return `roleSlot.changed: ${slots.get(data.slotId!)}`;
          case 'contingent.position':
            return `position of ${contingents.get(data.contingentId!)} (${data.coarse ? 'coarse' : 'exact'})`;
          case 'contingent.status':
            return `${contingents.get(data.contingentId!)} is ${data.status}`;
          case 'announcement.created':
            return `announcement: ${data.body}`;
          case 'meetingPoint.created':
          case 'meetingPoint.updated':
            return `${message.type}: ${data.meetingPoint!.name}`;
          case 'meetingPoint.deleted':
            return `meetingPoint.deleted: ${meetingPoints.get(data.meetingPointId!)}`;
          default:
            return message.type;
        }
      };
    }

    /** What may never reach a person who is not a coordinator, whatever the message. */
    function expectOnlyTheirs(m: Matrix, who: Who, messages: LiveMessage[]) {
      const session = m.people[who];
      const own = session.person.contingentId;
      const volunteer = session.person.role === 'volunteer';
      const leaderOfOwn = own === m.a.id ? 'leaderA' : own === m.b.id ? 'leaderB' : null;
      const colleagues = Object.entries(m.people)
        .filter(([key, s]) => s.person.contingentId === own && (key === leaderOfOwn || !volunteer))
        .map(([, s]) => s.person.displayName);
      // Volunteers know only their own name and their leader's; leaders their contingent's.
      // Lou joined B during the morning; only coordinators hear of it.
      const strangers = [
        ...Object.values(m.people).map((s) => s.person.displayName),
        ...(own === m.b.id && !volunteer ? [] : ['Lou Ferreira']),
      ].filter(
        (name) =>
          name !== 'Cora Jiménez' &&
          name !== session.person.displayName &&
          !colleagues.includes(name),
      );
      const otherContingents = [m.a.id, m.b.id].filter((id) => id !== own);
      for (const message of messages) {
        const text = JSON.stringify(message);
        expect(COORDINATOR_ONLY, text).not.toContain(message.type);
        for (const id of otherContingents) expect(text, `${who} got ${id}`).not.toContain(id);
        for (const name of strangers) expect(text, `${who} got ${name}`).not.toContain(name);
        if (message.type === 'contingent.position') {
          const position = message.data as { contingentId: string; coarse: boolean };
          expect(position.contingentId).toBe(own);
          expect(position.coarse).toBe(volunteer);
        }
        if (volunteer && message.type.startsWith('claim.')) {
          expect((message.data as { claim: { personId: string } }).claim.personId).toBe(
            session.person.id,
          );
        }
      }
    }

    const expected: Record<Exclude<Who, 'coordinator'>, string[]> = {
      leaderA: [
        'claim.created: Ali Haddad in Sign carrier',
        'claim.created: Amy Okafor in Sign carrier',
        'claim.created: Ali Haddad in Marshal',
        'roleSlot.changed: Literature',
        'position of A (exact)',
        'A is marching',
        'announcement: Step off at ten',
        'announcement: A: banners up',
        'announcement: Marshals: vests on',
        'meetingPoint.created: Boathouse',
        'meetingPoint.created: A gathering',
        'meetingPoint.created: Moving',
        'meetingPoint.deleted: Moving',
        'event.updated',
        'position of A (exact)',
        'announcement: End of the drill',
      ],
      volunteerA: [
        'claim.created: Ali Haddad in Sign carrier',
        'roleSlot.changed: Sign carrier',
        'claim.created: Ali Haddad in Marshal',
        'roleSlot.changed: Literature',
        'A is marching',
        'announcement: Step off at ten',
        'announcement: A: banners up',
        'announcement: Marshals: vests on',
        'meetingPoint.created: Boathouse',
        'meetingPoint.created: A gathering',
        'meetingPoint.created: Moving',
        'meetingPoint.deleted: Moving',
        'event.updated',
        'position of A (coarse)',
        'announcement: End of the drill',
      ],
      otherVolunteerA: [
        'roleSlot.changed: Sign carrier',
        'claim.created: Amy Okafor in Sign carrier',
        'roleSlot.changed: Marshal',
        'roleSlot.changed: Literature',
        'A is marching',
        'announcement: Step off at ten',
        'announcement: A: banners up',
        'meetingPoint.created: Boathouse',
        'meetingPoint.created: A gathering',
        'meetingPoint.created: Moving',
        'meetingPoint.deleted: Moving',
        'event.updated',
        'position of A (coarse)',
        'announcement: End of the drill',
      ],
      leaderB: [
        'claim.created: Bea Lindqvist in Literature',
        'position of B (exact)',
        'announcement: Step off at ten',
        'announcement: B: wait at Fifth',
        'meetingPoint.created: Boathouse',
        'meetingPoint.updated: Moving',
        'event.updated',
        'announcement: End of the drill',
      ],
      volunteerB: [
        'claim.created: Bea Lindqvist in Literature',
        'announcement: Step off at ten',
        'announcement: B: wait at Fifth',
        'meetingPoint.created: Boathouse',
        'meetingPoint.updated: Moving',
        'event.updated',
        'announcement: End of the drill',
      ],
      volunteerAtLarge: [
        'roleSlot.changed: Literature',
        'announcement: Step off at ten',
        'meetingPoint.created: Boathouse',
        'event.updated',
        'announcement: End of the drill',
      ],
    };

    it('gives each person exactly their part of the morning, live and again on replay', async () => {
      const m = await matrix();
      const { app, event, people } = m;
      const from = await lastSeqOf(app, m.admin, event.id);
      const who = Object.keys(people) as Who[];
      const sockets = new Map<Who, LiveClient>();
      for (const key of who)
        sockets.set(key, await live.connect(people[key], event.id, { since: from }));
      const { firstOfA, meetingPoints } = await morning(m, sockets.get('coordinator')!);
      const done = (all: LiveMessage[]) => all.some((x) => bodyOf(x) === 'End of the drill');
      for (const socket of sockets.values()) await socket.until(done);

      const label = labeller(m, new Map(meetingPoints.map((p) => [p.id, p.name])));
      const records = await recordsAfter(app, event.id, from);
      const coordinator = sockets.get('coordinator')!;
      expect(coordinator.messages.map((x) => [x.seq, x.type])).toEqual(
        records.map((r) => [r.seq, r.type]),
      );
      for (const key of Object.keys(expected) as (keyof typeof expected)[]) {
        const messages = sockets.get(key)!.messages;
        expect(messages.map(label), key).toEqual(expected[key]);
        expectOnlyTheirs(m, key, messages);
      }
      const coarse = sockets
        .get('volunteerA')!
        .messages.find((x) => x.type === 'contingent.position');
      expect(coarse?.data).toMatchObject({ position: coarsen(CITY_HALL), accuracy: 200 });

      // The same, replayed from the start: the earlier position of A was redacted meanwhile.
      const lastSeq = records.at(-1)!.seq;
      for (const key of who) {
        const replay = await live.connect(people[key], event.id, { since: 0 });
        await replay.until(done);
        expect(replay.seqs()).toEqual([...replay.seqs()].sort((x, y) => x - y));
        if (key === 'coordinator') {
          expect(replay.seqs()).toEqual(range(1, lastSeq).filter((seq) => seq !== firstOfA));
          continue;
        }
        expectOnlyTheirs(m, key, replay.messages);
        const replayed = replay.messages.filter((x) => x.seq! > from);
        const liveSeen = sockets.get(key)!.messages.filter((x) => x.seq !== firstOfA);
        // Sharing, switched on later in the morning, applies to the positions kept: B's,
        // reported while it was off, reaches B's volunteers on replay — coarse.
        const sharedLater = (x: LiveMessage) =>
          key === 'volunteerB' && label(x) === 'position of B (coarse)';
        expect(replayed.filter(sharedLater), key).toHaveLength(key === 'volunteerB' ? 1 : 0);
        const asLive = replayed.filter((x) => !sharedLater(x));
        expect(asLive.map(label), key).toEqual(liveSeen.map(label));
        expect(asLive, key).toEqual(liveSeen);
      }
    });
  });

  describe('resync', () => {
    it('tells a client whose since is ahead of the event to resync, then streams live', async () => {
      const { app, admin, event, announce } = await march();
      const lastSeq = await lastSeqOf(app, admin, event.id);
      const client = await live.connect(admin, event.id, { since: lastSeq + 5 });
      await client.until((m) => m.length === 1);
      expect(client.messages).toEqual([{ type: 'resync', eventId: event.id, seq: lastSeq }]);
      await announce('After the resync');
      await client.until((m) => m.length === 2);
      expect(client.messages[1]).toMatchObject({ seq: lastSeq + 1, type: 'announcement.created' });
    });

    it('tells a client to resync when the changes after its since are no longer kept', async () => {
      const { app, admin, event, announce } = await march();
      for (let i = 0; i < 5; i++) await announce(`Early ${i}`);
      const lastSeq = await lastSeqOf(app, admin, event.id);
      const pruned = lastSeq - 3;
      // What the retention job does to old changes.
      await app.app.db
        .delete(changeRecords)
        .where(and(eq(changeRecords.eventId, event.id), lte(changeRecords.seq, pruned)));

      const stale = await live.connect(admin, event.id, { since: pruned - 1 });
      await stale.until((m) => m.length === 1);
      expect(stale.messages).toEqual([{ type: 'resync', eventId: event.id, seq: lastSeq }]);
      const justInTime = await live.connect(admin, event.id, { since: pruned });
      await justInTime.until((m) => m.length === 3);
      expect(justInTime.seqs()).toEqual(range(pruned + 1, lastSeq));

      await announce('Later');
      for (const client of [stale, justInTime]) {
        await client.until((m) => m.some((x) => bodyOf(x) === 'Later'));
        expect(client.messages.at(-1)!.seq).toBe(lastSeq + 1);
      }
    });
  });

  describe('ending sessions', () => {
    it('closes the sockets of a revoked invite with 4001 within a second, and no others', async () => {
      const { app, admin, event, a, volunteerA } = await march();
      const invite = await app.send<CreatedInvite>(
        admin,
        'POST',
        `/api/events/${event.id}/invites`,
        {
          role: 'leader',
          contingentId: a.id,
        },
      );
      const revoked = await app.join(invite.token, 'Rev Oked');
      const onPhone = await live.connect(revoked, event.id);
      const onLaptop = await live.connect(revoked, event.id, { asCookie: true });
      const staying = await live.connect(volunteerA, event.id);
      const coordinator = await live.connect(admin, event.id);

      const res = await app.inject({
        method: 'DELETE',
        url: `/api/events/${event.id}/invites/${invite.invite.id}`,
        headers: admin.headers,
      });
      const revokedAt = Date.now();
      expect(res.statusCode).toBe(204);
      for (const client of [onPhone, onLaptop]) {
        expect(await client.closing(2000)).toEqual({ code: 4001, reason: 'invite revoked' });
        expect(client.closedAt! - revokedAt).toBeLessThan(1000);
      }
      await coordinator.until((m) => m.some((x) => x.type === 'invite.revoked'));
      for (const client of [staying, coordinator]) {
        client.send(JSON.stringify({ type: 'ping' }));
        await client.until((m) => m.some((x) => x.type === 'pong'));
        expect(client.closed).toBeNull();
      }
      await expect(live.connect(revoked, event.id)).rejects.toThrow('refused: 401');
    });

    it("closes the sockets of a deleted contingent's members, not the coordinators'", async () => {
      const { app, admin, event, a, b, leaderA, volunteerA } = await march();
      const volunteerB = await app.invited(admin, event.id, 'volunteer', b.id);
      const members = [
        await live.connect(leaderA, event.id),
        await live.connect(volunteerA, event.id),
      ];
      const others = [
        await live.connect(volunteerB, event.id),
        await live.connect(admin, event.id),
      ];
      await app.send(admin, 'DELETE', `/api/events/${event.id}/contingents/${a.id}`);
      for (const client of members) {
        expect(await client.closing()).toEqual({ code: 4001, reason: 'contingent deleted' });
      }
      await others[1]!.until((m) => m.some((x) => x.type === 'contingent.deleted'));
      for (const client of others) {
        client.send(JSON.stringify({ type: 'ping' }));
        await client.until((m) => m.some((x) => x.type === 'pong'));
        expect(client.closed).toBeNull();
      }
    });
  });

  describe('slow readers', () => {
    /** A route of 3000 points: each event.updated that carries it is about 100 KB. */
    const longRoute = {
      type: 'LineString',
      coordinates: Array.from({ length: 3000 }, (_, i) => [
        -118.277612345678 + i * 1e-5,
        34.059312345678 - i * 1e-6,
      ]),
    };

    it('cuts off with 4002 a socket that stops reading, and keeps serving everyone else', async () => {
      const { app, admin, event, announce } = await march();
      const frozen = await live.connect(admin, event.id);
      frozen.pause();
      const watching = () => app.app.live.members().filter((m) => m.eventId === event.id).length;
      // Far more than the socket and the kernel can buffer; stops as soon as it is cut off.
      for (let i = 0; i < 300 && watching() > 0; i++) {
        await app.send(admin, 'PATCH', `/api/events/${event.id}`, { route: longRoute });
      }
      expect(watching()).toBe(0);
      frozen.resume();
      expect((await frozen.closing(15_000)).code).toBe(4002);

      const lastSeq = await lastSeqOf(app, admin, event.id);
      const fresh = await live.connect(admin, event.id, { since: lastSeq - 1 });
      await announce('Still here');
      await fresh.until((m) => m.some((x) => bodyOf(x) === 'Still here'));
      expect(fresh.seqs()).toEqual([lastSeq, lastSeq + 1]);
    });
  });
});
