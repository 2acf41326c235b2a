// A volunteer's phone on a terrible network: Chrome DevTools' "Slow 3G" at 360 × 740, and how
// long the event page takes to show where to meet. Shared by the browser test and
// `npm run bench:web`.
import type { Browser, CDPSession } from 'playwright-core';
import { HttpApi, signedInPage } from './fixtures.ts';

/**
 * DevTools' "Slow 3G" preset, as its NetworkManager defines it: 500 kbit/s × 0.8 each way
 * (51,200 bytes/s, about 400 kbit/s) and 2 s of latency added to every request.
 */
export const SLOW_3G = {
  offline: false,
  latency: 400 * 5,
  downloadThroughput: ((500 * 1024) / 8) * 0.8,
  uploadThroughput: ((500 * 1024) / 8) * 0.8,
};
export const PHONE = { width: 360, height: 740 };
export const MEETING_POINT = 'MacArthur Park boathouse';

/** One request of the page, in ms from the document's request, by the browser's clock. */
export interface RequestTiming {
  url: string;
  sentAt: number;
  finishedAt: number | null;
  bytes: number;
}

export interface TimeToText {
  /** From navigation start (the page's time origin) to the first frame that shows the text. */
  ms: number;
  /**
   * To the first frame where the app itself shows the meeting point and the server's first
   * text is gone: when the page's buttons work.
   */
  appMs: number;
  requests: RequestTiming[];
}

/** An event with a meeting point, and a volunteer of one of its contingents. */
export async function newVolunteer(origin: string, setupLink: string) {
  const admin = await new HttpApi(origin).join(setupLink, 'Rosa');
  const event = await admin.newEvent({
    assemblyPoint: { lat: 34.0576, lng: -118.2775 },
  });
  const contingent = await admin.call<{ id: string }>(
    'POST',
    `/api/events/${event.id}/contingents`,
    { name: 'Transit workers', expectedSize: 120, colour: '#0b57d0' },
  );
  await admin.call('POST', `/api/events/${event.id}/meeting-points`, {
    name: MEETING_POINT,
    position: { lat: 34.0581, lng: -118.2765 },
  });
  const link = await admin.inviteLink(event.id, 'volunteer', contingent.id);
  const volunteer = await new HttpApi(origin).join(link, 'Luis');
  return { eventId: event.id, volunteer };
}

/** The page's requests as CDP reports them, timed from the first (the document's). */
function recordRequests(cdp: CDPSession, origin: string): () => RequestTiming[] {
  const requests = new Map<string, RequestTiming>();
  let start: number | null = null;
  const since = (seconds: number) => Math.round(seconds * 1000 - start!);
  cdp.on('Network.requestWillBeSent', ({ requestId, request, timestamp }) => {
    start ??= timestamp * 1000;
    const url = request.url.startsWith(origin) ? request.url.slice(origin.length) : request.url;
    requests.set(requestId, { url, sentAt: since(timestamp), finishedAt: null, bytes: 0 });
  });
  cdp.on('Network.loadingFinished', ({ requestId, timestamp, encodedDataLength }) => {
    const request = requests.get(requestId);
    if (request) Object.assign(request, { finishedAt: since(timestamp), bytes: encodedDataLength });
  });
  return () => [...requests.values()];
}

/**
 * Stamps `window.textSeenAt` at the first animation frame whose rendered text (innerText:
 * nothing hidden) contains `text`, and `window.appSeenAt` at the first where the app's own
 * meeting point is there and the server's first text is not. A string, not a function: tsx
 * would wrap the function's inner names in a helper the page does not have.
 */
const stampWhenShown = (text: string) => `(() => {
  const seen = () => {
    if (!('textSeenAt' in window) && document.body?.innerText.includes(${JSON.stringify(text)})) {
      window.textSeenAt = performance.now();
    }
    if (document.querySelector('[data-testid="meeting-point-item"]') &&
        !document.getElementById('essentials')) {
      window.appSeenAt = performance.now();
    } else requestAnimationFrame(seen);
  };
  requestAnimationFrame(seen);
})()`;

/** Opens `url` as `as` on Slow 3G with the cache disabled and times when `text` shows. */
export async function timeToText(
  browser: Browser,
  as: HttpApi,
  url: string,
  text: string,
): Promise<TimeToText> {
  // The stamp polls with a string the app's policy would refuse to evaluate.
  const page = await signedInPage(browser, as, { viewport: PHONE, bypassCSP: true });
  const cdp = await page.context().newCDPSession(page);
  await cdp.send('Network.enable');
  await cdp.send('Network.setCacheDisabled', { cacheDisabled: true });
  await cdp.send('Network.emulateNetworkConditions', SLOW_3G);
  const requests = recordRequests(cdp, as.origin);
  await page.addInitScript(stampWhenShown(text));
  try {
    await page.goto(url, { waitUntil: 'commit', timeout: 60_000 });
    await page
      .waitForFunction('"appSeenAt" in window', undefined, { timeout: 60_000, polling: 250 })
      .catch(async (error: Error) => {
        const shown = await page.evaluate<string>('document.body?.innerText');
        const sofar = waterfall({ ms: null, requests: requests() });
        throw new Error(`${error.message}\nThe page showed:\n${shown}\n${sofar}`);
      });
    const [ms, appMs] = await page.evaluate<[number, number]>('[textSeenAt, appSeenAt]');
    return { ms: Math.round(ms), appMs: Math.round(appMs), requests: requests() };
  } finally {
    await page.context().close();
  }
}

/** The requests as lines of a waterfall, for a person to read. */
export function waterfall({
  ms,
  appMs = null,
  requests,
}: {
  ms: number | null;
  appMs?: number | null;
  requests: RequestTiming[];
}) {
  const lines = requests.map(
    ({ url, sentAt, finishedAt, bytes }) =>
      `  ${String(sentAt).padStart(6)} → ${String(finishedAt ?? '…').padStart(6)} ms  ` +
      `${String(bytes).padStart(7)} B  ${url}`,
  );
  if (ms !== null) lines.push(`  the text is visible at ${ms} ms`);
  if (appMs !== null) lines.push(`  the app has taken over at ${appMs} ms`);
  return lines.join('\n');
}
