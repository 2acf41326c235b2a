// The volunteer's page on a phone: the first screen answers where, when and with whom as text
// (meeting point, countdown, what to bring, roles, contingent and leader) before the map and
// the announcements; a moved meeting point says what changed; and "Find my contingent" says
// how far and which way the contingent is, once the coordinators allow it.
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { formatClock } from '../../web/src/lib/format.ts';
import { hasChromium, screenshot, useServerAndBrowser } from './browser.ts';
import { HttpApi, type PageOptions, signedInPage } from './fixtures.ts';

/** How long a page may take to show what the server knows: a browser, a socket, a database. */
const SOON = { timeout: 15_000 };
const PHONE = { width: 360, height: 740 };
const TAP = 44;
/** The volunteer arrives late, south-west of the march. */
const LATE_ARRIVAL = { latitude: 34.05, longitude: -118.28, accuracy: 15 };
/** The contingent, about 1.5 km north-east of them. */
const CONTINGENT_AT = { lat: 34.06, lng: -118.268 };

/** "2027-05-01" and "09:30" in UTC, `minutes` from now. */
function utcDateAndTime(minutes: number): { date: string; time: string } {
  const at = new Date(Date.now() + minutes * 60_000).toISOString();
  return { date: at.slice(0, 10), time: at.slice(11, 16) };
}

/** Whether `first` comes before `second` in the page (the script runs there, as a string). */
function comesBefore(page: Page, first: string, second: string): Promise<boolean> {
  const [a, b] = [JSON.stringify(first), JSON.stringify(second)];
  return page.evaluate(`(() => {
    const [x, y] = [document.querySelector(${a}), document.querySelector(${b})];
    return !!x && !!y && (x.compareDocumentPosition(y) & Node.DOCUMENT_POSITION_FOLLOWING) !== 0;
  })()`);
}

describe.runIf(hasChromium)('the volunteer page in the browser', () => {
  const running = useServerAndBrowser('volunteer-page');
  const march = {} as {
    admin: HttpApi;
    leader: HttpApi;
    volunteer: HttpApi;
    eventId: string;
    contingentId: string;
    meetingPointId: string;
    meetTime: string;
  };
  const pages: Page[] = [];

  beforeAll(async () => {
    const admin = await new HttpApi(running.server.origin).join(running.server.setupLink!, 'Rosa');
    // The meeting is 1 h 20 min away (and a bit), so the countdown has something to say.
    const meeting = utcDateAndTime(81);
    const event = await admin.newEvent({
      date: meeting.date,
      startTime: meeting.time,
      timezone: 'UTC',
      bring: 'Water, a hat, your union card.',
    });
    const at = (path: string) => `/api/events/${event.id}${path}`;
    const transit = await admin.call<{ id: string }>('POST', at('/contingents'), {
      name: 'Transit workers',
      expectedSize: 40,
      colour: '#0b57d0',
    });
    const meetingPoint = await admin.call<{ id: string }>('POST', at('/meeting-points'), {
      name: 'MacArthur Park boathouse',
      address: 'Wilshire Blvd & Alvarado St',
      position: { lat: 34.0581, lng: -118.2765 },
      meetTime: meeting.time,
      instructions: 'Enter from 6th St; the boathouse is on the left.',
    });
    const slot = await admin.call<{ id: string }>('POST', at('/role-slots'), {
      contingentId: transit.id,
      preset: 'marshal',
      name: 'Marshal',
      capacity: 4,
    });
    const guest = new HttpApi(running.server.origin);
    const volunteer = await guest.join(
      await admin.inviteLink(event.id, 'volunteer', transit.id),
      'Luis',
    );
    await volunteer.call('POST', at(`/role-slots/${slot.id}/claims`), {});
    Object.assign(march, {
      admin,
      volunteer,
      eventId: event.id,
      contingentId: transit.id,
      meetingPointId: meetingPoint.id,
      meetTime: meeting.time,
      leader: await guest.join(await admin.inviteLink(event.id, 'leader', transit.id), 'Dolores'),
    });
  });

  afterAll(async () => {
    for (const page of pages) await page.context().close();
  });

  const open = async (options: PageOptions) => {
    const page = await signedInPage(running.browser, march.volunteer, options);
    pages.push(page);
    await page.goto(`${running.server.origin}/events/${march.eventId}`);
    await page.getByTestId('meeting-point-item').waitFor(SOON);
    return page;
  };

  it('shows where, when, what to bring, roles and contingent as text before the map', async () => {
    const phone = await open({ viewport: PHONE });
    const card = phone.getByTestId('meeting-point-item');
    expect(await card.textContent()).toContain('MacArthur Park boathouse');
    expect(await card.textContent()).toContain('Wilshire Blvd & Alvarado St');
    expect(await phone.getByTestId('meeting-point-countdown').textContent()).toMatch(
      /in 1 h (1\d|20) min/,
    );
    expect(await phone.getByTestId('meeting-point-instructions').textContent()).toContain(
      'Enter from 6th St',
    );
    const bring = await phone.getByTestId('what-to-bring').textContent();
    expect(bring).toContain('What to bring');
    expect(bring).toContain('Water, a hat, your union card.');
    await expect.poll(() => phone.getByTestId('my-roles').textContent(), SOON).toContain('Marshal');
    expect(await phone.getByTestId('my-contingent').textContent()).toContain('Leader: Dolores');

    const meeting = '[data-testid="meeting-point-list"]';
    expect(await comesBefore(phone, meeting, '[data-testid="my-roles"]')).toBe(true);
    expect(
      await comesBefore(phone, '[data-testid="my-roles"]', '[data-testid="my-contingent"]'),
    ).toBe(true);
    expect(await comesBefore(phone, '[data-testid="my-contingent"]', '[data-testid="map"]')).toBe(
      true,
    );
    expect(await comesBefore(phone, '[data-testid="map"]', '[data-testid="announcements"]')).toBe(
      true,
    );
    // The place and time are on the first screen, without scrolling.
    const time = await phone.getByTestId('meeting-point-countdown').boundingBox();
    expect(time!.y + time!.height).toBeLessThanOrEqual(PHONE.height);
    // Sharing is off: nothing to find yet.
    expect(await phone.getByTestId('find-my-contingent').count()).toBe(0);
    await screenshot(phone, 'volunteer-first-screen');
  }, 60_000);

  it('says what changed when the meeting point moves while the page is open', async () => {
    const phone = await open({ viewport: PHONE });
    await expect
      .poll(() => phone.getByTestId('live-status').getAttribute('data-state'), SOON)
      .toBe('live');
    const later = utcDateAndTime(111).time;
    await march.admin.call(
      'PATCH',
      `/api/events/${march.eventId}/meeting-points/${march.meetingPointId}`,
      {
        position: { lat: 34.0559, lng: -118.2702 },
        address: '7th St & Figueroa St',
        meetTime: later,
      },
    );
    const changed = phone.getByTestId('meeting-point-changed');
    await expect
      .poll(() => changed.textContent(), SOON)
      .toContain('Moved from Wilshire Blvd & Alvarado St');
    const [before, after] = [formatClock(march.meetTime, 'en-US'), formatClock(later, 'en-US')];
    expect(await changed.textContent()).toContain(`Time changed from ${before} to ${after}`);
  }, 60_000);

  it('finds the contingent, about how far and which way, once sharing is on', async () => {
    await march.admin.call('PATCH', `/api/events/${march.eventId}`, {
      shareContingentPositions: true,
    });
    await march.leader.call(
      'PUT',
      `/api/events/${march.eventId}/contingents/${march.contingentId}/position`,
      { position: CONTINGENT_AT, accuracy: 20, recordedAt: new Date().toISOString() },
    );
    const phone = await open({ viewport: PHONE, geolocation: LATE_ARRIVAL });
    const button = phone.getByTestId('find-my-contingent-button');
    const box = await button.boundingBox();
    expect(box!.height).toBeGreaterThanOrEqual(TAP);
    // Nothing is asked of the phone before the tap.
    expect(await phone.getByTestId('find-my-contingent-result').count()).toBe(0);
    await button.click();
    const result = phone.getByTestId('find-my-contingent-result');
    await expect
      .poll(() => result.textContent(), SOON)
      .toMatch(/Your contingent is about 1\.\d km north-east of you/);
    expect(await phone.getByTestId('find-my-contingent').textContent()).toContain(
      'reported just now',
    );
    await screenshot(phone, 'volunteer-find-contingent');
  }, 60_000);
});
