// The plan `npm run demo` loads: a May Day march in Los Angeles from MacArthur Park along
// Wilshire Boulevard to a rally at Grand Park by City Hall. Coordinates are street corners
// and landmarks, WGS 84, good to a few tens of metres; names are illustrative.
import type { CreateEventBody } from './features/events/schemas.ts';
import type { CreateRoleSlotBody } from './features/roles/schemas.ts';
import type { CreateInviteBody } from './features/invites/schemas.ts';
import type { CreateMaterialBody } from './features/materials/schemas.ts';
import type { LatLng, LineString } from './schemas.ts';

/** Street corners the route passes, west to east, then north through downtown. */
const CORNERS = {
  wilshireInMacArthurPark: { lat: 34.0587, lng: -118.2777 },
  wilshireAlvarado: { lat: 34.0579, lng: -118.276 },
  wilshireWestlake: { lat: 34.0571, lng: -118.2742 },
  wilshireBonnieBrae: { lat: 34.0563, lng: -118.2723 },
  wilshireUnion: { lat: 34.055, lng: -118.2693 },
  wilshireLucas: { lat: 34.0536, lng: -118.2662 },
  wilshireOverHarborFreeway: { lat: 34.0517, lng: -118.2618 },
  wilshireFigueroa: { lat: 34.0502, lng: -118.2585 },
  wilshireGrand: { lat: 34.0487, lng: -118.2551 },
  grandSixth: { lat: 34.0494, lng: -118.2545 },
  grandFifth: { lat: 34.0507, lng: -118.2532 },
  fifthOlive: { lat: 34.05, lng: -118.2522 },
  fifthHill: { lat: 34.0494, lng: -118.2511 },
  hillFourth: { lat: 34.0507, lng: -118.2498 },
  hillThird: { lat: 34.052, lng: -118.2486 },
  hillSecond: { lat: 34.0534, lng: -118.2473 },
  hillFirst: { lat: 34.0547, lng: -118.246 },
  firstBroadway: { lat: 34.054, lng: -118.245 },
  firstSpring: { lat: 34.0533, lng: -118.244 },
} satisfies Record<string, LatLng>;

/** Places that are not on the route itself. */
const PLACES = {
  macArthurParkNorthLawn: { lat: 34.0595, lng: -118.2776 },
  macArthurParkBoathouse: { lat: 34.058, lng: -118.2781 },
  westlakeMacArthurParkStation: { lat: 34.0572, lng: -118.2758 },
  wilshireAlvaradoParkCorner: { lat: 34.0582, lng: -118.2763 },
  seventhStMetroCenterFlower: { lat: 34.0484, lng: -118.2581 },
  grandParkFountain: { lat: 34.0563, lng: -118.2472 },
  grandParkCityHallLawn: { lat: 34.0543, lng: -118.2439 },
} satisfies Record<string, LatLng>;

/** GeoJSON wants [longitude, latitude]; writing LatLng above keeps the order unambiguous. */
function lineString(points: LatLng[]): LineString {
  return { type: 'LineString', coordinates: points.map(({ lat, lng }) => [lng, lat]) };
}

export const DEMO_EVENT = {
  name: 'May Day — Los Angeles',
  description:
    'International Workers’ Day march. Assembly in MacArthur Park from 9:00, step-off at 10:00 ' +
    'east along Wilshire Boulevard, over the 110, north on Grand Avenue, east on 5th Street ' +
    'past Pershing Square, north on Hill Street and east on 1st Street to the rally at Grand ' +
    'Park by City Hall, about 12:00. About 3.5 km, flat, wheelchair-accessible.',
  bring:
    'Water, a hat, sunscreen and your contingent’s signs. Marshals: your orange vest. ' +
    'You do not need any ID to march.',
  date: '2027-05-01',
  startTime: '10:00',
  timezone: 'America/Los_Angeles',
  route: lineString([
    CORNERS.wilshireInMacArthurPark,
    CORNERS.wilshireAlvarado,
    CORNERS.wilshireWestlake,
    CORNERS.wilshireBonnieBrae,
    CORNERS.wilshireUnion,
    CORNERS.wilshireLucas,
    CORNERS.wilshireOverHarborFreeway,
    CORNERS.wilshireFigueroa,
    CORNERS.wilshireGrand,
    CORNERS.grandSixth,
    CORNERS.grandFifth,
    CORNERS.fifthOlive,
    CORNERS.fifthHill,
    CORNERS.hillFourth,
    CORNERS.hillThird,
    CORNERS.hillSecond,
    CORNERS.hillFirst,
    CORNERS.firstBroadway,
    CORNERS.firstSpring,
  ]),
  assemblyPoint: PLACES.macArthurParkNorthLawn,
  rallyPoint: PLACES.grandParkCityHallLawn,
} satisfies CreateEventBody;

export type ContingentKey =
  | 'transit'
  | 'garment'
  | 'students'
  | 'nurses'
  | 'hotel'
  | 'boeing'
  | 'janitors'
  | 'teachers'
  | 'vendors'
  | 'truckers'
  | 'tenants'
  | 'immigrantRights';

export interface DemoContingent {
  key: ContingentKey;
  name: string;
  description: string;
  colour: string;
  expectedSize: number;
}

/** In march order. */
export const DEMO_CONTINGENTS: readonly DemoContingent[] = [
  {
    key: 'immigrantRights',
    name: 'Immigrant-rights network',
    description:
      'Lead banner. Rapid-response committees from Pico-Union, Boyle Heights and South LA; ' +
      'know-your-rights cards in English, Spanish and K’iche’.',
    colour: '#c0392b',
    expectedSize: 600,
  },
  {
    key: 'transit',
    name: 'Transit workers',
    description:
      'Bus operators (SMART-TD) and mechanics (ATU) of Metro Division 9, El Monte. Uniforms ' +
      'welcome; the division banner comes on the 8:15 train.',
    colour: '#1f6feb',
    expectedSize: 120,
  },
  {
    key: 'garment',
    name: 'Garment workers',
    description:
      'Sewers, cutters and pressers from three shops: Maple Avenue, San Pedro Street and ' +
      'Vernon. Each shop marches behind its own placard inside the contingent.',
    colour: '#8e24aa',
    expectedSize: 300,
  },
  {
    key: 'students',
    name: 'High-school students',
    description:
      'Students from Roosevelt High, Boyle Heights, with two teachers. Stay with your marshal; ' +
      'nobody hands out papers alone.',
    colour: '#ef6c00',
    expectedSize: 60,
  },
  {
    key: 'nurses',
    name: 'Healthcare workers',
    description:
      'SEIU 121RN nurses from Good Samaritan and County-USC, with a first-aid team that ' +
      'marches in scrubs.',
    colour: '#00838f',
    expectedSize: 150,
  },
  {
    key: 'hotel',
    name: 'Hotel workers',
    description:
      'UNITE HERE Local 11: housekeepers, cooks and dishwashers from downtown and airport ' +
      'hotels. Drums and the red-shirt section.',
    colour: '#d81b60',
    expectedSize: 400,
  },
  {
    key: 'boeing',
    name: 'Boeing club',
    description:
      'Party club of Boeing workers from El Segundo and Long Beach. Carries the newspaper ' +
      'table to the rally.',
    colour: '#6d4c41',
    expectedSize: 40,
  },
  {
    key: 'janitors',
    name: 'Janitors',
    description:
      'SEIU-USWW Justice for Janitors, night crews from the Bunker Hill towers. Most come ' +
      'straight off shift and join downtown.',
    colour: '#2e7d32',
    expectedSize: 350,
  },
  {
    key: 'teachers',
    name: 'Teachers',
    description: 'UTLA chapters from Westlake and Pico-Union schools, in red.',
    colour: '#b71c1c',
    expectedSize: 500,
  },
  {
    key: 'vendors',
    name: 'Street vendors',
    description:
      'Sidewalk vendors of MacArthur Park and Alvarado Street. Carts stay home; bring the ' +
      'umbrellas for shade at the rally.',
    colour: '#f9a825',
    expectedSize: 80,
  },
  {
    key: 'truckers',
    name: 'Port truckers',
    description:
      'Drivers from the ports of Los Angeles and Long Beach, coming up the 110 after the ' +
      'night shift.',
    colour: '#455a64',
    expectedSize: 70,
  },
  {
    key: 'tenants',
    name: 'Tenants union',
    description:
      'Tenants-union locals of Westlake, Koreatown and Highland Park. Bring your building’s ' +
      'banner.',
    colour: '#5e35b1',
    expectedSize: 200,
  },
];

export interface DemoMeetingPoint {
  name: string;
  position: LatLng;
  address: string;
  meetTime: string;
  instructions: string;
  /** Contingents that meet here; with visibility `contingents`, only they see it. */
  contingents: ContingentKey[];
  visibility: 'event' | 'contingents';
}

export const DEMO_MEETING_POINTS: readonly DemoMeetingPoint[] = [
  {
    name: 'MacArthur Park boathouse',
    position: PLACES.macArthurParkBoathouse,
    address: 'MacArthur Park, by the boathouse on the lake, south side of Wilshire Blvd',
    meetTime: '08:30',
    instructions:
      'Each garment shop and the vendors meet their leaders at the boathouse steps; placards ' +
      'and water are handed out here.',
    contingents: ['garment', 'vendors'],
    visibility: 'contingents',
  },
  {
    name: 'Westlake/MacArthur Park station, Alvarado St exit',
    position: PLACES.westlakeMacArthurParkStation,
    address: '660 S Alvarado St, plaza on the east side between Wilshire Blvd and 7th St',
    meetTime: '08:45',
    instructions:
      'For everyone arriving on the B or D Line. Wait at the top of the escalators; a marshal ' +
      'walks each group across Alvarado to the park together.',
    contingents: ['transit', 'students'],
    visibility: 'event',
  },
  {
    name: 'Wilshire & Alvarado, park corner',
    position: PLACES.wilshireAlvaradoParkCorner,
    address: 'Wilshire Blvd & S Alvarado St, north-west corner, at the edge of MacArthur Park',
    meetTime: '09:00',
    instructions:
      'Main assembly. Contingents line up in march order on Wilshire inside the park; look ' +
      'for your contingent’s colour on the marshals’ signs. Step-off at 10:00.',
    contingents: [],
    visibility: 'event',
  },
  {
    name: '7th St/Metro Center, Flower St entrance',
    position: PLACES.seventhStMetroCenterFlower,
    address: '7th St & S Flower St, by the station entrance',
    meetTime: '09:15',
    instructions:
      'Late group, straight off the night shift. Wait here; when the march reaches Wilshire & ' +
      'Figueroa (about 10:45) your marshal leads you one block north to join it.',
    contingents: ['janitors', 'truckers'],
    visibility: 'contingents',
  },
  {
    name: 'Grand Park fountain',
    position: PLACES.grandParkFountain,
    address: 'Grand Park, Arthur J. Will Memorial Fountain, below the Music Center on N Grand Ave',
    meetTime: '12:00',
    instructions:
      'Rally marshals: collect vests and radios at the fountain, then take your posts along ' +
      'the City Hall lawn before the tail of the march arrives.',
    contingents: [],
    visibility: 'event',
  },
];

export interface DemoLink {
  role: CreateInviteBody['role'];
  /** The contingent a leader or volunteer link joins. */
  contingent?: ContingentKey;
}

/** The invite links printed on every run. */
export const DEMO_LINKS: readonly DemoLink[] = [
  { role: 'coordinator' },
  { role: 'leader', contingent: 'transit' },
  { role: 'volunteer', contingent: 'students' },
];

/** Roles every contingent needs, scaled to its size. */
export const DEMO_CONTINGENT_ROLES: readonly Omit<CreateRoleSlotBody, 'contingentId'>[] = [
  {
    preset: 'marshal',
    name: 'Marshal',
    description: 'Keeps the contingent together and the lines straight; orange vest.',
    capacity: 12,
    needPerMarchers: 50,
    needMinimum: 2,
    critical: true,
  },
  {
    preset: 'sign_carrier',
    name: 'Sign carrier',
    description: 'Carries one of the contingent’s signs from the park to the rally.',
    capacity: 40,
    needPerMarchers: 20,
  },
  {
    preset: 'chant_leader',
    name: 'Chant leader',
    description: 'Leads the chants with the megaphone; two take turns.',
    capacity: 2,
    needMinimum: 1,
  },
];

/** Roles for the whole march. */
export const DEMO_EVENT_ROLES: readonly CreateRoleSlotBody[] = [
  {
    preset: 'medic',
    name: 'Medic',
    description: 'First aid along the route; meets at the Grand Park fountain afterwards.',
    capacity: 8,
    needMinimum: 4,
    critical: true,
  },
  {
    preset: 'legal_observer',
    name: 'Legal observer',
    description: 'Watches and notes any police contact; green cap.',
    capacity: 6,
    needMinimum: 3,
    critical: true,
  },
  {
    preset: 'literature_distributor',
    name: 'Literature distributor',
    description: 'Hands out the May issue in English and Spanish along the sidewalks.',
    capacity: 30,
    needMinimum: 12,
    startTime: '09:00',
    endTime: '12:00',
  },
];

/** Where the demo's papers and signs are kept: the union hall a block from the park. */
export const DEMO_DEPOT = {
  name: 'Union hall, Alvarado St',
  position: PLACES.westlakeMacArthurParkStation,
};

export interface DemoMaterial {
  material: CreateMaterialBody;
  received: number;
  /** Per contingent: one for every this many expected marchers. */
  perMarchers: number;
  /** Coordinators are alerted when the depot holds fewer than this. */
  depotLowStock: number;
}

export const DEMO_MATERIALS: readonly DemoMaterial[] = [
  {
    material: { kind: 'literature', name: 'Red Flag — May issue', language: 'en' },
    received: 12_000,
    perMarchers: 2,
    depotLowStock: 2_000,
  },
  {
    material: { kind: 'literature', name: 'Bandera Roja — edición de mayo', language: 'es' },
    received: 8_000,
    perMarchers: 2,
    depotLowStock: 1_500,
  },
  {
    material: { kind: 'sign', name: 'May Day sign', slogan: 'Workers of the world, unite!' },
    received: 800,
    perMarchers: 10,
    depotLowStock: 100,
  },
];
