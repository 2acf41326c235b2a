import { Type, type Static } from 'typebox';
import { Id, Nullable, Timestamp } from '../../schemas.ts';

export const CheckInBody = Type.Object(
  {
    /** Where the caller is: a meeting point of the event they may see. */
    meetingPointId: Type.Optional(Id),
  },
  { additionalProperties: false },
);
export type CheckInBody = Static<typeof CheckInBody>;

/** One person's "I'm here". Its contingent is the one they belonged to when they checked in. */
export const CheckIn = Type.Object({
  personId: Id,
  displayName: Type.String(),
  contingentId: Nullable(Id),
  meetingPointId: Nullable(Id),
  checkedInAt: Timestamp,
});
export type CheckIn = Static<typeof CheckIn>;

/** The caller's own check-in, or null before they check in. */
export const MyCheckIn = Type.Object({ checkIn: Nullable(CheckIn) });
export type MyCheckIn = Static<typeof MyCheckIn>;

const counts = {
  checkedIn: Type.Integer({ minimum: 0, description: 'People who checked in.' }),
  expected: Type.Integer({ minimum: 0, description: 'The expected size the plan gives.' }),
  members: Type.Integer({ minimum: 0, description: 'People who joined through Muster.' }),
};

export const AttendanceCount = Type.Object(counts);
export type AttendanceCount = Static<typeof AttendanceCount>;

export const ContingentAttendance = Type.Object({ contingentId: Id, ...counts });
export type ContingentAttendance = Static<typeof ContingentAttendance>;

export const Attendance = Type.Object({
  /** Coordinators: every contingent, in march order; a leader: their own. */
  contingents: Type.Array(ContingentAttendance),
  total: Nullable(
    Type.Object(counts, {
      description:
        'Coordinators only (null for a leader): everyone in the event, contingent or not; ' +
        'expected is the sum of the contingents’ expected sizes.',
    }),
  ),
});
export type Attendance = Static<typeof Attendance>;
