// "I'm here": people check themselves in at the meeting point; the leader and coordinators
// see how many of each contingent are here, live, and no other volunteer learns who came.
import { and, count, eq } from 'drizzle-orm';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { changeRecords, checkIns } from '../../drizzle/schema.ts';
import type { Attendance, CheckIn, MyCheckIn } from '../../server/features/attendance/schemas.ts';
import type { EventPlan } from '../../server/features/events/schemas.ts';
import { type Session, type TestApp, useTestApp } from '../helpers/app.ts';
import { databaseKinds } from '../helpers/databases.ts';
import { LiveClient, type LiveMessage } from '../helpers/live.ts';

/** Waits until `done()` holds, checking every 20 ms, or fails after 5 s. */
async function eventually(done: () => boolean): Promise<void> {
  const deadline = Date.now() + 5000;
  while (!done()) {
    if (Date.now() > deadline) throw new Error('still not so after 5 s');
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

/** Sockets on a real port, closed after each test. */
function useLive(t: () => TestApp) {
  let base = '';
  const open: LiveClient[] = [];
  beforeAll(async () => {
    base = await t().app.listen({ port: 0, host: '127.0.0.1' });
  });
  afterEach(() => {
    for (const client of open.splice(0)) client.close();
  });
  /** Connects like a page and returns once the hub has taken the socket in. */
  return async (as: Session, eventId: string, since?: number): Promise<LiveClient> => {
    const joined = () =>
      t()
        .app.live.members()
        .filter((m) => m.eventId === eventId && m.backlog === null).length;
    const before = joined();
    const client = await LiveClient.connect(base, {
      origin: base,
      eventId,
      token: as.token,
      ...(since === undefined ? {} : { since }),
    });
    open.push(client);
    await eventually(() => joined() > before);
    return client;
  };
}

describe.each(databaseKinds)('attendance on %s', (kind) => {
  const t = useTestApp(kind);
  const connect = useLive(t);

  /** newMarch, with a meeting point everyone sees and one only B meets at. */
  async function march() {
    const app = t();
    const m = await app.newMarch();
    const open = await app.newMeetingPoint(m.admin, m.event.id, { name: 'Boathouse' });
    const ofB = await app.newMeetingPoint(m.admin, m.event.id, {
      name: 'B only',
      visibility: 'contingents',
      contingentIds: [m.b.id],
    });
    const url = (path: string) => `/api/events/${m.event.id}${path}`;
    const checkIn = (as: Session, payload?: object, headers: Record<string, string> = {}) =>
      app.inject({
        method: 'POST',
        url: url('/check-ins'),
        headers: { ...as.headers, ...headers },
        ...(payload ? { payload } : {}),
      });
    const attendance = (as: Session) => app.send<Attendance>(as, 'GET', url('/attendance'));
    const mine = (as: Session) => app.send<MyCheckIn>(as, 'GET', url('/check-ins/me'));
    const lastSeq = async () => (await app.send<EventPlan>(m.admin, 'GET', url(''))).lastSeq;
    return { app, ...m, meetingPoints: { open, ofB }, url, checkIn, attendance, mine, lastSeq };
  }

  async function rowsOf(app: TestApp, eventId: string, personId: string) {
    const [row] = await app.app.db
      .select({ n: count() })
      .from(checkIns)
      .where(and(eq(checkIns.eventId, eventId), eq(checkIns.personId, personId)));
    return row!.n;
  }

  describe('POST /api/events/:eventId/check-ins', () => {
    it('checks the caller in with their contingent and meeting point, and answers 201', async () => {
      const m = await march();
      const res = await m.checkIn(m.volunteerA, { meetingPointId: m.meetingPoints.open.id });
      expect(res.statusCode, res.body).toBe(201);
      const made = res.json<CheckIn>();
      expect(made).toEqual({
        personId: m.volunteerA.person.id,
        displayName: 'Ali Haddad',
        contingentId: m.a.id,
        meetingPointId: m.meetingPoints.open.id,
        checkedInAt: expect.any(String),
      });
      expect(Math.abs(Date.parse(made.checkedInAt) - Date.now())).toBeLessThan(60_000);
      expect(await m.mine(m.volunteerA)).toEqual({ checkIn: made });
      expect(await m.mine(m.leaderA)).toEqual({ checkIn: null });
    });

    it('checks in without a body, at no meeting point', async () => {
      const m = await march();
      const res = await m.checkIn(m.leaderA);
      expect(res.statusCode, res.body).toBe(201);
      expect(res.json<CheckIn>()).toMatchObject({ contingentId: m.a.id, meetingPointId: null });
    });

    it('answers 200 with the check-in kept when the caller checks in again, and records nothing', async () => {
      const m = await march();
      const first = (await m.checkIn(m.volunteerA, {})).json<CheckIn>();
      const seq = await m.lastSeq();
      const again = await m.checkIn(m.volunteerA, { meetingPointId: m.meetingPoints.open.id });
      expect(again.statusCode, again.body).toBe(200);
      expect(again.headers['idempotent-replayed']).toBeUndefined();
      expect(again.json<CheckIn>()).toEqual(first);
      expect(await m.lastSeq()).toBe(seq);
      expect(await rowsOf(m.app, m.event.id, m.volunteerA.person.id)).toBe(1);
    });

    it('gives a retry with the same Idempotency-Key the first answer back, checked in once', async () => {
      const m = await march();
      const key = { 'idempotency-key': 'check-in-retry-0001' };
      const first = await m.checkIn(m.volunteerA, {}, key);
      expect(first.statusCode).toBe(201);
      const seq = await m.lastSeq();
      const retry = await m.checkIn(m.volunteerA, {}, key);
      expect(retry.statusCode).toBe(201);
      expect(retry.headers['idempotent-replayed']).toBe('true');
      expect(retry.json()).toEqual(first.json());
      expect(await m.lastSeq()).toBe(seq);
      expect(await rowsOf(m.app, m.event.id, m.volunteerA.person.id)).toBe(1);
    });

    it('checks in concurrent taps of one phone once', async () => {
      const m = await march();
      const taps = await Promise.all([1, 2, 3, 4].map(() => m.checkIn(m.volunteerA, {})));
      expect(taps.map((r) => r.statusCode).sort()).toEqual([200, 200, 200, 201]);
      expect(new Set(taps.map((r) => r.json<CheckIn>().checkedInAt)).size).toBe(1);
      const records = await m.app.app.db
        .select({ n: count() })
        .from(changeRecords)
        .where(
          and(
            eq(changeRecords.eventId, m.event.id),
            eq(changeRecords.type, 'attendance.checkedIn'),
          ),
        );
      expect(records[0]!.n).toBe(1);
    });

    it('refuses a meeting point the caller does not see with 400 naming /body/meetingPointId', async () => {
      const m = await march();
      const res = await m.checkIn(m.volunteerA, { meetingPointId: m.meetingPoints.ofB.id });
      expect(res.statusCode).toBe(400);
      expect(res.json().errors[0].field).toBe('/body/meetingPointId');
      expect(await m.mine(m.volunteerA)).toEqual({ checkIn: null });
      const coordinator = await m.app.invited(m.admin, m.event.id, 'coordinator');
      const seen = await m.checkIn(coordinator, { meetingPointId: m.meetingPoints.ofB.id });
      expect(seen.statusCode, seen.body).toBe(201);
      expect(seen.json<CheckIn>()).toMatchObject({ contingentId: null });
    });

    it('refuses an administrator, who is in no event, with 403', async () => {
      const m = await march();
      expect((await m.checkIn(m.admin, {})).statusCode).toBe(403);
      const mine = await m.app.inject({
        method: 'GET',
        url: m.url('/check-ins/me'),
        headers: m.admin.headers,
      });
      expect(mine.statusCode).toBe(403);
    });
  });

  describe('DELETE /api/events/:eventId/check-ins/me', () => {
    it('takes a check-in back, and answers 404 when there is none left', async () => {
      const m = await march();
      await m.checkIn(m.volunteerA, {});
      const undo = () =>
        m.app.inject({
          method: 'DELETE',
          url: m.url('/check-ins/me'),
          headers: m.volunteerA.headers,
        });
      expect((await undo()).statusCode).toBe(204);
      expect(await m.mine(m.volunteerA)).toEqual({ checkIn: null });
      expect((await m.attendance(m.leaderA)).contingents[0]!.checkedIn).toBe(0);
      const again = await undo();
      expect(again.statusCode).toBe(404);
      // Checking in again is a new check-in.
      expect((await m.checkIn(m.volunteerA, {})).statusCode).toBe(201);
    });
  });

  describe('GET /api/events/:eventId/attendance', () => {
    it('counts who is here per contingent against its expected size and members, and in all', async () => {
      const m = await march();
      const { app, admin, event } = m;
      await app.send(admin, 'PATCH', m.url(`/contingents/${m.a.id}`), { expectedSize: 40 });
      const leaderB = await app.invited(admin, event.id, 'leader', m.b.id);
      const volunteerB = await app.invited(admin, event.id, 'volunteer', m.b.id);
      // Joined A, and not here (yet).
      await app.invited(admin, event.id, 'volunteer', m.a.id);
      const coordinator = await app.invited(admin, event.id, 'coordinator');
      const atLarge = await app.invited(admin, event.id, 'volunteer');
      for (const who of [m.volunteerA, m.leaderA, volunteerB, coordinator, atLarge]) {
        expect((await m.checkIn(who, {})).statusCode).toBe(201);
      }

      const whole = await m.attendance(coordinator);
      expect(whole.contingents).toEqual([
        { contingentId: m.a.id, checkedIn: 2, expected: 40, members: 3 },
        { contingentId: m.b.id, checkedIn: 1, expected: 120, members: 2 },
      ]);
      // Everyone who joined the event: the coordinator and the volunteer at large too.
      expect(whole.total).toEqual({ checkedIn: 5, expected: 160, members: 7 });
      expect(await m.attendance(admin)).toEqual(whole);

      // A leader sees their own contingent, and no total.
      expect(await m.attendance(m.leaderA)).toEqual({
        contingents: [whole.contingents[0]],
        total: null,
      });
      expect(await m.attendance(leaderB)).toEqual({
        contingents: [whole.contingents[1]],
        total: null,
      });
    });

    it('counts a check-in under the contingent the person was in when they checked in', async () => {
      const m = await march();
      await m.checkIn(m.volunteerA, {});
      await m.app.send(m.admin, 'DELETE', m.url(`/contingents/${m.a.id}`));
      const whole = await m.attendance(m.admin);
      expect(whole.contingents).toEqual([
        { contingentId: m.b.id, checkedIn: 0, expected: 120, members: 0 },
      ]);
      expect(whole.total).toMatchObject({ checkedIn: 1 });
    });

    it('refuses volunteers and coordinators of other events with 403', async () => {
      const m = await march();
      const other = await m.app.newEvent(m.admin, { name: 'May Day — Chicago' });
      const outsider = await m.app.invited(m.admin, other.id, 'coordinator');
      for (const who of [m.volunteerA, outsider]) {
        const res = await m.app.inject({
          method: 'GET',
          url: m.url('/attendance'),
          headers: who.headers,
        });
        expect(res.statusCode).toBe(403);
      }
    });
  });

  describe('live', () => {
    const attendanceOf = (messages: LiveMessage[]) =>
      messages.filter((x) => x.type.startsWith('attendance.'));

    it('tells the coordinators, the leader and the person, and no other volunteer', async () => {
      const m = await march();
      const { app, admin, event } = m;
      const others = {
        otherVolunteerA: await app.invited(admin, event.id, 'volunteer', m.a.id),
        leaderB: await app.invited(admin, event.id, 'leader', m.b.id),
        volunteerB: await app.invited(admin, event.id, 'volunteer', m.b.id),
        atLarge: await app.invited(admin, event.id, 'volunteer'),
      };
      const coordinator = await app.invited(admin, event.id, 'coordinator');
      const from = await m.lastSeq();
      const told = { coordinator, leaderA: m.leaderA, volunteerA: m.volunteerA };
      const everyone = { ...told, ...others };
      const sockets = new Map<string, LiveClient>();
      for (const [name, who] of Object.entries(everyone)) {
        sockets.set(name, await connect(who, event.id, from));
      }

      await m.checkIn(m.volunteerA, { meetingPointId: m.meetingPoints.open.id });
      await app.send(m.volunteerA, 'DELETE', m.url('/check-ins/me'));
      await app.send(admin, 'POST', m.url('/announcements'), { target: 'event', body: 'Done' });
      const done = (all: LiveMessage[]) => all.some((x) => x.type === 'announcement.created');
      for (const socket of sockets.values()) await socket.until(done);

      const checkIn = {
        personId: m.volunteerA.person.id,
        displayName: 'Ali Haddad',
        contingentId: m.a.id,
        meetingPointId: m.meetingPoints.open.id,
        checkedInAt: expect.any(String),
      };
      for (const name of Object.keys(told)) {
        const seen = attendanceOf(sockets.get(name)!.messages);
        expect(
          seen.map((x) => [x.type, x.data]),
          name,
        ).toEqual([
          ['attendance.checkedIn', { checkIn }],
          ['attendance.undone', { checkIn }],
        ]);
      }
      for (const name of Object.keys(others)) {
        expect(attendanceOf(sockets.get(name)!.messages), name).toEqual([]);
      }

      // The same on replay, for a socket that was away.
      for (const [name, who] of Object.entries(everyone)) {
        const replay = await connect(who, event.id, from);
        await replay.until(done);
        expect(attendanceOf(replay.messages), name).toHaveLength(name in told ? 2 : 0);
      }
    });
  });
});
