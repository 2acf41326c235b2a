// "I'm here" in Chromium: a volunteer taps one big button on a phone at the meeting point, and
// the leader's phone and the coordinators' day-of map count them without a reload.
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hasChromium, screenshot, useServerAndBrowser } from './browser.ts';
import { HttpApi, type PageOptions, signedInPage } from './fixtures.ts';

/** How long a page may take to show what the server knows: a browser, a socket, a database. */
const SOON = { timeout: 15_000 };
const PHONE = { width: 360, height: 740 };
const DESK = { width: 1280, height: 800 };
/** The smallest tap target the app allows, in CSS pixels. */
const TAP = 44;

describe.runIf(hasChromium)('checking in at the meeting point in the browser', () => {
  const running = useServerAndBrowser('check-in');
  const march = {} as {
    admin: HttpApi;
    leader: HttpApi;
    volunteer: HttpApi;
    eventId: string;
    contingentId: string;
  };
  const pages: Page[] = [];

  beforeAll(async () => {
    const admin = await new HttpApi(running.server.origin).join(running.server.setupLink!, 'Rosa');
    const event = await admin.newEvent();
    const at = (path: string) => `/api/events/${event.id}${path}`;
    const transit = await admin.call<{ id: string }>('POST', at('/contingents'), {
      name: 'Transit workers',
      expectedSize: 40,
      colour: '#0b57d0',
    });
    await admin.call('POST', at('/meeting-points'), {
      name: 'MacArthur Park boathouse',
      position: { lat: 34.0581, lng: -118.2765 },
      meetTime: '09:00',
    });
    const guest = new HttpApi(running.server.origin);
    Object.assign(march, {
      admin,
      eventId: event.id,
      contingentId: transit.id,
      leader: await guest.join(await admin.inviteLink(event.id, 'leader', transit.id), 'Dolores'),
      volunteer: await guest.join(
        await admin.inviteLink(event.id, 'volunteer', transit.id),
        'Luis',
      ),
    });
  });

  afterAll(async () => {
    for (const page of pages) await page.context().close();
  });

  /** Opens `path` of the march as `as`, waits until it follows live, and marks the page load. */
  const openLive = async (as: HttpApi, path: string, options: PageOptions) => {
    const page = await signedInPage(running.browser, as, options);
    pages.push(page);
    await page.goto(`${running.server.origin}/events/${march.eventId}${path}`);
    await expect
      .poll(() => page.getByTestId('live-status').getAttribute('data-state'), SOON)
      .toBe('live');
    // A reload would lose this.
    await page.evaluate(() => Object.assign(globalThis, { sameLoad: true }));
    return page;
  };
  const sameLoad = (page: Page) => page.evaluate(() => 'sameLoad' in globalThis);

  it("counts a volunteer's tap on the leader's phone and the coordinators' map, live", async () => {
    const leader = await openLive(march.leader, '', { viewport: PHONE });
    const count = leader.getByTestId('attendance-count');
    await expect.poll(() => count.textContent(), SOON).toContain('0 of 40 here');

    const desk = await openLive(march.admin, '/live', { viewport: DESK });
    const cell = desk
      .locator(`[data-testid="progress-row"][data-contingent-id="${march.contingentId}"]`)
      .getByTestId('attendance-cell');
    await expect.poll(() => cell.textContent(), SOON).toContain('0 / 40');
    expect(await desk.getByTestId('attendance-total').getAttribute('data-checked-in')).toBe('0');

    const phone = await openLive(march.volunteer, '', { viewport: PHONE });
    const here = phone.getByTestId('check-in');
    await here.waitFor(SOON);
    const box = (await here.boundingBox())!;
    expect(box.height).toBeGreaterThanOrEqual(TAP);
    expect(box.width).toBeGreaterThanOrEqual(TAP);
    expect(await here.textContent()).toContain('I’m here');
    await here.click();

    const state = phone.getByTestId('check-in-state');
    await expect.poll(() => state.textContent(), SOON).toMatch(/Checked in at \d{1,2}:\d{2}/);
    await expect.poll(() => count.textContent(), SOON).toContain('1 of 40 here');
    await expect.poll(() => cell.getAttribute('data-checked-in'), SOON).toBe('1');
    expect(await cell.textContent()).toContain('1 / 40');
    await expect
      .poll(() => desk.getByTestId('attendance-total').getAttribute('data-checked-in'), SOON)
      .toBe('1');
    await screenshot(phone, 'volunteer-check-in', true);
    await screenshot(leader, 'leader-attendance');

    // A mistap taken back: the count goes down again everywhere, still without a reload.
    const undo = phone.getByTestId('undo-check-in');
    expect((await undo.boundingBox())!.height).toBeGreaterThanOrEqual(TAP);
    await undo.click();
    await phone.getByTestId('check-in').waitFor(SOON);
    await expect.poll(() => count.textContent(), SOON).toContain('0 of 40 here');
    await expect.poll(() => cell.getAttribute('data-checked-in'), SOON).toBe('0');

    for (const page of [leader, desk, phone]) expect(await sameLoad(page)).toBe(true);
  }, 120_000);

  it('shows the check-in again after a reload, in Spanish too', async () => {
    await march.volunteer.call('POST', `/api/events/${march.eventId}/check-ins`, {});
    const phone = await openLive(march.volunteer, '', { viewport: PHONE });
    const state = phone.getByTestId('check-in-state');
    await expect.poll(() => state.textContent(), SOON).toMatch(/Checked in at \d{1,2}:\d{2}/);
    expect(await phone.getByTestId('check-in').count()).toBe(0);
    await phone.getByTestId('lang-es').click();
    await expect
      .poll(() => state.textContent(), SOON)
      .toMatch(/Llegada registrada a las \d{1,2}:\d{2}/);
  }, 120_000);
});
