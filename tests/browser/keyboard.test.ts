// Every action reachable by keyboard, in Chromium: on the volunteer, leader and coordinator
// pages, Tab from the top of the page reaches every visible, enabled control before focus comes
// round again, with focus in sight at every stop; and one real action per page (more on some)
// is done with keys alone, the way someone without a mouse or touch screen would.
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hasChromium, screenshot, useServerAndBrowser } from './browser.ts';
import { HttpApi, signedInPage } from './fixtures.ts';
import { type DayOfMarch, dayOfMarch } from './march.ts';

const SOON = { timeout: 15_000 };
const PHONE = { width: 360, height: 740 };
const DESK = { width: 1280, height: 800 };
/** More Tabs than any of these pages has stops: past this, focus is taken to be stuck. */
const MAX_TABS = 400;

/** A control as the page lists it: how the walk recognises it, and how a person would. */
interface Control {
  key: string;
  name: string;
  /** Radios are one Tab stop per group (arrows move within): `form name`, or null. */
  group: string | null;
}

/** Where one Tab put focus. */
interface Stop {
  /** The control's key from the list, or null for a focusable the list did not expect. */
  key: string | null;
  name: string;
  group: string | null;
  body: boolean;
  start: boolean;
  /** An outline or box-shadow a person can see: not none, not transparent, not cut off. */
  ring: boolean;
}

// The scripts below run in the page, so they are strings: tsx would wrap a function's inner
// names in a helper the page does not have.

/** Describes an element by its accessible name (roughly), and its testid when it has one. */
const DESCRIBE = `(el) => {
  const byIds = (ids) =>
    ids.split(/\\s+/).map((id) => document.getElementById(id)?.textContent ?? '').join(' ');
  const text =
    el.getAttribute('aria-label') ||
    (el.getAttribute('aria-labelledby') ? byIds(el.getAttribute('aria-labelledby')) : '') ||
    (el.labels && el.labels[0] ? el.labels[0].textContent : '') ||
    el.getAttribute('title') ||
    el.getAttribute('alt') ||
    el.textContent ||
    el.getAttribute('placeholder') ||
    el.getAttribute('class') ||
    '';
  const testid = el.getAttribute('data-testid');
  const name = text.replace(/\\s+/g, ' ').trim().slice(0, 50);
  return el.localName + (testid ? '[' + testid + ']' : '') + (name ? ' "' + name + '"' : '');
}`;

/** A radio's group: Tab stops once in it, and the arrow keys move within. */
const RADIO_GROUP = `(el) => el.matches('input[type="radio"]')
  ? (el.form?.getAttribute('data-testid') ?? '') + ' ' + el.name
  : null`;

/**
 * Marks and lists every visible, enabled control a person could act on: native controls,
 * anything given a tab index or an interactive role, anything Svelte attached a click or key
 * handler to (a clickable div would show up here), and Leaflet's interactive layers: marker
 * icons, and the assembly and rally circles, which name themselves in a tooltip on hover and,
 * because Leaflet listens for their focus to do the same, are Tab stops in Chromium.
 */
const LIST_CONTROLS = `(() => {
  const describe = ${DESCRIBE};
  const radioGroup = ${RADIO_GROUP};
  const interactive = [
    'a[href]', 'area[href]', 'button', 'input:not([type="hidden"])', 'select', 'textarea',
    'details > summary:first-of-type', 'iframe', '[contenteditable=""]', '[contenteditable="true"]',
    '[tabindex]', '.leaflet-interactive',
    ...['button', 'link', 'checkbox', 'radio', 'switch', 'tab', 'menuitem', 'option', 'slider',
      'combobox', 'textbox', 'spinbutton'].map((role) => '[role="' + role + '"]'),
  ].join(',');
  // Svelte 5 keeps delegated handlers (onclick and the like) on the element under a symbol.
  const handles = (el) =>
    Object.getOwnPropertySymbols(el).some((symbol) => {
      const events = symbol.description === 'events' ? el[symbol] : null;
      return !!events &&
        ['click', 'keydown', 'keyup', 'pointerdown', 'mousedown'].some((e) => events[e]);
    });
  const controls = [];
  let n = 0;
  for (const el of document.body.querySelectorAll('*')) {
    if (el.closest('[data-kb-start], [inert]')) continue;
    // A tabindex of -1 is a target for focus from script (a heading, a section), unless the
    // element is a control or acts like one.
    const scripted = el.getAttribute('tabindex') !== null && el.tabIndex < 0;
    const native = el.matches('a[href], button, input, select, textarea, summary');
    const acts = handles(el);
    if (!acts && !(el.matches(interactive) && !(scripted && !native))) continue;
    if (el.matches(':disabled') || el.getAttribute('aria-disabled') === 'true') continue;
    const box = el.getBoundingClientRect();
    if (box.width === 0 || box.height === 0) continue;
    if (!el.checkVisibility({ visibilityProperty: true, contentVisibilityAuto: true })) continue;
    const key = el.getAttribute('data-kb') ?? String(n++);
    el.setAttribute('data-kb', key);
    controls.push({ key, name: describe(el), group: radioGroup(el) });
  }
  return controls;
})()`;

/**
 * A first stop at the very top of the page, focused: Tab goes on from it, and comes back to it
 * once round. Removed again by REMOVE_START.
 */
const PLACE_START = `(() => {
  document.querySelector('[data-kb-start]')?.remove();
  const start = document.createElement('button');
  start.setAttribute('data-kb-start', '');
  start.textContent = 'start';
  start.style.position = 'fixed';
  start.style.top = '0';
  document.body.prepend(start);
  start.focus();
})()`;

const REMOVE_START = `document.querySelector('[data-kb-start]')?.remove()`;

/**
 * Where focus is now, and whether it shows: an outline or box-shadow on the element (on the
 * label, for a visually hidden file input the label stands for), not transparent, and not
 * wholly cut off by the window or an ancestor that clips its overflow.
 */
const READ_STOP = `(() => {
  const describe = ${DESCRIBE};
  const radioGroup = ${RADIO_GROUP};
  const el = document.activeElement;
  if (!el || el === document.body) {
    return { key: null, name: 'body', group: null, body: true, start: false, ring: false };
  }
  const shown = (el.getBoundingClientRect().width <= 1 && el.closest('label')) || el;
  const style = getComputedStyle(shown);
  const transparent = (colour) => colour === 'transparent' || /rgba\\(.*,\\s*0\\)$/.test(colour);
  const outline = style.outlineStyle !== 'none' && parseFloat(style.outlineWidth) >= 1 &&
    !transparent(style.outlineColor);
  const shadow = style.boxShadow !== 'none';
  let ring = outline || shadow;
  if (ring && (outline ? parseFloat(style.outlineOffset) >= 0 : !/inset/.test(style.boxShadow))) {
    // Drawn outside the element: some of it must lie inside the window and every ancestor that
    // clips.
    const box = shown.getBoundingClientRect();
    let clip = { left: 0, top: 0, right: innerWidth, bottom: innerHeight };
    for (let a = shown.parentElement; a && a !== document.documentElement; a = a.parentElement) {
      const s = getComputedStyle(a);
      if (s.overflowX === 'visible' && s.overflowY === 'visible') continue;
      const r = a.getBoundingClientRect();
      clip = {
        left: Math.max(clip.left, r.left + a.clientLeft),
        top: Math.max(clip.top, r.top + a.clientTop),
        right: Math.min(clip.right, r.left + a.clientLeft + a.clientWidth),
        bottom: Math.min(clip.bottom, r.top + a.clientTop + a.clientHeight),
      };
    }
    ring = clip.left < box.left - 0.5 || clip.top < box.top - 0.5 ||
      clip.right > box.right + 0.5 || clip.bottom > box.bottom + 0.5;
  }
  return {
    key: el.getAttribute('data-kb'),
    name: describe(el),
    group: radioGroup(el),
    body: false,
    start: el.hasAttribute('data-kb-start'),
    ring,
  };
})()`;

interface Walk {
  /** Controls Tab never reached. */
  missing: string[];
  /** Tab stops where focus could not be seen. */
  unseen: string[];
  /** Where focus was when it had not come round after MAX_TABS. */
  stuck: string | null;
  stops: Stop[];
}

/** Tabs from the top of the page until focus comes round again, and says what it missed. */
async function tabThrough(page: Page): Promise<Walk> {
  const controls = (await page.evaluate(LIST_CONTROLS)) as Control[];
  await page.evaluate(PLACE_START);
  const stops: Stop[] = [];
  let stuck: string | null = null;
  try {
    for (;;) {
      if (stops.length === MAX_TABS) {
        stuck = stops.at(-1)!.name;
        break;
      }
      await page.keyboard.press('Tab');
      const stop = (await page.evaluate(READ_STOP)) as Stop;
      if (stop.start) break;
      stops.push(stop);
    }
  } finally {
    await page.evaluate(REMOVE_START);
  }
  const keys = new Set(stops.map((s) => s.key));
  const groups = new Set(stops.map((s) => s.group));
  return {
    missing: controls
      .filter((c) => !keys.has(c.key) && !(c.group !== null && groups.has(c.group)))
      .map((c) => c.name),
    // Past the last control, Chromium rests on the document (the browser's own UI) once.
    unseen: stops.filter((s) => !s.body && !s.ring).map((s) => s.name),
    stuck,
    stops,
  };
}

/** From the top of the page, presses Tab until `selector` has focus; fails if it never does. */
async function tabTo(page: Page, selector: string): Promise<void> {
  const seen: string[] = [];
  await page.evaluate(PLACE_START);
  try {
    while (seen.length < MAX_TABS) {
      await page.keyboard.press('Tab');
      const stop = (await page.evaluate(READ_STOP)) as Stop;
      if (stop.start) break;
      const there = (await page.evaluate(
        `document.activeElement?.matches(${JSON.stringify(selector)}) ?? false`,
      )) as boolean;
      if (there) return;
      seen.push(stop.name);
    }
  } finally {
    await page.evaluate(REMOVE_START);
  }
  throw new Error(`Tab never reached ${selector}; it went through:\n${seen.join('\n')}`);
}

/** Presses Tab until `selector` has focus, going on from where focus is. */
async function tabOnTo(page: Page, selector: string, most = 30): Promise<void> {
  for (let i = 0; i < most; i++) {
    await page.keyboard.press('Tab');
    if (await page.evaluate(`document.activeElement?.matches(${JSON.stringify(selector)})`)) return;
  }
  throw new Error(`${most} Tabs did not reach ${selector}`);
}

/** The focused element, described. */
const focused = async (page: Page) => ((await page.evaluate(READ_STOP)) as Stop).name;

/** Whether focus is inside `selector`. */
const focusIn = (page: Page, selector: string) =>
  page.evaluate(
    `!!document.activeElement?.closest(${JSON.stringify(selector)})`,
  ) as Promise<boolean>;

describe.runIf(hasChromium)('every action reachable by keyboard', () => {
  const running = useServerAndBrowser('keyboard');
  const pages: Page[] = [];
  const march = {} as DayOfMarch;

  beforeAll(async () => {
    const made = await dayOfMarch(running.server.origin, running.server.setupLink!, {
      shareContingentPositions: true,
      reported: { lat: 34.0571, lng: -118.2731 },
    });
    Object.assign(march, made);
  }, 60_000);

  afterAll(async () => {
    for (const page of pages) await page.context().close();
  });

  async function open(as: HttpApi, path: string, viewport = PHONE): Promise<Page> {
    const page = await signedInPage(running.browser, as, { viewport });
    pages.push(page);
    await page.goto(running.server.origin + path);
    await page.getByRole('heading', { level: 1 }).first().waitFor(SOON);
    // The live connection, the map and lazily loaded parts settle.
    await expect
      .poll(() => page.getByTestId('live-status').getAttribute('data-state'), SOON)
      .toBe('live');
    await page.waitForLoadState('networkidle');
    if (await page.getByTestId('map').count()) {
      await page.locator('.leaflet-marker-icon').first().waitFor(SOON);
    }
    return page;
  }

  /** Tabs through the page and expects every control reached, each with focus in sight. */
  async function expectEveryControlReached(page: Page): Promise<Walk> {
    const walk = await tabThrough(page);
    expect(walk.stuck, 'focus stuck').toBeNull();
    expect(walk.missing, 'controls Tab never reached').toEqual([]);
    expect(walk.unseen, 'controls focused without a visible focus ring').toEqual([]);
    return walk;
  }

  const eventPath = () => `/events/${march.eventId}`;

  it('the volunteer page: every control, then claims a role and checks in by keyboard', async () => {
    const page = await open(march.volunteer, eventPath());
    const walk = await expectEveryControlReached(page);
    const names = walk.stops.map((s) => s.name);
    // The map's own stops: the meeting point's pin and the contingent's marker name themselves.
    expect(names).toContain('div "MacArthur Park boathouse"');
    expect(names).toContain('div[contingent-marker] "Transit workers"');
    expect(names).toContain('a "Zoom in"');
    await tabTo(page, '.leaflet-container');
    await screenshot(page, 'keyboard-volunteer-map');

    await tabTo(page, '[data-testid="claim-slot"]');
    await page.keyboard.press('Space');
    await expect.poll(() => page.getByTestId('my-roles').textContent(), SOON).toContain('Marshal');
    // The slot moved up to the person's own roles; focus went with it.
    await expect.poll(() => focused(page)).toBe('h3 "Marshal"');
    expect(await focusIn(page, '[data-testid="my-roles"]')).toBe(true);

    await tabTo(page, '[data-testid="check-in"]');
    await page.keyboard.press('Enter');
    await page.getByTestId('check-in-state').waitFor(SOON);
    // The button gave way to its undo, and focus went over to it.
    await expect.poll(() => focused(page)).toContain('undo-check-in');
  }, 90_000);

  it('the leader page: every control, then hands out by keyboard, twice in a row and a custom count', async () => {
    const page = await open(march.leader, eventPath());
    await page.getByTestId('leader-materials').waitFor(SOON);
    await expectEveryControlReached(page);

    const card = page.getByTestId(`leader-material-${march.materialId}`);
    const handedOut = () => card.getByTestId('leader-distributed').textContent();
    await tabTo(page, '[data-testid="hand-out-10"]');
    await page.keyboard.press('Enter');
    await expect.poll(handedOut, SOON).toBe('10');
    // Busy while it was sent, the button kept focus: Enter again counts ten more.
    await expect.poll(() => focused(page)).toContain('hand-out-10');
    await page.keyboard.press('Enter');
    await expect.poll(handedOut, SOON).toBe('20');
    // The live update may come before the answer: the buttons are free again once it is back.
    await expect.poll(() => focused(page)).toContain('hand-out-10');

    await tabOnTo(page, '[data-testid="hand-out-custom"]', 2);
    await page.keyboard.press('Space');
    await tabOnTo(page, '[data-testid="hand-out-count"]', 1);
    await page.keyboard.type('5');
    await page.keyboard.press('Enter');
    await expect.poll(handedOut, SOON).toBe('25');
    expect(await card.getByTestId('leader-onHand').textContent()).toBe('75');
    // The form closed; focus is back on the button that opened it.
    await expect.poll(() => focused(page)).toContain('hand-out-custom');
  }, 90_000);

  it("the coordinator's planning page: every control, then a contingent and the assembly point by keyboard", async () => {
    const page = await open(march.admin, `${eventPath()}/plan`, DESK);
    await expectEveryControlReached(page);

    const form = '[data-testid="add-contingent-form"]';
    await tabTo(page, `${form} [data-testid="contingent-name"]`);
    await page.keyboard.type('Teachers');
    await page.keyboard.press('Enter');
    await expect.poll(() => page.getByTestId('contingent-item').count(), SOON).toBe(2);
    expect(await page.getByTestId('contingent-list').textContent()).toContain('Teachers');
    // A fresh form for the next one, focus in its first field.
    await expect.poll(() => focusIn(page, `${form} [data-testid="contingent-name"]`)).toBe(true);

    // Deleting asks first: focus goes to the safe answer, and the other is one Shift+Tab away.
    await tabTo(page, '[data-testid="delete-contingent"][aria-label="Delete Teachers"]');
    await page.keyboard.press('Enter');
    await expect.poll(() => focused(page)).toBe('button "Keep"');
    await page.keyboard.press('Shift+Tab');
    expect(await focused(page)).toContain('confirm-delete-contingent');
    await page.keyboard.press('Enter');
    await expect.poll(() => page.getByTestId('contingent-item').count(), SOON).toBe(1);

    // A point placed by keyboard: the map takes focus, the arrow keys move it under the cross
    // in its middle, and Enter puts the point there.
    const assembly = page.getByTestId('assembly-point');
    const before = await assembly.textContent();
    await tabTo(page, '[data-testid="set-assembly-point"]');
    await page.keyboard.press('Enter');
    expect(await focused(page)).toContain('div[map]');
    expect(await page.getByTestId('map-keyboard-hint').textContent()).toMatch(/Enter/);
    for (let i = 0; i < 3; i++) await page.keyboard.press('ArrowRight');
    await screenshot(page, 'keyboard-placing');
    await page.keyboard.press('Enter');
    await expect.poll(() => assembly.textContent(), SOON).not.toBe(before);
    expect(await page.getByTestId('map-mode-bar').count()).toBe(0);
  }, 90_000);

  it("the coordinator's coverage board: every control, then assigns someone in the dialog by keyboard", async () => {
    const page = await open(march.admin, `${eventPath()}/coverage`, DESK);
    await expectEveryControlReached(page);

    const cell = `[data-testid="coverage-cell"][data-contingent="${march.contingentId}"]`;
    const inDialog = () => focusIn(page, '[data-testid="coverage-detail"]');
    await tabTo(page, cell);
    await page.keyboard.press('Enter');
    const dialog = page.getByTestId('coverage-detail');
    await dialog.waitFor(SOON);
    expect(await inDialog()).toBe(true);
    // Modal: Tab goes round inside the dialog (and the browser's own UI), never to the board.
    for (let i = 0; i < 8; i++) {
      await page.keyboard.press('Tab');
      expect((await inDialog()) || (await focused(page)) === 'body', await focused(page)).toBe(
        true,
      );
    }
    await tabOnTo(page, '[data-testid="coverage-detail"] [data-testid="assign-slot"]');
    await page.keyboard.press('Enter');
    // The form took the button's place, focus in its one field.
    await expect.poll(() => focused(page)).toContain('assign-person');
    await page.keyboard.press('ArrowDown');
    await tabOnTo(page, '[data-testid="confirm-assign"]', 2);
    await page.keyboard.press('Enter');
    await expect.poll(() => dialog.textContent(), SOON).toContain('Luis');
    await expect.poll(() => focused(page)).toContain('assign-slot');

    // Escape closes it, and focus is back on the cell it came from.
    await page.keyboard.press('Escape');
    await expect.poll(() => dialog.count(), SOON).toBe(0);
    expect(await focusIn(page, cell)).toBe(true);
  }, 90_000);

  it("the coordinator's day-of map: every control, then a status and an announcement by keyboard", async () => {
    const page = await open(march.admin, `${eventPath()}/live`, DESK);
    await expectEveryControlReached(page);

    const marching = `[data-testid="status-buttons"][data-contingent-id="${march.contingentId}"] [data-status="marching"]`;
    await tabTo(page, marching);
    await page.keyboard.press('Space');
    await expect.poll(() => page.locator(marching).getAttribute('aria-pressed'), SOON).toBe('true');
    await expect.poll(() => focused(page)).toContain('"Marching"');

    await tabTo(page, '[data-testid="announcement-body-input"]');
    await page.keyboard.type('Buses wait at 5th St');
    await tabOnTo(page, '[data-testid="send-announcement"]', 1);
    await page.keyboard.press('Enter');
    await expect
      .poll(
        () => page.locator('section[aria-labelledby="announcements-title"]').textContent(),
        SOON,
      )
      .toContain('Buses wait at 5th St');
    await expect.poll(() => focused(page)).toContain('send-announcement');
  }, 90_000);

  it("the coordinator's materials board: every control, then a planned count by keyboard", async () => {
    const page = await open(march.admin, `${eventPath()}/materials`, DESK);
    await expectEveryControlReached(page);

    const material = `[data-testid="material-${march.materialId}"]`;
    await tabTo(page, `${material} summary`);
    await page.keyboard.press('Enter');
    await tabOnTo(page, `${material} [data-testid="level-holder"]`, 1);
    // The first holder: the depot.
    await page.keyboard.press('ArrowDown');
    await tabOnTo(page, `${material} [data-testid="level-planned"]`, 1);
    await page.keyboard.type('400');
    await page.keyboard.press('Enter');
    const row = page.locator(`${material} [data-testid="holder-depot-${march.depotId}"]`);
    await expect.poll(() => row.getByTestId('planned').textContent(), SOON).toBe('400');
  }, 90_000);
});
