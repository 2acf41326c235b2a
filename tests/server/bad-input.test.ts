// Malformed requests to every write route, and malformed ids on the others: each is refused
// with a 4xx application/problem+json that names the field at fault, never a 500, and
// leaves the plan, its change records and every table exactly as they were.
import { eq, sql, type Table } from 'drizzle-orm';
import type { InjectOptions } from 'fastify';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  announcements,
  changeRecords,
  contingentPositions,
  contingents,
  events,
  idempotencyKeys,
  invites,
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
import type { MeetingPoint } from '../../server/features/meeting-points/schemas.ts';
import type { ContingentPosition } from '../../server/features/positions/schemas.ts';
import type { Claim, RoleSlot } from '../../server/features/roles/schemas.ts';
import type { Problem } from '../../server/plugins/errors.ts';
import { type Session, useTestApp } from '../helpers/app.ts';
import { databaseKinds } from '../helpers/databases.ts';

type Method = NonNullable<InjectOptions['method']>;
type Caller = 'coordinator' | 'administrator' | 'leader' | 'nobody';

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
  /** Another event, with a contingent, a meeting point, a role slot and a volunteer. */
  elsewhere: {
    event: EventPlan;
    contingent: Contingent;
    meetingPoint: MeetingPoint;
    slot: RoleSlot;
    volunteer: Session;
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

function without(body: Record<string, unknown>, field: string) {
  const { [field]: _dropped, ...rest } = body;
  return rest;
}

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
    route: 'GET /api/events/:eventId/announcements',
    as: 'coordinator',
    cases: [
      { what: 'an event id that is not a UUID', params: { eventId: NOT_A_UUID }, status: 400, field: '/params/eventId' },
      { what: 'an event id in URN form', as: 'administrator', params: { eventId: (f) => urn(f.event.id) }, status: 400, field: '/params/eventId' },
      { what: 'an event that does not exist', as: 'administrator', params: { eventId: NO_SUCH_ID }, status: 404 },
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

    const other = await app.newEvent(administrator, { name: 'May Day — Chicago' });
    const elsewhere = {
      event: other,
      contingent: await app.newContingent(administrator, other.id),
      meetingPoint: await app.newMeetingPoint(administrator, other.id),
      slot: await newSlot(other.id, { name: 'Stewards', capacity: 2 }),
      volunteer: await app.invited(administrator, other.id, 'volunteer'),
    };
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
    f = {
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
   * slots, claims, announcements and change records), uses of every invite, and the plan and
   * invites as the coordinator sees them.
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
          changeRecordRows: digestOf(changeRecords),
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
          expect(await snapshot()).toEqual(before);
        });
      }
    });
  }
});
