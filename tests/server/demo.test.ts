import { describe, expect, it } from 'vitest';
import { materialBalances, materialMovements, materials, roleSlots } from '../../drizzle/schema.ts';
import { prepareDemo } from '../../server/demo.ts';
import { useTestApp } from '../helpers/app.ts';

describe('npm run demo', () => {
  const t = useTestApp('pglite');

  it('loads May Day — Los Angeles once and prints working coordinator, leader and volunteer links', async () => {
    const first = await prepareDemo(t().app.db);
    expect(first.loaded).toBe(true);
    expect(first.plan.name).toBe('May Day — Los Angeles');
    expect(first.plan.contingents).toHaveLength(12);
    expect(first.plan.meetingPoints).toHaveLength(5);
    const admin = await t()
      .administrator()
      .catch(() => null);
    expect(admin).toBeNull(); // the demo used the setup link itself
    const slots = await t().app.db.select().from(roleSlots);
    // Three roles for each of the 12 contingents, three for the whole march.
    expect(slots).toHaveLength(12 * 3 + 3);
    // Papers in two languages and signs, received into the depot and allocated to all 12.
    expect(await t().app.db.select().from(materials)).toHaveLength(3);
    expect(await t().app.db.select().from(materialMovements)).toHaveLength(3 * (1 + 12));
    const balances = await t().app.db.select().from(materialBalances);
    expect(balances.filter((b) => b.holder.startsWith('contingent:'))).toHaveLength(3 * 12);
    expect(balances.every((b) => b.holder === 'supplier' || b.quantity > 0)).toBe(true);
    expect(first.plan.route!.coordinates.length).toBeGreaterThanOrEqual(10);
    // MacArthur Park to City Hall: the route runs west to east.
    const [start] = first.plan.route!.coordinates;
    const end = first.plan.route!.coordinates.at(-1)!;
    expect(start![0]).toBeLessThan(end[0]);

    const roles = [];
    for (const link of first.links) {
      const session = await t().join(link.path!.replace('/join#', ''), 'Tester');
      roles.push(session.person.role);
    }
    expect(roles).toEqual(['coordinator', 'leader', 'volunteer']);

    const second = await prepareDemo(t().app.db);
    expect(second.loaded).toBe(false);
    expect(second.plan.id).toBe(first.plan.id);
    expect(second.links.map((l) => l.path)).not.toEqual(first.links.map((l) => l.path));
  });
});
