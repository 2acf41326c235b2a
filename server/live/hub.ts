// The live hub of one server instance: for each event with open sockets it reads new change
// records once, in seq order, and fans each out to the sockets whose audience includes it.
// A socket joining with `since` first gets what it missed — from the event's recent records
// in memory, or else from the database —, then the live stream, with nothing lost or repeated
// in between.
import { and, asc, eq, gt, min } from 'drizzle-orm';
import type { FastifyBaseLogger } from 'fastify';
import { changeRecords, events } from '../../drizzle/schema.ts';
import type { Actor } from '../access.ts';
import type { SessionRef } from '../plugins/auth.ts';
import type { Database } from '../plugins/database.ts';
import { type ChangeRow, type Keys, keysOf } from './audience.ts';
import { CloseCode } from './protocol.ts';
import { type Prepared, prepare, RecentChanges, type RecentLimits, textOf } from './recent.ts';

/** What the hub needs of a WebSocket (ws's WebSocket has it). */
export interface LiveSocket {
  readonly readyState: number;
  readonly bufferedAmount: number;
  send(data: string, callback?: (error?: Error) => void): void;
  close(code?: number, reason?: string): void;
}

const OPEN = 1;
/** Records per read when replaying to one socket. */
const PAGE = 500;
/** Records per read when fanning out to every socket: a page is sent without yielding. */
const DISPATCH_PAGE = 100;
/** Under a stream of writes, reads at most this often, so each carries several records. */
const COALESCE_MS = 20;

export interface HubLimits {
  /** A socket with more than this many bytes not yet sent is cut off as too slow. */
  maxBufferedBytes: number;
  /** Live messages held for a socket while it replays; more and it is cut off. */
  maxBacklog: number;
  /** The latest records each event keeps in memory for sockets that resume. */
  recent: RecentLimits;
  /**
   * Database reads of older records for replays, at once, over all events. Sockets resuming
   * from the same seq share one read; on PGlite every read waits in the one connection's
   * queue with the requests, so a storm of distinct ones must not fill it.
   */
  replayReads: number;
}

export class Member {
  readonly keys: Keys | 'coordinator';
  /** The last seq sent to this socket. */
  lastSent = 0;
  /** Live messages that arrive while the socket replays what it missed. */
  backlog: { seq: number; text: string }[] | null = [];

  constructor(
    readonly socket: LiveSocket,
    readonly actor: Actor,
    readonly eventId: string,
    readonly session: SessionRef,
  ) {
    this.keys = keysOf(actor);
  }
}

class Channel {
  readonly members = new Set<Member>();
  /** Up to `lastSeq`: what it dispatched last, and a few before (set once ready). */
  recent!: RecentChanges;
  /** Replay reads under way, by the seq they read after: sockets resuming alike share one. */
  readonly reads = new Map<number, Promise<Prepared[]>>();
  running = false;
  again = false;
  constructor(
    readonly eventId: string,
    readonly ready: Promise<void>,
  ) {}

  /** The last seq read from the database and dispatched. */
  get lastSeq(): number {
    return this.recent.to;
  }
}

/** Runs at most `slots` tasks at once; the others wait their turn, in order. */
class Limiter {
  private waiting: (() => void)[] = [];
  private running = 0;
  constructor(private readonly slots: number) {}

  async run<T>(task: () => Promise<T>): Promise<T> {
    if (this.running >= this.slots) await new Promise<void>((go) => this.waiting.push(go));
    else this.running++;
    try {
      return await task();
    } finally {
      const next = this.waiting.shift();
      if (next) next();
      else this.running--;
    }
  }
}

export class LiveHub {
  private readonly channels = new Map<string, Channel>();
  private closed = false;
  private readonly replayReads: Limiter;

  constructor(
    private readonly db: Database,
    private readonly log: FastifyBaseLogger,
    private readonly limits: HubLimits,
  ) {
    this.replayReads = new Limiter(limits.replayReads);
  }

  get memberCount(): number {
    let count = 0;
    for (const channel of this.channels.values()) count += channel.members.size;
    return count;
  }

  members(): Member[] {
    return [...this.channels.values()].flatMap((channel) => [...channel.members]);
  }

  /** Something new may have been committed for these events (or, with '*', any event). */
  poke(eventIds: Iterable<string> | '*'): void {
    const ids = eventIds === '*' ? [...this.channels.keys()] : eventIds;
    for (const id of ids) {
      const channel = this.channels.get(id);
      if (channel) void this.pump(id, channel);
    }
  }

  /**
   * Adds a socket to its event: replays every change after `since` it may see, or sends
   * `resync` when those are no longer kept, then streams live ones.
   */
  async join(member: Member, since: number): Promise<void> {
    let channel: Channel;
    for (;;) {
      channel = this.channelOf(member.eventId);
      await channel.ready;
      // The channel may have emptied and gone while this socket waited for it.
      if (this.channels.get(member.eventId) !== channel) continue;
      channel.members.add(member);
      break;
    }
    // Closed while it waited: its close came before it was in, so nothing else removes it.
    if (member.socket.readyState !== OPEN) return this.leave(member);
    // What the channel holds in memory needs no look at the database: the usual case after
    // a restart, when every page comes back within seconds from nearly the same seq.
    const bounds = channel.recent.has(since) ? null : await this.bounds(member.eventId);
    const kept = !bounds || bounds.firstSeq === null || since >= bounds.firstSeq - 1;
    if (bounds && (since > bounds.lastSeq || !kept)) {
      member.lastSent = bounds.lastSeq;
      this.sendText(
        member,
        JSON.stringify({ type: 'resync', eventId: member.eventId, seq: bounds.lastSeq }),
      );
    } else {
      member.lastSent = since;
      await this.replay(member, channel, since, channel.lastSeq);
    }
    const backlog = member.backlog ?? [];
    member.backlog = null;
    for (const item of backlog) this.deliver(member, item.seq, item.text);
  }

  leave(member: Member): void {
    const channel = this.channels.get(member.eventId);
    if (!channel) return;
    channel.members.delete(member);
    if (channel.members.size === 0) this.channels.delete(member.eventId);
  }

  /** Closes the sockets `ended` picks, e.g. those of a revoked invite. */
  endSessions(ended: (member: Member) => boolean, reason: string): void {
    for (const member of this.members()) {
      if (!ended(member)) continue;
      member.socket.close(CloseCode.sessionEnded, reason);
      this.leave(member);
    }
  }

  close(): void {
    this.closed = true;
    for (const member of this.members()) {
      member.socket.close(CloseCode.goingAway, 'server shutting down');
    }
    this.channels.clear();
  }

  private channelOf(eventId: string): Channel {
    let channel = this.channels.get(eventId);
    if (!channel) {
      const ready = this.bounds(eventId).then((bounds) => {
        created.recent = new RecentChanges(bounds.lastSeq, bounds.lastSeq, this.limits.recent);
      });
      const created = new Channel(eventId, ready);
      channel = created;
      this.channels.set(eventId, channel);
      ready.catch(() => this.channels.delete(eventId));
    }
    return channel;
  }

  private async bounds(eventId: string): Promise<{ lastSeq: number; firstSeq: number | null }> {
    const [event] = await this.db
      .select({ lastSeq: events.lastSeq })
      .from(events)
      .where(eq(events.id, eventId));
    const [first] = await this.db
      .select({ seq: min(changeRecords.seq) })
      .from(changeRecords)
      .where(eq(changeRecords.eventId, eventId));
    return { lastSeq: event?.lastSeq ?? 0, firstSeq: first?.seq ?? null };
  }

  private read(eventId: string, after: number, limit = PAGE): Promise<ChangeRow[]> {
    return this.db
      .select({
        eventId: changeRecords.eventId,
        seq: changeRecords.seq,
        type: changeRecords.type,
        contingentId: changeRecords.contingentId,
        coordinatorsOnly: changeRecords.coordinatorsOnly,
        payload: changeRecords.payload,
      })
      .from(changeRecords)
      .where(and(eq(changeRecords.eventId, eventId), gt(changeRecords.seq, after)))
      .orderBy(asc(changeRecords.seq))
      .limit(limit);
  }

  /**
   * Sends one socket what it missed, page by page, waiting for each page to drain: up to
   * `until`, the channel's last dispatched seq when the socket became a member, since what
   * the channel dispatches after that reaches the socket through its backlog.
   */
  private async replay(
    member: Member,
    channel: Channel,
    since: number,
    until: number,
  ): Promise<void> {
    for (let after = since; after < until && member.socket.readyState === OPEN;) {
      const page = await this.history(channel, after);
      if (page.length === 0) return;
      let flushed: Promise<void> = Promise.resolve();
      for (const record of page) {
        const text = textOf(record, member.keys);
        if (text === null || member.socket.readyState !== OPEN) continue;
        flushed = new Promise((resolve) => member.socket.send(text, () => resolve()));
        member.lastSent = record.row.seq;
      }
      await flushed;
      after = page.at(-1)!.row.seq;
    }
  }

  /** Up to a page of the records after `after`: from memory when there, else a shared read. */
  private history(channel: Channel, after: number): Promise<Prepared[]> {
    if (channel.recent.has(after)) return Promise.resolve(channel.recent.after(after, PAGE));
    let read = channel.reads.get(after);
    if (!read) {
      read = this.replayReads.run(() => this.readOlder(channel, after));
      channel.reads.set(after, read);
      const forget = () => channel.reads.delete(after);
      read.then(forget, forget);
    }
    return read;
  }

  /** Reads a page from the database, and keeps it in the window when it joins up. */
  private async readOlder(channel: Channel, after: number): Promise<Prepared[]> {
    const { recent } = channel;
    const rewrites = recent.rewrites;
    const records = (await this.read(channel.eventId, after)).map(prepare);
    recent.prepend(after, records, rewrites);
    return records;
  }

  /**
   * Reads the event's new records once and dispatches them, a page at a time; one pump per
   * event at a time. Between pages it yields, so sockets drain and requests are served.
   */
  private async pump(eventId: string, channel: Channel): Promise<void> {
    if (channel.running) {
      channel.again = true;
      return;
    }
    channel.running = true;
    try {
      await channel.ready;
      do {
        channel.again = false;
        let rows: ChangeRow[];
        do {
          rows = await this.read(eventId, channel.lastSeq, DISPATCH_PAGE);
          if (rows.length === 0) break;
          const records = rows.map(prepare);
          this.dispatch(channel, records);
          // In the same turn as the dispatch: a socket that joins later replays up to here.
          channel.recent.append(records);
          await new Promise((resolve) => setImmediate(resolve));
        } while (rows.length === DISPATCH_PAGE);
        // Writes keep coming: wait a moment, so the next read carries several of them and
        // each socket gets them in one write.
        if (channel.again) await new Promise((resolve) => setTimeout(resolve, COALESCE_MS));
      } while (channel.again && !this.closed);
    } catch (error) {
      // The database is away (restart, failover): the next poke or poll picks up from here.
      this.log.warn({ err: error, eventId }, 'live: reading changes failed');
    } finally {
      channel.running = false;
    }
  }

  private dispatch(channel: Channel, records: Prepared[]): void {
    for (const member of channel.members) {
      const out: { seq: number; text: string }[] = [];
      for (const record of records) {
        const text = textOf(record, member.keys);
        if (text !== null) out.push({ seq: record.row.seq, text });
      }
      if (out.length > 0) this.hand(member, out);
    }
    for (const { row } of records) this.afterDispatch(row);
  }

  /** Sends a socket its messages of one page in one write, or holds them while it replays. */
  private hand(member: Member, out: { seq: number; text: string }[]): void {
    if (member.backlog) {
      member.backlog.push(...out);
      if (member.backlog.length > this.limits.maxBacklog) this.cutOff(member);
      return;
    }
    // ws corks its TCP socket for each frame; corked around them all, the frames of a page
    // leave in one system call instead of one each.
    const tcp = (member.socket as { _socket?: { cork(): void; uncork(): void } })._socket;
    tcp?.cork();
    try {
      for (const { seq, text } of out) this.deliver(member, seq, text);
    } finally {
      tcp?.uncork();
    }
  }

  /** Records that end sessions close their sockets at once, on every instance. */
  private afterDispatch(row: ChangeRow): void {
    const payload = (row.payload ?? {}) as Record<string, unknown>;
    if (row.type === 'invite.revoked') {
      const inviteId = payload.inviteId;
      this.endSessions(
        (m) => m.eventId === row.eventId && m.session.inviteId === inviteId,
        'invite revoked',
      );
    } else if (row.type === 'contingent.deleted') {
      this.endSessions(
        (m) =>
          m.eventId === row.eventId &&
          m.actor.contingentId === row.contingentId &&
          m.keys !== 'coordinator',
        'contingent deleted',
      );
    }
  }

  private deliver(member: Member, seq: number, text: string): void {
    if (seq <= member.lastSent) return;
    member.lastSent = seq;
    this.sendText(member, text);
  }

  private sendText(member: Member, text: string): void {
    if (member.socket.readyState !== OPEN) return;
    if (member.socket.bufferedAmount > this.limits.maxBufferedBytes) {
      this.cutOff(member);
      return;
    }
    member.socket.send(text);
  }

  /** A reader too slow to keep up is closed rather than buffered without bound. */
  private cutOff(member: Member): void {
    member.socket.close(CloseCode.tooSlow, 'too slow: reconnect with since');
    member.backlog = null;
    this.leave(member);
  }
}
