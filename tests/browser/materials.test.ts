// Materials on the day in Chromium: a leader logs "+50 handed out" with one tap on a phone
// and the coordinators' board shows the contingent's stock and the event's totals change
// without a reload; the board's ledger link downloads a CSV with that hand-out in it.
import { readFile } from 'node:fs/promises';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DIRECTIONS } from '../../server/features/materials/ledger.ts';
import { MAX_QUANTITY as SERVER_MAX_QUANTITY } from '../../server/features/materials/schemas.ts';
import { DEFAULT_UNITS as SERVER_DEFAULT_UNITS } from '../../server/features/materials/service.ts';
import {
  DEFAULT_UNITS,
  isMaterialChange,
  MAX_QUANTITY,
  MOVEMENT_SIDES,
  quarterHours,
} from '../../web/src/lib/materials.ts';
import { hasChromium, screenshot, useServerAndBrowser } from './browser.ts';
import { HttpApi, type PageOptions, signedInPage } from './fixtures.ts';

/** How long a page may take to show what the server knows: a browser, a socket, a database. */
const SOON = { timeout: 15_000 };
const PHONE = { width: 360, height: 740 };
const DESK = { width: 1280, height: 800 };

describe('the rules the materials pages follow', () => {
  it('agrees with the server on the most one movement may count', () => {
    expect(MAX_QUANTITY).toBe(SERVER_MAX_QUANTITY);
  });

  it('agrees with the server on default units and where each kind of movement may go', () => {
    expect(DEFAULT_UNITS).toEqual(SERVER_DEFAULT_UNITS);
    const stock = (sides: readonly string[]) =>
      sides.filter((side) => side === 'depot' || side === 'contingent');
    for (const [kind, direction] of Object.entries(DIRECTIONS)) {
      const sides = MOVEMENT_SIDES[kind as keyof typeof MOVEMENT_SIDES];
      expect({ from: sides.from, to: sides.to }, kind).toEqual({
        from: stock(direction.from),
        to: stock(direction.to),
      });
    }
  });

  it('reads the board again on changes to stock, requests and depots, and on nothing else', () => {
    for (const type of ['material.moved', 'material.lowStock', 'materialRequest.decided']) {
      expect(isMaterialChange(type)).toBe(true);
    }
    expect(isMaterialChange('depot.created')).toBe(true);
    expect(isMaterialChange('contingent.position')).toBe(false);
    expect(isMaterialChange('materials')).toBe(false);
  });

  it('charts quiet quarter hours between busy ones as zero', () => {
    const bars = quarterHours([
      { from: '2027-05-01T17:00:00.000Z', quantity: 50 },
      { from: '2027-05-01T17:45:00.000Z', quantity: 20 },
    ]);
    expect(bars.map((b) => b.quantity)).toEqual([50, 0, 0, 20]);
    expect(bars[1]!.from).toBe('2027-05-01T17:15:00.000Z');
  });
});

describe.runIf(hasChromium)('materials on the day in the browser', () => {
  const running = useServerAndBrowser('materials');
  const march = {} as {
    admin: HttpApi;
    leader: HttpApi;
    eventId: string;
    contingentId: string;
    materialId: string;
  };
  const pages: Page[] = [];

  beforeAll(async () => {
    const admin = await new HttpApi(running.server.origin).join(running.server.setupLink!, 'Rosa');
    const event = await admin.newEvent({
      assemblyPoint: { lat: 34.0576, lng: -118.2775 },
    });
    const at = (path: string) => `/api/events/${event.id}${path}`;
    const transit = await admin.call<{ id: string }>('POST', at('/contingents'), {
      name: 'Transit workers',
      expectedSize: 120,
      colour: '#0b57d0',
    });
    const paper = await admin.call<{ id: string }>('POST', at('/materials'), {
      kind: 'literature',
      name: 'Red Flag — May issue',
      language: 'es',
    });
    const depot = await admin.call<{ id: string }>('POST', at('/depots'), {
      name: 'Union hall',
      position: { lat: 34.0581, lng: -118.2765 },
    });
    await admin.call('POST', at('/movements'), {
      materialId: paper.id,
      kind: 'received',
      quantity: 1000,
      toDepotId: depot.id,
    });
    await admin.call('POST', at('/movements'), {
      materialId: paper.id,
      kind: 'allocated',
      quantity: 300,
      fromDepotId: depot.id,
      toContingentId: transit.id,
    });
    const leaderLink = await admin.inviteLink(event.id, 'leader', transit.id);
    Object.assign(march, {
      admin,
      leader: await new HttpApi(running.server.origin).join(leaderLink, 'Dolores'),
      eventId: event.id,
      contingentId: transit.id,
      materialId: paper.id,
    });
  });

  afterAll(async () => {
    for (const page of pages) await page.context().close();
  });

  /** Opens `path` of the march as `as`, and waits until the page follows it live. */
  const openLive = async (as: HttpApi, path: string, options: PageOptions) => {
    const page = await signedInPage(running.browser, as, options);
    pages.push(page);
    await page.goto(`${running.server.origin}/events/${march.eventId}${path}`);
    await expect
      .poll(() => page.getByTestId('live-status').getAttribute('data-state'), SOON)
      .toBe('live');
    return page;
  };

  it("shows a leader's +50 on the coordinators' board without a reload", async () => {
    const desk = await openLive(march.admin, '/materials', { viewport: DESK });
    const material = desk.getByTestId(`material-${march.materialId}`);
    const row = material.getByTestId(`holder-contingent-${march.contingentId}`);
    const cell = (testid: string) => row.getByTestId(testid).textContent();
    await expect.poll(() => cell('on-hand'), SOON).toBe('300');
    expect(await cell('handed-out')).toBe('0');
    expect(await material.getByTestId('totals-handed-out').textContent()).toBe('0');
    // Marks this page load: a reload would lose it.
    await desk.evaluate(() => Object.assign(globalThis, { sameLoad: true }));

    const phone = await openLive(march.leader, '', { viewport: PHONE });
    const card = phone.getByTestId(`leader-material-${march.materialId}`);
    await expect.poll(() => card.getByTestId('leader-onHand').textContent(), SOON).toBe('300');
    expect(await card.getByTestId('leader-allocated').textContent()).toBe('300');
    const plus50 = card.getByTestId('hand-out-50');
    // One thumb on a small phone: a big target.
    expect((await plus50.boundingBox())!.height).toBeGreaterThanOrEqual(44);
    await plus50.click();
    await expect.poll(() => card.getByTestId('leader-onHand').textContent(), SOON).toBe('250');
    expect(await card.getByTestId('leader-distributed').textContent()).toBe('50');
    expect(await card.getByTestId('hand-out-done').textContent()).toContain('50');

    await expect.poll(() => cell('handed-out'), SOON).toBe('50');
    expect(await cell('on-hand')).toBe('250');
    await expect
      .poll(() => material.getByTestId('totals-handed-out').textContent(), SOON)
      .toBe('50');
    expect(await material.getByTestId('totals-on-hand').textContent()).toBe('950');
    expect(await material.getByTestId('hand-out-bar').count()).toBeGreaterThan(0);
    const newest = desk.getByTestId('movement-item').first();
    expect(await newest.getAttribute('data-kind')).toBe('distributed');
    expect(await desk.evaluate(() => 'sameLoad' in globalThis)).toBe(true);

    await screenshot(phone, 'leader-materials', true);
    await screenshot(desk, 'coordinator-materials', true);
  }, 120_000);

  it('sends a leader’s request for more to the board, and the coordinator’s answer back', async () => {
    const [desk, phone] = pages as [Page, Page];
    const card = phone.getByTestId(`leader-material-${march.materialId}`);
    await card.getByTestId('request-more').click();
    await card.getByTestId('request-quantity').fill('200');
    await card.getByTestId('request-note').fill('in Spanish, to 5th St');
    await card.getByTestId('send-request').click();
    const asked = card.getByTestId('leader-request');
    await expect.poll(() => asked.getAttribute('data-status'), SOON).toBe('pending');

    const request = desk.getByTestId('pending-requests').getByTestId('request-item');
    await expect.poll(() => request.textContent(), SOON).toContain('in Spanish, to 5th St');
    expect(await request.textContent()).toContain('Transit workers');
    // Fulfilled from the depot with the most on hand, the quantity asked for.
    expect(await request.getByTestId('fulfil-quantity').inputValue()).toBe('200');
    await request.getByTestId('fulfil-request').click();

    await expect.poll(() => asked.getAttribute('data-status'), SOON).toBe('fulfilled');
    await expect.poll(() => card.getByTestId('leader-onHand').textContent(), SOON).toBe('450');
    const row = desk
      .getByTestId(`material-${march.materialId}`)
      .getByTestId(`holder-contingent-${march.contingentId}`);
    await expect.poll(() => row.getByTestId('on-hand').textContent(), SOON).toBe('450');
    expect(await desk.getByTestId('pending-requests').getByTestId('request-item').count()).toBe(0);

    // More than the contingent has: refused, in the leader's words, and nothing changes.
    await card.getByTestId('hand-out-custom').click();
    await card.getByTestId('hand-out-count').fill('1000');
    await card.getByTestId('hand-out-submit').click();
    await expect
      .poll(() => card.getByTestId('hand-out-error').textContent(), SOON)
      .toBe('Only 450 left at Transit workers: cannot move 1000.');
    expect(await card.getByTestId('leader-onHand').textContent()).toBe('450');

    // In Spanish at the flick of the switch, the default unit too.
    await phone.getByTestId('lang-es').click();
    await expect.poll(() => card.textContent()).toContain('Disponibles');
    expect(await card.getByTestId('hand-out-50').getAttribute('aria-label')).toBe(
      'Anotar el reparto de 50 ejemplares',
    );
    await screenshot(phone, 'leader-materials-es', true);
    await desk.setViewportSize(PHONE);
    await screenshot(desk, 'coordinator-materials-phone', true);
    await desk.setViewportSize(DESK);
  }, 120_000);

  it('downloads the ledger as CSV, with the hand-out in it', async () => {
    const desk = pages[0]!;
    const [download] = await Promise.all([
      desk.waitForEvent('download'),
      desk.getByTestId('ledger-csv').click(),
    ]);
    expect(download.suggestedFilename()).toMatch(/\.csv$/);
    const lines = (await readFile((await download.path())!, 'utf8')).trim().split(/\r?\n/);
    expect(lines[0]).toContain('"Number","Time (UTC)","Material"');
    // Received, allocated, handed out, and the allocation that fulfilled the request.
    expect(lines).toHaveLength(5);
    const handOut = lines.find((line) => line.includes('"distributed"'));
    expect(handOut).toBeDefined();
    for (const cell of ['"50"', '"Transit workers"', '"Handed out"', '"Dolores"']) {
      expect(handOut).toContain(cell);
    }
  }, 60_000);
});
