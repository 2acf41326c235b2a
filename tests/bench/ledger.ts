// `npm run bench:ledger` (issue 5): leaders record hand-outs of literature at the same time,
// over loopback HTTP against the real app, first on PGlite and then on a fresh PostgreSQL
// database (dropped after). Prints movements/s and latency per database and number of
// requests in flight as a markdown table, then proves nothing was lost or counted twice.
//
// Setup, over the HTTP API and not measured: one event with one literature material, a
// depot that received a large stock from the supplier, and C contingents (--contingents,
// default 40), each with a leader and an allocation of ALLOCATION copies from the depot.
// The first contingent's leader invite is joined C times, so the contended case has as
// many writers as the spread one.
//
// Each run keeps K requests in flight (closed loop) for --seconds: every request is one
// "distributed" movement of 10 copies from the writer's own contingent, with its own
// Idempotency-Key; request i goes to writer i mod C. "spread": the C leaders, each from
// their own contingent, at every level of --concurrency. "contended": C leaders of the first
// contingent, all taking from one balance, at every level of --contended. A short warm-up
// (not in the table) runs first on each database, and every run opens its K keep-alive
// sockets before it starts. movements/s is the 201s over the wall time from the first
// request to the last answer; latencies are over every request of the run. The client runs
// in the server's own process, so its work counts against the server. On PostgreSQL, a
// sampler on its own connection notes which statements wait for which locks.
//
// A request that got no answer (or a 5xx) is sent again with the same key and body until it
// is answered, as a phone would: a retry of one that had committed is answered from the
// stored result. Then, per database:
// - the ids of the 201s are exactly the ledger's "distributed" movements;
// - every holder's balance equals the sum of the ledger's movements in and out of it, and
//   the balances sum to 0;
// - every contingent holds its allocation less 10 × its 201s, the public 10 × all 201s;
// - each movement has its material.moved change record;
// - a sample of requests sent again with their keys is replayed, and the ledger is unchanged.
//
// Flags (or environment): --seconds (BENCH_SECONDS, default 5), --concurrency (BENCH_CONCURRENCY,
// default 1,10,50,200), --contended (BENCH_CONTENDED, default 50; "" for none),
// --contingents (BENCH_CONTINGENTS, default 40), --database pglite|postgres|both
// (BENCH_DATABASE, default both), --timeout (BENCH_TIMEOUT, seconds, default 300).
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { availableParallelism, cpus, loadavg, tmpdir, totalmem } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import { sql } from 'drizzle-orm';
import type { FastifyInstance } from 'fastify';
import pg from 'pg';
import { buildApp } from '../../server/app.ts';
import { parseConfig } from '../../server/config.ts';
import { ensureSetupLink } from '../../server/features/people/service.ts';
import { freshPostgres } from './databases.ts';
import { BenchClient, inBatches, type Reply } from './http.ts';

/** Copies each contingent is allocated: 100,000 hand-outs of 10 before it runs short. */
const ALLOCATION = 1_000_000;
/** The most one movement may carry (the API's limit). */
const MAX_QUANTITY = 1_000_000;
const HAND_OUT = 10;
const WARMUP = { seconds: 1, inFlight: 10 };
const SETUP_CONCURRENCY = 20;
/** Far above any expected latency: a request cut short could still commit, unseen. */
const REQUEST_TIMEOUT_MS = 60_000;
const RETRIES = 5;
const REPLAY_SAMPLE = 50;
const SAMPLE_MS = 100;
/** A place in Los Angeles for the depot and the hand-outs. */
const HERE = { lat: 34.0522, lng: -118.2437 };

interface Options {
  seconds: number;
  levels: number[];
  contended: number[];
  contingents: number;
  databases: ('pglite' | 'postgres')[];
  timeoutS: number;
}

function parseOptions(): Options {
  const env = process.env;
  const { values } = parseArgs({
    options: {
      seconds: { type: 'string', default: env.BENCH_SECONDS || '5' },
      concurrency: { type: 'string', default: env.BENCH_CONCURRENCY || '1,10,50,200' },
      contended: { type: 'string', default: env.BENCH_CONTENDED ?? '50' },
      contingents: { type: 'string', default: env.BENCH_CONTINGENTS || '40' },
      database: { type: 'string', default: env.BENCH_DATABASE || 'both' },
      timeout: { type: 'string', default: env.BENCH_TIMEOUT || '300' },
    },
  });
  const positive = (name: string, value: string) => {
    const n = Number(value);
    if (!Number.isFinite(n) || n <= 0) throw new Error(`--${name} must be a positive number`);
    return n;
  };
  const counts = (name: string, value: string) =>
    value
      .split(',')
      .map((v) => v.trim())
      .filter(Boolean)
      .map((v) => {
        const n = positive(name, v);
        if (!Number.isInteger(n)) throw new Error(`--${name} takes whole numbers`);
        return n;
      });
  const database = values.database;
  if (!['pglite', 'postgres', 'both'].includes(database)) {
    throw new Error('--database must be pglite, postgres or both');
  }
  const contingents = positive('contingents', values.contingents);
  if (!Number.isInteger(contingents)) throw new Error('--contingents takes a whole number');
  return {
    seconds: positive('seconds', values.seconds),
    levels: counts('concurrency', values.concurrency),
    contended: counts('contended', values.contended),
    contingents,
    databases: database === 'both' ? ['pglite', 'postgres'] : [database as 'pglite' | 'postgres'],
    timeoutS: positive('timeout', values.timeout),
  };
}

// ---------------------------------------------------------------------------------------
// Setup over HTTP, as claims.ts does it: not measured.

interface Writer {
  token: string;
  contingentId: string;
}

interface March {
  eventId: string;
  admin: string;
  materialId: string;
  depotId: string;
  received: number;
  contingentIds: string[];
  /** One leader per contingent, each of their own. */
  spread: Writer[];
  /** As many leaders, all of the first contingent. */
  contended: Writer[];
}

async function setUpMarch(
  app: FastifyInstance,
  client: BenchClient,
  contingents: number,
): Promise<March> {
  const setupToken = await ensureSetupLink(app.db);
  if (!setupToken) throw new Error('the database already has an administrator');
  const admin = await client.join(setupToken, 'Admin');
  const post = <T>(path: string, json: object) =>
    client.expect<T>(201, 'POST', path, { token: admin, json });
  const event = await post<{ id: string }>('/api/events', {
    name: 'May Day — ledger benchmark',
    date: '2027-05-01',
    startTime: '10:00',
    timezone: 'America/Los_Angeles',
  });
  const base = `/api/events/${event.id}`;
  const material = await post<{ id: string }>(`${base}/materials`, {
    kind: 'literature',
    name: 'May Day paper',
    language: 'es',
  });
  const depot = await post<{ id: string }>(`${base}/depots`, {
    name: 'Union hall',
    position: HERE,
  });
  // Every allocation, and as much again in the depot. One at a time: concurrent first
  // movements of a material, whose balance rows do not exist yet, deadlock on PostgreSQL
  // (writeEvent retries them, a second lost per deadlock).
  const received = 2 * contingents * ALLOCATION;
  const receipts = Array.from({ length: received / MAX_QUANTITY }, () => MAX_QUANTITY);
  await inBatches(receipts, 1, (quantity) =>
    post(`${base}/movements`, {
      materialId: material.id,
      kind: 'received',
      quantity,
      toDepotId: depot.id,
    }),
  );
  const names = Array.from({ length: contingents }, (_, i) => `Contingent ${i + 1}`);
  const leaders = await inBatches(names, SETUP_CONCURRENCY, async (name, i) => {
    const contingent = await post<{ id: string }>(`${base}/contingents`, {
      name,
      expectedSize: 100,
    });
    const invite = await post<{ token: string }>(`${base}/invites`, {
      role: 'leader',
      contingentId: contingent.id,
    });
    await post(`${base}/movements`, {
      materialId: material.id,
      kind: 'allocated',
      quantity: ALLOCATION,
      fromDepotId: depot.id,
      toContingentId: contingent.id,
    });
    const token = await client.join(invite.token, `Leader ${i + 1}`);
    return { writer: { token, contingentId: contingent.id }, invite: invite.token };
  });
  const first = leaders[0]!;
  const others = Array.from({ length: contingents - 1 }, (_, i) => `Leader 1.${i + 2}`);
  const firstLeaders = await inBatches(others, SETUP_CONCURRENCY, async (name) => ({
    token: await client.join(first.invite, name),
    contingentId: first.writer.contingentId,
  }));
  return {
    eventId: event.id,
    admin,
    materialId: material.id,
    depotId: depot.id,
    received,
    contingentIds: leaders.map((l) => l.writer.contingentId),
    spread: leaders.map((l) => l.writer),
    contended: [first.writer, ...firstLeaders],
  };
}

// ---------------------------------------------------------------------------------------
// The measurement.

interface Sent {
  writer: Writer;
  key: string;
  json: object;
  reply: Reply;
  /** The answer that settled it: the reply, or the last retry's. */
  settled: Reply;
}

interface Row {
  database: string;
  scenario: 'spread' | 'contended' | 'warm-up';
  inFlight: number;
  requests: number;
  accepted: number;
  /** Requests that got no answer or a 5xx and were answered when sent again. */
  retried: number;
  /** 409 insufficient_stock and anything else that is not a 201 after retries. */
  refused: number;
  wallMs: number;
  p50: number;
  p95: number;
  p99: number;
  /** CPU time of this process (server, client and, on PGlite, the database) ÷ wall time. */
  cpu: number;
  /** PostgreSQL only: lock waits seen by the sampler (see LockSampler). */
  locks: LockWaits | null;
  errorKinds: Map<string, number>;
}

/** What one database's runs were answered, to check against its ledger. */
class Tally {
  readonly ids = new Set<string>();
  readonly byContingent = new Map<string, number>();
  readonly accepted: Sent[] = [];
  duplicates = 0;

  add(sent: Sent): void {
    const { movement } = JSON.parse(sent.settled.body) as { movement: { id: string } };
    if (this.ids.has(movement.id)) this.duplicates++;
    this.ids.add(movement.id);
    const id = sent.writer.contingentId;
    this.byContingent.set(id, (this.byContingent.get(id) ?? 0) + 1);
    this.accepted.push(sent);
  }
}

function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
}

const unanswered = (r: Reply) => r.status === 0 || r.status >= 500;

/**
 * Opens `n` keep-alive sockets before a run, with as many reads at once. Otherwise the
 * requests that open new connections at the start of a run wait behind those on open ones
 * (on PGlite, seconds: its queries block the event loop), which is a ramp, not the steady
 * state measured here.
 */
async function openSockets(client: BenchClient, march: March, n: number): Promise<void> {
  const path = `/api/events/${march.eventId}/materials`;
  await Promise.all(
    Array.from({ length: n }, () => client.expect(200, 'GET', path, { token: march.admin })),
  );
}

interface Measured {
  sent: Sent[];
  wallMs: number;
  cpu: number;
  locks: LockWaits | null;
}

/** Keeps `inFlight` hand-outs going for `seconds`, then settles the unanswered ones. */
async function measure(
  client: BenchClient,
  march: March,
  writers: Writer[],
  inFlight: number,
  seconds: number,
  sampler: LockSampler | null,
): Promise<Measured> {
  const run = randomBytes(4).toString('hex');
  const path = `/api/events/${march.eventId}/movements`;
  const sent: Sent[] = [];
  let next = 0;
  await openSockets(client, march, inFlight);
  sampler?.start();
  const cpuBefore = process.cpuUsage();
  const started = performance.now();
  const stopAt = started + seconds * 1000;
  const worker = async () => {
    while (performance.now() < stopAt) {
      const i = next++;
      const writer = writers[i % writers.length]!;
      const key = `ledger-${run}-${i}`;
      const json = {
        materialId: march.materialId,
        kind: 'distributed',
        quantity: HAND_OUT,
        fromContingentId: writer.contingentId,
        position: HERE,
      };
      const reply = await client.send('POST', path, { token: writer.token, key, json });
      sent.push({ writer, key, json, reply, settled: reply });
    }
  };
  await Promise.all(Array.from({ length: inFlight }, worker));
  const wallMs = performance.now() - started;
  const used = process.cpuUsage(cpuBefore);
  const locks = (await sampler?.stop()) ?? null;
  for (const s of sent.filter((s) => unanswered(s.reply))) {
    for (let attempt = 0; attempt < RETRIES && unanswered(s.settled); attempt++) {
      s.settled = await client.send('POST', path, {
        token: s.writer.token,
        key: s.key,
        json: s.json,
      });
    }
  }
  return { sent, wallMs, cpu: (used.user + used.system) / 1000 / wallMs, locks };
}

function summarize(
  database: string,
  scenario: Row['scenario'],
  inFlight: number,
  { sent, wallMs, cpu, locks }: Measured,
  tally: Tally,
): Row {
  const latencies = sent.map((s) => s.reply.ms).sort((a, b) => a - b);
  const errorKinds = new Map<string, number>();
  let accepted = 0;
  for (const s of sent) {
    if (s.settled.status === 201) {
      accepted++;
      tally.add(s);
      continue;
    }
    const kind = `${s.settled.status || 'no answer'}: ${s.settled.body.slice(0, 120)}`;
    errorKinds.set(kind, (errorKinds.get(kind) ?? 0) + 1);
  }
  return {
    database,
    scenario,
    inFlight,
    requests: sent.length,
    accepted,
    retried: sent.filter((s) => unanswered(s.reply) && !unanswered(s.settled)).length,
    refused: sent.length - accepted,
    wallMs,
    p50: percentile(latencies, 50),
    p95: percentile(latencies, 95),
    p99: percentile(latencies, 99),
    cpu,
    locks,
    errorKinds,
  };
}

/** PostgreSQL backends of this database over a run, averaged over the sampler's samples. */
interface LockWaits {
  /** In a transaction: running a statement, waiting for a lock, or waiting for Node. */
  inTransaction: number;
  /** Waiting for a lock, by the statement that waits and the lock it waits on. */
  waiting: Map<string, number>;
}

/** "update events", "insert into material_balances"…: what a statement writes or reads. */
function statement(query: string): string {
  const write = /^\s*(insert into|update|delete from)\s+"?(\w+)"?/i.exec(query);
  if (write) return `${write[1]!.toLowerCase()} ${write[2]}`;
  const read = /^\s*select\b[\s\S]*?\bfrom\s+"?(\w+)"?/i.exec(query);
  return read ? `select from ${read[1]}` : query.slice(0, 40);
}

/**
 * Samples pg_stat_activity every SAMPLE_MS on its own connection (not the app's pool):
 * how many of this database's backends are in a transaction, and which statements wait for
 * which lock. A statement blocked by a row another transaction has written waits on that
 * transaction ("transactionid") or, behind another waiter, on the row ("tuple").
 */
class LockSampler {
  private timer: NodeJS.Timeout | null = null;
  private pending: Promise<void> = Promise.resolve();
  private samples = 0;
  private inTransaction = 0;
  private waiting = new Map<string, number>();

  private constructor(private readonly client: pg.Client) {}

  static async open(url: string): Promise<LockSampler> {
    const client = new pg.Client({ connectionString: url });
    await client.connect();
    return new LockSampler(client);
  }

  start(): void {
    this.samples = 0;
    this.inTransaction = 0;
    this.waiting = new Map();
    this.timer = setInterval(() => {
      this.pending = this.pending.then(() => this.sample()).catch(() => {});
    }, SAMPLE_MS);
  }

  async stop(): Promise<LockWaits> {
    if (this.timer) clearInterval(this.timer);
    await this.pending;
    const n = Math.max(1, this.samples);
    const waiting = new Map([...this.waiting].map(([what, total]) => [what, total / n]));
    return { inTransaction: this.inTransaction / n, waiting };
  }

  close(): Promise<void> {
    return this.client.end();
  }

  /** Deadlocks PostgreSQL has detected in this database so far (its statistics). */
  async deadlocks(): Promise<number> {
    const { rows } = await this.client.query<{ n: string }>(
      'select deadlocks as n from pg_stat_database where datname = current_database()',
    );
    return Number(rows[0]?.n ?? 0);
  }

  private async sample(): Promise<void> {
    const { rows } = await this.client.query<{
      state: string | null;
      waitType: string | null;
      wait: string | null;
      query: string;
    }>(
      `select state, wait_event_type as "waitType", wait_event as wait, query
        from pg_stat_activity where datname = current_database() and pid <> pg_backend_pid()`,
    );
    this.samples++;
    for (const row of rows) {
      if (row.state === 'active' || row.state?.startsWith('idle in transaction')) {
        this.inTransaction++;
      }
      if (row.state !== 'active' || row.waitType !== 'Lock') continue;
      const what = `${statement(row.query)} (${row.wait})`;
      this.waiting.set(what, (this.waiting.get(what) ?? 0) + 1);
    }
  }
}

// ---------------------------------------------------------------------------------------
// The checks: the ledger against the answers, and the balances against the ledger.

async function rows<T>(app: FastifyInstance, query: ReturnType<typeof sql>): Promise<T[]> {
  const result = (await app.db.execute(query)) as unknown as { rows: T[] };
  return result.rows;
}

async function checkLedger(app: FastifyInstance, march: March, tally: Tally): Promise<string[]> {
  const problems: string[] = [];
  const m = march.materialId;
  if (tally.duplicates > 0) problems.push(`${tally.duplicates} 201s named a movement twice`);

  const handOuts = await rows<{ id: string }>(
    app,
    sql`select id from material_movements where material_id = ${m} and kind = 'distributed'`,
  );
  const inLedger = new Set(handOuts.map((r) => r.id));
  const missing = [...tally.ids].filter((id) => !inLedger.has(id)).length;
  const unclaimed = [...inLedger].filter((id) => !tally.ids.has(id)).length;
  if (missing > 0 || unclaimed > 0 || inLedger.size !== tally.ids.size) {
    problems.push(
      `${tally.ids.size} hand-outs answered 201, ${inLedger.size} in the ledger ` +
        `(${missing} answered but missing, ${unclaimed} recorded but never answered 201)`,
    );
  }

  // Every holder's balance against the sum of the ledger's movements in and out of it.
  const sums = await rows<{ holder: string; ledger: string | null; balance: number | null }>(
    app,
    sql`with flows as (
          select to_holder as holder, quantity from material_movements where material_id = ${m}
          union all
          select from_holder, -quantity from material_movements where material_id = ${m}
        ), ledger as (select holder, sum(quantity) as total from flows group by holder)
        select coalesce(l.holder, b.holder) as holder, l.total as ledger, b.quantity as balance
        from ledger l
        full join (select holder, quantity from material_balances where material_id = ${m}) b
          on b.holder = l.holder`,
  );
  const balance = new Map<string, number>();
  for (const s of sums) {
    const ledger = Number(s.ledger ?? 0);
    const held = Number(s.balance ?? 0);
    balance.set(s.holder, held);
    if (ledger !== held) problems.push(`${s.holder}: ledger sums to ${ledger}, balance ${held}`);
  }
  const total = [...balance.values()].reduce((a, b) => a + b, 0);
  if (total !== 0) problems.push(`the balances sum to ${total}, not 0`);

  // The balances against what was answered.
  const expected = new Map<string, number>([
    ['supplier', -march.received],
    [`depot:${march.depotId}`, march.received - march.contingentIds.length * ALLOCATION],
    ['public', HAND_OUT * tally.ids.size],
  ]);
  for (const id of march.contingentIds) {
    expected.set(`contingent:${id}`, ALLOCATION - HAND_OUT * (tally.byContingent.get(id) ?? 0));
  }
  for (const [holder, quantity] of expected) {
    const held = balance.get(holder) ?? 0;
    if (held !== quantity) problems.push(`${holder}: balance ${held}, expected ${quantity}`);
  }

  // Every movement has its change record, for the live layer.
  const [counts] = await rows<{ movements: string; records: string }>(
    app,
    sql`select
          (select count(*) from material_movements where event_id = ${march.eventId}) as movements,
          (select count(*) from change_records
            where event_id = ${march.eventId} and type = 'material.moved') as records`,
  );
  if (Number(counts!.movements) !== Number(counts!.records)) {
    problems.push(`${counts!.movements} movements but ${counts!.records} material.moved records`);
  }
  return problems;
}

/** Requests sent again with their keys are answered from the store and write nothing. */
async function checkReplays(
  app: FastifyInstance,
  client: BenchClient,
  march: March,
  tally: Tally,
): Promise<string[]> {
  const problems: string[] = [];
  const count = async () => {
    const [row] = await rows<{ n: string }>(
      app,
      sql`select count(*) as n from material_movements where material_id = ${march.materialId}`,
    );
    return Number(row!.n);
  };
  const before = await count();
  const step = Math.max(1, Math.floor(tally.accepted.length / REPLAY_SAMPLE));
  const sample = tally.accepted.filter((_, i) => i % step === 0).slice(0, REPLAY_SAMPLE);
  const path = `/api/events/${march.eventId}/movements`;
  const replies = await inBatches(sample, SETUP_CONCURRENCY, (s) =>
    client.send('POST', path, { token: s.writer.token, key: s.key, json: s.json }),
  );
  replies.forEach((reply, i) => {
    const id = (body: string) => (JSON.parse(body) as { movement: { id: string } }).movement.id;
    const original = sample[i]!.settled.body;
    if (
      reply.status !== 201 ||
      reply.headers['idempotent-replayed'] !== 'true' ||
      id(reply.body) !== id(original)
    ) {
      problems.push(`a replay was answered ${reply.status} ${reply.body.slice(0, 120)}`);
    }
  });
  const after = await count();
  if (after !== before) problems.push(`${sample.length} replays added ${after - before} movements`);
  return problems;
}

// ---------------------------------------------------------------------------------------
// One database.

/** What has been measured so far: printed at the end, or at the deadline. */
const results = {
  rows: [] as Row[],
  problems: [] as string[],
  checks: [] as string[],
  versions: new Map<string, string>(),
  /** PostgreSQL only: deadlocks detected during the setup and during the measured runs. */
  deadlocks: null as { setup: number; runs: number } | null,
};

async function benchmark(
  database: string,
  options: Options,
  connection: { databaseUrl: string | null; dataDir: string },
) {
  const config = { ...parseConfig({}), ...connection, webDist: null, logLevel: 'silent' };
  const app = await buildApp(config, { logger: false });
  const most = Math.max(
    WARMUP.inFlight,
    SETUP_CONCURRENCY,
    ...options.levels,
    ...options.contended,
  );
  await app.listen({ port: 0, host: '127.0.0.1', backlog: 2 * most });
  const address = app.server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  const client = new BenchClient(port, most, REQUEST_TIMEOUT_MS);
  const sampler = connection.databaseUrl ? await LockSampler.open(connection.databaseUrl) : null;
  try {
    const [version] = await rows<{ version: string }>(app, sql`select version()`);
    results.versions.set(database, version!.version);
    const deadlocks = [await sampler?.deadlocks()];
    let started = performance.now();
    const march = await setUpMarch(app, client, options.contingents);
    deadlocks.push(await sampler?.deadlocks());
    const setupS = (performance.now() - started) / 1000;
    console.log(`${database}: setup (not measured) took ${setupS.toFixed(1)} s`);
    const tally = new Tally();
    type Run = [Row['scenario'], Writer[], number, number];
    const runs: Run[] = [
      ['warm-up', march.spread, WARMUP.inFlight, WARMUP.seconds],
      ...options.levels.map((k): Run => ['spread', march.spread, k, options.seconds]),
      ...options.contended.map((k): Run => ['contended', march.contended, k, options.seconds]),
    ];
    for (const [scenario, writers, inFlight, seconds] of runs) {
      const measured = await measure(client, march, writers, inFlight, seconds, sampler);
      const row = summarize(database, scenario, inFlight, measured, tally);
      console.log(
        `${database}, ${scenario}, ${inFlight} in flight: ${row.accepted} movements, ` +
          `${perSecond(row)}/s, p99 ${row.p99.toFixed(1)} ms`,
      );
      if (scenario !== 'warm-up') results.rows.push(row);
      else if (row.refused > 0) results.problems.push(`${database}: the warm-up was refused`);
    }
    // Backends report their statistics at most once a second.
    if (sampler) await new Promise((resolve) => setTimeout(resolve, 1_500));
    deadlocks.push(await sampler?.deadlocks());
    const [before, afterSetup, afterRuns] = deadlocks;
    if (before !== undefined && afterSetup !== undefined && afterRuns !== undefined) {
      results.deadlocks = { setup: afterSetup - before, runs: afterRuns - afterSetup };
    }
    started = performance.now();
    const found = [
      ...(await checkLedger(app, march, tally)),
      ...(await checkReplays(app, client, march, tally)),
    ];
    results.problems.push(...found.map((p) => `${database}: ${p}`));
    if (found.length === 0) {
      results.checks.push(
        `${database}: all ${tally.ids.size} accepted hand-outs (warm-up included) are in the ` +
          `ledger and no other; the balances of ${march.contingentIds.length + 3} holders equal ` +
          `their ledger sums and what was answered, and sum to 0; ` +
          `${Math.min(REPLAY_SAMPLE, tally.accepted.length)} replays wrote nothing ` +
          `(checked in ${((performance.now() - started) / 1000).toFixed(1)} s).`,
      );
    }
  } finally {
    client.agent.destroy();
    await sampler?.close();
    await app.close();
  }
}

// ---------------------------------------------------------------------------------------
// The report.

const perSecond = (r: Row) => ((r.accepted / r.wallMs) * 1000).toFixed(0);
const ms = (n: number) => (n >= 100 ? n.toFixed(0) : n.toFixed(1));
const DATABASES: Record<string, string> = { pglite: 'PGlite', postgres: 'PostgreSQL' };
/** "PostgreSQL 15" from its version(); PGlite as it is. */
function label(database: string): string {
  const major = /^PostgreSQL (\d+)/.exec(results.versions.get(database) ?? '')?.[1];
  return database === 'postgres' && major
    ? `PostgreSQL ${major}`
    : (DATABASES[database] ?? database);
}

/** A markdown table, columns padded; those from `rightFrom` on are numbers, right-aligned. */
function markdownTable(header: string[], cells: string[][], rightFrom: number): string[] {
  const widths = header.map((h, i) => Math.max(h.length, ...cells.map((c) => c[i]!.length)));
  const pad = (v: string, i: number) =>
    i < rightFrom ? v.padEnd(widths[i]!) : v.padStart(widths[i]!);
  const line = (c: string[]) => `| ${c.map(pad).join(' | ')} |`;
  const rules = widths.map((w, i) => (i < rightFrom ? '-'.repeat(w) : `${'-'.repeat(w - 1)}:`));
  return [line(header), `| ${rules.join(' | ')} |`, ...cells.map(line)];
}

/** The 1-minute load average when the run began: other work on the machine skews it. */
const loadAtStart = loadavg()[0]!;

function report(options: Options, totalS: number | null) {
  const cpu = cpus();
  console.log('');
  console.log(
    `Machine: ${cpu.length} × ${cpu[0]?.model.trim() ?? 'unknown CPU'} ` +
      `(available parallelism ${availableParallelism()}), ` +
      `${(totalmem() / 2 ** 30).toFixed(0)} GiB, Node ${process.version}; ` +
      `load average ${loadAtStart.toFixed(2)} at the start, ${loadavg()[0]!.toFixed(2)} at the end`,
  );
  for (const [database, version] of results.versions) {
    console.log(`${DATABASES[database] ?? database}: ${version}`);
  }
  console.log(
    `${options.contingents} contingents; each request hands out ${HAND_OUT} copies ` +
      `("distributed", with an Idempotency-Key); ${options.seconds} s per row` +
      (totalS === null ? '' : `; whole run ${totalS.toFixed(0)} s`) +
      '.\n',
  );
  const header = ['database', 'writers', 'in flight', 'movements', 'movements/s'];
  header.push('p50 ms', 'p95 ms', 'p99 ms', 'refused', 'Node CPU');
  const cells = results.rows.map((r) => [
    label(r.database),
    r.scenario === 'spread'
      ? `${options.contingents} leaders, own contingent each`
      : `${options.contingents} leaders, one contingent`,
    String(r.inFlight),
    String(r.accepted),
    perSecond(r),
    ms(r.p50),
    ms(r.p95),
    ms(r.p99),
    String(r.refused),
    `${(r.cpu * 100).toFixed(0)}%`,
  ]);
  console.log(markdownTable(header, cells, 2).join('\n'));
  console.log(
    '\nmovements/s: 201s per second of wall time, from the first request to the last answer. ' +
      'refused: not 201 after retries. Node CPU: this process (server, client and, on PGlite, ' +
      'the database), CPU time ÷ wall time.',
  );
  const withLocks = results.rows.filter((r) => r.locks);
  if (withLocks.length > 0) {
    console.log(
      `\nPostgreSQL backends, on average over ${SAMPLE_MS} ms samples of pg_stat_activity ` +
        '(the app pool has 20 connections):',
    );
  }
  for (const r of withLocks) {
    const waits = [...r.locks!.waiting]
      .sort((a, b) => b[1] - a[1])
      .map(([what, n]) => `${n.toFixed(1)} in ${what}`);
    const waiting = [...r.locks!.waiting.values()].reduce((a, b) => a + b, 0);
    console.log(
      `- ${r.scenario}, ${r.inFlight} in flight: ${r.locks!.inTransaction.toFixed(1)} in a ` +
        `transaction, ${waiting.toFixed(1)} of them waiting for a lock` +
        (waits.length ? `: ${waits.join(', ')}` : ''),
    );
  }
  if (results.deadlocks) {
    const { setup, runs } = results.deadlocks;
    console.log(
      `PostgreSQL deadlocks detected: ${setup} during the setup, ${runs} during the runs.`,
    );
  }
  for (const row of results.rows) {
    if (row.retried > 0) {
      console.log(`${row.database}, ${row.scenario} ${row.inFlight}: ${row.retried} retried`);
    }
    for (const [kind, n] of row.errorKinds) {
      console.log(`${row.database}, ${row.scenario} ${row.inFlight}: ${n} × ${kind}`);
    }
  }
  if (results.problems.length > 0) {
    console.log(`\nFAILED:\n${results.problems.join('\n')}`);
    process.exitCode = 1;
  } else {
    for (const check of results.checks) console.log(`\nLedger OK, ${check}`);
  }
}

async function main() {
  const options = parseOptions();
  const started = performance.now();
  const deadline = setTimeout(() => {
    report(options, null);
    console.error(`\nThe benchmark did not finish within ${options.timeoutS} s.`);
    process.exit(2);
  }, options.timeoutS * 1000);
  deadline.unref();
  if (options.databases.includes('pglite')) {
    const dataDir = mkdtempSync(join(tmpdir(), 'muster-bench-'));
    // On exit, so the deadline's process.exit removes it too.
    process.once('exit', () => rmSync(dataDir, { recursive: true, force: true }));
    await benchmark('pglite', options, { databaseUrl: null, dataDir });
  }
  if (options.databases.includes('postgres')) {
    const postgres = await freshPostgres();
    if (postgres) {
      try {
        await benchmark('postgres', options, { databaseUrl: postgres.databaseUrl, dataDir: '' });
      } finally {
        await postgres.drop();
      }
    }
  }
  report(options, (performance.now() - started) / 1000);
}

await main();
