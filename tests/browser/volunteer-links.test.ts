// A volunteer's phone hands a meeting point on to its maps app (a geo: link) and its calendar
// (an .ics file made in the page, so it works without the network).
import { readFile } from 'node:fs/promises';
import { beforeAll, describe, expect, it } from 'vitest';
import { hasChromium, screenshot, useServerAndBrowser } from './browser.ts';
import { HttpApi, signedInPage } from './fixtures.ts';

const SOON = { timeout: 15_000 };
const PHONE = { width: 360, height: 740 };
const BOATHOUSE = 'MacArthur Park boathouse, north side';

describe.runIf(hasChromium)("a volunteer's meeting point links in the browser", () => {
  const running = useServerAndBrowser('volunteer-links');
  const march = {} as { volunteer: HttpApi; eventId: string };

  beforeAll(async () => {
    const admin = await new HttpApi(running.server.origin).join(running.server.setupLink!, 'Rosa');
    const event = await admin.newEvent();
    const transit = await admin.call<{ id: string }>(
      'POST',
      `/api/events/${event.id}/contingents`,
      { name: 'Transit workers', expectedSize: 120, colour: '#0b57d0' },
    );
    await admin.call('POST', `/api/events/${event.id}/meeting-points`, {
      name: BOATHOUSE,
      position: { lat: 34.0581, lng: -118.2765 },
      address: '2230 W 6th St, Los Angeles',
      meetTime: '09:30',
      instructions: 'Look for the red banner; bring water.',
    });
    await admin.call('POST', `/api/events/${event.id}/meeting-points`, {
      name: 'Grand Park',
      position: { lat: 34.0561, lng: -118.2468 },
    });
    const guest = new HttpApi(running.server.origin);
    Object.assign(march, {
      eventId: event.id,
      volunteer: await guest.join(
        await admin.inviteLink(event.id, 'volunteer', transit.id),
        'Luis',
      ),
    });
  });

  it('opens a meeting point in maps and adds it to the calendar, offline too', async () => {
    const phone = await signedInPage(running.browser, march.volunteer, { viewport: PHONE });
    await phone.goto(`${running.server.origin}/events/${march.eventId}`);
    const boathouse = phone.getByTestId('meeting-point-item').filter({ hasText: BOATHOUSE });
    const grandPark = phone.getByTestId('meeting-point-item').filter({ hasText: 'Grand Park' });
    await boathouse.waitFor(SOON);

    const maps = boathouse.getByTestId('open-in-maps');
    expect(await maps.getAttribute('href')).toBe(
      'geo:34.0581,-118.2765?q=34.0581,-118.2765(MacArthur%20Park%20boathouse%2C%20north%20side)',
    );
    const calendar = boathouse.getByTestId('add-to-calendar');
    expect(await calendar.textContent()).toContain('Add to calendar');
    for (const link of [maps, calendar]) {
      const box = (await link.boundingBox())!;
      expect(box.height).toBeGreaterThanOrEqual(44);
      expect(box.width).toBeGreaterThanOrEqual(44);
      expect(box.x + box.width).toBeLessThanOrEqual(PHONE.width);
    }
    // A meeting point without a time can go on a map, not in a calendar.
    expect(await grandPark.getByTestId('open-in-maps').count()).toBe(1);
    expect(await grandPark.getByTestId('add-to-calendar').count()).toBe(0);
    await screenshot(phone, 'volunteer-meeting-links', true);

    // The file is made in the page: no network needed.
    await phone.context().setOffline(true);
    const [download] = await Promise.all([phone.waitForEvent('download'), calendar.click()]);
    expect(download.suggestedFilename()).toBe('macarthur-park-boathouse-north-side.ics');
    const ics = await readFile((await download.path())!, 'utf8');
    expect(ics).toMatch(/^BEGIN:VCALENDAR\r\n/);
    const unfolded = ics.replace(/\r\n[ \t]/g, '');
    // 09:30 in Los Angeles on 1 May is 16:30 UTC.
    expect(unfolded).toContain('\r\nDTSTART:20270501T163000Z\r\n');
    expect(unfolded).toMatch(/\r\nSUMMARY:(.+: )?MacArthur Park boathouse\\, north side\r\n/);
    expect(unfolded).toContain('\r\nDESCRIPTION:Look for the red banner\\; bring water.\r\n');
    await phone.context().close();
  }, 60_000);

  it('labels the links in Spanish', async () => {
    const phone = await signedInPage(running.browser, march.volunteer, { viewport: PHONE });
    await phone.goto(`${running.server.origin}/events/${march.eventId}`);
    const boathouse = phone.getByTestId('meeting-point-item').filter({ hasText: BOATHOUSE });
    await boathouse.waitFor(SOON);
    await phone.getByTestId('lang-es').click();
    await expect
      .poll(() => boathouse.getByTestId('open-in-maps').textContent())
      .toContain('Abrir en mapas');
    expect(await boathouse.getByTestId('add-to-calendar').textContent()).toContain(
      'Añadir al calendario',
    );
    await phone.context().close();
  }, 60_000);
});
