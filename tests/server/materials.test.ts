// The materials ledger through the API on a fresh database: materials, depots, movements,
// balances derived from the ledger, reversals, requests, levels and alerts, CSV, and who
// hears of each change on the live socket.
import { beforeAll, describe, expect, it } from 'vitest';
import type { EventPlan } from '../../server/features/events/schemas.ts';
import type {
  HolderRef,
  MaterialLevel,
  MaterialRequest,
  MaterialRequestDecision,
  Movement,
  MovementPage,
  RecordedMovement,
  Stock,
} from '../../server/features/materials/schemas.ts';
import { type Session, useTestApp } from '../helpers/app.ts';
import { databaseKinds } from '../helpers/databases.ts';
import { LiveClient, type LiveMessage } from '../helpers/live.ts';
import {
  contingentRef,
  depotRef,
  fieldsOf,
  LOST_REF,
  newDepot,
  newMaterial,
  type Problem,
  PUBLIC_REF,
  type StockedMarch,
  stockedMarch,
  SUPPLIER_REF,
} from '../helpers/materials.ts';

type Who = 'admin' | 'leaderA' | 'volunteerA' | 'leaderB';

describe.each(databaseKinds)('materials ledger on %s', (kind) => {
  const t = useTestApp(kind);
  const stocked = () => stockedMarch(t());

  describe('POST /api/events/:eventId/movements', () => {
    // From the stocked march: Union hall 700, A 300, Church basement and B empty.
    const cases: {
      name: string;
      as: Who;
      body: (m: StockedMarch) => object;
      from: (m: StockedMarch) => HolderRef;
      to: (m: StockedMarch) => HolderRef;
      balances: (m: StockedMarch) => { holder: HolderRef; quantity: number }[];
    }[] = [
      {
        name: 'received from the supplier into a depot',
        as: 'admin',
        body: (m) => ({ kind: 'received', quantity: 100, toDepotId: m.depot2.id }),
        from: () => SUPPLIER_REF,
        to: (m) => depotRef(m.depot2.id),
        balances: (m) => [{ holder: depotRef(m.depot2.id), quantity: 100 }],
      },
      {
        name: 'allocated from a depot to a contingent',
        as: 'admin',
        body: (m) => ({
          kind: 'allocated',
          quantity: 50,
          fromDepotId: m.depot.id,
          toContingentId: m.b.id,
        }),
        from: (m) => depotRef(m.depot.id),
        to: (m) => contingentRef(m.b.id),
        balances: (m) => [
          { holder: depotRef(m.depot.id), quantity: 650 },
          { holder: contingentRef(m.b.id), quantity: 50 },
        ],
      },
      {
        name: 'transferred from a depot to another depot',
        as: 'admin',
        body: (m) => ({
          kind: 'transferred',
          quantity: 200,
          fromDepotId: m.depot.id,
          toDepotId: m.depot2.id,
        }),
        from: (m) => depotRef(m.depot.id),
        to: (m) => depotRef(m.depot2.id),
        balances: (m) => [
          { holder: depotRef(m.depot.id), quantity: 500 },
          { holder: depotRef(m.depot2.id), quantity: 200 },
        ],
      },
      {
        name: 'transferred by a leader from their contingent to another',
        as: 'leaderA',
        body: (m) => ({
          kind: 'transferred',
          quantity: 40,
          fromContingentId: m.a.id,
          toContingentId: m.b.id,
        }),
        from: (m) => contingentRef(m.a.id),
        to: (m) => contingentRef(m.b.id),
        balances: (m) => [
          { holder: contingentRef(m.a.id), quantity: 260 },
          { holder: contingentRef(m.b.id), quantity: 40 },
        ],
      },
      {
        name: 'transferred by a leader from their contingent to a depot',
        as: 'leaderA',
        body: (m) => ({
          kind: 'transferred',
          quantity: 30,
          fromContingentId: m.a.id,
          toDepotId: m.depot2.id,
        }),
        from: (m) => contingentRef(m.a.id),
        to: (m) => depotRef(m.depot2.id),
        balances: (m) => [
          { holder: contingentRef(m.a.id), quantity: 270 },
          { holder: depotRef(m.depot2.id), quantity: 30 },
        ],
      },
      {
        name: 'returned by a leader from their contingent to a depot',
        as: 'leaderA',
        body: (m) => ({
          kind: 'returned',
          quantity: 100,
          fromContingentId: m.a.id,
          toDepotId: m.depot.id,
        }),
        from: (m) => contingentRef(m.a.id),
        to: (m) => depotRef(m.depot.id),
        balances: (m) => [
          { holder: contingentRef(m.a.id), quantity: 200 },
          { holder: depotRef(m.depot.id), quantity: 800 },
        ],
      },
      {
        name: 'distributed by a volunteer from their contingent, where they stood',
        as: 'volunteerA',
        body: (m) => ({
          kind: 'distributed',
          quantity: 25,
          fromContingentId: m.a.id,
          position: { lat: 34.0483, lng: -118.2531 },
        }),
        from: (m) => contingentRef(m.a.id),
        to: () => PUBLIC_REF,
        balances: (m) => [{ holder: contingentRef(m.a.id), quantity: 275 }],
      },
      {
        name: 'distributed from a depot',
        as: 'admin',
        body: (m) => ({ kind: 'distributed', quantity: 10, fromDepotId: m.depot.id }),
        from: (m) => depotRef(m.depot.id),
        to: () => PUBLIC_REF,
        balances: (m) => [{ holder: depotRef(m.depot.id), quantity: 690 }],
      },
      {
        name: 'lost by a leader from their contingent',
        as: 'leaderA',
        body: (m) => ({ kind: 'lost', quantity: 5, fromContingentId: m.a.id }),
        from: (m) => contingentRef(m.a.id),
        to: () => LOST_REF,
        balances: (m) => [{ holder: contingentRef(m.a.id), quantity: 295 }],
      },
      {
        name: 'damaged in a depot',
        as: 'admin',
        body: (m) => ({ kind: 'damaged', quantity: 7, fromDepotId: m.depot.id, note: 'rain' }),
        from: (m) => depotRef(m.depot.id),
        to: () => LOST_REF,
        balances: (m) => [{ holder: depotRef(m.depot.id), quantity: 693 }],
      },
    ];

    it.each(cases)('records stock $name', async (c) => {
      const m = await stocked();
      const as = m[c.as];
      const body = c.body(m);
      const res = await m.move(as, body);
      expect(res.statusCode, res.body).toBe(201);
      const { movement, balances } = res.json<RecordedMovement>();
      expect(movement).toMatchObject({
        materialId: m.paper.id,
        kind: (body as { kind: string }).kind,
        quantity: (body as { quantity: number }).quantity,
        from: c.from(m),
        to: c.to(m),
        position: (body as { position?: unknown }).position ?? null,
        note: (body as { note?: string }).note ?? '',
        reversesId: null,
        reversedById: null,
        requestId: null,
        recordedByName: as.person.displayName,
      });
      expect(balances).toEqual(c.balances(m));
      // The answer's balances are what the database now holds.
      for (const { holder, quantity } of balances) {
        expect(await m.balance(`${holder.kind}:${holder.id}`)).toBe(quantity);
      }
      const stored = await m.ledger();
      expect(stored.map((r) => r.id)).toEqual([m.receipt.id, m.allocation.id, movement.id]);
    });

    // From the stocked march, as a coordinator, so only the direction can be at fault.
    const wrong: { name: string; body: (m: StockedMarch) => object; field: string }[] = [
      {
        name: 'received from a contingent',
        body: (m) => ({
          kind: 'received',
          quantity: 5,
          fromContingentId: m.a.id,
          toDepotId: m.depot.id,
        }),
        field: '/body/fromContingentId',
      },
      {
        name: 'received into a contingent',
        body: (m) => ({ kind: 'received', quantity: 5, toContingentId: m.a.id }),
        field: '/body/toContingentId',
      },
      {
        name: 'received into nowhere',
        body: () => ({ kind: 'received', quantity: 5 }),
        field: '/body/toDepotId',
      },
      {
        name: 'allocated from a contingent',
        body: (m) => ({
          kind: 'allocated',
          quantity: 5,
          fromContingentId: m.a.id,
          toContingentId: m.b.id,
        }),
        field: '/body/fromContingentId',
      },
      {
        name: 'allocated to a depot',
        body: (m) => ({
          kind: 'allocated',
          quantity: 5,
          fromDepotId: m.depot.id,
          toDepotId: m.depot2.id,
        }),
        field: '/body/toDepotId',
      },
      {
        name: 'transferred from a depot to itself',
        body: (m) => ({
          kind: 'transferred',
          quantity: 5,
          fromDepotId: m.depot.id,
          toDepotId: m.depot.id,
        }),
        field: '/body/toDepotId',
      },
      {
        name: 'transferred from a contingent to itself',
        body: (m) => ({
          kind: 'transferred',
          quantity: 5,
          fromContingentId: m.a.id,
          toContingentId: m.a.id,
        }),
        field: '/body/toContingentId',
      },
      {
        name: 'transferred to nowhere',
        body: (m) => ({ kind: 'transferred', quantity: 5, fromDepotId: m.depot.id }),
        field: '/body/toDepotId',
      },
      {
        name: 'returned from a depot',
        body: (m) => ({
          kind: 'returned',
          quantity: 5,
          fromDepotId: m.depot.id,
          toDepotId: m.depot2.id,
        }),
        field: '/body/fromDepotId',
      },
      {
        name: 'returned to a contingent',
        body: (m) => ({
          kind: 'returned',
          quantity: 5,
          fromContingentId: m.a.id,
          toContingentId: m.b.id,
        }),
        field: '/body/toContingentId',
      },
      {
        name: 'distributed to a contingent',
        body: (m) => ({
          kind: 'distributed',
          quantity: 5,
          fromContingentId: m.a.id,
          toContingentId: m.b.id,
        }),
        field: '/body/toContingentId',
      },
      {
        name: 'distributed from nowhere',
        body: () => ({ kind: 'distributed', quantity: 5 }),
        field: '/body/fromDepotId',
      },
      {
        name: 'lost into a depot',
        body: (m) => ({
          kind: 'lost',
          quantity: 5,
          fromContingentId: m.a.id,
          toDepotId: m.depot.id,
        }),
        field: '/body/toDepotId',
      },
      {
        name: 'damaged from both a depot and a contingent',
        body: (m) => ({
          kind: 'damaged',
          quantity: 5,
          fromDepotId: m.depot.id,
          fromContingentId: m.a.id,
        }),
        field: '/body/fromContingentId',
      },
      {
        name: 'lost with a position',
        body: (m) => ({
          kind: 'lost',
          quantity: 5,
          fromContingentId: m.a.id,
          position: { lat: 34.05, lng: -118.25 },
        }),
        field: '/body/position',
      },
      {
        name: 'transferred with a position',
        body: (m) => ({
          kind: 'transferred',
          quantity: 5,
          fromContingentId: m.a.id,
          toContingentId: m.b.id,
          position: { lat: 34.05, lng: -118.25 },
        }),
        field: '/body/position',
      },
      {
        name: 'distributed without a quantity',
        body: (m) => ({ kind: 'distributed', fromContingentId: m.a.id }),
        field: '/body/quantity',
      },
      {
        name: 'distributed naming a movement it reverses',
        body: (m) => ({
          kind: 'distributed',
          quantity: 5,
          fromContingentId: m.a.id,
          reverses: m.allocation.id,
        }),
        field: '/body/reverses',
      },
    ];

    it.each(wrong)('rejects stock $name with 400 naming $field', async (c) => {
      const m = await stocked();
      const res = await m.move(m.admin, c.body(m));
      expect(res.statusCode, res.body).toBe(400);
      expect(res.headers['content-type']).toContain('application/problem+json');
      expect(fieldsOf(res)).toEqual([c.field]);
      expect(await m.ledger()).toHaveLength(2);
    });

    it('rejects a material, depot or contingent of another event', async () => {
      const m = await stocked();
      const other = await t().newEvent(m.admin, { name: 'May Day — San Diego' });
      const theirs = {
        material: await newMaterial(t(), m.admin, other.id),
        depot: await newDepot(t(), m.admin, other.id),
        contingent: await t().newContingent(m.admin, other.id),
      };
      const refused = [
        await m.move(m.admin, {
          materialId: theirs.material.id,
          kind: 'received',
          quantity: 5,
          toDepotId: m.depot.id,
        }),
        await m.move(m.admin, { kind: 'received', quantity: 5, toDepotId: theirs.depot.id }),
        await m.move(m.admin, {
          kind: 'allocated',
          quantity: 5,
          fromDepotId: m.depot.id,
          toContingentId: theirs.contingent.id,
        }),
      ];
      expect(refused.map((r) => r.statusCode)).toEqual([400, 400, 400]);
      expect(refused.map(fieldsOf)).toEqual([
        ['/body/materialId'],
        ['/body/toDepotId'],
        ['/body/toContingentId'],
      ]);
      expect(await m.ledger()).toHaveLength(2);
    });

    it('refuses to overdraw with 409 naming the balance, and changes nothing', async () => {
      const m = await stocked();
      const before = await m.balances();
      const res = await m.move(m.leaderA, {
        kind: 'distributed',
        quantity: 301,
        fromContingentId: m.a.id,
      });
      expect(res.statusCode).toBe(409);
      expect(res.headers['content-type']).toContain('application/problem+json');
      expect(res.json<Problem>()).toMatchObject({
        reason: 'insufficient_stock',
        params: { available: 300, requested: 301, holder: 'A' },
        detail: 'Only 300 copies of Red Flag — May issue on hand at A; cannot move 301.',
      });
      const fromEmpty = await m.move(m.admin, {
        kind: 'transferred',
        quantity: 1,
        fromDepotId: m.depot2.id,
        toDepotId: m.depot.id,
      });
      expect(fromEmpty.json<Problem>()).toMatchObject({
        status: 409,
        params: { available: 0, requested: 1, holder: 'Church basement' },
      });
      expect(await m.balances()).toEqual(before);
      expect(await m.ledger()).toHaveLength(2);
      // Exactly what is there may go.
      expect(
        (await m.move(m.leaderA, { kind: 'distributed', quantity: 300, fromContingentId: m.a.id }))
          .statusCode,
      ).toBe(201);
      expect(await m.balance(`contingent:${m.a.id}`)).toBe(0);
    });
  });

  describe('who may record a movement', () => {
    it('lets the leader of A move stock out of A only, and not receive or allocate', async () => {
      const m = await stocked();
      await m.record(m.admin, {
        kind: 'allocated',
        quantity: 100,
        fromDepotId: m.depot.id,
        toContingentId: m.b.id,
      });
      const tries = {
        distributeFromB: { kind: 'distributed', quantity: 5, fromContingentId: m.b.id },
        transferFromB: {
          kind: 'transferred',
          quantity: 5,
          fromContingentId: m.b.id,
          toContingentId: m.a.id,
        },
        returnFromB: {
          kind: 'returned',
          quantity: 5,
          fromContingentId: m.b.id,
          toDepotId: m.depot.id,
        },
        distributeFromDepot: { kind: 'distributed', quantity: 5, fromDepotId: m.depot.id },
        receive: { kind: 'received', quantity: 5, toDepotId: m.depot.id },
        allocateToA: {
          kind: 'allocated',
          quantity: 5,
          fromDepotId: m.depot.id,
          toContingentId: m.a.id,
        },
      };
      const statuses: Record<string, number> = {};
      for (const [name, body] of Object.entries(tries)) {
        statuses[name] = (await m.move(m.leaderA, body)).statusCode;
      }
      expect(statuses).toEqual({
        distributeFromB: 403,
        transferFromB: 403,
        returnFromB: 403,
        distributeFromDepot: 403,
        receive: 403,
        allocateToA: 403,
      });
      expect(
        (await m.move(m.leaderB, { kind: 'distributed', quantity: 5, fromContingentId: m.a.id }))
          .statusCode,
      ).toBe(403);
      expect(await m.ledger()).toHaveLength(3);
      expect(
        (await m.move(m.leaderB, { kind: 'distributed', quantity: 5, fromContingentId: m.b.id }))
          .statusCode,
      ).toBe(201);
    });

    it('lets a volunteer only hand out from their own contingent', async () => {
      const m = await stocked();
      const tries = {
        transfer: {
          kind: 'transferred',
          quantity: 5,
          fromContingentId: m.a.id,
          toContingentId: m.b.id,
        },
        return: { kind: 'returned', quantity: 5, fromContingentId: m.a.id, toDepotId: m.depot.id },
        lose: { kind: 'lost', quantity: 5, fromContingentId: m.a.id },
        damage: { kind: 'damaged', quantity: 5, fromContingentId: m.a.id },
        distributeFromDepot: { kind: 'distributed', quantity: 5, fromDepotId: m.depot.id },
        distributeFromB: { kind: 'distributed', quantity: 5, fromContingentId: m.b.id },
      };
      const statuses: Record<string, number> = {};
      for (const [name, body] of Object.entries(tries)) {
        statuses[name] = (await m.move(m.volunteerA, body)).statusCode;
      }
      expect(statuses).toEqual({
        transfer: 403,
        return: 403,
        lose: 403,
        damage: 403,
        distributeFromDepot: 403,
        distributeFromB: 403,
      });
      expect(await m.ledger()).toHaveLength(2);
      const handed = await m.move(m.volunteerA, {
        kind: 'distributed',
        quantity: 5,
        fromContingentId: m.a.id,
      });
      expect(handed.statusCode).toBe(201);
    });

    it('refuses anonymous callers with 401, and outsiders and volunteers at large with 403', async () => {
      const m = await stocked();
      const other = await t().newEvent(m.admin, { name: 'May Day — San Diego' });
      const outsider = await t().invited(m.admin, other.id, 'coordinator');
      const atLarge = await t().invited(m.admin, m.event.id, 'volunteer');
      const body = { kind: 'distributed', quantity: 5, fromDepotId: m.depot.id };
      expect((await m.move(null, body)).statusCode).toBe(401);
      expect((await m.move(outsider, body)).statusCode).toBe(403);
      expect(
        (await m.move(atLarge, { kind: 'distributed', quantity: 5, fromContingentId: m.a.id }))
          .statusCode,
      ).toBe(403);
      expect(await m.ledger()).toHaveLength(2);
    });
  });

  describe('POST /api/events/:eventId/movements (reversals)', () => {
    it('moves the same quantity back, once', async () => {
      const m = await stocked();
      const handed = await m.record(m.leaderA, {
        kind: 'distributed',
        quantity: 20,
        fromContingentId: m.a.id,
      });
      const undo = await m.move(m.leaderA, {
        kind: 'reversal',
        reverses: handed.movement.id,
        note: 'miscounted',
      });
      expect(undo.statusCode, undo.body).toBe(201);
      const reversal = undo.json<RecordedMovement>();
      expect(reversal.movement).toMatchObject({
        kind: 'reversal',
        quantity: 20,
        from: PUBLIC_REF,
        to: contingentRef(m.a.id),
        reversesId: handed.movement.id,
        note: 'miscounted',
      });
      expect(reversal.balances).toEqual([{ holder: contingentRef(m.a.id), quantity: 300 }]);
      expect(await m.balance('public')).toBe(0);

      const twice = await m.move(m.admin, { kind: 'reversal', reverses: handed.movement.id });
      expect(twice.statusCode).toBe(409);
      expect(twice.json<Problem>()).toMatchObject({
        reason: 'already_reversed',
        params: { reversedById: reversal.movement.id },
      });
      const page = await t().send<MovementPage>(m.admin, 'GET', `${m.path}/movements`);
      const original = page.movements.find((mv) => mv.id === handed.movement.id)!;
      expect(original.reversedById).toBe(reversal.movement.id);
      expect(await m.ledger()).toHaveLength(4);
    });

    it('reverses a receipt back to the supplier', async () => {
      const m = await stocked();
      const received = await m.record(m.admin, {
        kind: 'received',
        quantity: 50,
        toDepotId: m.depot2.id,
      });
      const undo = await m.record(m.admin, { kind: 'reversal', reverses: received.movement.id });
      expect(undo.movement).toMatchObject({ from: depotRef(m.depot2.id), to: SUPPLIER_REF });
      expect(undo.balances).toEqual([{ holder: depotRef(m.depot2.id), quantity: 0 }]);
      expect(await m.balance('supplier')).toBe(-1000);
      const [paper] = (await m.stock(m.admin)).materials;
      expect(paper!.totals!.received).toBe(1000);
      expect(paper!.holders.find((h) => h.holder.id === m.depot2.id)).toMatchObject({
        onHand: 0,
        receivedIn: 0,
      });
    });

    it('rejects a reversal of a reversal, of another material, or with its own quantity or holders', async () => {
      const m = await stocked();
      const flags = await newMaterial(t(), m.admin, m.event.id, { kind: 'flag', name: 'Red flag' });
      const handed = await m.record(m.leaderA, {
        kind: 'distributed',
        quantity: 20,
        fromContingentId: m.a.id,
      });
      const undo = await m.record(m.leaderA, { kind: 'reversal', reverses: handed.movement.id });
      const refused = {
        ofAReversal: await m.move(m.admin, { kind: 'reversal', reverses: undo.movement.id }),
        ofAnotherMaterial: await m.move(m.admin, {
          materialId: flags.id,
          kind: 'reversal',
          reverses: m.allocation.id,
        }),
        withAQuantity: await m.move(m.admin, {
          kind: 'reversal',
          reverses: m.allocation.id,
          quantity: 300,
        }),
        withAHolder: await m.move(m.admin, {
          kind: 'reversal',
          reverses: m.allocation.id,
          toDepotId: m.depot2.id,
        }),
        ofNothing: await m.move(m.admin, { kind: 'reversal' }),
        ofAnUnknownMovement: await m.move(m.admin, {
          kind: 'reversal',
          reverses: '00000000-0000-4000-8000-000000000000',
        }),
      };
      expect(Object.values(refused).map((r) => r.statusCode)).toEqual(Array(6).fill(400));
      expect(Object.fromEntries(Object.entries(refused).map(([k, r]) => [k, fieldsOf(r)]))).toEqual(
        {
          ofAReversal: ['/body/reverses'],
          ofAnotherMaterial: ['/body/materialId'],
          withAQuantity: ['/body/quantity'],
          withAHolder: ['/body/toDepotId'],
          ofNothing: ['/body/reverses'],
          ofAnUnknownMovement: ['/body/reverses'],
        },
      );
      expect(await m.ledger()).toHaveLength(4);
    });

    it('refuses with 409 a reversal that would overdraw, and changes nothing', async () => {
      const m = await stocked();
      await m.record(m.leaderA, { kind: 'distributed', quantity: 290, fromContingentId: m.a.id });
      const before = await m.balances();
      const res = await m.move(m.admin, { kind: 'reversal', reverses: m.allocation.id });
      expect(res.statusCode).toBe(409);
      expect(res.json<Problem>()).toMatchObject({
        reason: 'insufficient_stock',
        params: { available: 10, requested: 300, holder: 'A' },
      });
      expect(await m.balances()).toEqual(before);
      expect(await m.ledger()).toHaveLength(3);
    });

    it('lets a leader reverse what left their contingent, whoever recorded it, but not what came in', async () => {
      const m = await stocked();
      const handed = await m.record(m.volunteerA, {
        kind: 'distributed',
        quantity: 5,
        fromContingentId: m.a.id,
      });
      expect(
        (await m.move(m.leaderA, { kind: 'reversal', reverses: m.allocation.id })).statusCode,
      ).toBe(403);
      expect(
        (await m.move(m.leaderB, { kind: 'reversal', reverses: handed.movement.id })).statusCode,
      ).toBe(403);
      expect(
        (await m.move(m.leaderA, { kind: 'reversal', reverses: handed.movement.id })).statusCode,
      ).toBe(201);
    });

    it('lets a volunteer reverse only what they recorded themselves', async () => {
      const m = await stocked();
      const colleague = await t().invited(m.admin, m.event.id, 'volunteer', m.a.id, 'Amy Okafor');
      const theirs = await m.record(m.volunteerA, {
        kind: 'distributed',
        quantity: 5,
        fromContingentId: m.a.id,
      });
      const leaders = await m.record(m.leaderA, {
        kind: 'distributed',
        quantity: 5,
        fromContingentId: m.a.id,
      });
      expect(
        (await m.move(colleague, { kind: 'reversal', reverses: theirs.movement.id })).statusCode,
      ).toBe(403);
      expect(
        (await m.move(m.volunteerA, { kind: 'reversal', reverses: leaders.movement.id }))
          .statusCode,
      ).toBe(403);
      expect(await m.ledger()).toHaveLength(4);
      expect(
        (await m.move(m.volunteerA, { kind: 'reversal', reverses: theirs.movement.id })).statusCode,
      ).toBe(201);
    });
  });

  describe('POST /api/events/:eventId/movements (Idempotency-Key)', () => {
    it('answers a retry with the same key and body with the first answer, counted once', async () => {
      const m = await stocked();
      const body = { kind: 'distributed', quantity: 50, fromContingentId: m.a.id };
      const first = await m.move(m.leaderA, body, 'plus-fifty-1');
      const again = await m.move(m.leaderA, body, 'plus-fifty-1');
      const third = await m.move(m.leaderA, body, 'plus-fifty-1');
      expect([first.statusCode, again.statusCode, third.statusCode]).toEqual([201, 201, 201]);
      expect(first.headers['idempotent-replayed']).toBeUndefined();
      expect(again.headers['idempotent-replayed']).toBe('true');
      expect(third.headers['idempotent-replayed']).toBe('true');
      expect(again.json()).toEqual(first.json());
      expect(third.json()).toEqual(first.json());
      expect(await m.ledger()).toHaveLength(3);
      expect(await m.balance(`contingent:${m.a.id}`)).toBe(250);
      // Another key is another movement.
      expect((await m.move(m.leaderA, body, 'plus-fifty-2')).statusCode).toBe(201);
      expect(await m.balance(`contingent:${m.a.id}`)).toBe(200);
    });

    it('refuses the same key with a different body with 409, and changes nothing', async () => {
      const m = await stocked();
      await m.record(
        m.leaderA,
        { kind: 'distributed', quantity: 50, fromContingentId: m.a.id },
        'hand-out-1',
      );
      const before = await m.balances();
      const res = await m.move(
        m.leaderA,
        { kind: 'distributed', quantity: 60, fromContingentId: m.a.id },
        'hand-out-1',
      );
      expect(res.statusCode).toBe(409);
      expect(res.headers['idempotent-replayed']).toBeUndefined();
      expect(await m.balances()).toEqual(before);
      expect(await m.ledger()).toHaveLength(3);
    });

    it('frees a key whose movement was refused for short stock', async () => {
      const m = await stocked();
      const short = await m.move(
        m.leaderA,
        { kind: 'distributed', quantity: 400, fromContingentId: m.a.id },
        'hand-out-2',
      );
      expect(short.statusCode).toBe(409);
      const fixed = await m.move(
        m.leaderA,
        { kind: 'distributed', quantity: 40, fromContingentId: m.a.id },
        'hand-out-2',
      );
      expect(fixed.statusCode).toBe(201);
      expect(fixed.headers['idempotent-replayed']).toBeUndefined();
      expect(await m.balance(`contingent:${m.a.id}`)).toBe(260);
    });
  });

  describe('PUT /api/events/:eventId/materials/:materialId/level', () => {
    const levelOf = (m: StockedMarch, as: Session, body: object) =>
      t().inject({
        method: 'PUT',
        url: `${m.path}/materials/${m.paper.id}/level`,
        headers: as.headers,
        payload: body,
      });

    it("sets a holder's planned count and threshold, shown in the stock", async () => {
      const m = await stocked();
      const res = await levelOf(m, m.admin, {
        contingentId: m.a.id,
        planned: 250,
        lowStockThreshold: 100,
      });
      expect(res.statusCode, res.body).toBe(200);
      expect(res.json<MaterialLevel>()).toEqual({
        materialId: m.paper.id,
        holder: contingentRef(m.a.id),
        planned: 250,
        lowStockThreshold: 100,
      });
      await levelOf(m, m.admin, { depotId: m.depot2.id, planned: 500, lowStockThreshold: null });
      const [paper] = (await m.stock(m.admin)).materials;
      expect(paper!.holders.find((h) => h.holder.id === m.a.id)).toMatchObject({
        planned: 250,
        lowStockThreshold: 100,
        low: false,
      });
      // A level alone makes a holder appear.
      expect(paper!.holders.find((h) => h.holder.id === m.depot2.id)).toMatchObject({
        name: 'Church basement',
        onHand: 0,
        planned: 500,
        lowStockThreshold: null,
        low: false,
      });
      expect(await m.changes('material.level')).toHaveLength(2);
    });

    it('rejects a level for both or neither a depot and a contingent, and from a leader', async () => {
      const m = await stocked();
      const both = await levelOf(m, m.admin, {
        depotId: m.depot.id,
        contingentId: m.a.id,
        planned: 1,
        lowStockThreshold: 1,
      });
      const neither = await levelOf(m, m.admin, { planned: 1, lowStockThreshold: 1 });
      expect([both.statusCode, neither.statusCode]).toEqual([400, 400]);
      expect(fieldsOf(both)).toEqual(['/body/contingentId']);
      expect(fieldsOf(neither)).toEqual(['/body/depotId']);
      const byLeader = await levelOf(m, m.leaderA, {
        contingentId: m.a.id,
        planned: 1,
        lowStockThreshold: 1,
      });
      expect(byLeader.statusCode).toBe(403);
      expect(await m.changes('material.level')).toHaveLength(0);
    });

    it('alerts coordinators exactly when a balance crosses below its threshold', async () => {
      const m = await stocked();
      await levelOf(m, m.admin, { contingentId: m.a.id, planned: null, lowStockThreshold: 100 });
      const handOut = (quantity: number) =>
        m.record(m.leaderA, { kind: 'distributed', quantity, fromContingentId: m.a.id });
      await handOut(200); // 100 left: not below
      expect(await m.changes('material.lowStock')).toHaveLength(0);
      await handOut(1); // 99: below
      await handOut(9); // 90: still below, no second alert
      await m.record(m.admin, {
        kind: 'allocated',
        quantity: 50,
        fromDepotId: m.depot.id,
        toContingentId: m.a.id,
      }); // 140
      await handOut(40); // 100
      await handOut(100); // 0: below again
      const alerts = await m.changes('material.lowStock');
      expect(alerts.map((a) => a.payload)).toEqual([
        {
          materialId: m.paper.id,
          materialName: 'Red Flag — May issue',
          holder: contingentRef(m.a.id),
          name: 'A',
          quantity: 99,
          threshold: 100,
        },
        expect.objectContaining({ quantity: 0, threshold: 100 }),
      ]);
      expect(alerts.every((a) => a.coordinatorsOnly)).toBe(true);
      const [paper] = (await m.stock(m.admin)).materials;
      expect(paper!.holders.find((h) => h.holder.id === m.a.id)!.low).toBe(true);
    });

    it('alerts when a depot is emptied below its threshold by a transfer', async () => {
      const m = await stocked();
      await levelOf(m, m.admin, { depotId: m.depot.id, planned: null, lowStockThreshold: 500 });
      await m.record(m.admin, {
        kind: 'transferred',
        quantity: 250,
        fromDepotId: m.depot.id,
        toDepotId: m.depot2.id,
      });
      const alerts = await m.changes('material.lowStock');
      expect(alerts.map((a) => a.payload)).toEqual([
        expect.objectContaining({
          holder: depotRef(m.depot.id),
          name: 'Union hall',
          quantity: 450,
        }),
      ]);
    });

    it('alerts when a threshold is set that the holder is already under, and not otherwise', async () => {
      const m = await stocked();
      await levelOf(m, m.admin, { depotId: m.depot.id, planned: null, lowStockThreshold: 700 });
      expect(await m.changes('material.lowStock')).toHaveLength(0);
      await levelOf(m, m.admin, { contingentId: m.a.id, planned: 400, lowStockThreshold: 400 });
      const alerts = await m.changes('material.lowStock');
      expect(alerts.map((a) => a.payload)).toEqual([
        expect.objectContaining({ holder: contingentRef(m.a.id), quantity: 300, threshold: 400 }),
      ]);
      expect(alerts[0]!.coordinatorsOnly).toBe(true);
    });
  });

  describe('POST /api/events/:eventId/material-requests', () => {
    const ask = (m: StockedMarch, as: Session, body: object = {}, key?: string) =>
      t().inject({
        method: 'POST',
        url: `${m.path}/material-requests`,
        headers: { ...as.headers, ...(key ? { 'idempotency-key': key } : {}) },
        payload: { materialId: m.paper.id, contingentId: m.a.id, quantity: 200, ...body },
      });
    const decide = (m: StockedMarch, as: Session, requestId: string, body: object) =>
      t().inject({
        method: 'POST',
        url: `${m.path}/material-requests/${requestId}/decision`,
        headers: as.headers,
        payload: body,
      });
    const listed = (m: StockedMarch, as: Session, query = '') =>
      t().send<MaterialRequest[]>(as, 'GET', `${m.path}/material-requests${query}`);

    it('lets the leader of A ask for A, not the leader of B nor a volunteer', async () => {
      const m = await stocked();
      const res = await ask(m, m.leaderA, { note: 'need 200 more in Spanish' });
      expect(res.statusCode, res.body).toBe(201);
      expect(res.json<MaterialRequest>()).toMatchObject({
        materialId: m.paper.id,
        contingentId: m.a.id,
        quantity: 200,
        note: 'need 200 more in Spanish',
        status: 'pending',
        requestedByName: 'Ada Kovacs',
        declineReason: null,
        movementId: null,
        decidedAt: null,
      });
      expect((await ask(m, m.leaderB)).statusCode).toBe(403);
      expect((await ask(m, m.volunteerA)).statusCode).toBe(403);
      expect((await ask(m, m.admin, { contingentId: m.b.id })).statusCode).toBe(201);
      expect(await listed(m, m.admin)).toHaveLength(2);
    });

    it('answers a retried request with the same key once', async () => {
      const m = await stocked();
      const first = await ask(m, m.leaderA, {}, 'ask-for-more-1');
      const again = await ask(m, m.leaderA, {}, 'ask-for-more-1');
      expect([first.statusCode, again.statusCode]).toEqual([201, 201]);
      expect(again.headers['idempotent-replayed']).toBe('true');
      expect(again.json()).toEqual(first.json());
      expect(await listed(m, m.admin)).toHaveLength(1);
    });

    it('fulfils from a depot with an allocated movement naming the request', async () => {
      const m = await stocked();
      const request = (await ask(m, m.leaderA)).json<MaterialRequest>();
      const res = await decide(m, m.admin, request.id, {
        decision: 'fulfil',
        fromDepotId: m.depot.id,
      });
      expect(res.statusCode, res.body).toBe(200);
      const { request: decided, movement } = res.json<MaterialRequestDecision>();
      expect(movement).toMatchObject({
        kind: 'allocated',
        quantity: 200,
        from: depotRef(m.depot.id),
        to: contingentRef(m.a.id),
        requestId: request.id,
      });
      expect(decided).toMatchObject({ status: 'fulfilled', movementId: movement!.id });
      expect(decided.decidedAt).not.toBeNull();
      expect(await m.balance(`contingent:${m.a.id}`)).toBe(500);
      expect(await m.balance(`depot:${m.depot.id}`)).toBe(500);
      expect((await listed(m, m.leaderA))[0]!.status).toBe('fulfilled');
    });

    it('reopens a request whose fulfilment is reversed, to be decided again', async () => {
      const m = await stocked();
      const request = (await ask(m, m.leaderA)).json<MaterialRequest>();
      const fulfilled = await decide(m, m.admin, request.id, {
        decision: 'fulfil',
        fromDepotId: m.depot.id,
      });
      const { movement } = fulfilled.json<MaterialRequestDecision>();
      const undo = await m.move(m.admin, { kind: 'reversal', reverses: movement!.id });
      expect(undo.statusCode, undo.body).toBe(201);
      expect(undo.json<RecordedMovement>().movement.requestId).toBe(request.id);
      const [reopened] = await listed(m, m.leaderA);
      expect(reopened).toMatchObject({ status: 'pending', movementId: null, decidedAt: null });
      expect(await m.balance(`contingent:${m.a.id}`)).toBe(300);
      const again = await decide(m, m.admin, request.id, { decision: 'decline', reason: 'Gone' });
      expect(again.json<MaterialRequestDecision>().request.status).toBe('declined');
    });

    it('fulfils from another contingent with a transferred movement, of the quantity given', async () => {
      const m = await stocked();
      const request = (
        await ask(m, m.leaderB, { contingentId: m.b.id, quantity: 100 })
      ).json<MaterialRequest>();
      const res = await decide(m, m.admin, request.id, {
        decision: 'fulfil',
        fromContingentId: m.a.id,
        quantity: 60,
      });
      expect(res.statusCode, res.body).toBe(200);
      expect(res.json<MaterialRequestDecision>().movement).toMatchObject({
        kind: 'transferred',
        quantity: 60,
        from: contingentRef(m.a.id),
        to: contingentRef(m.b.id),
        requestId: request.id,
      });
      expect(await m.balance(`contingent:${m.b.id}`)).toBe(60);
      const fromItself = (
        await ask(m, m.leaderB, { contingentId: m.b.id, quantity: 10 })
      ).json<MaterialRequest>();
      const refused = await decide(m, m.admin, fromItself.id, {
        decision: 'fulfil',
        fromContingentId: m.b.id,
      });
      expect(refused.statusCode).toBe(400);
      expect(fieldsOf(refused)).toEqual(['/body/fromContingentId']);
    });

    it('declines only with a reason, and decides only once', async () => {
      const m = await stocked();
      const request = (await ask(m, m.leaderA)).json<MaterialRequest>();
      const bare = await decide(m, m.admin, request.id, { decision: 'decline' });
      expect(bare.statusCode).toBe(400);
      expect(fieldsOf(bare)).toEqual(['/body/reason']);
      const declined = await decide(m, m.admin, request.id, {
        decision: 'decline',
        reason: 'None left in Spanish',
      });
      expect(declined.statusCode).toBe(200);
      expect(declined.json<MaterialRequestDecision>()).toMatchObject({
        request: { status: 'declined', declineReason: 'None left in Spanish', movementId: null },
        movement: null,
      });
      for (const body of [
        { decision: 'fulfil', fromDepotId: m.depot.id },
        { decision: 'decline', reason: 'Again' },
      ]) {
        const twice = await decide(m, m.admin, request.id, body);
        expect(twice.statusCode).toBe(409);
        expect(twice.json<Problem>()).toMatchObject({
          reason: 'request_decided',
          params: { status: 'declined' },
        });
      }
      expect(await m.ledger()).toHaveLength(2);
      expect(
        (await decide(m, m.leaderA, request.id, { decision: 'decline', reason: 'x' })).statusCode,
      ).toBe(403);
    });

    it('refuses to fulfil from short stock with 409, and the request stays pending', async () => {
      const m = await stocked();
      const request = (await ask(m, m.leaderA, { quantity: 800 })).json<MaterialRequest>();
      const res = await decide(m, m.admin, request.id, {
        decision: 'fulfil',
        fromDepotId: m.depot.id,
      });
      expect(res.statusCode).toBe(409);
      expect(res.json<Problem>()).toMatchObject({
        reason: 'insufficient_stock',
        params: { available: 700, requested: 800, holder: 'Union hall' },
      });
      expect(await listed(m, m.admin)).toMatchObject([
        { id: request.id, status: 'pending', movementId: null },
      ]);
      expect(await m.ledger()).toHaveLength(2);
      expect(await m.changes('materialRequest.decided')).toHaveLength(0);
      // Fulfilled for less, it goes through.
      const partly = await decide(m, m.admin, request.id, {
        decision: 'fulfil',
        fromDepotId: m.depot.id,
        quantity: 700,
      });
      expect(partly.statusCode).toBe(200);
    });

    it("lists every request for coordinators, their contingent's for leaders, by status", async () => {
      const m = await stocked();
      const forA = (await ask(m, m.leaderA)).json<MaterialRequest>();
      const forB = (await ask(m, m.leaderB, { contingentId: m.b.id })).json<MaterialRequest>();
      const forA2 = (await ask(m, m.leaderA, { quantity: 5 })).json<MaterialRequest>();
      await decide(m, m.admin, forA.id, { decision: 'decline', reason: 'No' });
      const ids = (requests: MaterialRequest[]) => requests.map((r) => r.id).sort();
      expect(ids(await listed(m, m.admin))).toEqual([forA.id, forB.id, forA2.id].sort());
      expect(ids(await listed(m, m.admin, '?status=pending'))).toEqual([forB.id, forA2.id].sort());
      expect(ids(await listed(m, m.leaderA))).toEqual([forA.id, forA2.id].sort());
      expect(ids(await listed(m, m.leaderA, '?status=declined'))).toEqual([forA.id]);
      expect(ids(await listed(m, m.leaderB))).toEqual([forB.id]);
      const volunteer = await t().inject({
        method: 'GET',
        url: `${m.path}/material-requests`,
        headers: m.volunteerA.headers,
      });
      expect(volunteer.statusCode).toBe(403);
    });
  });

  describe('GET /api/events/:eventId/stock', () => {
    it('shows coordinators the totals and every holder', async () => {
      const m = await stocked();
      const flags = await newMaterial(t(), m.admin, m.event.id, { kind: 'flag', name: 'Red flag' });
      await m.record(m.leaderA, { kind: 'distributed', quantity: 50, fromContingentId: m.a.id });
      await m.record(m.leaderA, { kind: 'lost', quantity: 5, fromContingentId: m.a.id });
      await m.record(m.leaderA, {
        kind: 'transferred',
        quantity: 20,
        fromContingentId: m.a.id,
        toContingentId: m.b.id,
      });
      await m.record(m.admin, { kind: 'damaged', quantity: 3, fromDepotId: m.depot.id });
      const stock = await m.stock(m.admin);
      const paper = stock.materials.find((s) => s.material.id === m.paper.id)!;
      expect(paper.totals).toEqual({ received: 1000, onHand: 942, handedOut: 50, lost: 8 });
      const { received, onHand, handedOut, lost } = paper.totals!;
      expect(received).toBe(onHand + handedOut + lost);
      const row = (holder: HolderRef, name: string, sums: object) => ({
        holder,
        name,
        onHand: 0,
        receivedIn: 0,
        handedOut: 0,
        lost: 0,
        planned: null,
        lowStockThreshold: null,
        low: false,
        ...sums,
      });
      expect(paper.holders).toHaveLength(3);
      expect(paper.holders).toEqual(
        expect.arrayContaining([
          row(contingentRef(m.a.id), 'A', { onHand: 225, receivedIn: 300, handedOut: 50, lost: 5 }),
          row(contingentRef(m.b.id), 'B', { onHand: 20, receivedIn: 20 }),
          row(depotRef(m.depot.id), 'Union hall', { onHand: 697, receivedIn: 1000, lost: 3 }),
        ]),
      );
      expect(stock.materials.find((s) => s.material.id === flags.id)).toEqual({
        material: flags,
        totals: { received: 0, onHand: 0, handedOut: 0, lost: 0 },
        holders: [],
        handOuts: [],
      });
    });

    it('shows leaders and volunteers only their own contingent, without totals', async () => {
      const m = await stocked();
      await m.record(m.volunteerA, { kind: 'distributed', quantity: 30, fromContingentId: m.a.id });
      const forA = await m.stock(m.leaderA);
      expect(forA.materials).toHaveLength(1);
      expect(forA.materials[0]!.totals).toBeNull();
      expect(forA.materials[0]!.holders).toEqual([
        expect.objectContaining({
          holder: contingentRef(m.a.id),
          onHand: 270,
          receivedIn: 300,
          handedOut: 30,
        }),
      ]);
      expect(await m.stock(m.volunteerA)).toEqual(forA);
      // B holds nothing yet, and still sees its row.
      const forB = await m.stock(m.leaderB);
      expect(forB.materials[0]!.holders).toEqual([
        expect.objectContaining({ holder: contingentRef(m.b.id), name: 'B', onHand: 0 }),
      ]);
      expect(forB.materials[0]!.handOuts).toEqual([]);
      const atLarge = await t().invited(m.admin, m.event.id, 'volunteer');
      expect(await m.stock(atLarge)).toEqual({ materials: [] });
    });

    it('counts hand-outs per quarter hour, leaving out reversed ones', async () => {
      const m = await stocked();
      const start = Date.now();
      await m.record(m.volunteerA, { kind: 'distributed', quantity: 20, fromContingentId: m.a.id });
      const mistake = await m.record(m.volunteerA, {
        kind: 'distributed',
        quantity: 30,
        fromContingentId: m.a.id,
      });
      await m.record(m.volunteerA, { kind: 'reversal', reverses: mistake.movement.id });
      await m.record(m.admin, { kind: 'distributed', quantity: 7, fromDepotId: m.depot.id });
      const quarters = (stock: Stock) => stock.materials[0]!.handOuts;
      const total = (stock: Stock) => quarters(stock).reduce((n, q) => n + q.quantity, 0);
      const all = await m.stock(m.admin);
      const mine = await m.stock(m.leaderA);
      expect(total(all)).toBe(27);
      expect(total(mine)).toBe(20);
      for (const { from } of quarters(all)) {
        const at = new Date(from);
        expect(at.getTime() % (15 * 60_000)).toBe(0);
        expect(at.getTime()).toBeGreaterThan(start - 15 * 60_000);
        expect(at.getTime()).toBeLessThanOrEqual(Date.now());
      }
      expect(all.materials[0]!.totals!.handedOut).toBe(27);
      // The reversed hand-out is not counted against A either.
      expect(mine.materials[0]!.holders[0]).toMatchObject({ onHand: 280, handedOut: 20 });
    });
  });

  describe('GET /api/events/:eventId/movements', () => {
    const page = (m: StockedMarch, as: Session, query = '') =>
      t().inject({ method: 'GET', url: `${m.path}/movements${query}`, headers: as.headers });

    it('pages through the ledger newest first', async () => {
      const m = await stocked();
      for (let i = 1; i <= 5; i++) {
        await m.record(m.leaderA, { kind: 'distributed', quantity: i, fromContingentId: m.a.id });
      }
      const all = (await page(m, m.admin)).json<MovementPage>();
      expect(all.nextBefore).toBeNull();
      expect(all.movements).toHaveLength(7);
      const numbers = all.movements.map((mv) => mv.number);
      expect(numbers).toEqual([...numbers].sort((x, y) => y - x));
      expect(all.movements.at(-1)!.id).toBe(m.receipt.id);

      const seen: Movement[] = [];
      let before: number | null = null;
      const nexts: (number | null)[] = [];
      do {
        const query: string = `?limit=3${before ? `&before=${before}` : ''}`;
        const res = await page(m, m.admin, query);
        expect(res.statusCode).toBe(200);
        const current: MovementPage = res.json<MovementPage>();
        seen.push(...current.movements);
        nexts.push(current.nextBefore);
        before = current.nextBefore;
      } while (before !== null);
      expect(seen.map((mv) => mv.id)).toEqual(all.movements.map((mv) => mv.id));
      expect(nexts).toEqual([numbers[2], numbers[5], null]);
      // A last page that is exactly full has nothing after it.
      const exactly = (await page(m, m.admin, '?limit=7')).json<MovementPage>();
      expect([exactly.movements.length, exactly.nextBefore]).toEqual([7, null]);
      const limits = await page(m, m.admin, '?limit=501');
      expect(limits.statusCode).toBe(400);
    });

    it('filters by material and contingent', async () => {
      const m = await stocked();
      const flags = await newMaterial(t(), m.admin, m.event.id, { kind: 'flag', name: 'Red flag' });
      const flag = await t().inject({
        method: 'POST',
        url: `${m.path}/movements`,
        headers: m.admin.headers,
        payload: { materialId: flags.id, kind: 'received', quantity: 10, toDepotId: m.depot.id },
      });
      const toB = await m.record(m.admin, {
        kind: 'allocated',
        quantity: 10,
        fromDepotId: m.depot.id,
        toContingentId: m.b.id,
      });
      const ids = async (query: string) =>
        (await page(m, m.admin, query)).json<MovementPage>().movements.map((mv) => mv.id);
      expect(await ids(`?materialId=${flags.id}`)).toEqual([
        flag.json<RecordedMovement>().movement.id,
      ]);
      expect(await ids(`?contingentId=${m.b.id}`)).toEqual([toB.movement.id]);
      expect(await ids(`?contingentId=${m.a.id}&materialId=${m.paper.id}`)).toEqual([
        m.allocation.id,
      ]);
    });

    it("shows a leader only their contingent's movements, and volunteers none", async () => {
      const m = await stocked();
      await m.record(m.admin, {
        kind: 'transferred',
        quantity: 10,
        fromDepotId: m.depot.id,
        toDepotId: m.depot2.id,
      });
      const toB = await m.record(m.leaderA, {
        kind: 'transferred',
        quantity: 10,
        fromContingentId: m.a.id,
        toContingentId: m.b.id,
      });
      const res = await page(m, m.leaderA);
      expect(res.statusCode).toBe(200);
      expect(res.json<MovementPage>().movements.map((mv) => mv.id)).toEqual([
        toB.movement.id,
        m.allocation.id,
      ]);
      expect((await page(m, m.leaderB)).json<MovementPage>().movements.map((mv) => mv.id)).toEqual([
        toB.movement.id,
      ]);
      expect((await page(m, m.leaderA, `?contingentId=${m.b.id}`)).statusCode).toBe(403);
      expect((await page(m, m.volunteerA)).statusCode).toBe(403);
    });
  });

  describe('GET /api/events/:eventId/movements.csv', () => {
    it('exports one line per movement with holder names, formulas defused', async () => {
      const m = await stocked();
      const handed = await m.record(m.leaderA, {
        kind: 'distributed',
        quantity: 12,
        fromContingentId: m.a.id,
        position: { lat: 34.0483, lng: -118.2531 },
        note: '=HYPERLINK("http://evil.example")',
      });
      const undo = await m.record(m.admin, { kind: 'reversal', reverses: handed.movement.id });
      const res = await t().inject({
        method: 'GET',
        url: `${m.path}/movements.csv`,
        headers: m.admin.headers,
      });
      expect(res.statusCode).toBe(200);
      expect(res.headers['content-type']).toBe('text/csv; charset=utf-8');
      expect(res.headers['content-disposition']).toBe(
        'attachment; filename="ledger-2027-05-01.csv"',
      );
      const lines = res.body.split('\r\n');
      expect(lines.pop()).toBe('');
      expect(lines[0]).toBe(
        '"Number","Time (UTC)","Material","Unit","Kind","Quantity","From","To","Latitude",' +
          '"Longitude","Note","Recorded by","Reverses number","Request"',
      );
      expect(lines).toHaveLength(5);
      const at = (mv: Movement) => `"${mv.createdAt}"`;
      expect(lines.slice(1)).toEqual([
        `"${m.receipt.number}",${at(m.receipt)},"Red Flag — May issue","copies","received","1000","Supplier","Union hall","","","","Admin","",""`,
        `"${m.allocation.number}",${at(m.allocation)},"Red Flag — May issue","copies","allocated","300","Union hall","A","","","","Admin","",""`,
        `"${handed.movement.number}",${at(handed.movement)},"Red Flag — May issue","copies","distributed","12","A","Handed out","34.0483","-118.2531","'=HYPERLINK(""http://evil.example"")","Ada Kovacs","",""`,
        `"${undo.movement.number}",${at(undo.movement)},"Red Flag — May issue","copies","reversal","12","Handed out","A","","","","Admin","${handed.movement.number}",""`,
      ]);
      const byLeader = await t().inject({
        method: 'GET',
        url: `${m.path}/movements.csv`,
        headers: m.leaderA.headers,
      });
      expect(byLeader.statusCode).toBe(403);
    });

    it('names the request a fulfilling movement answers', async () => {
      const m = await stocked();
      const request = await t().send<MaterialRequest>(
        m.leaderA,
        'POST',
        `${m.path}/material-requests`,
        { materialId: m.paper.id, contingentId: m.a.id, quantity: 5 },
      );
      await t().send(m.admin, 'POST', `${m.path}/material-requests/${request.id}/decision`, {
        decision: 'fulfil',
        fromDepotId: m.depot.id,
      });
      const csv = await t().inject({
        method: 'GET',
        url: `${m.path}/movements.csv`,
        headers: m.admin.headers,
      });
      const last = csv.body.trimEnd().split('\r\n').at(-1)!;
      expect(last).toContain('"allocated","5","Union hall","A"');
      expect(last.endsWith(`"${request.id}"`)).toBe(true);
    });
  });

  describe('DELETE /api/events/:eventId/contingents/:contingentId', () => {
    it('refuses to delete a contingent that holds stock, and deletes it once returned', async () => {
      const m = await stocked();
      const remove = () =>
        t().inject({
          method: 'DELETE',
          url: `${m.path}/contingents/${m.a.id}`,
          headers: m.admin.headers,
        });
      const refused = await remove();
      expect(refused.statusCode).toBe(409);
      expect(refused.json<Problem>()).toMatchObject({ reason: 'holds_stock' });
      await m.record(m.leaderA, {
        kind: 'returned',
        quantity: 299,
        fromContingentId: m.a.id,
        toDepotId: m.depot.id,
      });
      expect((await remove()).statusCode).toBe(409);
      await m.record(m.leaderA, {
        kind: 'returned',
        quantity: 1,
        fromContingentId: m.a.id,
        toDepotId: m.depot.id,
      });
      expect((await remove()).statusCode).toBe(204);
      const [paper] = (await m.stock(m.admin)).materials;
      expect(paper!.totals).toEqual({ received: 1000, onHand: 1000, handedOut: 0, lost: 0 });
    });
  });

  describe('GET /api/live (materials)', () => {
    let base = '';
    beforeAll(async () => {
      base = await t().app.listen({ port: 0, host: '127.0.0.1' });
    });

    /** The stocked march, a coordinator, B's volunteer, and sockets for all of them. */
    async function listening() {
      const m = await stocked();
      const coordinator = await t().invited(m.admin, m.event.id, 'coordinator', undefined, 'Cora');
      const volunteerB = await t().invited(m.admin, m.event.id, 'volunteer', m.b.id, 'Bea');
      const people = {
        coordinator,
        leaderA: m.leaderA,
        volunteerA: m.volunteerA,
        leaderB: m.leaderB,
        volunteerB,
      };
      const { lastSeq } = await t().send<EventPlan>(m.admin, 'GET', m.path);
      const sockets = {} as Record<keyof typeof people, LiveClient>;
      for (const [name, session] of Object.entries(people)) {
        sockets[name as keyof typeof people] = await LiveClient.connect(base, {
          origin: base,
          eventId: m.event.id,
          token: session.token,
          since: lastSeq,
        });
      }
      /** Announces the end to everyone and waits until every socket has it; then closes them. */
      const heard = async () => {
        await t().send(m.admin, 'POST', `${m.path}/announcements`, {
          target: 'event',
          body: 'End of the drill',
        });
        const received: Record<string, LiveMessage[]> = {};
        for (const [name, socket] of Object.entries(sockets)) {
          await socket.until((all) => all.some((x) => x.type === 'announcement.created'));
          socket.close();
          received[name] = socket.messages.filter((x) => x.type !== 'announcement.created');
        }
        return received as Record<keyof typeof people, LiveMessage[]>;
      };
      return { ...m, people, heard };
    }

    const types = (messages: LiveMessage[]) => messages.map((x) => x.type);

    it('delivers a movement whole to coordinators, to leaders with their own balance, nameless to members', async () => {
      const m = await listening();
      const handed = await m.record(m.leaderA, {
        kind: 'distributed',
        quantity: 10,
        fromContingentId: m.a.id,
      });
      const toB = await m.record(m.leaderA, {
        kind: 'transferred',
        quantity: 20,
        fromContingentId: m.a.id,
        toContingentId: m.b.id,
      });
      const depots = await m.record(m.admin, {
        kind: 'transferred',
        quantity: 30,
        fromDepotId: m.depot.id,
        toDepotId: m.depot2.id,
      });
      const got = await m.heard();

      expect(got.coordinator.map((x) => x.data)).toEqual([handed, toB, depots]);
      const own = (recorded: RecordedMovement, id: string, name: string | null) => ({
        movement: { ...recorded.movement, recordedByName: name },
        balances: recorded.balances.filter((b) => b.holder.id === id),
      });
      expect(got.leaderA.map((x) => x.data)).toEqual([
        own(handed, m.a.id, 'Ada Kovacs'),
        own(toB, m.a.id, 'Ada Kovacs'),
      ]);
      expect(got.volunteerA.map((x) => x.data)).toEqual([
        own(handed, m.a.id, null),
        own(toB, m.a.id, null),
      ]);
      expect(got.leaderB.map((x) => x.data)).toEqual([own(toB, m.b.id, 'Ada Kovacs')]);
      expect(got.volunteerB.map((x) => x.data)).toEqual([own(toB, m.b.id, null)]);
      for (const messages of Object.values(got)) {
        expect(types(messages).every((type) => type === 'material.moved')).toBe(true);
      }
    });

    it('alerts only coordinators of low stock', async () => {
      const m = await listening();
      await t().send(m.admin, 'PUT', `${m.path}/materials/${m.paper.id}/level`, {
        contingentId: m.a.id,
        planned: null,
        lowStockThreshold: 250,
      });
      await m.record(m.volunteerA, { kind: 'distributed', quantity: 60, fromContingentId: m.a.id });
      const got = await m.heard();
      expect(types(got.coordinator)).toEqual([
        'material.level',
        'material.moved',
        'material.lowStock',
      ]);
      expect(got.coordinator[2]!.data).toMatchObject({ name: 'A', quantity: 240, threshold: 250 });
      expect(types(got.leaderA)).toEqual(['material.level', 'material.moved']);
      expect(types(got.volunteerA)).toEqual(['material.moved']);
      expect(got.leaderB).toEqual([]);
      expect(got.volunteerB).toEqual([]);
    });

    it("tells coordinators and that contingent's leader of its requests", async () => {
      const m = await listening();
      const request = await t().send<MaterialRequest>(
        m.leaderA,
        'POST',
        `${m.path}/material-requests`,
        { materialId: m.paper.id, contingentId: m.a.id, quantity: 50 },
      );
      await t().send(m.admin, 'POST', `${m.path}/material-requests/${request.id}/decision`, {
        decision: 'fulfil',
        fromDepotId: m.depot.id,
      });
      const got = await m.heard();
      const expected = ['materialRequest.created', 'material.moved', 'materialRequest.decided'];
      expect(types(got.coordinator)).toEqual(expected);
      expect(types(got.leaderA)).toEqual(expected);
      expect(got.leaderA[0]!.data).toEqual({ request });
      expect(got.leaderA[2]!.data).toMatchObject({
        request: { id: request.id, status: 'fulfilled' },
      });
      expect(types(got.volunteerA)).toEqual(['material.moved']);
      expect(got.leaderB).toEqual([]);
      expect(got.volunteerB).toEqual([]);
    });
  });
});
