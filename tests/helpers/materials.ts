// Factories for the materials ledger tests: a march with a depot full of newspapers, and
// helpers to record movements and read what the database holds.
import { and, asc, eq } from 'drizzle-orm';
import type { LightMyRequestResponse } from 'fastify';
import { changeRecords, materialBalances, materialMovements } from '../../drizzle/schema.ts';
import type {
  Depot,
  HolderRef,
  Material,
  RecordedMovement,
  Stock,
} from '../../server/features/materials/schemas.ts';
import type { Session, TestApp } from './app.ts';

export const depotRef = (id: string): HolderRef => ({ kind: 'depot', id });
export const contingentRef = (id: string): HolderRef => ({ kind: 'contingent', id });
export const SUPPLIER_REF: HolderRef = { kind: 'supplier', id: null };
export const PUBLIC_REF: HolderRef = { kind: 'public', id: null };
export const LOST_REF: HolderRef = { kind: 'lost', id: null };

/** An application/problem+json answer, as the error plugin writes it. */
export interface Problem {
  status: number;
  detail: string;
  errors?: { field: string; message: string }[];
  reason?: string;
  params?: Record<string, string | number>;
}

/** The fields a 400 names. */
export function fieldsOf(res: LightMyRequestResponse): string[] {
  return (res.json<Problem>().errors ?? []).map((e) => e.field);
}

export async function newMaterial(
  app: TestApp,
  as: Session,
  eventId: string,
  overrides: object = {},
): Promise<Material> {
  return app.send<Material>(as, 'POST', `/api/events/${eventId}/materials`, {
    kind: 'literature',
    name: 'Red Flag — May issue',
    language: 'es',
    ...overrides,
  });
}

export async function newDepot(
  app: TestApp,
  as: Session,
  eventId: string,
  name = 'Union hall',
): Promise<Depot> {
  return app.send<Depot>(as, 'POST', `/api/events/${eventId}/depots`, {
    name,
    position: { lat: 34.05, lng: -118.25 },
  });
}

/** Records movements of an event's materials and reads back the ledger and the balances. */
export function ledgerOf(app: TestApp, eventId: string, materialId: string) {
  const move = (as: Session | null, body: object, key?: string) =>
    app.inject({
      method: 'POST',
      url: `/api/events/${eventId}/movements`,
      headers: { ...(as?.headers ?? {}), ...(key ? { 'idempotency-key': key } : {}) },
      payload: { materialId, ...body },
    });
  return {
    move,
    /** Records a movement that must succeed, and returns what the server answered. */
    async record(as: Session, body: object, key?: string): Promise<RecordedMovement> {
      const res = await move(as, body, key);
      if (res.statusCode !== 201)
        throw new Error(`movement refused: ${res.statusCode} ${res.body}`);
      return res.json<RecordedMovement>();
    },
    stock: (as: Session) => app.send<Stock>(as, 'GET', `/api/events/${eventId}/stock`),
    /** The event's movements as stored, oldest first. */
    ledger: () =>
      app.app.db
        .select()
        .from(materialMovements)
        .where(eq(materialMovements.eventId, eventId))
        .orderBy(asc(materialMovements.number)),
    /** Every stored balance of the event, by `<materialId> <holder>`. */
    async balances(): Promise<Record<string, number>> {
      const rows = await app.app.db
        .select()
        .from(materialBalances)
        .where(eq(materialBalances.eventId, eventId));
      return Object.fromEntries(rows.map((r) => [`${r.materialId} ${r.holder}`, r.quantity]));
    },
    /** The change records of one type, oldest first. */
    changes: (type: string) =>
      app.app.db
        .select()
        .from(changeRecords)
        .where(and(eq(changeRecords.eventId, eventId), eq(changeRecords.type, type)))
        .orderBy(asc(changeRecords.seq)),
  };
}

/**
 * A march (see TestApp.newMarch) plus the leader of B, a newspaper, the Union hall depot
 * with 1,000 copies received, 300 of them allocated to A, and an empty Church basement.
 */
export async function stockedMarch(app: TestApp) {
  const march = await app.newMarch();
  const { admin, event, a, b } = march;
  const leaderB = await app.invited(admin, event.id, 'leader', b.id, 'Ben Tanaka');
  const paper = await newMaterial(app, admin, event.id);
  const depot = await newDepot(app, admin, event.id, 'Union hall');
  const depot2 = await newDepot(app, admin, event.id, 'Church basement');
  const ledger = ledgerOf(app, event.id, paper.id);
  const receipt = await ledger.record(admin, {
    kind: 'received',
    quantity: 1000,
    toDepotId: depot.id,
  });
  const allocation = await ledger.record(admin, {
    kind: 'allocated',
    quantity: 300,
    fromDepotId: depot.id,
    toContingentId: a.id,
  });
  return {
    ...march,
    ...ledger,
    app,
    leaderB,
    paper,
    depot,
    depot2,
    receipt: receipt.movement,
    allocation: allocation.movement,
    path: `/api/events/${event.id}`,
    /** The stored balance of the newspaper at `holder` (a ledger key such as `depot:<id>`). */
    async balance(holder: string): Promise<number> {
      return (await ledger.balances())[`${paper.id} ${holder}`] ?? 0;
    },
  };
}

export type StockedMarch = Awaited<ReturnType<typeof stockedMarch>>;
