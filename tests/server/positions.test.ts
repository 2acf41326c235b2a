// On the day: where each contingent is, its status, and announcements — through the API on
// a fresh database — plus the pure geometry the coordinator's map shares with the server.
import { and, asc, eq } from 'drizzle-orm';
import { beforeAll, describe, expect, it } from 'vitest';
import { changeRecords, contingentPositions } from '../../drizzle/schema.ts';
import type { Announcement } from '../../server/features/announcements/schemas.ts';
import type { EventPlan } from '../../server/features/events/schemas.ts';
import { coarsen } from '../../server/features/positions/coarsen.ts';
import { marchProgress } from '../../server/features/positions/progress.ts';
import type { ContingentPosition } from '../../server/features/positions/schemas.ts';
import type { RoleSlot } from '../../server/features/roles/schemas.ts';
import type { LatLng, LineString } from '../../server/schemas.ts';
import { type Session, type TestApp, useTestApp } from '../helpers/app.ts';
import { databaseKinds } from '../helpers/databases.ts';
import { LiveClient } from '../helpers/live.ts';

const PERSHING_SQUARE = { lat: 34.0483, lng: -118.2531 };
const CITY_HALL = { lat: 34.0537, lng: -118.2428 };

/** Metres between two points (haversine), independent of the code under test. */
function metres(a: LatLng, b: LatLng): number {
  const rad = Math.PI / 180;
  const dLat = (b.lat - a.lat) * rad;
  const dLng = (b.lng - a.lng) * rad;
  const h =
    Math.sin(dLat / 2) ** 2 +
    Math.cos(a.lat * rad) * Math.cos(b.lat * rad) * Math.sin(dLng / 2) ** 2;
  return 2 * 6_371_000 * Math.asin(Math.sqrt(h));
}

const secondsAgo = (s: number) => new Date(Date.now() - s * 1000).toISOString();

describe.each(databaseKinds)('on the day, on %s', (kind) => {
  const t = useTestApp(kind);
  let base = '';
  beforeAll(async () => {
    base = await t().app.listen({ port: 0, host: '127.0.0.1' });
  });

  /** A march (see newMarch) with the leader of B too and a volunteer of no contingent. */
  async function march(event: object = {}) {
    const app = t();
    const m = await app.newMarch(event);
    const { admin, event: plan, b } = m;
    const leaderB = await app.invited(admin, plan.id, 'leader', b.id, 'Ben');
    const volunteerAtLarge = await app.invited(admin, plan.id, 'volunteer', undefined, 'Nia');
    const report = (
      as: Session | null,
      contingentId: string,
      body: { position?: LatLng; accuracy?: number; recordedAt?: string } = {},
    ) =>
      app.inject({
        method: 'PUT',
        url: `/api/events/${plan.id}/contingents/${contingentId}/position`,
        headers: as?.headers ?? {},
        payload: { position: PERSHING_SQUARE, accuracy: 12, recordedAt: secondsAgo(1), ...body },
      });
    const setStatus = (as: Session, contingentId: string, status: string) =>
      app.inject({
        method: 'PUT',
        url: `/api/events/${plan.id}/contingents/${contingentId}/status`,
        headers: as.headers,
        payload: { status },
      });
    const planAs = (as: Session) => app.send<EventPlan>(as, 'GET', `/api/events/${plan.id}`);
    return {
      app,
      ...m,
      leaderB,
      volunteerAtLarge,
      report,
      setStatus,
      planAs,
    };
  }

  describe('PUT /api/events/:eventId/contingents/:contingentId/position', () => {
    it('keeps only the latest position, and redacts the report it replaces from the change log', async () => {
      const { app, admin, event, a, leaderA, report } = await march();
      expect((await report(leaderA, a.id, { recordedAt: secondsAgo(20) })).statusCode).toBe(200);
      await app.letReportIntervalPass(a.id);
      const latest = await report(leaderA, a.id, { position: CITY_HALL, accuracy: 8 });
      expect(latest.statusCode).toBe(200);
      expect(latest.json()).toMatchObject({
        contingentId: a.id,
        position: CITY_HALL,
        coarse: false,
      });

      const kept = await app.app.db
        .select()
        .from(contingentPositions)
        .where(eq(contingentPositions.eventId, event.id));
      expect(kept.map((row) => [row.lat, row.lng, row.accuracy])).toEqual([
        [CITY_HALL.lat, CITY_HALL.lng, 8],
      ]);
      const records = await app.app.db
        .select()
        .from(changeRecords)
        .where(
          and(eq(changeRecords.eventId, event.id), eq(changeRecords.type, 'contingent.position')),
        )
        .orderBy(asc(changeRecords.seq));
      expect(records.map((r) => r.payload)).toEqual([
        { contingentId: a.id, superseded: true },
        { position: latest.json(), membersSee: false },
      ]);

      const replay = await LiveClient.connect(base, {
        origin: base,
        eventId: event.id,
        since: 0,
        token: admin.token,
      });
      try {
        const lastSeq = (await app.send<EventPlan>(admin, 'GET', `/api/events/${event.id}`))
          .lastSeq;
        await replay.until((m) => m.at(-1)?.seq === lastSeq);
        const positions = replay.messages.filter((m) => m.type === 'contingent.position');
        expect(positions.map((m) => m.data)).toEqual([latest.json()]);
        expect(JSON.stringify(replay.messages)).not.toContain(String(PERSHING_SQUARE.lat));
      } finally {
        replay.close();
      }
    });

    it('refuses an accuracy over 1 km, a time ahead of the clock or over 5 minutes old, naming the field', async () => {
      const { a, leaderA, report } = await march();
      const refusals = [
        [{ accuracy: 1001 }, '/body/accuracy'],
        [{ accuracy: -1 }, '/body/accuracy'],
        [{ recordedAt: new Date(Date.now() + 10_000).toISOString() }, '/body/recordedAt'],
        [{ recordedAt: secondsAgo(5 * 60 + 10) }, '/body/recordedAt'],
        [{ recordedAt: 'yesterday' }, '/body/recordedAt'],
        [{ position: { lat: 91, lng: 0 } }, '/body/position/lat'],
      ] as const;
      for (const [body, field] of refusals) {
        const res = await report(leaderA, a.id, body);
        expect(res.statusCode, JSON.stringify(body)).toBe(400);
        expect(res.headers['content-type']).toContain('application/problem+json');
        expect(res.json().errors.map((e: { field: string }) => e.field)).toContain(field);
      }
    });

    it('accepts a phone clock up to 5 s ahead, and a report up to 5 minutes old', async () => {
      const { a, b, leaderA, leaderB, report } = await march();
      const ahead = await report(leaderA, a.id, {
        recordedAt: new Date(Date.now() + 3000).toISOString(),
      });
      expect(ahead.statusCode).toBe(200);
      const old = await report(leaderB, b.id, {
        recordedAt: secondsAgo(4 * 60 + 50),
        accuracy: 1000,
      });
      expect(old.statusCode).toBe(200);
    });

    it('answers 429 with Retry-After to a second report within 2 s, and keeps the first', async () => {
      const { a, leaderA, planAs, report } = await march();
      expect((await report(leaderA, a.id, { recordedAt: secondsAgo(2) })).statusCode).toBe(200);
      const tooSoon = await report(leaderA, a.id, { position: CITY_HALL });
      expect(tooSoon.statusCode).toBe(429);
      expect(tooSoon.headers['content-type']).toContain('application/problem+json');
      expect(Number(tooSoon.headers['retry-after'])).toBeGreaterThanOrEqual(1);
      expect(Number(tooSoon.headers['retry-after'])).toBeLessThanOrEqual(2);
      expect((await planAs(leaderA)).positions.map((p) => p.position)).toEqual([PERSHING_SQUARE]);
    });

    it('answers 409 to a report measured before the one kept', async () => {
      const { app, a, leaderA, planAs, report } = await march();
      expect((await report(leaderA, a.id, { recordedAt: secondsAgo(10) })).statusCode).toBe(200);
      await app.letReportIntervalPass(a.id);
      const outdated = await report(leaderA, a.id, {
        position: CITY_HALL,
        recordedAt: secondsAgo(30),
      });
      expect(outdated.statusCode).toBe(409);
      expect(outdated.json().reason).toBe('position_outdated');
      expect((await planAs(leaderA)).positions.map((p) => p.position)).toEqual([PERSHING_SQUARE]);
    });

    it("lets only the contingent's leader or a coordinator report it", async () => {
      const { admin, a, b, leaderB, volunteerA, report } = await march();
      expect((await report(volunteerA, a.id)).statusCode).toBe(403);
      expect((await report(leaderB, a.id)).statusCode).toBe(403);
      expect((await report(null, a.id)).statusCode).toBe(401);
      expect((await report(admin, b.id)).statusCode).toBe(200);
    });
  });

  describe('PUT /api/events/:eventId/contingents/:contingentId/status', () => {
    it('lets the leader or a coordinator set the status, not a volunteer or another leader', async () => {
      const { admin, a, leaderA, leaderB, volunteerA, setStatus, planAs } = await march();
      const marching = await setStatus(leaderA, a.id, 'marching');
      expect(marching.statusCode).toBe(200);
      expect(marching.json()).toMatchObject({ contingentId: a.id, status: 'marching' });
      expect((await setStatus(volunteerA, a.id, 'dispersed')).statusCode).toBe(403);
      expect((await setStatus(leaderB, a.id, 'dispersed')).statusCode).toBe(403);
      expect((await planAs(admin)).contingents.find((c) => c.id === a.id)?.status).toBe('marching');
      expect((await setStatus(admin, a.id, 'arrived')).statusCode).toBe(200);
      expect((await setStatus(admin, a.id, 'lost')).statusCode).toBe(400);
      const seenByVolunteer = (await planAs(volunteerA)).contingents;
      expect(seenByVolunteer.map((c) => [c.id, c.status])).toEqual([[a.id, 'arrived']]);
    });
  });

  describe('GET /api/events/:eventId positions', () => {
    async function positionsSeen(share: boolean) {
      const m = await march({ shareContingentPositions: share });
      expect((await m.report(m.leaderA, m.a.id, { accuracy: 30 })).statusCode).toBe(200);
      expect((await m.report(m.leaderB, m.b.id, { position: CITY_HALL })).statusCode).toBe(200);
      const seen = async (as: Session) =>
        (await m.planAs(as)).positions
          .map((p: ContingentPosition) => ({
            contingent: p.contingentId === m.a.id ? 'A' : 'B',
            position: p.position,
            accuracy: p.accuracy,
            coarse: p.coarse,
          }))
          .sort((x, y) => x.contingent.localeCompare(y.contingent));
      return {
        coordinator: await seen(m.admin),
        leaderA: await seen(m.leaderA),
        volunteerA: await seen(m.volunteerA),
        volunteerAtLarge: await seen(m.volunteerAtLarge),
      };
    }
    const exactA = { contingent: 'A', position: PERSHING_SQUARE, accuracy: 30, coarse: false };
    const exactB = { contingent: 'B', position: CITY_HALL, accuracy: 12, coarse: false };

    it('shows coordinators every position, a leader their own, volunteers none unless shared', async () => {
      expect(await positionsSeen(false)).toEqual({
        coordinator: [exactA, exactB],
        leaderA: [exactA],
        volunteerA: [],
        volunteerAtLarge: [],
      });
    });

    it("shows a volunteer their own contingent's position to about 200 m when the event shares it", async () => {
      const seen = await positionsSeen(true);
      expect(seen.volunteerA).toEqual([
        { contingent: 'A', position: coarsen(PERSHING_SQUARE), accuracy: 200, coarse: true },
      ]);
      expect(seen.volunteerA[0]!.position).not.toEqual(PERSHING_SQUARE);
      expect(seen.leaderA).toEqual([exactA]);
      expect(seen.volunteerAtLarge).toEqual([]);
    });

    it('applies a change of sharing to the kept position, on replay as in the plan', async () => {
      const { app, admin, event, a, leaderA, volunteerA, report } = await march({
        shareContingentPositions: true,
      });
      expect((await report(leaderA, a.id)).statusCode).toBe(200);
      const path = `/api/events/${event.id}`;
      const replayed = async () => {
        const client = await LiveClient.connect(base, {
          origin: base,
          eventId: event.id,
          since: 0,
          token: volunteerA.token,
        });
        await client.until((all) => all.some((x) => x.type === 'event.updated'));
        client.close();
        return client.messages.filter((x) => x.type === 'contingent.position');
      };

      await app.send(admin, 'PATCH', path, { shareContingentPositions: false });
      expect(await replayed()).toEqual([]);
      expect((await app.send<EventPlan>(volunteerA, 'GET', path)).positions).toEqual([]);

      await app.send(admin, 'PATCH', path, { shareContingentPositions: true });
      const [position] = await replayed();
      expect(position?.data).toMatchObject({ position: coarsen(PERSHING_SQUARE), coarse: true });
    });
  });

  describe('POST /api/events/:eventId/announcements', () => {
    async function announce(app: TestApp, as: Session, eventId: string, body: object) {
      return app.inject({
        method: 'POST',
        url: `/api/events/${eventId}/announcements`,
        headers: as.headers,
        payload: body,
      });
    }

    it('lets only coordinators announce', async () => {
      const { app, admin, event, a, leaderA, volunteerA } = await march();
      const body = { target: 'contingent', contingentId: a.id, body: 'Water at the corner' };
      expect((await announce(app, leaderA, event.id, body)).statusCode).toBe(403);
      expect((await announce(app, volunteerA, event.id, body)).statusCode).toBe(403);
      const made = await announce(app, admin, event.id, body);
      expect(made.statusCode).toBe(201);
      expect(made.json()).toMatchObject({
        target: 'contingent',
        contingentId: a.id,
        authorName: 'Admin',
      });
    });

    it('refuses, naming the field, a target that is missing, superfluous or not of this event', async () => {
      const { app, admin, event, a } = await march();
      const other = await app.newEvent(admin, { name: 'Another march' });
      const elsewhere = await app.newContingent(admin, other.id);
      const cases = [
        [{ target: 'contingent', body: 'Hi' }, '/body/contingentId'],
        [{ target: 'role', body: 'Hi' }, '/body/roleSlotId'],
        [{ target: 'event', contingentId: a.id, body: 'Hi' }, '/body/contingentId'],
        [{ target: 'contingent', contingentId: elsewhere.id, body: 'Hi' }, '/body/contingentId'],
        [{ target: 'role', roleSlotId: a.id, body: 'Hi' }, '/body/roleSlotId'],
        [{ target: 'event', body: '   ' }, '/body/body'],
        [{ target: 'event', body: 'x'.repeat(501) }, '/body/body'],
      ] as const;
      for (const [body, field] of cases) {
        const res = await announce(app, admin, event.id, body);
        expect(res.statusCode, JSON.stringify(body)).toBe(400);
        expect(res.json().errors.map((e: { field: string }) => e.field)).toEqual([field]);
      }
      const listed = await app.send<Announcement[]>(
        admin,
        'GET',
        `/api/events/${event.id}/announcements`,
      );
      expect(listed).toEqual([]);
    });

    it('lists to each person what was addressed to them, newest first', async () => {
      const m = await march();
      const { app, admin, event } = m;
      const marshal = await app.send<RoleSlot>(
        admin,
        'POST',
        `/api/events/${event.id}/role-slots`,
        {
          contingentId: m.a.id,
          name: 'Marshal',
          capacity: 2,
        },
      );
      await app.send(
        m.volunteerA,
        'POST',
        `/api/events/${event.id}/role-slots/${marshal.id}/claims`,
      );
      const send = (body: object) =>
        app.send(admin, 'POST', `/api/events/${event.id}/announcements`, body);
      await send({ target: 'event', body: 'Step off at ten' });
      await send({ target: 'contingent', contingentId: m.a.id, body: 'A: banners up' });
      await send({ target: 'contingent', contingentId: m.b.id, body: 'B: wait at Fifth' });
      await send({ target: 'role', roleSlotId: marshal.id, body: 'Marshals: vests on' });
      const listed = async (as: Session) =>
        (await app.send<Announcement[]>(as, 'GET', `/api/events/${event.id}/announcements`)).map(
          (x) => x.body,
        );
      expect(await listed(admin)).toEqual([
        'Marshals: vests on',
        'B: wait at Fifth',
        'A: banners up',
        'Step off at ten',
      ]);
      expect(await listed(m.leaderA)).toEqual([
        'Marshals: vests on',
        'A: banners up',
        'Step off at ten',
      ]);
      expect(await listed(m.volunteerA)).toEqual([
        'Marshals: vests on',
        'A: banners up',
        'Step off at ten',
      ]);
      expect(await listed(m.leaderB)).toEqual(['B: wait at Fifth', 'Step off at ten']);
      expect(await listed(m.volunteerAtLarge)).toEqual(['Step off at ten']);
    });
  });
});

describe('coarsen', () => {
  /** A deterministic spread of points around Los Angeles (a tiny linear congruential generator). */
  function pointsNear(centre: LatLng, count: number, spreadDeg: number): LatLng[] {
    let state = 42;
    const next = () => {
      state = (state * 1_103_515_245 + 12_345) % 2 ** 31;
      return state / 2 ** 31 - 0.5;
    };
    return Array.from({ length: count }, () => ({
      lat: centre.lat + next() * spreadDeg,
      lng: centre.lng + next() * spreadDeg,
    }));
  }

  it('maps every point to a cell centre at most ~200 m away, the same every time', () => {
    for (const point of pointsNear(PERSHING_SQUARE, 2000, 0.2)) {
      const centre = coarsen(point);
      expect(metres(point, centre)).toBeLessThanOrEqual(150);
      expect(coarsen(point)).toEqual(centre);
      expect(coarsen(centre)).toEqual(centre);
    }
  });

  it('maps every point of one cell to the same centre, and neighbouring cells to other centres', () => {
    const centre = coarsen(PERSHING_SQUARE);
    const inside = pointsNear(centre, 500, 0.0015).filter(
      (p) => metres(p, centre) < 60, // well inside a cell of about 200 m by 200 m
    );
    expect(inside.length).toBeGreaterThan(100);
    for (const point of inside) expect(coarsen(point)).toEqual(centre);
    const north = coarsen({ lat: centre.lat + 0.0018, lng: centre.lng });
    const east = coarsen({ lat: centre.lat, lng: centre.lng + 0.0022 });
    for (const neighbour of [north, east]) {
      expect(neighbour).not.toEqual(centre);
      expect(metres(neighbour, centre)).toBeGreaterThan(150);
      expect(metres(neighbour, centre)).toBeLessThan(250);
    }
  });

  it('keeps cells about 200 m wide far from the equator too', () => {
    const oslo = { lat: 59.9139, lng: 10.7522 };
    const centre = coarsen(oslo);
    const east = coarsen({ lat: centre.lat, lng: centre.lng + 200 / (111_320 * Math.cos(1.0457)) });
    expect(metres(oslo, centre)).toBeLessThanOrEqual(150);
    expect(metres(east, centre)).toBeGreaterThan(150);
    expect(metres(east, centre)).toBeLessThan(250);
  });
});

describe('marchProgress', () => {
  // Due north along one meridian from 34.000 to 34.020, then due east: 1° of latitude is
  // 111 195 m on the sphere the code uses.
  const LNG = -118.25;
  const route: LineString = {
    type: 'LineString',
    coordinates: [
      [LNG, 34.0],
      [LNG, 34.02],
      [LNG + 0.01, 34.02],
    ],
  };
  const northLeg = 0.02 * 111_195;
  const eastLeg = 0.01 * 111_195 * Math.cos((34.02 * Math.PI) / 180);
  const now = Date.parse('2027-05-01T18:00:00Z');
  const at = (secondsBefore: number) => new Date(now - secondsBefore * 1000).toISOString();
  const staleAfterMs = 2 * 60_000;

  it('orders contingents by how far along the route they are, with the gap to the one ahead', () => {
    const progress = marchProgress(
      route,
      null,
      [
        { contingentId: 'tail', position: { lat: 34.005, lng: LNG }, recordedAt: at(10) },
        { contingentId: 'head', position: { lat: 34.02, lng: LNG + 0.005 }, recordedAt: at(10) },
        { contingentId: 'middle', position: { lat: 34.015, lng: LNG + 0.001 }, recordedAt: at(10) },
      ],
      now,
      staleAfterMs,
    );
    expect(progress.map((p) => [p.contingentId, p.observedOrder])).toEqual([
      ['head', 1],
      ['middle', 2],
      ['tail', 3],
    ]);
    const [head, middle, tail] = progress;
    expect(head!.alongM).toBeCloseTo(northLeg + eastLeg / 2, -1);
    expect(middle!.alongM).toBeCloseTo(0.015 * 111_195, -1);
    expect(tail!.alongM).toBeCloseTo(0.005 * 111_195, -1);
    expect(middle!.offRouteM).toBeCloseTo(0.001 * 111_195 * Math.cos((34.015 * Math.PI) / 180), -1);
    expect(head!.gapAheadM).toBeNull();
    // Rounded once from the exact distances, so within a metre of the rounded difference.
    expect(Math.abs(middle!.gapAheadM! - (head!.alongM - middle!.alongM))).toBeLessThanOrEqual(1);
    expect(tail!.gapAheadM).toBeCloseTo(0.01 * 111_195, -1);
    expect(tail!.percent).toBe(Math.round(((0.005 * 111_195) / (northLeg + eastLeg)) * 100));
  });

  it('measures from the assembly point: behind it is negative and 0 %, the end is 100 %', () => {
    const progress = marchProgress(
      route,
      { lat: 34.01, lng: LNG },
      [
        { contingentId: 'late', position: { lat: 34.005, lng: LNG }, recordedAt: at(10) },
        {
          contingentId: 'there',
          position: { lat: 34.0205, lng: LNG + 0.0101 },
          recordedAt: at(10),
        },
      ],
      now,
      staleAfterMs,
    );
    const byId = Object.fromEntries(progress.map((p) => [p.contingentId, p]));
    expect(byId.late!.alongM).toBeCloseTo(-0.005 * 111_195, -1);
    expect(byId.late!.percent).toBe(0);
    expect(byId.there!.percent).toBe(100);
    expect(byId.there!.alongM).toBeCloseTo(0.01 * 111_195 + eastLeg, -1);
  });

  it('marks a position older than the stale limit as stale', () => {
    const [fresh, stale] = marchProgress(
      route,
      null,
      [
        { contingentId: 'fresh', position: { lat: 34.01, lng: LNG }, recordedAt: at(119) },
        { contingentId: 'stale', position: { lat: 34.001, lng: LNG }, recordedAt: at(121) },
      ],
      now,
      staleAfterMs,
    );
    expect([fresh!.contingentId, fresh!.stale]).toEqual(['fresh', false]);
    expect([stale!.contingentId, stale!.stale]).toEqual(['stale', true]);
  });

  it('answers nothing for no positions', () => {
    expect(marchProgress(route, null, [], now, staleAfterMs)).toEqual([]);
  });
});
