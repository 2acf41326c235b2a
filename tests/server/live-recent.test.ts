// The window of an event's latest change records that pages resuming after a restart replay
// from: it must hold exactly the records between its bounds, and read like the database.
import { describe, expect, it } from 'vitest';
import type { ChangeRow } from '../../server/live/audience.ts';
import { prepare, RecentChanges, textOf } from '../../server/live/recent.ts';

const EVENT = '00000000-0000-4000-8000-000000000001';
const A = '00000000-0000-4000-8000-00000000000a';
const LEADER_OF_A = new Set(['all', 'leaders', `c:${A}`, `l:${A}`, 'p:x']);
const MEMBER_OF_A = new Set(['all', `c:${A}`, 'p:y']);

function announcement(seq: number): ChangeRow {
  const announcement = { id: `a${seq}`, target: 'event', contingentId: null, body: `News ${seq}` };
  return {
    eventId: EVENT,
    seq,
    type: 'announcement.created',
    contingentId: null,
    coordinatorsOnly: false,
    payload: { announcement, recipientIds: [] },
  };
}

function position(seq: number, lat: number): ChangeRow {
  const position = {
    contingentId: A,
    position: { lat, lng: -118.25 },
    accuracy: 10,
    recordedAt: '2027-05-01T17:00:00.000Z',
    receivedAt: '2027-05-01T17:00:01.000Z',
    coarse: false,
  };
  return {
    eventId: EVENT,
    seq,
    type: 'contingent.position',
    contingentId: A,
    coordinatorsOnly: false,
    payload: { position, membersSee: false },
  };
}

const seqs = (window: RecentChanges, after: number, limit = 100) =>
  window.after(after, limit).map((r) => r.row.seq);
const records = (from: number, to: number) =>
  Array.from({ length: to - from + 1 }, (_, i) => prepare(announcement(from + i)));

describe('RecentChanges', () => {
  it('holds what was appended after its start, and pages through it', () => {
    const window = new RecentChanges(10, 10, { rows: 100, bytes: 1 << 20 });
    window.append(records(11, 20));
    expect([window.from, window.to]).toEqual([10, 20]);
    expect(window.has(9)).toBe(false);
    expect(window.has(10) && window.has(15) && window.has(20)).toBe(true);
    expect(window.has(21)).toBe(false);
    expect(seqs(window, 10, 3)).toEqual([11, 12, 13]);
    expect(seqs(window, 17)).toEqual([18, 19, 20]);
    expect(seqs(window, 20)).toEqual([]);
  });

  it('lets the oldest go beyond its limits of rows and bytes', () => {
    const byRows = new RecentChanges(0, 0, { rows: 5, bytes: 1 << 20 });
    byRows.append(records(1, 8));
    expect([byRows.from, byRows.to]).toEqual([3, 8]);
    expect(seqs(byRows, 3)).toEqual([4, 5, 6, 7, 8]);

    const one = prepare(announcement(1)).bytes;
    const byBytes = new RecentChanges(0, 0, { rows: 100, bytes: 3 * one });
    byBytes.append(records(1, 8));
    expect([byBytes.from, byBytes.to]).toEqual([5, 8]);
  });

  it('takes older records read from the database only when they join up with it', () => {
    const window = new RecentChanges(20, 20, { rows: 100, bytes: 1 << 20 });
    window.append(records(21, 25));
    window.prepend(5, records(6, 15), window.rewrites);
    expect(window.from).toBe(20);
    window.prepend(12, records(13, 23), window.rewrites);
    expect([window.from, window.to]).toEqual([12, 25]);
    expect(seqs(window, 12)).toEqual([13, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23, 24, 25]);
  });

  it('redacts a replaced position and applies a change of sharing, as the database does', () => {
    const window = new RecentChanges(0, 0, { rows: 100, bytes: 1 << 20 });
    window.append([prepare(position(1, 34.05))]);
    expect(textOf(window.after(0, 1)[0]!, LEADER_OF_A)).toContain('34.05');
    expect(textOf(window.after(0, 1)[0]!, MEMBER_OF_A)).toBeNull();

    const sharing = { ...announcement(2), type: 'event.updated' };
    sharing.payload = {
      eventId: EVENT,
      fields: ['shareContingentPositions'],
      values: { shareContingentPositions: true },
    };
    window.append([prepare(sharing)]);
    expect(textOf(window.after(0, 1)[0]!, MEMBER_OF_A)).toContain('"coarse":true');

    const before = window.rewrites;
    window.append([prepare(position(3, 34.06))]);
    expect(window.rewrites).toBe(before + 1);
    const [first, , third] = window.after(0, 3);
    expect(first!.row.payload).toEqual({ contingentId: A, superseded: true });
    expect(textOf(first!, 'coordinator')).toBeNull();
    expect(textOf(third!, 'coordinator')).toContain('34.06');
  });

  it('refuses records read before a rewrite of one of them arrived', () => {
    const window = new RecentChanges(2, 2, { rows: 100, bytes: 1 << 20 });
    const readAt = window.rewrites;
    const stale = [prepare(position(1, 34.05)), prepare(announcement(2))];
    window.append([prepare(position(3, 34.06))]);
    window.prepend(0, stale, readAt);
    expect(window.from).toBe(2);

    // A report of another contingent rewrote none of them.
    const other = { ...position(4, 34.07), contingentId: 'another' };
    const readLater = window.rewrites;
    window.append([prepare(other)]);
    const redacted = { ...position(1, 34.05), payload: { contingentId: A, superseded: true } };
    window.prepend(0, [prepare(redacted), prepare(announcement(2))], readLater);
    expect([window.from, window.to]).toEqual([0, 4]);
  });
});
