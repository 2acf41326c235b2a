import { describe, expect, it } from 'vitest';
import { parseGpxRoute } from '../../server/features/events/gpx.ts';
import { AppError } from '../../server/errors.ts';
import { useTestApp } from '../helpers/app.ts';
import { databaseKinds } from '../helpers/databases.ts';

const track = `<?xml version="1.0"?>
<gpx version="1.1" creator="test" xmlns="http://www.topografix.com/GPX/1/1">
  <wpt lat="1" lon="1"><name>ignored</name></wpt>
  <trk><name>Wilshire</name>
    <trkseg>
      <trkpt lat="34.0593" lon="-118.2776"><ele>90</ele></trkpt>
      <trkpt lon='-118.2650' lat='34.0560'/>
    </trkseg>
    <trkseg><trkpt lat="34.0537" lon="-118.2437"></trkpt></trkseg>
  </trk>
</gpx>`;

describe('parseGpxRoute', () => {
  it('reads every track point in order as [lng, lat], whatever the attribute order', () => {
    expect(parseGpxRoute(track)).toEqual({
      type: 'LineString',
      coordinates: [
        [-118.2776, 34.0593],
        [-118.265, 34.056],
        [-118.2437, 34.0537],
      ],
    });
  });

  it('falls back to route points when there is no track', () => {
    const gpx = '<gpx><rte><rtept lat="1" lon="2"/><rtept lat="3" lon="4"/></rte></gpx>';
    expect(parseGpxRoute(gpx).coordinates).toEqual([
      [2, 1],
      [4, 3],
    ]);
  });

  it.each([
    ['not GPX at all', '<kml></kml>'],
    ['a single point', '<gpx><trk><trkseg><trkpt lat="1" lon="2"/></trkseg></trk></gpx>'],
    [
      'an out-of-range latitude',
      '<gpx><rte><rtept lat="91" lon="2"/><rtept lat="1" lon="2"/></rte></gpx>',
    ],
    ['a point without lon', '<gpx><rte><rtept lat="1"/><rtept lat="1" lon="2"/></rte></gpx>'],
  ])('rejects %s', (_name, gpx) => {
    expect(() => parseGpxRoute(gpx)).toThrow(AppError);
  });
});

describe.each(databaseKinds)('POST /api/events/:eventId/route/gpx on %s', (kind) => {
  const t = useTestApp(kind);

  it("replaces the event's route with the file's track", async () => {
    const admin = await t().administrator();
    const event = await t().newEvent(admin);
    const plan = await t().send<{ route: { coordinates: unknown[] } }>(
      admin,
      'POST',
      `/api/events/${event.id}/route/gpx`,
      { gpx: track },
    );
    expect(plan.route.coordinates).toHaveLength(3);
  });

  it('rejects a file without a track and leaves the route alone', async () => {
    const admin = await t().administrator();
    const event = await t().newEvent(admin);
    const res = await t().inject({
      method: 'POST',
      url: `/api/events/${event.id}/route/gpx`,
      headers: admin.headers,
      payload: { gpx: '<gpx></gpx>' },
    });
    expect(res.statusCode).toBe(400);
    expect(res.json().errors[0].field).toBe('/body/gpx');
    const after = await t().send<{ route: unknown }>(admin, 'GET', `/api/events/${event.id}`);
    expect(after.route).toBeNull();
  });
});
