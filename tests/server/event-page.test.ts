// The event page as the server sends it to a signed-in reader: the app's index.html with where
// and when to meet written in, and the API's first answers embedded, only ever what the API
// itself would give that reader.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { brotliDecompressSync } from 'node:zlib';
import type { LightMyRequestResponse } from 'fastify';
import { beforeAll, describe, expect, it } from 'vitest';
import { type Session, useTestApp } from '../helpers/app.ts';
import { databaseKinds } from '../helpers/databases.ts';

const webDist = fileURLToPath(new URL('../../web/dist', import.meta.url));

/** The embedded answers of a page, by path. */
function bootOf(html: string): Record<string, unknown> | null {
  const match = /<script type="application\/json" id="muster-boot">(.*?)<\/script>/s.exec(html);
  return match ? (JSON.parse(match[1]!) as Record<string, unknown>) : null;
}

/** The server's first text of the page, without tags, or null when there is none. */
function essentialsOf(html: string): string | null {
  const match = /<article id="essentials"[^>]*>(.*?)<\/article>/s.exec(html);
  return match ? match[1]!.replace(/<[^>]+>/g, ' ').replace(/\s+/g, ' ') : null;
}

describe.each(databaseKinds)('the event page on %s', (kind) => {
  const t = useTestApp(kind, { webDist });
  const march = {} as {
    eventId: string;
    admin: Session;
    leader: Session;
    volunteer: Session;
    stranger: Session;
  };

  beforeAll(async () => {
    const app = t();
    const admin = await app.administrator();
    const event = await app.newEvent(admin, {
      name: 'May Day <b>LA</b>',
      bring: 'Water, a hat.',
    });
    const transit = await app.newContingent(admin, event.id, { name: 'Transit workers' });
    await app.send(admin, 'POST', `/api/events/${event.id}/meeting-points`, {
      name: 'MacArthur Park boathouse',
      position: { lat: 34.0593, lng: -118.2776 },
      meetTime: '09:00',
      address: '2230 W 6th St',
      instructions: 'Enter from 6th St.\n</script><script>alert(1)</script>',
    });
    const leader = await app.invited(admin, event.id, 'leader', transit.id, 'Dolores');
    const volunteer = await app.invited(admin, event.id, 'volunteer', transit.id, 'Luis');
    const slot = await app.send<{ id: string }>(
      admin,
      'POST',
      `/api/events/${event.id}/role-slots`,
      {
        contingentId: transit.id,
        name: 'Steward',
        capacity: 2,
      },
    );
    await app.inject({
      method: 'POST',
      url: `/api/events/${event.id}/role-slots/${slot.id}/claims`,
      headers: volunteer.headers,
      payload: {},
    });
    const other = await app.newEvent(admin, { name: 'Another march' });
    const stranger = await app.invited(admin, other.id, 'volunteer', undefined, 'Stranger');
    Object.assign(march, { eventId: event.id, admin, leader, volunteer, stranger });
  });

  const open = (as: Session | null, headers: Record<string, string> = {}, path?: string) =>
    t().inject({
      method: 'GET',
      url: path ?? `/events/${march.eventId}`,
      headers: { ...(as ? { cookie: `muster_session=${as.token}` } : {}), ...headers },
    });

  const isShell = (res: LightMyRequestResponse) => {
    expect(res.statusCode).toBe(200);
    expect(res.headers['cache-control']).toBe('no-cache');
    expect(essentialsOf(res.body)).toBeNull();
    expect(bootOf(res.body)).toBeNull();
    expect(res.body).toContain('<div id="app"></div>');
  };

  it('writes where and when to meet, the roles and the contingent for a volunteer', async () => {
    const res = await open(march.volunteer);
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toBe('text/html; charset=utf-8');
    expect(res.headers['cache-control']).toBe('private, no-store');
    const text = essentialsOf(res.body)!;
    expect(text).toContain('Where to meet');
    expect(text).toContain('MacArthur Park boathouse');
    expect(text).toContain('Meet at 9:00 AM');
    expect(text).toContain('2230 W 6th St');
    expect(text).toContain('Good to know Enter from 6th St.');
    expect(text).toContain('What to bring Water, a hat.');
    expect(text).toContain('Your roles Steward');
    expect(text).toContain('Your contingent Transit workers');
    expect(text).toContain('Leader: Dolores');
    // The essentials come before the app's mount point, so they show with the document.
    expect(res.body.indexOf('id="essentials"')).toBeLessThan(res.body.indexOf('id="app"'));
  });

  it('links the page’s own code, so it loads with the document', async () => {
    const manifest = JSON.parse(readFileSync(`${webDist}/.vite/manifest.json`, 'utf8')) as Record<
      string,
      { file: string; css?: string[] }
    >;
    const page = manifest['src/pages/EventPage.svelte']!;
    const html = (await open(march.volunteer)).body;
    expect(html).toContain(`<link rel="modulepreload" crossorigin href="/${page.file}">`);
    // Stylesheets never block the first paint: all are print-only until the app applies them.
    expect(html).not.toMatch(/<link rel="stylesheet"(?![^>]*media="print")/);
  });

  it('escapes what people typed, in the text and in the embedded answers', async () => {
    const res = await open(march.volunteer);
    expect(res.body).toContain('May Day &lt;b&gt;LA&lt;/b&gt;');
    expect(res.body).not.toContain('<script>alert(1)');
    expect(res.body).toContain('&lt;/script&gt;&lt;script&gt;alert(1)');
    const boot = bootOf(res.body)!;
    const plan = boot[`/api/events/${march.eventId}`] as {
      meetingPoints: { instructions: string }[];
    };
    expect(plan.meetingPoints[0]!.instructions).toContain('</script><script>alert(1)');
  });

  it('embeds exactly what the API answers the same reader', async () => {
    const boot = bootOf((await open(march.volunteer)).body)!;
    const event = `/api/events/${march.eventId}`;
    expect(Object.keys(boot).sort()).toEqual(
      [
        '/api/me',
        '/api/config',
        event,
        `${event}/role-slots`,
        `${event}/announcements`,
        `${event}/check-ins/me`,
      ].sort(),
    );
    for (const [path, answer] of Object.entries(boot)) {
      const direct = await t().inject({
        method: 'GET',
        url: path,
        headers: march.volunteer.headers,
      });
      // The plan carries no clock of its own, so the two reads are equal.
      expect(answer, path).toEqual(direct.json());
    }
  });

  it('writes the leader their own page, with the leader named as such', async () => {
    const text = essentialsOf((await open(march.leader)).body)!;
    expect(text).toContain('MacArthur Park boathouse');
    expect(text).toContain('Your roles');
  });

  it('writes Spanish when the reader chose it, or their browser asks for it', async () => {
    const chosen = essentialsOf(
      (
        await open(march.volunteer, {
          cookie: `muster_session=${march.volunteer.token}; muster_locale=es`,
        })
      ).body,
    )!;
    expect(chosen).toContain('Dónde encontrarnos');
    const asked = await open(march.volunteer, { 'accept-language': 'es-MX,es;q=0.9,en;q=0.5' });
    expect(essentialsOf(asked.body)).toContain('Dónde encontrarnos');
    expect(asked.body).toContain('<html lang="es"');
    const english = await open(march.volunteer, {
      cookie: `muster_session=${march.volunteer.token}; muster_locale=en`,
      'accept-language': 'es-MX',
    });
    expect(essentialsOf(english.body)).toContain('Where to meet');
  });

  it('compresses the page when the browser accepts it', async () => {
    const res = await open(march.volunteer, { 'accept-encoding': 'gzip, deflate, br' });
    expect(res.headers['content-encoding']).toBe('br');
    expect(res.headers.vary).toContain('cookie');
    const html = brotliDecompressSync(res.rawPayload).toString('utf8');
    expect(essentialsOf(html)).toContain('MacArthur Park boathouse');
  });

  it('sends the plain app to anyone the API would not show the event', async () => {
    isShell(await open(null));
    isShell(await open(march.stranger));
    isShell(await open(null, { cookie: 'muster_session=not-a-session' }));
    isShell(await open(march.volunteer, {}, '/events/not-an-id'));
    isShell(await open(march.volunteer, {}, `/events/${march.eventId}/plan`));
  });

  it('writes a coordinator the meeting points without roles of their own', async () => {
    const text = essentialsOf((await open(march.admin)).body)!;
    expect(text).toContain('MacArthur Park boathouse');
    expect(text).not.toContain('Your roles');
  });
});
