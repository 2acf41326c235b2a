// The ledger's arithmetic under random use: fast-check generates sequences of movements —
// valid ones, ones larger than what is there, ones going the wrong way, reversals of any
// earlier movement — and applies them through the API to a fresh event each run, against
// a plain model of the balances. Whatever the sequence, nothing is created or destroyed:
// for every material, received = on hand + handed out + lost.
import { sql } from 'drizzle-orm';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Depot, Material, Stock } from '../../server/features/materials/schemas.ts';
import { type Session, type TestApp, useTestApp } from '../helpers/app.ts';
import { databaseKinds } from '../helpers/databases.ts';
import { ledgerOf } from '../helpers/materials.ts';

type MoveKind =
  'received' | 'allocated' | 'transferred' | 'returned' | 'distributed' | 'lost' | 'damaged';
type Place = 'depot0' | 'depot1' | 'contingent0' | 'contingent1';
type Amount = { exact: number } | 'all' | 'more';

type Command =
  | {
      op: 'move';
      kind: MoveKind;
      material: 0 | 1;
      /** `stocked`: whichever holder of the kinds it takes has the most of the material. */
      from: Place | 'stocked' | null;
      to: Place | null;
      amount: Amount;
      position: boolean;
    }
  | { op: 'reverse'; pick: number; otherMaterial: boolean };

/** Where each kind may come from and go to, as the design says; null: outside the stock. */
const RULES: Record<
  MoveKind,
  { from: ('depot' | 'contingent' | null)[]; to: ('depot' | 'contingent' | null)[] }
> = {
  received: { from: [null], to: ['depot'] },
  allocated: { from: ['depot'], to: ['contingent'] },
  transferred: { from: ['depot', 'contingent'], to: ['depot', 'contingent'] },
  returned: { from: ['contingent'], to: ['depot'] },
  distributed: { from: ['depot', 'contingent'], to: [null] },
  lost: { from: ['depot', 'contingent'], to: [null] },
  damaged: { from: ['depot', 'contingent'], to: [null] },
};
/** The holders outside the stock a kind names without an id. */
const SUPPLIED: Partial<Record<MoveKind, string>> = { received: 'supplier' };
const GONE: Partial<Record<MoveKind, string>> = {
  distributed: 'public',
  lost: 'lost',
  damaged: 'lost',
};
const PLACES: Place[] = ['depot0', 'depot1', 'contingent0', 'contingent1'];
const kindOf = (place: Place) => (place.startsWith('depot') ? 'depot' : 'contingent');

const placesFor = (allowed: ('depot' | 'contingent' | null)[]) => [
  ...(allowed.includes(null) ? [null] : []),
  ...PLACES.filter((p) => allowed.includes(kindOf(p))),
];
const anyPlace = fc.constantFrom<Place | null>(null, ...PLACES);

/** Mostly a count that may or may not be there; sometimes all of it, one more, or none. */
const amount = (most: number): fc.Arbitrary<Amount> =>
  fc.oneof(
    { arbitrary: fc.integer({ min: 1, max: most }).map((exact) => ({ exact })), weight: 6 },
    { arbitrary: fc.constant('all' as const), weight: 3 },
    { arbitrary: fc.constant('more' as const), weight: 2 },
    { arbitrary: fc.constant({ exact: 0 }), weight: 1 },
  );

const move: fc.Arbitrary<Command> = fc
  .constantFrom<MoveKind>(
    'received',
    'allocated',
    'allocated',
    'allocated',
    'transferred',
    'transferred',
    'returned',
    'returned',
    'distributed',
    'distributed',
    'lost',
    'damaged',
  )
  .chain((kind) => {
    const rules = RULES[kind];
    const from = rules.from.includes(null)
      ? fc.constant(null)
      : fc.oneof(
          { arbitrary: fc.constantFrom(...placesFor(rules.from)), weight: 1 },
          { arbitrary: fc.constant('stocked' as const), weight: 2 },
        );
    // Mostly the holders this kind takes; now and then any holders at all.
    const holders = fc.oneof(
      { arbitrary: fc.tuple(from, fc.constantFrom(...placesFor(rules.to))), weight: 5 },
      { arbitrary: fc.tuple(anyPlace, anyPlace), weight: 1 },
    );
    return fc.record({
      op: fc.constant('move' as const),
      kind: fc.constant(kind),
      material: fc.constantFrom<0 | 1>(0, 0, 1),
      holders,
      amount: amount(kind === 'received' ? 1000 : 200),
      position: fc.integer({ min: 0, max: 9 }).map((n) => n === 0),
    });
  })
  .map(({ holders: [from, to], ...rest }) => ({ ...rest, from, to }));

/** Each run starts with stock received into a depot or two. */
const receipt: fc.Arbitrary<Command> = fc.record({
  op: fc.constant('move' as const),
  kind: fc.constant('received' as const),
  material: fc.constantFrom<0 | 1>(0, 1),
  from: fc.constant(null),
  to: fc.constantFrom<Place>('depot0', 'depot1'),
  amount: fc.integer({ min: 100, max: 1000 }).map((exact) => ({ exact })),
  position: fc.constant(false),
});

const reverse: fc.Arbitrary<Command> = fc.record({
  op: fc.constant('reverse' as const),
  pick: fc.nat(),
  otherMaterial: fc.integer({ min: 0, max: 9 }).map((n) => n === 0),
});

const commands = fc
  .tuple(
    fc.array(receipt, { minLength: 1, maxLength: 3 }),
    fc.array(fc.oneof({ arbitrary: move, weight: 4 }, { arbitrary: reverse, weight: 1 }), {
      minLength: 5,
      maxLength: 27,
      // Lengths across the whole range, not only the short ones fast-check prefers.
      size: 'max',
    }),
  )
  .map(([opening, rest]) => [...opening, ...rest]);

interface ModelMovement {
  id: string;
  kind: MoveKind | 'reversal';
  materialId: string;
  from: string;
  to: string;
  quantity: number;
  reversed: boolean;
}

/** The ledger as the test understands it: balances per `<materialId> <holder>`, and movements. */
class Model {
  readonly balances: Record<string, number> = {};
  readonly movements: ModelMovement[] = [];

  available(materialId: string, holder: string): number {
    return this.balances[`${materialId} ${holder}`] ?? 0;
  }

  apply(m: Omit<ModelMovement, 'reversed'>): void {
    const from = `${m.materialId} ${m.from}`;
    const to = `${m.materialId} ${m.to}`;
    this.balances[from] = (this.balances[from] ?? 0) - m.quantity;
    this.balances[to] = (this.balances[to] ?? 0) + m.quantity;
    this.movements.push({ ...m, reversed: false });
  }
}

const isStock = (holder: string) => holder.startsWith('depot:') || holder.startsWith('contingent:');
const refOf = (holder: string) => {
  const [kind, id] = holder.split(':');
  return { kind, id: id ?? null };
};

/** An event with two depots, two contingents and two materials, made through the API. */
async function freshEvent(app: TestApp, admin: Session) {
  const event = await app.newEvent(admin, { name: 'May Day — property run' });
  const path = `/api/events/${event.id}`;
  const depots = await Promise.all(
    ['North hall', 'South hall'].map((name) =>
      app.send<Depot>(admin, 'POST', `${path}/depots`, { name, position: { lat: 34, lng: -118 } }),
    ),
  );
  const contingents = [
    await app.newContingent(admin, event.id, { name: 'Nurses' }),
    await app.newContingent(admin, event.id, { name: 'Teachers' }),
  ];
  const materials = await Promise.all(
    (['literature', 'sign'] as const).map((kind) =>
      app.send<Material>(admin, 'POST', `${path}/materials`, { kind, name: `A ${kind}` }),
    ),
  );
  const holderOf = (place: Place) =>
    place.startsWith('depot')
      ? `depot:${depots[Number(place.at(-1))]!.id}`
      : `contingent:${contingents[Number(place.at(-1))]!.id}`;
  const bodyIds = (side: 'from' | 'to', place: Place | null) => {
    if (!place) return {};
    const i = Number(place.at(-1));
    return place.startsWith('depot')
      ? { [`${side}DepotId`]: depots[i]!.id }
      : { [`${side}ContingentId`]: contingents[i]!.id };
  };
  return { event, materials, holderOf, bodyIds };
}

type Fixture = Awaited<ReturnType<typeof freshEvent>>;

interface Planned {
  body: object;
  status: 201 | 400 | 409;
  /** What a success appends to the ledger. */
  movement?: Omit<ModelMovement, 'id' | 'reversed'>;
  reverses?: ModelMovement;
}

/** What the model expects of a movement command, and the body that asks for it. */
function planMove(model: Model, f: Fixture, c: Extract<Command, { op: 'move' }>): Planned {
  const material = f.materials[c.material]!;
  const rules = RULES[c.kind];
  if (c.from === 'stocked') {
    const allowed = placesFor(rules.from).filter((p) => p !== null && p !== c.to) as Place[];
    const most = (p: Place) => model.available(material.id, f.holderOf(p));
    const stocked = [...allowed].sort((x, y) => most(y) - most(x))[0]!;
    return planMove(model, f, { ...c, from: stocked });
  }
  const fits = (place: Place | null, allowed: ('depot' | 'contingent' | null)[]) =>
    allowed.includes(place ? kindOf(place) : null);
  const valid =
    fits(c.from, rules.from) && fits(c.to, rules.to) && (c.from === null || c.from !== c.to);
  // Only valid movements are applied to the model; an invalid one may name no holder at all.
  const from = c.from ? f.holderOf(c.from) : (SUPPLIED[c.kind] ?? 'nowhere');
  const to = c.to ? f.holderOf(c.to) : (GONE[c.kind] ?? 'nowhere');
  const available = valid && isStock(from) ? model.available(material.id, from) : 50;
  const quantity =
    c.amount === 'all' ? available : c.amount === 'more' ? available + 1 : c.amount.exact;
  const body = {
    materialId: material.id,
    kind: c.kind,
    quantity,
    ...f.bodyIds('from', c.from),
    ...f.bodyIds('to', c.to),
    ...(c.position ? { position: { lat: 34.05, lng: -118.25 } } : {}),
  };
  if (!valid || quantity < 1 || (c.position && c.kind !== 'distributed')) {
    return { body, status: 400 };
  }
  if (isStock(from) && quantity > available) return { body, status: 409 };
  return {
    body,
    status: 201,
    movement: { kind: c.kind, materialId: material.id, from, to, quantity },
  };
}

function planReversal(model: Model, f: Fixture, c: Extract<Command, { op: 'reverse' }>): Planned {
  const target = model.movements[c.pick % Math.max(1, model.movements.length)];
  if (!target) {
    const unknown = '00000000-0000-4000-8000-000000000000';
    return {
      body: { materialId: f.materials[0]!.id, kind: 'reversal', reverses: unknown },
      status: 400,
    };
  }
  const other = f.materials.find((m) => m.id !== target.materialId)!;
  const body = {
    materialId: c.otherMaterial ? other.id : target.materialId,
    kind: 'reversal',
    reverses: target.id,
  };
  if (c.otherMaterial || target.kind === 'reversal') return { body, status: 400 };
  if (target.reversed) return { body, status: 409 };
  if (model.available(target.materialId, target.to) < target.quantity) return { body, status: 409 };
  return {
    body,
    status: 201,
    reverses: target,
    movement: {
      kind: 'reversal',
      materialId: target.materialId,
      from: target.to,
      to: target.from,
      quantity: target.quantity,
    },
  };
}

describe.each(databaseKinds)('materials ledger invariants on %s', (kind) => {
  const t = useTestApp(kind);

  /** Balances per `<materialId> <holder>`, summed from the ledger rows in SQL. */
  async function ledgerSums(eventId: string): Promise<Record<string, number>> {
    const result = (await t().app.db.execute(sql`
      select material_id::text as material, holder, sum(q)::int as quantity
      from (
        select material_id, to_holder as holder, quantity as q
          from material_movements where event_id = ${eventId}
        union all
        select material_id, from_holder, -quantity
          from material_movements where event_id = ${eventId}
      ) flows
      group by material_id, holder`)) as unknown as {
      rows: { material: string; holder: string; quantity: number }[];
    };
    return Object.fromEntries(
      result.rows.map((r) => [`${r.material} ${r.holder}`, Number(r.quantity)]),
    );
  }

  /** For each material: received, and on hand + handed out + lost, from balances by key. */
  function books(balances: Record<string, number>, materialId: string) {
    const of = (holder: string) => balances[`${materialId} ${holder}`] ?? 0;
    const onHand = Object.entries(balances)
      .filter(([key]) => key.startsWith(`${materialId} `) && isStock(key.split(' ')[1]!))
      .reduce((sum, [, quantity]) => sum + quantity, 0);
    return { received: 0 - of('supplier'), onHand, handedOut: of('public'), lost: of('lost') };
  }

  async function run(admin: Session, sequence: Command[]): Promise<void> {
    const app = t();
    const f = await freshEvent(app, admin);
    const ledger = ledgerOf(app, f.event.id, f.materials[0]!.id);
    const model = new Model();
    for (const command of sequence) {
      const planned =
        command.op === 'move' ? planMove(model, f, command) : planReversal(model, f, command);
      const res = await ledger.move(admin, planned.body);
      const context = `${JSON.stringify(command)} → ${res.statusCode} ${res.body}`;
      expect(res.statusCode, context).toBe(planned.status);
      if (planned.status === 201) {
        const { movement, balances } = res.json<{
          movement: { id: string; from: unknown; to: unknown; quantity: number };
          balances: unknown[];
        }>();
        const m = planned.movement!;
        model.apply({ ...m, id: movement.id });
        if (planned.reverses) planned.reverses.reversed = true;
        expect(movement, context).toMatchObject({
          from: refOf(m.from),
          to: refOf(m.to),
          quantity: m.quantity,
        });
        expect(balances, context).toEqual(
          [m.from, m.to]
            .filter(isStock)
            .map((h) => ({ holder: refOf(h), quantity: model.available(m.materialId, h) })),
        );
      } else if (planned.status === 409) {
        expect(res.json<{ reason?: string }>().reason, context).toMatch(
          /^(insufficient_stock|already_reversed)$/,
        );
      }
      // A refusal changed nothing; a success changed exactly what the model did.
      expect(await ledger.balances(), context).toEqual(model.balances);
      expect(await ledger.ledger(), context).toHaveLength(model.movements.length);
    }

    const stored = await ledger.balances();
    const summed = await ledgerSums(f.event.id);
    expect(summed).toEqual(stored);
    for (const [key, quantity] of Object.entries(stored)) {
      if (!key.endsWith(' supplier')) expect(quantity, key).toBeGreaterThanOrEqual(0);
    }
    const stock = await app.send<Stock>(admin, 'GET', `/api/events/${f.event.id}/stock`);
    for (const material of f.materials) {
      const fromModel = books(model.balances, material.id);
      const { totals, holders } = stock.materials.find((s) => s.material.id === material.id)!;
      for (const counted of [totals!, books(stored, material.id), books(summed, material.id)]) {
        expect(counted).toEqual(fromModel);
        expect(counted.received).toBe(counted.onHand + counted.handedOut + counted.lost);
      }
      expect(
        Object.fromEntries(
          holders.map((h) => [`${material.id} ${h.holder.kind}:${h.holder.id}`, h.onHand]),
        ),
      ).toEqual(
        Object.fromEntries(
          Object.entries(model.balances).filter(
            ([key]) => key.startsWith(`${material.id} `) && isStock(key.split(' ')[1]!),
          ),
        ),
      );
    }
  }

  it(
    'keeps received = on hand + handed out + lost, and refusals change nothing, whatever the sequence',
    { timeout: 180_000 },
    async () => {
      const admin = await t().administrator();
      await fc.assert(
        fc.asyncProperty(commands, (sequence) => run(admin, sequence)),
        { numRuns: 40 },
      );
    },
  );
});
