// Tells every instance that new change records exist. On PostgreSQL: one NOTIFY per ~50 ms
// per instance at most, carrying the events written since the last one (NOTIFY takes a
// global lock at commit, so never one per write), and a LISTEN connection that wakes this
// instance's hub. Embedded PGlite runs in one process: the hub is woken directly.
import { randomUUID } from 'node:crypto';
import type { FastifyBaseLogger } from 'fastify';
import pg from 'pg';

export const NOTIFY_CHANNEL = 'muster_changes';
/** PostgreSQL refuses NOTIFY payloads of 8000 bytes or more. */
const MAX_PAYLOAD = 7000;

export interface Notifier {
  /** This instance committed changes of `eventId`. */
  committed(eventId: string): void;
  close(): Promise<void>;
}

type Wake = (eventIds: Iterable<string> | '*') => void;

/** One process: the hub hears of each commit directly. */
export function localNotifier(wake: Wake): Notifier {
  return {
    committed: (eventId) => wake([eventId]),
    close: async () => {},
  };
}

export interface PostgresNotifierOptions {
  databaseUrl: string;
  /** Notifications of one instance are at least this far apart. */
  batchMs: number;
  log: FastifyBaseLogger;
}

export async function postgresNotifier(
  wake: Wake,
  options: PostgresNotifierOptions,
): Promise<Notifier> {
  const instance = randomUUID();
  const pending = new Set<string>();
  let timer: NodeJS.Timeout | null = null;
  let closed = false;
  const sender = new pg.Pool({ connectionString: options.databaseUrl, max: 1 });
  sender.on('error', () => {});

  const flush = () => {
    timer = null;
    if (pending.size === 0 || closed) return;
    let ids = [...pending].join(',');
    pending.clear();
    if (ids.length > MAX_PAYLOAD) ids = '*';
    sender
      .query('select pg_notify($1, $2)', [NOTIFY_CHANNEL, `${instance}|${ids}`])
      .catch((error: unknown) => options.log.warn({ err: error }, 'live: NOTIFY failed'));
  };

  const listener = await listen(
    options,
    (payload) => {
      const [from, ids] = payload.split('|');
      if (from === instance || ids === undefined) return;
      wake(ids === '*' ? '*' : ids.split(','));
    },
    wake,
  );

  return {
    committed(eventId) {
      // This instance's own sockets need not wait for the round trip.
      wake([eventId]);
      pending.add(eventId);
      timer ??= setTimeout(flush, options.batchMs);
    },
    async close() {
      closed = true;
      if (timer) clearTimeout(timer);
      await listener.close();
      await sender.end();
    },
  };
}

/**
 * Keeps a LISTEN connection open, reconnecting after the database restarts; after each
 * reconnect every event is checked, since notifications sent meanwhile were lost.
 */
async function listen(
  options: PostgresNotifierOptions,
  onPayload: (payload: string) => void,
  wake: Wake,
): Promise<{ close(): Promise<void> }> {
  let client: pg.Client | null = null;
  let closed = false;
  let retry: NodeJS.Timeout | null = null;

  const connect = async (): Promise<void> => {
    const next = new pg.Client({ connectionString: options.databaseUrl });
    next.on('notification', (message) => onPayload(message.payload ?? ''));
    next.on('error', () => reconnect(next));
    next.on('end', () => reconnect(next));
    await next.connect();
    await next.query(`listen ${NOTIFY_CHANNEL}`);
    client = next;
  };

  const reconnect = (failed: pg.Client) => {
    if (closed || client !== failed || retry) return;
    client = null;
    failed.end().catch(() => {});
    const attempt = () => {
      retry = null;
      connect()
        .then(() => wake('*'))
        .catch((error: unknown) => {
          options.log.warn({ err: error }, 'live: LISTEN connection lost; retrying');
          retry = setTimeout(attempt, 1000);
        });
    };
    retry = setTimeout(attempt, 250);
  };

  await connect();
  return {
    async close() {
      closed = true;
      if (retry) clearTimeout(retry);
      await client?.end().catch(() => {});
    },
  };
}
