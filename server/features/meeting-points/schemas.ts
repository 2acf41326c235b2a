import { Type, type Static } from 'typebox';
import { Id, LatLng, Name, Nullable, Text, TimeOfDay, Timestamp } from '../../schemas.ts';

const Visibility = Type.Union([Type.Literal('event'), Type.Literal('contingents')], {
  description:
    'event: everyone with a link to the event; contingents: only members of the listed contingents.',
});

export const MeetingPoint = Type.Object({
  id: Id,
  name: Type.String(),
  position: LatLng,
  address: Type.String(),
  meetTime: Nullable(Type.String()),
  /** The meeting instant, from meetTime on the event's date in its timezone. */
  meetAt: Nullable(Timestamp),
  instructions: Type.String(),
  visibility: Visibility,
  contingentIds: Type.Array(Id),
});
export type MeetingPoint = Static<typeof MeetingPoint>;

const meetingPointFields = {
  name: Name(120),
  position: LatLng,
  address: Text(300),
  meetTime: Nullable(TimeOfDay),
  instructions: Text(2000),
  visibility: Visibility,
  contingentIds: Type.Array(Id, { maxItems: 1000, uniqueItems: true }),
};

export const CreateMeetingPointBody = Type.Object(
  {
    name: meetingPointFields.name,
    position: meetingPointFields.position,
    address: Type.Optional(meetingPointFields.address),
    meetTime: Type.Optional(meetingPointFields.meetTime),
    instructions: Type.Optional(meetingPointFields.instructions),
    visibility: Type.Optional(meetingPointFields.visibility),
    contingentIds: Type.Optional(meetingPointFields.contingentIds),
  },
  { additionalProperties: false },
);
export type CreateMeetingPointBody = Static<typeof CreateMeetingPointBody>;

export const UpdateMeetingPointBody = Type.Partial(Type.Object(meetingPointFields), {
  additionalProperties: false,
  minProperties: 1,
});
export type UpdateMeetingPointBody = Static<typeof UpdateMeetingPointBody>;

export const MeetingPointParams = Type.Object(
  { eventId: Id, meetingPointId: Id },
  { additionalProperties: false },
);
