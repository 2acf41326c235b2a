// The live protocol: what travels over GET /api/live, as TypeBox schemas the web client
// imports for its types. The README documents it from here.
import { Type, type Static } from 'typebox';
import { Id } from '../schemas.ts';

export const LiveQuery = Type.Object(
  {
    event: Id,
    since: Type.Optional(
      Type.String({
        pattern: '^(0|[1-9][0-9]{0,14})$',
        description:
          'The last seq the client has (getEvent’s lastSeq, or the last message’s). ' +
          'Omitted: only changes from now on.',
      }),
    ),
  },
  { additionalProperties: false },
);

/** One change record, as this caller may see it. `seq` is strictly increasing per event. */
export const ChangeMessage = Type.Object({
  seq: Type.Integer({ minimum: 1 }),
  type: Type.String({ description: 'e.g. contingent.position, announcement.created' }),
  eventId: Id,
  data: Type.Unknown(),
});
export type ChangeMessage = Static<typeof ChangeMessage>;

/** `since` is older than the changes the server keeps: refetch getEvent, keep listening. */
export const ResyncMessage = Type.Object({
  type: Type.Literal('resync'),
  eventId: Id,
  seq: Type.Integer({ minimum: 0, description: 'Messages after this seq follow.' }),
});

/** The answer to a client's `{ "type": "ping" }`. */
export const PongMessage = Type.Object({ type: Type.Literal('pong') });

export const ServerMessage = Type.Union([ChangeMessage, ResyncMessage, PongMessage]);
export type ServerMessage = Static<typeof ServerMessage>;

/** The only message a client may send: a heartbeat, answered by pong. */
export const ClientMessage = Type.Object(
  { type: Type.Literal('ping') },
  { additionalProperties: false },
);

/** WebSocket close codes the server uses, besides the standard 1008/1009/1011. */
export const CloseCode = {
  /** The session ended: invite revoked, logged out, expired. Do not reconnect. */
  sessionEnded: 4001,
  /** The client read too slowly and its backlog grew too large. Reconnect with `since`. */
  tooSlow: 4002,
  /** The server is shutting down. Reconnect with `since`. */
  goingAway: 1001,
} as const;

/** Frames larger than this close the socket (1009). */
export const MAX_FRAME_BYTES = 64 * 1024;
