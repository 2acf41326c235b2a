// `npm run bench:storm` (issue 7): the server restarts under 2,000 open pages, and every
// page comes back on its own. The real server (server/main.ts) runs as a child process, as
// `npm start` runs it, on PGlite and on a fresh PostgreSQL database (dropped after).
//
// Who is who. One event with C contingents, an administrator who writes, and N sessions who
// joined through invites over the API (one coordinator invite, one volunteer invite per
// contingent): K coordinators, who receive every change, and volunteers spread over the
// contingents, who receive the event-wide changes and their contingent's. Each session keeps
// one socket on GET /api/live and behaves as the web app's LiveConnection does: it resumes
// from the last seq it received, and after a drop it waits retryDelay(attempt) — the very
// function of web/src/lib/backoff.ts, full jitter — before each try, counting attempts from 0
// and starting again at 0 once a change arrives; a try refused before opening also asks
// GET /api/me, as the page does to learn whether its session ended. Setup is not measured.
//
// One storm. Every socket is open and has everything (a mark — an event-wide announcement —
// has reached all of them). The administrator writes announcements at --rate a second (one
// in four to one contingent, in turn, the rest event-wide), as phones would, retrying each
// until it is taken. After 2 s the server is sent SIGTERM (it closes the sockets with 1001
// and stops) or SIGKILL (the kernel resets them), and a new server starts on the same data
// and the same port. Writes made during the outage wait in the writer's queue and go through
// once it is back. Writes continue until every page has a socket open again, and 2 s more;
// then a last mark, and every page's record is checked.
//
// What is measured:
// - outage: the signal until the new server says it is listening.
// - caught up: for each page, from the new server's start until it had every change of its
//   audience that was committed (answered to the writer) before its socket opened again;
//   p50/p95/p99 and all (the last page). Reconnected: the same until that socket opened.
// - failed attempts: tries that did not open a socket, while the server was down (expected:
//   connection refused) and once it was up (should be none), by reason; sockets the server
//   closed after opening (1011 "try again", 4002 too slow) count as failed too.
// - delivery: each page's changes from the first mark to the last must be exactly those of
//   its audience, in order, once each (missing, repeated, resyncs: all should be 0).
// - the server: its RSS from /proc/<pid>/status with every socket open before the signal, when
//   the new process is up, its peak during the storm, and after the last mark; CPU seconds of
//   the new process until the last mark; and an HTTP probe (GET /api/me every 100 ms) from the
//   restart to the last mark: its slowest answer and how many failed.
//
// Flags: --clients N (2000), --coordinators K (200), --contingents C (20), --rate W (10),
// --signal term|kill|both (both), --database pglite|postgres|both (both; PostgreSQL at
// DATABASE_URL or postgres://postgres@127.0.0.1:5432/postgres, skipped when unreachable).
import type { ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import net from 'node:net';
import { availableParallelism, cpus, loadavg, tmpdir, totalmem } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import WebSocket from 'ws';
import { retryDelay } from '../../web/src/lib/backoff.ts';
import { buildWebIfStale } from '../../server/web-build.ts';
import { exitOf, runMain } from '../helpers/server-process.ts';
import { freshPostgres } from './databases.ts';
import { BenchClient, inBatches } from './http.ts';

const SETUP_CONCURRENCY = 50;
const SETUP_TIMEOUT_MS = 60_000;
/** The first start may build the web app. */
const START_TIMEOUT_MS = 180_000;
const CATCH_UP_TIMEOUT_MS = 60_000;
const WRITE_BEFORE_MS = 2_000;
const WRITE_AFTER_MS = 2_000;
const WRITERS = 4;
const PROBE_EVERY_MS = 100;
const SAMPLE_EVERY_MS = 100;
/**
 * The web app sets no limit on the opening handshake; a phone's network gives up at some
 * point. Long enough that only a server that stopped answering hits it.
 */
const HANDSHAKE_TIMEOUT_MS = 30_000;
const CLOCK_TICKS = 100;
const root = fileURLToPath(new URL('../..', import.meta.url));

type DatabaseKind = 'pglite' | 'postgres';
type Signal = 'SIGTERM' | 'SIGKILL';

interface Options {
  clients: number;
  coordinators: number;
  contingents: number;
  rate: number;
  signals: Signal[];
  databases: DatabaseKind[];
}

function parseOptions(): Options {
  const { values } = parseArgs({
    options: {
      clients: { type: 'string', default: '2000' },
      coordinators: { type: 'string', default: '200' },
      contingents: { type: 'string', default: '20' },
      rate: { type: 'string', default: '10' },
      signal: { type: 'string', default: 'both' },
      database: { type: 'string', default: 'both' },
    },
  });
  const positive = (name: string, value: string, least = 1) => {
    const n = Number(value);
    if (!Number.isInteger(n) || n < least) {
      throw new Error(`--${name} must be an integer of at least ${least}`);
    }
    return n;
  };
  /** `both`, or one of `both` named without `prefix`, in any case. */
  const choice = <T extends string>(name: string, value: string, both: T[], prefix = '') => {
    if (value === 'both') return both;
    const found = both.find((b) => b.toUpperCase() === `${prefix}${value.toUpperCase()}`);
    const names = both.map((b) => b.slice(prefix.length).toLowerCase());
    if (!found) throw new Error(`--${name} must be ${names.join(', ')} or both`);
    return [found];
  };
  const clients = positive('clients', values.clients);
  const coordinators = positive('coordinators', values.coordinators, 0);
  if (coordinators > clients) throw new Error('--coordinators must be at most --clients');
  return {
    clients,
    coordinators,
    contingents: positive('contingents', values.contingents),
    rate: positive('rate', values.rate),
    signals: choice<Signal>('signal', values.signal, ['SIGTERM', 'SIGKILL'], 'SIG'),
    databases: choice<DatabaseKind>('database', values.database, ['pglite', 'postgres']),
  };
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Waits until `done()` holds; false if it still does not after `timeoutMs`. */
async function waitFor(done: () => boolean, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (!done()) {
    if (Date.now() > deadline) return false;
    await sleep(20);
  }
  return true;
}

const count = (counts: Record<string, number>, key: string) =>
  (counts[key] = (counts[key] ?? 0) + 1);

// ---------------------------------------------------------------------------------------
// The server process.

/** Servers this run started: none outlives it, however it ends. */
const children = new Set<ChildProcess>();
process.once('exit', () => children.forEach((child) => child.kill('SIGKILL')));
for (const signal of ['SIGINT', 'SIGTERM'] as const) process.once(signal, () => process.exit(130));

interface Server {
  child: ChildProcess;
  /** When it printed that it is listening. */
  upAt: number;
  output(): string;
}

async function freePort(): Promise<number> {
  const probe = net.createServer();
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
  const { port } = probe.address() as net.AddressInfo;
  await new Promise((resolve) => probe.close(resolve));
  return port;
}

/** Starts server/main.ts; resolves once it listens (and, if asked, has printed its setup link). */
function launch(env: Record<string, string>, setupLink = false): Promise<Server> {
  const child = runMain(env);
  children.add(child);
  child.once('exit', () => children.delete(child));
  let output = '';
  let upAt = 0;
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no start:\n${output}`)), START_TIMEOUT_MS);
    const check = (chunk: Buffer) => {
      output += chunk.toString();
      if (!upAt && output.includes('Muster is running at')) upAt = Date.now();
      if (upAt && (!setupLink || /Setup link: \S+\n/.test(output))) {
        clearTimeout(timer);
        resolve({ child, upAt, output: () => output });
      }
    };
    child.stdout!.on('data', check);
    child.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.once('exit', (code) => reject(new Error(`server exited with ${code}:\n${output}`)));
  });
}

/** Resident memory of a process now (MB), from /proc; NaN once it is gone. */
function rssMb(pid: number): number {
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    return Number(/VmRSS:\s+(\d+)/.exec(status)?.[1]) / 1024;
  } catch {
    return NaN;
  }
}

/** CPU time (ms) a process has used, from /proc. */
function cpuMs(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return ((Number(fields[11]) + Number(fields[12])) * 1000) / CLOCK_TICKS;
}

/** Warnings and errors the server logged (pino JSON at level ≥ 40), by message. */
function problemsLogged(output: string): Record<string, number> {
  const found: Record<string, number> = {};
  for (const line of output.split('\n')) {
    if (!line.startsWith('{')) continue;
    try {
      const entry = JSON.parse(line) as { level?: number; msg?: string };
      if ((entry.level ?? 0) >= 40) count(found, entry.msg ?? '?');
    } catch {
      // Not a log line.
    }
  }
  return found;
}

// ---------------------------------------------------------------------------------------
// The pages: one socket each, reconnecting as the web app does.

interface Session {
  token: string;
  /** Null for a coordinator. */
  contingentId: string | null;
}

interface AnnouncementSeen {
  id: string;
  target: string;
  contingentId: string | null;
}

/** What every page shares: where to connect, and what the pages saw, counted. */
class Crowd {
  readonly pages: Page[] = [];
  /** By seq, as the coordinators saw them: each page's expected deliveries come from here. */
  readonly announcements = new Map<number, AnnouncementSeen>();
  readonly seqOfAnnouncement = new Map<string, number>();
  /** Tries that did not open a socket, by reason, before and after `upAt`. */
  failedWhileDown: Record<string, number> = {};
  failedOnceUp: Record<string, number> = {};
  /** Sockets the server closed after opening them, by close code. */
  closed: Record<string, number> = {};
  repeated = 0;
  resyncs = 0;
  sessionChecks = 0;
  /** The new server's start: tries begun before it failed because it was down. */
  upAt = Infinity;

  constructor(
    readonly baseUrl: string,
    readonly eventId: string,
    private readonly checks: BenchClient,
  ) {}

  note(seq: number, data: AnnouncementSeen): void {
    if (this.announcements.has(seq)) return;
    this.announcements.set(seq, {
      id: data.id,
      target: data.target,
      contingentId: data.contingentId,
    });
    this.seqOfAnnouncement.set(data.id, seq);
  }

  /** The page asks whether its session still works, as LiveConnection does after a refusal. */
  checkSession(token: string): void {
    this.sessionChecks++;
    void this.checks.send('GET', '/api/me', { token });
  }

  /** Whether `seq` is in the page's audience: every change for coordinators. */
  isFor(page: Page, seq: number): boolean {
    const seen = this.announcements.get(seq);
    const { contingentId } = page.session;
    return contingentId === null || seen?.target === 'event' || seen?.contingentId === contingentId;
  }

  /** Forgets what the pages saw and counted, before a storm. */
  reset(): void {
    for (const page of this.pages) page.log = [];
    this.failedWhileDown = {};
    this.failedOnceUp = {};
    this.closed = {};
    this.repeated = this.resyncs = this.sessionChecks = 0;
    this.upAt = Infinity;
  }

  everyoneHas(seq: number): boolean {
    return this.pages.every((page) => page.lastSeq >= seq);
  }
}

class Page {
  lastSeq: number;
  private attempt = 0;
  private socket: WebSocket | null = null;
  private retryTimer: NodeJS.Timeout | undefined;
  private running = true;
  /** Every change received since the log was last cleared: seq, then when (ms). */
  log: number[] = [];
  /** When each of its sockets opened. */
  private opens: number[] = [];

  constructor(
    private readonly crowd: Crowd,
    readonly session: Session,
    since: number,
  ) {
    this.lastSeq = since;
  }

  get isOpen(): boolean {
    return this.socket?.readyState === WebSocket.OPEN;
  }

  /** Opens the first socket; resolves when it is open. */
  start(): Promise<void> {
    this.connect();
    return waitFor(() => this.opens.length > 0, HANDSHAKE_TIMEOUT_MS * 3).then(() => {});
  }

  stop(): void {
    this.running = false;
    clearTimeout(this.retryTimer);
    this.socket?.terminate();
  }

  private connect(): void {
    const { crowd } = this;
    const query = new URLSearchParams({ event: crowd.eventId, since: String(this.lastSeq) });
    const socket = new WebSocket(`${crowd.baseUrl.replace(/^http/, 'ws')}/api/live?${query}`, {
      origin: crowd.baseUrl,
      headers: { cookie: `muster_session=${this.session.token}` },
      handshakeTimeout: HANDSHAKE_TIMEOUT_MS,
      perMessageDeflate: false,
    });
    this.socket = socket;
    const triedAt = Date.now();
    let opened = false;
    let failure: string | null = null;
    socket.on('open', () => {
      opened = true;
      this.opens.push(Date.now());
    });
    socket.on('message', (data) => this.receive(String(data)));
    socket.on('error', (error) => (failure ??= reasonOf(error)));
    socket.on('close', (code) => {
      if (this.socket !== socket) return;
      this.socket = null;
      if (opened) {
        if (code !== 1001 && code !== 1006) count(crowd.closed, String(code));
      } else {
        const counts = triedAt < crowd.upAt ? crowd.failedWhileDown : crowd.failedOnceUp;
        count(counts, failure ?? `closed ${code} before opening`);
      }
      if (code !== 4001) this.retry(opened);
    });
  }

  private receive(text: string): void {
    const message = JSON.parse(text) as { seq?: number; type: string; data?: unknown };
    if (message.type === 'resync') {
      this.crowd.resyncs++;
      this.lastSeq = Math.max(this.lastSeq, message.seq ?? 0);
      return;
    }
    if (message.seq === undefined) return;
    if (message.seq <= this.lastSeq) {
      this.crowd.repeated++;
      return;
    }
    this.lastSeq = message.seq;
    this.attempt = 0;
    this.log.push(message.seq, Date.now());
    if (message.type === 'announcement.created' && this.session.contingentId === null) {
      this.crowd.note(message.seq, message.data as AnnouncementSeen);
    }
  }

  /** LiveConnection.#retry: jittered backoff, and a session check after a refusal. */
  private retry(opened: boolean): void {
    if (!this.running) return;
    if (!opened) this.crowd.checkSession(this.session.token);
    this.retryTimer = setTimeout(() => this.connect(), retryDelay(this.attempt));
    this.attempt += 1;
  }

  /** When its first socket since `at` opened. */
  openedSince(at: number): number | undefined {
    return this.opens.find((t) => t >= at);
  }

  /** When the page first had `seq` or a later one, since the log was cleared; NaN if never. */
  hadAt(seq: number): number {
    for (let i = 0; i < this.log.length; i += 2) if (this.log[i]! >= seq) return this.log[i + 1]!;
    return NaN;
  }

  seqs(): number[] {
    return this.log.filter((_, i) => i % 2 === 0);
  }
}

function reasonOf(error: Error): string {
  const code = (error as NodeJS.ErrnoException).code;
  if (code) return code;
  const status = /Unexpected server response: (\d+)/.exec(error.message);
  if (status) return `HTTP ${status[1]}`;
  return error.message;
}

// ---------------------------------------------------------------------------------------
// The administrator, writing as phones do: at a steady rate, retrying each until taken.

class Writer {
  private queue: object[] = [];
  private n = 0;
  private ticker: NodeJS.Timeout | undefined;
  private workers: Promise<void>[] = [];
  private running = false;
  taken = 0;
  retries = 0;
  /** When each write was answered 201 (so committed), and the announcement's id. */
  readonly answered: { at: number; id: string }[] = [];

  constructor(
    private readonly client: BenchClient,
    private readonly token: string,
    private readonly eventId: string,
    private readonly contingentIds: string[],
  ) {}

  get waiting(): number {
    return this.queue.length;
  }

  start(rate: number): void {
    this.running = true;
    this.ticker = setInterval(() => this.queue.push(this.next()), 1000 / rate);
    this.workers = Array.from({ length: WRITERS }, () => this.work());
  }

  /** Stops taking new writes and waits for those queued to be taken. */
  async stop(): Promise<void> {
    clearInterval(this.ticker);
    this.running = false;
    await Promise.all(this.workers);
  }

  /** An event-wide announcement every page receives; resolves with its seq once seen. */
  async mark(crowd: Crowd, name: string): Promise<number> {
    const { id } = await this.client.expect<{ id: string }>(201, 'POST', this.path(), {
      token: this.token,
      json: { target: 'event', body: name },
    });
    this.answered.push({ at: Date.now(), id });
    await waitFor(() => crowd.seqOfAnnouncement.has(id), CATCH_UP_TIMEOUT_MS);
    const seq = crowd.seqOfAnnouncement.get(id);
    if (seq === undefined) throw new Error(`${name} reached no coordinator`);
    return seq;
  }

  private path(): string {
    return `/api/events/${this.eventId}/announcements`;
  }

  private next(): object {
    const n = this.n++;
    if (n % 4 !== 3) return { target: 'event', body: `Update ${n}` };
    const contingentId = this.contingentIds[(n >> 2) % this.contingentIds.length]!;
    return { target: 'contingent', contingentId, body: `For one contingent ${n}` };
  }

  private async work(): Promise<void> {
    while (this.running || this.queue.length > 0) {
      const json = this.queue.shift();
      if (!json) {
        await sleep(10);
        continue;
      }
      for (;;) {
        const reply = await this.client.send('POST', this.path(), { token: this.token, json });
        if (reply.status === 201) {
          this.answered.push({ at: Date.now(), id: (JSON.parse(reply.body) as { id: string }).id });
          break;
        }
        this.retries++;
        await sleep(100);
      }
      this.taken++;
    }
  }
}

// ---------------------------------------------------------------------------------------
// Setup over HTTP: not measured.

const numbered = (n: number, name: string) =>
  Array.from({ length: n }, (_, i) => `${name} ${i + 1}`);

interface March {
  eventId: string;
  adminToken: string;
  contingentIds: string[];
  sessions: Session[];
  lastSeq: number;
}

async function setUpMarch(client: BenchClient, setupLink: string, options: Options) {
  const adminToken = await client.join(new URL(setupLink).hash.slice(1), 'Admin');
  const token = adminToken;
  const event = await client.expect<{ id: string }>(201, 'POST', '/api/events', {
    token,
    json: { name: 'May Day — storm', date: '2027-05-01', startTime: '10:00', timezone: 'UTC' },
  });
  const base = `/api/events/${event.id}`;
  const invite = (json: object) =>
    client
      .expect<{ token: string }>(201, 'POST', `${base}/invites`, { token, json })
      .then((created) => created.token);
  const contingentIds = await inBatches(
    numbered(options.contingents, 'Contingent'),
    SETUP_CONCURRENCY,
    async (name) =>
      (
        await client.expect<{ id: string }>(201, 'POST', `${base}/contingents`, {
          token,
          json: { name, expectedSize: 100 },
        })
      ).id,
  );
  const coordinatorInvite = await invite({ role: 'coordinator', label: 'Storm' });
  const volunteerInvites = await inBatches(contingentIds, SETUP_CONCURRENCY, (contingentId) =>
    invite({ role: 'volunteer', contingentId }),
  );
  const sessions = await inBatches(
    numbered(options.clients, 'Marcher'),
    SETUP_CONCURRENCY,
    async (name, i): Promise<Session> => {
      if (i < options.coordinators) {
        return { token: await client.join(coordinatorInvite, name), contingentId: null };
      }
      const n = i % contingentIds.length;
      return {
        token: await client.join(volunteerInvites[n]!, name),
        contingentId: contingentIds[n]!,
      };
    },
  );
  const plan = await client.expect<{ lastSeq: number }>(200, 'GET', base, { token });
  return { eventId: event.id, adminToken, contingentIds, sessions, lastSeq: plan.lastSeq };
}

// ---------------------------------------------------------------------------------------
// One storm.

interface Percentiles {
  p50: number;
  p95: number;
  p99: number;
  max: number;
}

function percentiles(values: number[]): Percentiles {
  const sorted = values.filter(Number.isFinite).sort((a, b) => a - b);
  const at = (p: number) => sorted[Math.max(0, Math.ceil((p / 100) * sorted.length) - 1)] ?? NaN;
  return { p50: at(50), p95: at(95), p99: at(99), max: sorted.at(-1) ?? NaN };
}

interface Row {
  database: DatabaseKind;
  signal: Signal;
  outageMs: number;
  /** The signal until the old process exited. */
  stopMs: number;
  caughtUp: Percentiles;
  reconnected: Percentiles;
  notCaughtUp: number;
  failedWhileDown: Record<string, number>;
  failedOnceUp: Record<string, number>;
  closed: Record<string, number>;
  sessionChecks: number;
  writes: { taken: number; retries: number };
  delivery: { missing: number; extra: number; repeated: number; resyncs: number };
  probe: { maxMs: number; maxAtMs: number; failed: number; count: number };
  rssMb: { before: number; up: number; peak: number; after: number };
  cpuS: number;
  logged: Record<string, number>;
}

/** Changes of (from, to] each page should have: all for coordinators, else its audience's. */
function checkDelivery(crowd: Crowd, from: number, to: number) {
  let missing = 0;
  let extra = 0;
  for (const page of crowd.pages) {
    const got = new Set(page.seqs().filter((seq) => seq > from && seq <= to));
    for (let seq = from + 1; seq <= to; seq++) {
      if (crowd.isFor(page, seq) && !got.has(seq)) missing++;
      if (!crowd.isFor(page, seq) && got.has(seq)) extra++;
    }
  }
  return { missing, extra };
}

/** The restart's HTTP probe: GET /api/me every 100 ms until stopped. */
function startProbe(client: BenchClient, token: string, upAt: number) {
  const figures = { maxMs: 0, maxAtMs: 0, failed: 0, count: 0 };
  let running = true;
  const done = (async () => {
    while (running) {
      const sentAt = Date.now();
      const reply = await client.send('GET', '/api/me', { token });
      figures.count++;
      if (reply.status !== 200) figures.failed++;
      if (reply.ms > figures.maxMs) [figures.maxMs, figures.maxAtMs] = [reply.ms, sentAt - upAt];
      await sleep(PROBE_EVERY_MS);
    }
  })();
  return {
    stop: async () => {
      running = false;
      await done;
      return figures;
    },
  };
}

/** Samples the server's RSS until stopped; the peak. */
function startSampler(pid: number) {
  let peak = 0;
  const timer = setInterval(() => (peak = Math.max(peak, rssMb(pid) || 0)), SAMPLE_EVERY_MS);
  return () => {
    clearInterval(timer);
    return peak;
  };
}

interface Context {
  database: DatabaseKind;
  env: Record<string, string>;
  port: number;
  running: { server: Server };
  crowd: Crowd;
  writer: Writer;
  probeClient: BenchClient;
  adminToken: string;
}

async function everyoneHasMark(ctx: Context, name: string): Promise<number> {
  const seq = await ctx.writer.mark(ctx.crowd, name);
  if (!(await waitFor(() => ctx.crowd.everyoneHas(seq), CATCH_UP_TIMEOUT_MS))) {
    const behind = ctx.crowd.pages.filter((p) => p.lastSeq < seq).length;
    throw new Error(`${name}: ${behind} pages still behind after ${CATCH_UP_TIMEOUT_MS / 1000} s`);
  }
  return seq;
}

/** Signals the server, starts it again on the same data and port; the new one. */
async function restart(ctx: Context, signal: Signal) {
  const { child } = ctx.running.server;
  const signalledAt = Date.now();
  child.kill(signal);
  await exitOf(child);
  const exitedAt = Date.now();
  const server = await launch(ctx.env);
  ctx.running.server = server;
  ctx.crowd.upAt = server.upAt;
  return { server, outageMs: server.upAt - signalledAt, stopMs: exitedAt - signalledAt };
}

/** A line every 2 s while the pages come back. */
function reportProgress(ctx: Context, signal: Signal, server: Server) {
  const { crowd } = ctx;
  return setInterval(() => {
    const open = crowd.pages.filter((p) => p.isOpen).length;
    console.log(
      `  ${ctx.database} ${signal} +${seconds(Date.now() - server.upAt)} s: ${open} open; ` +
        `failed once up: ${listed(crowd.failedOnceUp)}; closed: ${listed(crowd.closed)}; ` +
        `RSS ${whole(rssMb(server.child.pid!))} MB`,
    );
  }, 2_000);
}

async function storm(ctx: Context, signal: Signal, options: Options): Promise<Row> {
  const { crowd, writer } = ctx;
  const from = await everyoneHasMark(ctx, `before ${signal}`);
  const before = rssMb(ctx.running.server.child.pid!);
  crowd.reset();
  const taken = writer.taken;
  const retries = writer.retries;

  writer.start(options.rate);
  await sleep(WRITE_BEFORE_MS);
  const { server, outageMs, stopMs } = await restart(ctx, signal);
  const pid = server.child.pid!;
  const cpuAtUp = cpuMs(pid);
  const up = rssMb(pid);
  const peak = startSampler(pid);
  const probe = startProbe(ctx.probeClient, ctx.adminToken, server.upAt);
  const progress = reportProgress(ctx, signal, server);
  try {
    const back = () => crowd.pages.every((p) => p.openedSince(server.upAt) !== undefined);
    await waitFor(back, CATCH_UP_TIMEOUT_MS);
    await sleep(WRITE_AFTER_MS);
  } finally {
    await writer.stop();
    clearInterval(progress);
  }
  const to = await everyoneHasMark(ctx, `after ${signal}`);
  const times = catchUpTimes(crowd, writer, server.upAt, from);
  return {
    database: ctx.database,
    signal,
    outageMs,
    stopMs,
    caughtUp: percentiles(times.caughtUp),
    reconnected: percentiles(times.reconnected),
    notCaughtUp: times.caughtUp.filter((t) => !Number.isFinite(t)).length,
    failedWhileDown: crowd.failedWhileDown,
    failedOnceUp: crowd.failedOnceUp,
    closed: crowd.closed,
    sessionChecks: crowd.sessionChecks,
    writes: { taken: writer.taken - taken, retries: writer.retries - retries },
    delivery: {
      ...checkDelivery(crowd, from, to),
      repeated: crowd.repeated,
      resyncs: crowd.resyncs,
    },
    probe: await probe.stop(),
    rssMb: { before, up, peak: peak(), after: rssMb(pid) },
    cpuS: (cpuMs(pid) - cpuAtUp) / 1000,
    logged: problemsLogged(server.output()),
  };
}

/**
 * For each page, from the new server's start: when its socket opened, and when it had every
 * change of its audience committed (answered to the writer) before that.
 */
function catchUpTimes(crowd: Crowd, writer: Writer, upAt: number, from: number) {
  const commits = writer.answered
    .map(({ at, id }) => ({ at, seq: crowd.seqOfAnnouncement.get(id) }))
    .filter((c): c is { at: number; seq: number } => c.seq !== undefined);
  const reconnected: number[] = [];
  const caughtUp: number[] = [];
  for (const page of crowd.pages) {
    const openedAt = page.openedSince(upAt) ?? NaN;
    // Every page had `from` (a mark) and what came before it.
    let due = from;
    for (const { at, seq } of commits) {
      if (at <= openedAt && seq > due && crowd.isFor(page, seq)) due = seq;
    }
    reconnected.push(openedAt - upAt);
    caughtUp.push(Math.max(openedAt, due > from ? page.hadAt(due) : 0) - upAt);
  }
  return { reconnected, caughtUp };
}

// ---------------------------------------------------------------------------------------
// One database: set up, connect every page, then a storm per signal.

async function databaseEnv(
  kind: DatabaseKind,
): Promise<{ env: Record<string, string>; drop(): Promise<void> } | null> {
  if (kind === 'postgres') {
    const postgres = await freshPostgres();
    if (!postgres) return null;
    return { env: { DATABASE_URL: postgres.databaseUrl }, drop: postgres.drop };
  }
  const dir = mkdtempSync(join(tmpdir(), 'muster-bench-storm-'));
  return {
    env: { MUSTER_DATA_DIR: dir },
    drop: async () => rmSync(dir, { recursive: true, force: true }),
  };
}

async function benchmark(kind: DatabaseKind, options: Options): Promise<Row[]> {
  const database = await databaseEnv(kind);
  if (!database) return [];
  const port = await freePort();
  const env = { ...database.env, PORT: String(port) };
  const first = await launch(env, true);
  /** The server running now: the storms replace it. */
  const running = { server: first };
  const setupClient = new BenchClient(port, SETUP_CONCURRENCY, SETUP_TIMEOUT_MS);
  const writeClient = new BenchClient(port, WRITERS + 1, SETUP_TIMEOUT_MS);
  // The pages' session checks go through their own sockets, so the probe never waits on them.
  const probeClient = new BenchClient(port, 1, SETUP_TIMEOUT_MS);
  const checkClient = new BenchClient(port, 64, SETUP_TIMEOUT_MS);
  const pages: Page[] = [];
  try {
    const started = Date.now();
    const link = /Setup link: (\S+)/.exec(first.output())![1]!;
    const march: March = await setUpMarch(setupClient, link, options);
    const baseUrl = `http://127.0.0.1:${port}`;
    const crowd = new Crowd(baseUrl, march.eventId, checkClient);
    for (const session of march.sessions) pages.push(new Page(crowd, session, march.lastSeq));
    crowd.pages.push(...pages);
    await inBatches(pages, SETUP_CONCURRENCY, (page) => page.start());
    const writer = new Writer(writeClient, march.adminToken, march.eventId, march.contingentIds);
    const ctx: Context = {
      database: kind,
      env,
      port,
      running,
      crowd,
      writer,
      probeClient,
      adminToken: march.adminToken,
    };
    await everyoneHasMark(ctx, 'connected');
    console.log(
      `${kind}: setup (not measured) took ${((Date.now() - started) / 1000).toFixed(0)} s; ` +
        `${pages.length} pages open`,
    );
    const rows: Row[] = [];
    for (const signal of options.signals) {
      rows.push(await storm(ctx, signal, options));
      console.log(`${kind}: ${signal} storm done`);
    }
    return rows;
  } finally {
    for (const page of pages) page.stop();
    for (const client of [setupClient, writeClient, probeClient, checkClient]) {
      client.agent.destroy();
    }
    running.server.child.kill('SIGTERM');
    await exitOf(running.server.child);
    await database.drop();
  }
}

// ---------------------------------------------------------------------------------------
// Report.

const seconds = (ms: number) => (Number.isFinite(ms) ? (ms / 1000).toFixed(2) : '–');
const whole = (value: number) => (Number.isFinite(value) ? value.toFixed(0) : '–');
const total = (counts: Record<string, number>) => Object.values(counts).reduce((a, b) => a + b, 0);
const listed = (counts: Record<string, number>) =>
  Object.entries(counts)
    .map(([reason, n]) => `${n} ${reason}`)
    .join(', ') || 'none';

function printTable(header: string[], cells: string[][]) {
  const widths = header.map((h, i) => Math.max(h.length, ...cells.map((c) => c[i]!.length)));
  const line = (c: string[]) =>
    c.map((v, i) => (i < 2 ? v.padEnd(widths[i]!) : v.padStart(widths[i]!))).join('  ');
  console.log(line(header));
  console.log(widths.map((w) => '-'.repeat(w)).join('  '));
  cells.forEach((c) => console.log(line(c)));
}

function printCatchUp(rows: Row[]) {
  const header = [
    'database',
    'signal',
    'outage s',
    'stop s',
    'all caught up s',
    'p50 s',
    'p95 s',
    'p99 s',
  ];
  header.push('reconnected p99 s', 'failed: down', 'failed: up', 'missing', 'repeated');
  printTable(
    header,
    rows.map((r) => [
      r.database,
      r.signal,
      seconds(r.outageMs),
      seconds(r.stopMs),
      r.notCaughtUp ? `${r.notCaughtUp} NOT` : seconds(r.caughtUp.max),
      seconds(r.caughtUp.p50),
      seconds(r.caughtUp.p95),
      seconds(r.caughtUp.p99),
      seconds(r.reconnected.p99),
      String(total(r.failedWhileDown)),
      String(total(r.failedOnceUp) + total(r.closed)),
      String(r.delivery.missing + r.delivery.extra),
      String(r.delivery.repeated + r.delivery.resyncs),
    ]),
  );
}

function printServer(rows: Row[]) {
  const header = ['database', 'signal', 'RSS MB: before', 'new', 'peak', 'after', 'CPU s'];
  header.push('probe max ms', 'probe failed', 'writes', 'retried');
  printTable(
    header,
    rows.map((r) => [
      r.database,
      r.signal,
      whole(r.rssMb.before),
      whole(r.rssMb.up),
      whole(r.rssMb.peak),
      whole(r.rssMb.after),
      r.cpuS.toFixed(1),
      whole(r.probe.maxMs),
      `${r.probe.failed}/${r.probe.count}`,
      String(r.writes.taken),
      String(r.writes.retries),
    ]),
  );
}

function printDetails(row: Row) {
  console.log(
    `${row.database} ${row.signal}: failed while down: ${listed(row.failedWhileDown)}; ` +
      `once up: ${listed(row.failedOnceUp)}; closed by the server after opening: ` +
      `${listed(row.closed)}; ${row.sessionChecks} session checks; missing ${row.delivery.missing}, not theirs ` +
      `${row.delivery.extra}, repeated ${row.delivery.repeated}, resyncs ${row.delivery.resyncs}; ` +
      `slowest probe sent at +${seconds(row.probe.maxAtMs)} s; ` +
      `server logged: ${listed(row.logged)}`,
  );
}

function report(rows: Row[]) {
  console.log('');
  printCatchUp(rows);
  console.log('');
  printServer(rows);
  console.log('');
  rows.forEach(printDetails);
  console.log(
    [
      '',
      'outage: the signal until the new server listens (stop: until the old one exited).',
      'caught up: from then until a page had every change of its audience committed before',
      '  its socket opened again; reconnected: until that socket opened. failed: tries that',
      '  opened no socket while the server was down, and once it was up (plus sockets it',
      '  closed with 1011 or 4002). missing: changes of its audience a page never got, or got',
      '  though not its own; repeated: repeats + resyncs. All four should be 0 but "down".',
      'RSS: the server with every socket open before the signal, the new process when it',
      '  listens, its peak, and after the last mark. CPU: the new process until the last mark.',
      '  probe: GET /api/me every 100 ms from the restart to the last mark. writes: the',
      '  announcements taken in the storm; retried: tries refused or unanswered (the outage).',
    ].join('\n'),
  );
}

async function main() {
  const options = parseOptions();
  console.log(
    `${options.clients} pages (${options.coordinators} coordinators, the rest volunteers of ` +
      `${options.contingents} contingents); ${options.rate} announcements/s around each ` +
      `restart.\nNode ${process.version}, ${availableParallelism()} CPUs ` +
      `(${cpus()[0]?.model ?? 'unknown'}), ${(totalmem() / 2 ** 30).toFixed(0)} GB; ` +
      `load average before: ${loadavg()[0]!.toFixed(2)}\n`,
  );
  // The first start would build the web app if its build is stale: not the restart's cost.
  await buildWebIfStale(root, (line) => console.log(line));
  const rows: Row[] = [];
  for (const kind of options.databases) rows.push(...(await benchmark(kind, options)));
  report(rows);
  const failed = rows.filter(
    (r) => r.notCaughtUp > 0 || r.delivery.missing + r.delivery.extra > 0 || r.probe.failed > 0,
  );
  if (failed.length > 0) process.exitCode = 1;
}

await main();
