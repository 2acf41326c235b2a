import { Type, type Static } from 'typebox';
import { rolePresetEnum } from '../../../drizzle/schema.ts';
import { Id, Name, Nullable, Text, TimeOfDay, Timestamp } from '../../schemas.ts';

/** The standard roles, as the database's enum lists them. */
export const ROLE_PRESETS = rolePresetEnum.enumValues;

export const RolePreset = Type.Enum(ROLE_PRESETS, {
  description: 'A standard role; its name is shown in the reader’s language.',
});
export type RolePreset = Static<typeof RolePreset>;

const slotFields = {
  contingentId: Nullable(Id),
  preset: Nullable(RolePreset),
  name: Name(120),
  description: Text(2000),
  capacity: Type.Integer({ minimum: 1, maximum: 500 }),
  needPerMarchers: Nullable(
    Type.Integer({ minimum: 1, maximum: 100_000, description: 'One needed per this many.' }),
  ),
  needMinimum: Nullable(Type.Integer({ minimum: 0, maximum: 500 })),
  startTime: Nullable(TimeOfDay),
  endTime: Nullable(TimeOfDay),
  meetingPointId: Nullable(Id),
  critical: Type.Boolean(),
};

export const CreateRoleSlotBody = Type.Object(
  {
    contingentId: Type.Optional(slotFields.contingentId),
    preset: Type.Optional(slotFields.preset),
    name: slotFields.name,
    description: Type.Optional(slotFields.description),
    capacity: slotFields.capacity,
    needPerMarchers: Type.Optional(slotFields.needPerMarchers),
    needMinimum: Type.Optional(slotFields.needMinimum),
    startTime: Type.Optional(slotFields.startTime),
    endTime: Type.Optional(slotFields.endTime),
    meetingPointId: Type.Optional(slotFields.meetingPointId),
    critical: Type.Optional(slotFields.critical),
  },
  { additionalProperties: false },
);
export type CreateRoleSlotBody = Static<typeof CreateRoleSlotBody>;

/** A slot's contingent is fixed once made: move people, not slots. */
const { contingentId: _fixed, ...updatableFields } = slotFields;
export const UpdateRoleSlotBody = Type.Partial(Type.Object(updatableFields), {
  additionalProperties: false,
  minProperties: 1,
});
export type UpdateRoleSlotBody = Static<typeof UpdateRoleSlotBody>;

export const Holder = Type.Object({
  claimId: Id,
  personId: Id,
  displayName: Type.String(),
  since: Timestamp,
});

export const RoleSlot = Type.Object({
  id: Id,
  contingentId: Nullable(Id),
  preset: Nullable(RolePreset),
  name: Type.String(),
  description: Type.String(),
  capacity: Type.Integer(),
  filled: Type.Integer(),
  /** How many the slot needs, from its coverage rule and the contingent's expected size. */
  needed: Type.Integer(),
  needPerMarchers: Nullable(Type.Integer()),
  needMinimum: Nullable(Type.Integer()),
  startTime: Nullable(Type.String()),
  endTime: Nullable(Type.String()),
  meetingPointId: Nullable(Id),
  /** Named here because the caller may not see that meeting point in the plan. */
  meetingPointName: Nullable(Type.String()),
  critical: Type.Boolean(),
  /** Every holder for coordinators and the contingent's leader; else only the caller. */
  holders: Type.Array(Holder),
  waiting: Type.Integer(),
  /** The caller's place on the waitlist (1 = next), or null. */
  myWaitlistPlace: Nullable(Type.Integer()),
});
export type RoleSlot = Static<typeof RoleSlot>;

export const Claim = Type.Object({
  id: Id,
  slotId: Id,
  personId: Id,
  displayName: Type.String(),
  createdAt: Timestamp,
});
export type Claim = Static<typeof Claim>;

export const WaitlistPlace = Type.Object({ slotId: Id, personId: Id, place: Type.Integer() });

export const AssignRoleBody = Type.Object({ personId: Id }, { additionalProperties: false });

export const RoleSlotParams = Type.Object(
  { eventId: Id, slotId: Id },
  { additionalProperties: false },
);
export const ClaimParams = Type.Object(
  { eventId: Id, slotId: Id, claimId: Id },
  { additionalProperties: false },
);
export const ListRoleSlotsQuery = Type.Object(
  { contingentId: Type.Optional(Id) },
  { additionalProperties: false },
);
