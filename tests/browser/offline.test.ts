// A volunteer page that works in a crowd whose network has collapsed, in Chromium: opened
// offline, the phone shows the last plan it saw (where and when to meet, its roles), marked
// "offline since"; "I'm here", a claim and a leader's "+10" taken offline wait on the phone and
// reach the server exactly once when the network is back — also when the answer to the first
// try was lost on its way back, since the retry carries the same idempotency key.
import type { Page, Request } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hasChromium, screenshot, useServerAndBrowser } from './browser.ts';
import { HttpApi, type PageOptions, signedInPage } from './fixtures.ts';

/** How long a page may take to show what the server knows: a browser, a socket, a database. */
const SOON = { timeout: 15_000 };
const PHONE = { width: 360, height: 740 };
const BOATHOUSE = 'MacArthur Park boathouse';
/** The reads of the volunteer page whose answers the service worker keeps. */
const KEPT_READS = ['', '/role-slots', '/announcements', '/check-ins/me'];

describe.runIf(hasChromium)('the volunteer page offline, in the browser', () => {
  const running = useServerAndBrowser('offline');
  const march = {} as {
    admin: HttpApi;
    leader: HttpApi & { personId: string };
    eventId: string;
    contingentId: string;
    meetingPointId: string;
    materialId: string;
  };
  const pages: Page[] = [];
  const at = (path: string) => `/api/events/${march.eventId}${path}`;

  beforeAll(async () => {
    const admin = await new HttpApi(running.server.origin).join(running.server.setupLink!, 'Rosa');
    const event = await admin.newEvent();
    const path = (rest: string) => `/api/events/${event.id}${rest}`;
    const transit = await admin.call<{ id: string }>('POST', path('/contingents'), {
      name: 'Transit workers',
      expectedSize: 40,
      colour: '#0b57d0',
    });
    const point = await admin.call<{ id: string }>('POST', path('/meeting-points'), {
      name: BOATHOUSE,
      position: { lat: 34.0581, lng: -118.2765 },
      meetTime: '09:00',
    });
    for (const [name, capacity] of [
      ['Marshal', 4],
      ['Medic', 2],
      ['Banner', 1],
    ] as const) {
      await admin.call('POST', path('/role-slots'), { contingentId: transit.id, name, capacity });
    }
    const paper = await admin.call<{ id: string }>('POST', path('/materials'), {
      kind: 'literature',
      name: 'Red Flag — May issue',
    });
    const depot = await admin.call<{ id: string }>('POST', path('/depots'), {
      name: 'Union hall',
      position: { lat: 34.0581, lng: -118.2765 },
    });
    await admin.call('POST', path('/movements'), {
      materialId: paper.id,
      kind: 'received',
      quantity: 1000,
      toDepotId: depot.id,
    });
    await admin.call('POST', path('/movements'), {
      materialId: paper.id,
      kind: 'allocated',
      quantity: 300,
      fromDepotId: depot.id,
      toContingentId: transit.id,
    });
    Object.assign(march, {
      admin,
      eventId: event.id,
      contingentId: transit.id,
      meetingPointId: point.id,
      materialId: paper.id,
      leader: await new HttpApi(running.server.origin).join(
        await admin.inviteLink(event.id, 'leader', transit.id),
        'Dolores',
      ),
    });
  });

  afterAll(async () => {
    for (const page of pages) await page.context().close();
  });

  const volunteer = async (name: string) =>
    new HttpApi(running.server.origin).join(
      await march.admin.inviteLink(march.eventId, 'volunteer', march.contingentId),
      name,
    );

  /** Opens the event page as `as` and waits until it follows the event live. */
  const openLive = async (as: HttpApi, options: PageOptions = { viewport: PHONE }) => {
    const page = await signedInPage(running.browser, as, options);
    pages.push(page);
    await page.goto(`${running.server.origin}/events/${march.eventId}`);
    await expect
      .poll(() => page.getByTestId('live-status').getAttribute('data-state'), SOON)
      .toBe('live');
    return page;
  };

  // What runs in the page is a string: the tests are checked without the browser's types.
  /** The paths whose answers the service worker keeps. */
  const keptPaths = (page: Page) =>
    page.evaluate<string[]>(`(async () => {
      const kept = await (await caches.open('muster-answers')).keys();
      return kept.map((request) => new URL(request.url).pathname);
    })()`);

  /** Waits until the service worker controls the page and keeps every read of its plan. */
  const keptForOffline = async (page: Page) => {
    // Polled from outside: the app's CSP refuses a string evaluated inside the page.
    await expect
      .poll(() => page.evaluate<boolean>('navigator.serviceWorker.controller !== null'), SOON)
      .toBe(true);
    const reads = ['/api/me', '/api/config', ...KEPT_READS.map((read) => at(read))];
    await expect
      .poll(async () => {
        const kept = await keptPaths(page);
        return reads.filter((read) => !kept.includes(read));
      }, SOON)
      .toEqual([]);
  };

  /** The kept answer to the plan's read, as the page would get it offline. */
  const keptPlan = (page: Page) =>
    page.evaluate<{ meetingPoints: { name: string }[] } | null>(`(async () => {
      const kept = await (await caches.open('muster-answers')).match(${JSON.stringify(at(''))});
      return kept ? kept.json() : null;
    })()`);

  /** Writes of `path` the page sent that reached the server (an answer came back). */
  const writesTo = (page: Page, method: string, path: RegExp) => {
    const answered: Request[] = [];
    page.on('requestfinished', (request) => {
      if (request.method() === method && path.test(new URL(request.url()).pathname)) {
        answered.push(request);
      }
    });
    return answered;
  };

  /** The keys of the actions waiting in the page's outboxes. */
  const queuedKeys = (page: Page) =>
    page.evaluate<string[]>(`Object.keys(localStorage)
      .filter((name) => name.startsWith('muster.outbox.'))
      .flatMap((name) => JSON.parse(localStorage.getItem(name)))
      .map((entry) => entry.key)`);

  const checkedIn = async () => {
    const attendance = await march.admin.call<{ contingents: { checkedIn: number }[] }>(
      'GET',
      at('/attendance'),
    );
    return attendance.contingents[0]!.checkedIn;
  };

  it('opens offline on the last plan it saw: where and when to meet, and its roles', async () => {
    const luis = await volunteer('Luis');
    const slots = await luis.call<{ id: string; name: string }[]>('GET', at('/role-slots'));
    const marshal = slots.find((slot) => slot.name === 'Marshal')!;
    await luis.call('POST', at(`/role-slots/${marshal.id}/claims`), {});

    const phone = await openLive(luis);
    await keptForOffline(phone);
    // A change that arrives live is what the phone saw last, so it is what it keeps.
    const seenLast = `${BOATHOUSE}, north side`;
    await march.admin.call('PATCH', at(`/meeting-points/${march.meetingPointId}`), {
      name: seenLast,
    });
    const points = phone.getByTestId('meeting-point-list');
    await expect.poll(() => points.textContent(), SOON).toContain(seenLast);
    await expect
      .poll(async () => (await keptPlan(phone))?.meetingPoints[0]?.name, SOON)
      .toBe(seenLast);

    await phone.context().setOffline(true);
    // Moved again, where the phone cannot hear it: offline, it must show what it last saw.
    await march.admin.call('PATCH', at(`/meeting-points/${march.meetingPointId}`), {
      name: 'Grand Park',
    });
    await phone.reload();
    await expect.poll(() => points.textContent(), SOON).toContain(seenLast);
    expect(await points.textContent()).not.toContain('Grand Park');
    expect(await phone.getByTestId('meeting-point-time').textContent()).toContain('9:00');
    expect(await phone.getByTestId('my-roles').textContent()).toContain('Marshal');
    const banner = phone.getByTestId('offline-banner');
    expect(await banner.textContent()).toMatch(
      /^Offline since \d{1,2}:\d{2}\s?[AP]M — showing what this phone saw at \d{1,2}:\d{2}/,
    );
    expect(await phone.getByTestId('offline-status').getAttribute('role')).toBe('status');
    await screenshot(phone, 'volunteer-offline-plan', true);

    await phone.getByTestId('lang-es').click();
    await expect.poll(() => banner.textContent()).toMatch(/^Sin conexión desde las \d{1,2}:\d{2}/);
    await phone.getByTestId('lang-en').click();

    // Back online: the page catches up from the plan it kept, and the banner goes.
    await phone.context().setOffline(false);
    await expect.poll(() => points.textContent(), SOON).toContain('Grand Park');
    await expect.poll(() => banner.count(), SOON).toBe(0);
  }, 120_000);

  it('sends a check-in tapped offline once the network is back, and only once', async () => {
    const ana = await volunteer('Ana');
    const phone = await openLive(ana);
    const sent = writesTo(phone, 'POST', /\/check-ins$/);
    await keptForOffline(phone);

    await phone.context().setOffline(true);
    await phone.getByTestId('offline-banner').waitFor(SOON);
    await phone.getByTestId('check-in').click();
    const queued = phone.getByTestId('check-in-queued');
    await queued.waitFor(SOON);
    expect(await queued.textContent()).toContain(
      'Checked in on this phone — will send when back online',
    );
    await queued.scrollIntoViewIfNeeded();
    await screenshot(phone, 'volunteer-offline-check-in-queued');
    // Kept on the phone, not in the page: still waiting after a reload.
    await phone.reload();
    await queued.waitFor(SOON);
    expect(await checkedIn()).toBe(0);
    expect(sent).toHaveLength(0);

    await phone.context().setOffline(false);
    const state = phone.getByTestId('check-in-state');
    await expect.poll(() => state.textContent(), SOON).toMatch(/Checked in at \d{1,2}:\d{2}/);
    expect(await checkedIn()).toBe(1);
    const mine = await ana.call<{ checkIn: { personId: string } | null }>(
      'GET',
      at('/check-ins/me'),
    );
    expect(mine.checkIn?.personId).toBe(ana.personId);
    // The queue is empty: another round (the timer, the next `online`) sends nothing more.
    expect(await queuedKeys(phone)).toEqual([]);
    expect(sent).toHaveLength(1);
    await screenshot(phone, 'volunteer-offline-check-in-sent');
  }, 120_000);

  it('checks in once when the answer to the tap is lost and the retry sends it again', async () => {
    const marta = await volunteer('Marta');
    // Without the worker, page.route sees the page's own requests.
    const phone = await openLive(marta, { viewport: PHONE, serviceWorkers: 'block' });
    const keys: string[] = [];
    await phone.route('**/check-ins', async (route) => {
      keys.push(route.request().headers()['idempotency-key'] ?? '');
      if (keys.length > 1) return route.continue();
      // It reaches the server, which checks her in; the answer never reaches the phone.
      const reached = await route.fetch();
      expect(reached.status()).toBe(201);
      await route.abort('connectionreset');
    });

    const before = await checkedIn();
    // The first answer the page sees is the retry's (the first try's is cut off).
    const retried = phone.waitForResponse((r) => r.url().endsWith('/check-ins'), SOON);
    await phone.getByTestId('check-in').click();
    // The phone cannot know it arrived: it keeps the check-in, with its key, to send again.
    await expect.poll(() => queuedKeys(phone), SOON).toEqual([keys[0]]);
    expect(await checkedIn()).toBe(before + 1);

    // The network comes back (and with it the `online` that sends what waits).
    await phone.context().setOffline(true);
    await phone.context().setOffline(false);
    const answer = await retried;
    // The server's first answer, kept with the key, not a second check-in.
    expect(await answer.headerValue('idempotent-replayed')).toBe('true');
    expect(answer.status()).toBe(201);
    expect(keys).toHaveLength(2);
    expect(keys[1]).toBe(keys[0]);
    expect(keys[0]).toMatch(/^[0-9a-f-]{36}$/);
    await expect
      .poll(() => phone.getByTestId('check-in-state').textContent(), SOON)
      .toMatch(/Checked in at/);
    expect(await checkedIn()).toBe(before + 1);
    await expect.poll(() => queuedKeys(phone), SOON).toEqual([]);
  }, 120_000);

  it('sends claims made offline once when back, and says so when a role filled up', async () => {
    const jose = await volunteer('José');
    const phone = await openLive(jose);
    const claims = writesTo(phone, 'POST', /\/claims$/);
    const slot = (name: string) =>
      phone.locator(`[data-testid="role-slot"][data-slot-name="${name}"]`);
    await slot('Banner').getByTestId('claim-slot').waitFor(SOON);

    await phone.context().setOffline(true);
    await phone.getByTestId('offline-banner').waitFor(SOON);
    await slot('Medic').getByTestId('claim-slot').click();
    await slot('Banner').getByTestId('claim-slot').click();
    for (const name of ['Medic', 'Banner']) {
      await expect
        .poll(() => slot(name).getByTestId('claim-queued').textContent(), SOON)
        .toContain('Claimed on this phone — will send when back online');
    }
    // Meanwhile the leader takes the only banner place.
    const slots = await march.leader.call<{ id: string; name: string }[]>('GET', at('/role-slots'));
    const banner = slots.find((s) => s.name === 'Banner')!;
    await march.leader.call('POST', at(`/role-slots/${banner.id}/claims`), {});
    expect(claims).toHaveLength(0);

    await phone.context().setOffline(false);
    const myRoles = phone.getByTestId('my-roles');
    await expect.poll(() => myRoles.textContent(), SOON).toContain('Medic');
    const refusal = phone.getByTestId('outbox-refusal');
    await expect
      .poll(() => refusal.textContent(), SOON)
      .toContain('Your claim of “Banner” from while you were offline was not recorded.');
    expect(await refusal.textContent()).toContain('“Banner” is full');
    expect(await myRoles.textContent()).not.toContain('Banner');
    const dismiss = refusal.getByTestId('dismiss-refusal');
    const box = (await dismiss.boundingBox())!;
    expect(Math.min(box.width, box.height)).toBeGreaterThanOrEqual(44);
    await screenshot(phone, 'volunteer-offline-claim-refused');
    await dismiss.click();
    expect(await refusal.count()).toBe(0);

    const after = await march.admin.call<{ name: string; holders: { personId: string }[] }[]>(
      'GET',
      at('/role-slots'),
    );
    const holders = (name: string) => after.find((s) => s.name === name)!.holders;
    expect(holders('Medic').map((h) => h.personId)).toEqual([jose.personId]);
    expect(holders('Banner').map((h) => h.personId)).toEqual([march.leader.personId]);
    expect(claims).toHaveLength(2);
  }, 120_000);

  it('forgets the plan it kept when the person signs out, for the next on the phone', async () => {
    const phone = await openLive(await volunteer('Pablo'));
    await keptForOffline(phone);
    await phone.getByTestId('sign-out').click();
    await phone.waitForURL(`${running.server.origin}/`, SOON);
    await expect
      .poll(async () => (await keptPaths(phone)).filter((path) => path !== '/api/config'), SOON)
      .toEqual([]);
  }, 120_000);

  it("counts a leader's +10 logged offline once, when the network is back", async () => {
    const phone = await openLive(march.leader);
    const movements = writesTo(phone, 'POST', /\/movements$/);
    const card = phone.getByTestId(`leader-material-${march.materialId}`);
    await expect.poll(() => card.getByTestId('leader-onHand').textContent(), SOON).toBe('300');

    await phone.context().setOffline(true);
    await phone.getByTestId('offline-banner').waitFor(SOON);
    await card.getByTestId('hand-out-10').click();
    const queued = card.getByTestId('hand-out-queued');
    await expect
      .poll(() => queued.textContent(), SOON)
      .toContain('10 copies handed out on this phone — will send when back online');
    expect(movements).toHaveLength(0);
    await screenshot(phone, 'leader-offline-hand-out-queued');

    await phone.context().setOffline(false);
    await expect.poll(() => card.getByTestId('leader-distributed').textContent(), SOON).toBe('10');
    expect(await card.getByTestId('leader-onHand').textContent()).toBe('290');
    expect(await queued.count()).toBe(0);
    const stock = await march.admin.call<{
      materials: { holders: { holder: { id: string }; handedOut: number }[] }[];
    }>('GET', at('/stock'));
    const row = stock.materials[0]!.holders.find((h) => h.holder.id === march.contingentId)!;
    expect(row.handedOut).toBe(10);
    expect(movements).toHaveLength(1);
  }, 120_000);
});
