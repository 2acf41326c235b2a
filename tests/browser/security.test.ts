// The app under its own Content-Security-Policy in Chromium: every page people use (and the
// API docs) loads and runs with nothing refused, so the policy is strict without breaking
// anything. What the policy says is tests/server/security-headers.test.ts.
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hasChromium, useServerAndBrowser } from './browser.ts';
import { HttpApi, signedInPage } from './fixtures.ts';
import { type DayOfMarch, dayOfMarch } from './march.ts';

const SOON = { timeout: 15_000 };
const PHONE = { width: 360, height: 740 };
const DESK = { width: 1280, height: 800 };

/** Collects the page's CSP violations in `window.cspViolations`. A string: it runs in the page. */
const RECORD_VIOLATIONS = `
  window.cspViolations = [];
  document.addEventListener('securitypolicyviolation', (event) => {
    window.cspViolations.push(event.violatedDirective + ' ' + event.blockedURI);
  });
`;

describe.runIf(hasChromium)('the app under its Content-Security-Policy', () => {
  const running = useServerAndBrowser('security');
  const march = {} as DayOfMarch;
  const pages: Page[] = [];

  beforeAll(async () => {
    const made = await dayOfMarch(running.server.origin, running.server.setupLink!, {
      shareContingentPositions: true,
      reported: { lat: 34.058, lng: -118.276 },
    });
    Object.assign(march, made);
  }, 60_000);

  afterAll(async () => {
    for (const page of pages) await page.context().close();
  });

  async function visit(as: HttpApi, path: string, viewport = PHONE) {
    const page = await signedInPage(running.browser, as, { viewport });
    pages.push(page);
    const refused: string[] = [];
    page.on('console', (message) => {
      if (/Content Security Policy/i.test(message.text())) refused.push(message.text());
    });
    await page.addInitScript(RECORD_VIOLATIONS);
    const response = await page.goto(running.server.origin + path);
    expect(response!.headers()['content-security-policy']).toContain("frame-ancestors 'none'");
    await page.waitForLoadState('networkidle');
    const recorded = await page.evaluate<string[]>('window.cspViolations');
    return { page, violations: [...recorded, ...refused] };
  }

  const eventPath = () => `/events/${march.eventId}`;

  it('refuses nothing on the volunteer page, written by the server and then the app', async () => {
    const { page, violations } = await visit(march.volunteer, eventPath());
    await page.getByTestId('meeting-point-item').waitFor(SOON);
    await page.locator('.leaflet-marker-icon').first().waitFor(SOON);
    expect(violations).toEqual([]);
  });

  it('refuses nothing on the leader page', async () => {
    const { page, violations } = await visit(march.leader, eventPath());
    await page.getByTestId('my-contingent').waitFor(SOON);
    expect(violations).toEqual([]);
  });

  for (const suffix of ['/plan', '/live', '/materials', '/coverage']) {
    it(`refuses nothing on the coordinator's ${suffix}`, async () => {
      const { page, violations } = await visit(march.admin, eventPath() + suffix, DESK);
      await page.getByRole('heading', { level: 1 }).first().waitFor(SOON);
      expect(violations).toEqual([]);
    });
  }

  it('refuses nothing on the home page and the API docs', async () => {
    const home = await visit(march.admin, '/', DESK);
    expect(home.violations).toEqual([]);
    const docs = await visit(march.admin, '/api/docs', DESK);
    await docs.page.locator('.swagger-ui').first().waitFor(SOON);
    expect(docs.violations).toEqual([]);
  });
});
