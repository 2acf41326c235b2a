import { Type, type Static } from 'typebox';
import { Id, Name, Nullable } from '../../schemas.ts';

export const Role = Type.Union([
  Type.Literal('administrator'),
  Type.Literal('coordinator'),
  Type.Literal('leader'),
  Type.Literal('volunteer'),
]);

export const Person = Type.Object({
  id: Id,
  displayName: Type.String(),
  role: Role,
  eventId: Nullable(Id),
  contingentId: Nullable(Id),
});
export type Person = Static<typeof Person>;

export const JoinBody = Type.Object(
  {
    token: Type.String({ minLength: 16, maxLength: 200, pattern: '^[A-Za-z0-9_-]+$' }),
    displayName: Name(60, { description: 'Any name, a nickname is fine.' }),
  },
  { additionalProperties: false },
);
export type JoinBody = Static<typeof JoinBody>;
