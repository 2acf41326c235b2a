import { asc, eq } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { changeRecords, invites, sessions } from '../../drizzle/schema.ts';
import { useTestApp } from '../helpers/app.ts';
import { databaseKinds } from '../helpers/databases.ts';

describe.each(databaseKinds)('planning a march on %s', (kind) => {
  const t = useTestApp(kind);

  describe('an event planned end to end', () => {
    it('creates an event, contingents, meeting points and invites; each write leaves a change record', async () => {
      const app = t();
      const admin = await app.administrator();
      const event = await app.newEvent(admin, {
        route: {
          type: 'LineString',
          coordinates: [
            [-118.2776, 34.0593],
            [-118.2437, 34.0537],
          ],
        },
        assemblyPoint: { lat: 34.0593, lng: -118.2776 },
      });
      expect(event.startsAt).toBe('2027-05-01T17:00:00.000Z');
      const transit = await app.newContingent(admin, event.id);
      const garment = await app.newContingent(admin, event.id, { name: 'Garment workers' });
      expect([transit.marchOrder, garment.marchOrder]).toEqual([1, 2]);
      await app.newMeetingPoint(admin, event.id);
      await app.newMeetingPoint(admin, event.id, {
        name: 'Garment district corner',
        visibility: 'contingents',
        contingentIds: [garment.id],
      });

      const reordered = await app.send<{ id: string }[]>(
        admin,
        'PUT',
        `/api/events/${event.id}/contingent-order`,
        { contingentIds: [garment.id, transit.id] },
      );
      expect(reordered.map((c) => c.id)).toEqual([garment.id, transit.id]);

      const plan = await app.send<{ lastSeq: number; meetingPoints: unknown[] }>(
        admin,
        'GET',
        `/api/events/${event.id}`,
      );
      expect(plan.meetingPoints).toHaveLength(2);
      const records = await app.app.db
        .select()
        .from(changeRecords)
        .where(eq(changeRecords.eventId, event.id))
        .orderBy(asc(changeRecords.seq));
      expect(records.map((r) => r.seq)).toEqual(records.map((_, i) => i + 1));
      expect(records.map((r) => r.type)).toEqual([
        'event.created',
        'contingent.created',
        'contingent.created',
        'meetingPoint.created',
        'meetingPoint.created',
        'contingents.reordered',
      ]);
      expect(plan.lastSeq).toBe(records.length);
    });
  });

  describe('GET /api/events/:eventId', () => {
    it('shows a volunteer of one contingent only their contingent and the meeting points they may see', async () => {
      const app = t();
      const admin = await app.administrator();
      const event = await app.newEvent(admin);
      const a = await app.newContingent(admin, event.id, { name: 'A' });
      const b = await app.newContingent(admin, event.id, { name: 'B' });
      await app.newMeetingPoint(admin, event.id, { name: 'Everyone' });
      await app.newMeetingPoint(admin, event.id, {
        name: 'Only B',
        visibility: 'contingents',
        contingentIds: [b.id],
      });
      const volunteerOfA = await app.invited(admin, event.id, 'volunteer', a.id);
      const leaderOfB = await app.invited(admin, event.id, 'leader', b.id, 'Bea');
      const plainVolunteer = await app.invited(admin, event.id, 'volunteer');

      const seenByA = await app.send<{
        contingents: { id: string }[];
        meetingPoints: { name: string }[];
      }>(volunteerOfA, 'GET', `/api/events/${event.id}`);
      expect(seenByA.contingents.map((c) => c.id)).toEqual([a.id]);
      expect(seenByA.meetingPoints.map((m) => m.name)).toEqual(['Everyone']);

      const seenByB = await app.send<{
        contingents: { id: string; leaderName: string | null }[];
        meetingPoints: { name: string }[];
      }>(leaderOfB, 'GET', `/api/events/${event.id}`);
      expect(seenByB.contingents).toMatchObject([{ id: b.id, leaderName: 'Bea' }]);
      expect(seenByB.meetingPoints.map((m) => m.name).sort()).toEqual(['Everyone', 'Only B']);

      const seenByPlain = await app.send<{ contingents: unknown[]; meetingPoints: unknown[] }>(
        plainVolunteer,
        'GET',
        `/api/events/${event.id}`,
      );
      expect(seenByPlain.contingents).toEqual([]);
      expect(seenByPlain.meetingPoints).toHaveLength(1);
    });

    it('tells every participant what to bring, as the coordinators last set it', async () => {
      const app = t();
      const admin = await app.administrator();
      const event = await app.newEvent(admin, { bring: 'Water.' });
      expect(event.bring).toBe('Water.');
      const volunteer = await app.invited(admin, event.id, 'volunteer');
      const path = `/api/events/${event.id}`;
      await app.send(admin, 'PATCH', path, { bring: 'Water, a hat.\nNo ID needed.' });
      const seen = await app.send<{ bring: string }>(volunteer, 'GET', path);
      expect(seen.bring).toBe('Water, a hat.\nNo ID needed.');
      const unset = await app.newEvent(admin);
      expect(unset.bring).toBe('');
    });
  });

  describe('DELETE /api/events/:eventId/invites/:inviteId', () => {
    it('ends the sessions of a revoked link at their next request, and the link stops working', async () => {
      const app = t();
      const admin = await app.administrator();
      const event = await app.newEvent(admin);
      const created = await app.send<{ invite: { id: string }; token: string; path: string }>(
        admin,
        'POST',
        `/api/events/${event.id}/invites`,
        { role: 'volunteer', label: 'Union hall' },
      );
      expect(created.path).toBe(`/join#${created.token}`);
      const [stored] = await app.app.db
        .select()
        .from(invites)
        .where(eq(invites.id, created.invite.id));
      expect(stored!.tokenHash).toMatch(/^[0-9a-f]{64}$/);
      expect(stored!.tokenHash).not.toContain(created.token);
      expect(Buffer.from(created.token, 'base64url').length).toBeGreaterThanOrEqual(16);

      const volunteer = await app.join(created.token, 'Lupe');
      const listed = await app.send<{ joined: { displayName: string }[] }[]>(
        admin,
        'GET',
        `/api/events/${event.id}/invites`,
      );
      expect(listed[0]!.joined.map((p) => p.displayName)).toEqual(['Lupe']);
      expect(JSON.stringify(listed)).not.toContain(created.token);

      const revoke = await app.inject({
        method: 'DELETE',
        url: `/api/events/${event.id}/invites/${created.invite.id}`,
        headers: admin.headers,
      });
      expect(revoke.statusCode).toBe(204);
      const me = await app.inject({ method: 'GET', url: '/api/me', headers: volunteer.headers });
      expect(me.statusCode).toBe(401);
      const rejoin = await app.inject({
        method: 'POST',
        url: '/api/join',
        payload: { token: created.token, displayName: 'Lupe' },
      });
      expect(rejoin.statusCode).toBe(401);
      const left = await app.app.db
        .select()
        .from(sessions)
        .where(eq(sessions.inviteId, created.invite.id));
      expect(left).toEqual([]);
    });
  });

  describe('POST /api/logout', () => {
    it('ends the session it is called with', async () => {
      const app = t();
      const admin = await app.administrator();
      const event = await app.newEvent(admin);
      const volunteer = await app.invited(admin, event.id, 'volunteer');
      const out = await app.inject({
        method: 'POST',
        url: '/api/logout',
        headers: volunteer.headers,
      });
      expect(out.statusCode).toBe(204);
      const me = await app.inject({ method: 'GET', url: '/api/me', headers: volunteer.headers });
      expect(me.statusCode).toBe(401);
    });
  });

  describe('change records under concurrent writes', () => {
    it.runIf(kind === 'postgres')(
      'numbers 60 concurrent writes consecutively after the creation, without gaps or duplicates',
      async () => {
        const app = t();
        const admin = await app.administrator();
        const event = await app.newEvent(admin);
        const writes = Array.from({ length: 60 }, (_, i) =>
          i % 2 === 0
            ? app.newMeetingPoint(admin, event.id, { name: `Point ${i}` })
            : app.newContingent(admin, event.id, { name: `Contingent ${i}` }),
        );
        await Promise.all(writes);
        const records = await app.app.db
          .select({ seq: changeRecords.seq })
          .from(changeRecords)
          .where(eq(changeRecords.eventId, event.id))
          .orderBy(asc(changeRecords.seq));
        expect(records.map((r) => r.seq)).toEqual(Array.from({ length: 61 }, (_, i) => i + 1));
      },
    );
  });
});
