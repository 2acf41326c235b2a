import { Type, type Static } from 'typebox';
import { Id, Name, Nullable, Text, Timestamp } from '../../schemas.ts';
import { ContingentStatus } from '../positions/schemas.ts';

const Colour = Type.String({ pattern: '^#[0-9a-fA-F]{6}$', description: 'A colour, #rrggbb.' });

export const Contingent = Type.Object({
  id: Id,
  name: Type.String(),
  description: Type.String(),
  colour: Type.String(),
  marchOrder: Type.Integer(),
  expectedSize: Type.Integer(),
  leaderId: Nullable(Id),
  leaderName: Nullable(Type.String()),
  status: Nullable(ContingentStatus),
  statusChangedAt: Nullable(Timestamp),
});
export type Contingent = Static<typeof Contingent>;

const contingentFields = {
  name: Name(120),
  description: Text(2000),
  colour: Colour,
  marchOrder: Type.Integer({ minimum: 1, maximum: 10_000 }),
  expectedSize: Type.Integer({ minimum: 0, maximum: 1_000_000 }),
  leaderId: Nullable(Id),
};

export const CreateContingentBody = Type.Object(
  {
    name: contingentFields.name,
    description: Type.Optional(contingentFields.description),
    colour: Type.Optional(contingentFields.colour),
    marchOrder: Type.Optional(contingentFields.marchOrder),
    expectedSize: Type.Optional(contingentFields.expectedSize),
    leaderId: Type.Optional(contingentFields.leaderId),
  },
  { additionalProperties: false },
);
export type CreateContingentBody = Static<typeof CreateContingentBody>;

export const UpdateContingentBody = Type.Partial(Type.Object(contingentFields), {
  additionalProperties: false,
  minProperties: 1,
});
export type UpdateContingentBody = Static<typeof UpdateContingentBody>;

export const ReorderContingentsBody = Type.Object(
  {
    contingentIds: Type.Array(Id, {
      maxItems: 1000,
      uniqueItems: true,
      description: 'Every contingent of the event, in the new march order.',
    }),
  },
  { additionalProperties: false },
);

export const ContingentParams = Type.Object(
  { eventId: Id, contingentId: Id },
  { additionalProperties: false },
);
