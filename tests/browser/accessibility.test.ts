// Accessibility of the pages people use on the day, in Chromium: axe-core (run inside the
// page) finds no serious or critical violation on the volunteer, leader and coordinator
// pages, and every button on a phone is at least 44 px each way.
import { createRequire } from 'node:module';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hasChromium, useServerAndBrowser } from './browser.ts';
import { HttpApi, signedInPage } from './fixtures.ts';
import { type DayOfMarch, dayOfMarch } from './march.ts';

const AXE_SCRIPT = createRequire(import.meta.url).resolve('axe-core/axe.min.js');
const SOON = { timeout: 15_000 };
const PHONE = { width: 360, height: 740 };
const DESK = { width: 1280, height: 800 };
/** The smallest tap target WCAG 2.5.5 and the platforms' guidelines accept. */
const MIN_TARGET_PX = 44;

interface Violation {
  id: string;
  impact: string | null;
  help: string;
  nodes: { target: string[] }[];
}

/** axe-core's serious and critical findings on the page as it is now. */
async function seriousViolations(page: Page): Promise<string[]> {
  await page.addScriptTag({ path: AXE_SCRIPT });
  // A string: it runs in the page, where axe-core put itself on `window`.
  const { violations } = (await page.evaluate('axe.run()')) as { violations: Violation[] };
  return violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => `${v.id} (${v.impact}): ${v.help} — ${v.nodes.map((n) => n.target[0]).join(', ')}`);
}

/** Visible buttons, button-styled links and form controls smaller than a fingertip. */
async function smallTargets(page: Page): Promise<string[]> {
  const controls = page.locator(
    'button, a.button, [role="button"], select, input:not([type="hidden"])',
  );
  const small: string[] = [];
  for (const control of await controls.all()) {
    const box = await control.boundingBox();
    if (!box || box.width === 0 || !(await control.isVisible())) continue;
    if (box.height >= MIN_TARGET_PX - 0.5 && box.width >= MIN_TARGET_PX - 0.5) continue;
    const name = (await control.getAttribute('aria-label')) ?? (await control.textContent()) ?? '';
    small.push(`"${name.trim().slice(0, 40)}" ${Math.round(box.width)}×${Math.round(box.height)}`);
  }
  return small;
}

describe.runIf(hasChromium)('accessibility of the pages used on the day', () => {
  const running = useServerAndBrowser('accessibility');
  const pages: Page[] = [];
  const march = {} as DayOfMarch;

  beforeAll(async () => {
    Object.assign(march, await dayOfMarch(running.server.origin, running.server.setupLink!));
  }, 60_000);

  afterAll(async () => {
    for (const page of pages) await page.context().close();
  });

  async function open(as: HttpApi, path: string, viewport = PHONE): Promise<Page> {
    // axe-core goes in as an inline script.
    const page = await signedInPage(running.browser, as, { viewport, bypassCSP: true });
    pages.push(page);
    await page.goto(running.server.origin + path);
    await page.getByRole('heading', { level: 1 }).first().waitFor(SOON);
    // The live connection, the map and lazily loaded parts settle.
    await page.getByText(/live/i).first().waitFor(SOON);
    await page.waitForLoadState('networkidle');
    return page;
  }

  const eventPath = () => `/events/${march.eventId}`;

  it('the volunteer page', async () => {
    const page = await open(march.volunteer, eventPath());
    expect(await seriousViolations(page)).toEqual([]);
    expect(await smallTargets(page)).toEqual([]);
  });

  it('the leader page', async () => {
    const page = await open(march.leader, eventPath());
    await page.getByTestId('my-contingent').waitFor(SOON);
    expect(await seriousViolations(page)).toEqual([]);
    expect(await smallTargets(page)).toEqual([]);
  });

  for (const [name, suffix] of [
    ['planning', '/plan'],
    ['day-of map', '/live'],
    ['materials board', '/materials'],
    ['coverage board', '/coverage'],
  ] as const) {
    it(`the coordinator's ${name}`, async () => {
      const page = await open(march.admin, eventPath() + suffix, DESK);
      expect(await seriousViolations(page)).toEqual([]);
    });
  }
});
