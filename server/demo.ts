// `npm run demo`: Muster on its own data directory with a May Day plan to explore. The plan
// goes in through the real services, so it has the same change records as a planned one.
import { fileURLToPath } from 'node:url';
import { asc, eq } from 'drizzle-orm';
import { events, people } from '../drizzle/schema.ts';
import type { Actor } from './access.ts';
import { parseConfig, type Config } from './config.ts';
import {
  type ContingentKey,
  DEMO_CONTINGENT_ROLES,
  DEMO_CONTINGENTS,
  DEMO_DEPOT,
  DEMO_EVENT_ROLES,
  DEMO_EVENT,
  DEMO_LINKS,
  DEMO_MATERIALS,
  DEMO_MEETING_POINTS,
  type DemoLink,
} from './demo-data.ts';
import { createContingent } from './features/contingents/service.ts';
import type { EventPlan } from './features/events/schemas.ts';
import { createEvent, getEvent } from './features/events/service.ts';
import { createInvite } from './features/invites/service.ts';
import { recordMovement } from './features/materials/ledger.ts';
import type { RecordMovementBody } from './features/materials/schemas.ts';
import { createDepot, createMaterial, setMaterialLevel } from './features/materials/service.ts';
import { createMeetingPoint } from './features/meeting-points/service.ts';
import { ensureSetupLink, joinWithInvite, logout } from './features/people/service.ts';
import { createRoleSlot } from './features/roles/service.ts';
import { listeningOrigin, runOrExplain, start } from './main.ts';
import { actorColumns } from './plugins/auth.ts';
import { type Database, openDatabase } from './plugins/database.ts';

export interface PrintedLink {
  label: string;
  /** `/join#<token>`, or null when the link's contingent is gone from the plan. */
  path: string | null;
}

export interface PreparedDemo {
  plan: EventPlan;
  /** Whether this run loaded the event (false: it was there from an earlier run). */
  loaded: boolean;
  links: PrintedLink[];
}

/** The administrator the demo plans as: the one there is, else one made via the setup link. */
export async function demoAdministrator(db: Database): Promise<Actor> {
  const setupToken = await ensureSetupLink(db);
  if (setupToken) {
    const joined = await joinWithInvite(db, setupToken, 'Demo administrator');
    // The demo acts through services, not HTTP; a live session nobody holds is only a liability.
    await logout(db, joined.sessionToken);
  }
  const [administrator] = await db
    .select(actorColumns)
    .from(people)
    .where(eq(people.role, 'administrator'))
    .orderBy(asc(people.createdAt))
    .limit(1);
  if (!administrator) throw new Error('The demo could not create an administrator.');
  return administrator;
}

async function findDemoEvent(db: Database): Promise<string | null> {
  const [row] = await db
    .select({ id: events.id })
    .from(events)
    .where(eq(events.name, DEMO_EVENT.name))
    .orderBy(asc(events.createdAt))
    .limit(1);
  return row?.id ?? null;
}

async function loadDemoEvent(db: Database, administrator: Actor): Promise<string> {
  const { id: eventId } = await createEvent(db, administrator, DEMO_EVENT);
  const contingentIds = new Map<ContingentKey, string>();
  // One at a time: march order is taken from the contingents already there.
  for (const { key, ...contingent } of DEMO_CONTINGENTS) {
    const created = await createContingent(db, administrator, eventId, contingent);
    contingentIds.set(key, created.id);
  }
  for (const { contingents, ...meetingPoint } of DEMO_MEETING_POINTS) {
    await createMeetingPoint(db, administrator, eventId, {
      ...meetingPoint,
      contingentIds: contingents.map((key) => contingentIds.get(key)!),
    });
  }
  for (const contingentId of contingentIds.values()) {
    for (const role of DEMO_CONTINGENT_ROLES) {
      await createRoleSlot(db, administrator, eventId, { ...role, contingentId });
    }
  }
  for (const role of DEMO_EVENT_ROLES) await createRoleSlot(db, administrator, eventId, role);
  await stockDemoMaterials(db, administrator, eventId, contingentIds);
  return eventId;
}

/** Papers and signs received into the depot and allocated to each contingent by its size. */
async function stockDemoMaterials(
  db: Database,
  administrator: Actor,
  eventId: string,
  contingentIds: Map<ContingentKey, string>,
): Promise<void> {
  const depot = await createDepot(db, administrator, eventId, DEMO_DEPOT);
  for (const { material, received, perMarchers, depotLowStock } of DEMO_MATERIALS) {
    const { id: materialId } = await createMaterial(db, administrator, eventId, material);
    const move = (body: Omit<RecordMovementBody, 'materialId'>) =>
      recordMovement(db, administrator, eventId, { materialId, ...body });
    await move({ kind: 'received', quantity: received, toDepotId: depot.id });
    await setMaterialLevel(db, administrator, eventId, materialId, {
      depotId: depot.id,
      planned: null,
      lowStockThreshold: depotLowStock,
    });
    for (const { key, expectedSize } of DEMO_CONTINGENTS) {
      const quantity = Math.ceil(expectedSize / perMarchers);
      const contingentId = contingentIds.get(key)!;
      await move({
        kind: 'allocated',
        quantity,
        fromDepotId: depot.id,
        toContingentId: contingentId,
      });
      await setMaterialLevel(db, administrator, eventId, materialId, {
        contingentId,
        planned: quantity,
        lowStockThreshold: Math.ceil(quantity / 5),
      });
    }
  }
}

function linkLabel(link: DemoLink, contingentName: string | undefined): string {
  const role = link.role.charAt(0).toUpperCase() + link.role.slice(1);
  return contingentName ? `${role} link (${contingentName})` : `${role} link`;
}

async function issueDemoLink(
  db: Database,
  administrator: Actor,
  plan: EventPlan,
  link: DemoLink,
): Promise<PrintedLink> {
  const name = DEMO_CONTINGENTS.find((c) => c.key === link.contingent)?.name;
  const label = linkLabel(link, name);
  // By name, not by id: on a later run the plan is known only as it is stored.
  const contingentId = name ? plan.contingents.find((c) => c.name === name)?.id : null;
  if (contingentId === undefined) return { label, path: null };
  const created = await createInvite(db, administrator, plan.id, {
    role: link.role,
    contingentId,
    label: `npm run demo: ${label}`,
  });
  return { label, path: created.path };
}

/** Fresh links on every run: only token hashes are stored, so earlier ones cannot be shown. */
async function issueDemoLinks(db: Database, administrator: Actor, plan: EventPlan) {
  const links: PrintedLink[] = [];
  for (const link of DEMO_LINKS) links.push(await issueDemoLink(db, administrator, plan, link));
  return links;
}

/** Loads the demo event unless an earlier run did, and issues a fresh set of links. */
export async function prepareDemo(db: Database): Promise<PreparedDemo> {
  const administrator = await demoAdministrator(db);
  const existing = await findDemoEvent(db);
  const eventId = existing ?? (await loadDemoEvent(db, administrator));
  const plan = await getEvent(db, administrator, eventId);
  return { plan, loaded: !existing, links: await issueDemoLinks(db, administrator, plan) };
}

async function prepareDemoIn(config: Config): Promise<PreparedDemo> {
  const database = await openDatabase(config);
  try {
    return await prepareDemo(database.db);
  } finally {
    await database.close();
  }
}

function printDemo(demo: PreparedDemo, origin: string): void {
  const { plan } = demo;
  console.log(
    demo.loaded
      ? `Loaded the demo event "${plan.name}": ${plan.contingents.length} contingents, ` +
          `${plan.meetingPoints.length} meeting points.`
      : `The demo event "${plan.name}" is loaded already; fresh links (earlier ones still work):`,
  );
  for (const link of demo.links) {
    console.log(
      link.path
        ? `${link.label}: ${origin}${link.path}`
        : `${link.label}: none, its contingent was deleted (remove the data directory to reload)`,
    );
  }
}

async function runDemo(): Promise<void> {
  const config = parseConfig({
    ...process.env,
    MUSTER_DATA_DIR: process.env.MUSTER_DATA_DIR || 'data-demo',
  });
  // Loaded before the server listens, so no client sees a half-loaded plan, and start()
  // finds the administrator there already: it prints no setup link the demo has used up.
  const demo = await prepareDemoIn(config);
  const app = await start(config);
  printDemo(demo, listeningOrigin(config, app));
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  await runOrExplain(runDemo);
}
