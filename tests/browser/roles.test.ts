// A leader staffs their contingent on a phone — claims a role, assigns a member — and
// the coordinator's coverage board shows it, with the uncovered critical role in red.
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { hasChromium, screenshot, useServerAndBrowser } from './browser.ts';
import { HttpApi, signedInPage } from './fixtures.ts';

describe.runIf(hasChromium)('staffing roles in the browser', () => {
  const running = useServerAndBrowser('roles');

  const pageAs = (session: HttpApi, viewport: { width: number; height: number }) =>
    signedInPage(running.browser, session, { viewport });

  const coverage = (page: Page, slotName: string) =>
    page
      .locator(`[data-testid="role-slot"][data-slot-name="${slotName}"]`)
      .getByTestId('slot-coverage')
      .textContent();

  it("lets a leader claim and assign a role, and the coordinator's board shows it", async () => {
    const admin = await new HttpApi(running.server.origin).join(running.server.setupLink!, 'Rosa');
    const event = await admin.newEvent({ name: 'May Day' });
    const transit = await admin.call<{ id: string }>(
      'POST',
      `/api/events/${event.id}/contingents`,
      {
        name: 'Transit workers',
        expectedSize: 100,
      },
    );
    const slots = `/api/events/${event.id}/role-slots`;
    await admin.call('POST', slots, {
      contingentId: transit.id,
      preset: 'marshal',
      name: 'Marshal',
      capacity: 4,
      needPerMarchers: 50,
      critical: true,
    });
    await admin.call('POST', slots, {
      contingentId: transit.id,
      preset: 'medic',
      name: 'Medic',
      capacity: 2,
      needMinimum: 1,
      critical: true,
    });
    const guest = new HttpApi(running.server.origin);
    const leader = await guest.join(
      await admin.inviteLink(event.id, 'leader', transit.id),
      'Dolores',
    );
    await guest.join(await admin.inviteLink(event.id, 'volunteer', transit.id), 'Luis');

    const phone = await pageAs(leader, { width: 360, height: 740 });
    await phone.goto(`${running.server.origin}/events/${event.id}`);
    const marshal = phone.locator('[data-testid="role-slot"][data-slot-name="Marshal"]');
    await expect.poll(() => coverage(phone, 'Marshal'), { timeout: 15_000 }).toBe('0/2');
    await marshal.getByTestId('claim-slot').click();
    await expect.poll(() => coverage(phone, 'Marshal')).toBe('1/2');
    await marshal.getByTestId('assign-slot').click();
    await marshal.getByTestId('assign-person').selectOption({ label: 'Luis' });
    await marshal.getByTestId('confirm-assign').click();
    await expect.poll(() => coverage(phone, 'Marshal')).toBe('2/2');
    await expect.poll(() => marshal.textContent()).toContain('Luis');
    await screenshot(phone, 'leader-roles', true);

    const desk = await pageAs(admin, { width: 1280, height: 800 });
    await desk.goto(`${running.server.origin}/events/${event.id}/coverage`);
    const cell = (role: string) =>
      desk.locator(
        `[data-testid="coverage-cell"][data-contingent="${transit.id}"][data-role="${role}"]`,
      );
    await expect.poll(() => cell('marshal').textContent(), { timeout: 15_000 }).toContain('2/2');
    expect(await cell('marshal').getByTestId('uncovered-critical').count()).toBe(0);
    expect(await cell('medic').textContent()).toContain('0/1');
    expect(await cell('medic').getByTestId('uncovered-critical').count()).toBe(1);
    await screenshot(desk, 'coordinator-coverage');
  }, 120_000);
});
