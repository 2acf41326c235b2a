// The administrator's first hour, in Chromium on the real built app: open the setup
// link, create an event, add a meeting point by clicking the map, reload; then a
// volunteer's link shows that meeting point.
import type { BrowserContext, Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { hasChromium, screenshot, useServerAndBrowser } from './browser.ts';

describe.runIf(hasChromium)('planning a march in the browser', () => {
  const running = useServerAndBrowser('planning');

  /** A fresh phone-sized or desk-sized browser; map tiles are unreachable here, as offline. */
  async function newPage(viewport = { width: 1280, height: 800 }): Promise<[BrowserContext, Page]> {
    const context = await running.browser.newContext({ viewport, locale: 'en-US' });
    await context.route(/tile\.openstreetmap\.org/, (route) => route.abort());
    const page = await context.newPage();
    page.on('pageerror', (error) => console.error('page error:', error.message));
    return [context, page];
  }

  async function joinThrough(page: Page, link: string, displayName: string) {
    await page.goto(link);
    await page.getByTestId('display-name').fill(displayName);
    await page.getByTestId('join-submit').click();
  }

  it('lets the administrator plan a meeting point on the map that survives a reload and reaches a volunteer', async () => {
    const [adminContext, page] = await newPage();
    const setupLink = running.server.setupLink!;
    await joinThrough(page, setupLink, 'Rosa');
    // The token is gone from the address bar once exchanged for the session cookie.
    await page.getByTestId('create-event-form').waitFor();
    expect(page.url()).not.toContain('#');
    const cookies = await adminContext.cookies();
    expect(cookies.find((c) => c.name === 'muster_session')).toMatchObject({
      httpOnly: true,
      sameSite: 'Strict',
    });

    await page.getByTestId('event-name-input').fill('May Day — Los Angeles');
    await page.getByTestId('event-date-input').fill('2027-05-01');
    await page.getByTestId('event-time-input').fill('10:00');
    await page.getByTestId('event-timezone-input').selectOption('America/Los_Angeles');
    await page.getByTestId('create-event').click();
    await page.getByTestId('plan-title').waitFor();
    await expect.poll(() => page.getByTestId('plan-title').textContent()).toContain('May Day');

    await page.getByTestId('add-meeting-point').click();
    const map = page.getByTestId('map');
    await map.click({ position: { x: 200, y: 150 } });
    await page.getByTestId('meeting-point-form').waitFor();
    await page.getByTestId('meeting-point-name').fill('MacArthur Park boathouse');
    await page.getByTestId('meeting-point-time').fill('08:30');
    await page.getByTestId('save-meeting-point').click();
    const list = page.getByTestId('meeting-point-list');
    await expect.poll(() => list.textContent()).toContain('MacArthur Park boathouse');
    await screenshot(page, 'coordinator-plan');

    await page.reload();
    await expect
      .poll(() => page.getByTestId('meeting-point-list').textContent(), { timeout: 15_000 })
      .toContain('MacArthur Park boathouse');
    // The marker is on the map (Leaflet loads after the text) although no tile loaded.
    await expect
      .poll(() => page.locator('[data-testid="map"] .leaflet-marker-icon').count())
      .toBe(1);

    await page.setViewportSize({ width: 360, height: 740 });
    await screenshot(page, 'coordinator-plan-phone');
    await page.setViewportSize({ width: 1280, height: 800 });

    await page.getByTestId('invite-role').selectOption('volunteer');
    await page.getByTestId('create-invite').click();
    const volunteerLink = (await page.getByTestId('invite-link').textContent())!.trim();
    expect(volunteerLink).toMatch(/\/join#[\w-]{43}$/);
    await page.getByTestId('invite-qr').waitFor();
    await screenshot(page, 'coordinator-invite');

    const [volunteerContext, phone] = await newPage({ width: 360, height: 740 });
    await joinThrough(phone, volunteerLink, 'Lupe');
    await expect
      .poll(() => phone.locator('body').textContent(), { timeout: 15_000 })
      .toContain('MacArthur Park boathouse');
    expect(phone.url()).not.toContain('#');
    await screenshot(phone, 'volunteer-event');

    // Spanish at the flick of the switch, remembered across a reload.
    await phone.getByTestId('lang-es').click();
    await expect.poll(() => phone.locator('body').textContent()).toContain('Dónde encontrarnos');
    await phone.reload();
    await expect
      .poll(() => phone.locator('body').textContent(), { timeout: 15_000 })
      .toContain('Dónde encontrarnos');
    expect(await phone.locator('html').getAttribute('lang')).toBe('es');
    await screenshot(phone, 'volunteer-event-es');

    await volunteerContext.close();
    await adminContext.close();
  }, 120_000);
});
