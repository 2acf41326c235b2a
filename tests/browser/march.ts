// A march on the day, made through the HTTP API, for browser tests that visit every page: a
// route with assembly and rally points, the Transit workers contingent with a meeting point,
// a Marshal slot, 100 papers allocated from a depot, an announcement, and its leader (Luis)
// and a volunteer (Ana).
import { HttpApi } from './fixtures.ts';

export interface DayOfMarch {
  eventId: string;
  contingentId: string;
  materialId: string;
  depotId: string;
  admin: HttpApi;
  leader: HttpApi;
  volunteer: HttpApi;
}

export interface MarchOptions {
  /** Volunteers see their contingent: one more button and a marker on their map. */
  shareContingentPositions?: boolean;
  /** Where the contingent reported itself: a marker on the leader's, volunteer's and live map. */
  reported?: { lat: number; lng: number };
}

export async function dayOfMarch(
  origin: string,
  setupLink: string,
  { shareContingentPositions = false, reported }: MarchOptions = {},
): Promise<DayOfMarch> {
  const admin = await new HttpApi(origin).join(setupLink, 'Rosa');
  const event = await admin.newEvent({
    assemblyPoint: { lat: 34.0576, lng: -118.2775 },
    rallyPoint: { lat: 34.0543, lng: -118.2439 },
    route: {
      type: 'LineString',
      coordinates: [
        [-118.2775, 34.0576],
        [-118.2525, 34.0549],
        [-118.2439, 34.0543],
      ],
    },
    shareContingentPositions,
  });
  const at = (path: string) => `/api/events/${event.id}${path}`;
  const transit = await admin.call<{ id: string }>('POST', at('/contingents'), {
    name: 'Transit workers',
    expectedSize: 120,
  });
  await admin.call('POST', at('/meeting-points'), {
    name: 'MacArthur Park boathouse',
    position: { lat: 34.0593, lng: -118.2776 },
    meetTime: '09:00',
    address: 'Wilshire Blvd & Alvarado St',
  });
  await admin.call('POST', at('/role-slots'), {
    name: 'Marshal',
    capacity: 4,
    contingentId: transit.id,
  });
  const paper = await admin.call<{ id: string }>('POST', at('/materials'), {
    kind: 'literature',
    name: 'Red Flag — May issue',
  });
  const depot = await admin.call<{ id: string }>('POST', at('/depots'), {
    name: 'Union hall',
    position: { lat: 34.0581, lng: -118.2765 },
  });
  await admin.call('POST', at('/movements'), {
    materialId: paper.id,
    kind: 'received',
    quantity: 500,
    toDepotId: depot.id,
  });
  await admin.call('POST', at('/movements'), {
    materialId: paper.id,
    kind: 'allocated',
    quantity: 100,
    fromDepotId: depot.id,
    toContingentId: transit.id,
  });
  await admin.call('POST', at('/announcements'), {
    target: 'event',
    body: 'Water at every corner',
  });
  if (reported) {
    await admin.call('PUT', at(`/contingents/${transit.id}/position`), {
      position: reported,
      accuracy: 20,
      recordedAt: new Date().toISOString(),
    });
  }
  const leader = await admin.join(await admin.inviteLink(event.id, 'leader', transit.id), 'Luis');
  const volunteer = await admin.join(
    await admin.inviteLink(event.id, 'volunteer', transit.id),
    'Ana',
  );
  return {
    eventId: event.id,
    contingentId: transit.id,
    materialId: paper.id,
    depotId: depot.id,
    admin,
    leader,
    volunteer,
  };
}
