import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { databaseKinds } from '../helpers/databases.ts';
import { useTestApp } from '../helpers/app.ts';
import { LiveClient } from '../helpers/live.ts';

describe.each(databaseKinds)('live smoke on %s', (kind) => {
  const testApp = useTestApp(kind);
  let base = '';
  beforeAll(async () => {
    base = await testApp().app.listen({ port: 0, host: '127.0.0.1' });
  });
  afterAll(() => {});

  it('replays and streams', async () => {
    const t = testApp();
    const admin = await t.administrator();
    const event = await t.newEvent(admin);
    const a = await t.newContingent(admin, event.id, { name: 'A' });
    const leader = await t.invited(admin, event.id, 'leader', a.id);
    const client = await LiveClient.connect(base, {
      origin: base,
      eventId: event.id,
      since: 0,
      token: admin.token,
    });
    await client.until((m) => m.length >= 3);
    const now = new Date().toISOString();
    await t.send(leader, 'PUT', `/api/events/${event.id}/contingents/${a.id}/position`, {
      position: { lat: 34.05, lng: -118.25 },
      accuracy: 10,
      recordedAt: now,
    });
    await client.until((m) => m.some((x) => x.type === 'contingent.position'));
    const seqs = client.seqs();
    expect(seqs).toEqual([...seqs].sort((x, y) => x - y));
    console.log(client.messages.map((m) => m.type));
    client.close();
  });
});
