// The day of the march in Chromium: a leader shares the contingent's position from a phone
// and the coordinators' map follows it; an announcement and a moved meeting point reach an
// open volunteer page without a reload; the live indicator says whether the page is live, and
// a page that was offline catches up on what it missed.
import type { Locator, Page } from 'playwright-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { STALE_AFTER_MS as SERVER_STALE_AFTER_MS } from '../../server/features/positions/schemas.ts';
import type { EventPlan } from '../../web/src/lib/api.ts';
import { applyChange } from '../../web/src/lib/plan-changes.ts';
import { STALE_AFTER_MS } from '../../web/src/lib/progress.ts';
import { worthSending } from '../../web/src/lib/sharing-rule.ts';
import { hasChromium, screenshot, useServerAndBrowser } from './browser.ts';
import { HttpApi, type PageOptions, signedInPage } from './fixtures.ts';

/** How long a page may take to show what the server knows: a browser, a socket, a database. */
const SOON = { timeout: 15_000 };
/** A phone sends at most every 5 s: a move right after a report waits for that pause. */
const AFTER_PAUSE = { timeout: 25_000 };
const PHONE = { width: 360, height: 740 };
const DESK = { width: 1280, height: 800 };

/** East along Wilshire Boulevard, from MacArthur Park towards downtown. */
const ROUTE: [number, number][] = [
  [-118.2775, 34.0576],
  [-118.265, 34.0563],
  [-118.2525, 34.0549],
  [-118.2428, 34.0537],
];
const AT_ASSEMBLY = { latitude: 34.0575, longitude: -118.2768, accuracy: 12 };
const DOWN_THE_ROAD = { latitude: 34.0562, longitude: -118.2641, accuracy: 8 };

describe('the rules the day-of pages follow', () => {
  it('agrees with the server on when a contingent is stale', () => {
    expect(STALE_AFTER_MS).toBe(SERVER_STALE_AFTER_MS);
  });

  it('sends a position at most every 5 s, and only after 25 m or 30 s', () => {
    const at = (lat: number, measuredAt: number) => ({
      position: { lat, lng: -118.27 },
      accuracy: 10,
      measuredAt,
    });
    const METRE = 1 / 111_320;
    const sent = { ...at(34.05, 1_000), at: 1_000 };
    expect(worthSending(null, at(34.05, 0), 0)).toBe(true);
    expect(worthSending(sent, at(34.05 + 100 * METRE, 4_000), 4_000)).toBe(false);
    expect(worthSending(sent, at(34.05 + 10 * METRE, 7_000), 7_000)).toBe(false);
    expect(worthSending(sent, at(34.05 + 30 * METRE, 7_000), 7_000)).toBe(true);
    expect(worthSending(sent, at(34.05, 31_500), 31_500)).toBe(true);
    // The same fix again is not news, however long ago it was sent.
    expect(worthSending(sent, at(34.05 + 30 * METRE, 1_000), 60_000)).toBe(false);
  });

  it('applies live changes to a plan, and asks for the plan again when a message is not enough', () => {
    const plan = {
      positions: [],
      meetingPoints: [{ id: 'm1', name: 'Boathouse', position: { lat: 1, lng: 2 } }],
      contingents: [{ id: 'c1', marchOrder: 1, status: null }],
    } as unknown as EventPlan;
    const change = (type: string, data: unknown) =>
      applyChange(plan, { seq: 9, type, eventId: 'e', data });
    const position = { contingentId: 'c1', position: { lat: 3, lng: 4 } };
    expect(change('contingent.position', position)).toMatchObject({ positions: [position] });
    expect(
      change('contingent.status', { contingentId: 'c1', status: 'marching', statusChangedAt: 'x' }),
    ).toMatchObject({ contingents: [{ id: 'c1', status: 'marching' }] });
    const moved = { id: 'm1', name: 'Boathouse', position: { lat: 5, lng: 6 } };
    expect(
      change('meetingPoint.updated', { meetingPoint: moved, fields: ['position'] }),
    ).toMatchObject({ meetingPoints: [moved] });
    expect(change('meetingPoint.deleted', { meetingPointId: 'm1' })).toMatchObject({
      meetingPoints: [],
    });
    expect(change('event.updated', { fields: ['date'] })).toBe('reload');
    expect(change('announcement.created', {})).toBeNull();
  });
});

describe.runIf(hasChromium)('the day of the march in the browser', () => {
  const running = useServerAndBrowser('live');
  const march = {} as {
    admin: HttpApi;
    leader: HttpApi;
    volunteer: HttpApi;
    eventId: string;
    contingentId: string;
    quietContingentId: string;
    meetingPointId: string;
  };

  beforeAll(async () => {
    const admin = await new HttpApi(running.server.origin).join(running.server.setupLink!, 'Rosa');
    const event = await admin.newEvent({
      route: { type: 'LineString', coordinates: ROUTE },
      assemblyPoint: { lat: 34.0576, lng: -118.2775 },
    });
    const transit = await admin.call<{ id: string }>(
      'POST',
      `/api/events/${event.id}/contingents`,
      { name: 'Transit workers', expectedSize: 120, colour: '#0b57d0' },
    );
    const garment = await admin.call<{ id: string }>(
      'POST',
      `/api/events/${event.id}/contingents`,
      { name: 'Garment workers', expectedSize: 80, colour: '#5b2a86' },
    );
    const meetingPoint = await admin.call<{ id: string }>(
      'POST',
      `/api/events/${event.id}/meeting-points`,
      { name: 'MacArthur Park boathouse', position: { lat: 34.0581, lng: -118.2765 } },
    );
    const guest = new HttpApi(running.server.origin);
    Object.assign(march, {
      admin,
      eventId: event.id,
      contingentId: transit.id,
      quietContingentId: garment.id,
      meetingPointId: meetingPoint.id,
      leader: await guest.join(await admin.inviteLink(event.id, 'leader', transit.id), 'Dolores'),
      volunteer: await guest.join(
        await admin.inviteLink(event.id, 'volunteer', transit.id),
        'Luis',
      ),
    });
  });

  const liveState = (page: Page) => page.getByTestId('live-status').getAttribute('data-state');
  /** Opens the march's event page or live map as `as`, and waits until it follows live. */
  const openLive = async (as: HttpApi, view: 'event' | 'live', options: PageOptions) => {
    const page = await signedInPage(running.browser, as, options);
    const path = view === 'live' ? '/live' : '';
    await page.goto(`${running.server.origin}/events/${march.eventId}${path}`);
    await expect.poll(() => liveState(page), SOON).toBe('live');
    return page;
  };
  const marker = (page: Page, contingentId = march.contingentId): Locator =>
    page.locator(`[data-testid="contingent-marker"][data-contingent-id="${contingentId}"]`);
  const markerAt = async (page: Page) => {
    const at = marker(page);
    if ((await at.count()) === 0) return null;
    return {
      lat: Number(await at.getAttribute('data-lat')),
      lng: Number(await at.getAttribute('data-lng')),
    };
  };

  it("moves the contingent on the coordinators' map as the leader's phone shares its position", async () => {
    const desk = await openLive(march.admin, 'live', { viewport: DESK });
    expect(await marker(desk).count()).toBe(0);

    const phone = await openLive(march.leader, 'event', {
      viewport: PHONE,
      geolocation: AT_ASSEMBLY,
    });
    await phone.getByTestId('share-position').click();
    await expect
      .poll(() => phone.getByTestId('share-state').textContent(), SOON)
      .toContain('Last sent');

    await expect
      .poll(() => markerAt(desk), SOON)
      .toEqual({ lat: AT_ASSEMBLY.latitude, lng: AT_ASSEMBLY.longitude });
    expect(await marker(desk).getAttribute('data-stale')).toBe('false');
    // The leader sees their own contingent on their map too.
    await expect.poll(() => markerAt(phone), SOON).not.toBeNull();

    // The phone moves 1 km down the route: sent once 5 s have passed since the last report.
    await phone.context().setGeolocation(DOWN_THE_ROAD);
    await expect
      .poll(() => markerAt(desk), AFTER_PAUSE)
      .toEqual({ lat: DOWN_THE_ROAD.latitude, lng: DOWN_THE_ROAD.longitude });
    const row = desk.locator(
      `[data-testid="progress-row"][data-contingent-id="${march.contingentId}"]`,
    );
    expect(await row.getAttribute('data-order')).toBe('1');
    expect(await row.getByTestId('progress-percent').textContent()).toMatch(/\d+ % of the route/);

    // The leader sets the status; the coordinators' table shows it pressed.
    await phone.locator('[data-testid="set-status"][data-status="marching"]').click();
    const marching = desk.locator(
      `[data-testid="status-buttons"][data-contingent-id="${march.contingentId}"] [data-status="marching"]`,
    );
    await expect.poll(() => marching.getAttribute('aria-pressed'), SOON).toBe('true');
    // A contingent last heard from 3 minutes ago is marked stale, on the map and in the table.
    await march.admin.call(
      'PUT',
      `/api/events/${march.eventId}/contingents/${march.quietContingentId}/position`,
      {
        position: { lat: 34.0571, lng: -118.2731 },
        accuracy: 20,
        recordedAt: new Date(Date.now() - 3 * 60_000).toISOString(),
      },
    );
    const quiet = marker(desk, march.quietContingentId);
    await expect.poll(() => quiet.getAttribute('data-stale'), SOON).toBe('true');
    const quietRow = desk.locator(
      `[data-testid="progress-row"][data-contingent-id="${march.quietContingentId}"]`,
    );
    expect(await quietRow.getAttribute('data-stale')).toBe('true');
    expect(await quietRow.getAttribute('data-order')).toBe('2');
    expect(await quietRow.getByTestId('stale-flag').count()).toBe(1);
    expect(await row.getAttribute('data-stale')).toBe('false');

    await screenshot(phone, 'leader-day', true);
    await screenshot(desk, 'coordinator-live');
    await phone.context().close();
    await desk.context().close();
  }, 120_000);

  it('shows an announcement and a moved meeting point on an open volunteer page without a reload', async () => {
    const phone = await openLive(march.volunteer, 'event', { viewport: PHONE });
    expect(await phone.getByTestId('live-status').textContent()).toContain('Live');
    // Marks this page load: a reload would lose it.
    await phone.evaluate(() => Object.assign(globalThis, { sameLoad: true }));

    const desk = await openLive(march.admin, 'live', { viewport: DESK });
    await desk.getByTestId('announcement-body-input').fill('Rally moved to Grand Park');
    await desk.getByTestId('send-announcement').click();

    const banner = phone.getByTestId('announcement-banner');
    await expect.poll(() => banner.textContent(), SOON).toContain('Grand Park');
    await expect.poll(() => phone.getByTestId('announcement-item').count(), SOON).toBe(1);

    const pin = phone.locator('[data-testid="map"] .meeting-pin');
    await pin.waitFor({ state: 'attached', ...SOON });
    const pinBefore = await pin.boundingBox();
    await march.admin.call(
      'PATCH',
      `/api/events/${march.eventId}/meeting-points/${march.meetingPointId}`,
      { position: { lat: 34.0559, lng: -118.2702 }, address: 'Wilshire Blvd & Alvarado St' },
    );
    const meetingPoint = phone.getByTestId('meeting-point-item');
    await expect.poll(() => meetingPoint.textContent(), SOON).toContain('Alvarado');
    expect(await meetingPoint.getByTestId('meeting-point-changed').count()).toBe(1);
    // Its pin on the map moves too (east along the route, so to the right).
    await expect
      .poll(async () => (await pin.boundingBox())!.x, SOON)
      .toBeGreaterThan(pinBefore!.x + 5);
    await screenshot(phone, 'volunteer-announcement', true);

    // Volunteers see their own contingent, to about 200 m, once the coordinators allow it.
    expect(await marker(phone).count()).toBe(0);
    await desk.getByTestId('share-contingent-positions').check();
    await expect.poll(() => markerAt(phone), SOON).not.toBeNull();
    expect(await phone.getByTestId('contingent-legend').textContent()).toContain('about 200 m');

    await phone.getByTestId('dismiss-announcement').click();
    expect(await banner.count()).toBe(0);
    expect(await phone.evaluate(() => 'sameLoad' in globalThis)).toBe(true);
    await phone.context().close();
    await desk.context().close();
  }, 120_000);

  it('says when the page is offline, and catches up on what it missed when back', async () => {
    const phone = await openLive(march.volunteer, 'event', { viewport: PHONE });
    await screenshot(phone, 'volunteer-live');

    const announcements = phone.getByTestId('announcement-item');
    const section = phone.getByTestId('announcements');
    await expect.poll(() => section.getAttribute('data-loaded'), SOON).toBe('true');
    const before = await announcements.count();
    await phone.context().setOffline(true);
    await expect.poll(() => liveState(phone), SOON).toBe('offline');
    expect(await phone.getByTestId('live-status').textContent()).toMatch(/Offline since \d/);
    await screenshot(phone, 'volunteer-offline');
    await march.admin.call('POST', `/api/events/${march.eventId}/announcements`, {
      target: 'contingent',
      contingentId: march.contingentId,
      body: 'Transit workers: hold at 5th St',
    });

    await phone.context().setOffline(false);
    await expect.poll(() => liveState(phone), SOON).toBe('live');
    await expect
      .poll(() => phone.getByTestId('announcement-banner').textContent(), SOON)
      .toContain('hold at 5th St');
    expect(await announcements.count()).toBe(before + 1);
    await phone.context().close();
  }, 60_000);
});
