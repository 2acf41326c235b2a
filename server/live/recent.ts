// The latest change records of one event, kept in memory by its channel with their audience
// and texts. After a restart every open page reconnects within seconds, nearly all with the
// same few `since`: replaying each from this window, rather than from one database read
// per socket, turns 2,000 reads and 2,000 serializations of each record into one.
import {
  type Audience,
  audienceOf,
  type ChangeRow,
  type Delivery,
  deliveryFor,
  type Keys,
} from './audience.ts';

/** A change record with its audience, and its text per delivery once a socket needed it. */
export interface Prepared {
  row: ChangeRow;
  audience: Audience;
  texts: Map<'coordinator' | Delivery, string | null>;
  /** Roughly what it holds in memory, texts included. */
  bytes: number;
}

export function prepare(row: ChangeRow): Prepared {
  const audience = audienceOf(row);
  // Each delivery may get a text of about the payload's size besides the coordinators'.
  const payload = JSON.stringify(row.payload ?? null).length + 200;
  return { row, audience, texts: new Map(), bytes: payload * (2 + audience.others.length) };
}

function message(row: ChangeRow, type: string, data: unknown): string {
  return JSON.stringify({ seq: row.seq, type, eventId: row.eventId, data });
}

/** The text of a record for a socket with `keys`, or null when it is not in its audience. */
export function textOf(prepared: Prepared, keys: Keys | 'coordinator'): string | null {
  const { row, audience, texts } = prepared;
  const choice = keys === 'coordinator' ? 'coordinator' : (deliveryFor(audience, keys) ?? null);
  if (choice === null) return null;
  let text = texts.get(choice);
  if (text === undefined) {
    if (choice === 'coordinator') {
      text =
        audience.coordinators === 'skip'
          ? null
          : message(row, row.type, audience.coordinators.data);
    } else {
      text = message(row, choice.type ?? row.type, choice.data);
    }
    // Serialized once per delivery: every socket of the same audience shares the text.
    texts.set(choice, text);
  }
  return text;
}

type Payload = Record<string, unknown>;
const payloadOf = (row: ChangeRow) => (row.payload ?? {}) as Payload;
const isKeptPosition = (row: ChangeRow) =>
  row.type === 'contingent.position' && 'position' in payloadOf(row);
const sharingOf = (row: ChangeRow) =>
  row.type === 'event.updated'
    ? (payloadOf(row).values as Payload | undefined)?.shareContingentPositions
    : undefined;

/**
 * Two writes rewrite earlier change records in their transaction: a position report redacts
 * the report it replaces (reportPosition), and a change of the event's position sharing
 * applies to every report kept (updateEvent). Their own record says so, and the window
 * rewrites its copies alike, so that a replay from memory gives what one from the database
 * would.
 */
function rewrites(row: ChangeRow): boolean {
  return isKeptPosition(row) || typeof sharingOf(row) === 'boolean';
}

/** Whether `rewriting`, had it come first, would have changed one of `records`. */
function affects(rewriting: ChangeRow, records: Prepared[]): boolean {
  const positions = records.filter((r) => isKeptPosition(r.row));
  if (!isKeptPosition(rewriting)) return positions.length > 0;
  return positions.some((r) => r.row.contingentId === rewriting.contingentId);
}

function applyRewrite(items: Prepared[], rewriting: ChangeRow): void {
  const share = sharingOf(rewriting);
  if (typeof share === 'boolean') {
    items.forEach((item, i) => {
      if (!isKeptPosition(item.row)) return;
      const payload = { ...payloadOf(item.row), membersSee: share };
      items[i] = prepare({ ...item.row, payload });
    });
    return;
  }
  // The report it replaces is the contingent's latest kept one before it.
  for (let i = items.length - 1; i >= 0; i--) {
    const earlier = items[i]!.row;
    if (earlier.contingentId !== rewriting.contingentId || !isKeptPosition(earlier)) continue;
    items[i] = prepare({
      ...earlier,
      payload: { contingentId: earlier.contingentId, superseded: true },
    });
    return;
  }
}

export interface RecentLimits {
  rows: number;
  bytes: number;
}

/** Rewriting records remembered, for reads of older records still under way. */
const REWRITES_KEPT = 1_000;

/**
 * Every change record of one event with `from < seq <= to`, in order. The channel appends
 * what it dispatches; a replay that read older records from the database adds them in front
 * when they join up, so the next socket resuming from there needs no read. Oldest first out
 * beyond the limits.
 */
export class RecentChanges {
  private items: Prepared[] = [];
  private bytes = 0;
  /** The latest records that rewrote earlier ones, and how many ever came. */
  private rewriting: ChangeRow[] = [];
  rewrites = 0;

  constructor(
    public from: number,
    public to: number,
    private readonly limits: RecentLimits,
  ) {}

  /** Whether the records after `after` (up to `to`) are all here. */
  has(after: number): boolean {
    return after >= this.from && after <= this.to;
  }

  /** The records after `after`, at most `limit`; `has(after)` must hold. */
  after(after: number, limit: number): Prepared[] {
    let low = 0;
    let high = this.items.length;
    while (low < high) {
      const mid = (low + high) >> 1;
      if (this.items[mid]!.row.seq <= after) low = mid + 1;
      else high = mid;
    }
    return this.items.slice(low, low + limit);
  }

  /** Records just dispatched, every one after `to`. */
  append(records: Prepared[]): void {
    for (const record of records) {
      if (rewrites(record.row)) this.rewrote(record.row);
      this.items.push(record);
      this.bytes += record.bytes;
      this.to = record.row.seq;
    }
    let drop = 0;
    while (drop < this.items.length && this.over(drop)) {
      this.bytes -= this.items[drop]!.bytes;
      drop++;
    }
    if (drop === 0) return;
    this.from = this.items[drop - 1]!.row.seq;
    this.items = this.items.slice(drop);
  }

  /**
   * Records read from the database: every one after `after`, in order, up to their last.
   * Kept when they reach this window (so nothing between is missing), fit in its limits, and
   * no record that arrived since the read began (`rewrites` counted then) rewrote one of them.
   */
  prepend(after: number, records: Prepared[], rewrites: number): void {
    const last = records.at(-1)?.row.seq ?? after;
    if (after >= this.from || last < this.from) return;
    const older = records.filter((r) => r.row.seq <= this.from);
    const arrived = this.rewrites - rewrites;
    if (arrived > this.rewriting.length) return;
    if (this.rewriting.slice(this.rewriting.length - arrived).some((r) => affects(r, older)))
      return;
    const bytes = older.reduce((sum, r) => sum + r.bytes, 0);
    if (this.items.length + older.length > this.limits.rows) return;
    if (this.bytes + bytes > this.limits.bytes) return;
    this.items = [...older, ...this.items];
    this.bytes += bytes;
    this.from = after;
  }

  private rewrote(row: ChangeRow): void {
    applyRewrite(this.items, row);
    this.rewriting.push(row);
    if (this.rewriting.length > REWRITES_KEPT) this.rewriting.shift();
    this.rewrites++;
  }

  private over(dropped: number): boolean {
    const rows = this.items.length - dropped;
    return rows > this.limits.rows || (rows > 0 && this.bytes > this.limits.bytes);
  }
}
