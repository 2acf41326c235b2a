import { Type, type Static } from 'typebox';
import {
  CalendarDate,
  Id,
  LatLng,
  LineString,
  Name,
  Nullable,
  Text,
  TimeOfDay,
  Timestamp,
} from '../../schemas.ts';
import { Contingent } from '../contingents/schemas.ts';
import { MeetingPoint } from '../meeting-points/schemas.ts';
import { ContingentPosition } from '../positions/schemas.ts';

const eventFields = {
  name: Name(200),
  description: Text(5000),
  bring: Text(2000, 0, {
    description: 'What everyone should bring, shown to every participant with where to meet.',
  }),
  date: CalendarDate,
  startTime: TimeOfDay,
  timezone: Type.String({
    minLength: 1,
    maxLength: 64,
    pattern: '^[A-Za-z0-9_+\\-/]+$',
    description: 'An IANA timezone, e.g. America/Los_Angeles.',
  }),
  route: Nullable(LineString),
  assemblyPoint: Nullable(LatLng),
  rallyPoint: Nullable(LatLng),
  shareContingentPositions: Type.Boolean({
    description: 'Whether volunteers see their own contingent on the map, to about 200 m.',
  }),
};

export const CreateEventBody = Type.Object(
  {
    name: eventFields.name,
    description: Type.Optional(eventFields.description),
    bring: Type.Optional(eventFields.bring),
    date: eventFields.date,
    startTime: eventFields.startTime,
    timezone: eventFields.timezone,
    route: Type.Optional(eventFields.route),
    assemblyPoint: Type.Optional(eventFields.assemblyPoint),
    rallyPoint: Type.Optional(eventFields.rallyPoint),
    shareContingentPositions: Type.Optional(eventFields.shareContingentPositions),
  },
  { additionalProperties: false },
);
export type CreateEventBody = Static<typeof CreateEventBody>;

export const UpdateEventBody = Type.Partial(Type.Object(eventFields), {
  additionalProperties: false,
  minProperties: 1,
});
export type UpdateEventBody = Static<typeof UpdateEventBody>;

export const ImportGpxBody = Type.Object(
  { gpx: Text(2_000_000, 1, { description: 'A GPX document.' }) },
  { additionalProperties: false },
);

export const EventParams = Type.Object({ eventId: Id }, { additionalProperties: false });

export const EventSummary = Type.Object({
  id: Id,
  name: Type.String(),
  date: Type.String(),
  startTime: Type.String(),
  timezone: Type.String(),
  startsAt: Timestamp,
});
export type EventSummary = Static<typeof EventSummary>;

export const EventPlan = Type.Object({
  id: Id,
  name: Type.String(),
  description: Type.String(),
  bring: Type.String(),
  date: Type.String(),
  startTime: Type.String(),
  timezone: Type.String(),
  startsAt: Timestamp,
  route: Nullable(LineString),
  assemblyPoint: Nullable(LatLng),
  rallyPoint: Nullable(LatLng),
  shareContingentPositions: Type.Boolean(),
  /** Sequence number of the last change this plan includes. */
  lastSeq: Type.Integer(),
  contingents: Type.Array(Contingent),
  meetingPoints: Type.Array(MeetingPoint),
  /** The latest position of each contingent the caller may see; coarse for volunteers. */
  positions: Type.Array(ContingentPosition),
});
export type EventPlan = Static<typeof EventPlan>;
