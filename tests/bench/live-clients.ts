// The client side of `npm run bench:live`, in a process of its own so that the server process
// is measured alone: W watching sockets and R leaders reporting on a 5 s cycle, over loopback.
// For every (report, watching socket) pair it records delivery − acceptance, where acceptance
// is the report's `receivedAt` as the server stamped it (same machine, same clock; 1 ms
// resolution) and delivery is `Date.now()` when the socket's 'message' event fires here.
// The bench (live.ts) drives it over IPC; see the commands below.
import http from 'node:http';
import { performance } from 'node:perf_hooks';
import WebSocket from 'ws';

export interface Leader {
  token: string;
  contingentId: string;
}

/** A watching socket's session: a coordinator's (null) or a member's of a contingent. */
export interface Watcher {
  token: string;
  contingentId: string | null;
}

export interface ConnectCommand {
  kind: 'connect';
  baseUrl: string;
  eventId: string;
  watchers: Watcher[];
}

export interface RunCommand {
  kind: 'run';
  baseUrl: string;
  eventId: string;
  leaders: Leader[];
  /** Epoch ms: the first report goes out then; the measured window starts after the warm-up. */
  startAt: number;
  warmupMs: number;
  windowMs: number;
  cycleMs: number;
  /** After the last report, how long deliveries still count; longer is reported missing. */
  drainMs: number;
}

export type Command = ConnectCommand | RunCommand | { kind: 'close' };

export interface Percentiles {
  count: number;
  p50: number;
  p99: number;
  max: number;
}

export interface RunResult {
  /** Reports sent, over the warm-up and the window. */
  sent: number;
  /** Report slots a leader let pass because its previous report had no answer yet. */
  skipped: number;
  /**
   * Reports the server took with a receivedAt in the window: answered 200, or seen on a
   * socket (a report whose answer came too late for its leader may still have been taken).
   */
  accepted: number;
  /** Of those, the ones answered 200 in time. */
  answered: number;
  /** Reports not answered 200, by status (0: no answer). */
  rejected: Record<string, number>;
  /** HTTP round trip of a report, as its leader sees it. */
  replyMs: Percentiles;
  /** Delivery − receivedAt over every (report accepted in the window, socket) pair. */
  latencyMs: Percentiles;
  /** The p99 of latencyMs per 5 s cycle of the window, by receivedAt: does it grow? */
  cycleP99: number[];
  /** Pairs of the accepted reports and the open sockets whose audience they are in. */
  expected: number;
  /** Expected pairs that had not arrived when the drain ended. */
  missing: number;
  /** Messages that arrived during the window, whatever report they carry. */
  receivedInWindow: number;
  /** Sockets the server closed, by close code. */
  closed: Record<string, number>;
  /** CPU time of this process during the window. */
  cpuMs: number;
}

export type Reply =
  | { kind: 'connected'; open: number; refused: Record<string, number> }
  | { kind: 'result'; result: RunResult };

const CONNECT_CONCURRENCY = 100;
/** A phone gives up on a report after this long; the leader's next one goes out as usual. */
const REQUEST_TIMEOUT_MS = 10_000;

/** Counts of values in bins of `unitMs`, up to `maxMs`: exact percentiles at that resolution. */
class Histogram {
  private readonly bins: Uint32Array;
  count = 0;
  max = 0;

  constructor(
    private readonly unitMs: number,
    maxMs = 120_000,
  ) {
    this.bins = new Uint32Array(Math.ceil(maxMs / unitMs) + 1);
  }

  record(ms: number): void {
    const bin = Math.min(this.bins.length - 1, Math.max(0, Math.round(ms / this.unitMs)));
    this.bins[bin]!++;
    this.count++;
    if (ms > this.max) this.max = ms;
  }

  percentile(p: number): number {
    const rank = Math.max(1, Math.ceil((p / 100) * this.count));
    let seen = 0;
    for (let bin = 0; bin < this.bins.length; bin++) {
      seen += this.bins[bin]!;
      if (seen >= rank) return bin * this.unitMs;
    }
    return NaN;
  }

  summary(): Percentiles {
    return {
      count: this.count,
      p50: this.percentile(50),
      p99: this.percentile(99),
      max: this.max,
    };
  }
}

/** What one live message carries that the measurement needs, parsed once per seq. */
interface Report {
  receivedAt: number;
  cycle: number;
}

/** The reports taken in the window, by contingent and recordedAt, with their contingent. */
const accepted = new Map<string, string>();
const inWindow = (receivedAt: number) => receivedAt >= window.start && receivedAt < window.end;

const sockets: WebSocket[] = [];
/** Who the open sockets are: how many pairs each accepted report should make. */
const audience = { coordinators: 0, members: new Map<string, number>() };
const closed: Record<string, number> = {};
/** null: a seq that is not a position report (or falls outside the window). */
const reports = new Map<number, Report | null>();
const window = { start: Infinity, end: Infinity, cycleMs: 5_000 };
const latency = new Histogram(1);
let cycles: Histogram[] = [];
let receivedInWindow = 0;

const SEQ_PREFIX = Buffer.from('{"seq":');

/** The seq of a change message, read from its first bytes without parsing the rest. */
function seqOf(data: Buffer): number {
  if (data.length < 9 || data.compare(SEQ_PREFIX, 0, 7, 0, 7) !== 0) return -1;
  let seq = 0;
  for (let i = 7; i < data.length; i++) {
    const digit = data[i]! - 48;
    if (digit < 0 || digit > 9) return seq;
    seq = seq * 10 + digit;
  }
  return -1;
}

function parseReport(data: Buffer): Report | null {
  const message = JSON.parse(data.toString()) as {
    type: string;
    data: { receivedAt: string; recordedAt: string; contingentId: string };
  };
  if (message.type !== 'contingent.position') return null;
  const { contingentId, recordedAt } = message.data;
  const receivedAt = Date.parse(message.data.receivedAt);
  if (!inWindow(receivedAt)) return null;
  accepted.set(`${contingentId} ${recordedAt}`, contingentId);
  return { receivedAt, cycle: Math.floor((receivedAt - window.start) / window.cycleMs) };
}

function onMessage(data: Buffer): void {
  const now = Date.now();
  if (now >= window.start && now < window.end) receivedInWindow++;
  const seq = seqOf(data);
  if (seq < 0) return;
  let report = reports.get(seq);
  if (report === undefined) {
    report = parseReport(data);
    reports.set(seq, report);
  }
  if (!report) return;
  latency.record(now - report.receivedAt);
  cycles[report.cycle]?.record(now - report.receivedAt);
}

function openSocket(command: ConnectCommand, { token }: Watcher): Promise<WebSocket> {
  const url = `${command.baseUrl.replace(/^http/, 'ws')}/api/live?event=${command.eventId}`;
  const socket = new WebSocket(url, {
    origin: command.baseUrl,
    headers: { authorization: `Bearer ${token}` },
    perMessageDeflate: false,
    // The bench reads a few bytes of each message; checking the UTF-8 of all of them would
    // make this process, not the server, the bottleneck sooner.
    skipUTF8Validation: true,
  });
  return new Promise((resolve, reject) => {
    socket.once('open', () => resolve(socket));
    socket.once('unexpected-response', (_request, response) =>
      reject(new Error(String(response.statusCode))),
    );
    socket.once('error', reject);
  });
}

async function connect(command: ConnectCommand): Promise<Reply> {
  const refused: Record<string, number> = {};
  let next = 0;
  const worker = async () => {
    for (let i = next++; i < command.watchers.length; i = next++) {
      try {
        const watcher = command.watchers[i]!;
        const socket = await openSocket(command, watcher);
        socket.on('message', onMessage);
        socket.on('close', (code) => (closed[code] = (closed[code] ?? 0) + 1));
        sockets.push(socket);
        if (!watcher.contingentId) audience.coordinators++;
        else {
          const members = audience.members.get(watcher.contingentId) ?? 0;
          audience.members.set(watcher.contingentId, members + 1);
        }
      } catch (error) {
        const reason = error instanceof Error ? error.message : String(error);
        refused[reason] = (refused[reason] ?? 0) + 1;
      }
    }
  };
  await Promise.all(Array.from({ length: CONNECT_CONCURRENCY }, worker));
  return { kind: 'connected', open: sockets.length, refused };
}

/** PUT one report; resolves with the status and body, status 0 when there was no answer. */
function put(agent: http.Agent, url: URL, token: string, body: string) {
  return new Promise<{ status: number; body: string }>((resolve) => {
    const request = http.request(url, {
      method: 'PUT',
      agent,
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    });
    request.setTimeout(REQUEST_TIMEOUT_MS, () => request.destroy(new Error('timed out')));
    request.on('error', () => resolve({ status: 0, body: '' }));
    request.on('response', (response) => {
      let text = '';
      response.setEncoding('utf8');
      response.on('data', (chunk: string) => (text += chunk));
      response.on('end', () => resolve({ status: response.statusCode ?? 0, body: text }));
      response.on('error', () => resolve({ status: 0, body: '' }));
    });
    request.end(body);
  });
}

interface Tally {
  sent: number;
  skipped: number;
  answered: number;
  rejected: Record<string, number>;
  reply: Histogram;
}

/** One leader's k-th report: a point that moves a little along the route every cycle. */
async function report(agent: http.Agent, command: RunCommand, i: number, k: number, t: Tally) {
  const leader = command.leaders[i]!;
  const path = `/api/events/${command.eventId}/contingents/${leader.contingentId}/position`;
  const body = JSON.stringify({
    position: { lat: 34.0407 + k * 0.0001, lng: -118.2468 + i * 0.00001 },
    accuracy: 8,
    recordedAt: new Date().toISOString(),
  });
  t.sent++;
  const started = performance.now();
  const reply = await put(agent, new URL(path, command.baseUrl), leader.token, body);
  t.reply.record(performance.now() - started);
  if (reply.status !== 200) {
    t.rejected[reply.status] = (t.rejected[reply.status] ?? 0) + 1;
    return;
  }
  const position = JSON.parse(reply.body) as { receivedAt: string; recordedAt: string };
  if (!inWindow(Date.parse(position.receivedAt))) return;
  t.answered++;
  accepted.set(`${leader.contingentId} ${position.recordedAt}`, leader.contingentId);
}

/**
 * Every leader reports once per cycle, staggered evenly, as a phone would: not while its
 * previous report is still unanswered. Resolves when every report has its answer.
 */
function runLeaders(command: RunCommand, tally: Tally): Promise<void> {
  const agent = new http.Agent({ keepAlive: true, maxSockets: command.leaders.length });
  const spacing = command.cycleMs / command.leaders.length;
  const stopAt = command.startAt + command.warmupMs + command.windowMs;
  const inFlight = new Set<Promise<void>>();
  const busy = new Uint8Array(command.leaders.length);
  return new Promise((resolve) => {
    let running = command.leaders.length;
    const finish = async () => {
      if (--running > 0) return;
      await Promise.all(inFlight);
      agent.destroy();
      resolve();
    };
    const schedule = (i: number, k: number) => {
      const at = command.startAt + (i + 0.5) * spacing + k * command.cycleMs;
      if (at >= stopAt) return void finish();
      setTimeout(() => {
        if (busy[i]) tally.skipped++;
        else {
          busy[i] = 1;
          const sent = report(agent, command, i, k, tally).finally(() => {
            busy[i] = 0;
            inFlight.delete(sent);
          });
          inFlight.add(sent);
        }
        // After the report is in flight: the last leader's finish waits for it.
        schedule(i, k + 1);
      }, at - Date.now());
    };
    command.leaders.forEach((_, i) => schedule(i, 0));
  });
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** The pairs the accepted reports make with the open sockets of their audience. */
function expectedPairs(): number {
  let pairs = 0;
  for (const contingentId of accepted.values()) {
    pairs += audience.coordinators + (audience.members.get(contingentId) ?? 0);
  }
  return pairs;
}

/** Waits until every expected pair has arrived, or nothing more arrives, or the drain ends. */
async function drain(drainMs: number): Promise<void> {
  const deadline = Date.now() + drainMs;
  let last = -1;
  let still = 0;
  while (latency.count < expectedPairs() && Date.now() < deadline && still < 3_000) {
    still = latency.count === last ? still + 100 : 0;
    last = latency.count;
    await sleep(100);
  }
}

async function run(command: RunCommand): Promise<Reply> {
  window.start = command.startAt + command.warmupMs;
  window.end = window.start + command.windowMs;
  window.cycleMs = command.cycleMs;
  cycles = Array.from(
    { length: Math.ceil(command.windowMs / command.cycleMs) },
    () => new Histogram(1),
  );
  let cpu = process.cpuUsage();
  setTimeout(() => (cpu = process.cpuUsage()), window.start - Date.now());
  setTimeout(() => (cpu = process.cpuUsage(cpu)), window.end - Date.now());
  const tally: Tally = {
    sent: 0,
    skipped: 0,
    answered: 0,
    rejected: {},
    reply: new Histogram(0.1),
  };
  await runLeaders(command, tally);
  await drain(command.drainMs);
  const expected = expectedPairs();
  const result: RunResult = {
    sent: tally.sent,
    skipped: tally.skipped,
    accepted: accepted.size,
    answered: tally.answered,
    expected,
    rejected: tally.rejected,
    replyMs: tally.reply.summary(),
    latencyMs: latency.summary(),
    cycleP99: cycles.map((c) => c.percentile(99)),
    missing: Math.max(0, expected - latency.count),
    receivedInWindow,
    closed: { ...closed },
    cpuMs: (cpu.user + cpu.system) / 1000,
  };
  return { kind: 'result', result };
}

function close(): void {
  for (const socket of sockets) socket.terminate();
  process.disconnect?.();
}

process.on('message', (command: Command) => {
  const answer = (reply: Reply) => process.send?.(reply);
  if (command.kind === 'connect') void connect(command).then(answer);
  else if (command.kind === 'run') void run(command).then(answer);
  else close();
});
