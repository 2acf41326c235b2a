// Builds the real app on a fresh database for a test file, and the factories tests use
// to make fixtures through the API itself.
import { createWriteStream } from 'node:fs';
import { eq, sql } from 'drizzle-orm';
import type { FastifyInstance, InjectOptions, LightMyRequestResponse } from 'fastify';
import { afterAll, beforeAll } from 'vitest';
import { contingentPositions } from '../../drizzle/schema.ts';
import { buildApp } from '../../server/app.ts';
import { parseConfig, type Config } from '../../server/config.ts';
import { ensureSetupLink } from '../../server/features/people/service.ts';
import type { Contingent } from '../../server/features/contingents/schemas.ts';
import type { EventPlan } from '../../server/features/events/schemas.ts';
import type { MeetingPoint } from '../../server/features/meeting-points/schemas.ts';
import type { Person } from '../../server/features/people/schemas.ts';
import { type DatabaseKind, freshDatabase } from './databases.ts';
import { logFile, recordSecret } from './log-scan.ts';

export function testConfig(overrides: Partial<Config> = {}): Config {
  return { ...parseConfig({}), webDist: null, logLevel: 'warn', ...overrides };
}

/** Request headers that authenticate as one person. */
export interface Session {
  person: Person;
  token: string;
  headers: { authorization: string };
}

export class TestApp {
  constructor(readonly app: FastifyInstance) {}

  inject(options: InjectOptions): Promise<LightMyRequestResponse> {
    return this.app.inject(options);
  }

  async join(token: string, displayName: string): Promise<Session> {
    recordSecret('token', token);
    recordSecret('name', displayName);
    const res = await this.inject({
      method: 'POST',
      url: '/api/join',
      payload: { token, displayName },
    });
    if (res.statusCode !== 200) throw new Error(`join failed: ${res.statusCode} ${res.body}`);
    const cookie = res.cookies.find((c) => c.name === 'muster_session')!;
    recordSecret('token', cookie.value);
    return {
      person: res.json() as Person,
      token: cookie.value,
      headers: { authorization: `Bearer ${cookie.value}` },
    };
  }

  #administrator: Promise<Session> | null = null;

  /** The app's administrator, made through the one-time setup link on first use. */
  administrator(): Promise<Session> {
    this.#administrator ??= ensureSetupLink(this.app.db).then((token) => {
      if (!token) throw new Error('the setup link was used already');
      return this.join(token, 'Admin');
    });
    return this.#administrator;
  }

  async send<T>(
    as: Session | null,
    method: InjectOptions['method'],
    url: string,
    payload?: object,
  ) {
    const res = await this.inject({ method, url, payload, headers: as?.headers ?? {} });
    if (res.statusCode >= 300) throw new Error(`${method} ${url}: ${res.statusCode} ${res.body}`);
    return (res.body ? res.json() : undefined) as T;
  }

  newEvent(as: Session, overrides: object = {}): Promise<EventPlan> {
    return this.send<EventPlan>(as, 'POST', '/api/events', {
      name: 'May Day — Los Angeles',
      date: '2027-05-01',
      startTime: '10:00',
      timezone: 'America/Los_Angeles',
      ...overrides,
    });
  }

  newContingent(as: Session, eventId: string, overrides: object = {}): Promise<Contingent> {
    return this.send<Contingent>(as, 'POST', `/api/events/${eventId}/contingents`, {
      name: 'Transit workers',
      expectedSize: 120,
      ...overrides,
    });
  }

  newMeetingPoint(as: Session, eventId: string, overrides: object = {}): Promise<MeetingPoint> {
    return this.send<MeetingPoint>(as, 'POST', `/api/events/${eventId}/meeting-points`, {
      name: 'MacArthur Park boathouse',
      position: { lat: 34.0593, lng: -118.2776 },
      meetTime: '09:00',
      ...overrides,
    });
  }

  /** Issues an invite as `as` and joins through it. */
  async invited(
    as: Session,
    eventId: string,
    role: 'coordinator' | 'leader' | 'volunteer',
    contingentId?: string,
    displayName = `${role} ${Math.random().toString(36).slice(2, 6)}`,
  ): Promise<Session> {
    const created = await this.send<{ token: string }>(
      as,
      'POST',
      `/api/events/${eventId}/invites`,
      {
        role,
        ...(contingentId ? { contingentId } : {}),
      },
    );
    return this.join(created.token, displayName);
  }

  /** An event with contingents A and B, the leader of A and a volunteer of A. */
  async newMarch(event: object = {}) {
    const admin = await this.administrator();
    const plan = await this.newEvent(admin, event);
    const a = await this.newContingent(admin, plan.id, { name: 'A' });
    const b = await this.newContingent(admin, plan.id, { name: 'B' });
    const leaderA = await this.invited(admin, plan.id, 'leader', a.id, 'Ada Kovacs');
    const volunteerA = await this.invited(admin, plan.id, 'volunteer', a.id, 'Ali Haddad');
    return { admin, event: plan, a, b, leaderA, volunteerA };
  }

  /** Moves the kept report of a contingent 3 s into the past: the 2 s between reports passed. */
  async letReportIntervalPass(contingentId: string): Promise<void> {
    await this.app.db
      .update(contingentPositions)
      .set({ receivedAt: sql`${contingentPositions.receivedAt} - interval '3 seconds'` })
      .where(eq(contingentPositions.contingentId, contingentId));
  }
}

/** Builds a fresh app on `kind` before the file's tests and closes it after. */
export function useTestApp(kind: DatabaseKind, overrides: Partial<Config> = {}) {
  let testApp: TestApp | null = null;
  let drop: () => Promise<void> = async () => {};
  beforeAll(async () => {
    const database = await freshDatabase(kind);
    drop = database.drop;
    // Warnings and errors only: the request log is scanned through the spawned servers.
    const app = await buildApp(
      testConfig({ databaseUrl: database.databaseUrl, dataDir: database.dataDir, ...overrides }),
      { logStream: createWriteStream(logFile(`app-${kind}`)) },
    );
    testApp = new TestApp(app);
  }, 60_000);
  afterAll(async () => {
    await testApp?.app.close();
    await drop();
  });
  return () => {
    if (!testApp) throw new Error('the test app is not built yet');
    return testApp;
  };
}
