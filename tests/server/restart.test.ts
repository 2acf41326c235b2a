import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { type DatabaseKind, databaseKinds, freshPostgres } from '../helpers/databases.ts';
import { exitOf, runMain, startServer } from '../helpers/server-process.ts';

async function call(origin: string, path: string, init: RequestInit & { token?: string } = {}) {
  const headers: Record<string, string> = { 'content-type': 'application/json' };
  if (init.token) headers.authorization = `Bearer ${init.token}`;
  const res = await fetch(origin + path, { ...init, headers });
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- JSON read back in assertions
  const body: any = await res.json().catch(() => null);
  return { status: res.status, headers: res.headers, body };
}

/** Signs in through the printed setup link and plans a small event. */
async function planAnEvent(origin: string, setupLink: string) {
  const token = new URL(setupLink).hash.slice(1);
  const joined = await fetch(`${origin}/api/join`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ token, displayName: 'Rosa' }),
  });
  expect(joined.status).toBe(200);
  const session = /muster_session=([^;]+)/.exec(joined.headers.get('set-cookie') ?? '')![1]!;
  const event = await call(origin, '/api/events', {
    method: 'POST',
    token: session,
    body: JSON.stringify({
      name: 'May Day',
      date: '2027-05-01',
      startTime: '10:00',
      timezone: 'America/Los_Angeles',
    }),
  });
  expect(event.status).toBe(201);
  const point = await call(origin, `/api/events/${event.body.id}/meeting-points`, {
    method: 'POST',
    token: session,
    body: JSON.stringify({ name: 'Boathouse', position: { lat: 34.0593, lng: -118.2776 } }),
  });
  expect(point.status).toBe(201);
  return { session, eventId: event.body.id as string };
}

async function databaseEnv(
  kind: DatabaseKind,
  cleanups: (() => Promise<void>)[],
): Promise<Record<string, string>> {
  if (kind === 'postgres') {
    const database = await freshPostgres();
    cleanups.push(database.drop);
    return { DATABASE_URL: database.databaseUrl! };
  }
  const dir = mkdtempSync(join(tmpdir(), 'muster-restart-'));
  cleanups.push(async () => rmSync(dir, { recursive: true, force: true }));
  return { MUSTER_DATA_DIR: dir };
}

describe.each(databaseKinds)('the server process on %s', (kind) => {
  const cleanups: (() => Promise<void>)[] = [];
  afterAll(async () => {
    for (const cleanup of cleanups) await cleanup();
  });

  it('keeps the plan across a Ctrl-C and a restart on the same data', async () => {
    const env = await databaseEnv(kind, cleanups);
    const first = await startServer(env);
    expect(first.setupLink).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/setup#[\w-]{43}$/);
    const { session, eventId } = await planAnEvent(first.origin, first.setupLink!);
    expect(await first.stop('SIGINT')).toBe(0);

    const second = await startServer(env);
    try {
      expect(second.setupLink).toBeNull();
      const plan = await call(second.origin, `/api/events/${eventId}`, { token: session });
      expect(plan.status).toBe(200);
      expect(plan.body.name).toBe('May Day');
      expect(plan.body.meetingPoints.map((m: { name: string }) => m.name)).toEqual(['Boathouse']);
    } finally {
      await second.stop();
    }
  }, 120_000);

  it.runIf(kind === 'pglite')(
    'refuses, at once and clearly, to open a data directory another process holds',
    async () => {
      const env = await databaseEnv(kind, cleanups);
      const holder = await startServer(env);
      try {
        const intruder = runMain(env);
        let output = '';
        intruder.stderr!.on('data', (chunk) => (output += chunk));
        expect(await exitOf(intruder)).toBe(1);
        expect(output).toContain(`is in use by another Muster process (pid ${holder.child.pid})`);
        const stillServing = await call(holder.origin, '/api/config');
        expect(stillServing.status).toBe(200);
      } finally {
        await holder.stop();
      }
    },
    120_000,
  );
});
