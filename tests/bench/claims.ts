// `npm run bench:claims`: 1,000 volunteers claim role places at the same moment, over
// loopback HTTP against the real app, first on PGlite and then on PostgreSQL. Prints
// throughput and latency per scenario, then checks every slot's `filled` against its claims.
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { availableParallelism, cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { count, inArray } from 'drizzle-orm';
import type { FastifyInstance } from 'fastify';
import { roleClaims, roleSlots } from '../../drizzle/schema.ts';
import { buildApp } from '../../server/app.ts';
import { parseConfig } from '../../server/config.ts';
import { ensureSetupLink } from '../../server/features/people/service.ts';
import { freshPostgres } from './databases.ts';
import { BenchClient, inBatches, type Reply } from './http.ts';

const CLAIMERS = 1_000;
const SCENARIOS = [
  { name: 'ample (20 × 50)', slots: 20, capacity: 50 },
  { name: 'scarce (10 × 5)', slots: 10, capacity: 5 },
] as const;
/** Joins during setup are not what we measure: a bounded number in flight is enough. */
const SETUP_CONCURRENCY = 50;
const REQUEST_TIMEOUT_MS = 90_000;
const TOTAL_TIMEOUT_MS = 115_000;

interface Row {
  database: string;
  scenario: string;
  requests: number;
  succeeded: number;
  full: number;
  errors: number;
  wallMs: number;
  p50: number;
  p99: number;
  /** Each kind of error (status and the start of its body), with how often it came. */
  errorKinds: Map<string, number>;
}

/** An administrator, an event, and CLAIMERS volunteers who joined through one invite link. */
async function setUpMarch(app: FastifyInstance, client: BenchClient) {
  const setupToken = await ensureSetupLink(app.db);
  if (!setupToken) throw new Error('the database already has an administrator');
  const admin = await client.join(setupToken, 'Admin');
  const event = await client.expect<{ id: string }>(201, 'POST', '/api/events', {
    token: admin,
    json: {
      name: 'May Day — benchmark',
      date: '2027-05-01',
      startTime: '10:00',
      timezone: 'America/Los_Angeles',
    },
  });
  const invite = await client.expect<{ token: string }>(
    201,
    'POST',
    `/api/events/${event.id}/invites`,
    { token: admin, json: { role: 'volunteer', label: 'Benchmark' } },
  );
  const names = Array.from({ length: CLAIMERS }, (_, i) => `Volunteer ${i + 1}`);
  const volunteers = await inBatches(names, SETUP_CONCURRENCY, (name) =>
    client.join(invite.token, name),
  );
  return { admin, eventId: event.id, volunteers };
}

function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
}

/** Creates the scenario's slots, then fires every volunteer's claim at once. */
async function runScenario(
  client: BenchClient,
  march: Awaited<ReturnType<typeof setUpMarch>>,
  scenario: (typeof SCENARIOS)[number],
) {
  const base = `/api/events/${march.eventId}/role-slots`;
  const slots = await inBatches(
    Array.from({ length: scenario.slots }, (_, i) => `${scenario.name} slot ${i + 1}`),
    SETUP_CONCURRENCY,
    (name) =>
      client.expect<{ id: string }>(201, 'POST', base, {
        token: march.admin,
        json: { name, capacity: scenario.capacity },
      }),
  );
  const run = randomBytes(4).toString('hex');
  const started = performance.now();
  const replies = await Promise.all(
    march.volunteers.map((token, i) =>
      client.send('POST', `${base}/${slots[i % slots.length]!.id}/claims`, {
        token,
        key: `bench-${run}-${i}`,
      }),
    ),
  );
  const wallMs = performance.now() - started;
  return { slotIds: slots.map((s) => s.id), replies, wallMs };
}

function summarize(
  database: string,
  scenario: string,
  { replies, wallMs }: { replies: Reply[]; wallMs: number },
): Row {
  const latencies = replies.map((r) => r.ms).sort((a, b) => a - b);
  const succeeded = replies.filter((r) => r.status === 201).length;
  const isFull = (r: Reply) => r.status === 409 && r.body.includes('is full');
  const full = replies.filter(isFull).length;
  const errorKinds = new Map<string, number>();
  for (const r of replies.filter((r) => r.status !== 201 && !isFull(r))) {
    const kind = `${r.status || 'no answer'}: ${r.body.slice(0, 120)}`;
    errorKinds.set(kind, (errorKinds.get(kind) ?? 0) + 1);
  }
  return {
    database,
    scenario,
    requests: replies.length,
    succeeded,
    full,
    errors: replies.length - succeeded - full,
    wallMs,
    p50: percentile(latencies, 50),
    p99: percentile(latencies, 99),
    errorKinds,
  };
}

/** Every slot's `filled` equals its claims, within capacity, and the 201s match the claims. */
async function checkInvariants(app: FastifyInstance, slotIds: string[], row: Row) {
  const slots = await app.db.select().from(roleSlots).where(inArray(roleSlots.id, slotIds));
  const claims = await app.db
    .select({ slotId: roleClaims.slotId, n: count() })
    .from(roleClaims)
    .where(inArray(roleClaims.slotId, slotIds))
    .groupBy(roleClaims.slotId);
  const held = new Map(claims.map((c) => [c.slotId, c.n]));
  const problems = slots
    .filter((s) => s.filled !== (held.get(s.id) ?? 0) || s.filled > s.capacity)
    .map((s) => `${s.name}: filled ${s.filled}, claims ${held.get(s.id) ?? 0}, of ${s.capacity}`);
  // A request that got no answer may still have committed its claim.
  const total = claims.reduce((sum, c) => sum + c.n, 0);
  if (total < row.succeeded || total > row.succeeded + row.errors) {
    problems.push(`${total} claims stored, but ${row.succeeded} answered 201`);
  }
  return problems;
}

/** What has been measured so far: printed at the end, or at the deadline. */
const results = { rows: [] as Row[], problems: [] as string[] };

/** Builds the app on one database and runs every scenario on it. */
async function benchmark(
  database: string,
  options: { databaseUrl: string | null; dataDir: string },
) {
  const config = { ...parseConfig({}), ...options, webDist: null, logLevel: 'silent' };
  const app = await buildApp(config, { logger: false });
  // A thousand connections arrive at once: a backlog above Node's default 511 keeps the
  // kernel from dropping SYNs, whose 1 s retransmit would swamp the latencies we measure.
  await app.listen({ port: 0, host: '127.0.0.1', backlog: 2 * CLAIMERS });
  const address = app.server.address();
  const client = new BenchClient(
    typeof address === 'object' && address ? address.port : 0,
    CLAIMERS,
    REQUEST_TIMEOUT_MS,
  );
  try {
    const march = await setUpMarch(app, client);
    for (const scenario of SCENARIOS) {
      const result = await runScenario(client, march, scenario);
      const row = summarize(database, scenario.name, result);
      results.rows.push(row);
      const found = await checkInvariants(app, result.slotIds, row);
      results.problems.push(...found.map((p) => `${database}, ${scenario.name}: ${p}`));
    }
  } finally {
    client.agent.destroy();
    await app.close();
  }
}

function printTable(rows: Row[]) {
  const header = ['database', 'scenario', 'requests', 'succeeded', '409s', 'errors'];
  header.push('wall ms', 'claims/s', 'p50 ms', 'p99 ms');
  const cells = rows.map((r) => [
    r.database,
    r.scenario,
    String(r.requests),
    String(r.succeeded),
    String(r.full),
    String(r.errors),
    r.wallMs.toFixed(0),
    ((r.requests / r.wallMs) * 1000).toFixed(0),
    r.p50.toFixed(1),
    r.p99.toFixed(1),
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...cells.map((c) => c[i]!.length)));
  const line = (c: string[]) =>
    c.map((v, i) => (i < 2 ? v.padEnd(widths[i]!) : v.padStart(widths[i]!))).join('  ');
  console.log(line(header));
  console.log(widths.map((w) => '-'.repeat(w)).join('  '));
  cells.forEach((c) => console.log(line(c)));
}

function report() {
  printTable(results.rows);
  console.log('\nclaims/s: claim requests answered per second of wall time (201 or 409).');
  for (const row of results.rows) {
    for (const [kind, n] of row.errorKinds) {
      console.log(`${row.database}, ${row.scenario}: ${n} × ${kind}`);
    }
  }
  if (results.problems.length > 0) {
    console.log(`\nFAILED:\n${results.problems.join('\n')}`);
    process.exitCode = 1;
  } else if (results.rows.length > 0) {
    console.log('\nInvariants OK: every slot’s filled equals its claims, within capacity.');
  }
}

async function main() {
  const deadline = setTimeout(() => {
    report();
    console.error(`\nThe benchmark did not finish within ${TOTAL_TIMEOUT_MS / 1000} s.`);
    process.exit(2);
  }, TOTAL_TIMEOUT_MS);
  deadline.unref();
  console.log(
    `${CLAIMERS} simultaneous claims; Node ${process.version}, ` +
      `${availableParallelism()} CPUs (${cpus()[0]?.model ?? 'unknown'})\n`,
  );
  const dataDir = mkdtempSync(join(tmpdir(), 'muster-bench-'));
  // On exit, so the deadline's process.exit removes it too.
  process.once('exit', () => rmSync(dataDir, { recursive: true, force: true }));
  await benchmark('pglite', { databaseUrl: null, dataDir });
  const postgres = await freshPostgres();
  if (postgres) {
    try {
      await benchmark('postgres', { databaseUrl: postgres.databaseUrl, dataDir: '' });
    } finally {
      await postgres.drop();
    }
  }
  report();
}

await main();
