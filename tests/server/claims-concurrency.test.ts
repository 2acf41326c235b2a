// Races on role claims, against real PostgreSQL only: PGlite runs one transaction at a
// time, so nothing here could race there. Every request goes through app.inject and the
// real connection pool, all in flight at once.
import { and, asc, eq, inArray } from 'drizzle-orm';
import type { LightMyRequestResponse } from 'fastify';
import { describe, expect, it } from 'vitest';
import { changeRecords, roleClaims, roleSlots, roleWaitlist } from '../../drizzle/schema.ts';
import type { Claim, RoleSlot } from '../../server/features/roles/schemas.ts';
import { type Session, type TestApp, useTestApp } from '../helpers/app.ts';
import { adminUrl } from '../helpers/databases.ts';

describe.runIf(adminUrl)('claims under concurrency on postgres', () => {
  const t = useTestApp('postgres');

  /** An event, a coordinator (the administrator) and helpers to act on its role slots. */
  async function march() {
    const app = t();
    const admin = await app.administrator();
    const event = await app.newEvent(admin);
    const base = `/api/events/${event.id}/role-slots`;
    return {
      app,
      event,
      newSlot: (name: string, capacity: number) =>
        app.send<RoleSlot>(admin, 'POST', base, { name, capacity }),
      /** `n` volunteers who joined through one shared invite link. */
      volunteers: (n: number) => volunteers(app, admin, event.id, n),
      claim: (as: Session, slotId: string, key?: string) =>
        app.inject({
          method: 'POST',
          url: `${base}/${slotId}/claims`,
          headers: { ...as.headers, ...(key ? { 'idempotency-key': key } : {}) },
        }),
      release: (as: Session, slotId: string, claimId: string) =>
        app.inject({
          method: 'DELETE',
          url: `${base}/${slotId}/claims/${claimId}`,
          headers: as.headers,
        }),
      wait: (as: Session, slotId: string) =>
        app.inject({ method: 'POST', url: `${base}/${slotId}/waitlist`, headers: as.headers }),
      leave: (as: Session, slotId: string) =>
        app.inject({ method: 'DELETE', url: `${base}/${slotId}/waitlist`, headers: as.headers }),
      mySlot: async (as: Session, slotId: string) => {
        const slots = await app.send<RoleSlot[]>(as, 'GET', base);
        return slots.find((s) => s.id === slotId)!;
      },
    };
  }

  async function volunteers(app: TestApp, admin: Session, eventId: string, n: number) {
    const { token } = await app.send<{ token: string }>(
      admin,
      'POST',
      `/api/events/${eventId}/invites`,
      { role: 'volunteer', label: 'Union hall' },
    );
    return Promise.all(Array.from({ length: n }, (_, i) => app.join(token, `Volunteer ${i}`)));
  }

  /** What the database holds for these slots, read after the storm has passed. */
  async function stored(app: TestApp, slotIds: string[]) {
    const db = app.app.db;
    const slots = await db.select().from(roleSlots).where(inArray(roleSlots.id, slotIds));
    const claims = await db.select().from(roleClaims).where(inArray(roleClaims.slotId, slotIds));
    const waiting = await db
      .select()
      .from(roleWaitlist)
      .where(inArray(roleWaitlist.slotId, slotIds));
    return { slots, claims, waiting };
  }

  /** filled = claims and within capacity for each slot; nobody twice in one slot. */
  function expectConsistent({ slots, claims }: Awaited<ReturnType<typeof stored>>) {
    for (const slot of slots) {
      const held = claims.filter((c) => c.slotId === slot.id);
      expect(slot.filled, slot.name).toBe(held.length);
      expect(slot.filled, slot.name).toBeLessThanOrEqual(slot.capacity);
    }
    const pairs = claims.map((c) => `${c.slotId}/${c.personId}`);
    expect(new Set(pairs).size).toBe(pairs.length);
  }

  function expectFull(res: LightMyRequestResponse) {
    expect(res.statusCode).toBe(409);
    expect(res.headers['content-type']).toContain('application/problem+json');
    expect(res.json<{ detail: string }>().detail).toMatch(/is full/);
  }

  describe('POST /api/events/:eventId/role-slots/:slotId/claims', () => {
    // 500 joins and 500–1,000 requests at once: a few seconds, more on a busy CI machine.
    const crowd = { timeout: 60_000 };

    it(
      'gives 500 simultaneous claimers exactly the 50 places of 10 slots, and refuses the rest as full',
      crowd,
      async () => {
        const { app, newSlot, volunteers, claim } = await march();
        const slots = await Promise.all(
          Array.from({ length: 10 }, (_, i) => newSlot(`Marshal ${i}`, 5)),
        );
        const people = await volunteers(500);

        const responses = await Promise.all(
          people.map((person, i) => claim(person, slots[i % 10]!.id)),
        );

        const won = responses.filter((r) => r.statusCode === 201);
        expect(won).toHaveLength(50);
        responses.filter((r) => r.statusCode !== 201).forEach(expectFull);
        const ids = won.map((r) => r.json<Claim>().id);
        expect(new Set(ids).size).toBe(50);
        const db = await stored(
          app,
          slots.map((s) => s.id),
        );
        expectConsistent(db);
        expect(db.slots.map((s) => s.filled)).toEqual(Array(10).fill(5));
        expect(db.claims.map((c) => c.id).sort()).toEqual([...ids].sort());
      },
    );

    it(
      'claims once per Idempotency-Key when each of 500 claims is sent twice at once',
      crowd,
      async () => {
        const { app, newSlot, volunteers, claim } = await march();
        const slots = await Promise.all(
          Array.from({ length: 10 }, (_, i) => newSlot(`Medic ${i}`, 5)),
        );
        const people = await volunteers(500);

        const pairs = await Promise.all(
          people.map((person, i) => {
            const slotId = slots[i % 10]!.id;
            const key = `claim-${person.person.id}-${slotId}`;
            return Promise.all([claim(person, slotId, key), claim(person, slotId, key)]);
          }),
        );

        const won = pairs.filter((pair) => pair.some((r) => r.statusCode === 201));
        expect(won).toHaveLength(50);
        for (const [first, second] of won) {
          expect([first!.statusCode, second!.statusCode]).toEqual([201, 201]);
          expect(first!.json<Claim>().id).toBe(second!.json<Claim>().id);
          const replays = [first!, second!].filter((r) => r.headers['idempotent-replayed']);
          expect(replays.length).toBeLessThanOrEqual(1);
          replays.forEach((r) => expect(r.headers['idempotent-replayed']).toBe('true'));
        }
        pairs.filter((pair) => !won.includes(pair)).forEach((pair) => pair.forEach(expectFull));
        const db = await stored(
          app,
          slots.map((s) => s.id),
        );
        expectConsistent(db);
        expect(db.claims).toHaveLength(50);
        expect(db.claims.map((c) => c.id).sort()).toEqual(
          won.map(([first]) => first!.json<Claim>().id).sort(),
        );
      },
    );

    it('takes every claim one person sends at once with keys, as a phone retrying its queue after a restart does', async () => {
      const { app, newSlot, volunteers, claim } = await march();
      const slots = await Promise.all(
        Array.from({ length: 10 }, (_, i) => newSlot(`Steward ${i}`, 5)),
      );
      const people = await volunteers(5);

      // Each key's row refers to the person, so every claim takes a key-share lock on them
      // first: all ten then queue for the person's row lock, and none may deadlock.
      const responses = await Promise.all(
        people.flatMap((person) =>
          slots.map((slot) => claim(person, slot.id, `queued-${person.person.id}-${slot.id}`)),
        ),
      );

      expect(responses.map((r) => r.statusCode)).toEqual(Array(50).fill(201));
      const db = await stored(
        app,
        slots.map((s) => s.id),
      );
      expectConsistent(db);
      expect(db.slots.map((s) => s.filled)).toEqual(Array(10).fill(5));
    });
  });

  describe('DELETE /api/events/:eventId/role-slots/:slotId/claims/:claimId', () => {
    it('gives five places released at once to the first five waiting, one each, in order', async () => {
      const { app, event, newSlot, volunteers, claim, release, wait } = await march();
      const slot = await newSlot('Banner carrier', 5);
      const [holders, waiting] = await volunteers(15).then((p) => [p.slice(0, 5), p.slice(5)]);
      const claims = await Promise.all(holders!.map((h) => claim(h, slot.id)));
      // One at a time, so the waitlist order is the order of this list.
      for (const [i, person] of waiting!.entries()) {
        expect((await wait(person, slot.id)).json()).toMatchObject({ place: i + 1 });
      }

      const released = await Promise.all(
        holders!.map((h, i) => release(h, slot.id, claims[i]!.json<Claim>().id)),
      );

      expect(released.map((r) => r.statusCode)).toEqual(Array(5).fill(200));
      const promoted = released.map((r) => r.json<{ promoted: Claim | null }>().promoted);
      const firstFive = waiting!.slice(0, 5).map((p) => p.person.id);
      expect(promoted.map((c) => c?.personId).sort()).toEqual([...firstFive].sort());
      // In commit order, each release promoted whoever was first in line at that moment.
      const promotions = await app.app.db
        .select({ payload: changeRecords.payload })
        .from(changeRecords)
        .where(and(eq(changeRecords.eventId, event.id), eq(changeRecords.type, 'claim.promoted')))
        .orderBy(asc(changeRecords.seq));
      expect(promotions.map((r) => (r.payload as { claim: Claim }).claim.personId)).toEqual(
        firstFive,
      );
      const db = await stored(app, [slot.id]);
      expectConsistent(db);
      expect(db.slots[0]!.filled).toBe(5);
      expect(db.claims.map((c) => c.personId).sort()).toEqual([...firstFive].sort());
      expect(db.claims.map((c) => c.id).sort()).toEqual(promoted.map((c) => c!.id).sort());
      expect(db.waiting.map((w) => w.personId).sort()).toEqual(
        waiting!
          .slice(5)
          .map((p) => p.person.id)
          .sort(),
      );
    });

    it(
      'promotes someone while they claim another role at that moment, without a deadlock',
      { timeout: 60_000 },
      async () => {
        const { newSlot, volunteers, claim, release, wait } = await march();
        const statuses: number[] = [];
        const promoted: unknown[] = [];
        const firstInLine: string[] = [];
        // Both lock the waiting person and the event row; taken in opposite orders they
        // deadlock, which stalls both for a second and can end in a 500. Ten pairs fit the
        // pool of 20 connections, so each pair really overlaps; the first bad round ends it.
        for (let round = 0; round < 10; round++) {
          const people = await volunteers(20);
          const [holders, waiting] = [people.slice(0, 10), people.slice(10)];
          const slots = (name: string, capacity: number) =>
            Promise.all(holders.map((_, i) => newSlot(`${name} ${round}.${i}`, capacity)));
          const [banners, signs] = [await slots('Banner', 1), await slots('Sign', 5)];
          const claims = await Promise.all(holders.map((h, i) => claim(h, banners[i]!.id)));
          await Promise.all(waiting.map((w, i) => wait(w, banners[i]!.id)));

          const replies = await Promise.all(
            holders.flatMap((holder, i) => [
              release(holder, banners[i]!.id, claims[i]!.json<Claim>().id),
              claim(waiting[i]!, signs[i]!.id),
            ]),
          );

          statuses.push(...replies.map((r) => r.statusCode));
          const releases = replies.filter((_, j) => j % 2 === 0 && replies[j]!.statusCode === 200);
          promoted.push(...releases.map((r) => r.json<{ promoted: Claim }>().promoted?.personId));
          firstInLine.push(...waiting.map((w) => w.person.id));
          if (releases.length < holders.length) break;
        }
        expect(statuses.filter((s) => s !== 200 && s !== 201)).toEqual([]);
        expect(statuses.filter((s) => s === 201)).toHaveLength(100);
        expect(promoted).toEqual(firstInLine);
      },
    );
  });

  describe('claims, releases, waitlist joins and leaves on one slot at once', () => {
    it('keeps filled equal to the claims, within capacity, and nobody both holding and waiting', async () => {
      const { app, newSlot, volunteers, claim, release, wait, leave, mySlot } = await march();
      const slot = await newSlot('Safety', 5);
      const people = await volunteers(20);
      const random = seeded(20270501);
      const statuses: Record<'claim' | 'release' | 'wait' | 'leave', number[]> = {
        claim: [],
        release: [],
        wait: [],
        leave: [],
      };
      let promotions = 0;

      /** One step of a person, chosen by where they stand: holding, waiting or neither. */
      async function step(person: Session) {
        const mine = await mySlot(person, slot.id);
        const roll = random();
        const holding = mine.holders[0];
        if (holding && roll < 0.8) {
          const res = await release(person, slot.id, holding.claimId);
          statuses.release.push(res.statusCode);
          if (res.json<{ promoted: Claim | null }>().promoted) promotions++;
        } else if (mine.myWaitlistPlace !== null && roll < 0.5) {
          statuses.leave.push((await leave(person, slot.id)).statusCode);
        } else if (roll < 0.5) {
          statuses.claim.push((await claim(person, slot.id)).statusCode);
        } else {
          statuses.wait.push((await wait(person, slot.id)).statusCode);
        }
      }
      /** All 20 at once, each one step at a time: 300 writes (and as many reads). */
      async function act(person: Session) {
        for (let i = 0; i < 15; i++) await step(person);
      }
      await Promise.all(people.map(act));

      // 409: full, has free places, or already held; a leave is 404 when the person was
      // promoted between looking and leaving. Never a 5xx.
      expect(statuses.claim.filter((s) => s !== 201 && s !== 409)).toEqual([]);
      expect(statuses.wait.filter((s) => s !== 201 && s !== 409)).toEqual([]);
      expect(statuses.release.filter((s) => s !== 200)).toEqual([]);
      expect(statuses.leave.filter((s) => s !== 204 && s !== 404)).toEqual([]);
      // The storm did churn: places were freed and taken again, by claims and promotions.
      const taken = statuses.claim.filter((s) => s === 201).length + promotions;
      expect(taken).toBeGreaterThan(slot.capacity);
      expect(promotions).toBeGreaterThan(0);
      expect(statuses.wait).toContain(201);
      const db = await stored(app, [slot.id]);
      expectConsistent(db);
      const holding = new Set(db.claims.map((c) => c.personId));
      expect(db.waiting.filter((w) => holding.has(w.personId))).toEqual([]);
      // A freed place goes to the first waiting at once, so nobody waits beside a free place.
      if (db.waiting.length > 0) expect(db.slots[0]!.filled).toBe(slot.capacity);
    });
  });
});

/** A seeded generator (mulberry32): each run draws the same mix of operations. */
function seeded(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let x = Math.imul(a ^ (a >>> 15), 1 | a);
    x = (x + Math.imul(x ^ (x >>> 7), 61 | x)) ^ x;
    return ((x ^ (x >>> 14)) >>> 0) / 4294967296;
  };
}
