import { describe, expect, it } from 'vitest';
import type { Claim, RoleSlot } from '../../server/features/roles/schemas.ts';
import { type Session, useTestApp } from '../helpers/app.ts';
import { databaseKinds } from '../helpers/databases.ts';

describe.each(databaseKinds)('role slots and claims on %s', (kind) => {
  const t = useTestApp(kind);

  /** An event with contingent A (200 marchers) and B (40), a leader and a volunteer of A. */
  async function march() {
    const app = t();
    const admin = await app.administrator();
    const event = await app.newEvent(admin);
    const a = await app.newContingent(admin, event.id, { name: 'A', expectedSize: 200 });
    const b = await app.newContingent(admin, event.id, { name: 'B', expectedSize: 40 });
    const leader = await app.invited(admin, event.id, 'leader', a.id, 'Leader of A');
    const volunteer = await app.invited(admin, event.id, 'volunteer', a.id, 'Volunteer of A');
    const slot = (as: Session, body: object) =>
      app.send<RoleSlot>(as, 'POST', `/api/events/${event.id}/role-slots`, body);
    const claim = (as: Session, slotId: string, key?: string) =>
      app.inject({
        method: 'POST',
        url: `/api/events/${event.id}/role-slots/${slotId}/claims`,
        headers: { ...as.headers, ...(key ? { 'idempotency-key': key } : {}) },
      });
    const slots = (as: Session) =>
      app.send<RoleSlot[]>(as, 'GET', `/api/events/${event.id}/role-slots`);
    return { app, admin, event, a, b, leader, volunteer, slot, claim, slots };
  }

  describe('GET /api/events/:eventId/role-slots', () => {
    it('computes the need from the coverage rule and the expected size', async () => {
      const { admin, a, slot } = await march();
      const marshals = await slot(admin, {
        contingentId: a.id,
        preset: 'marshal',
        name: 'Marshal',
        capacity: 10,
        needPerMarchers: 50,
        needMinimum: 2,
      });
      expect(marshals.needed).toBe(4);
      const medics = await slot(admin, {
        name: 'Medic',
        capacity: 3,
        needMinimum: 1,
        critical: true,
      });
      expect(medics).toMatchObject({ needed: 1, contingentId: null, filled: 0 });
      const banner = await slot(admin, { contingentId: a.id, name: 'Banner', capacity: 2 });
      expect(banner.needed).toBe(2);
    });

    it("shows a volunteer their contingent's and event-wide slots, and only their own place", async () => {
      const { admin, a, b, leader, volunteer, slot, claim, slots } = await march();
      const ofA = await slot(admin, { contingentId: a.id, name: 'Sign carrier', capacity: 5 });
      await slot(admin, { contingentId: b.id, name: 'B only', capacity: 5 });
      const everyone = await slot(admin, { name: 'Literature', capacity: 5 });
      expect((await claim(leader, ofA.id)).statusCode).toBe(201);
      expect((await claim(volunteer, ofA.id)).statusCode).toBe(201);

      const seen = await slots(volunteer);
      expect(seen.map((s) => s.name).sort()).toEqual(['Literature', 'Sign carrier']);
      const signs = seen.find((s) => s.id === ofA.id)!;
      expect(signs.filled).toBe(2);
      expect(signs.holders.map((h) => h.displayName)).toEqual(['Volunteer of A']);
      const byLeader = (await slots(leader)).find((s) => s.id === ofA.id)!;
      expect(byLeader.holders.map((h) => h.displayName)).toEqual(['Leader of A', 'Volunteer of A']);
      expect(everyone.filled).toBe(0);
    });
  });

  describe('POST /api/events/:eventId/role-slots/:slotId/claims', () => {
    it('answers 409 problem+json saying the slot is full, and changes nothing', async () => {
      const { admin, a, leader, volunteer, slot, claim, slots } = await march();
      const banner = await slot(admin, { contingentId: a.id, name: 'Banner', capacity: 1 });
      expect((await claim(leader, banner.id)).statusCode).toBe(201);
      const full = await claim(volunteer, banner.id);
      expect(full.statusCode).toBe(409);
      expect(full.headers['content-type']).toContain('application/problem+json');
      expect(full.json()).toMatchObject({
        detail: expect.stringContaining('"Banner" is full'),
        reason: 'slot_full',
        params: { slot: 'Banner', capacity: 1 },
      });
      expect((await slots(admin)).find((s) => s.id === banner.id)!.filled).toBe(1);
    });

    it('refuses a slot whose time window overlaps one the person holds, naming it', async () => {
      const { admin, volunteer, slot, claim } = await march();
      const morning = await slot(admin, {
        name: 'Literature table',
        capacity: 5,
        startTime: '08:00',
        endTime: '10:00',
      });
      const marching = await slot(admin, {
        name: 'Chant leader',
        capacity: 5,
        startTime: '09:30',
        endTime: '12:00',
      });
      const later = await slot(admin, {
        name: 'Clean-up',
        capacity: 5,
        startTime: '10:00',
        endTime: '11:00',
      });
      expect((await claim(volunteer, morning.id)).statusCode).toBe(201);
      const clash = await claim(volunteer, marching.id);
      expect(clash.statusCode).toBe(409);
      expect(clash.json().detail).toContain('"Literature table" (08:00–10:00)');
      expect(clash.json()).toMatchObject({
        reason: 'time_overlap',
        params: { other: 'Literature table', otherWindow: '08:00–10:00', slot: 'Chant leader' },
      });
      expect((await claim(volunteer, later.id)).statusCode).toBe(201);
      expect((await claim(volunteer, later.id)).json().detail).toContain(
        'already holds "Clean-up"',
      );
    });

    it('returns the first result for a retried Idempotency-Key and never claims twice', async () => {
      const { admin, volunteer, slot, claim, slots } = await march();
      const medic = await slot(admin, { name: 'Medic', capacity: 3 });
      const first = await claim(volunteer, medic.id, 'claim-key-0001');
      const retry = await claim(volunteer, medic.id, 'claim-key-0001');
      expect(first.statusCode).toBe(201);
      expect(retry.statusCode).toBe(201);
      expect(retry.json()).toEqual(first.json());
      expect(retry.headers['idempotent-replayed']).toBe('true');
      expect((await slots(admin)).find((s) => s.id === medic.id)!.filled).toBe(1);
    });

    it("refuses another contingent's slot", async () => {
      const { admin, b, volunteer, slot, claim } = await march();
      const ofB = await slot(admin, { contingentId: b.id, name: 'B marshal', capacity: 5 });
      expect((await claim(volunteer, ofB.id)).statusCode).toBe(403);
    });
  });

  describe('POST /api/events/:eventId/role-slots/:slotId/assignments', () => {
    it('lets a leader assign their own members, and not others', async () => {
      const { app, admin, event, a, b, leader, volunteer, slot } = await march();
      const signs = await slot(admin, { contingentId: a.id, name: 'Signs', capacity: 5 });
      const outsider = await app.invited(admin, event.id, 'volunteer', b.id, 'Of B');
      const assign = (personId: string) =>
        app.inject({
          method: 'POST',
          url: `/api/events/${event.id}/role-slots/${signs.id}/assignments`,
          headers: leader.headers,
          payload: { personId },
        });
      const ok = await assign(volunteer.person.id);
      expect(ok.statusCode).toBe(201);
      expect((ok.json() as Claim).displayName).toBe('Volunteer of A');
      const refused = await assign(outsider.person.id);
      expect(refused.statusCode).toBe(400);
      expect(refused.json().errors[0].field).toBe('/body/personId');
    });
  });

  describe('DELETE /api/events/:eventId/role-slots/:slotId/claims/:claimId', () => {
    it('gives the freed place to the first person waiting, in the same step', async () => {
      const { app, admin, event, a, leader, volunteer, slot, claim, slots } = await march();
      const banner = await slot(admin, { contingentId: a.id, name: 'Banner', capacity: 1 });
      const held = (await claim(leader, banner.id)).json() as Claim;
      const early = volunteer;
      const late = await app.invited(admin, event.id, 'volunteer', a.id, 'Late');
      const waitlist = (as: Session) =>
        app.inject({
          method: 'POST',
          url: `/api/events/${event.id}/role-slots/${banner.id}/waitlist`,
          headers: as.headers,
        });
      expect((await waitlist(early)).json()).toMatchObject({ place: 1 });
      expect((await waitlist(late)).json()).toMatchObject({ place: 2 });
      expect((await slots(late)).find((s) => s.id === banner.id)!.myWaitlistPlace).toBe(2);

      const stranger = await app.invited(admin, event.id, 'volunteer', a.id);
      const refused = await app.inject({
        method: 'DELETE',
        url: `/api/events/${event.id}/role-slots/${banner.id}/claims/${held.id}`,
        headers: stranger.headers,
      });
      expect(refused.statusCode).toBe(403);

      const released = await app.send<{ promoted: Claim }>(
        leader,
        'DELETE',
        `/api/events/${event.id}/role-slots/${banner.id}/claims/${held.id}`,
      );
      expect(released.promoted.displayName).toBe('Volunteer of A');
      const after = (await slots(admin)).find((s) => s.id === banner.id)!;
      expect(after).toMatchObject({ filled: 1, waiting: 1 });
      expect(after.holders.map((h) => h.displayName)).toEqual(['Volunteer of A']);
    });
  });

  describe('PATCH /api/events/:eventId/role-slots/:slotId', () => {
    it('refuses to lower capacity below the places taken', async () => {
      const { app, admin, event, leader, volunteer, slot, claim } = await march();
      const safety = await slot(admin, { name: 'Safety', capacity: 3 });
      await claim(leader, safety.id);
      await claim(volunteer, safety.id);
      const lower = await app.inject({
        method: 'PATCH',
        url: `/api/events/${event.id}/role-slots/${safety.id}`,
        headers: admin.headers,
        payload: { capacity: 1 },
      });
      expect(lower.statusCode).toBe(409);
      const ok = await app.send<RoleSlot>(
        admin,
        'PATCH',
        `/api/events/${event.id}/role-slots/${safety.id}`,
        {
          capacity: 2,
        },
      );
      expect(ok).toMatchObject({ capacity: 2, filled: 2 });
    });
  });

  describe('GET /api/events/:eventId/contingents/:contingentId/roster.csv', () => {
    it("lists the contingent's members and the roles they hold, safe for spreadsheets", async () => {
      const { app, admin, event, a, leader, volunteer, slot, claim } = await march();
      const signs = await slot(admin, {
        contingentId: a.id,
        name: '=Signs',
        capacity: 5,
        startTime: '09:00',
        endTime: '11:00',
      });
      await claim(volunteer, signs.id);
      const res = await app.inject({
        method: 'GET',
        url: `/api/events/${event.id}/contingents/${a.id}/roster.csv`,
        headers: leader.headers,
      });
      expect(res.statusCode).toBe(200);
      expect(res.headers['content-type']).toContain('text/csv');
      const lines = res.body.trim().split('\r\n');
      expect(lines[0]).toBe('"Name","Joined as","Role","From","To","Meeting point"');
      expect(lines).toContain(`"Volunteer of A","volunteer","'=Signs","09:00","11:00",""`);
      expect(lines).toContain(`"Leader of A","leader","","","",""`);
      const members = await app.send<{ displayName: string }[]>(
        leader,
        'GET',
        `/api/events/${event.id}/contingents/${a.id}/members`,
      );
      expect(members.map((m) => m.displayName)).toEqual(['Leader of A', 'Volunteer of A']);
    });
  });

  describe('the waitlist', () => {
    it('fills places added by a larger capacity from the waitlist, first come first served', async () => {
      const { app, admin, event, a, leader, volunteer, slot, claim, slots } = await march();
      const banner = await slot(admin, { contingentId: a.id, name: 'Banner', capacity: 1 });
      await claim(leader, banner.id);
      const third = await app.invited(admin, event.id, 'volunteer', a.id, 'Third');
      const wait = (as: Session) =>
        app.inject({
          method: 'POST',
          url: `/api/events/${event.id}/role-slots/${banner.id}/waitlist`,
          headers: as.headers,
        });
      await wait(volunteer);
      await wait(third);
      const again = await wait(volunteer);
      expect(again.json()).toMatchObject({ place: 1 });
      await app.send(admin, 'PATCH', `/api/events/${event.id}/role-slots/${banner.id}`, {
        capacity: 2,
      });
      const after = (await slots(admin)).find((s) => s.id === banner.id)!;
      expect(after).toMatchObject({ filled: 2, waiting: 1 });
      expect(after.holders.map((h) => h.displayName)).toEqual(['Leader of A', 'Volunteer of A']);
    });
  });

  describe('holders a leader sees', () => {
    it("include their members' places in event-wide roles, so they can remove them", async () => {
      const { admin, leader, volunteer, slot, claim, slots } = await march();
      const literature = await slot(admin, { name: 'Literature', capacity: 5 });
      await claim(volunteer, literature.id);
      const seen = (await slots(leader)).find((s) => s.id === literature.id)!;
      expect(seen.holders.map((h) => h.displayName)).toEqual(['Volunteer of A']);
    });
  });

  describe('POST /api/events/:eventId/role-slots', () => {
    it('refuses a minimum need above the capacity, which could never be covered', async () => {
      const { app, admin, event } = await march();
      const res = await app.inject({
        method: 'POST',
        url: `/api/events/${event.id}/role-slots`,
        headers: admin.headers,
        payload: { name: 'Medic', capacity: 1, needMinimum: 3 },
      });
      expect(res.statusCode).toBe(400);
      expect(res.json().errors[0].field).toBe('/body/needMinimum');
    });
  });
});
