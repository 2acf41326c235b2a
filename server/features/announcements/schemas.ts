import { Type, type Static } from 'typebox';
import { Id, Name, Nullable, Timestamp } from '../../schemas.ts';

export const AnnouncementTarget = Type.Enum(['event', 'contingent', 'role'], {
  description: 'The whole event, one contingent, or the holders of one role slot.',
});

export const Announcement = Type.Object({
  id: Id,
  target: AnnouncementTarget,
  contingentId: Nullable(Id),
  roleSlotId: Nullable(Id),
  roleName: Nullable(Type.String()),
  body: Type.String(),
  authorName: Nullable(Type.String()),
  createdAt: Timestamp,
});
export type Announcement = Static<typeof Announcement>;

export const CreateAnnouncementBody = Type.Object(
  {
    target: AnnouncementTarget,
    contingentId: Type.Optional(Id),
    roleSlotId: Type.Optional(Id),
    body: Name(500),
  },
  { additionalProperties: false },
);
export type CreateAnnouncementBody = Static<typeof CreateAnnouncementBody>;

/** listAnnouncements answers at most this many, newest first. */
export const ANNOUNCEMENTS_LISTED = 200;
