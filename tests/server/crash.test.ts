// Crash safety: the real server, under claims, movements and position reports, is killed with
// SIGKILL at a random moment and restarted on the same data, round after round. After each
// kill, with no server running, the database must hold every write that was acknowledged and
// keep every invariant; after each restart a live socket resumes from the last seq it saw
// with no gap, and every write that got no answer, retried with its Idempotency-Key, is
// applied at most once.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { inspectDatabase } from '../helpers/crash-checks.ts';
import {
  between,
  type March,
  newSlots,
  planMarch,
  retryPending,
  startLoad,
  WriteLog,
} from '../helpers/crash-march.ts';
import { type DatabaseKind, databaseKinds, freshPostgres } from '../helpers/databases.ts';
import { LiveClient } from '../helpers/live.ts';
import { exitOf, type ServerProcess, startServer } from '../helpers/server-process.ts';

const ROUNDS = 20;
/** How long the load runs before the kill: a random moment in this window. */
const LOAD_MS = { min: 300, max: 1500 };
/**
 * Rounds take turns: a kill at a random moment, or the instant the load's nth claim, movement
 * or position report is acknowledged (n random, up to the most a round surely makes) — when
 * anything the database still held only in memory would be lost.
 */
const TRIGGERS = ['moment', 'claim', 'movement', 'position'] as const;
const NTH = { claim: 3, movement: 20, position: 4 };

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function databaseEnv(
  kind: DatabaseKind,
  cleanups: (() => Promise<void>)[],
): Promise<Record<string, string>> {
  if (kind === 'postgres') {
    const database = await freshPostgres();
    cleanups.push(database.drop);
    return { DATABASE_URL: database.databaseUrl! };
  }
  const dir = mkdtempSync(join(tmpdir(), 'muster-crash-'));
  cleanups.push(async () => rmSync(dir, { recursive: true, force: true }));
  return { MUSTER_DATA_DIR: dir };
}

/**
 * A coordinator's page reconnecting after the restart with the last seq it saw: it must get
 * exactly the changes after it that a coordinator is sent — no gap, no resync.
 */
async function resumeLive(server: ServerProcess, march: March, since: number, expected: number[]) {
  const live = await LiveClient.connect(server.origin, {
    origin: server.origin,
    eventId: march.eventId,
    since,
    token: march.admin.token,
  });
  if (expected.length > 0) await live.until((m) => m.some((x) => x.seq === expected.at(-1)));
  expect(
    live.messages.map((m) => m.seq ?? m.type),
    `resuming after ${since}`,
  ).toEqual(expected);
  return live;
}

/** One run of the kill test: the server of the moment, and what the test has seen so far. */
interface Run {
  env: Record<string, string>;
  server: ServerProcess;
  march: March;
  log: WriteLog;
  live: LiveClient;
  retries: { replayed: number; applied: number; refused: number };
  killsOnAcknowledgment: number;
}

/**
 * Kills the server at a random moment of the load; returns what the live socket saw, and
 * whether the kill came the instant a write was acknowledged.
 */
async function killUnderLoad(round: number, { server, march, log, live }: Run) {
  const slotIds = await newSlots(server.origin, march, round);
  const load = startLoad(server.origin, march, log, slotIds);
  const trigger = TRIGGERS[round % TRIGGERS.length]!;
  let onAcknowledgment = false;
  if (trigger === 'moment') await sleep(between(LOAD_MS.min, LOAD_MS.max));
  else {
    const nth = load.acknowledgment(trigger, between(1, NTH[trigger])).then(() => true);
    onAcknowledgment = await Promise.race([nth, sleep(LOAD_MS.max + 1000).then(() => false)]);
  }
  load.stop();
  server.child.kill('SIGKILL');
  await Promise.all([exitOf(server.child), load.done, live.closing()]);
  return { seen: live.messages, onAcknowledgment };
}

/** One round: load, kill, check what is left, restart, resume, retry what got no answer. */
async function killAndRestart(run: Run, round: number): Promise<void> {
  const { seen, onAcknowledgment } = await killUnderLoad(round, run);
  if (onAcknowledgment) run.killsOnAcknowledgment++;
  const since = Math.max(0, ...run.live.seqs());
  const inspection = await inspectDatabase(run.env, run.march, run.log, seen);
  if (run.env.MUSTER_DATA_DIR) {
    // The killed server's lock is still there: the new one must take it over.
    const lock = readFileSync(join(run.env.MUSTER_DATA_DIR, 'muster.lock'), 'utf8');
    expect(Number(lock)).toBe(run.server.child.pid);
  }
  run.server = await startServer(run.env);
  const after = inspection.replayed.filter((seq) => seq > since);
  run.live = await resumeLive(run.server, run.march, since, after);
  const retried = await retryPending(run.server.origin, run.log, inspection.committed);
  for (const outcome of ['replayed', 'applied', 'refused'] as const) {
    run.retries[outcome] += retried[outcome];
  }
  expect(run.log.unexpected, `round ${round}; the server said:\n${run.server.output()}`).toEqual(
    [],
  );
}

function summary(kind: DatabaseKind, run: Run, seconds: number): string {
  const { log, retries } = run;
  return (
    `crash on ${kind}: ${ROUNDS} SIGKILLs in ${seconds} s (${run.killsOnAcknowledgment} the ` +
    `instant a write was acknowledged); ${log.counts.acknowledged} writes acknowledged ` +
    `(${log.claims.size} claims, ${log.movements.size} movements, ${log.counts.positions} ` +
    `position reports), ${log.counts.refused} refused (full, short, too soon); ` +
    `${log.counts.cutOff} cut off mid-request, retried with their keys: ${retries.replayed} ` +
    `had committed and were replayed, ${retries.applied} applied afresh, ` +
    `${retries.refused} refused`
  );
}

describe.each(databaseKinds)('the server killed with SIGKILL under load, on %s', (kind) => {
  const cleanups: (() => Promise<void>)[] = [];
  afterAll(async () => {
    for (const cleanup of cleanups) await cleanup();
  });

  it(`keeps every acknowledged write and every invariant through ${ROUNDS} kills`, async () => {
    const started = Date.now();
    const env = await databaseEnv(kind, cleanups);
    const log = new WriteLog();
    const first = await startServer(env);
    let run: Run | null = null;
    try {
      const march = await planMarch(first.origin, first.setupLink!, log);
      const live = await LiveClient.connect(first.origin, {
        origin: first.origin,
        eventId: march.eventId,
        token: march.admin.token,
      });
      const retries = { replayed: 0, applied: 0, refused: 0 };
      run = { env, server: first, march, log, live, retries, killsOnAcknowledgment: 0 };
      for (let round = 1; round <= ROUNDS; round++) await killAndRestart(run, round);
    } finally {
      await (run?.server ?? first).stop();
    }
    // Stopped cleanly with nothing unanswered: the database is exactly what was acknowledged.
    await inspectDatabase(env, run.march, log, run.live.messages);
    console.log(summary(kind, run, Math.round((Date.now() - started) / 1000)));
  }, 600_000);
});
