// GET /api/live: the WebSocket that carries change records to open pages. Authenticated by
// the session like every route, from an allowed Origin only; the hub does the delivery.
import websocket from '@fastify/websocket';
import { eq, sql } from 'drizzle-orm';
import { events } from '../../drizzle/schema.ts';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import type { WebSocket } from 'ws';
import { type Actor, requireEventMember } from '../access.ts';
import { onCommitted } from '../changes.ts';
import { Forbidden, NotFound } from '../errors.ts';
import { LiveHub, Member } from '../live/hub.ts';
import { localNotifier, type Notifier, postgresNotifier } from '../live/notifier.ts';
import { LiveQuery, MAX_FRAME_BYTES } from '../live/protocol.ts';
import { ProblemSchema, problemResponses } from '../schemas.ts';
import { type SessionRef, workingSessions } from './auth.ts';
import { type Database, openPostgresReader } from './database.ts';

export interface LiveOptions {
  databaseUrl: string | null;
  publicUrl: string | null;
  /** Origins allowed besides the server's own (MUSTER_PUBLIC_URL's is among them when set). */
  allowedOrigins: string[];
  retention: { minutes: number; changes: number };
}

declare module 'fastify' {
  interface FastifyInstance {
    live: LiveHub;
  }
}

/** The event's last seq when each live request was accepted, for clients without `since`. */
const joinedAt = new WeakMap<object, number>();

async function lastSeqOf(db: Database, eventId: string): Promise<number> {
  const [row] = await db
    .select({ lastSeq: events.lastSeq })
    .from(events)
    .where(eq(events.id, eventId));
  if (!row) throw NotFound('The event');
  return row.lastSeq;
}

/** A client may send a heartbeat now and then; more than this many messages a second is abuse. */
const MAX_MESSAGES_PER_SECOND = 10;
const PING = Buffer.from(JSON.stringify({ type: 'ping' }));
/**
 * A socket the server closes (abuse, too slow, shutting down) is dropped if its client has
 * not answered the close within this long, rather than ws's 30 s: one that never reads
 * keeps up to 1 MB queued for it meanwhile, and one that keeps sending is still read.
 */
const CLOSE_TIMEOUT_MS = 5_000;
const HEARTBEAT_MS = 30_000;
/** Every event is checked this often for changes a lost notification did not announce. */
const POLL_MS = 5_000;
/** Sessions of open sockets are checked again this often (logout, expiry). */
const SESSION_CHECK_MS = 15_000;
const PRUNE_MS = 60_000;

/** The page's Origin is this server's own, or one configured as allowed. */
function allowedOrigin(request: FastifyRequest, options: LiveOptions): boolean {
  const origin = request.headers.origin;
  if (!origin) return false;
  if (options.allowedOrigins.includes(origin)) return true;
  // Without a configured public URL, the server's origin is the one the browser asked for.
  return !options.publicUrl && origin === `${request.protocol}://${request.headers.host}`;
}

async function livePlugin(app: FastifyInstance, options: LiveOptions) {
  // On PostgreSQL the hub reads through its own connections: deliveries must not wait
  // behind the queue of writes in the main pool. PGlite has one connection anyway.
  const reader = options.databaseUrl ? openPostgresReader(options.databaseUrl, 3) : null;
  const hub = new LiveHub(reader?.db ?? app.db, app.log, {
    maxBufferedBytes: 1 << 20,
    maxBacklog: 20_000,
    // A few minutes of a busy march: what pages that come back after a restart missed.
    recent: { rows: 2_000, bytes: 4 << 20 },
    // One of the reader's three connections stays free for delivering new changes.
    replayReads: reader ? 2 : 1,
  });
  const wake = (ids: Iterable<string> | '*') => hub.poke(ids);
  const notifier: Notifier = options.databaseUrl
    ? await postgresNotifier(wake, { databaseUrl: options.databaseUrl, batchMs: 50, log: app.log })
    : localNotifier(wake);
  onCommitted(app.db, (eventId) => notifier.committed(eventId));
  app.decorate('live', hub);

  const timers = [
    setInterval(() => hub.poke('*'), POLL_MS),
    setInterval(() => void endLapsedSessions(app, hub), SESSION_CHECK_MS),
    setInterval(() => void pruneChanges(app, options.retention), PRUNE_MS),
  ];
  for (const timer of timers) timer.unref();
  // Before @fastify/websocket's own preClose, which closes every socket without a code: open
  // pages are told the server is going away (1001) and reconnect with since.
  app.addHook('preClose', async () => hub.close());
  app.addHook('onClose', async () => {
    for (const timer of timers) clearInterval(timer);
    await notifier.close();
    await reader?.close();
  });

  // ws (8.23 here) takes closeTimeout; its types do not list it yet.
  const socketOptions: { maxPayload: number; closeTimeout: number } = {
    maxPayload: MAX_FRAME_BYTES,
    closeTimeout: CLOSE_TIMEOUT_MS,
  };
  await app.register(websocket, { options: socketOptions });
  app.withTypeProvider<TypeBoxTypeProvider>().route({
    method: 'GET',
    url: '/api/live',
    schema: {
      operationId: 'liveUpdates',
      summary: 'Live changes of an event over a WebSocket (see the README for the protocol)',
      description:
        'Upgrade to a WebSocket, from an allowed Origin, with the session cookie or a ' +
        'bearer token. Without an upgrade the answer is 426.',
      tags: ['on the day'],
      querystring: LiveQuery,
      response: { 426: ProblemSchema, ...problemResponses },
    },
    preHandler: async (request) => {
      requireEventMember(request.actor, request.query.event);
      const lastSeq = await lastSeqOf(app.db, request.query.event);
      if (request.ws && !allowedOrigin(request, options)) {
        throw Forbidden('Live updates are only for pages of this server (Origin refused).');
      }
      // Without `since`, "from now" means from before the upgrade: once the client sees the
      // socket open, no change it causes can slip past it.
      joinedAt.set(request.raw, lastSeq);
    },
    handler: async (_request, reply) => {
      reply.code(426).header('upgrade', 'websocket').type('application/problem+json');
      return {
        type: 'about:blank',
        title: 'Upgrade Required',
        status: 426,
        detail: 'GET /api/live is a WebSocket: connect with an Upgrade request.',
      };
    },
    wsHandler: (socket, request) =>
      openSocket(app, socket, request.actor!, request.session!, {
        event: request.query.event,
        since: Number(request.query.since ?? joinedAt.get(request.raw)),
      }),
  });
}

async function openSocket(
  app: FastifyInstance,
  socket: WebSocket,
  actor: Actor,
  session: SessionRef,
  query: { event: string; since: number },
) {
  const hub = app.live;
  const member = new Member(socket, actor, query.event, session);
  watchClient(socket, () => hub.leave(member));
  try {
    await hub.join(member, query.since);
    // A revocation between the request's sign-in check and the join found no socket to
    // close: look again now that the socket is in.
    const working = await workingSessions(app.db, [session.tokenHash]);
    if (!working.has(session.tokenHash)) hub.endSessions((m) => m === member, 'session ended');
  } catch (error) {
    app.log.warn({ err: error }, 'live: joining failed');
    socket.close(1011, 'try again');
    hub.leave(member);
  }
}

/** Heartbeats both ways, a cap on what the client may send, and cleanup on close. */
function watchClient(socket: WebSocket, onClose: () => void) {
  let alive = true;
  let window = Date.now();
  let count = 0;
  /** False once the client sent more than it may: the socket is then being closed. */
  const allowed = () => {
    if (socket.readyState !== socket.OPEN) return false;
    const now = Date.now();
    if (now - window >= 1000) [window, count] = [now, 0];
    if (++count <= MAX_MESSAGES_PER_SECOND) return true;
    socket.close(1008, 'too many messages');
    return false;
  };
  socket.on('pong', () => (alive = true));
  // ws answers protocol pings itself; browsers never send them, and they count as messages.
  socket.on('ping', allowed);
  const heartbeat = setInterval(() => {
    if (!alive) return socket.terminate();
    alive = false;
    socket.ping();
  }, HEARTBEAT_MS);
  socket.on('message', (data, isBinary) => {
    if (!allowed()) return;
    // Compared as bytes: a 64 KB frame of something else is not decoded to find out.
    if (!isBinary && Buffer.isBuffer(data) && data.equals(PING)) {
      return socket.send(JSON.stringify({ type: 'pong' }));
    }
    socket.close(1008, 'the only message a client may send is {"type":"ping"}');
  });
  socket.on('close', () => {
    clearInterval(heartbeat);
    onClose();
  });
}

/** Closes sockets whose session ended by logout or expiry (revocation closes them at once). */
async function endLapsedSessions(app: FastifyInstance, hub: LiveHub) {
  // Only sockets in this snapshot: one that joins while the query runs was not asked about.
  const checked = new Set(hub.members());
  if (checked.size === 0) return;
  try {
    const working = await workingSessions(app.db, [
      ...new Set([...checked].map((m) => m.session.tokenHash)),
    ]);
    hub.endSessions((m) => checked.has(m) && !working.has(m.session.tokenHash), 'session ended');
  } catch (error) {
    app.log.warn({ err: error }, 'live: checking sessions failed');
  }
}

/** Forgets changes older than the retention window, keeping the latest ones of each event. */
async function pruneChanges(app: FastifyInstance, keep: LiveOptions['retention']) {
  try {
    await app.db.execute(sql`
      delete from change_records c using events e
      where c.event_id = e.id
        and c.created_at < now() - make_interval(mins => ${keep.minutes})
        and c.seq <= e.last_seq - ${keep.changes}`);
  } catch (error) {
    app.log.warn({ err: error }, 'live: pruning changes failed');
  }
}

export default fp(livePlugin, { name: 'live', dependencies: ['database', 'auth', 'errors'] });
