// Races on the materials ledger, against real PostgreSQL only: PGlite runs one transaction
// at a time, so nothing here could race there. Requests go over real HTTP to a listening
// app, all in flight at once, through the real connection pool.
import { and, eq } from 'drizzle-orm';
import { beforeAll, describe, expect, it } from 'vitest';
import { materialMovements } from '../../drizzle/schema.ts';
import type { RecordedMovement } from '../../server/features/materials/schemas.ts';
import type { Session } from '../helpers/app.ts';
import { useTestApp } from '../helpers/app.ts';
import { adminUrl } from '../helpers/databases.ts';
import { type Problem, stockedMarch } from '../helpers/materials.ts';

interface Answer {
  status: number;
  replayed: boolean;
  body: unknown;
}

describe.runIf(adminUrl)('materials ledger under concurrency on postgres', () => {
  const t = useTestApp('postgres');
  let base = '';
  beforeAll(async () => {
    base = await t().app.listen({ port: 0, host: '127.0.0.1' });
  });

  /** The stocked march, and movements recorded over HTTP. */
  async function march() {
    const m = await stockedMarch(t());
    const move = async (as: Session, body: object, key?: string): Promise<Answer> => {
      const res = await fetch(`${base}${m.path}/movements`, {
        method: 'POST',
        headers: {
          ...as.headers,
          'content-type': 'application/json',
          ...(key ? { 'idempotency-key': key } : {}),
        },
        body: JSON.stringify({ materialId: m.paper.id, ...body }),
      });
      return {
        status: res.status,
        replayed: res.headers.get('idempotent-replayed') === 'true',
        body: await res.json(),
      };
    };
    const count = async (kind: 'distributed' | 'reversal' | 'transferred') =>
      (
        await t()
          .app.db.select({ id: materialMovements.id })
          .from(materialMovements)
          .where(and(eq(materialMovements.eventId, m.event.id), eq(materialMovements.kind, kind)))
      ).length;
    return { ...m, httpMove: move, count };
  }

  const statusesOf = (answers: Answer[]) =>
    answers.reduce<Record<number, number>>(
      (counts, a) => ({ ...counts, [a.status]: (counts[a.status] ?? 0) + 1 }),
      {},
    );

  describe('POST /api/events/:eventId/movements', () => {
    it('hands out exactly the 1,000 copies there are to 200 simultaneous "10 handed out"', async () => {
      const m = await march();
      await m.record(m.admin, {
        kind: 'allocated',
        quantity: 700,
        fromDepotId: m.depot.id,
        toContingentId: m.a.id,
      });
      const A = `contingent:${m.a.id}`;
      expect(await m.balance(A)).toBe(1000);

      const answers = await Promise.all(
        Array.from({ length: 200 }, (_, i) =>
          m.httpMove(
            m.leaderA,
            { kind: 'distributed', quantity: 10, fromContingentId: m.a.id },
            i % 2 === 0 ? `hand-out-${i}-${m.event.id}` : undefined,
          ),
        ),
      );

      expect(statusesOf(answers)).toEqual({ 201: 100, 409: 100 });
      // Each success left a different balance: 990, 980, … 0.
      const left = answers
        .filter((a) => a.status === 201)
        .map((a) => (a.body as RecordedMovement).balances[0]!.quantity);
      expect(left.sort((x, y) => y - x)).toEqual(
        Array.from({ length: 100 }, (_, i) => 990 - 10 * i),
      );
      for (const refused of answers.filter((a) => a.status === 409)) {
        expect(refused.body as Problem).toMatchObject({
          reason: 'insufficient_stock',
          params: { available: 0, requested: 10, holder: 'A' },
        });
      }
      expect(await m.balance(A)).toBe(0);
      expect(await m.balance('public')).toBe(1000);
      expect(await m.count('distributed')).toBe(100);
      const [paper] = (await m.stock(m.admin)).materials;
      expect(paper!.totals).toEqual({ received: 1000, onHand: 0, handedOut: 1000, lost: 0 });
    });

    it('counts 50 simultaneous retries of one "+50" with one Idempotency-Key once', async () => {
      const m = await march();
      const key = `plus-fifty-${m.event.id}`;
      const body = { kind: 'distributed', quantity: 50, fromContingentId: m.a.id };

      const answers = await Promise.all(
        Array.from({ length: 50 }, () => m.httpMove(m.leaderA, body, key)),
      );

      expect(statusesOf(answers)).toEqual({ 201: 50 });
      expect(answers.filter((a) => !a.replayed)).toHaveLength(1);
      for (const answer of answers) expect(answer.body).toEqual(answers[0]!.body);
      expect(await m.balance(`contingent:${m.a.id}`)).toBe(250);
      expect(await m.count('distributed')).toBe(1);
    });

    it('reverses a movement once when 20 reversals of it arrive at once', async () => {
      const m = await march();
      const handed = await m.record(m.leaderA, {
        kind: 'distributed',
        quantity: 40,
        fromContingentId: m.a.id,
      });

      const answers = await Promise.all(
        Array.from({ length: 20 }, (_, i) =>
          m.httpMove(i % 2 ? m.admin : m.leaderA, {
            kind: 'reversal',
            reverses: handed.movement.id,
          }),
        ),
      );

      expect(statusesOf(answers)).toEqual({ 201: 1, 409: 19 });
      for (const refused of answers.filter((a) => a.status === 409)) {
        expect((refused.body as Problem).reason).toBe('already_reversed');
      }
      expect(await m.balance(`contingent:${m.a.id}`)).toBe(300);
      expect(await m.balance('public')).toBe(0);
      expect(await m.count('reversal')).toBe(1);
    });

    it(
      'settles simultaneous transfers A → B and B → A without a deadlock ending in a 500',
      // Taken in opposite orders, the two balances deadlock again and again: minutes, then 500s.
      { timeout: 30_000 },
      async () => {
        const m = await march();
        await m.record(m.admin, {
          kind: 'allocated',
          quantity: 300,
          fromDepotId: m.depot.id,
          toContingentId: m.b.id,
        });
        const transfer = (as: Session, from: string, to: string) =>
          m.httpMove(as, {
            kind: 'transferred',
            quantity: 7,
            fromContingentId: from,
            toContingentId: to,
          });

        const answers = await Promise.all(
          Array.from({ length: 40 }, (_, i) =>
            i % 2 === 0 ? transfer(m.leaderA, m.a.id, m.b.id) : transfer(m.leaderB, m.b.id, m.a.id),
          ),
        );

        const statuses = statusesOf(answers);
        expect(Object.keys(statuses).filter((s) => s !== '201' && s !== '409')).toEqual([]);
        expect(statuses[201]).toBe(40);
        const [a, b] = [
          await m.balance(`contingent:${m.a.id}`),
          await m.balance(`contingent:${m.b.id}`),
        ];
        expect(a + b).toBe(600);
        expect(a).toBe(300);
        expect(await m.count('transferred')).toBe(40);
      },
    );
  });

  describe('POST /api/events/:eventId/material-requests/:requestId/decision', () => {
    it('fulfils a request once when ten decisions on it arrive at once', async () => {
      const m = await march();
      const request = await t().send<{ id: string }>(
        m.leaderA,
        'POST',
        `${m.path}/material-requests`,
        { materialId: m.paper.id, contingentId: m.a.id, quantity: 100 },
      );
      const answers = await Promise.all(
        Array.from({ length: 10 }, async (): Promise<Answer> => {
          const res = await fetch(`${base}${m.path}/material-requests/${request.id}/decision`, {
            method: 'POST',
            headers: { ...m.admin.headers, 'content-type': 'application/json' },
            body: JSON.stringify({ decision: 'fulfil', fromDepotId: m.depot.id }),
          });
          return { status: res.status, replayed: false, body: await res.json() };
        }),
      );

      expect(statusesOf(answers)).toEqual({ 200: 1, 409: 9 });
      for (const refused of answers.filter((a) => a.status === 409)) {
        expect(refused.body as Problem).toMatchObject({
          reason: 'request_decided',
          params: { status: 'fulfilled' },
        });
      }
      expect(await m.balance(`depot:${m.depot.id}`)).toBe(600);
      expect(await m.balance(`contingent:${m.a.id}`)).toBe(400);
    });
  });

  describe('DELETE /api/events/:eventId/contingents/:contingentId', () => {
    it('never deletes a contingent while stock is being allocated to it', async () => {
      for (let round = 0; round < 10; round++) {
        const m = await march();
        const fresh = await t().newContingent(m.admin, m.event.id, { name: `C${round}` });
        const [allocated, deleted] = await Promise.all([
          m.httpMove(m.admin, {
            kind: 'allocated',
            quantity: 5,
            fromDepotId: m.depot.id,
            toContingentId: fresh.id,
          }),
          fetch(`${base}${m.path}/contingents/${fresh.id}`, {
            method: 'DELETE',
            headers: m.admin.headers,
          }),
        ]);
        // Either the stock arrived first and the contingent stays (409 holds_stock), or the
        // contingent went first and the allocation finds it gone (400): never both.
        const outcome = `${allocated.status} ${deleted.status}`;
        expect(['201 409', '400 204']).toContain(outcome);
        const held = await m.balance(`contingent:${fresh.id}`);
        expect(held).toBe(allocated.status === 201 ? 5 : 0);
      }
    });
  });
});
