import { Type, type Static } from 'typebox';
import { Id, Nullable, Text, Timestamp } from '../../schemas.ts';

export const InviteRole = Type.Union([
  Type.Literal('coordinator'),
  Type.Literal('leader'),
  Type.Literal('volunteer'),
]);

export const CreateInviteBody = Type.Object(
  {
    role: InviteRole,
    contingentId: Type.Optional(Nullable(Id)),
    label: Type.Optional(Text(100)),
    expiresAt: Type.Optional(Timestamp),
  },
  { additionalProperties: false },
);
export type CreateInviteBody = Static<typeof CreateInviteBody>;

export const Invite = Type.Object({
  id: Id,
  role: InviteRole,
  contingentId: Nullable(Id),
  label: Type.String(),
  createdAt: Timestamp,
  expiresAt: Timestamp,
  revokedAt: Nullable(Timestamp),
  joined: Type.Array(Type.Object({ id: Id, displayName: Type.String() })),
});
export type Invite = Static<typeof Invite>;

export const CreatedInvite = Type.Object({
  invite: Invite,
  token: Type.String({ description: 'Shown once; only its hash is stored.' }),
  path: Type.String({ description: 'The link to share, relative to the server: /join#<token>.' }),
});
export type CreatedInvite = Static<typeof CreatedInvite>;

export const InviteParams = Type.Object(
  { eventId: Id, inviteId: Id },
  { additionalProperties: false },
);
