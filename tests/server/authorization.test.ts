// Who may call what: one table of every API operation × every kind of caller → the status
// they get. A caller who is refused changes nothing; a caller who is let through really did
// what they asked. A route the API documents without a row here fails the suite.
import { eq } from 'drizzle-orm';
import type { InjectOptions, LightMyRequestResponse } from 'fastify';
import { beforeAll, describe, expect, it } from 'vitest';
import { people, sessions } from '../../drizzle/schema.ts';
import type { Contingent } from '../../server/features/contingents/schemas.ts';
import type { EventPlan, EventSummary } from '../../server/features/events/schemas.ts';
import type { CreatedInvite, Invite } from '../../server/features/invites/schemas.ts';
import type { MeetingPoint } from '../../server/features/meeting-points/schemas.ts';
import type { Person } from '../../server/features/people/schemas.ts';
import { hashToken, newToken } from '../../server/tokens.ts';
import { type Session, type TestApp, useTestApp } from '../helpers/app.ts';
import { databaseKinds } from '../helpers/databases.ts';

const ROLES = [
  'anonymous',
  'volunteer of A',
  'leader of A',
  'leader of B',
  'coordinator',
  'coordinator of another event',
  'administrator',
] as const;
type Role = (typeof ROLES)[number];
type Statuses = readonly [number, number, number, number, number, number, number];
type Method = NonNullable<InjectOptions['method']>;

// Columns in the order of ROLES. "coord" is the coordinator of the event the route names,
// "other" a coordinator of another event; A and B are contingents of the named event.
// prettier-ignore
const MATRIX = [
  //                                                                                   anon  volA  ldrA  ldrB coord other admin
  ['listEvents',         'GET /api/events',                                             401,  200,  200,  200,  200,  200,  200],
  ['createEvent',        'POST /api/events',                                            401,  403,  403,  403,  403,  403,  201],
  ['getEvent',           'GET /api/events/:eventId',                                    401,  200,  200,  200,  200,  403,  200],
  ['updateEvent',        'PATCH /api/events/:eventId',                                  401,  403,  403,  403,  200,  403,  200],
  ['importRouteGpx',     'POST /api/events/:eventId/route/gpx',                         401,  403,  403,  403,  200,  403,  200],
  ['createContingent',   'POST /api/events/:eventId/contingents',                       401,  403,  403,  403,  201,  403,  201],
  ['updateContingent',   'PATCH /api/events/:eventId/contingents/:contingentId',        401,  403,  403,  403,  200,  403,  200],
  ['deleteContingent',   'DELETE /api/events/:eventId/contingents/:contingentId',       401,  403,  403,  403,  204,  403,  204],
  ['reorderContingents', 'PUT /api/events/:eventId/contingent-order',                   401,  403,  403,  403,  200,  403,  200],
  ['createMeetingPoint', 'POST /api/events/:eventId/meeting-points',                    401,  403,  403,  403,  201,  403,  201],
  ['updateMeetingPoint', 'PATCH /api/events/:eventId/meeting-points/:meetingPointId',   401,  403,  403,  403,  200,  403,  200],
  ['deleteMeetingPoint', 'DELETE /api/events/:eventId/meeting-points/:meetingPointId',  401,  403,  403,  403,  204,  403,  204],
  ['createInvite',       'POST /api/events/:eventId/invites',                           401,  403,  403,  403,  201,  403,  201],
  ['listInvites',        'GET /api/events/:eventId/invites',                            401,  403,  403,  403,  200,  403,  200],
  ['revokeInvite',       'DELETE /api/events/:eventId/invites/:inviteId',               401,  403,  403,  403,  204,  403,  204],
  ['listPeople',         'GET /api/events/:eventId/people',                             401,  403,  403,  403,  200,  403,  200],
  ['getMe',              'GET /api/me',                                                 401,  200,  200,  200,  200,  200,  200],
  ['logout',             'POST /api/logout',                                            204,  204,  204,  204,  204,  204,  204],
  ['joinWithInvite',     'POST /api/join',                                              200,  200,  200,  200,  200,  200,  200],
  ['getClientConfig',    'GET /api/config',                                             200,  200,  200,  200,  200,  200,  200],
] as const satisfies readonly (readonly [string, `${Method} /api${string}`, ...Statuses])[];

type OperationId = (typeof MATRIX)[number][0];

/** The people and plan every cell works on. */
interface Cast {
  app: TestApp;
  event: EventPlan;
  otherEvent: EventPlan;
  a: Contingent;
  b: Contingent;
  as: Record<Role, Session | null>;
}

interface Cell {
  cast: Cast;
  role: Role;
  /** The role's column, to make each cell's changes distinguishable. */
  column: number;
}

interface Prepared {
  params?: Record<string, string>;
  payload?: object;
  /** Sends as this session instead of the role's shared one. */
  session?: Session;
}

interface Recipe {
  /** Makes what the request needs; fresh fixtures for anything it would change or use up. */
  prepare?(cell: Cell): Promise<Prepared> | Prepared;
  /** Checks, after a 2xx, that the request did what it says. */
  succeeded?(cell: Cell, res: LightMyRequestResponse, prepared: Prepared): Promise<void> | void;
}

const DAY = 24 * 60 * 60 * 1000;

function plan(cast: Cast): Promise<EventPlan> {
  return cast.app.send<EventPlan>(cast.as.coordinator, 'GET', `/api/events/${cast.event.id}`);
}

function invitesOf(cast: Cast): Promise<Invite[]> {
  return cast.app.send<Invite[]>(
    cast.as.coordinator,
    'GET',
    `/api/events/${cast.event.id}/invites`,
  );
}

/** Everything a refused request could have touched, as the event's coordinator sees it. */
async function snapshot(cast: Cast) {
  const { app, as, event } = cast;
  const [events, seen, invites, joined] = await Promise.all([
    app.send<EventSummary[]>(as.administrator, 'GET', '/api/events'),
    plan(cast),
    invitesOf(cast),
    app.send<Person[]>(as.coordinator, 'GET', `/api/events/${event.id}/people`),
  ]);
  return { events, plan: seen, invites, people: joined };
}

function spareContingent({ cast, role }: Cell): Promise<Contingent> {
  return cast.app.newContingent(cast.as.administrator!, cast.event.id, {
    name: `Spare for ${role}`,
  });
}

function spareMeetingPoint({ cast, role }: Cell): Promise<MeetingPoint> {
  return cast.app.newMeetingPoint(cast.as.administrator!, cast.event.id, {
    name: `Spare for ${role}`,
  });
}

function spareInvite({ cast, role }: Cell): Promise<CreatedInvite> {
  return cast.app.send<CreatedInvite>(
    cast.as.administrator,
    'POST',
    `/api/events/${cast.event.id}/invites`,
    { role: 'volunteer', contingentId: cast.a.id, label: `Spare for ${role}` },
  );
}

/** A second session of the same person, so logging it out leaves the shared one alone. */
async function secondSession(app: TestApp, session: Session): Promise<Session> {
  const [person] = await app.app.db
    .select({ inviteId: people.inviteId })
    .from(people)
    .where(eq(people.id, session.person.id));
  const token = newToken();
  await app.app.db.insert(sessions).values({
    tokenHash: hashToken(token),
    personId: session.person.id,
    inviteId: session.person.role === 'administrator' ? null : person!.inviteId,
    expiresAt: new Date(Date.now() + DAY),
  });
  return { person: session.person, token, headers: { authorization: `Bearer ${token}` } };
}

function gpxStartingAt(lat: number, lon: number): string {
  return `<gpx><trk><trkseg><trkpt lat="${lat}" lon="${lon}"/><trkpt lat="34.0537" lon="-118.2437"/></trkseg></trk></gpx>`;
}

const RECIPES: Record<OperationId, Recipe> = {
  listEvents: {
    succeeded({ cast, role }, res) {
      const ids = res.json<EventSummary[]>().map((e) => e.id);
      if (role === 'administrator') {
        expect(ids).toEqual(expect.arrayContaining([cast.event.id, cast.otherEvent.id]));
      } else {
        expect(ids).toEqual([cast.as[role]!.person.eventId]);
      }
    },
  },
  createEvent: {
    prepare: () => ({
      payload: { name: 'Second march', date: '2027-05-01', startTime: '12:00', timezone: 'UTC' },
    }),
    async succeeded({ cast }, res) {
      const created = res.json<EventPlan>();
      const read = await cast.app.send<EventPlan>(
        cast.as.administrator,
        'GET',
        `/api/events/${created.id}`,
      );
      expect(read.name).toBe('Second march');
    },
  },
  getEvent: {
    succeeded({ cast }, res) {
      expect(res.json<EventPlan>().id).toBe(cast.event.id);
    },
  },
  updateEvent: {
    prepare: ({ role }) => ({ payload: { description: `Changed by ${role}` } }),
    async succeeded({ cast, role }) {
      expect((await plan(cast)).description).toBe(`Changed by ${role}`);
    },
  },
  importRouteGpx: {
    prepare: ({ column }) => ({ payload: { gpx: gpxStartingAt(34 + column / 100, -118.2776) } }),
    async succeeded({ cast, column }) {
      expect((await plan(cast)).route!.coordinates[0]).toEqual([-118.2776, 34 + column / 100]);
    },
  },
  createContingent: {
    prepare: ({ role }) => ({ payload: { name: `Made by ${role}` } }),
    async succeeded({ cast, role }, res) {
      const made = res.json<Contingent>();
      expect((await plan(cast)).contingents).toContainEqual(
        expect.objectContaining({ id: made.id, name: `Made by ${role}` }),
      );
    },
  },
  updateContingent: {
    prepare: async (cell) => ({
      params: { contingentId: (await spareContingent(cell)).id },
      payload: { name: `Renamed by ${cell.role}` },
    }),
    async succeeded({ cast, role }, _res, { params }) {
      expect((await plan(cast)).contingents).toContainEqual(
        expect.objectContaining({ id: params!.contingentId, name: `Renamed by ${role}` }),
      );
    },
  },
  deleteContingent: {
    prepare: async (cell) => ({ params: { contingentId: (await spareContingent(cell)).id } }),
    async succeeded({ cast }, _res, { params }) {
      expect((await plan(cast)).contingents.map((c) => c.id)).not.toContain(params!.contingentId);
    },
  },
  reorderContingents: {
    prepare: async ({ cast }) => ({
      payload: { contingentIds: (await plan(cast)).contingents.map((c) => c.id).reverse() },
    }),
    async succeeded({ cast }, _res, { payload }) {
      const order = (await plan(cast)).contingents.map((c) => c.id);
      expect(order).toEqual((payload as { contingentIds: string[] }).contingentIds);
    },
  },
  createMeetingPoint: {
    prepare: ({ role }) => ({
      payload: { name: `Made by ${role}`, position: { lat: 34.05, lng: -118.25 } },
    }),
    async succeeded({ cast, role }, res) {
      const made = res.json<MeetingPoint>();
      expect((await plan(cast)).meetingPoints).toContainEqual(
        expect.objectContaining({ id: made.id, name: `Made by ${role}` }),
      );
    },
  },
  updateMeetingPoint: {
    prepare: async (cell) => ({
      params: { meetingPointId: (await spareMeetingPoint(cell)).id },
      payload: { position: { lat: 34 + cell.column / 100, lng: -118.3 } },
    }),
    async succeeded({ cast, column }, _res, { params }) {
      expect((await plan(cast)).meetingPoints).toContainEqual(
        expect.objectContaining({
          id: params!.meetingPointId,
          position: { lat: 34 + column / 100, lng: -118.3 },
        }),
      );
    },
  },
  deleteMeetingPoint: {
    prepare: async (cell) => ({ params: { meetingPointId: (await spareMeetingPoint(cell)).id } }),
    async succeeded({ cast }, _res, { params }) {
      const ids = (await plan(cast)).meetingPoints.map((m) => m.id);
      expect(ids).not.toContain(params!.meetingPointId);
    },
  },
  createInvite: {
    prepare: ({ role }) => ({ payload: { role: 'volunteer', label: `Made by ${role}` } }),
    async succeeded({ cast, role }, res) {
      const made = res.json<CreatedInvite>();
      expect(await invitesOf(cast)).toContainEqual(
        expect.objectContaining({ id: made.invite.id, label: `Made by ${role}` }),
      );
    },
  },
  listInvites: {
    succeeded({ cast }, res) {
      const joined = res.json<Invite[]>().flatMap((i) => i.joined.map((p) => p.id));
      expect(joined).toContain(cast.as.coordinator!.person.id);
      expect(joined).not.toContain(cast.as['coordinator of another event']!.person.id);
    },
  },
  revokeInvite: {
    prepare: async (cell) => ({ params: { inviteId: (await spareInvite(cell)).invite.id } }),
    async succeeded({ cast }, _res, { params }) {
      const revoked = (await invitesOf(cast)).find((i) => i.id === params!.inviteId);
      expect(revoked!.revokedAt).not.toBeNull();
    },
  },
  listPeople: {
    succeeded({ cast }, res) {
      const ids = res.json<Person[]>().map((p) => p.id);
      expect(ids).toContain(cast.as['volunteer of A']!.person.id);
      expect(ids).not.toContain(cast.as['coordinator of another event']!.person.id);
    },
  },
  getMe: {
    succeeded({ cast, role }, res) {
      expect(res.json<Person>().id).toBe(cast.as[role]!.person.id);
    },
  },
  logout: {
    prepare: async ({ cast, role }) => {
      const shared = cast.as[role];
      return shared ? { session: await secondSession(cast.app, shared) } : {};
    },
    async succeeded({ cast, role }, res, { session }) {
      expect(res.cookies).toContainEqual(
        expect.objectContaining({ name: 'muster_session', value: '' }),
      );
      if (!session) return;
      const me = (as: Session) =>
        cast.app.inject({ method: 'GET', url: '/api/me', headers: as.headers });
      expect((await me(session)).statusCode).toBe(401);
      expect((await me(cast.as[role]!)).statusCode).toBe(200);
    },
  },
  joinWithInvite: {
    prepare: async (cell) => ({
      payload: { token: (await spareInvite(cell)).token, displayName: `Joined as ${cell.role}` },
    }),
    async succeeded({ cast, role }, res) {
      const joined = res.json<Person>();
      expect(joined).toMatchObject({
        displayName: `Joined as ${role}`,
        role: 'volunteer',
        eventId: cast.event.id,
        contingentId: cast.a.id,
      });
      const cookie = res.cookies.find((c) => c.name === 'muster_session')!;
      const me = await cast.app.inject({
        method: 'GET',
        url: '/api/me',
        cookies: { muster_session: cookie.value },
      });
      expect(me.json<Person>().id).toBe(joined.id);
    },
  },
  getClientConfig: {
    succeeded(_cell, res) {
      expect(res.json()).toMatchObject({ tileUrl: expect.stringContaining('{z}') });
    },
  },
};

function urlOf(path: string, cast: Cast, params: Record<string, string> = {}): string {
  const values: Record<string, string> = { eventId: cast.event.id, ...params };
  return path.replace(/:(\w+)/g, (_, name: string) => values[name] ?? `:${name}`);
}

describe.each(databaseKinds)('who may do what on %s', (kind) => {
  const t = useTestApp(kind);
  let cast: Cast;

  beforeAll(async () => {
    const app = t();
    const administrator = await app.administrator();
    const event = await app.newEvent(administrator);
    const otherEvent = await app.newEvent(administrator, { name: 'May Day — Chicago' });
    const a = await app.newContingent(administrator, event.id, { name: 'A' });
    const b = await app.newContingent(administrator, event.id, { name: 'B' });
    await app.newMeetingPoint(administrator, event.id);
    cast = {
      app,
      event,
      otherEvent,
      a,
      b,
      as: {
        anonymous: null,
        'volunteer of A': await app.invited(administrator, event.id, 'volunteer', a.id),
        'leader of A': await app.invited(administrator, event.id, 'leader', a.id),
        'leader of B': await app.invited(administrator, event.id, 'leader', b.id),
        coordinator: await app.invited(administrator, event.id, 'coordinator'),
        'coordinator of another event': await app.invited(
          administrator,
          otherEvent.id,
          'coordinator',
        ),
        administrator,
      },
    };
  });

  describe('the matrix', () => {
    it('has a row for every operation the API documents, with its method and path', async () => {
      const res = await t().inject({ method: 'GET', url: '/api/openapi.json' });
      const paths = res.json<{ paths: Record<string, Record<string, { operationId: string }>> }>()
        .paths;
      const documented = Object.entries(paths).flatMap(([path, operations]) =>
        Object.entries(operations).map(
          ([method, op]) =>
            `${op.operationId} ${method.toUpperCase()} ${path.replace(/\{(\w+)\}/g, ':$1')}`,
        ),
      );
      const tabled = MATRIX.map(([operationId, route]) => `${operationId} ${route}`);
      expect(documented.length).toBeGreaterThan(0);
      expect([...tabled].sort()).toEqual([...documented].sort());
    });
  });

  for (const [operationId, route, ...statuses] of MATRIX) {
    const [method, path] = route.split(' ') as [Method, string];
    const recipe = RECIPES[operationId];

    describe(route, () => {
      for (const [column, role] of ROLES.entries()) {
        const status = statuses[column]!;

        it(`${role} → ${route} → ${status}`, async () => {
          const cell: Cell = { cast, role, column };
          const prepared = (await recipe.prepare?.(cell)) ?? {};
          const session = prepared.session ?? cast.as[role];
          const before = status >= 300 ? await snapshot(cast) : null;

          const res = await cast.app.inject({
            method,
            url: urlOf(path, cast, prepared.params),
            headers: session?.headers ?? {},
            ...(prepared.payload ? { payload: prepared.payload } : {}),
          });

          expect(res.statusCode, res.body).toBe(status);
          if (before) {
            expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
            expect(res.json()).toMatchObject({ status, title: expect.any(String) });
            expect(await snapshot(cast)).toEqual(before);
          } else {
            await recipe.succeeded?.(cell, res, prepared);
          }
        });
      }
    });
  }

  describe('ids of one event sent under the URL of another', () => {
    // The coordinator of the other event may plan their own event, and must not reach into
    // this one by naming its contingents, meeting points or invites under their own URL.
    const cases: {
      what: string;
      method: Method;
      path: (c: Cast, own: string) => Promise<string> | string;
      payload?: (c: Cast) => object;
      status: number;
    }[] = [
      {
        what: "renames this event's contingent",
        method: 'PATCH',
        path: (c, own) => `/api/events/${own}/contingents/${c.a.id}`,
        payload: () => ({ name: 'Taken over' }),
        status: 404,
      },
      {
        what: "deletes this event's contingent",
        method: 'DELETE',
        path: (c, own) => `/api/events/${own}/contingents/${c.b.id}`,
        status: 404,
      },
      {
        what: "moves this event's meeting point",
        method: 'PATCH',
        path: async (c, own) =>
          `/api/events/${own}/meeting-points/${(await plan(c)).meetingPoints[0]!.id}`,
        payload: () => ({ position: { lat: 0, lng: 0 } }),
        status: 404,
      },
      {
        what: "deletes this event's meeting point",
        method: 'DELETE',
        path: async (c, own) =>
          `/api/events/${own}/meeting-points/${(await plan(c)).meetingPoints[0]!.id}`,
        status: 404,
      },
      {
        what: "revokes this event's invite",
        method: 'DELETE',
        path: async (c, own) => `/api/events/${own}/invites/${(await invitesOf(c))[0]!.id}`,
        status: 404,
      },
      {
        what: "invites people into this event's contingent",
        method: 'POST',
        path: (_c, own) => `/api/events/${own}/invites`,
        payload: (c) => ({ role: 'leader', contingentId: c.a.id }),
        status: 400,
      },
      {
        what: "puts this event's contingent on their meeting point",
        method: 'POST',
        path: (_c, own) => `/api/events/${own}/meeting-points`,
        payload: (c) => ({ name: 'Lure', position: { lat: 1, lng: 1 }, contingentIds: [c.a.id] }),
        status: 400,
      },
      {
        what: "orders this event's contingents",
        method: 'PUT',
        path: (_c, own) => `/api/events/${own}/contingent-order`,
        payload: (c) => ({ contingentIds: [c.b.id, c.a.id] }),
        status: 400,
      },
    ];

    for (const { what, method, path, payload, status } of cases) {
      it(`refuses a coordinator of another event who ${what} → ${status}`, async () => {
        const other = cast.as['coordinator of another event']!;
        const url = await path(cast, cast.otherEvent.id);
        const before = await snapshot(cast);
        const res = await cast.app.inject({
          method,
          url,
          headers: other.headers,
          ...(payload ? { payload: payload(cast) } : {}),
        });
        expect(res.statusCode, res.body).toBe(status);
        expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
        expect(await snapshot(cast)).toEqual(before);
      });
    }
  });
});
