// Who may call what: one table of every API operation × every kind of caller → the status
// they get. A caller who is refused changes nothing; a caller who is let through really did
// what they asked. A route the API documents without a row here fails the suite.
import { asc, count, eq } from 'drizzle-orm';
import type { InjectOptions, LightMyRequestResponse } from 'fastify';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  checkIns,
  depots,
  idempotencyKeys,
  materialBalances,
  materialLevels,
  materialMovements,
  materialRequests,
  materials,
  people,
  sessions,
} from '../../drizzle/schema.ts';
import type { Announcement } from '../../server/features/announcements/schemas.ts';
import type { Attendance, CheckIn, MyCheckIn } from '../../server/features/attendance/schemas.ts';
import type { Contingent } from '../../server/features/contingents/schemas.ts';
import type { EventPlan, EventSummary } from '../../server/features/events/schemas.ts';
import type { CreatedInvite, Invite } from '../../server/features/invites/schemas.ts';
import type {
  Depot,
  Material,
  MaterialLevel,
  MaterialRequest,
  MaterialRequestDecision,
  MaterialStock,
  Movement,
  MovementPage,
  RecordedMovement,
  Stock,
} from '../../server/features/materials/schemas.ts';
import type { MeetingPoint } from '../../server/features/meeting-points/schemas.ts';
import type { Person } from '../../server/features/people/schemas.ts';
import {
  CONTINGENT_STATUSES,
  type ContingentPosition,
  type ContingentStatusResult,
} from '../../server/features/positions/schemas.ts';
import type { Claim, RoleSlot } from '../../server/features/roles/schemas.ts';
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
// Claims, assignments, releases and waitlists work on a fresh role slot of contingent A (so
// the leader of B is refused as an outsider), the members, roster, status and position rows
// on contingent A (positions of coordinators on fresh contingents: see reportPosition's
// recipe). A plain GET of the live socket answers 426 to whoever may open it. Movements hand
// out one copy of the cast's paper from A; levels are set for A on a fresh material, and
// decisions fulfil a fresh request of A from the depot. Check-ins are the caller's own: each
// cell checks its caller out before checking in, and in before reading or undoing its own.
// prettier-ignore
const MATRIX = [
  //                                                                                           anon  volA  ldrA  ldrB coord other admin
  ['listEvents',            'GET /api/events',                                                 401,  200,  200,  200,  200,  200,  200],
  ['createEvent',           'POST /api/events',                                                401,  403,  403,  403,  403,  403,  201],
  ['getEvent',              'GET /api/events/:eventId',                                        401,  200,  200,  200,  200,  403,  200],
  ['updateEvent',           'PATCH /api/events/:eventId',                                      401,  403,  403,  403,  200,  403,  200],
  ['importRouteGpx',        'POST /api/events/:eventId/route/gpx',                             401,  403,  403,  403,  200,  403,  200],
  ['createContingent',      'POST /api/events/:eventId/contingents',                           401,  403,  403,  403,  201,  403,  201],
  ['updateContingent',      'PATCH /api/events/:eventId/contingents/:contingentId',            401,  403,  403,  403,  200,  403,  200],
  ['deleteContingent',      'DELETE /api/events/:eventId/contingents/:contingentId',           401,  403,  403,  403,  204,  403,  204],
  ['reorderContingents',    'PUT /api/events/:eventId/contingent-order',                       401,  403,  403,  403,  200,  403,  200],
  ['createMeetingPoint',    'POST /api/events/:eventId/meeting-points',                        401,  403,  403,  403,  201,  403,  201],
  ['updateMeetingPoint',    'PATCH /api/events/:eventId/meeting-points/:meetingPointId',       401,  403,  403,  403,  200,  403,  200],
  ['deleteMeetingPoint',    'DELETE /api/events/:eventId/meeting-points/:meetingPointId',      401,  403,  403,  403,  204,  403,  204],
  ['createInvite',          'POST /api/events/:eventId/invites',                               401,  403,  403,  403,  201,  403,  201],
  ['listInvites',           'GET /api/events/:eventId/invites',                                401,  403,  403,  403,  200,  403,  200],
  ['revokeInvite',          'DELETE /api/events/:eventId/invites/:inviteId',                   401,  403,  403,  403,  204,  403,  204],
  ['listPeople',            'GET /api/events/:eventId/people',                                 401,  403,  403,  403,  200,  403,  200],
  ['listRoleSlots',         'GET /api/events/:eventId/role-slots',                             401,  200,  200,  200,  200,  403,  200],
  ['createRoleSlot',        'POST /api/events/:eventId/role-slots',                            401,  403,  403,  403,  201,  403,  201],
  ['updateRoleSlot',        'PATCH /api/events/:eventId/role-slots/:slotId',                   401,  403,  403,  403,  200,  403,  200],
  ['deleteRoleSlot',        'DELETE /api/events/:eventId/role-slots/:slotId',                  401,  403,  403,  403,  204,  403,  204],
  ['claimRole',             'POST /api/events/:eventId/role-slots/:slotId/claims',             401,  201,  201,  403,  403,  403,  403],
  ['assignRole',            'POST /api/events/:eventId/role-slots/:slotId/assignments',        401,  403,  201,  403,  201,  403,  201],
  ['releaseRole',           'DELETE /api/events/:eventId/role-slots/:slotId/claims/:claimId',  401,  200,  200,  403,  200,  403,  200],
  ['joinWaitlist',          'POST /api/events/:eventId/role-slots/:slotId/waitlist',           401,  201,  201,  403,  403,  403,  403],
  ['leaveWaitlist',         'DELETE /api/events/:eventId/role-slots/:slotId/waitlist',         401,  204,  204,  404,  404,  403,  404],
  ['listMembers',           'GET /api/events/:eventId/contingents/:contingentId/members',      401,  403,  200,  403,  200,  403,  200],
  ['exportRoster',          'GET /api/events/:eventId/contingents/:contingentId/roster.csv',   401,  403,  200,  403,  200,  403,  200],
  ['reportPosition',        'PUT /api/events/:eventId/contingents/:contingentId/position',     401,  403,  200,  403,  200,  403,  200],
  ['setContingentStatus',   'PUT /api/events/:eventId/contingents/:contingentId/status',       401,  403,  200,  403,  200,  403,  200],
  ['createAnnouncement',    'POST /api/events/:eventId/announcements',                         401,  403,  403,  403,  201,  403,  201],
  ['listAnnouncements',     'GET /api/events/:eventId/announcements',                          401,  200,  200,  200,  200,  403,  200],
  ['checkIn',               'POST /api/events/:eventId/check-ins',                             401,  201,  201,  201,  201,  403,  403],
  ['getMyCheckIn',          'GET /api/events/:eventId/check-ins/me',                           401,  200,  200,  200,  200,  403,  403],
  ['undoCheckIn',           'DELETE /api/events/:eventId/check-ins/me',                        401,  204,  204,  204,  204,  403,  403],
  ['getAttendance',         'GET /api/events/:eventId/attendance',                             401,  403,  200,  200,  200,  403,  200],
  ['listMaterials',         'GET /api/events/:eventId/materials',                              401,  200,  200,  200,  200,  403,  200],
  ['createMaterial',        'POST /api/events/:eventId/materials',                             401,  403,  403,  403,  201,  403,  201],
  ['setMaterialLevel',      'PUT /api/events/:eventId/materials/:materialId/level',            401,  403,  403,  403,  200,  403,  200],
  ['listDepots',            'GET /api/events/:eventId/depots',                                 401,  403,  200,  200,  200,  403,  200],
  ['createDepot',           'POST /api/events/:eventId/depots',                                401,  403,  403,  403,  201,  403,  201],
  ['recordMovement',        'POST /api/events/:eventId/movements',                             401,  201,  201,  403,  201,  403,  201],
  ['listMovements',         'GET /api/events/:eventId/movements',                              401,  403,  200,  200,  200,  403,  200],
  ['exportMovements',       'GET /api/events/:eventId/movements.csv',                          401,  403,  403,  403,  200,  403,  200],
  ['getStock',              'GET /api/events/:eventId/stock',                                  401,  200,  200,  200,  200,  403,  200],
  ['createMaterialRequest', 'POST /api/events/:eventId/material-requests',                     401,  403,  201,  403,  201,  403,  201],
  ['listMaterialRequests',  'GET /api/events/:eventId/material-requests',                      401,  403,  200,  200,  200,  403,  200],
  ['decideMaterialRequest', 'POST /api/events/:eventId/material-requests/:requestId/decision', 401,  403,  403,  403,  200,  403,  200],
  ['liveUpdates',           'GET /api/live',                                                   401,  426,  426,  426,  426,  403,  426],
  ['getMe',                 'GET /api/me',                                                     401,  200,  200,  200,  200,  200,  200],
  ['logout',                'POST /api/logout',                                                204,  204,  204,  204,  204,  204,  204],
  ['joinWithInvite',        'POST /api/join',                                                  200,  200,  200,  200,  200,  200,  200],
  ['getClientConfig',       'GET /api/config',                                                 200,  200,  200,  200,  200,  200,  200],
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
  /** Another volunteer of A, who takes the last place in slots others then wait for. */
  filler: Session;
  /** Made up front: event-wide (held by the leader of B), of A (held by the filler), of B. */
  slots: { wide: RoleSlot; a: RoleSlot; b: RoleSlot };
  /** Made up front, one per target: the whole event, A, B, and the holders of slots a and wide. */
  announcements: Record<'event' | 'a' | 'b' | 'roleOfA' | 'wideRole', Announcement>;
  /** Made up front by the administrator. */
  ledger: Ledger;
}

/**
 * A paper received into a depot (1000 copies), 100 of them allocated to A and 20 to B, and
 * a pending request for more from each contingent.
 */
interface Ledger {
  paper: Material;
  depot: Depot;
  allocatedToA: Movement;
  allocatedToB: Movement;
  requests: { a: MaterialRequest; b: MaterialRequest };
}

interface Cell {
  cast: Cast;
  role: Role;
  /** The role's column, to make each cell's changes distinguishable. */
  column: number;
}

interface Prepared {
  params?: Record<string, string>;
  query?: Record<string, string>;
  payload?: object;
  headers?: Record<string, string>;
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

/** The event's role slots, holders and waitlists as `as` (by default the coordinator) sees them. */
function slotsOf(cast: Cast, as: Session | null = cast.as.coordinator): Promise<RoleSlot[]> {
  return cast.app.send<RoleSlot[]>(as, 'GET', `/api/events/${cast.event.id}/role-slots`);
}

async function slotOf(cast: Cast, slotId: string, as?: Session | null): Promise<RoleSlot> {
  const slot = (await slotsOf(cast, as)).find((s) => s.id === slotId);
  if (!slot) throw new Error(`role slot ${slotId} is not listed`);
  return slot;
}

async function idempotencyKeysStored(cast: Cast): Promise<number> {
  const [row] = await cast.app.app.db.select({ n: count() }).from(idempotencyKeys);
  return row!.n;
}

function announcementsOf(cast: Cast, as: Session | null = cast.as.coordinator) {
  return cast.app.send<Announcement[]>(as, 'GET', `/api/events/${cast.event.id}/announcements`);
}

/**
 * Everything a refused request could have touched, as the event's coordinator sees it (the
 * plan has every contingent's status and position).
 */
async function snapshot(cast: Cast) {
  const { app, as, event } = cast;
  const [events, seen, invites, joined, roleSlots, announcements, keys, ledger, here] =
    await Promise.all([
      app.send<EventSummary[]>(as.administrator, 'GET', '/api/events'),
      plan(cast),
      invitesOf(cast),
      app.send<Person[]>(as.coordinator, 'GET', `/api/events/${event.id}/people`),
      slotsOf(cast),
      announcementsOf(cast),
      idempotencyKeysStored(cast),
      ledgerTables(cast),
      app.app.db.select().from(checkIns).orderBy(asc(checkIns.eventId), asc(checkIns.personId)),
    ]);
  return {
    events,
    plan: seen,
    invites,
    people: joined,
    roleSlots,
    announcements,
    keys,
    ledger,
    checkIns: here,
  };
}

/** Every row of the materials ledger's tables, of every event: the API shows no balance row. */
async function ledgerTables(cast: Cast) {
  const { db } = cast.app.app;
  const [catalogue, stores, movements, balances, levels, requests] = await Promise.all([
    db.select().from(materials).orderBy(asc(materials.id)),
    db.select().from(depots).orderBy(asc(depots.id)),
    db.select().from(materialMovements).orderBy(asc(materialMovements.number)),
    db
      .select()
      .from(materialBalances)
      .orderBy(asc(materialBalances.materialId), asc(materialBalances.holder)),
    db
      .select()
      .from(materialLevels)
      .orderBy(asc(materialLevels.materialId), asc(materialLevels.holder)),
    db.select().from(materialRequests).orderBy(asc(materialRequests.id)),
  ]);
  return { materials: catalogue, depots: stores, movements, balances, levels, requests };
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

/** A fresh role slot, by default one place in contingent A. */
function spareSlot(cast: Cast, overrides: object = {}): Promise<RoleSlot> {
  return cast.app.send<RoleSlot>(
    cast.as.administrator,
    'POST',
    `/api/events/${cast.event.id}/role-slots`,
    { name: 'Spare', capacity: 1, contingentId: cast.a.id, ...overrides },
  );
}

function slotFor({ cast, role }: Cell): Promise<RoleSlot> {
  return spareSlot(cast, { name: `Spare for ${role}` });
}

/** What sending as the administrator on the event needs of the cast. */
type Planner = Pick<Cast, 'app' | 'as' | 'event'>;

function assign(cast: Planner, slotId: string, person: Session): Promise<Claim> {
  return cast.app.send<Claim>(
    cast.as.administrator,
    'POST',
    `/api/events/${cast.event.id}/role-slots/${slotId}/assignments`,
    { personId: person.person.id },
  );
}

/** A fresh slot (of A, unless told) whose only place `holder` takes, so others can wait for it. */
async function fullSlot(cast: Cast, holder = cast.filler, overrides: object = {}) {
  const slot = await spareSlot(cast, overrides);
  await assign(cast, slot.id, holder);
  return slot;
}

function joinWaitlist(cast: Cast, slotId: string, as: Session): Promise<unknown> {
  return cast.app.send(as, 'POST', `/api/events/${cast.event.id}/role-slots/${slotId}/waitlist`);
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

function announce(cast: Planner, body: object): Promise<Announcement> {
  return cast.app.send<Announcement>(
    cast.as.administrator,
    'POST',
    `/api/events/${cast.event.id}/announcements`,
    body,
  );
}

function gpxStartingAt(lat: number, lon: number): string {
  return `<gpx><trk><trkseg><trkpt lat="${lat}" lon="${lon}"/><trkpt lat="34.0537" lon="-118.2437"/></trkseg></trk></gpx>`;
}

/** An event URL under `/api/events/:eventId`. */
function eventUrl(cast: Pick<Cast, 'event'>, path: string): string {
  return `/api/events/${cast.event.id}${path}`;
}

function stockOf(cast: Cast, as: Session | null = cast.as.coordinator): Promise<Stock> {
  return cast.app.send<Stock>(as, 'GET', eventUrl(cast, '/stock'));
}

function stockOfMaterial(stock: Stock, materialId: string): MaterialStock {
  const found = stock.materials.find((m) => m.material.id === materialId);
  if (!found) throw new Error(`material ${materialId} is not in the stock`);
  return found;
}

function movementsOf(cast: Cast, as: Session | null = cast.as.coordinator): Promise<Movement[]> {
  return cast.app
    .send<MovementPage>(as, 'GET', eventUrl(cast, '/movements?limit=500'))
    .then((page) => page.movements);
}

function requestsOf(cast: Cast, as: Session | null = cast.as.coordinator) {
  return cast.app.send<MaterialRequest[]>(as, 'GET', eventUrl(cast, '/material-requests'));
}

/** Records a movement of the cast's paper as `as` (by default the administrator). */
function move(cast: Planner & { ledger: Pick<Ledger, 'paper'> }, body: object, as?: Session) {
  return cast.app.send<RecordedMovement>(
    as ?? cast.as.administrator,
    'POST',
    eventUrl(cast, '/movements'),
    { materialId: cast.ledger.paper.id, ...body },
  );
}

function spareMaterial({ cast, role }: Cell): Promise<Material> {
  return cast.app.send<Material>(cast.as.administrator, 'POST', eventUrl(cast, '/materials'), {
    kind: 'sign',
    name: `Spare for ${role}`,
  });
}

/** A pending request for `quantity` copies of the paper, asked by the administrator. */
function ask(
  cast: Planner & { ledger: Pick<Ledger, 'paper'> },
  contingent: Contingent,
  quantity: number,
  note: string,
): Promise<MaterialRequest> {
  return cast.app.send<MaterialRequest>(
    cast.as.administrator,
    'POST',
    eventUrl(cast, '/material-requests'),
    { materialId: cast.ledger.paper.id, contingentId: contingent.id, quantity, note },
  );
}

/** The cast's ledger, as its doc says. */
async function stockUp(cast: Planner & Pick<Cast, 'a' | 'b'>): Promise<Ledger> {
  const { app, as } = cast;
  const paper = await app.send<Material>(as.administrator, 'POST', eventUrl(cast, '/materials'), {
    kind: 'literature',
    name: 'Red Flag — May issue',
    language: 'es',
  });
  const depot = await app.send<Depot>(as.administrator, 'POST', eventUrl(cast, '/depots'), {
    name: 'Union hall',
    position: { lat: 34.05, lng: -118.25 },
  });
  const stocked = { ...cast, ledger: { paper } };
  await move(stocked, { kind: 'received', quantity: 1000, toDepotId: depot.id });
  const allocate = async (to: Contingent, quantity: number) => {
    const body = { kind: 'allocated', quantity, fromDepotId: depot.id, toContingentId: to.id };
    return (await move(stocked, body)).movement;
  };
  return {
    paper,
    depot,
    allocatedToA: await allocate(cast.a, 100),
    allocatedToB: await allocate(cast.b, 20),
    requests: {
      a: await ask(stocked, cast.a, 50, 'For the rally'),
      b: await ask(stocked, cast.b, 30, 'Out already'),
    },
  };
}

/** A fresh material of the other event, made by the administrator. */
function theirMaterial(cast: Cast): Promise<Material> {
  return cast.app.send<Material>(
    cast.as.administrator,
    'POST',
    `/api/events/${cast.otherEvent.id}/materials`,
    { kind: 'flag', name: 'Their flag' },
  );
}

/** The contingent the role is a member of, if any. */
function contingentOfRole(cast: Cast, role: Role): Contingent | null {
  const members: Partial<Record<Role, Contingent>> = {
    'volunteer of A': cast.a,
    'leader of A': cast.a,
    'leader of B': cast.b,
  };
  return members[role] ?? null;
}

/** `as` checks in, or tries to: the answer does not matter, only that they are checked in if they may be. */
async function checkInAs(cast: Cast, as: Session | null): Promise<void> {
  if (!as) return;
  await cast.app.inject({ method: 'POST', url: eventUrl(cast, '/check-ins'), headers: as.headers });
}

/** `as` takes their check-in back, if they have one. */
async function checkOut(cast: Cast, as: Session | null): Promise<void> {
  if (!as) return;
  await cast.app.inject({
    method: 'DELETE',
    url: eventUrl(cast, '/check-ins/me'),
    headers: as.headers,
  });
}

function myCheckIn(cast: Cast, as: Session): Promise<MyCheckIn> {
  return cast.app.send<MyCheckIn>(as, 'GET', eventUrl(cast, '/check-ins/me'));
}

const contingentRef = (c: Contingent) => ({ kind: 'contingent', id: c.id });
const touches = (m: Movement, c: Contingent) => m.from.id === c.id || m.to.id === c.id;

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
  listRoleSlots: {
    succeeded({ cast, role }, res) {
      const { wide, a, b } = cast.slots;
      const listed = new Map(res.json<RoleSlot[]>().map((s) => [s.id, s]));
      const contingent = cast.as[role]!.person.contingentId;
      const seesAll = role === 'coordinator' || role === 'administrator';
      expect(listed.has(wide.id)).toBe(true);
      expect(listed.has(a.id)).toBe(seesAll || contingent === cast.a.id);
      expect(listed.has(b.id)).toBe(seesAll || contingent === cast.b.id);
      // Coordinators and the slot's leader see every holder; others see the count and themselves.
      const holdersOf = (id: string) => listed.get(id)?.holders.map((h) => h.personId);
      expect(listed.get(wide.id)!.filled).toBe(1);
      expect(holdersOf(wide.id)).toEqual(
        seesAll || role === 'leader of B' ? [cast.as['leader of B']!.person.id] : [],
      );
      if (listed.has(a.id)) {
        const seesA = seesAll || role === 'leader of A';
        expect(holdersOf(a.id)).toEqual(seesA ? [cast.filler.person.id] : []);
      }
    },
  },
  createRoleSlot: {
    prepare: ({ cast, role }) => ({
      payload: { name: `Made by ${role}`, capacity: 2, contingentId: cast.a.id, critical: true },
    }),
    async succeeded({ cast, role }, res) {
      const made = await slotOf(cast, res.json<RoleSlot>().id);
      expect(made).toMatchObject({ name: `Made by ${role}`, capacity: 2, contingentId: cast.a.id });
    },
  },
  updateRoleSlot: {
    prepare: async (cell) => ({
      params: { slotId: (await slotFor(cell)).id },
      payload: { name: `Renamed by ${cell.role}`, capacity: 2 + cell.column },
    }),
    async succeeded({ cast, role, column }, _res, { params }) {
      expect(await slotOf(cast, params!.slotId!)).toMatchObject({
        name: `Renamed by ${role}`,
        capacity: 2 + column,
      });
    },
  },
  deleteRoleSlot: {
    prepare: async (cell) => {
      const slot = await slotFor(cell);
      await assign(cell.cast, slot.id, cell.cast.filler);
      return { params: { slotId: slot.id } };
    },
    async succeeded({ cast }, _res, { params }) {
      expect((await slotsOf(cast)).map((s) => s.id)).not.toContain(params!.slotId);
    },
  },
  claimRole: {
    prepare: async (cell) => {
      const slot = await slotFor(cell);
      // A key too, so a refused claim is shown to store no idempotency record either.
      return {
        params: { slotId: slot.id },
        headers: { 'idempotency-key': `claim.${cell.column}.${slot.id}` },
      };
    },
    async succeeded({ cast, role }, res, { params, headers }) {
      const claim = res.json<Claim>();
      const me = cast.as[role]!.person.id;
      expect(claim).toMatchObject({ slotId: params!.slotId, personId: me });
      const slot = await slotOf(cast, params!.slotId!);
      expect(slot.filled).toBe(1);
      expect(slot.holders).toEqual([expect.objectContaining({ claimId: claim.id, personId: me })]);
      // A retry with the same key gets the first answer back and takes no second place.
      const retry = await cast.app.inject({
        method: 'POST',
        url: urlOf('/api/events/:eventId/role-slots/:slotId/claims', cast, params),
        headers: { ...cast.as[role]!.headers, ...headers },
      });
      expect(retry.statusCode).toBe(201);
      expect(retry.headers['idempotent-replayed']).toBe('true');
      expect(retry.json<Claim>().id).toBe(claim.id);
      expect((await slotOf(cast, params!.slotId!)).filled).toBe(1);
    },
  },
  assignRole: {
    prepare: async (cell) => ({
      params: { slotId: (await slotFor(cell)).id },
      payload: { personId: cell.cast.as['volunteer of A']!.person.id },
    }),
    async succeeded({ cast }, res, { params }) {
      const volunteer = cast.as['volunteer of A']!.person.id;
      expect(res.json<Claim>().personId).toBe(volunteer);
      const slot = await slotOf(cast, params!.slotId!);
      expect(slot.filled).toBe(1);
      expect(slot.holders.map((h) => h.personId)).toEqual([volunteer]);
    },
  },
  releaseRole: {
    // The place is the volunteer of A's: the holder, A's leader and coordinators may free it.
    prepare: async (cell) => {
      const slot = await slotFor(cell);
      const claim = await assign(cell.cast, slot.id, cell.cast.as['volunteer of A']!);
      return { params: { slotId: slot.id, claimId: claim.id } };
    },
    async succeeded({ cast }, res, { params }) {
      expect(res.json()).toEqual({ promoted: null });
      const slot = await slotOf(cast, params!.slotId!);
      expect(slot).toMatchObject({ filled: 0, holders: [] });
    },
  },
  joinWaitlist: {
    prepare: async (cell) => ({ params: { slotId: (await fullSlot(cell.cast)).id } }),
    async succeeded({ cast, role }, res, { params }) {
      const me = cast.as[role]!;
      expect(res.json()).toEqual({ slotId: params!.slotId, personId: me.person.id, place: 1 });
      expect((await slotOf(cast, params!.slotId!)).waiting).toBe(1);
      expect((await slotOf(cast, params!.slotId!, me)).myWaitlistPlace).toBe(1);
    },
  },
  leaveWaitlist: {
    // The volunteer of A always waits, and A's leader too, so a refused caller is shown to
    // leave the volunteer's place alone. Coordinators are in no contingent: they do not wait
    // for a contingent's role.
    prepare: async (cell) => {
      const { cast, role } = cell;
      const slot = await fullSlot(cast);
      await joinWaitlist(cast, slot.id, cast.as['volunteer of A']!);
      if (role === 'leader of A') {
        await joinWaitlist(cast, slot.id, cast.as[role]!);
      }
      return { params: { slotId: slot.id } };
    },
    async succeeded({ cast, role }, _res, { params }) {
      const slotId = params!.slotId!;
      expect((await slotOf(cast, slotId, cast.as[role])).myWaitlistPlace).toBeNull();
      expect((await slotOf(cast, slotId)).waiting).toBe(role === 'volunteer of A' ? 0 : 1);
    },
  },
  listMembers: {
    prepare: ({ cast }) => ({ params: { contingentId: cast.a.id } }),
    succeeded({ cast }, res) {
      const ids = res.json<Person[]>().map((p) => p.id);
      const { as } = cast;
      expect(ids).toEqual(
        expect.arrayContaining([
          as['volunteer of A']!.person.id,
          as['leader of A']!.person.id,
          cast.filler.person.id,
        ]),
      );
      expect(ids).not.toContain(as['leader of B']!.person.id);
      expect(ids).not.toContain(as.coordinator!.person.id);
    },
  },
  exportRoster: {
    prepare: ({ cast }) => ({ params: { contingentId: cast.a.id } }),
    succeeded({ cast }, res) {
      expect(res.headers['content-type']).toMatch(/^text\/csv/);
      expect(res.headers['content-disposition']).toBe('attachment; filename="roster-a.csv"');
      const [header, ...rows] = res.body.trimEnd().split('\r\n');
      expect(header).toBe('"Name","Joined as","Role","From","To","Meeting point"');
      const names = rows.map((r) => r.split(',')[0]);
      expect(names).toContain(`"${cast.as['leader of A']!.person.displayName}"`);
      expect(names).not.toContain(`"${cast.as['leader of B']!.person.displayName}"`);
    },
  },
  reportPosition: {
    // One report per contingent every 2 s: A is kept for its leader's report, and each
    // coordinator reports for a fresh contingent, so no cell is answered 429 for another's.
    prepare: async (cell) => {
      const { cast, role, column } = cell;
      const fresh = role === 'coordinator' || role === 'administrator';
      return {
        params: { contingentId: fresh ? (await spareContingent(cell)).id : cast.a.id },
        payload: {
          position: { lat: 34 + column / 100, lng: -118.25 },
          accuracy: 10 + column,
          recordedAt: new Date().toISOString(),
        },
      };
    },
    async succeeded({ cast, column }, res, { params }) {
      const reported = {
        contingentId: params!.contingentId,
        position: { lat: 34 + column / 100, lng: -118.25 },
        accuracy: 10 + column,
        coarse: false,
      };
      expect(res.json<ContingentPosition>()).toMatchObject(reported);
      expect((await plan(cast)).positions).toContainEqual(expect.objectContaining(reported));
    },
  },
  setContingentStatus: {
    // Each cell that may set it sets another status than the cell before it did.
    prepare: ({ cast, column }) => ({
      params: { contingentId: cast.a.id },
      payload: { status: CONTINGENT_STATUSES[column % CONTINGENT_STATUSES.length] },
    }),
    async succeeded({ cast, column }, res) {
      const status = CONTINGENT_STATUSES[column % CONTINGENT_STATUSES.length];
      expect(res.json<ContingentStatusResult>()).toMatchObject({ contingentId: cast.a.id, status });
      expect((await plan(cast)).contingents).toContainEqual(
        expect.objectContaining({ id: cast.a.id, status, statusChangedAt: expect.any(String) }),
      );
    },
  },
  createAnnouncement: {
    prepare: ({ role }) => ({ payload: { target: 'event', body: `Said by ${role}` } }),
    async succeeded({ cast, role }, res) {
      const made = res.json<Announcement>();
      expect(made).toMatchObject({ target: 'event', body: `Said by ${role}` });
      expect(await announcementsOf(cast, cast.as['volunteer of A'])).toContainEqual(
        expect.objectContaining({ id: made.id, body: `Said by ${role}` }),
      );
    },
  },
  checkIn: {
    // A key too, so a refused check-in is shown to store no idempotency record either.
    prepare: async ({ cast, role, column }) => {
      await checkOut(cast, cast.as[role]);
      return {
        payload: { meetingPointId: (await plan(cast)).meetingPoints[0]!.id },
        headers: { 'idempotency-key': `check-in.${column}.${cast.event.id}` },
      };
    },
    async succeeded({ cast, role }, res, { payload, headers }) {
      const me = cast.as[role]!;
      const made = res.json<CheckIn>();
      expect(made).toEqual({
        personId: me.person.id,
        displayName: me.person.displayName,
        contingentId: me.person.contingentId,
        meetingPointId: (payload as { meetingPointId: string }).meetingPointId,
        checkedInAt: expect.any(String),
      });
      expect(await myCheckIn(cast, me)).toEqual({ checkIn: made });
      // A retry with the key gets the first answer back; a tap without one, the check-in kept.
      const send = (extra: Record<string, string>) =>
        cast.app.inject({
          method: 'POST',
          url: eventUrl(cast, '/check-ins'),
          headers: { ...me.headers, ...extra },
          payload: payload!,
        });
      const retry = await send(headers!);
      expect(retry.statusCode).toBe(201);
      expect(retry.headers['idempotent-replayed']).toBe('true');
      expect(retry.json()).toEqual(made);
      const again = await send({});
      expect(again.statusCode).toBe(200);
      expect(again.json()).toEqual(made);
    },
  },
  getMyCheckIn: {
    prepare: async ({ cast, role }) => {
      await checkInAs(cast, cast.as[role]);
      return {};
    },
    succeeded({ cast, role }, res) {
      const me = cast.as[role]!.person;
      expect(res.json<MyCheckIn>().checkIn).toMatchObject({
        personId: me.id,
        contingentId: me.contingentId,
      });
    },
  },
  undoCheckIn: {
    // The volunteer of A is checked in too, so a refused caller is shown to leave theirs alone.
    prepare: async ({ cast, role }) => {
      await checkInAs(cast, cast.as['volunteer of A']);
      await checkInAs(cast, cast.as[role]);
      return {};
    },
    async succeeded({ cast, role }) {
      expect(await myCheckIn(cast, cast.as[role]!)).toEqual({ checkIn: null });
      const after = await cast.app.inject({
        method: 'DELETE',
        url: eventUrl(cast, '/check-ins/me'),
        headers: cast.as[role]!.headers,
      });
      expect(after.statusCode).toBe(404);
    },
  },
  getAttendance: {
    // The volunteer of A is checked in, so A's count is not zero.
    prepare: async ({ cast }) => {
      await checkInAs(cast, cast.as['volunteer of A']);
      return {};
    },
    async succeeded({ cast, role }, res) {
      const seen = res.json<Attendance>();
      const rows = await cast.app.app.db
        .select()
        .from(checkIns)
        .where(eq(checkIns.eventId, cast.event.id));
      const here = (c: Contingent) => rows.filter((r) => r.contingentId === c.id).length;
      expect(here(cast.a)).toBeGreaterThan(0);
      const own = contingentOfRole(cast, role);
      if (own) {
        expect(seen.total).toBeNull();
        expect(seen.contingents).toEqual([
          expect.objectContaining({ contingentId: own.id, checkedIn: here(own) }),
        ]);
        return;
      }
      const ids = seen.contingents.map((c) => c.contingentId);
      expect(ids).toEqual(expect.arrayContaining([cast.a.id, cast.b.id]));
      expect(seen.contingents).toContainEqual(
        expect.objectContaining({ contingentId: cast.a.id, checkedIn: here(cast.a) }),
      );
      expect(seen.total).toMatchObject({ checkedIn: rows.length });
    },
  },
  listAnnouncements: {
    // Everyone reads the event's; members their contingent's; holders their role's, and the
    // leader of that role's contingent too; coordinators all of them.
    succeeded({ cast, role }, res) {
      const made = cast.announcements;
      const listed = new Set(res.json<Announcement[]>().map((a) => a.id));
      const seen = Object.entries(made)
        .filter(([, announcement]) => listed.has(announcement.id))
        .map(([name]) => name);
      const expected: Record<Role, string[]> = {
        anonymous: [],
        'volunteer of A': ['event', 'a'],
        'leader of A': ['event', 'a', 'roleOfA'],
        'leader of B': ['event', 'b', 'wideRole'],
        coordinator: Object.keys(made),
        'coordinator of another event': [],
        administrator: Object.keys(made),
      };
      expect(seen.sort()).toEqual(expected[role].sort());
    },
  },
  listMaterials: {
    succeeded({ cast }, res) {
      expect(res.json<Material[]>()).toContainEqual(cast.ledger.paper);
    },
  },
  createMaterial: {
    prepare: ({ role }) => ({
      payload: { kind: 'sign', name: `Made by ${role}`, slogan: 'An injury to one' },
    }),
    async succeeded({ cast, role }, res) {
      const made = res.json<Material>();
      const expected = { name: `Made by ${role}`, unit: 'signs', slogan: 'An injury to one' };
      expect(made).toMatchObject(expected);
      const listed = await cast.app.send<Material[]>(
        cast.as['volunteer of A'],
        'GET',
        eventUrl(cast, '/materials'),
      );
      expect(listed).toContainEqual(made);
    },
  },
  setMaterialLevel: {
    prepare: async (cell) => ({
      params: { materialId: (await spareMaterial(cell)).id },
      payload: { contingentId: cell.cast.a.id, planned: 10 + cell.column, lowStockThreshold: 2 },
    }),
    async succeeded({ cast, column }, res, { params }) {
      const materialId = params!.materialId!;
      expect(res.json<MaterialLevel>()).toEqual({
        materialId,
        holder: contingentRef(cast.a),
        planned: 10 + column,
        lowStockThreshold: 2,
      });
      // A's leader sees it on A's row: none on hand, so below the threshold.
      const seen = stockOfMaterial(await stockOf(cast, cast.as['leader of A']), materialId);
      expect(seen.holders).toEqual([
        expect.objectContaining({
          holder: contingentRef(cast.a),
          onHand: 0,
          planned: 10 + column,
          lowStockThreshold: 2,
          low: true,
        }),
      ]);
    },
  },
  listDepots: {
    succeeded({ cast }, res) {
      expect(res.json<Depot[]>()).toContainEqual(cast.ledger.depot);
    },
  },
  createDepot: {
    prepare: ({ role, column }) => ({
      payload: { name: `Made by ${role}`, position: { lat: 34 + column / 100, lng: -118.25 } },
    }),
    async succeeded({ cast, role, column }, res) {
      const made = res.json<Depot>();
      expect(made).toMatchObject({
        name: `Made by ${role}`,
        position: { lat: 34 + column / 100, lng: -118.25 },
      });
      const listed = await cast.app.send<Depot[]>(
        cast.as['leader of A'],
        'GET',
        eventUrl(cast, '/depots'),
      );
      expect(listed).toContainEqual(made);
    },
  },
  recordMovement: {
    // A key too, so a refused movement is shown to store no idempotency record either.
    prepare: ({ cast, role, column }) => ({
      payload: {
        materialId: cast.ledger.paper.id,
        kind: 'distributed',
        quantity: 1,
        fromContingentId: cast.a.id,
        note: `Handed out by ${role}`,
      },
      headers: { 'idempotency-key': `movement.${column}.${cast.ledger.paper.id}` },
    }),
    async succeeded({ cast, role }, res, { payload, headers }) {
      const recorded = res.json<RecordedMovement>();
      expect(recorded.movement).toMatchObject({
        kind: 'distributed',
        quantity: 1,
        from: contingentRef(cast.a),
        to: { kind: 'public', id: null },
        note: `Handed out by ${role}`,
        recordedByName: cast.as[role]!.person.displayName,
      });
      const [balance] = recorded.balances;
      expect(recorded.balances).toEqual([
        { holder: contingentRef(cast.a), quantity: expect.any(Number) },
      ]);
      const onHand = () =>
        stockOf(cast).then(
          (stock) =>
            stockOfMaterial(stock, cast.ledger.paper.id).holders.find(
              (h) => h.holder.id === cast.a.id,
            )!.onHand,
        );
      expect(await onHand()).toBe(balance!.quantity);
      expect((await movementsOf(cast)).map((m) => m.id)).toContain(recorded.movement.id);
      // A retry with the same key gets the first answer back and hands out nothing more.
      const retry = await cast.app.inject({
        method: 'POST',
        url: eventUrl(cast, '/movements'),
        headers: { ...cast.as[role]!.headers, ...headers },
        payload,
      });
      expect(retry.statusCode).toBe(201);
      expect(retry.headers['idempotent-replayed']).toBe('true');
      expect(retry.json()).toEqual(recorded);
      expect(await onHand()).toBe(balance!.quantity);
    },
  },
  listMovements: {
    // Coordinators read the whole ledger; a leader only their contingent's movements.
    succeeded({ cast, role }, res) {
      const listed = res.json<MovementPage>().movements;
      const { allocatedToA, allocatedToB } = cast.ledger;
      const ids = listed.map((m) => m.id);
      const own = contingentOfRole(cast, role);
      if (own) {
        expect(ids).toContain(own === cast.a ? allocatedToA.id : allocatedToB.id);
        expect(ids).not.toContain(own === cast.a ? allocatedToB.id : allocatedToA.id);
        expect(listed.every((m) => touches(m, own))).toBe(true);
      } else {
        expect(ids).toEqual(expect.arrayContaining([allocatedToA.id, allocatedToB.id]));
        expect(listed.some((m) => m.kind === 'received')).toBe(true);
      }
    },
  },
  exportMovements: {
    succeeded({ cast }, res) {
      expect(res.headers['content-type']).toMatch(/^text\/csv/);
      expect(res.headers['content-disposition']).toBe(
        `attachment; filename="ledger-${cast.event.date}.csv"`,
      );
      const [header, ...rows] = res.body.trimEnd().split('\r\n');
      expect(header).toBe(
        '"Number","Time (UTC)","Material","Unit","Kind","Quantity","From","To","Latitude",' +
          '"Longitude","Note","Recorded by","Reverses number","Request"',
      );
      const allocation = `"${cast.ledger.allocatedToB.number}",`;
      const row = rows.find((r) => r.startsWith(allocation))!;
      expect(row).toContain(
        `"${cast.ledger.paper.name}","copies","allocated","20","${cast.ledger.depot.name}","B"`,
      );
    },
  },
  getStock: {
    // Coordinators see every holder and the totals; a contingent's members their own row only.
    async succeeded({ cast, role }, res) {
      const paper = stockOfMaterial(res.json<Stock>(), cast.ledger.paper.id);
      const own = contingentOfRole(cast, role);
      if (!own) {
        expect(paper.totals).toMatchObject({ received: 1000 });
        const { received, onHand, handedOut, lost } = paper.totals!;
        expect(onHand + handedOut + lost).toBe(received);
        expect(paper.holders.map((h) => h.holder)).toEqual(
          expect.arrayContaining([
            { kind: 'depot', id: cast.ledger.depot.id },
            contingentRef(cast.a),
            contingentRef(cast.b),
          ]),
        );
        return;
      }
      // Their row is the one coordinators see for their contingent.
      const whole = stockOfMaterial(await stockOf(cast), cast.ledger.paper.id);
      expect(paper.holders).toEqual([whole.holders.find((h) => h.holder.id === own.id)]);
      for (const material of res.json<Stock>().materials) {
        expect(material.totals).toBeNull();
        expect(material.holders.map((h) => h.holder)).toEqual([contingentRef(own)]);
      }
    },
  },
  createMaterialRequest: {
    prepare: ({ cast, role, column }) => ({
      payload: {
        materialId: cast.ledger.paper.id,
        contingentId: cast.a.id,
        quantity: 10 + column,
        note: `Asked by ${role}`,
      },
      headers: { 'idempotency-key': `request.${column}.${cast.ledger.paper.id}` },
    }),
    async succeeded({ cast, role, column }, res) {
      const made = res.json<MaterialRequest>();
      expect(made).toMatchObject({
        materialId: cast.ledger.paper.id,
        contingentId: cast.a.id,
        quantity: 10 + column,
        note: `Asked by ${role}`,
        status: 'pending',
        requestedByName: cast.as[role]!.person.displayName,
        movementId: null,
      });
      expect(await requestsOf(cast, cast.as['leader of A'])).toContainEqual(made);
    },
  },
  listMaterialRequests: {
    succeeded({ cast, role }, res) {
      const listed = res.json<MaterialRequest[]>();
      const { a, b } = cast.ledger.requests;
      const own = contingentOfRole(cast, role);
      if (own) {
        const [mine, theirs] = own === cast.a ? [a, b] : [b, a];
        expect(listed.map((r) => r.id)).toContain(mine.id);
        expect(listed.map((r) => r.id)).not.toContain(theirs.id);
        expect(listed.every((r) => r.contingentId === own.id)).toBe(true);
      } else {
        expect(listed.map((r) => r.id)).toEqual(expect.arrayContaining([a.id, b.id]));
      }
    },
  },
  decideMaterialRequest: {
    prepare: async ({ cast, role }) => ({
      params: { requestId: (await ask(cast, cast.a, 5, `For ${role}`)).id },
      payload: { decision: 'fulfil', fromDepotId: cast.ledger.depot.id },
    }),
    async succeeded({ cast }, res, { params }) {
      const { request, movement } = res.json<MaterialRequestDecision>();
      const requestId = params!.requestId!;
      expect(movement).toMatchObject({
        kind: 'allocated',
        quantity: 5,
        from: { kind: 'depot', id: cast.ledger.depot.id },
        to: contingentRef(cast.a),
        requestId,
      });
      expect(request).toMatchObject({ id: requestId, status: 'fulfilled' });
      expect(request.movementId).toBe(movement!.id);
      const seen = (await requestsOf(cast, cast.as['leader of A'])).find((r) => r.id === requestId);
      expect(seen).toEqual(request);
      expect((await movementsOf(cast)).map((m) => m.id)).toContain(movement!.id);
    },
  },
  liveUpdates: {
    prepare: ({ cast }) => ({ query: { event: cast.event.id } }),
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
    const planned: Omit<Cast, 'announcements' | 'ledger'> = {
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
      filler: await app.invited(administrator, event.id, 'volunteer', a.id),
      slots: {
        wide: await app.send<RoleSlot>(
          administrator,
          'POST',
          `/api/events/${event.id}/role-slots`,
          {
            name: 'Marshals',
            capacity: 4,
          },
        ),
        a: await app.send<RoleSlot>(administrator, 'POST', `/api/events/${event.id}/role-slots`, {
          name: 'Sign carriers',
          capacity: 2,
          contingentId: a.id,
        }),
        b: await app.send<RoleSlot>(administrator, 'POST', `/api/events/${event.id}/role-slots`, {
          name: 'Banner carriers',
          capacity: 2,
          contingentId: b.id,
        }),
      },
    };
    const { slots } = planned;
    await assign(planned, slots.wide.id, planned.as['leader of B']!);
    await assign(planned, slots.a.id, planned.filler);
    // Sent once the roles are held: a role's announcement goes to its holders at that moment.
    cast = {
      ...planned,
      ledger: await stockUp(planned),
      announcements: {
        event: await announce(planned, { target: 'event', body: 'Water at every corner' }),
        a: await announce(planned, { target: 'contingent', contingentId: a.id, body: 'A left' }),
        b: await announce(planned, { target: 'contingent', contingentId: b.id, body: 'B wait' }),
        roleOfA: await announce(planned, { target: 'role', roleSlotId: slots.a.id, body: 'Up' }),
        wideRole: await announce(planned, {
          target: 'role',
          roleSlotId: slots.wide.id,
          body: 'Marshals to the front',
        }),
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
            ...(prepared.query ? { query: prepared.query } : {}),
            headers: { ...session?.headers, ...prepared.headers },
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

  describe('roles across contingents', () => {
    // The matrix works on slots of contingent A; these are event-wide slots, slots of B and
    // people of B. Every case makes its own slot.
    type Request = (c: Cast) => Promise<{ method: Method; url: string; payload?: object }>;
    type SlotMaker = (c: Cast) => Promise<RoleSlot>;
    const slots = (c: Cast) => `/api/events/${c.event.id}/role-slots`;
    const wide: SlotMaker = (c) => spareSlot(c, { contingentId: null, capacity: 2 });
    const ofA: SlotMaker = (c) => spareSlot(c);
    const ofB: SlotMaker = (c) => spareSlot(c, { contingentId: c.b.id });
    const fullOfA: SlotMaker = (c) => fullSlot(c);
    const fullOfB: SlotMaker = (c) => fullSlot(c, c.as['leader of B']!, { contingentId: c.b.id });

    function claim(slot: SlotMaker): Request {
      return async (c) => ({ method: 'POST', url: `${slots(c)}/${(await slot(c)).id}/claims` });
    }
    function wait(slot: SlotMaker): Request {
      return async (c) => ({ method: 'POST', url: `${slots(c)}/${(await slot(c)).id}/waitlist` });
    }
    function leave(slot: SlotMaker): Request {
      return async (c) => ({ method: 'DELETE', url: `${slots(c)}/${(await slot(c)).id}/waitlist` });
    }
    function give(slot: SlotMaker, to: Role): Request {
      return async (c) => ({
        method: 'POST',
        url: `${slots(c)}/${(await slot(c)).id}/assignments`,
        payload: { personId: c.as[to]!.person.id },
      });
    }
    function remove(slot: SlotMaker, holder: Role): Request {
      return async (c) => {
        const { id } = await slot(c);
        const held = await assign(c, id, c.as[holder]!);
        return { method: 'DELETE', url: `${slots(c)}/${id}/claims/${held.id}` };
      };
    }
    function read(path: (c: Cast) => string): Request {
      return async (c) => ({ method: 'GET', url: `/api/events/${c.event.id}${path(c)}` });
    }

    // prettier-ignore
    const cases: [who: Role, does: string, status: number, request: Request][] = [
      ['volunteer of A', 'claims a place in an event-wide role',               201, claim(wide)],
      ['leader of B',    'claims a place in an event-wide role',               201, claim(wide)],
      ['volunteer of A', 'claims a place in a role of B',                      403, claim(ofB)],
      ['leader of A',    'claims a place in a role of B',                      403, claim(ofB)],
      ['volunteer of A', 'waits for a place in a full role of B',              403, wait(fullOfB)],
      ['volunteer of A', 'waits for an event-wide role with a free place',     409, wait(wide)],
      ['volunteer of A', 'leaves a waitlist they are not on',                  404, leave(fullOfA)],
      ['leader of A',    'gives their volunteer an event-wide role',           201, give(wide, 'volunteer of A')],
      ['leader of A',    'gives their volunteer a role of B',                  403, give(ofB, 'volunteer of A')],
      ['leader of A',    'gives the leader of B a role of A',                  400, give(ofA, 'leader of B')],
      ['leader of A',    'gives the coordinator a role of A',                  400, give(ofA, 'coordinator')],
      ['coordinator',    'gives the leader of B an event-wide role',           201, give(wide, 'leader of B')],
      ['leader of A',    'removes their volunteer from an event-wide role',    200, remove(wide, 'volunteer of A')],
      ['leader of B',    'removes the volunteer of A from an event-wide role', 403, remove(wide, 'volunteer of A')],
      ['coordinator',    'gives the volunteer of A a role of B',               400, give(ofB, 'volunteer of A')],
      ['volunteer of A', 'removes the leader of A from an event-wide role',    403, remove(wide, 'leader of A')],
      ['leader of A',    'lists the members of B',                             403, read((c) => `/contingents/${c.b.id}/members`)],
      ['leader of A',    'exports the roster of B',                            403, read((c) => `/contingents/${c.b.id}/roster.csv`)],
    ];

    for (const [who, does, status, request] of cases) {
      it(`${who} ${does} → ${status}`, async () => {
        const { method, url, payload } = await request(cast);
        const before = status >= 300 ? await snapshot(cast) : null;
        const res = await cast.app.inject({
          method,
          url,
          headers: cast.as[who]!.headers,
          ...(payload ? { payload } : {}),
        });
        expect(res.statusCode, res.body).toBe(status);
        if (before) {
          expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
          expect(await snapshot(cast)).toEqual(before);
        }
      });
    }

    it('volunteer of A asks for the role slots of B → 200 and none of them', async () => {
      await ofB(cast);
      const res = await cast.app.inject({
        method: 'GET',
        url: `${slots(cast)}?contingentId=${cast.b.id}`,
        headers: cast.as['volunteer of A']!.headers,
      });
      expect(res.statusCode, res.body).toBe(200);
      expect(res.json()).toEqual([]);
    });
  });

  describe('materials across contingents', () => {
    // The matrix hands out from A; these move A's stock every other way, reach into B, and
    // reverse what someone recorded. Every case records its own movement to reverse.
    type Request = (c: Cast) => Promise<{ method: Method; url: string; payload?: object }>;
    type Body = (c: Cast) => Promise<object> | object;
    const fromA = (c: Cast) => ({ fromContingentId: c.a.id });
    const fromDepot = (c: Cast) => ({ fromDepotId: c.ledger.depot.id });

    function record(body: Body): Request {
      return async (c) => ({
        method: 'POST',
        url: eventUrl(c, '/movements'),
        payload: { materialId: c.ledger.paper.id, quantity: 1, ...(await body(c)) },
      });
    }
    /** Reverses one copy of A's that `by` handed out (or, as the administrator, allocated). */
    function reverse(by: Role, kind: 'distributed' | 'allocated' = 'distributed'): Request {
      return async (c) => {
        const sides = kind === 'allocated' ? { ...fromDepot(c), toContingentId: c.a.id } : fromA(c);
        const { movement } = await move(c, { kind, quantity: 1, ...sides }, c.as[by]!);
        return {
          method: 'POST',
          url: eventUrl(c, '/movements'),
          payload: { materialId: c.ledger.paper.id, kind: 'reversal', reverses: movement.id },
        };
      };
    }
    function read(path: (c: Cast) => string): Request {
      return async (c) => ({ method: 'GET', url: eventUrl(c, path(c)) });
    }

    // prettier-ignore
    const cases: [who: Role, does: string, status: number, request: Request][] = [
      ['leader of A',    'hands out from B',                              403, record((c) => ({ kind: 'distributed', fromContingentId: c.b.id }))],
      ['leader of A',    'transfers from A to B',                         201, record((c) => ({ kind: 'transferred', ...fromA(c), toContingentId: c.b.id }))],
      ['leader of A',    'returns from A to the depot',                   201, record((c) => ({ kind: 'returned', ...fromA(c), toDepotId: c.ledger.depot.id }))],
      ['leader of A',    'records copies of A damaged',                   201, record((c) => ({ kind: 'damaged', ...fromA(c) }))],
      ['leader of A',    'allocates from the depot to A',                 403, record((c) => ({ kind: 'allocated', ...fromDepot(c), toContingentId: c.a.id }))],
      ['leader of A',    'hands out from the depot',                      403, record((c) => ({ kind: 'distributed', ...fromDepot(c) }))],
      ['leader of A',    'receives copies into the depot',                403, record((c) => ({ kind: 'received', toDepotId: c.ledger.depot.id }))],
      ['volunteer of A', 'returns from A to the depot',                   403, record((c) => ({ kind: 'returned', ...fromA(c), toDepotId: c.ledger.depot.id }))],
      ['volunteer of A', 'transfers from A to B',                         403, record((c) => ({ kind: 'transferred', ...fromA(c), toContingentId: c.b.id }))],
      ['volunteer of A', 'records copies of A lost',                      403, record((c) => ({ kind: 'lost', ...fromA(c) }))],
      ['volunteer of A', 'hands out from B',                              403, record((c) => ({ kind: 'distributed', fromContingentId: c.b.id }))],
      ['volunteer of A', 'reverses what they handed out',                 201, reverse('volunteer of A')],
      ['volunteer of A', 'reverses what the leader of A handed out',      403, reverse('leader of A')],
      ['leader of A',    'reverses what the volunteer of A handed out',   201, reverse('volunteer of A')],
      ['leader of A',    'reverses an allocation to A',                   403, reverse('administrator', 'allocated')],
      ['leader of B',    'reverses what the leader of A handed out',      403, reverse('leader of A')],
      ['coordinator',    'reverses what the volunteer of A handed out',   201, reverse('volunteer of A')],
      ['leader of A',    'lists the movements of B',                      403, read((c) => `/movements?contingentId=${c.b.id}`)],
      ['volunteer of A', 'lists the movements of A',                      403, read((c) => `/movements?contingentId=${c.a.id}`)],
      ['leader of A',    'asks for copies for B',                         403, async (c) => ({ method: 'POST', url: eventUrl(c, '/material-requests'), payload: { materialId: c.ledger.paper.id, contingentId: c.b.id, quantity: 5 } })],
    ];

    for (const [who, does, status, request] of cases) {
      it(`${who} ${does} → ${status}`, async () => {
        const { method, url, payload } = await request(cast);
        const before = status >= 300 ? await snapshot(cast) : null;
        const res = await cast.app.inject({
          method,
          url,
          headers: cast.as[who]!.headers,
          ...(payload ? { payload } : {}),
        });
        expect(res.statusCode, res.body).toBe(status);
        if (before) {
          expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
          expect(await snapshot(cast)).toEqual(before);
        } else if (method === 'POST') {
          const { movement, balances } = res.json<RecordedMovement>();
          expect(movement).toMatchObject({ kind: (payload as { kind: string }).kind });
          const stock = stockOfMaterial(await stockOf(cast), cast.ledger.paper.id);
          for (const { holder, quantity } of balances) {
            expect(stock.holders.find((h) => h.holder.id === holder.id)!.onHand).toBe(quantity);
          }
        }
      });
    }
  });

  describe('ids of one event sent under the URL of another', () => {
    // The coordinator of the other event may plan their own event, and must not reach into
    // this one by naming its contingents, meeting points, invites, role slots, claims,
    // people, materials, depots, movements or requests under their own URL.
    const cases: {
      what: string;
      method: Method;
      path: (c: Cast, own: string) => Promise<string> | string;
      payload?: (c: Cast) => Promise<object> | object;
      status: number;
      /** A server bug this case shows: it is expected to fail until the server is fixed. */
      bug?: string;
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
      {
        what: "changes this event's role slot",
        method: 'PATCH',
        path: (c, own) => `/api/events/${own}/role-slots/${c.slots.wide.id}`,
        payload: () => ({ capacity: 1 }),
        status: 404,
      },
      {
        what: "deletes this event's role slot",
        method: 'DELETE',
        path: (c, own) => `/api/events/${own}/role-slots/${c.slots.wide.id}`,
        status: 404,
      },
      {
        what: "claims a place in this event's role slot",
        method: 'POST',
        path: (c, own) => `/api/events/${own}/role-slots/${c.slots.wide.id}/claims`,
        status: 404,
      },
      {
        what: "waits for a place in this event's role slot",
        method: 'POST',
        path: async (c, own) => `/api/events/${own}/role-slots/${(await fullSlot(c)).id}/waitlist`,
        status: 404,
      },
      {
        what: "removes someone from this event's role slot",
        method: 'DELETE',
        path: async (c, own) => {
          const slot = await spareSlot(c);
          const claim = await assign(c, slot.id, c.as['volunteer of A']!);
          return `/api/events/${own}/role-slots/${slot.id}/claims/${claim.id}`;
        },
        status: 404,
      },
      {
        what: "gives this event's volunteer a role in their own event",
        method: 'POST',
        path: async (c, own) => {
          const theirs = await c.app.send<RoleSlot>(
            c.as.administrator,
            'POST',
            `/api/events/${own}/role-slots`,
            { name: 'Stewards', capacity: 2 },
          );
          return `/api/events/${own}/role-slots/${theirs.id}/assignments`;
        },
        payload: (c) => ({ personId: c.as['volunteer of A']!.person.id }),
        status: 400,
      },
      {
        what: "adds a role slot to this event's contingent",
        method: 'POST',
        path: (_c, own) => `/api/events/${own}/role-slots`,
        payload: (c) => ({ name: 'Lure', capacity: 1, contingentId: c.a.id }),
        status: 400,
      },
      {
        what: "meets for a role at this event's meeting point",
        method: 'POST',
        path: (_c, own) => `/api/events/${own}/role-slots`,
        payload: async (c) => ({
          name: 'Lure',
          capacity: 1,
          meetingPointId: (await plan(c)).meetingPoints[0]!.id,
        }),
        status: 400,
      },
      {
        what: "lists the members of this event's contingent",
        method: 'GET',
        path: (c, own) => `/api/events/${own}/contingents/${c.a.id}/members`,
        status: 404,
      },
      {
        what: "exports the roster of this event's contingent",
        method: 'GET',
        path: (c, own) => `/api/events/${own}/contingents/${c.a.id}/roster.csv`,
        status: 404,
      },
      {
        what: "reports the position of this event's contingent",
        method: 'PUT',
        path: (c, own) => `/api/events/${own}/contingents/${c.b.id}/position`,
        payload: () => ({
          position: { lat: 1, lng: 1 },
          accuracy: 5,
          recordedAt: new Date().toISOString(),
        }),
        status: 404,
      },
      {
        what: "sets the status of this event's contingent",
        method: 'PUT',
        path: (c, own) => `/api/events/${own}/contingents/${c.b.id}/status`,
        payload: () => ({ status: 'dispersed' }),
        status: 404,
      },
      {
        what: "checks in at this event's meeting point",
        method: 'POST',
        path: (_c, own) => `/api/events/${own}/check-ins`,
        payload: async (c) => ({ meetingPointId: (await plan(c)).meetingPoints[0]!.id }),
        status: 400,
      },
      {
        what: "announces to this event's contingent",
        method: 'POST',
        path: (_c, own) => `/api/events/${own}/announcements`,
        payload: (c) => ({ target: 'contingent', contingentId: c.a.id, body: 'Go home' }),
        status: 400,
      },
      {
        what: "announces to the holders of this event's role slot",
        method: 'POST',
        path: (_c, own) => `/api/events/${own}/announcements`,
        payload: (c) => ({ target: 'role', roleSlotId: c.slots.wide.id, body: 'Go home' }),
        status: 400,
      },
      {
        what: "hands out this event's material",
        method: 'POST',
        path: (_c, own) => `/api/events/${own}/movements`,
        payload: (c) => ({
          materialId: c.ledger.paper.id,
          kind: 'distributed',
          quantity: 1,
          fromContingentId: c.a.id,
        }),
        status: 400,
      },
      {
        what: "hands out their material from this event's contingent",
        method: 'POST',
        path: (_c, own) => `/api/events/${own}/movements`,
        payload: async (c) => ({
          materialId: (await theirMaterial(c)).id,
          kind: 'distributed',
          quantity: 1,
          fromContingentId: c.a.id,
        }),
        status: 400,
      },
      {
        what: "receives their material into this event's depot",
        method: 'POST',
        path: (_c, own) => `/api/events/${own}/movements`,
        payload: async (c) => ({
          materialId: (await theirMaterial(c)).id,
          kind: 'received',
          quantity: 1,
          toDepotId: c.ledger.depot.id,
        }),
        status: 400,
      },
      {
        what: "reverses this event's movement",
        method: 'POST',
        path: (_c, own) => `/api/events/${own}/movements`,
        payload: async (c) => ({
          materialId: (await theirMaterial(c)).id,
          kind: 'reversal',
          reverses: c.ledger.allocatedToA.id,
        }),
        status: 400,
      },
      {
        what: "sets a level of this event's material",
        method: 'PUT',
        path: (c, own) => `/api/events/${own}/materials/${c.ledger.paper.id}/level`,
        payload: (c) => ({ contingentId: c.a.id, planned: 1, lowStockThreshold: 1 }),
        status: 404,
      },
      {
        what: "sets a level of their material for this event's depot",
        method: 'PUT',
        path: async (c, own) => `/api/events/${own}/materials/${(await theirMaterial(c)).id}/level`,
        payload: (c) => ({ depotId: c.ledger.depot.id, planned: 1, lowStockThreshold: 1 }),
        status: 400,
      },
      {
        what: "asks for their material for this event's contingent",
        method: 'POST',
        path: (_c, own) => `/api/events/${own}/material-requests`,
        payload: async (c) => ({
          materialId: (await theirMaterial(c)).id,
          contingentId: c.a.id,
          quantity: 5,
        }),
        status: 400,
      },
      {
        what: "declines this event's request",
        method: 'POST',
        path: async (c, own) =>
          `/api/events/${own}/material-requests/${(await ask(c, c.a, 5, '')).id}/decision`,
        payload: () => ({ decision: 'decline', reason: 'Not ours to give' }),
        status: 404,
      },
      {
        what: "fulfils their own request from this event's depot",
        method: 'POST',
        path: async (c, own) => {
          const theirs = await c.app.newContingent(c.as.administrator!, own, { name: 'Theirs' });
          const asked = await c.app.send<MaterialRequest>(
            c.as.administrator,
            'POST',
            `/api/events/${own}/material-requests`,
            { materialId: (await theirMaterial(c)).id, contingentId: theirs.id, quantity: 5 },
          );
          return `/api/events/${own}/material-requests/${asked.id}/decision`;
        },
        payload: (c) => ({ decision: 'fulfil', fromDepotId: c.ledger.depot.id }),
        status: 400,
      },
    ];

    for (const { what, method, path, payload, status, bug } of cases) {
      const name = `refuses a coordinator of another event who ${what} → ${status}`;
      (bug ? it.fails : it)(bug ? `${name} (known bug: ${bug})` : name, async () => {
        const other = cast.as['coordinator of another event']!;
        const url = await path(cast, cast.otherEvent.id);
        const body = await payload?.(cast);
        const before = await snapshot(cast);
        const res = await cast.app.inject({
          method,
          url,
          headers: other.headers,
          ...(body ? { payload: body } : {}),
        });
        expect(res.statusCode, res.body).toBe(status);
        expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
        expect(await snapshot(cast)).toEqual(before);
      });
    }
  });
});
