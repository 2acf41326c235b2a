// `npm run bench:live` (issue 4): R leaders report their contingent's position every 5 s and
// W sockets watch, over loopback, against the real app — on PGlite and on a fresh PostgreSQL
// database, dropped after — and, in the same run, against a bare `ws` server that sends the
// same messages with no database, fastify or auth: the ceiling.
//
// Who is who. One event with R contingents, each with a leader who joined through a leader
// invite. By default the W watchers are coordinators of the event (one coordinator invite,
// W people), each with one socket on GET /api/live: the map on the coordinators' screens,
// which receives every position. So the offered load is W × R / 5 messages a second
// (defaults: 2,000 × 200 = 400,000/s). With --coordinators C, only C watchers are
// coordinators; the others are volunteers spread over the contingents (one volunteer invite
// per contingent, the event shares positions with members), who receive their own
// contingent's coarse position only. Setup goes through the HTTP API and is not measured.
//
// Leaders report on a 5 s cycle, staggered evenly, like phones: a leader whose previous
// report is still unanswered lets its turn pass (counted as failed), and gives up on a
// report after 10 s.
//
// Processes. Each server under test (Muster or bare) runs in a fresh child of this process
// (the same script with --only), which also measures it, so that one run's heap is not the
// next one's; the leaders and watchers run in a grandchild (live-clients.ts), so their work
// is not charged to the server. Nothing is pinned: the server, the clients and PostgreSQL share the CPUs as the OS
// schedules them; the CPU seconds each used in the window are printed, PostgreSQL's from
// /proc for this database's backends, and the rest of the machine's as "other".
//
// What is measured, after one warm-up cycle, over the window (--seconds, default 20):
// - positions/s: reports the server took with a receivedAt in the window (answered 200, or
//   seen on a socket when the answer came too late), per second; failed reports.
// - latency: for every (report, watching socket) pair, the moment the client process gets
//   the message minus the report's `receivedAt`, which the server stamps when it takes the
//   report, before its transaction: the write is included, the wait before the server reads
//   the request is not (that shows in the reply time). Same machine, same clock, 1 ms
//   resolution. p50, p99, max, and the p99 of each 5 s cycle: does it hold or grow? Pairs not
//   delivered 15 s after the last report are missing.
// - delivered/s: messages the watching sockets received during the window. The ratio is
//   Muster's delivered/s ÷ the bare server's, at the same offered load: below 1 when Muster
//   delivers less; both below the offered load when the machine cannot keep up.
// - event-loop lag p99 and max of this (the server) process, by monitorEventLoopDelay, over
//   the window. On PGlite the database runs on this thread too.
// - memory per idle socket: (heapUsed + external) of this process after forced full GCs, with
//   the W sockets open and joined, less the same before they were opened, ÷ W. Native memory
//   outside the V8 heap (libuv handles) and kernel socket buffers are not in it.
//
// Flags: --leaders R, --watchers W, --coordinators C, --seconds S, --database
// pglite|postgres|both, --profile DIR (a CPU profile of the server process over each window).
// Targets (issue 4): p99 ≤ 150 ms, ratio ≥ 0.5, ≤ 25 KB per idle socket.
import { fork, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import { Session } from 'node:inspector/promises';
import { availableParallelism, cpus, loadavg, tmpdir, totalmem } from 'node:os';
import { join } from 'node:path';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { sql } from 'drizzle-orm';
import type { FastifyInstance } from 'fastify';
import { type WebSocket, WebSocketServer } from 'ws';
import { buildApp } from '../../server/app.ts';
import { parseConfig } from '../../server/config.ts';
import type { LatLng } from '../../server/schemas.ts';
import { ensureSetupLink } from '../../server/features/people/service.ts';
import { coarsePosition } from '../../server/features/positions/service.ts';
import type { Command, Leader, Reply, RunResult, Watcher } from './live-clients.ts';
import { freshPostgres } from './databases.ts';
import { BenchClient, inBatches } from './http.ts';

const CYCLE_MS = 5_000;
const WARMUP_MS = CYCLE_MS;
const DRAIN_MS = 15_000;
const SETUP_CONCURRENCY = 50;
/** Setup requests that take longer than this mean something is wrong. */
const SETUP_TIMEOUT_MS = 60_000;
const JOIN_TIMEOUT_MS = 30_000;
const CLOCK_TICKS = 100;
const MIN_SOCKETS_FOR_MEMORY = 500;
/** The lag monitor's timer interval: it records whole intervals, so lag is a sample less this. */
const LAG_RESOLUTION_MS = 10;
const TARGET = { p99Ms: 150, ratio: 0.5, bytesPerSocket: 25 * 1024 };

setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;

interface Options {
  leaders: number;
  watchers: number;
  /** Of the watchers, how many are coordinators; the rest are volunteers of the contingents. */
  coordinators: number;
  seconds: number;
  databases: ('pglite' | 'postgres')[];
  profile: string | null;
  /** Set in the process that runs one server under test (see main). */
  only: Kind | null;
}

type Kind = 'bare' | 'pglite' | 'postgres';

function parseOptions(): Options {
  const { values } = parseArgs({
    options: {
      leaders: { type: 'string', default: '1000' },
      watchers: { type: 'string', default: '2000' },
      coordinators: { type: 'string' },
      seconds: { type: 'string', default: '20' },
      database: { type: 'string', default: 'both' },
      profile: { type: 'string' },
      only: { type: 'string' },
    },
  });
  const positive = (name: string, value: string, least = 1) => {
    const n = Number(value);
    if (!Number.isInteger(n) || n < least) {
      throw new Error(`--${name} must be an integer of at least ${least}`);
    }
    return n;
  };
  const database = values.database;
  if (!['pglite', 'postgres', 'both'].includes(database)) {
    throw new Error('--database must be pglite, postgres or both');
  }
  const watchers = positive('watchers', values.watchers);
  const coordinators = values.coordinators
    ? positive('coordinators', values.coordinators, 0)
    : watchers;
  if (coordinators > watchers) throw new Error('--coordinators must be at most --watchers');
  return {
    leaders: positive('leaders', values.leaders),
    watchers,
    coordinators,
    seconds: positive('seconds', values.seconds),
    databases: database === 'both' ? ['pglite', 'postgres'] : [database as 'pglite' | 'postgres'],
    profile: values.profile ?? null,
    only: (values.only as Kind | undefined) ?? null,
  };
}

/** Who reports and who watches, with the tokens they authenticate with. */
interface Plan {
  eventId: string;
  leaders: Leader[];
  watchers: Watcher[];
}

/** The server under test, as the measurement sees it. */
interface Target {
  name: string;
  baseUrl: string;
  /** Sockets the server has taken in (for Muster: joined to the hub). */
  members(): number;
  /** The PostgreSQL backends serving this server: pid → CPU ms used so far. */
  backends?(): Promise<Map<number, number>>;
  close(): Promise<void>;
}

interface Row {
  name: string;
  plan: { leaders: number; watchers: number; open: number };
  clients: RunResult;
  server: ServerFigures;
  bytesPerSocket: number;
  seconds: number;
}

// ---------------------------------------------------------------------------------------
// Setup over HTTP, as claims.ts does it: not measured.

const numbered = (n: number, name: string) =>
  Array.from({ length: n }, (_, i) => `${name} ${i + 1}`);

type Admin = { client: BenchClient; token: string; base: string };

/** R contingents, each with a leader who joined through a leader invite. */
function setUpLeaders({ client, token, base }: Admin, count: number): Promise<Leader[]> {
  return inBatches(numbered(count, 'Contingent'), SETUP_CONCURRENCY, async (name, i) => {
    const contingent = await client.expect<{ id: string }>(201, 'POST', `${base}/contingents`, {
      token,
      json: { name, expectedSize: 100 },
    });
    const invite = await client.expect<{ token: string }>(201, 'POST', `${base}/invites`, {
      token,
      json: { role: 'leader', contingentId: contingent.id },
    });
    const leader = await client.join(invite.token, `Leader ${i + 1}`);
    return { token: leader, contingentId: contingent.id };
  });
}

/** Coordinators through one invite; volunteers through one invite per contingent, in turn. */
async function setUpWatchers(
  admin: Admin,
  leaders: Leader[],
  options: Options,
): Promise<Watcher[]> {
  const { client, token, base } = admin;
  const invite = (json: object) =>
    client
      .expect<{ token: string }>(201, 'POST', `${base}/invites`, { token, json })
      .then((i) => i.token);
  const coordinatorInvite = await invite({ role: 'coordinator', label: 'Watching the map' });
  const volunteers = options.watchers - options.coordinators;
  const contingentIds = leaders.slice(0, volunteers).map((l) => l.contingentId);
  const volunteerInvites = await inBatches(contingentIds, SETUP_CONCURRENCY, (contingentId) =>
    invite({ role: 'volunteer', contingentId }),
  );
  return inBatches(numbered(options.watchers, 'Watcher'), SETUP_CONCURRENCY, async (name, i) => {
    if (i < options.coordinators) {
      return { token: await client.join(coordinatorInvite, name), contingentId: null };
    }
    const n = (i - options.coordinators) % contingentIds.length;
    return {
      token: await client.join(volunteerInvites[n]!, name),
      contingentId: contingentIds[n]!,
    };
  });
}

/** An event, its leaders and its watchers. Volunteers see their contingent only if shared. */
async function setUpMarch(
  app: FastifyInstance,
  client: BenchClient,
  options: Options,
): Promise<Plan> {
  const setupToken = await ensureSetupLink(app.db);
  if (!setupToken) throw new Error('the database already has an administrator');
  const token = await client.join(setupToken, 'Admin');
  const event = await client.expect<{ id: string }>(201, 'POST', '/api/events', {
    token,
    json: {
      name: 'May Day — live benchmark',
      date: '2027-05-01',
      startTime: '10:00',
      timezone: 'America/Los_Angeles',
      shareContingentPositions: options.coordinators < options.watchers,
    },
  });
  const admin = { client, token, base: `/api/events/${event.id}` };
  const leaders = await setUpLeaders(admin, options.leaders);
  const watchers = await setUpWatchers(admin, leaders, options);
  return { eventId: event.id, leaders, watchers };
}

// ---------------------------------------------------------------------------------------
// The servers under test.

async function startMuster(
  name: string,
  database: { databaseUrl: string | null; dataDir: string },
  options: Options,
): Promise<{ target: Target; plan: Plan }> {
  const config = { ...parseConfig({}), ...database, webDist: null, logLevel: 'silent' };
  const app = await buildApp(config, { logger: false });
  // Thousands of sockets connect at once: a backlog above Node's default 511 keeps the
  // kernel from dropping SYNs, whose 1 s retransmit would stall the setup.
  await app.listen({
    port: 0,
    host: '127.0.0.1',
    backlog: 4 * (options.leaders + options.watchers),
  });
  const baseUrl = `http://127.0.0.1:${portOf(app.server)}`;
  const client = new BenchClient(portOf(app.server), SETUP_CONCURRENCY, SETUP_TIMEOUT_MS);
  const started = Date.now();
  try {
    const plan = await setUpMarch(app, client, options);
    console.log(
      `${name}: setup (not measured) took ${((Date.now() - started) / 1000).toFixed(0)} s`,
    );
    const target: Target = {
      name,
      baseUrl,
      members: () => app.live.memberCount,
      close: () => app.close(),
    };
    if (database.databaseUrl) target.backends = () => backendsOf(app);
    return { target, plan };
  } catch (error) {
    await app.close();
    throw error;
  } finally {
    client.agent.destroy();
  }
}

/** CPU time of this app's PostgreSQL backends, from /proc: the database runs here too. */
async function backendsOf(app: FastifyInstance): Promise<Map<number, number>> {
  const result = (await app.db.execute(
    sql`select pid from pg_stat_activity where datname = current_database()`,
  )) as unknown as { rows: { pid: number }[] };
  const used = new Map<number, number>();
  for (const { pid } of result.rows) {
    try {
      const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
      // After the command name in parentheses: state is field 3, utime 14, stime 15.
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      used.set(pid, ((Number(fields[11]) + Number(fields[12])) * 1000) / CLOCK_TICKS);
    } catch {
      // The backend ended, or /proc is not there: not counted.
    }
  }
  return used;
}

function portOf(server: http.Server): number {
  const address = server.address();
  return typeof address === 'object' && address ? address.port : 0;
}

/**
 * The ceiling: takes the same PUT and answers with the same ContingentPosition, then sends
 * the same messages, each serialized once, to the same audience: whole to coordinators,
 * coarse to volunteers of that contingent (sockets indexed by contingent). No database, no
 * fastify, no auth (the token says who the socket is), no Origin check.
 */
class BareServer {
  readonly eventId = randomUUID();
  readonly server = http.createServer((request, response) => this.onReport(request, response));
  readonly sockets = new WebSocketServer({ server: this.server, path: '/api/live' });
  private readonly coordinators = new Set<WebSocket>();
  private readonly members = new Map<string, Set<WebSocket>>();
  private seq = 0;

  constructor() {
    this.sockets.on('connection', (socket, request) => {
      const [, contingentId] = (request.headers.authorization ?? '').split(':');
      const audience = contingentId ? this.membersOf(contingentId) : this.coordinators;
      audience.add(socket);
      socket.on('close', () => audience.delete(socket));
    });
  }

  private membersOf(contingentId: string): Set<WebSocket> {
    let members = this.members.get(contingentId);
    if (!members) this.members.set(contingentId, (members = new Set()));
    return members;
  }

  private onReport(request: http.IncomingMessage, response: http.ServerResponse): void {
    let body = '';
    request.setEncoding('utf8');
    request.on('data', (chunk: string) => (body += chunk));
    request.on('end', () => {
      const input = JSON.parse(body) as { position: LatLng; accuracy: number; recordedAt: string };
      const position = {
        contingentId: request.url!.split('/')[5]!,
        position: input.position,
        accuracy: input.accuracy,
        recordedAt: new Date(input.recordedAt).toISOString(),
        receivedAt: new Date().toISOString(),
        coarse: false,
      };
      const seq = ++this.seq;
      const message = (data: object) =>
        JSON.stringify({ seq, type: 'contingent.position', eventId: this.eventId, data });
      const whole = message(position);
      for (const socket of this.coordinators) socket.send(whole);
      const members = this.members.get(position.contingentId);
      if (members) {
        const coarse = message(coarsePosition(position));
        for (const socket of members) socket.send(coarse);
      }
      response.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(position));
    });
  }
}

async function startBare(options: Options): Promise<{ target: Target; plan: Plan }> {
  const bare = new BareServer();
  bare.server.listen({
    port: 0,
    host: '127.0.0.1',
    backlog: 4 * (options.leaders + options.watchers),
  });
  await new Promise((resolve) => bare.server.once('listening', resolve));
  const leaders = Array.from({ length: options.leaders }, () => ({
    token: 'leader',
    contingentId: randomUUID(),
  }));
  const watchers = Array.from({ length: options.watchers }, (_, i) => {
    if (i < options.coordinators) return { token: 'coordinator', contingentId: null };
    const { contingentId } = leaders[(i - options.coordinators) % leaders.length]!;
    return { token: `member:${contingentId}`, contingentId };
  });
  const close = async () => {
    for (const socket of bare.sockets.clients) socket.terminate();
    bare.sockets.close();
    await new Promise((resolve) => bare.server.close(resolve));
  };
  const target = {
    name: 'bare ws',
    baseUrl: `http://127.0.0.1:${portOf(bare.server)}`,
    members: () => bare.sockets.clients.size,
    close,
  };
  return { target, plan: { eventId: bare.eventId, leaders, watchers } };
}

// ---------------------------------------------------------------------------------------
// The client process.

class Clients {
  private constructor(private readonly child: ChildProcess) {}

  static start(): Clients {
    // Inherits this process's tsx loader; not a CPU profile of the whole run, if one was asked.
    const execArgv = process.execArgv.filter((flag) => !flag.startsWith('--cpu-prof'));
    const path = new URL('./live-clients.ts', import.meta.url);
    return new Clients(fork(path, { execArgv, serialization: 'advanced' }));
  }

  request<K extends Reply['kind']>(
    command: Command,
    kind: K,
  ): Promise<Extract<Reply, { kind: K }>> {
    return new Promise((resolve, reject) => {
      const onExit = (code: number | null) =>
        reject(new Error(`the client process exited (${code})`));
      this.child.once('exit', onExit);
      const onMessage = (reply: Reply) => {
        if (reply.kind !== kind) return;
        this.child.off('message', onMessage).off('exit', onExit);
        resolve(reply as Extract<Reply, { kind: K }>);
      };
      this.child.on('message', onMessage);
      this.child.send(command);
    });
  }

  async close(): Promise<void> {
    if (this.child.exitCode !== null) return;
    const exited = new Promise((resolve) => this.child.once('exit', resolve));
    this.child.send({ kind: 'close' } satisfies Command);
    const timer = setTimeout(() => this.child.kill(), 5_000);
    await exited;
    clearTimeout(timer);
  }
}

// ---------------------------------------------------------------------------------------
// Measurement on the server side.

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** What the JavaScript heap and the buffers it holds retain, after full collections. */
function retainedBytes(): number {
  gc();
  gc();
  const memory = process.memoryUsage();
  return memory.heapUsed + memory.external;
}

/** Waits until `done()` holds; false if it still does not after `timeoutMs`. */
async function waitFor(done: () => boolean, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (!done()) {
    if (Date.now() > deadline) return false;
    await sleep(50);
  }
  return true;
}

/** Opens the W watching sockets and measures what each costs the server while idle. */
async function connectWatchers(target: Target, clients: Clients, plan: Plan) {
  const before = retainedBytes();
  const reply = await clients.request(
    { kind: 'connect', baseUrl: target.baseUrl, eventId: plan.eventId, watchers: plan.watchers },
    'connected',
  );
  for (const [reason, n] of Object.entries(reply.refused)) {
    console.log(`${target.name}: ${n} sockets refused (${reason})`);
  }
  if (!(await waitFor(() => target.members() >= reply.open, JOIN_TIMEOUT_MS))) {
    console.log(
      `${target.name}: only ${target.members()} of ${reply.open} open sockets had joined ` +
        `after ${JOIN_TIMEOUT_MS / 1000} s; measuring anyway`,
    );
  }
  await sleep(1_000);
  const after = retainedBytes();
  const open = Math.max(reply.open, 1);
  // Over a few sockets, the noise of the heap swamps what they hold.
  const bytesPerSocket = reply.open >= MIN_SOCKETS_FOR_MEMORY ? (after - before) / open : NaN;
  return { open: reply.open, bytesPerSocket };
}

interface ServerFigures {
  lagP99Ms: number;
  lagMaxMs: number;
  cpuMs: number;
  /** CPU of the PostgreSQL backends of this app; NaN on PGlite (it runs in cpuMs). */
  databaseMs: number;
  /** Busy CPU time of the whole machine (every core) over the window. */
  machineBusyMs: number;
}

/** Busy time of every core since boot, from /proc/stat (softirq included, unlike os.cpus()). */
function machineBusyMs(): number {
  const fields = readFileSync('/proc/stat', 'utf8').split('\n')[0]!.trim().split(/\s+/).slice(1);
  const ticks = fields.map(Number);
  const idle = (ticks[3] ?? 0) + (ticks[4] ?? 0);
  const total = ticks.slice(0, 7).reduce((a, b) => a + b, 0);
  return ((total - idle) * 1000) / 100;
}

/** Event-loop lag and CPU of this process over [start, end), and a profile if asked for. */
async function observeServer(
  target: Target,
  start: number,
  end: number,
  profile: string | null,
): Promise<ServerFigures> {
  const lag = monitorEventLoopDelay({ resolution: LAG_RESOLUTION_MS });
  const session = profile ? new Session() : null;
  session?.connect();
  await sleep(start - Date.now());
  lag.enable();
  const cpu = process.cpuUsage();
  const busy = machineBusyMs();
  const backends = await target.backends?.();
  await session?.post('Profiler.enable');
  await session?.post('Profiler.start');
  await sleep(end - Date.now());
  lag.disable();
  const used = process.cpuUsage(cpu);
  const machine = machineBusyMs() - busy;
  const databaseMs = backends ? backendDelta(backends, await target.backends!()) : NaN;
  if (session && profile) {
    const { profile: taken } = await session.post('Profiler.stop');
    writeFileSync(profile, JSON.stringify(taken));
    session.disconnect();
  }
  return {
    lagP99Ms: Math.max(0, lag.percentile(99) / 1e6 - LAG_RESOLUTION_MS),
    lagMaxMs: Math.max(0, lag.max / 1e6 - LAG_RESOLUTION_MS),
    cpuMs: (used.user + used.system) / 1000,
    databaseMs,
    machineBusyMs: machine,
  };
}

/** CPU the backends used between two samples; one that started in between, all of its own. */
function backendDelta(before: Map<number, number>, after: Map<number, number>): number {
  let total = 0;
  for (const [pid, ms] of after) total += ms - (before.get(pid) ?? 0);
  return total;
}

/** Connects the watchers, then runs the leaders for a warm-up cycle and the window. */
async function measure(target: Target, plan: Plan, options: Options): Promise<Row> {
  const clients = Clients.start();
  try {
    const idle = await connectWatchers(target, clients, plan);
    const startAt = Date.now() + 500;
    const windowStart = startAt + WARMUP_MS;
    const windowMs = options.seconds * 1000;
    const profile = options.profile
      ? join(options.profile, `${target.name.replace(/\W+/g, '-')}.cpuprofile`)
      : null;
    const [server, reply] = await Promise.all([
      observeServer(target, windowStart, windowStart + windowMs, profile),
      clients.request(
        {
          kind: 'run',
          baseUrl: target.baseUrl,
          eventId: plan.eventId,
          leaders: plan.leaders,
          startAt,
          warmupMs: WARMUP_MS,
          windowMs,
          cycleMs: CYCLE_MS,
          drainMs: DRAIN_MS,
        },
        'result',
      ),
    ]);
    return {
      name: target.name,
      plan: { leaders: plan.leaders.length, watchers: plan.watchers.length, open: idle.open },
      clients: reply.result,
      server,
      bytesPerSocket: idle.bytesPerSocket,
      seconds: options.seconds,
    };
  } finally {
    await clients.close();
  }
}

async function benchmarkMuster(kind: 'pglite' | 'postgres', options: Options): Promise<Row | null> {
  const dataDir = kind === 'pglite' ? mkdtempSync(join(tmpdir(), 'muster-bench-live-')) : '';
  const postgres = kind === 'postgres' ? await freshPostgres() : null;
  if (kind === 'postgres' && !postgres) return null;
  try {
    const { target, plan } = await startMuster(
      kind,
      { databaseUrl: postgres?.databaseUrl ?? null, dataDir },
      options,
    );
    try {
      return await measure(target, plan, options);
    } finally {
      await target.close();
    }
  } finally {
    if (dataDir) rmSync(dataDir, { recursive: true, force: true });
    await postgres?.drop();
  }
}

async function benchmarkBare(options: Options): Promise<Row> {
  const { target, plan } = await startBare(options);
  try {
    return await measure(target, plan, options);
  } finally {
    await target.close();
  }
}

// ---------------------------------------------------------------------------------------
// Report.

const kb = (bytes: number) => (Number.isFinite(bytes) ? (bytes / 1024).toFixed(1) : '–');
const ms = (value: number) =>
  !Number.isFinite(value) ? '–' : value >= 100 ? value.toFixed(0) : value.toFixed(1);
const sum = (counts: Record<string, number>) => Object.values(counts).reduce((a, b) => a + b, 0);

/** Messages a second the plan asks for: every report to each coordinator and its members. */
function offeredMessages(options: Options): number {
  const perCycle =
    options.leaders * options.coordinators + (options.watchers - options.coordinators);
  return perCycle / (CYCLE_MS / 1000);
}

/** Every report slot was taken, answered 200 and delivered to its whole audience. */
function steady(row: Row): boolean {
  const c = row.clients;
  const offered = (row.plan.leaders / (CYCLE_MS / 1000)) * row.seconds;
  const failed = c.skipped + sum(c.rejected);
  return c.accepted >= 0.95 * offered && failed === 0 && c.missing === 0;
}

function deliveredPerSecond(row: Row | undefined): number {
  return row ? row.clients.receivedInWindow / row.seconds : NaN;
}

function printTable(header: string[], cells: string[][]) {
  const widths = header.map((h, i) => Math.max(h.length, ...cells.map((c) => c[i]!.length)));
  const line = (c: string[]) =>
    c.map((v, i) => (i < 1 ? v.padEnd(widths[i]!) : v.padStart(widths[i]!))).join('  ');
  console.log(line(header));
  console.log(widths.map((w) => '-'.repeat(w)).join('  '));
  cells.forEach((c) => console.log(line(c)));
}

function printDelivery(rows: Row[], bare: Row | undefined) {
  const header = ['server', 'steady', 'positions/s', 'failed', 'reply p99', 'delivered/s'];
  header.push('ratio', 'p50 ms', 'p99 ms', 'max ms', 'missing');
  const cells = rows.map((r) => {
    const c = r.clients;
    return [
      r.name,
      steady(r) ? 'yes' : 'NO',
      (c.accepted / r.seconds).toFixed(1),
      String(c.skipped + sum(c.rejected)),
      ms(c.replyMs.p99),
      deliveredPerSecond(r).toFixed(0),
      (deliveredPerSecond(r) / deliveredPerSecond(bare)).toFixed(2),
      ms(c.latencyMs.p50),
      ms(c.latencyMs.p99),
      ms(c.latencyMs.max),
      String(c.missing),
    ];
  });
  printTable(header, cells);
}

/** CPU seconds of the window: the server, its PostgreSQL backends, the clients, the rest. */
function cpuShares(r: Row) {
  const database = Number.isFinite(r.server.databaseMs) ? r.server.databaseMs : 0;
  const other = r.server.machineBusyMs - r.server.cpuMs - database - r.clients.cpuMs;
  const seconds = (value: number) => (Number.isFinite(value) ? (value / 1000).toFixed(1) : '–');
  return {
    cells: [r.server.cpuMs, r.server.databaseMs, r.clients.cpuMs, Math.max(0, other)].map(seconds),
    other,
  };
}

function printServer(rows: Row[]) {
  const header = ['server', 'lag p99 ms', 'lag max ms', 'KB/idle socket', 'CPU s: server'];
  header.push('postgres', 'clients', 'other', 'delivered per server CPU s');
  const cells = rows.map((r) => [
    r.name,
    ms(r.server.lagP99Ms),
    ms(r.server.lagMaxMs),
    kb(r.bytesPerSocket),
    ...cpuShares(r).cells,
    ((r.clients.receivedInWindow / r.server.cpuMs) * 1000).toFixed(0),
  ]);
  printTable(header, cells);
}

/** Other processes took more than a quarter of the machine: the figures are not clean. */
function warnOfContention(rows: Row[]) {
  for (const r of rows) {
    const capacity = availableParallelism() * r.seconds * 1000;
    const { other } = cpuShares(r);
    if (other > capacity / 4) {
      console.log(
        `WARNING ${r.name}: ${(other / 1000).toFixed(1)} CPU s of ${capacity / 1000} went to ` +
          'other processes (kernel, other work on this machine): figures are not clean.',
      );
    }
  }
}

function printDetails(row: Row) {
  const c = row.clients;
  console.log(
    `${row.name}: ${row.plan.open} of ${row.plan.watchers} sockets open; ${c.sent} reports ` +
      `sent, ${c.skipped} skipped (previous unanswered); reply p50 ${ms(c.replyMs.p50)} ms; ` +
      `${c.answered} of ${c.accepted} accepted reports answered in time; ` +
      `${c.latencyMs.count} of ${c.expected} pairs measured`,
  );
  console.log(`  latency p99 (ms) of each 5 s cycle: ${c.cycleP99.map(ms).join(', ')}`);
  for (const [status, n] of Object.entries(c.rejected)) {
    console.log(`  ${n} reports answered ${status === '0' ? 'nothing (10 s timeout)' : status}`);
  }
  for (const [code, n] of Object.entries(c.closed)) {
    console.log(`  ${n} sockets closed by the server, code ${code}`);
  }
}

function printVerdicts(rows: Row[], bare: Row | undefined) {
  const verdict = (value: number, ok: boolean) =>
    !Number.isFinite(value) ? 'not measured' : ok ? 'met' : 'MISSED';
  for (const row of rows.filter((r) => r !== bare)) {
    const p99 = row.clients.latencyMs.p99;
    const ratio = deliveredPerSecond(row) / deliveredPerSecond(bare);
    const bytes = row.bytesPerSocket;
    console.log(
      `${row.name}: p99 ${ms(p99)} ms (≤ ${TARGET.p99Ms} with all delivered: ` +
        `${verdict(p99, p99 <= TARGET.p99Ms && steady(row))}); ratio ${ratio.toFixed(2)} ` +
        `(≥ ${TARGET.ratio}: ${verdict(ratio, ratio >= TARGET.ratio)}); ${kb(bytes)} KB per ` +
        `idle socket (≤ ${TARGET.bytesPerSocket / 1024}: ${verdict(bytes, bytes <= TARGET.bytesPerSocket)})`,
    );
  }
}

function report(rows: Row[]) {
  const bare = rows.find((r) => r.name === 'bare ws');
  console.log('');
  printDelivery(rows, bare);
  console.log('');
  printServer(rows);
  warnOfContention(rows);
  console.log('');
  rows.forEach(printDetails);
  console.log(
    [
      '',
      'steady: every report slot sent and answered 200, ≥ 95 % of the offered rate, all delivered.',
      'positions/s: reports taken with receivedAt in the window (answered 200 or delivered);',
      '  failed: not answered 200, or skipped because the leader’s previous report was',
      '  unanswered; reply: HTTP round trip of a report.',
      'latency: delivery on a watching socket − the report’s receivedAt, over every pair.',
      'delivered/s: messages the watching sockets received in the window; ratio: ÷ bare ws.',
      `missing: pairs not delivered ${DRAIN_MS / 1000} s after the last report.`,
      'lag: event-loop delay of the server process. CPU: seconds used in the window;',
      '  postgres = this app’s backends; other = the rest of the machine’s busy time',
      '  (kernel work not charged to a process, other processes on the machine).',
      '  delivered per server CPU s: messages received ÷ CPU seconds of the server process.',
      '',
    ].join('\n'),
  );
  printVerdicts(rows, bare);
}

/** Runs one server under test in this process and hands its row to the parent. */
async function runOne(kind: Kind, options: Options) {
  const row = kind === 'bare' ? await benchmarkBare(options) : await benchmarkMuster(kind, options);
  // Exits once the row is handed over, whatever handle the app may have left open.
  process.send?.(row, () => process.exit(0));
}

/**
 * Each server under test runs in a fresh process: what one leaves on the heap, or frees
 * late, must not count in the next one's memory per socket, nor its garbage in its CPU.
 */
function runInChild(kind: Kind): Promise<Row | null> {
  const path = new URL(import.meta.url);
  const args = [...process.argv.slice(2), '--only', kind];
  const child = fork(path, args, { serialization: 'advanced' });
  return new Promise((resolve, reject) => {
    let row: Row | null = null;
    child.on('message', (message: Row) => (row = message));
    child.on('exit', (code) =>
      code === 0 ? resolve(row) : reject(new Error(`the ${kind} run failed (exit code ${code})`)),
    );
  });
}

async function main() {
  const options = parseOptions();
  if (options.only) return runOne(options.only, options);
  if (options.profile) mkdirSync(options.profile, { recursive: true });
  const volunteers = options.watchers - options.coordinators;
  console.log(
    `${options.leaders} leaders reporting every 5 s; ${options.watchers} watching sockets: ` +
      `${options.coordinators} coordinators, ${volunteers} volunteers ` +
      `(${offeredMessages(options).toLocaleString('en')} messages/s offered); window ${options.seconds} s after a ` +
      `${WARMUP_MS / 1000} s warm-up.\nNode ${process.version}, ${availableParallelism()} CPUs ` +
      `(${cpus()[0]?.model ?? 'unknown'}), ${(totalmem() / 2 ** 30).toFixed(0)} GB; ` +
      `load average before: ${loadavg()[0]!.toFixed(2)}\n`,
  );
  const rows: Row[] = [];
  for (const kind of ['bare', ...options.databases] as Kind[]) {
    const row = await runInChild(kind);
    if (row) rows.push(row);
  }
  report(rows);
}

await main();
