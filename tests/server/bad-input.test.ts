// Malformed requests to every write route, and malformed ids on the others: each is refused
// with a 4xx application/problem+json that names the field at fault, never a 500, and
// leaves the plan, its change records and every table exactly as they were.
import { eq, sql, type Table } from 'drizzle-orm';
import type { InjectOptions } from 'fastify';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  announcements,
  changeRecords,
  checkIns,
  contingentPositions,
  contingents,
  depots,
  events,
  idempotencyKeys,
  invites,
  materialBalances,
  materialLevels,
  materialMovements,
  materialRequests,
  materials,
  meetingPointContingents,
  meetingPoints,
  people,
  roleClaims,
  roleSlots,
  roleWaitlist,
  sessions,
} from '../../drizzle/schema.ts';
import type { Contingent } from '../../server/features/contingents/schemas.ts';
import type { EventPlan } from '../../server/features/events/schemas.ts';
import type { CreatedInvite, Invite } from '../../server/features/invites/schemas.ts';
import type {
  Depot,
  Material,
  MaterialRequest,
  MaterialRequestDecision,
  Movement,
  RecordedMovement,
} from '../../server/features/materials/schemas.ts';
import type { MeetingPoint } from '../../server/features/meeting-points/schemas.ts';
import type { ContingentPosition } from '../../server/features/positions/schemas.ts';
import type { Claim, RoleSlot } from '../../server/features/roles/schemas.ts';
import type { Problem } from '../../server/plugins/errors.ts';
import { type Session, useTestApp } from '../helpers/app.ts';
import { databaseKinds } from '../helpers/databases.ts';

type Method = NonNullable<InjectOptions['method']>;
type Caller = 'coordinator' | 'administrator' | 'leader' | 'volunteer' | 'nobody';

/** The event every request aims at, and who sends them. */
interface Fixtures {
  administrator: Session;
  coordinator: Session;
  /** Leader of A. */
  leader: Session;
  /** Volunteer of A. */
  volunteer: Session;
  event: EventPlan;
  a: Contingent;
  b: Contingent;
  meetingPoint: MeetingPoint;
  invite: CreatedInvite;
  /**
   * Another event, with a contingent, a meeting point, a role slot, a volunteer, and a
   * material received into its depot and asked for by its contingent.
   */
  elsewhere: {
    event: EventPlan;
    contingent: Contingent;
    meetingPoint: MeetingPoint;
    slot: RoleSlot;
    volunteer: Session;
    material: Material;
    depot: Depot;
    movement: Movement;
    request: MaterialRequest;
    /** Declined with ELSEWHERE_KEYS.decision. */
    declinedRequest: MaterialRequest;
  };
  /**
   * A paper (300 copies received into the depot, 50 of them allocated to A, 2 handed out
   * from A by the administrator, one of them reversed; A's level set) and a sign none of
   * which were received.
   */
  ledger: {
    paper: Material;
    sign: Material;
    depot: Depot;
    /** One copy handed out from A, standing. */
    handedOut: Movement;
    /** One copy handed out from A, and its reversal. */
    reversed: Movement;
    reversal: Movement;
    /** A's request for 20 more copies, pending; and one declined. */
    pending: MaterialRequest;
    declined: MaterialRequest;
  };
  /** Event-wide, 09:00–12:00: the volunteer holds a place, the leader one given with USED_KEY. */
  slot: RoleSlot;
  claim: Claim;
  /** Event-wide with places to spare: a claim that got through would show. */
  openSlot: RoleSlot;
  /** One place, the volunteer's: a waitlist entry that got through would show. */
  fullSlot: RoleSlot;
  /** B's position, kept from a report the rate limit has long forgotten. */
  kept: ContingentPosition;
}

interface BadRequest {
  what: string;
  /** Sent as JSON; a function when it needs ids of the fixtures. */
  body?: unknown;
  /** Sent byte for byte instead of `body`. */
  raw?: string;
  /** Defaults to application/json; null sends no content type at all. */
  contentType?: string | null;
  /** Path parameters replacing the fixtures' ids. */
  params?: Params;
  /** The query string, without its `?`. */
  query?: string | ((f: Fixtures) => string);
  headers?: Record<string, string>;
  as?: Caller;
  status: number;
  /** The field the problem's first error names. */
  field?: string;
  /** The problem's reason, for a refusal that gives one. */
  reason?: string;
  /** A server bug this case shows: it is expected to fail until the server is fixed. */
  bug?: string;
}

type Params = Record<string, string | ((f: Fixtures) => string)>;

interface RouteCases {
  route: `${Method} /api/${string}`;
  as: Caller;
  /** Path parameters for every case of the route, under each case's own. */
  params?: Params;
  cases: BadRequest[];
}

const DAY = 24 * 60 * 60 * 1000;
const BODY_LIMIT = 128 * 1024;
const GPX_BODY_LIMIT = 2_500_000;
const HUNDRED_KB = 'x'.repeat(100 * 1024);
const NOT_A_UUID = 'not-a-uuid';
/** Well-formed, but names nothing. */
const NO_SUCH_ID = '00000000-0000-4000-8000-000000000000';
/** The URN spelling of a UUID: JSON Schema's "uuid" format accepts it, PostgreSQL does not. */
const urn = (id: string) => `urn:uuid:${id}`;
const NUL = 'May\u0000Day';
const tomorrow = new Date(Date.now() + DAY).toISOString().slice(0, 10);

const validEvent = {
  name: 'May Day — Oakland',
  date: '2027-05-01',
  startTime: '10:00',
  timezone: 'America/Los_Angeles',
};
const here = { lat: 37.8044, lng: -122.2712 };
const validMeetingPoint = { name: 'Frank Ogawa Plaza', position: here };
const validGpx =
  '<gpx><trk><trkseg><trkpt lat="37.80" lon="-122.27"/><trkpt lat="37.81" lon="-122.26"/></trkseg></trk></gpx>';
const line = (points: number) => ({
  type: 'LineString',
  coordinates: Array.from({ length: points }, (_, i) => [i % 180, i % 90]),
});
const gpxOf = (points: string) => `<gpx version="1.1"><trk><trkseg>${points}</trkseg></trk></gpx>`;

const validRoleSlot = { name: 'Marshals', capacity: 4 };

const MINUTE = 60_000;
/** A timestamp `ms` after the moment the request is made (before it, when negative). */
const fromNow = (ms: number) => new Date(Date.now() + ms).toISOString();
/** A report as a phone sends it, measured as the request is made. */
const validReport = () => ({ position: here, accuracy: 12, recordedAt: fromNow(0) });
const report = (fields: object) => () => ({ ...validReport(), ...fields });
/** `ms` after the kept position of B was measured. */
const afterKept = (ms: number) => (f: Fixtures) =>
  new Date(Date.parse(f.kept.recordedAt) + ms).toISOString();
const validAnnouncement = { target: 'event', body: 'Water at the corner of 5th and Main' };
const announce = (fields: object) => ({ ...validAnnouncement, ...fields });
/** An Idempotency-Key a fixture already used, for a different request. */
const USED_KEY = 'assign-leader-0001';
/** Keys the administrator used in the other event, for what the cases send again here. */
const ELSEWHERE_KEYS = { movement: 'received-elsewhere-01', decision: 'declined-elsewhere-01' };

function without(body: Record<string, unknown>, field: string) {
  const { [field]: _dropped, ...rest } = body;
  return rest;
}

type Body = Record<string, unknown>;
type Fields = Body | ((f: Fixtures) => Body);
/** A body built from the fixtures: `valid`, changed by `fields`. */
const changed = (valid: (f: Fixtures) => Body) => (fields: Fields) => (f: Fixtures) => ({
  ...valid(f),
  ...(typeof fields === 'function' ? fields(f) : fields),
});
/** A body built from the fixtures: `valid` without `field`. */
const lacking = (valid: (f: Fixtures) => Body) => (field: string) => (f: Fixtures) =>
  without(valid(f), field);

const MAX_QUANTITY = 1_000_000;
const validMaterial = { kind: 'literature', name: 'Red Flag — May issue', language: 'es' };
const material = (fields: Body) => ({ ...validMaterial, ...fields });
const validDepot = { name: 'Union hall', position: here };
const validLevel = (f: Fixtures) => ({ contingentId: f.a.id, planned: 40, lowStockThreshold: 10 });
const level = changed(validLevel);
/** One copy of the paper handed out from A. */
const validMovement = (f: Fixtures): Body => ({
  materialId: f.ledger.paper.id,
  kind: 'distributed',
  quantity: 1,
  fromContingentId: f.a.id,
});
const movement = changed(validMovement);
/** A movement of the paper with only the fields given. */
const paperMovement = (fields: Fields) =>
  changed((f) => ({ materialId: f.ledger.paper.id }))(fields);
const validMaterialRequest = (f: Fixtures): Body => ({
  materialId: f.ledger.paper.id,
  contingentId: f.a.id,
  quantity: 20,
  note: 'For the rally',
});
const materialRequest = changed(validMaterialRequest);
const validFulfil = (f: Fixtures): Body => ({ decision: 'fulfil', fromDepotId: f.ledger.depot.id });
const fulfil = changed(validFulfil);
const decline = (fields: Body) => ({ decision: 'decline', reason: 'None left', ...fields });
/** Five copies received in the other event, sent with ELSEWHERE_KEYS.movement. */
const receivedElsewhere = (f: { elsewhere: { material: Material; depot: Depot } }) => ({
  materialId: f.elsewhere.material.id,
  kind: 'received',
  quantity: 5,
  toDepotId: f.elsewhere.depot.id,
});

/** What every route that takes a JSON body must refuse, built around one valid body. */
function malformedBodies(valid: (f: Fixtures) => unknown, limit = BODY_LIMIT): BadRequest[] {
  return [
    { what: 'malformed JSON', raw: '{"name": "unclosed', status: 400 },
    { what: 'an empty body', raw: '', status: 400 },
    {
      what: 'a JSON array instead of an object',
      body: (f: Fixtures) => [valid(f)],
      status: 400,
      field: '/body',
    },
    { what: 'JSON null', raw: 'null', status: 400, field: '/body' },
    {
      what: 'an unknown top-level field',
      body: (f: Fixtures) => ({ ...(valid(f) as object), surprise: true }),
      status: 400,
      field: '/body/surprise',
    },
    { what: 'a __proto__ key', raw: '{"__proto__": {"role": "administrator"}}', status: 400 },
    { what: 'JSON sent as text/plain', body: valid, contentType: 'text/plain', status: 415 },
    {
      what: 'a form',
      raw: 'name=x',
      contentType: 'application/x-www-form-urlencoded',
      status: 415,
    },
    { what: 'a body without a content type', body: valid, contentType: null, status: 415 },
    {
      what: 'a body over the size limit',
      body: (f: Fixtures) => ({ ...(valid(f) as object), padding: 'x'.repeat(limit) }),
      status: 413,
    },
  ];
}

/** Actions that take no input accept no body or `{}`, and refuse what malformedBodies lists. */
function malformedActionBodies(): BadRequest[] {
  return malformedBodies(() => ({}));
}

/** Idempotency-Key headers the API's pattern refuses: 8 to 100 of [A-Za-z0-9_.:-]. */
function malformedIdempotencyKeys(): BadRequest[] {
  const keys = {
    'of 3 characters': 'abc',
    'with spaces': 'retry me please',
    'of 101 characters': 'k'.repeat(101),
  };
  return Object.entries(keys).map(([what, key]) => ({
    what: `an Idempotency-Key ${what}`,
    headers: { 'idempotency-key': key },
    status: 400,
    field: '/headers/idempotency-key',
  }));
}

// prettier-ignore
const TABLE: RouteCases[] = [
  {
    route: 'POST /api/events',
    as: 'administrator',
    cases: [
      { what: 'a missing name', body: without(validEvent, 'name'), status: 400, field: '/body/name' },
      { what: 'a name of 100 kB', body: { ...validEvent, name: HUNDRED_KB }, status: 400, field: '/body/name' },
      { what: 'a blank name', body: { ...validEvent, name: '   ' }, status: 400, field: '/body/name' },
      { what: 'a name that is a number', body: { ...validEvent, name: 1 }, status: 400, field: '/body/name' },
      { what: 'a name with a NUL character', body: { ...validEvent, name: NUL }, status: 400, field: '/body/name' },
      { what: 'what to bring with a NUL character', body: { ...validEvent, bring: NUL }, status: 400, field: '/body/bring' },
      { what: 'a missing timezone', body: without(validEvent, 'timezone'), status: 400, field: '/body/timezone' },
      { what: 'the timezone Mars/Olympus', body: { ...validEvent, timezone: 'Mars/Olympus' }, status: 400, field: '/body/timezone' },
      { what: 'the impossible date 2027-02-30', body: { ...validEvent, date: '2027-02-30' }, status: 400, field: '/body/date' },
      { what: 'a date written 01/05/2027', body: { ...validEvent, date: '01/05/2027' }, status: 400, field: '/body/date' },
      { what: 'the start time 25:00', body: { ...validEvent, startTime: '25:00' }, status: 400, field: '/body/startTime' },
      { what: 'an assembly point at latitude 91', body: { ...validEvent, assemblyPoint: { lat: 91, lng: 0 } }, status: 400, field: '/body/assemblyPoint/lat' },
      { what: 'a rally point at longitude -181', body: { ...validEvent, rallyPoint: { lat: 0, lng: -181 } }, status: 400, field: '/body/rallyPoint/lng' },
      { what: 'an unknown field inside the assembly point', body: { ...validEvent, assemblyPoint: { ...here, altitude: 12 } }, status: 400, field: '/body/assemblyPoint/altitude' },
      { what: 'a route of one point', body: { ...validEvent, route: line(1) }, status: 400, field: '/body/route/coordinates' },
      { what: 'a route of 5001 points', body: { ...validEvent, route: line(5001) }, status: 400, field: '/body/route/coordinates' },
      { what: 'a route point with an altitude', body: { ...validEvent, route: { type: 'LineString', coordinates: [[0, 0, 10], [1, 1]] } }, status: 400, field: '/body/route/coordinates/0' },
      { what: 'a route longitude of 200', body: { ...validEvent, route: { type: 'LineString', coordinates: [[200, 0], [1, 1]] } }, status: 400, field: '/body/route/coordinates/0/0' },
      { what: 'a route that is not a LineString', body: { ...validEvent, route: { ...line(2), type: 'Point' } }, status: 400, field: '/body/route/type' },
      { what: 'startsAt, which the server derives', body: { ...validEvent, startsAt: '2027-05-01T17:00:00Z' }, status: 400, field: '/body/startsAt' },
      { what: 'shareContingentPositions as "yes"', body: { ...validEvent, shareContingentPositions: 'yes' }, status: 400, field: '/body/shareContingentPositions' },
      { what: 'shareContingentPositions as 1', body: { ...validEvent, shareContingentPositions: 1 }, status: 400, field: '/body/shareContingentPositions' },
      ...malformedBodies(() => validEvent),
    ],
  },
  {
    route: 'PATCH /api/events/:eventId',
    as: 'coordinator',
    cases: [
      { what: 'no fields at all', body: {}, status: 400, field: '/body' },
      { what: 'a null name', body: { name: null }, status: 400, field: '/body/name' },
      { what: 'a name with a NUL character', body: { name: NUL }, status: 400, field: '/body/name' },
      { what: 'a description of 100 kB', body: { description: HUNDRED_KB }, status: 400, field: '/body/description' },
      { what: 'what to bring of 2001 characters', body: { bring: 'x'.repeat(2001) }, status: 400, field: '/body/bring' },
      { what: 'what to bring as a list', body: { bring: ['water'] }, status: 400, field: '/body/bring' },
      { what: 'the timezone Mars/Olympus', body: { timezone: 'Mars/Olympus' }, status: 400, field: '/body/timezone' },
      { what: 'the impossible date 2027-02-30', body: { date: '2027-02-30' }, status: 400, field: '/body/date' },
      { what: 'February 29th of a common year', body: { date: '2027-02-29' }, status: 400, field: '/body/date' },
      { what: 'the start time 25:00', body: { startTime: '25:00' }, status: 400, field: '/body/startTime' },
      { what: 'the start time 9:00 without its leading zero', body: { startTime: '9:00' }, status: 400, field: '/body/startTime' },
      { what: 'the latitude "NaN" as a string', body: { assemblyPoint: { lat: 'NaN', lng: 0 } }, status: 400, field: '/body/assemblyPoint/lat' },
      { what: 'the longitude "Infinity" as a string', body: { rallyPoint: { lat: 0, lng: 'Infinity' } }, status: 400, field: '/body/rallyPoint/lng' },
      { what: 'a bare NaN latitude', raw: '{"assemblyPoint": {"lat": NaN, "lng": 0}}', status: 400 },
      { what: 'a bare -Infinity longitude', raw: '{"rallyPoint": {"lat": 0, "lng": -Infinity}}', status: 400 },
      { what: 'the latitude 1e999, which parses as Infinity', raw: '{"assemblyPoint": {"lat": 1e999, "lng": 0}}', status: 400, field: '/body/assemblyPoint/lat' },
      { what: 'an assembly point at latitude 91', body: { assemblyPoint: { lat: 91, lng: 0 } }, status: 400, field: '/body/assemblyPoint/lat' },
      { what: 'lastSeq, which only the server sets', body: { lastSeq: 0 }, status: 400, field: '/body/lastSeq' },
      { what: 'shareContingentPositions as "true"', body: { shareContingentPositions: 'true' }, status: 400, field: '/body/shareContingentPositions' },
      { what: 'a null shareContingentPositions', body: { shareContingentPositions: null }, status: 400, field: '/body/shareContingentPositions' },
      { what: 'positions, which leaders report', body: { positions: [] }, status: 400, field: '/body/positions' },
      { what: 'an event id that is not a UUID', params: { eventId: NOT_A_UUID }, body: { name: 'x' }, status: 400, field: '/params/eventId' },
      { what: 'an event id in URN form', as: 'administrator', params: { eventId: (f) => urn(f.event.id) }, body: { name: 'x' }, status: 400, field: '/params/eventId' },
      { what: 'an event that does not exist', as: 'administrator', params: { eventId: NO_SUCH_ID }, body: { name: 'x' }, status: 404 },
      ...malformedBodies(() => ({ description: 'Bring water' })),
    ],
  },
  {
    route: 'POST /api/events/:eventId/route/gpx',
    as: 'coordinator',
    cases: [
      { what: 'a GPX with no points', body: { gpx: gpxOf('') }, status: 400, field: '/body/gpx' },
      { what: 'a GPX of one point', body: { gpx: gpxOf('<trkpt lat="1" lon="2"/>') }, status: 400, field: '/body/gpx' },
      { what: 'a GPX point at latitude 91', body: { gpx: gpxOf('<trkpt lat="91" lon="2"/><trkpt lat="1" lon="2"/>') }, status: 400, field: '/body/gpx' },
      { what: 'GPX points with empty lat and lon', body: { gpx: gpxOf('<trkpt lat="" lon=""/><trkpt lat="" lon=""/>') }, status: 400, field: '/body/gpx' },
      { what: 'a KML file', body: { gpx: '<kml><Placemark/></kml>' }, status: 400, field: '/body/gpx' },
      { what: '100 kB of text that is not GPX', body: { gpx: HUNDRED_KB }, status: 400, field: '/body/gpx' },
      { what: 'an empty gpx', body: { gpx: '' }, status: 400, field: '/body/gpx' },
      { what: 'gpx as an object', body: { gpx: { trk: [] } }, status: 400, field: '/body/gpx' },
      { what: 'a missing gpx', body: {}, status: 400, field: '/body/gpx' },
      { what: 'a gpx over 2 000 000 characters', body: { gpx: 'x'.repeat(2_000_001) }, status: 400, field: '/body/gpx' },
      ...malformedBodies(() => ({ gpx: validGpx }), GPX_BODY_LIMIT),
    ],
  },
  {
    route: 'POST /api/events/:eventId/contingents',
    as: 'coordinator',
    cases: [
      { what: 'a missing name', body: { expectedSize: 10 }, status: 400, field: '/body/name' },
      { what: 'a name of 100 kB', body: { name: HUNDRED_KB }, status: 400, field: '/body/name' },
      { what: 'a name with a NUL character', body: { name: NUL }, status: 400, field: '/body/name' },
      { what: 'a negative expectedSize', body: { name: 'Nurses', expectedSize: -1 }, status: 400, field: '/body/expectedSize' },
      { what: 'a fractional expectedSize', body: { name: 'Nurses', expectedSize: 1.5 }, status: 400, field: '/body/expectedSize' },
      { what: 'an expectedSize written as a string', body: { name: 'Nurses', expectedSize: '120' }, status: 400, field: '/body/expectedSize' },
      { what: 'an expectedSize over a million', body: { name: 'Nurses', expectedSize: 1_000_001 }, status: 400, field: '/body/expectedSize' },
      { what: 'the colour "red"', body: { name: 'Nurses', colour: 'red' }, status: 400, field: '/body/colour' },
      { what: 'the colour "#12345"', body: { name: 'Nurses', colour: '#12345' }, status: 400, field: '/body/colour' },
      { what: 'march order 0', body: { name: 'Nurses', marchOrder: 0 }, status: 400, field: '/body/marchOrder' },
      { what: 'a leader on a new contingent', body: (f: Fixtures) => ({ name: 'Nurses', leaderId: f.coordinator.person.id }), status: 400, field: '/body/leaderId' },
      { what: 'an event id that is not a UUID', params: { eventId: NOT_A_UUID }, body: { name: 'Nurses' }, status: 400, field: '/params/eventId' },
      { what: 'an event that does not exist', as: 'administrator', params: { eventId: NO_SUCH_ID }, body: { name: 'Nurses' }, status: 404 },
      ...malformedBodies(() => ({ name: 'Nurses' })),
    ],
  },
  {
    route: 'PATCH /api/events/:eventId/contingents/:contingentId',
    as: 'coordinator',
    cases: [
      { what: 'no fields at all', body: {}, status: 400, field: '/body' },
      { what: 'a null name', body: { name: null }, status: 400, field: '/body/name' },
      { what: 'a negative expectedSize', body: { expectedSize: -5 }, status: 400, field: '/body/expectedSize' },
      { what: 'the colour "#12345"', body: { colour: '#12345' }, status: 400, field: '/body/colour' },
      { what: 'a leader who is not a leader of the contingent', body: (f: Fixtures) => ({ leaderId: f.coordinator.person.id }), status: 400, field: '/body/leaderId' },
      { what: 'a leader id that is not a UUID', body: { leaderId: NOT_A_UUID }, status: 400, field: '/body/leaderId' },
      { what: 'a leader id in URN form', body: (f: Fixtures) => ({ leaderId: urn(f.coordinator.person.id) }), status: 400, field: '/body/leaderId' },
      { what: 'a move to another event', body: { eventId: NO_SUCH_ID }, status: 400, field: '/body/eventId' },
      { what: 'a contingent id that is not a UUID', params: { contingentId: NOT_A_UUID }, body: { name: 'x' }, status: 400, field: '/params/contingentId' },
      { what: 'a contingent that does not exist', params: { contingentId: NO_SUCH_ID }, body: { name: 'x' }, status: 404 },
      ...malformedBodies(() => ({ name: 'Nurses' })),
    ],
  },
  {
    route: 'PUT /api/events/:eventId/contingent-order',
    as: 'coordinator',
    cases: [
      { what: 'a contingent listed twice', body: (f: Fixtures) => ({ contingentIds: [f.a.id, f.a.id] }), status: 400, field: '/body/contingentIds' },
      { what: 'a contingent left out', body: (f: Fixtures) => ({ contingentIds: [f.a.id] }), status: 400, field: '/body/contingentIds' },
      { what: 'an id that is not a contingent of the event', body: (f: Fixtures) => ({ contingentIds: [f.b.id, f.a.id, NO_SUCH_ID] }), status: 400, field: '/body/contingentIds' },
      { what: 'ids that are not UUIDs', body: { contingentIds: ['1', '2'] }, status: 400, field: '/body/contingentIds/0' },
      { what: 'contingentIds as a string', body: (f: Fixtures) => ({ contingentIds: `${f.b.id},${f.a.id}` }), status: 400, field: '/body/contingentIds' },
      { what: 'a missing contingentIds', body: {}, status: 400, field: '/body/contingentIds' },
      { what: 'a bare array of ids', body: (f: Fixtures) => [f.b.id, f.a.id], status: 400, field: '/body' },
      ...malformedBodies((f) => ({ contingentIds: [f.b.id, f.a.id] })),
    ],
  },
  {
    route: 'POST /api/events/:eventId/meeting-points',
    as: 'coordinator',
    cases: [
      { what: 'latitude 91', body: { ...validMeetingPoint, position: { lat: 91, lng: 0 } }, status: 400, field: '/body/position/lat' },
      { what: 'longitude -181', body: { ...validMeetingPoint, position: { lat: 0, lng: -181 } }, status: 400, field: '/body/position/lng' },
      { what: 'the latitude "NaN" as a string', body: { ...validMeetingPoint, position: { lat: 'NaN', lng: 0 } }, status: 400, field: '/body/position/lat' },
      { what: 'the longitude "Infinity" as a string', body: { ...validMeetingPoint, position: { lat: 0, lng: 'Infinity' } }, status: 400, field: '/body/position/lng' },
      { what: 'a bare NaN latitude', raw: '{"name": "Plaza", "position": {"lat": NaN, "lng": 0}}', status: 400 },
      { what: 'a bare Infinity longitude', raw: '{"name": "Plaza", "position": {"lat": 0, "lng": Infinity}}', status: 400 },
      { what: 'the latitude 1e999, which parses as Infinity', raw: '{"name": "Plaza", "position": {"lat": 1e999, "lng": 0}}', status: 400, field: '/body/position/lat' },
      { what: 'an unknown field inside the position', body: { ...validMeetingPoint, position: { ...here, altitude: 12 } }, status: 400, field: '/body/position/altitude' },
      { what: 'a missing position', body: without(validMeetingPoint, 'position'), status: 400, field: '/body/position' },
      { what: 'a position without a longitude', body: { ...validMeetingPoint, position: { lat: 1 } }, status: 400, field: '/body/position/lng' },
      { what: 'a position as a [lng, lat] pair', body: { ...validMeetingPoint, position: [here.lng, here.lat] }, status: 400, field: '/body/position' },
      { what: 'the meeting time 25:00', body: { ...validMeetingPoint, meetTime: '25:00' }, status: 400, field: '/body/meetTime' },
      { what: 'an unknown visibility', body: { ...validMeetingPoint, visibility: 'secret' }, status: 400, field: '/body/visibility' },
      { what: 'a contingent listed twice', body: (f: Fixtures) => ({ ...validMeetingPoint, contingentIds: [f.a.id, f.a.id] }), status: 400, field: '/body/contingentIds' },
      { what: 'a contingent that is not in the event', body: { ...validMeetingPoint, contingentIds: [NO_SUCH_ID] }, status: 400, field: '/body/contingentIds' },
      { what: 'a contingent id in URN form', body: (f: Fixtures) => ({ ...validMeetingPoint, contingentIds: [urn(f.a.id)] }), status: 400, field: '/body/contingentIds/0' },
      { what: 'a name of 100 kB', body: { ...validMeetingPoint, name: HUNDRED_KB }, status: 400, field: '/body/name' },
      { what: 'a name with a NUL character', body: { ...validMeetingPoint, name: NUL }, status: 400, field: '/body/name' },
      { what: 'instructions of 100 kB', body: { ...validMeetingPoint, instructions: HUNDRED_KB }, status: 400, field: '/body/instructions' },
      ...malformedBodies(() => validMeetingPoint),
    ],
  },
  {
    route: 'PATCH /api/events/:eventId/meeting-points/:meetingPointId',
    as: 'coordinator',
    cases: [
      { what: 'no fields at all', body: {}, status: 400, field: '/body' },
      { what: 'latitude 91', body: { position: { lat: 91, lng: 0 } }, status: 400, field: '/body/position/lat' },
      { what: 'longitude -181', body: { position: { lat: 0, lng: -181 } }, status: 400, field: '/body/position/lng' },
      { what: 'an unknown field inside the position', body: { position: { ...here, altitude: 12 } }, status: 400, field: '/body/position/altitude' },
      { what: 'a null position', body: { position: null }, status: 400, field: '/body/position' },
      { what: 'the meeting time 25:00', body: { meetTime: '25:00' }, status: 400, field: '/body/meetTime' },
      { what: 'a contingent that is not in the event', body: { contingentIds: [NO_SUCH_ID] }, status: 400, field: '/body/contingentIds' },
      { what: 'a meeting point id that is not a UUID', params: { meetingPointId: NOT_A_UUID }, body: { name: 'x' }, status: 400, field: '/params/meetingPointId' },
      { what: 'a meeting point id in URN form', params: { meetingPointId: (f) => urn(f.meetingPoint.id) }, body: { name: 'x' }, status: 400, field: '/params/meetingPointId' },
      { what: 'a meeting point that does not exist', params: { meetingPointId: NO_SUCH_ID }, body: { name: 'x' }, status: 404 },
      ...malformedBodies(() => ({ name: 'Moved' })),
    ],
  },
  {
    route: 'POST /api/events/:eventId/invites',
    as: 'coordinator',
    cases: [
      { what: 'the role administrator', body: { role: 'administrator' }, status: 400, field: '/body/role' },
      { what: 'a missing role', body: { label: 'Union hall' }, status: 400, field: '/body/role' },
      { what: 'a leader invite without a contingent', body: { role: 'leader' }, status: 400, field: '/body/contingentId' },
      { what: 'a coordinator invite for a contingent', body: (f: Fixtures) => ({ role: 'coordinator', contingentId: f.a.id }), status: 400, field: '/body/contingentId' },
      { what: 'a contingent that is not in the event', body: { role: 'volunteer', contingentId: NO_SUCH_ID }, status: 400, field: '/body/contingentId' },
      { what: 'a contingent id in URN form', body: (f: Fixtures) => ({ role: 'volunteer', contingentId: urn(f.a.id) }), status: 400, field: '/body/contingentId' },
      { what: 'an expiry in the past', body: { role: 'volunteer', expiresAt: '2001-05-01T00:00:00Z' }, status: 400, field: '/body/expiresAt' },
      { what: 'an expiry more than a year ahead', body: { role: 'volunteer', expiresAt: new Date(Date.now() + 400 * DAY).toISOString() }, status: 400, field: '/body/expiresAt' },
      { what: 'an expiry on 2027-02-30', body: { role: 'volunteer', expiresAt: '2027-02-30T10:00:00Z' }, status: 400, field: '/body/expiresAt' },
      { what: 'an expiry at the leap second 23:59:60', body: { role: 'volunteer', expiresAt: `${tomorrow}T23:59:60Z` }, status: 400, field: '/body/expiresAt' },
      { what: 'an expiry of "tomorrow"', body: { role: 'volunteer', expiresAt: 'tomorrow' }, status: 400, field: '/body/expiresAt' },
      { what: 'a label of 100 kB', body: { role: 'volunteer', label: HUNDRED_KB }, status: 400, field: '/body/label' },
      { what: 'a label with a NUL character', body: { role: 'volunteer', label: NUL }, status: 400, field: '/body/label' },
      { what: 'maxUses, which invites do not take', body: { role: 'volunteer', maxUses: 1 }, status: 400, field: '/body/maxUses' },
      { what: 'an event that does not exist, with an expiry', as: 'administrator', params: { eventId: NO_SUCH_ID }, body: { role: 'volunteer', expiresAt: `${tomorrow}T12:00:00Z` }, status: 404 },
      ...malformedBodies(() => ({ role: 'volunteer' })),
    ],
  },
  {
    route: 'POST /api/join',
    as: 'nobody',
    cases: [
      { what: 'a missing token', body: { displayName: 'Rosa' }, status: 400, field: '/body/token' },
      { what: 'a token too short to be one', body: { token: 'abc', displayName: 'Rosa' }, status: 400, field: '/body/token' },
      { what: 'a token of 100 kB', body: { token: HUNDRED_KB, displayName: 'Rosa' }, status: 400, field: '/body/token' },
      { what: 'a token that is a number', body: { token: 1234567890123456, displayName: 'Rosa' }, status: 400, field: '/body/token' },
      { what: 'a missing display name', body: (f: Fixtures) => ({ token: f.invite.token }), status: 400, field: '/body/displayName' },
      { what: 'a blank display name', body: (f: Fixtures) => ({ token: f.invite.token, displayName: '  ' }), status: 400, field: '/body/displayName' },
      { what: 'a display name of 61 characters', body: (f: Fixtures) => ({ token: f.invite.token, displayName: 'R'.repeat(61) }), status: 400, field: '/body/displayName' },
      { what: 'a display name with a NUL character', body: (f: Fixtures) => ({ token: f.invite.token, displayName: NUL }), status: 400, field: '/body/displayName' },
      { what: 'a role of their own choosing', body: (f: Fixtures) => ({ token: f.invite.token, displayName: 'Rosa', role: 'administrator' }), status: 400, field: '/body/role' },
      ...malformedBodies((f) => ({ token: f.invite.token, displayName: 'Rosa' })),
    ],
  },
  {
    route: 'GET /api/events/:eventId',
    as: 'coordinator',
    cases: [
      { what: 'an event id that is not a UUID', params: { eventId: NOT_A_UUID }, status: 400, field: '/params/eventId' },
      { what: 'an event id with a character too many', params: { eventId: (f) => `${f.event.id}0` }, status: 400, field: '/params/eventId' },
      { what: 'an event id in URN form', as: 'administrator', params: { eventId: (f) => urn(f.event.id) }, status: 400, field: '/params/eventId' },
      { what: 'broken percent-encoding in the id', params: { eventId: '%zz' }, status: 400 },
      { what: 'an id longer than the router takes', params: { eventId: 'a'.repeat(150) }, status: 414 },
    ],
  },
  {
    route: 'GET /api/events/:eventId/people',
    as: 'coordinator',
    cases: [
      { what: 'an event id that is not a UUID', params: { eventId: NOT_A_UUID }, status: 400, field: '/params/eventId' },
      { what: 'an event that does not exist', as: 'administrator', params: { eventId: NO_SUCH_ID }, status: 404 },
    ],
  },
  {
    route: 'GET /api/events/:eventId/invites',
    as: 'coordinator',
    cases: [
      { what: 'an event id that is not a UUID', params: { eventId: '123' }, status: 400, field: '/params/eventId' },
      { what: 'an event that does not exist', as: 'administrator', params: { eventId: NO_SUCH_ID }, status: 404 },
    ],
  },
  {
    route: 'DELETE /api/events/:eventId/contingents/:contingentId',
    as: 'coordinator',
    cases: [
      { what: 'an event id that is not a UUID', params: { eventId: NOT_A_UUID }, status: 400, field: '/params/eventId' },
      { what: 'a contingent id that is not a UUID', params: { contingentId: NOT_A_UUID }, status: 400, field: '/params/contingentId' },
      { what: 'a contingent id in URN form', params: { contingentId: (f) => urn(f.a.id) }, status: 400, field: '/params/contingentId' },
      { what: 'a contingent that does not exist', params: { contingentId: NO_SUCH_ID }, status: 404 },
      { what: 'a contingent that still holds copies of the paper', status: 409, reason: 'holds_stock' },
    ],
  },
  {
    route: 'DELETE /api/events/:eventId/meeting-points/:meetingPointId',
    as: 'coordinator',
    cases: [
      { what: 'a meeting point id that is not a UUID', params: { meetingPointId: NOT_A_UUID }, status: 400, field: '/params/meetingPointId' },
      { what: 'a meeting point id in URN form', params: { meetingPointId: (f) => urn(f.meetingPoint.id) }, status: 400, field: '/params/meetingPointId' },
      { what: 'a meeting point that does not exist', params: { meetingPointId: NO_SUCH_ID }, status: 404 },
    ],
  },
  {
    route: 'DELETE /api/events/:eventId/invites/:inviteId',
    as: 'coordinator',
    cases: [
      { what: 'an invite id that is not a UUID', params: { inviteId: NOT_A_UUID }, status: 400, field: '/params/inviteId' },
      { what: 'an invite id in URN form', params: { inviteId: (f) => urn(f.invite.invite.id) }, status: 400, field: '/params/inviteId' },
      { what: 'an invite that does not exist', params: { inviteId: NO_SUCH_ID }, status: 404 },
    ],
  },
  {
    route: 'GET /api/events/:eventId/role-slots',
    as: 'coordinator',
    cases: [
      { what: 'the contingentId "nope"', query: 'contingentId=nope', status: 400, field: '/querystring/contingentId' },
      { what: 'a contingentId in URN form', query: (f) => `contingentId=${urn(f.a.id)}`, status: 400, field: '/querystring/contingentId' },
      { what: 'two contingentIds', query: (f) => `contingentId=${f.a.id}&contingentId=${f.b.id}`, status: 400, field: '/querystring/contingentId' },
      { what: 'an unknown query parameter', query: 'surprise=1', status: 400, field: '/querystring/surprise' },
      { what: 'contingentid spelt in lower case', query: (f) => `contingentid=${f.a.id}`, status: 400, field: '/querystring/contingentid' },
      { what: 'an event id that is not a UUID', params: { eventId: NOT_A_UUID }, status: 400, field: '/params/eventId' },
      { what: 'an event that does not exist', as: 'administrator', params: { eventId: NO_SUCH_ID }, status: 404 },
    ],
  },
  {
    route: 'POST /api/events/:eventId/role-slots',
    as: 'coordinator',
    cases: [
      { what: 'a missing name', body: without(validRoleSlot, 'name'), status: 400, field: '/body/name' },
      { what: 'a missing capacity', body: without(validRoleSlot, 'capacity'), status: 400, field: '/body/capacity' },
      { what: 'capacity 0', body: { ...validRoleSlot, capacity: 0 }, status: 400, field: '/body/capacity' },
      { what: 'capacity 501', body: { ...validRoleSlot, capacity: 501 }, status: 400, field: '/body/capacity' },
      { what: 'capacity 2.5', body: { ...validRoleSlot, capacity: 2.5 }, status: 400, field: '/body/capacity' },
      { what: 'capacity written as a string', body: { ...validRoleSlot, capacity: '5' }, status: 400, field: '/body/capacity' },
      { what: 'a negative needMinimum', body: { ...validRoleSlot, needMinimum: -1 }, status: 400, field: '/body/needMinimum' },
      { what: 'needMinimum 501', body: { ...validRoleSlot, needMinimum: 501 }, status: 400, field: '/body/needMinimum' },
      { what: 'needPerMarchers 0', body: { ...validRoleSlot, needPerMarchers: 0 }, status: 400, field: '/body/needPerMarchers' },
      { what: 'the start time 25:00', body: { ...validRoleSlot, startTime: '25:00', endTime: '12:00' }, status: 400, field: '/body/startTime' },
      { what: 'the start time 10:60', body: { ...validRoleSlot, startTime: '10:60', endTime: '12:00' }, status: 400, field: '/body/startTime' },
      { what: 'the end time 9:30 without its leading zero', body: { ...validRoleSlot, startTime: '08:00', endTime: '9:30' }, status: 400, field: '/body/endTime' },
      { what: 'a start time without an end', body: { ...validRoleSlot, startTime: '10:00' }, status: 400, field: '/body/endTime' },
      { what: 'an end time without a start', body: { ...validRoleSlot, endTime: '10:00' }, status: 400, field: '/body/endTime' },
      { what: 'an end before the start', body: { ...validRoleSlot, startTime: '12:00', endTime: '09:00' }, status: 400, field: '/body/endTime' },
      { what: 'an end equal to the start', body: { ...validRoleSlot, startTime: '10:00', endTime: '10:00' }, status: 400, field: '/body/endTime' },
      { what: 'the unknown preset "wizard"', body: { ...validRoleSlot, preset: 'wizard' }, status: 400, field: '/body/preset' },
      { what: 'filled, which only the server counts', body: { ...validRoleSlot, filled: 0 }, status: 400, field: '/body/filled' },
      { what: 'an eventId, which the URL gives', body: (f: Fixtures) => ({ ...validRoleSlot, eventId: f.event.id }), status: 400, field: '/body/eventId' },
      { what: 'a contingent of another event', body: (f: Fixtures) => ({ ...validRoleSlot, contingentId: f.elsewhere.contingent.id }), status: 400, field: '/body/contingentId' },
      { what: 'a contingent that does not exist', body: { ...validRoleSlot, contingentId: NO_SUCH_ID }, status: 400, field: '/body/contingentId' },
      { what: 'a contingent id in URN form', body: (f: Fixtures) => ({ ...validRoleSlot, contingentId: urn(f.a.id) }), status: 400, field: '/body/contingentId' },
      { what: 'a meeting point of another event', body: (f: Fixtures) => ({ ...validRoleSlot, meetingPointId: f.elsewhere.meetingPoint.id }), status: 400, field: '/body/meetingPointId' },
      { what: 'a meeting point that does not exist', body: { ...validRoleSlot, meetingPointId: NO_SUCH_ID }, status: 400, field: '/body/meetingPointId' },
      { what: 'a name of 100 kB', body: { ...validRoleSlot, name: HUNDRED_KB }, status: 400, field: '/body/name' },
      { what: 'a blank name', body: { ...validRoleSlot, name: '  ' }, status: 400, field: '/body/name' },
      { what: 'a name with a NUL character', body: { ...validRoleSlot, name: NUL }, status: 400, field: '/body/name' },
      { what: 'a description with a NUL character', body: { ...validRoleSlot, description: NUL }, status: 400, field: '/body/description' },
      { what: 'critical as "yes"', body: { ...validRoleSlot, critical: 'yes' }, status: 400, field: '/body/critical' },
      { what: 'an event id that is not a UUID', params: { eventId: NOT_A_UUID }, body: validRoleSlot, status: 400, field: '/params/eventId' },
      { what: 'an event that does not exist', as: 'administrator', params: { eventId: NO_SUCH_ID }, body: validRoleSlot, status: 404 },
      ...malformedBodies(() => validRoleSlot),
    ],
  },
  {
    route: 'PATCH /api/events/:eventId/role-slots/:slotId',
    as: 'coordinator',
    cases: [
      { what: 'no fields at all', body: {}, status: 400, field: '/body' },
      { what: 'a null name', body: { name: null }, status: 400, field: '/body/name' },
      { what: 'capacity 0', body: { capacity: 0 }, status: 400, field: '/body/capacity' },
      { what: 'capacity 501', body: { capacity: 501 }, status: 400, field: '/body/capacity' },
      { what: 'capacity 2.5', body: { capacity: 2.5 }, status: 400, field: '/body/capacity' },
      { what: 'capacity written as a string', body: { capacity: '5' }, status: 400, field: '/body/capacity' },
      { what: 'capacity 1, below the 2 places taken', body: { capacity: 1 }, status: 409 },
      { what: 'a negative needMinimum', body: { needMinimum: -1 }, status: 400, field: '/body/needMinimum' },
      { what: 'needPerMarchers 0', body: { needPerMarchers: 0 }, status: 400, field: '/body/needPerMarchers' },
      { what: 'the start time 25:00', body: { startTime: '25:00' }, status: 400, field: '/body/startTime' },
      { what: 'a start time with the end cleared', body: { startTime: '10:00', endTime: null }, status: 400, field: '/body/endTime' },
      { what: 'the start cleared and the end kept', body: { startTime: null }, status: 400, field: '/body/endTime' },
      { what: "an end before the slot's start", body: { endTime: '08:00' }, status: 400, field: '/body/endTime' },
      { what: "a start after the slot's end", body: { startTime: '13:00' }, status: 400, field: '/body/endTime' },
      { what: 'the unknown preset "wizard"', body: { preset: 'wizard' }, status: 400, field: '/body/preset' },
      { what: 'a move to another contingent', body: (f: Fixtures) => ({ contingentId: f.b.id }), status: 400, field: '/body/contingentId' },
      { what: 'a move to a contingent of another event', body: (f: Fixtures) => ({ contingentId: f.elsewhere.contingent.id }), status: 400, field: '/body/contingentId' },
      { what: 'filled, which only the server counts', body: { filled: 0 }, status: 400, field: '/body/filled' },
      { what: 'a meeting point of another event', body: (f: Fixtures) => ({ meetingPointId: f.elsewhere.meetingPoint.id }), status: 400, field: '/body/meetingPointId' },
      { what: 'a meeting point that does not exist', body: { meetingPointId: NO_SUCH_ID }, status: 400, field: '/body/meetingPointId' },
      { what: 'a name of 100 kB', body: { name: HUNDRED_KB }, status: 400, field: '/body/name' },
      { what: 'a name with a NUL character', body: { name: NUL }, status: 400, field: '/body/name' },
      { what: 'a slot id that is not a UUID', params: { slotId: NOT_A_UUID }, body: { name: 'x' }, status: 400, field: '/params/slotId' },
      { what: 'a slot id in URN form', params: { slotId: (f) => urn(f.slot.id) }, body: { name: 'x' }, status: 400, field: '/params/slotId' },
      { what: 'a slot that does not exist', params: { slotId: NO_SUCH_ID }, body: { name: 'x' }, status: 404 },
      { what: 'a slot of another event', params: { slotId: (f) => f.elsewhere.slot.id }, body: { name: 'x' }, status: 404 },
      ...malformedBodies(() => ({ name: 'Stewards' })),
    ],
  },
  {
    route: 'DELETE /api/events/:eventId/role-slots/:slotId',
    as: 'coordinator',
    cases: [
      { what: 'a slot id that is not a UUID', params: { slotId: NOT_A_UUID }, status: 400, field: '/params/slotId' },
      { what: 'a slot id in URN form', params: { slotId: (f) => urn(f.slot.id) }, status: 400, field: '/params/slotId' },
      { what: 'a slot that does not exist', params: { slotId: NO_SUCH_ID }, status: 404 },
      { what: 'a slot of another event', params: { slotId: (f) => f.elsewhere.slot.id }, status: 404 },
    ],
  },
  {
    route: 'POST /api/events/:eventId/role-slots/:slotId/claims',
    as: 'coordinator',
    params: { slotId: (f) => f.openSlot.id },
    cases: [
      { what: 'a personId, as if assigning someone', body: (f: Fixtures) => ({ personId: f.volunteer.person.id }), status: 400, field: '/body/personId' },
      ...malformedIdempotencyKeys(),
      { what: 'an Idempotency-Key already used for another request', headers: { 'idempotency-key': USED_KEY }, status: 409 },
      { what: 'a full slot', params: { slotId: (f) => f.fullSlot.id }, status: 409 },
      { what: 'a slot id that is not a UUID', params: { slotId: NOT_A_UUID }, status: 400, field: '/params/slotId' },
      { what: 'a slot id in URN form', params: { slotId: (f) => urn(f.openSlot.id) }, status: 400, field: '/params/slotId' },
      { what: 'an event id that is not a UUID', params: { eventId: NOT_A_UUID }, status: 400, field: '/params/eventId' },
      { what: 'a slot that does not exist', params: { slotId: NO_SUCH_ID }, status: 404 },
      { what: 'a slot of another event', params: { slotId: (f) => f.elsewhere.slot.id }, status: 404 },
      ...malformedActionBodies(),
    ],
  },
  {
    route: 'POST /api/events/:eventId/role-slots/:slotId/assignments',
    as: 'coordinator',
    cases: [
      { what: 'a missing personId', body: {}, status: 400, field: '/body/personId' },
      { what: 'a personId that is not a UUID', body: { personId: NOT_A_UUID }, status: 400, field: '/body/personId' },
      { what: 'a personId in URN form', body: (f: Fixtures) => ({ personId: urn(f.coordinator.person.id) }), status: 400, field: '/body/personId' },
      { what: 'a personId that is a number', body: { personId: 42 }, status: 400, field: '/body/personId' },
      { what: 'a list of people', body: (f: Fixtures) => ({ personId: [f.coordinator.person.id] }), status: 400, field: '/body/personId' },
      { what: 'someone in another event', body: (f: Fixtures) => ({ personId: f.elsewhere.volunteer.person.id }), status: 400, field: '/body/personId' },
      { what: 'a person who does not exist', body: { personId: NO_SUCH_ID }, status: 400, field: '/body/personId' },
      { what: 'the administrator, who is in no event', body: (f: Fixtures) => ({ personId: f.administrator.person.id }), status: 400, field: '/body/personId' },
      { what: "someone outside the leader's contingent", as: 'leader', body: (f: Fixtures) => ({ personId: f.coordinator.person.id }), status: 400, field: '/body/personId' },
      { what: 'someone who already holds the role', body: (f: Fixtures) => ({ personId: f.volunteer.person.id }), status: 409 },
      { what: 'a full slot', params: { slotId: (f) => f.fullSlot.id }, body: (f: Fixtures) => ({ personId: f.coordinator.person.id }), status: 409 },
      ...malformedIdempotencyKeys().map((request) => ({ ...request, body: (f: Fixtures) => ({ personId: f.coordinator.person.id }) })),
      { what: 'a slot id that is not a UUID', params: { slotId: NOT_A_UUID }, body: { personId: NO_SUCH_ID }, status: 400, field: '/params/slotId' },
      { what: 'a slot that does not exist', params: { slotId: NO_SUCH_ID }, body: (f: Fixtures) => ({ personId: f.coordinator.person.id }), status: 404 },
      ...malformedBodies((f) => ({ personId: f.coordinator.person.id })),
    ],
  },
  {
    route: 'DELETE /api/events/:eventId/role-slots/:slotId/claims/:claimId',
    as: 'coordinator',
    cases: [
      { what: 'a claim id that is not a UUID', params: { claimId: NOT_A_UUID }, status: 400, field: '/params/claimId' },
      { what: 'a claim id in URN form', params: { claimId: (f) => urn(f.claim.id) }, status: 400, field: '/params/claimId' },
      { what: 'a slot id that is not a UUID', params: { slotId: NOT_A_UUID }, status: 400, field: '/params/slotId' },
      { what: 'a claim that does not exist', params: { claimId: NO_SUCH_ID }, status: 404 },
      { what: 'the claim under another slot', params: { slotId: (f) => f.openSlot.id }, status: 404 },
      { what: 'a slot that does not exist', params: { slotId: NO_SUCH_ID }, status: 404 },
    ],
  },
  {
    route: 'POST /api/events/:eventId/role-slots/:slotId/waitlist',
    as: 'coordinator',
    params: { slotId: (f) => f.fullSlot.id },
    cases: [
      { what: 'a slot with free places', params: { slotId: (f) => f.openSlot.id }, status: 409 },
      { what: 'a personId, as if adding someone else', body: (f: Fixtures) => ({ personId: f.volunteer.person.id }), status: 400, field: '/body/personId' },
      ...malformedIdempotencyKeys(),
      { what: 'a slot id that is not a UUID', params: { slotId: NOT_A_UUID }, status: 400, field: '/params/slotId' },
      { what: 'a slot that does not exist', params: { slotId: NO_SUCH_ID }, status: 404 },
      { what: 'a slot of another event', params: { slotId: (f) => f.elsewhere.slot.id }, status: 404 },
      ...malformedActionBodies(),
    ],
  },
  {
    route: 'DELETE /api/events/:eventId/role-slots/:slotId/waitlist',
    as: 'coordinator',
    cases: [
      { what: 'a waitlist the caller is not on', status: 404 },
      { what: 'a slot id that is not a UUID', params: { slotId: NOT_A_UUID }, status: 400, field: '/params/slotId' },
      { what: 'a slot id in URN form', params: { slotId: (f) => urn(f.fullSlot.id) }, status: 400, field: '/params/slotId' },
      { what: 'a slot that does not exist', params: { slotId: NO_SUCH_ID }, status: 404 },
    ],
  },
  {
    route: 'GET /api/events/:eventId/contingents/:contingentId/members',
    as: 'coordinator',
    cases: [
      { what: 'a contingent id that is not a UUID', params: { contingentId: NOT_A_UUID }, status: 400, field: '/params/contingentId' },
      { what: 'a contingent id in URN form', params: { contingentId: (f) => urn(f.a.id) }, status: 400, field: '/params/contingentId' },
      { what: 'a contingent that does not exist', params: { contingentId: NO_SUCH_ID }, status: 404 },
    ],
  },
  {
    route: 'GET /api/events/:eventId/contingents/:contingentId/roster.csv',
    as: 'coordinator',
    cases: [
      { what: 'a contingent id that is not a UUID', params: { contingentId: NOT_A_UUID }, status: 400, field: '/params/contingentId' },
      { what: 'a contingent id in URN form', params: { contingentId: (f) => urn(f.a.id) }, status: 400, field: '/params/contingentId' },
      { what: 'a contingent that does not exist', params: { contingentId: NO_SUCH_ID }, status: 404 },
      { what: 'a contingent of another event', params: { contingentId: (f) => f.elsewhere.contingent.id }, status: 404 },
    ],
  },
  {
    route: 'PUT /api/events/:eventId/contingents/:contingentId/position',
    as: 'leader',
    cases: [
      { what: 'latitude 91', body: report({ position: { lat: 91, lng: 0 } }), status: 400, field: '/body/position/lat' },
      { what: 'latitude -90.5', body: report({ position: { lat: -90.5, lng: 0 } }), status: 400, field: '/body/position/lat' },
      { what: 'longitude 181', body: report({ position: { lat: 0, lng: 181 } }), status: 400, field: '/body/position/lng' },
      { what: 'the latitude "NaN" as a string', body: report({ position: { lat: 'NaN', lng: 0 } }), status: 400, field: '/body/position/lat' },
      { what: 'the latitude 1e999, which parses as Infinity', raw: `{"position": {"lat": 1e999, "lng": 0}, "accuracy": 5, "recordedAt": "${fromNow(0)}"}`, status: 400, field: '/body/position/lat' },
      { what: 'a missing position', body: () => without(validReport(), 'position'), status: 400, field: '/body/position' },
      { what: 'a position without a longitude', body: report({ position: { lat: 1 } }), status: 400, field: '/body/position/lng' },
      { what: 'a position as a [lng, lat] pair', body: report({ position: [here.lng, here.lat] }), status: 400, field: '/body/position' },
      { what: 'an unknown field inside the position', body: report({ position: { ...here, altitude: 12 } }), status: 400, field: '/body/position/altitude' },
      { what: 'a negative accuracy', body: report({ accuracy: -1 }), status: 400, field: '/body/accuracy' },
      { what: 'an accuracy of 1001 m', body: report({ accuracy: 1001 }), status: 400, field: '/body/accuracy' },
      { what: 'an accuracy written as a string', body: report({ accuracy: '12' }), status: 400, field: '/body/accuracy' },
      { what: 'a null accuracy', body: report({ accuracy: null }), status: 400, field: '/body/accuracy' },
      { what: 'a missing accuracy', body: () => without(validReport(), 'accuracy'), status: 400, field: '/body/accuracy' },
      { what: 'a missing recordedAt', body: () => without(validReport(), 'recordedAt'), status: 400, field: '/body/recordedAt' },
      { what: 'a recordedAt of "now"', body: report({ recordedAt: 'now' }), status: 400, field: '/body/recordedAt' },
      { what: 'a recordedAt in milliseconds since 1970', body: () => report({ recordedAt: Date.now() })(), status: 400, field: '/body/recordedAt' },
      { what: 'a recordedAt without a time zone', body: () => report({ recordedAt: fromNow(0).slice(0, 19) })(), status: 400, field: '/body/recordedAt' },
      { what: 'a recordedAt on 2027-02-30', body: report({ recordedAt: '2027-02-30T10:00:00Z' }), status: 400, field: '/body/recordedAt' },
      { what: 'a recordedAt an hour in the future', body: () => report({ recordedAt: fromNow(60 * MINUTE) })(), status: 400, field: '/body/recordedAt' },
      { what: 'a recordedAt 15 s ahead, past the 5 s of clock skew allowed', body: () => report({ recordedAt: fromNow(15_000) })(), status: 400, field: '/body/recordedAt' },
      { what: 'a recordedAt 10 minutes old', body: () => report({ recordedAt: fromNow(-10 * MINUTE) })(), status: 400, field: '/body/recordedAt' },
      { what: 'a recordedAt in 2001', body: report({ recordedAt: '2001-05-01T10:00:00Z' }), status: 400, field: '/body/recordedAt' },
      { what: 'receivedAt, which the server sets', body: () => report({ receivedAt: fromNow(0) })(), status: 400, field: '/body/receivedAt' },
      { what: 'a contingentId, which the URL gives', body: (f: Fixtures) => report({ contingentId: f.b.id })(), status: 400, field: '/body/contingentId' },
      { what: 'a report measured before the one kept', as: 'coordinator', params: { contingentId: (f) => f.b.id }, body: (f: Fixtures) => report({ recordedAt: afterKept(-1000)(f) })(), status: 409 },
      { what: 'a report measured when the one kept was', as: 'coordinator', params: { contingentId: (f) => f.b.id }, body: (f: Fixtures) => report({ recordedAt: f.kept.recordedAt })(), status: 409 },
      { what: 'a contingent id that is not a UUID', params: { contingentId: NOT_A_UUID }, body: validReport, status: 400, field: '/params/contingentId' },
      { what: 'a contingent id in URN form', params: { contingentId: (f) => urn(f.a.id) }, body: validReport, status: 400, field: '/params/contingentId' },
      { what: 'a contingent that does not exist', as: 'coordinator', params: { contingentId: NO_SUCH_ID }, body: validReport, status: 404 },
      { what: 'a contingent of another event', as: 'coordinator', params: { contingentId: (f) => f.elsewhere.contingent.id }, body: validReport, status: 404 },
      { what: 'an event id that is not a UUID', params: { eventId: NOT_A_UUID }, body: validReport, status: 400, field: '/params/eventId' },
      { what: 'an event that does not exist', as: 'administrator', params: { eventId: NO_SUCH_ID }, body: validReport, status: 404 },
      ...malformedBodies(validReport),
    ],
  },
  {
    route: 'PUT /api/events/:eventId/contingents/:contingentId/status',
    as: 'leader',
    cases: [
      { what: 'the status "lost"', body: { status: 'lost' }, status: 400, field: '/body/status' },
      { what: 'the status "Marching" in capitals', body: { status: 'Marching' }, status: 400, field: '/body/status' },
      { what: 'a null status', body: { status: null }, status: 400, field: '/body/status' },
      { what: 'a status that is a number', body: { status: 1 }, status: 400, field: '/body/status' },
      { what: 'a missing status', body: {}, status: 400, field: '/body/status' },
      { what: 'statusChangedAt, which the server sets', body: { status: 'marching', statusChangedAt: '2027-05-01T10:00:00Z' }, status: 400, field: '/body/statusChangedAt' },
      { what: 'a contingent id that is not a UUID', params: { contingentId: NOT_A_UUID }, body: { status: 'marching' }, status: 400, field: '/params/contingentId' },
      { what: 'a contingent id in URN form', params: { contingentId: (f) => urn(f.a.id) }, body: { status: 'marching' }, status: 400, field: '/params/contingentId' },
      { what: 'a contingent that does not exist', as: 'coordinator', params: { contingentId: NO_SUCH_ID }, body: { status: 'marching' }, status: 404 },
      { what: 'a contingent of another event', as: 'coordinator', params: { contingentId: (f) => f.elsewhere.contingent.id }, body: { status: 'marching' }, status: 404 },
      { what: 'an event id that is not a UUID', params: { eventId: NOT_A_UUID }, body: { status: 'marching' }, status: 400, field: '/params/eventId' },
      { what: 'an event that does not exist', as: 'administrator', params: { eventId: NO_SUCH_ID }, body: { status: 'marching' }, status: 404 },
      ...malformedBodies(() => ({ status: 'marching' })),
    ],
  },
  {
    route: 'POST /api/events/:eventId/announcements',
    as: 'coordinator',
    cases: [
      { what: 'a missing body', body: without(validAnnouncement, 'body'), status: 400, field: '/body/body' },
      { what: 'an empty body', body: announce({ body: '' }), status: 400, field: '/body/body' },
      { what: 'a blank body', body: announce({ body: ' \n\t ' }), status: 400, field: '/body/body' },
      { what: 'a body of 501 characters', body: announce({ body: 'x'.repeat(501) }), status: 400, field: '/body/body' },
      { what: 'a body with a NUL character', body: announce({ body: NUL }), status: 400, field: '/body/body' },
      { what: 'a body that is a number', body: announce({ body: 42 }), status: 400, field: '/body/body' },
      { what: 'a missing target', body: without(validAnnouncement, 'target'), status: 400, field: '/body/target' },
      { what: 'the target "everyone"', body: announce({ target: 'everyone' }), status: 400, field: '/body/target' },
      { what: 'a contingent target without a contingentId', body: announce({ target: 'contingent' }), status: 400, field: '/body/contingentId' },
      { what: 'a contingent target with a roleSlotId too', body: (f: Fixtures) => announce({ target: 'contingent', contingentId: f.a.id, roleSlotId: f.slot.id }), status: 400, field: '/body/roleSlotId' },
      { what: 'an event target with a contingentId', body: (f: Fixtures) => announce({ contingentId: f.a.id }), status: 400, field: '/body/contingentId' },
      { what: 'an event target with a roleSlotId', body: (f: Fixtures) => announce({ roleSlotId: f.slot.id }), status: 400, field: '/body/roleSlotId' },
      { what: 'a role target without a roleSlotId', body: announce({ target: 'role' }), status: 400, field: '/body/roleSlotId' },
      { what: 'a role target without a roleSlotId but with a contingentId', body: (f: Fixtures) => announce({ target: 'role', contingentId: f.a.id }), status: 400, field: '/body/roleSlotId' },
      { what: 'a role target with a contingentId too', body: (f: Fixtures) => announce({ target: 'role', roleSlotId: f.slot.id, contingentId: f.a.id }), status: 400, field: '/body/contingentId' },
      { what: 'a contingentId that is not a UUID', body: announce({ target: 'contingent', contingentId: NOT_A_UUID }), status: 400, field: '/body/contingentId' },
      { what: 'a null contingentId', body: announce({ target: 'contingent', contingentId: null }), status: 400, field: '/body/contingentId' },
      { what: 'a roleSlotId in URN form', body: (f: Fixtures) => announce({ target: 'role', roleSlotId: urn(f.slot.id) }), status: 400, field: '/body/roleSlotId' },
      { what: 'a contingent that does not exist', body: announce({ target: 'contingent', contingentId: NO_SUCH_ID }), status: 400, field: '/body/contingentId' },
      { what: 'a contingent of another event', body: (f: Fixtures) => announce({ target: 'contingent', contingentId: f.elsewhere.contingent.id }), status: 400, field: '/body/contingentId' },
      { what: 'a role slot that does not exist', body: announce({ target: 'role', roleSlotId: NO_SUCH_ID }), status: 400, field: '/body/roleSlotId' },
      { what: 'a role slot of another event', body: (f: Fixtures) => announce({ target: 'role', roleSlotId: f.elsewhere.slot.id }), status: 400, field: '/body/roleSlotId' },
      { what: 'authorName, which the server sets', body: announce({ authorName: 'The Board' }), status: 400, field: '/body/authorName' },
      { what: 'recipientIds, which the server works out', body: (f: Fixtures) => announce({ recipientIds: [f.volunteer.person.id] }), status: 400, field: '/body/recipientIds' },
      { what: 'an event id that is not a UUID', params: { eventId: NOT_A_UUID }, body: validAnnouncement, status: 400, field: '/params/eventId' },
      { what: 'an event that does not exist', as: 'administrator', params: { eventId: NO_SUCH_ID }, body: validAnnouncement, status: 404 },
      ...malformedBodies(() => validAnnouncement),
    ],
  },
  {
    route: 'POST /api/events/:eventId/check-ins',
    as: 'volunteer',
    cases: [
      { what: 'a meetingPointId that is not a UUID', body: { meetingPointId: NOT_A_UUID }, status: 400, field: '/body/meetingPointId' },
      { what: 'a meetingPointId in URN form', body: (f: Fixtures) => ({ meetingPointId: urn(f.meetingPoint.id) }), status: 400, field: '/body/meetingPointId' },
      { what: 'a meetingPointId in upper case', body: (f: Fixtures) => ({ meetingPointId: f.meetingPoint.id.toUpperCase() }), status: 400, field: '/body/meetingPointId' },
      { what: 'a null meetingPointId', body: { meetingPointId: null }, status: 400, field: '/body/meetingPointId' },
      { what: 'a meetingPointId that is a number', body: { meetingPointId: 42 }, status: 400, field: '/body/meetingPointId' },
      { what: 'a list of meeting points', body: (f: Fixtures) => ({ meetingPointId: [f.meetingPoint.id] }), status: 400, field: '/body/meetingPointId' },
      { what: 'a meeting point that does not exist', body: { meetingPointId: NO_SUCH_ID }, status: 400, field: '/body/meetingPointId' },
      { what: 'a meeting point of another event', body: (f: Fixtures) => ({ meetingPointId: f.elsewhere.meetingPoint.id }), status: 400, field: '/body/meetingPointId' },
      { what: 'a personId, as if checking someone else in', body: (f: Fixtures) => ({ personId: f.leader.person.id }), status: 400, field: '/body/personId' },
      { what: 'a contingentId, which the server takes from the caller', body: (f: Fixtures) => ({ contingentId: f.b.id }), status: 400, field: '/body/contingentId' },
      { what: 'checkedInAt, which the server sets', body: { checkedInAt: '2027-05-01T09:12:00Z' }, status: 400, field: '/body/checkedInAt' },
      ...malformedIdempotencyKeys(),
      { what: 'an Idempotency-Key already used for another request', as: 'coordinator', headers: { 'idempotency-key': USED_KEY }, status: 409 },
      { what: 'an administrator, who is in no event', as: 'administrator', status: 403 },
      { what: 'an event id that is not a UUID', params: { eventId: NOT_A_UUID }, status: 400, field: '/params/eventId' },
      { what: 'an event id in URN form', params: { eventId: (f) => urn(f.event.id) }, status: 400, field: '/params/eventId' },
      { what: 'an event the volunteer has not joined', params: { eventId: NO_SUCH_ID }, status: 403 },
      ...malformedActionBodies(),
    ],
  },
  {
    route: 'GET /api/events/:eventId/check-ins/me',
    as: 'volunteer',
    cases: [
      { what: 'an event id that is not a UUID', params: { eventId: NOT_A_UUID }, status: 400, field: '/params/eventId' },
      { what: 'an event id in URN form', params: { eventId: (f) => urn(f.event.id) }, status: 400, field: '/params/eventId' },
      { what: 'an administrator, who is in no event', as: 'administrator', status: 403 },
    ],
  },
  {
    route: 'DELETE /api/events/:eventId/check-ins/me',
    as: 'volunteer',
    cases: [
      { what: 'a check-in the caller does not have', status: 404 },
      { what: 'an event id that is not a UUID', params: { eventId: NOT_A_UUID }, status: 400, field: '/params/eventId' },
      { what: 'an event id in URN form', params: { eventId: (f) => urn(f.event.id) }, status: 400, field: '/params/eventId' },
      { what: 'an administrator, who is in no event', as: 'administrator', status: 403 },
    ],
  },
  {
    route: 'GET /api/events/:eventId/attendance',
    as: 'coordinator',
    cases: [
      { what: 'an event id that is not a UUID', params: { eventId: NOT_A_UUID }, status: 400, field: '/params/eventId' },
      { what: 'an event id in URN form', as: 'administrator', params: { eventId: (f) => urn(f.event.id) }, status: 400, field: '/params/eventId' },
      { what: 'an event that does not exist', as: 'administrator', params: { eventId: NO_SUCH_ID }, status: 404 },
      { what: 'a volunteer, who sees only their own check-in', as: 'volunteer', status: 403 },
    ],
  },
  {
    route: 'GET /api/events/:eventId/announcements',
    as: 'coordinator',
    cases: [
      { what: 'an event id that is not a UUID', params: { eventId: NOT_A_UUID }, status: 400, field: '/params/eventId' },
      { what: 'an event id in URN form', as: 'administrator', params: { eventId: (f) => urn(f.event.id) }, status: 400, field: '/params/eventId' },
      { what: 'an event that does not exist', as: 'administrator', params: { eventId: NO_SUCH_ID }, status: 404 },
    ],
  },
  {
    route: 'GET /api/events/:eventId/materials',
    as: 'volunteer',
    cases: [
      { what: 'an event id that is not a UUID', params: { eventId: NOT_A_UUID }, status: 400, field: '/params/eventId' },
      { what: 'an event id in URN form', params: { eventId: (f) => urn(f.event.id) }, status: 400, field: '/params/eventId' },
      { what: 'an event the volunteer has not joined', params: { eventId: (f) => f.elsewhere.event.id }, status: 403 },
      { what: 'an event that does not exist', as: 'administrator', params: { eventId: NO_SUCH_ID }, status: 404 },
    ],
  },
  {
    route: 'POST /api/events/:eventId/materials',
    as: 'coordinator',
    cases: [
      { what: 'a missing kind', body: without(validMaterial, 'kind'), status: 400, field: '/body/kind' },
      { what: 'the kind "poster"', body: material({ kind: 'poster' }), status: 400, field: '/body/kind' },
      { what: 'the kind "Sign" in capitals', body: material({ kind: 'Sign' }), status: 400, field: '/body/kind' },
      { what: 'a missing name', body: without(validMaterial, 'name'), status: 400, field: '/body/name' },
      { what: 'a blank name', body: material({ name: '  ' }), status: 400, field: '/body/name' },
      { what: 'a name of 121 characters', body: material({ name: 'x'.repeat(121) }), status: 400, field: '/body/name' },
      { what: 'a name with a NUL character', body: material({ name: NUL }), status: 400, field: '/body/name' },
      { what: 'a name that is a number', body: material({ name: 1 }), status: 400, field: '/body/name' },
      { what: 'a slogan on literature', body: material({ slogan: 'Eight hours for what we will' }), status: 400, field: '/body/slogan' },
      { what: 'a slogan on a shirt', body: { kind: 'shirt', name: 'Union red', slogan: 'Solidarity' }, status: 400, field: '/body/slogan' },
      { what: 'a slogan of 201 characters on a sign', body: { kind: 'sign', name: 'Placard', slogan: 'x'.repeat(201) }, status: 400, field: '/body/slogan' },
      { what: 'a blank slogan on a sign', body: { kind: 'sign', name: 'Placard', slogan: ' ' }, status: 400, field: '/body/slogan' },
      { what: 'a slogan with a NUL character', body: { kind: 'sign', name: 'Placard', slogan: NUL }, status: 400, field: '/body/slogan' },
      { what: 'the language "Spanish"', body: material({ language: 'Spanish' }), status: 400, field: '/body/language' },
      { what: 'the language "ES" in capitals', body: material({ language: 'ES' }), status: 400, field: '/body/language' },
      { what: 'the language "es_MX" with an underscore', body: material({ language: 'es_MX' }), status: 400, field: '/body/language' },
      { what: 'an empty language', body: material({ language: '' }), status: 400, field: '/body/language' },
      { what: 'a null language', body: material({ language: null }), status: 400, field: '/body/language' },
      { what: 'a language tag of 36 characters', body: material({ language: `es${'-abcdefgh'.repeat(3)}-abcdef` }), status: 400, field: '/body/language' },
      { what: 'a blank unit', body: material({ unit: ' ' }), status: 400, field: '/body/unit' },
      { what: 'a unit of 31 characters', body: material({ unit: 'x'.repeat(31) }), status: 400, field: '/body/unit' },
      { what: 'a unit with a NUL character', body: material({ unit: NUL }), status: 400, field: '/body/unit' },
      { what: 'an id of its own choosing', body: material({ id: NO_SUCH_ID }), status: 400, field: '/body/id' },
      { what: 'an eventId in the body', body: (f: Fixtures) => material({ eventId: f.elsewhere.event.id }), status: 400, field: '/body/eventId' },
      { what: 'an event id that is not a UUID', params: { eventId: NOT_A_UUID }, body: validMaterial, status: 400, field: '/params/eventId' },
      { what: 'an event that does not exist', as: 'administrator', params: { eventId: NO_SUCH_ID }, body: validMaterial, status: 404 },
      ...malformedBodies(() => validMaterial),
    ],
  },
  {
    route: 'PUT /api/events/:eventId/materials/:materialId/level',
    as: 'coordinator',
    cases: [
      { what: 'a negative planned', body: level({ planned: -1 }), status: 400, field: '/body/planned' },
      { what: 'a negative lowStockThreshold', body: level({ lowStockThreshold: -1 }), status: 400, field: '/body/lowStockThreshold' },
      { what: 'a fractional planned', body: level({ planned: 1.5 }), status: 400, field: '/body/planned' },
      { what: 'a planned written as a string', body: level({ planned: '40' }), status: 400, field: '/body/planned' },
      { what: 'a planned over a million', body: level({ planned: MAX_QUANTITY + 1 }), status: 400, field: '/body/planned' },
      { what: 'a lowStockThreshold of true', body: level({ lowStockThreshold: true }), status: 400, field: '/body/lowStockThreshold' },
      { what: 'a missing planned', body: lacking(validLevel)('planned'), status: 400, field: '/body/planned' },
      { what: 'a missing lowStockThreshold', body: lacking(validLevel)('lowStockThreshold'), status: 400, field: '/body/lowStockThreshold' },
      { what: 'neither a depot nor a contingent', body: { planned: 40, lowStockThreshold: 10 }, status: 400, field: '/body/depotId' },
      { what: 'both a depot and a contingent', body: level((f) => ({ depotId: f.ledger.depot.id })), status: 400, field: '/body/contingentId' },
      { what: 'a depot of another event', body: (f: Fixtures) => ({ depotId: f.elsewhere.depot.id, planned: 1, lowStockThreshold: 1 }), status: 400, field: '/body/depotId' },
      { what: 'a contingent of another event', body: level((f) => ({ contingentId: f.elsewhere.contingent.id })), status: 400, field: '/body/contingentId' },
      { what: 'a contingent that does not exist', body: level({ contingentId: NO_SUCH_ID }), status: 400, field: '/body/contingentId' },
      { what: 'a contingentId that is not a UUID', body: level({ contingentId: NOT_A_UUID }), status: 400, field: '/body/contingentId' },
      { what: 'a holder of its own making', body: level({ holder: 'supplier' }), status: 400, field: '/body/holder' },
      { what: 'a leader setting their own contingent’s level', as: 'leader', body: validLevel, status: 403 },
      { what: 'a material id that is not a UUID', params: { materialId: NOT_A_UUID }, body: validLevel, status: 400, field: '/params/materialId' },
      { what: 'a material id in URN form', params: { materialId: (f) => urn(f.ledger.paper.id) }, body: validLevel, status: 400, field: '/params/materialId' },
      { what: 'a material that does not exist', params: { materialId: NO_SUCH_ID }, body: validLevel, status: 404 },
      { what: 'a material of another event', as: 'administrator', params: { materialId: (f) => f.elsewhere.material.id }, body: validLevel, status: 404 },
      { what: 'an event id that is not a UUID', params: { eventId: NOT_A_UUID }, body: validLevel, status: 400, field: '/params/eventId' },
      { what: 'an event that does not exist', as: 'administrator', params: { eventId: NO_SUCH_ID }, body: validLevel, status: 404 },
      ...malformedBodies(validLevel),
    ],
  },
  {
    route: 'GET /api/events/:eventId/depots',
    as: 'leader',
    cases: [
      { what: 'an event id that is not a UUID', params: { eventId: NOT_A_UUID }, status: 400, field: '/params/eventId' },
      { what: 'an event id in URN form', params: { eventId: (f) => urn(f.event.id) }, status: 400, field: '/params/eventId' },
      { what: 'an event that does not exist', as: 'administrator', params: { eventId: NO_SUCH_ID }, status: 404 },
    ],
  },
  {
    route: 'POST /api/events/:eventId/depots',
    as: 'coordinator',
    cases: [
      { what: 'a missing name', body: without(validDepot, 'name'), status: 400, field: '/body/name' },
      { what: 'a blank name', body: { ...validDepot, name: ' ' }, status: 400, field: '/body/name' },
      { what: 'a name of 121 characters', body: { ...validDepot, name: 'x'.repeat(121) }, status: 400, field: '/body/name' },
      { what: 'a name with a NUL character', body: { ...validDepot, name: NUL }, status: 400, field: '/body/name' },
      { what: 'a missing position', body: without(validDepot, 'position'), status: 400, field: '/body/position' },
      { what: 'latitude 91', body: { ...validDepot, position: { lat: 91, lng: 0 } }, status: 400, field: '/body/position/lat' },
      { what: 'longitude -181', body: { ...validDepot, position: { lat: 0, lng: -181 } }, status: 400, field: '/body/position/lng' },
      { what: 'the latitude "NaN" as a string', body: { ...validDepot, position: { lat: 'NaN', lng: 0 } }, status: 400, field: '/body/position/lat' },
      { what: 'the latitude 1e999, which parses as Infinity', raw: '{"name": "Hall", "position": {"lat": 1e999, "lng": 0}}', status: 400, field: '/body/position/lat' },
      { what: 'a position as a [lng, lat] pair', body: { ...validDepot, position: [here.lng, here.lat] }, status: 400, field: '/body/position' },
      { what: 'an unknown field inside the position', body: { ...validDepot, position: { ...here, altitude: 12 } }, status: 400, field: '/body/position/altitude' },
      { what: 'a leader adding a depot', as: 'leader', body: validDepot, status: 403 },
      { what: 'an event id that is not a UUID', params: { eventId: NOT_A_UUID }, body: validDepot, status: 400, field: '/params/eventId' },
      { what: 'an event that does not exist', as: 'administrator', params: { eventId: NO_SUCH_ID }, body: validDepot, status: 404 },
      ...malformedBodies(() => validDepot),
    ],
  },
  {
    route: 'POST /api/events/:eventId/movements',
    as: 'coordinator',
    cases: [
      { what: 'a missing materialId', body: lacking(validMovement)('materialId'), status: 400, field: '/body/materialId' },
      { what: 'a materialId that is not a UUID', body: movement({ materialId: NOT_A_UUID }), status: 400, field: '/body/materialId' },
      { what: 'a materialId in URN form', body: movement((f) => ({ materialId: urn(f.ledger.paper.id) })), status: 400, field: '/body/materialId' },
      { what: 'a material that does not exist', body: movement({ materialId: NO_SUCH_ID }), status: 400, field: '/body/materialId' },
      { what: 'a material of another event', body: movement((f) => ({ materialId: f.elsewhere.material.id })), status: 400, field: '/body/materialId' },
      { what: 'a missing kind', body: lacking(validMovement)('kind'), status: 400, field: '/body/kind' },
      { what: 'the kind "sold"', body: movement({ kind: 'sold' }), status: 400, field: '/body/kind' },
      { what: 'a quantity of 0', body: movement({ quantity: 0 }), status: 400, field: '/body/quantity' },
      { what: 'a negative quantity', body: movement({ quantity: -5 }), status: 400, field: '/body/quantity' },
      { what: 'a fractional quantity', body: movement({ quantity: 1.5 }), status: 400, field: '/body/quantity' },
      { what: 'a quantity over a million', body: movement({ quantity: MAX_QUANTITY + 1 }), status: 400, field: '/body/quantity' },
      { what: 'a quantity written as a string', body: movement({ quantity: '1' }), status: 400, field: '/body/quantity' },
      { what: 'a null quantity', body: movement({ quantity: null }), status: 400, field: '/body/quantity' },
      { what: 'a missing quantity', body: lacking(validMovement)('quantity'), status: 400, field: '/body/quantity' },
      { what: 'both a fromDepotId and a fromContingentId', body: movement((f) => ({ fromDepotId: f.ledger.depot.id })), status: 400, field: '/body/fromContingentId' },
      { what: 'a hand-out with nothing to take it from', body: lacking(validMovement)('fromContingentId'), status: 400, field: '/body/fromDepotId' },
      { what: 'received with a fromContingentId', body: paperMovement((f) => ({ kind: 'received', quantity: 1, fromContingentId: f.a.id, toDepotId: f.ledger.depot.id })), status: 400, field: '/body/fromContingentId' },
      { what: 'received with a fromDepotId', body: paperMovement((f) => ({ kind: 'received', quantity: 1, fromDepotId: f.ledger.depot.id, toDepotId: f.ledger.depot.id })), status: 400, field: '/body/fromDepotId' },
      { what: 'received with nowhere to put it', body: paperMovement({ kind: 'received', quantity: 1 }), status: 400, field: '/body/toDepotId' },
      { what: 'received into a contingent', body: paperMovement((f) => ({ kind: 'received', quantity: 1, toContingentId: f.a.id })), status: 400, field: '/body/toContingentId' },
      { what: 'distributed with a toDepotId', body: movement((f) => ({ toDepotId: f.ledger.depot.id })), status: 400, field: '/body/toDepotId' },
      { what: 'distributed with a toContingentId', body: movement((f) => ({ toContingentId: f.b.id })), status: 400, field: '/body/toContingentId' },
      { what: 'lost with a toDepotId', body: movement((f) => ({ kind: 'lost', toDepotId: f.ledger.depot.id })), status: 400, field: '/body/toDepotId' },
      { what: 'allocated from a contingent', body: paperMovement((f) => ({ kind: 'allocated', quantity: 1, fromContingentId: f.a.id, toContingentId: f.b.id })), status: 400, field: '/body/fromContingentId' },
      { what: 'allocated to a depot', body: paperMovement((f) => ({ kind: 'allocated', quantity: 1, fromDepotId: f.ledger.depot.id, toDepotId: f.ledger.depot.id })), status: 400, field: '/body/toDepotId' },
      { what: 'returned from a depot', body: paperMovement((f) => ({ kind: 'returned', quantity: 1, fromDepotId: f.ledger.depot.id, toDepotId: f.ledger.depot.id })), status: 400, field: '/body/fromDepotId' },
      { what: 'returned to a contingent', body: movement((f) => ({ kind: 'returned', toContingentId: f.b.id })), status: 400, field: '/body/toContingentId' },
      { what: 'transferred from A to A', body: movement((f) => ({ kind: 'transferred', toContingentId: f.a.id })), status: 400, field: '/body/toContingentId' },
      { what: 'transferred from the depot to itself', body: paperMovement((f) => ({ kind: 'transferred', quantity: 1, fromDepotId: f.ledger.depot.id, toDepotId: f.ledger.depot.id })), status: 400, field: '/body/toDepotId' },
      { what: 'a position on a received movement', body: paperMovement((f) => ({ kind: 'received', quantity: 1, toDepotId: f.ledger.depot.id, position: here })), status: 400, field: '/body/position' },
      { what: 'a position on a lost movement', body: movement({ kind: 'lost', position: here }), status: 400, field: '/body/position' },
      { what: 'a hand-out at latitude 91', body: movement({ position: { lat: 91, lng: 0 } }), status: 400, field: '/body/position/lat' },
      { what: 'a hand-out at longitude 181', body: movement({ position: { lat: 0, lng: 181 } }), status: 400, field: '/body/position/lng' },
      { what: 'a hand-out position with an altitude', body: movement({ position: { ...here, altitude: 3 } }), status: 400, field: '/body/position/altitude' },
      { what: 'a hand-out position as a [lng, lat] pair', body: movement({ position: [here.lng, here.lat] }), status: 400, field: '/body/position' },
      { what: 'a note of 501 characters', body: movement({ note: 'x'.repeat(501) }), status: 400, field: '/body/note' },
      { what: 'a note with a NUL character', body: movement({ note: NUL }), status: 400, field: '/body/note' },
      { what: 'a note that is a number', body: movement({ note: 5 }), status: 400, field: '/body/note' },
      { what: 'a fromContingentId that is not a UUID', body: movement({ fromContingentId: NOT_A_UUID }), status: 400, field: '/body/fromContingentId' },
      { what: 'a contingent of another event', body: movement((f) => ({ fromContingentId: f.elsewhere.contingent.id })), status: 400, field: '/body/fromContingentId' },
      { what: 'a depot of another event', body: paperMovement((f) => ({ kind: 'distributed', quantity: 1, fromDepotId: f.elsewhere.depot.id })), status: 400, field: '/body/fromDepotId' },
      { what: 'a toDepotId that does not exist', body: paperMovement({ kind: 'received', quantity: 1, toDepotId: NO_SUCH_ID }), status: 400, field: '/body/toDepotId' },
      { what: 'reverses on a hand-out', body: movement((f) => ({ reverses: f.ledger.handedOut.id })), status: 400, field: '/body/reverses' },
      { what: 'a reversal that names nothing to reverse', body: paperMovement({ kind: 'reversal' }), status: 400, field: '/body/reverses' },
      { what: 'a reversal with a quantity', body: paperMovement((f) => ({ kind: 'reversal', reverses: f.ledger.handedOut.id, quantity: 1 })), status: 400, field: '/body/quantity' },
      { what: 'a reversal with a fromContingentId', body: paperMovement((f) => ({ kind: 'reversal', reverses: f.ledger.handedOut.id, fromContingentId: f.a.id })), status: 400, field: '/body/fromContingentId' },
      { what: 'a reversal with a position', body: paperMovement((f) => ({ kind: 'reversal', reverses: f.ledger.handedOut.id, position: here })), status: 400, field: '/body/position' },
      { what: 'a reversal of a movement that does not exist', body: paperMovement({ kind: 'reversal', reverses: NO_SUCH_ID }), status: 400, field: '/body/reverses' },
      { what: 'a reversal of a movement of another event', body: paperMovement((f) => ({ kind: 'reversal', reverses: f.elsewhere.movement.id })), status: 400, field: '/body/reverses' },
      { what: 'a reversal of another event’s movement, under its material', as: 'administrator', body: (f: Fixtures) => ({ materialId: f.elsewhere.material.id, kind: 'reversal', reverses: f.elsewhere.movement.id }), status: 400, field: '/body/materialId' },
      { what: 'a reverses that is not a UUID', body: paperMovement({ kind: 'reversal', reverses: NOT_A_UUID }), status: 400, field: '/body/reverses' },
      { what: 'a reversal of a reversal', body: paperMovement((f) => ({ kind: 'reversal', reverses: f.ledger.reversal.id })), status: 400, field: '/body/reverses' },
      { what: 'a reversal under another material', body: (f: Fixtures) => ({ materialId: f.ledger.sign.id, kind: 'reversal', reverses: f.ledger.handedOut.id }), status: 400, field: '/body/materialId' },
      { what: 'a reversal of a movement reversed already', body: paperMovement((f) => ({ kind: 'reversal', reverses: f.ledger.reversed.id })), status: 409, reason: 'already_reversed' },
      { what: 'a volunteer’s reversal of what someone else recorded', as: 'volunteer', body: paperMovement((f) => ({ kind: 'reversal', reverses: f.ledger.handedOut.id })), status: 403 },
      { what: 'a hand-out of a million from A, which holds 49', body: movement({ quantity: MAX_QUANTITY }), status: 409, reason: 'insufficient_stock' },
      { what: 'a volunteer handing out 50 from A, which holds 49', as: 'volunteer', body: movement({ quantity: 50 }), status: 409, reason: 'insufficient_stock' },
      { what: 'an allocation of 251 from a depot holding 250', body: paperMovement((f) => ({ kind: 'allocated', quantity: 251, fromDepotId: f.ledger.depot.id, toContingentId: f.b.id })), status: 409, reason: 'insufficient_stock' },
      { what: 'a hand-out from B, which holds none', body: movement((f) => ({ fromContingentId: f.b.id })), status: 409, reason: 'insufficient_stock' },
      { what: 'a hand-out of a sign none were received of', body: movement((f) => ({ materialId: f.ledger.sign.id })), status: 409, reason: 'insufficient_stock' },
      { what: 'a leader handing out from another contingent', as: 'leader', body: movement((f) => ({ fromContingentId: f.b.id })), status: 403 },
      { what: 'recordedByName, which the server sets', body: movement({ recordedByName: 'Someone else' }), status: 400, field: '/body/recordedByName' },
      { what: 'a requestId, which only a decision sets', body: movement((f) => ({ requestId: f.ledger.pending.id })), status: 400, field: '/body/requestId' },
      ...malformedIdempotencyKeys().map((request) => ({ ...request, body: validMovement })),
      { what: 'an Idempotency-Key already used for another request', headers: { 'idempotency-key': USED_KEY }, body: validMovement, status: 409 },
      { what: 'the Idempotency-Key and body of a movement in another event', as: 'administrator', headers: { 'idempotency-key': ELSEWHERE_KEYS.movement }, body: receivedElsewhere, status: 409 },
      { what: 'an event id that is not a UUID', params: { eventId: NOT_A_UUID }, body: validMovement, status: 400, field: '/params/eventId' },
      { what: 'an event that does not exist', as: 'administrator', params: { eventId: NO_SUCH_ID }, body: validMovement, status: 404 },
      ...malformedBodies(validMovement),
    ],
  },
  {
    route: 'GET /api/events/:eventId/movements',
    as: 'coordinator',
    cases: [
      { what: 'a limit of 0', query: 'limit=0', status: 400, field: '/querystring/limit' },
      { what: 'a limit of 501', query: 'limit=501', status: 400, field: '/querystring/limit' },
      { what: 'a negative limit', query: 'limit=-1', status: 400, field: '/querystring/limit' },
      { what: 'a limit of 1.5', query: 'limit=1.5', status: 400, field: '/querystring/limit' },
      { what: 'a limit of "ten"', query: 'limit=ten', status: 400, field: '/querystring/limit' },
      { what: 'a limit of 010, with a leading zero', query: 'limit=010', status: 400, field: '/querystring/limit' },
      { what: 'an empty limit', query: 'limit=', status: 400, field: '/querystring/limit' },
      { what: 'two limits', query: 'limit=1&limit=2', status: 400, field: '/querystring/limit' },
      { what: 'a before of "x"', query: 'before=x', status: 400, field: '/querystring/before' },
      { what: 'a negative before', query: 'before=-1', status: 400, field: '/querystring/before' },
      { what: 'a before of 1.5', query: 'before=1.5', status: 400, field: '/querystring/before' },
      { what: 'a before of 16 digits', query: `before=${'9'.repeat(16)}`, status: 400, field: '/querystring/before' },
      { what: 'a before that is a timestamp', query: 'before=2027-05-01T10:00:00Z', status: 400, field: '/querystring/before' },
      { what: 'a materialId that is not a UUID', query: `materialId=${NOT_A_UUID}`, status: 400, field: '/querystring/materialId' },
      { what: 'a contingentId in URN form', query: (f) => `contingentId=${urn(f.a.id)}`, status: 400, field: '/querystring/contingentId' },
      { what: 'an unknown query field', query: 'kind=distributed', status: 400, field: '/querystring/kind' },
      { what: 'a leader asking for another contingent’s', as: 'leader', query: (f) => `contingentId=${f.b.id}`, status: 403 },
      { what: 'a volunteer', as: 'volunteer', status: 403 },
      { what: 'an event id that is not a UUID', params: { eventId: NOT_A_UUID }, status: 400, field: '/params/eventId' },
      { what: 'an event that does not exist', as: 'administrator', params: { eventId: NO_SUCH_ID }, status: 404 },
    ],
  },
  {
    route: 'GET /api/events/:eventId/movements.csv',
    as: 'coordinator',
    cases: [
      { what: 'an event id that is not a UUID', params: { eventId: NOT_A_UUID }, status: 400, field: '/params/eventId' },
      { what: 'an event id in URN form', as: 'administrator', params: { eventId: (f) => urn(f.event.id) }, status: 400, field: '/params/eventId' },
      { what: 'an event that does not exist', as: 'administrator', params: { eventId: NO_SUCH_ID }, status: 404 },
    ],
  },
  {
    route: 'GET /api/events/:eventId/stock',
    as: 'leader',
    cases: [
      { what: 'an event id that is not a UUID', params: { eventId: NOT_A_UUID }, status: 400, field: '/params/eventId' },
      { what: 'an event id in URN form', params: { eventId: (f) => urn(f.event.id) }, status: 400, field: '/params/eventId' },
      { what: 'an event the leader has not joined', params: { eventId: (f) => f.elsewhere.event.id }, status: 403 },
      { what: 'an event that does not exist', as: 'administrator', params: { eventId: NO_SUCH_ID }, status: 404 },
    ],
  },
  {
    route: 'POST /api/events/:eventId/material-requests',
    as: 'leader',
    cases: [
      { what: 'a quantity of 0', body: materialRequest({ quantity: 0 }), status: 400, field: '/body/quantity' },
      { what: 'a negative quantity', body: materialRequest({ quantity: -20 }), status: 400, field: '/body/quantity' },
      { what: 'a fractional quantity', body: materialRequest({ quantity: 1.5 }), status: 400, field: '/body/quantity' },
      { what: 'a quantity over a million', body: materialRequest({ quantity: MAX_QUANTITY + 1 }), status: 400, field: '/body/quantity' },
      { what: 'a quantity written as a string', body: materialRequest({ quantity: '20' }), status: 400, field: '/body/quantity' },
      { what: 'a missing quantity', body: lacking(validMaterialRequest)('quantity'), status: 400, field: '/body/quantity' },
      { what: 'a missing materialId', body: lacking(validMaterialRequest)('materialId'), status: 400, field: '/body/materialId' },
      { what: 'a missing contingentId', body: lacking(validMaterialRequest)('contingentId'), status: 400, field: '/body/contingentId' },
      { what: 'a contingentId that is not a UUID', body: materialRequest({ contingentId: NOT_A_UUID }), status: 400, field: '/body/contingentId' },
      { what: 'a material that does not exist', body: materialRequest({ materialId: NO_SUCH_ID }), status: 400, field: '/body/materialId' },
      { what: 'a material of another event', body: materialRequest((f) => ({ materialId: f.elsewhere.material.id })), status: 400, field: '/body/materialId' },
      { what: 'a contingent of another event', as: 'coordinator', body: materialRequest((f) => ({ contingentId: f.elsewhere.contingent.id })), status: 400, field: '/body/contingentId' },
      { what: 'a contingent that does not exist', as: 'coordinator', body: materialRequest({ contingentId: NO_SUCH_ID }), status: 400, field: '/body/contingentId' },
      { what: 'another contingent', body: materialRequest((f) => ({ contingentId: f.b.id })), status: 403 },
      { what: 'a volunteer asking', as: 'volunteer', body: validMaterialRequest, status: 403 },
      { what: 'a note of 501 characters', body: materialRequest({ note: 'x'.repeat(501) }), status: 400, field: '/body/note' },
      { what: 'a note with a NUL character', body: materialRequest({ note: NUL }), status: 400, field: '/body/note' },
      { what: 'a status of its own choosing', body: materialRequest({ status: 'fulfilled' }), status: 400, field: '/body/status' },
      ...malformedIdempotencyKeys().map((request) => ({ ...request, body: validMaterialRequest })),
      { what: 'an Idempotency-Key already used for another request', as: 'coordinator', headers: { 'idempotency-key': USED_KEY }, body: validMaterialRequest, status: 409 },
      { what: 'an event id that is not a UUID', params: { eventId: NOT_A_UUID }, body: validMaterialRequest, status: 400, field: '/params/eventId' },
      { what: 'an event that does not exist', as: 'administrator', params: { eventId: NO_SUCH_ID }, body: validMaterialRequest, status: 404 },
      ...malformedBodies(validMaterialRequest),
    ],
  },
  {
    route: 'GET /api/events/:eventId/material-requests',
    as: 'coordinator',
    cases: [
      { what: 'the status "done"', query: 'status=done', status: 400, field: '/querystring/status' },
      { what: 'the status "Pending" in capitals', query: 'status=Pending', status: 400, field: '/querystring/status' },
      { what: 'an empty status', query: 'status=', status: 400, field: '/querystring/status' },
      { what: 'an unknown query field', query: (f) => `contingentId=${f.a.id}`, status: 400, field: '/querystring/contingentId' },
      { what: 'a volunteer', as: 'volunteer', status: 403 },
      { what: 'an event id that is not a UUID', params: { eventId: NOT_A_UUID }, status: 400, field: '/params/eventId' },
      { what: 'an event that does not exist', as: 'administrator', params: { eventId: NO_SUCH_ID }, status: 404 },
    ],
  },
  {
    route: 'POST /api/events/:eventId/material-requests/:requestId/decision',
    as: 'coordinator',
    cases: [
      { what: 'a missing decision', body: lacking(validFulfil)('decision'), status: 400, field: '/body/decision' },
      { what: 'the decision "approve"', body: fulfil({ decision: 'approve' }), status: 400, field: '/body/decision' },
      { what: 'a decision of true', body: fulfil({ decision: true }), status: 400, field: '/body/decision' },
      { what: 'a decline without a reason', body: { decision: 'decline' }, status: 400, field: '/body/reason' },
      { what: 'a decline with a blank reason', body: decline({ reason: '  ' }), status: 400, field: '/body/reason' },
      { what: 'a decline with a reason of 301 characters', body: decline({ reason: 'x'.repeat(301) }), status: 400, field: '/body/reason' },
      { what: 'a decline with a reason with a NUL character', body: decline({ reason: NUL }), status: 400, field: '/body/reason' },
      { what: 'a decline with a depot to take from', body: (f: Fixtures) => decline({ fromDepotId: f.ledger.depot.id }), status: 400, field: '/body/fromDepotId' },
      { what: 'a decline with a quantity', body: decline({ quantity: 5 }), status: 400, field: '/body/quantity' },
      { what: 'a fulfil with a reason', body: fulfil({ reason: 'Here you go' }), status: 400, field: '/body/reason' },
      { what: 'a fulfil with nothing to take from', body: { decision: 'fulfil' }, status: 400, field: '/body/fromDepotId' },
      { what: 'a fulfil from a depot and a contingent', body: fulfil((f) => ({ fromContingentId: f.b.id })), status: 400, field: '/body/fromContingentId' },
      { what: 'a fulfil from the contingent that asked', body: (f: Fixtures) => ({ decision: 'fulfil', fromContingentId: f.a.id }), status: 400, field: '/body/fromContingentId' },
      { what: 'a fulfil from a depot of another event', body: fulfil((f) => ({ fromDepotId: f.elsewhere.depot.id })), status: 400, field: '/body/fromDepotId' },
      { what: 'a fulfil from a contingent of another event', body: (f: Fixtures) => ({ decision: 'fulfil', fromContingentId: f.elsewhere.contingent.id }), status: 400, field: '/body/fromContingentId' },
      { what: 'a fulfil from a depot id that is not a UUID', body: fulfil({ fromDepotId: NOT_A_UUID }), status: 400, field: '/body/fromDepotId' },
      { what: 'a fulfil of 0', body: fulfil({ quantity: 0 }), status: 400, field: '/body/quantity' },
      { what: 'a fulfil of 1.5', body: fulfil({ quantity: 1.5 }), status: 400, field: '/body/quantity' },
      { what: 'a fulfil of over a million', body: fulfil({ quantity: MAX_QUANTITY + 1 }), status: 400, field: '/body/quantity' },
      { what: 'a fulfil of more than the depot holds', body: fulfil({ quantity: MAX_QUANTITY }), status: 409, reason: 'insufficient_stock' },
      { what: 'a fulfil from B, which holds none', body: (f: Fixtures) => ({ decision: 'fulfil', fromContingentId: f.b.id }), status: 409, reason: 'insufficient_stock' },
      { what: 'a request declined already', params: { requestId: (f) => f.ledger.declined.id }, body: validFulfil, status: 409, reason: 'request_decided' },
      { what: 'a movement id, which the fulfilment makes', body: fulfil((f) => ({ movementId: f.ledger.handedOut.id })), status: 400, field: '/body/movementId' },
      { what: 'a leader deciding their own request', as: 'leader', body: validFulfil, status: 403 },
      ...malformedIdempotencyKeys().map((request) => ({ ...request, body: validFulfil })),
      { what: 'an Idempotency-Key already used for another request', headers: { 'idempotency-key': USED_KEY }, body: validFulfil, status: 409 },
      { what: 'the Idempotency-Key and body of a decision in another event', as: 'administrator', params: { requestId: (f) => f.elsewhere.declinedRequest.id }, headers: { 'idempotency-key': ELSEWHERE_KEYS.decision }, body: decline({}), status: 409 },
      { what: 'a request id that is not a UUID', params: { requestId: NOT_A_UUID }, body: validFulfil, status: 400, field: '/params/requestId' },
      { what: 'a request id in URN form', params: { requestId: (f) => urn(f.ledger.pending.id) }, body: validFulfil, status: 400, field: '/params/requestId' },
      { what: 'a request that does not exist', params: { requestId: NO_SUCH_ID }, body: validFulfil, status: 404 },
      { what: 'a request of another event', as: 'administrator', params: { requestId: (f) => f.elsewhere.request.id }, body: validFulfil, status: 404 },
      { what: 'an event id that is not a UUID', params: { eventId: NOT_A_UUID }, body: validFulfil, status: 400, field: '/params/eventId' },
      { what: 'an event that does not exist', as: 'administrator', params: { eventId: NO_SUCH_ID }, body: validFulfil, status: 404 },
      ...malformedBodies(validFulfil),
    ],
  },
  {
    route: 'GET /api/live',
    as: 'coordinator',
    cases: [
      { what: 'no query string at all', status: 400, field: '/querystring/event' },
      { what: 'a since without an event', query: 'since=0', status: 400, field: '/querystring/event' },
      { what: 'an empty event', query: 'event=', status: 400, field: '/querystring/event' },
      { what: 'the event "not-a-uuid"', query: `event=${NOT_A_UUID}`, status: 400, field: '/querystring/event' },
      { what: 'an event id in upper case', query: (f) => `event=${f.event.id.toUpperCase()}`, status: 400, field: '/querystring/event' },
      { what: 'an event id in URN form', query: (f) => `event=${urn(f.event.id)}`, status: 400, field: '/querystring/event' },
      { what: 'two events', query: (f) => `event=${f.event.id}&event=${f.elsewhere.event.id}`, status: 400, field: '/querystring/event' },
      { what: 'since -1', query: (f) => `event=${f.event.id}&since=-1`, status: 400, field: '/querystring/since' },
      { what: 'since "latest"', query: (f) => `event=${f.event.id}&since=latest`, status: 400, field: '/querystring/since' },
      { what: 'since 1.5', query: (f) => `event=${f.event.id}&since=1.5`, status: 400, field: '/querystring/since' },
      { what: 'since 1e3', query: (f) => `event=${f.event.id}&since=1e3`, status: 400, field: '/querystring/since' },
      { what: 'since 007, with leading zeros', query: (f) => `event=${f.event.id}&since=007`, status: 400, field: '/querystring/since' },
      { what: 'an empty since', query: (f) => `event=${f.event.id}&since=`, status: 400, field: '/querystring/since' },
      { what: 'since of 16 digits', query: (f) => `event=${f.event.id}&since=${'9'.repeat(16)}`, status: 400, field: '/querystring/since' },
      { what: 'an unknown query field', query: (f) => `event=${f.event.id}&surprise=1`, status: 400, field: '/querystring/surprise' },
      { what: 'Event spelt with a capital', query: (f) => `Event=${f.event.id}`, status: 400, field: '/querystring/event' },
      { what: 'an event the coordinator has not joined', query: `event=${NO_SUCH_ID}`, status: 403 },
      { what: 'an event that does not exist', as: 'administrator', query: `event=${NO_SUCH_ID}`, status: 404 },
    ],
  },
];

const rowsIn = (table: Table) => sql<number>`(select count(*) from ${table})`.mapWith(Number);
const changeRecordsOf = (eventId: string) =>
  sql<number>`(select count(*) from ${changeRecords} where ${changeRecords.eventId} = ${eventId})`.mapWith(
    Number,
  );
/** Every column of every row, so a change that keeps the count (a capacity, a time) shows too. */
const digestOf = (table: Table) =>
  sql<string>`(select md5(coalesce(string_agg(t::text, ',' order by t::text), '')) from ${table} as t)`;
const inviteUses = sql<number>`(select coalesce(sum(${invites.uses}), 0) from ${invites})`.mapWith(
  Number,
);

function urlOf(path: string, f: Fixtures, params: Params = {}, query?: BadRequest['query']) {
  const ids: Record<string, string> = {
    eventId: f.event.id,
    contingentId: f.a.id,
    meetingPointId: f.meetingPoint.id,
    inviteId: f.invite.invite.id,
    slotId: f.slot.id,
    claimId: f.claim.id,
    materialId: f.ledger.paper.id,
    requestId: f.ledger.pending.id,
  };
  const url = path.replace(/:(\w+)/g, (_, name: string) => {
    const value = params[name] ?? ids[name]!;
    return typeof value === 'function' ? value(f) : value;
  });
  if (query === undefined) return url;
  return `${url}?${typeof query === 'function' ? query(f) : query}`;
}

function requestOf(request: BadRequest, f: Fixtures): Pick<InjectOptions, 'payload' | 'headers'> {
  const body = typeof request.body === 'function' ? request.body(f) : request.body;
  const payload = request.raw ?? (body === undefined ? undefined : JSON.stringify(body));
  const headers = request.headers ?? {};
  if (payload === undefined) return { headers };
  const contentType = request.contentType === undefined ? 'application/json' : request.contentType;
  return {
    payload,
    headers: contentType === null ? headers : { ...headers, 'content-type': contentType },
  };
}

describe.each(databaseKinds)('bad input on %s', (kind) => {
  const t = useTestApp(kind);
  let f: Fixtures;

  beforeAll(async () => {
    const app = t();
    const administrator = await app.administrator();
    const event = await app.newEvent(administrator);
    const a = await app.newContingent(administrator, event.id, { name: 'A' });
    const b = await app.newContingent(administrator, event.id, { name: 'B' });
    const meetingPoint = await app.newMeetingPoint(administrator, event.id, {
      visibility: 'contingents',
      contingentIds: [a.id],
    });
    const coordinator = await app.invited(administrator, event.id, 'coordinator');
    const leader = await app.invited(administrator, event.id, 'leader', a.id);
    const volunteer = await app.invited(administrator, event.id, 'volunteer', a.id);
    const invite = await app.send<CreatedInvite>(
      administrator,
      'POST',
      `/api/events/${event.id}/invites`,
      { role: 'volunteer', contingentId: b.id },
    );
    const slots = (eventId: string) => `/api/events/${eventId}/role-slots`;
    const newSlot = (eventId: string, body: object) =>
      app.send<RoleSlot>(administrator, 'POST', slots(eventId), body);
    const assign = (slot: RoleSlot, who: Session) =>
      app.send<Claim>(administrator, 'POST', `${slots(event.id)}/${slot.id}/assignments`, {
        personId: who.person.id,
      });

    const send = <T>(url: string, body: object, method: Method = 'POST') =>
      app.send<T>(administrator, method, url, body);
    /** A paper, and a depot that received `received` copies of it. */
    const stockUp = async (eventId: string, received: number) => {
      const paper = await send<Material>(`/api/events/${eventId}/materials`, validMaterial);
      const depot = await send<Depot>(`/api/events/${eventId}/depots`, validDepot);
      const { movement } = await send<RecordedMovement>(`/api/events/${eventId}/movements`, {
        materialId: paper.id,
        kind: 'received',
        quantity: received,
        toDepotId: depot.id,
      });
      return { paper, depot, movement };
    };
    const ask = (eventId: string, materialId: string, contingentId: string) =>
      send<MaterialRequest>(`/api/events/${eventId}/material-requests`, {
        materialId,
        contingentId,
        quantity: 20,
      });

    const other = await app.newEvent(administrator, { name: 'May Day — Chicago' });
    const otherContingent = await app.newContingent(administrator, other.id);
    const otherStock = await stockUp(other.id, 10);
    const sendKeyed = async (url: string, payload: object, key: string) => {
      const headers = { ...administrator.headers, 'idempotency-key': key };
      const res = await app.inject({ method: 'POST', url, headers, payload });
      expect(res.statusCode, res.body).toBeLessThan(300);
    };
    await sendKeyed(
      `/api/events/${other.id}/movements`,
      receivedElsewhere({ elsewhere: { material: otherStock.paper, depot: otherStock.depot } }),
      ELSEWHERE_KEYS.movement,
    );
    const declinedElsewhere = await ask(other.id, otherStock.paper.id, otherContingent.id);
    await sendKeyed(
      `/api/events/${other.id}/material-requests/${declinedElsewhere.id}/decision`,
      decline({}),
      ELSEWHERE_KEYS.decision,
    );
    const elsewhere = {
      event: other,
      contingent: otherContingent,
      meetingPoint: await app.newMeetingPoint(administrator, other.id),
      slot: await newSlot(other.id, { name: 'Stewards', capacity: 2 }),
      volunteer: await app.invited(administrator, other.id, 'volunteer'),
      material: otherStock.paper,
      depot: otherStock.depot,
      movement: otherStock.movement,
      request: await ask(other.id, otherStock.paper.id, otherContingent.id),
      declinedRequest: declinedElsewhere,
    };
    const ledger = await stockLedger(event.id, a);
    const window = { startTime: '09:00', endTime: '12:00' };
    const slot = await newSlot(event.id, { ...validRoleSlot, capacity: 3, ...window });
    const claim = await assign(slot, volunteer);
    const keyed = await app.inject({
      method: 'POST',
      url: `${slots(event.id)}/${slot.id}/assignments`,
      headers: { ...coordinator.headers, 'idempotency-key': USED_KEY },
      payload: { personId: leader.person.id },
    });
    expect(keyed.statusCode, keyed.body).toBe(201);
    const openSlot = await newSlot(event.id, { name: 'Stewards', capacity: 50 });
    const fullSlot = await newSlot(event.id, { name: 'Medics', capacity: 1 });
    await assign(fullSlot, volunteer);
    const kept = await app.send<ContingentPosition>(
      administrator,
      'PUT',
      `/api/events/${event.id}/contingents/${b.id}/position`,
      validReport(),
    );
    // Received a minute ago as far as the 2 s rate limit knows, so a later report of B is
    // judged on its recordedAt and never answered 429.
    await app.app.db
      .update(contingentPositions)
      .set({ receivedAt: new Date(Date.now() - MINUTE) })
      .where(eq(contingentPositions.contingentId, b.id));
    async function stockLedger(eventId: string, a: Contingent): Promise<Fixtures['ledger']> {
      const { paper, depot } = await stockUp(eventId, 300);
      const record = async (body: object) => {
        const url = `/api/events/${eventId}/movements`;
        return (await send<RecordedMovement>(url, { materialId: paper.id, ...body })).movement;
      };
      await record({
        kind: 'allocated',
        quantity: 50,
        fromDepotId: depot.id,
        toContingentId: a.id,
      });
      const handOut = () => record({ kind: 'distributed', quantity: 1, fromContingentId: a.id });
      const handedOut = await handOut();
      const reversed = await handOut();
      const reversal = await record({ kind: 'reversal', reverses: reversed.id });
      const pending = await ask(eventId, paper.id, a.id);
      const toDecline = await ask(eventId, paper.id, a.id);
      const { request: declined } = await send<MaterialRequestDecision>(
        `/api/events/${eventId}/material-requests/${toDecline.id}/decision`,
        { decision: 'decline', reason: 'None left' },
      );
      const level = { contingentId: a.id, planned: 40, lowStockThreshold: 10 };
      await send(`/api/events/${eventId}/materials/${paper.id}/level`, level, 'PUT');
      const sign = await send<Material>(`/api/events/${eventId}/materials`, {
        kind: 'sign',
        name: 'Placard',
        slogan: 'Eight hours for what we will',
      });
      return { paper, sign, depot, handedOut, reversed, reversal, pending, declined };
    }
    f = {
      ledger,
      administrator,
      coordinator,
      leader,
      volunteer,
      event,
      a,
      b,
      meetingPoint,
      invite,
      elsewhere,
      slot,
      claim,
      openSlot,
      fullSlot,
      kept,
    };
  });

  /**
   * Rows in every table (and the contents of events, contingents, their positions, role
   * slots, claims, announcements, change records and the materials ledger's tables), uses of
   * every invite, and the plan and invites as the coordinator sees them.
   */
  async function snapshot() {
    const [[counts], plan, eventInvites] = await Promise.all([
      t()
        .app.db.select({
          events: rowsIn(events),
          contingents: rowsIn(contingents),
          meetingPoints: rowsIn(meetingPoints),
          meetingPointContingents: rowsIn(meetingPointContingents),
          invites: rowsIn(invites),
          people: rowsIn(people),
          sessions: rowsIn(sessions),
          changeRecords: rowsIn(changeRecords),
          changeRecordsOfEvent: changeRecordsOf(f.event.id),
          inviteUses,
          roleSlots: rowsIn(roleSlots),
          roleClaims: rowsIn(roleClaims),
          roleWaitlist: rowsIn(roleWaitlist),
          idempotencyKeys: rowsIn(idempotencyKeys),
          roleSlotRows: digestOf(roleSlots),
          roleClaimRows: digestOf(roleClaims),
          contingentPositions: rowsIn(contingentPositions),
          announcements: rowsIn(announcements),
          eventRows: digestOf(events),
          contingentRows: digestOf(contingents),
          positionRows: digestOf(contingentPositions),
          announcementRows: digestOf(announcements),
          checkIns: rowsIn(checkIns),
          checkInRows: digestOf(checkIns),
          changeRecordRows: digestOf(changeRecords),
          materials: rowsIn(materials),
          depots: rowsIn(depots),
          materialMovements: rowsIn(materialMovements),
          materialBalances: rowsIn(materialBalances),
          materialLevels: rowsIn(materialLevels),
          materialRequests: rowsIn(materialRequests),
          materialRows: digestOf(materials),
          depotRows: digestOf(depots),
          movementRows: digestOf(materialMovements),
          balanceRows: digestOf(materialBalances),
          levelRows: digestOf(materialLevels),
          requestRows: digestOf(materialRequests),
        })
        .from(sql`(select 1) as one`),
      t().send<EventPlan>(f.coordinator, 'GET', `/api/events/${f.event.id}`),
      t().send<Invite[]>(f.coordinator, 'GET', `/api/events/${f.event.id}/invites`),
    ]);
    return { counts, plan, invites: eventInvites };
  }

  for (const { route, as, params, cases } of TABLE) {
    const [method, path] = route.split(' ') as [Method, string];

    describe(route, () => {
      for (const request of cases) {
        const { what, status, field, bug } = request;
        const name = `rejects ${what} → ${status}${field ? ` at ${field}` : ''}`;

        (bug ? it.fails : it)(bug ? `${name} (known bug: ${bug})` : name, async () => {
          const caller = request.as ?? as;
          const session = caller === 'nobody' ? null : f[caller];
          const { payload, headers } = requestOf(request, f);
          const before = await snapshot();

          const res = await t().inject({
            method,
            url: urlOf(path, f, { ...params, ...request.params }, request.query),
            headers: { ...session?.headers, ...headers },
            ...(payload === undefined ? {} : { payload }),
          });

          expect(res.statusCode, `a server error: ${res.body}`).toBeLessThan(500);
          expect(res.statusCode, res.body).toBe(status);
          expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
          const problem = res.json<Problem>();
          expect(problem).toMatchObject({ status, title: expect.stringMatching(/\S/) });
          expect(problem.detail).toMatch(/\S/);
          if (field) expect(problem.errors?.[0]?.field, problem.detail).toBe(field);
          if (request.reason) expect(problem.reason, problem.detail).toBe(request.reason);
          expect(await snapshot()).toEqual(before);
        });
      }
    });
  }
});
