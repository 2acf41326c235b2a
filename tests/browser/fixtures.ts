// Fixtures for browser tests, made through the real HTTP API of the running server.
import type { Browser, Page } from 'playwright-core';
import { recordSecret } from '../helpers/log-scan.ts';

export class HttpApi {
  constructor(
    readonly origin: string,
    readonly token: string | null = null,
  ) {}

  async call<T>(method: string, path: string, body?: object): Promise<T> {
    const headers: Record<string, string> = {};
    if (body) headers['content-type'] = 'application/json';
    if (this.token) headers.authorization = `Bearer ${this.token}`;
    const res = await fetch(this.origin + path, {
      method,
      headers,
      body: body ? JSON.stringify(body) : undefined,
    });
    if (!res.ok) throw new Error(`${method} ${path}: ${res.status} ${await res.text()}`);
    return (res.status === 204 ? undefined : await res.json()) as T;
  }

  /** Joins through a link (setup or invite) and returns an API acting as that person. */
  async join(link: string, displayName: string): Promise<HttpApi & { personId: string }> {
    const token = new URL(link).hash.slice(1);
    recordSecret('token', token);
    recordSecret('name', displayName);
    const res = await fetch(`${this.origin}/api/join`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ token, displayName }),
    });
    if (!res.ok) throw new Error(`join: ${res.status} ${await res.text()}`);
    const person = (await res.json()) as { id: string };
    const session = /muster_session=([^;]+)/.exec(res.headers.get('set-cookie') ?? '')![1]!;
    recordSecret('token', session);
    return Object.assign(new HttpApi(this.origin, session), { personId: person.id });
  }

  /** A May Day event in Los Angeles, as the tests' coordinators make it; `fields` add or override. */
  newEvent(fields: object = {}): Promise<{ id: string }> {
    return this.call<{ id: string }>('POST', '/api/events', {
      name: 'May Day — Los Angeles',
      date: '2027-05-01',
      startTime: '10:00',
      timezone: 'America/Los_Angeles',
      ...fields,
    });
  }

  async inviteLink(eventId: string, role: string, contingentId?: string): Promise<string> {
    const created = await this.call<{ path: string }>('POST', `/api/events/${eventId}/invites`, {
      role,
      ...(contingentId ? { contingentId } : {}),
    });
    return this.origin + created.path;
  }
}

export interface PageOptions {
  viewport: { width: number; height: number };
  /** Where the phone is, with permission to tell the page. */
  geolocation?: { latitude: number; longitude: number; accuracy?: number };
  /**
   * Lets the test put its own script into the page (axe-core, a string to poll), which the
   * app's Content-Security-Policy refuses, as it should.
   */
  bypassCSP?: boolean;
  /** 'block' keeps the app's service worker out, so page.route sees every request. */
  serviceWorkers?: 'allow' | 'block';
}

/** A browser context signed in with `session`'s cookie, map tiles unreachable as on the day. */
export async function signedInPage(
  browser: Browser,
  session: HttpApi,
  { viewport, geolocation, bypassCSP = false, serviceWorkers = 'allow' }: PageOptions,
): Promise<Page> {
  const context = await browser.newContext({
    viewport,
    locale: 'en-US',
    bypassCSP,
    serviceWorkers,
    ...(geolocation ? { geolocation, permissions: ['geolocation'] } : {}),
  });
  await context.route(/tile\.openstreetmap\.org/, (route) => route.abort());
  await context.addCookies([
    { name: 'muster_session', value: session.token!, url: session.origin, sameSite: 'Strict' },
  ]);
  const page = await context.newPage();
  page.on('pageerror', (error) => console.error('page error:', error.message));
  return page;
}
