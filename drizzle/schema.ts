// The whole data model of Muster, in one place. Migrations under ./migrations are
// generated from this file by drizzle-kit and never edited after they land.
import { sql } from 'drizzle-orm';
import {
  type AnyPgColumn,
  bigint,
  boolean,
  check,
  doublePrecision,
  index,
  integer,
  jsonb,
  pgEnum,
  pgTable,
  primaryKey,
  text,
  timestamp,
  uniqueIndex,
  uuid,
} from 'drizzle-orm/pg-core';

export const roleEnum = pgEnum('role', ['administrator', 'coordinator', 'leader', 'volunteer']);
export const visibilityEnum = pgEnum('meeting_point_visibility', ['event', 'contingents']);
export const contingentStatusEnum = pgEnum('contingent_status', [
  'assembling',
  'marching',
  'arrived',
  'dispersed',
]);
export const announcementTargetEnum = pgEnum('announcement_target', [
  'event',
  'contingent',
  'role',
]);

export type Role = (typeof roleEnum.enumValues)[number];

/** A point on the map, WGS 84. */
export interface LatLng {
  lat: number;
  lng: number;
}

/** GeoJSON LineString: coordinates are [longitude, latitude] pairs. */
export interface LineString {
  type: 'LineString';
  coordinates: [number, number][];
}

const createdAt = () => timestamp('created_at', { withTimezone: true }).notNull().defaultNow();

export const events = pgTable('events', {
  id: uuid('id').primaryKey().defaultRandom(),
  name: text('name').notNull(),
  description: text('description').notNull().default(''),
  /** What everyone should bring (water, a hat…), shown to every participant. */
  bring: text('bring').notNull().default(''),
  /** Local calendar date of the march (YYYY-MM-DD) in `timezone`. */
  date: text('date').notNull(),
  /** Local start time (HH:MM) in `timezone`. */
  startTime: text('start_time').notNull(),
  timezone: text('timezone').notNull(),
  /** The instant the march starts, derived from date, startTime and timezone. */
  startsAt: timestamp('starts_at', { withTimezone: true }).notNull(),
  route: jsonb('route').$type<LineString | null>(),
  assemblyPoint: jsonb('assembly_point').$type<LatLng | null>(),
  rallyPoint: jsonb('rally_point').$type<LatLng | null>(),
  /** Whether volunteers see their own contingent's position (coarsened to about 200 m). */
  shareContingentPositions: boolean('share_contingent_positions').notNull().default(false),
  /** Last change-record sequence number; bumped under the row lock by every write. */
  lastSeq: bigint('last_seq', { mode: 'number' }).notNull().default(0),
  createdAt: createdAt(),
  updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
});

export const people = pgTable(
  'people',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    displayName: text('display_name').notNull(),
    role: roleEnum('role').notNull(),
    eventId: uuid('event_id').references(() => events.id, { onDelete: 'cascade' }),
    contingentId: uuid('contingent_id').references(() => contingents.id, { onDelete: 'set null' }),
    inviteId: uuid('invite_id').references(() => invites.id, { onDelete: 'set null' }),
    createdAt: createdAt(),
  },
  (t) => [index('people_event_idx').on(t.eventId), index('people_invite_idx').on(t.inviteId)],
);

export const contingents = pgTable(
  'contingents',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    eventId: uuid('event_id')
      .notNull()
      .references(() => events.id, { onDelete: 'cascade' }),
    name: text('name').notNull(),
    description: text('description').notNull().default(''),
    colour: text('colour').notNull(),
    marchOrder: integer('march_order').notNull(),
    expectedSize: integer('expected_size').notNull().default(0),
    leaderId: uuid('leader_id').references((): AnyPgColumn => people.id, { onDelete: 'set null' }),
    /** On the day: null until its leader or a coordinator sets it. */
    status: contingentStatusEnum('status'),
    statusChangedAt: timestamp('status_changed_at', { withTimezone: true }),
    createdAt: createdAt(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    index('contingents_event_idx').on(t.eventId, t.marchOrder),
    check('contingents_expected_size_nonneg', sql`${t.expectedSize} >= 0`),
  ],
);

export const meetingPoints = pgTable(
  'meeting_points',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    eventId: uuid('event_id')
      .notNull()
      .references(() => events.id, { onDelete: 'cascade' }),
    name: text('name').notNull(),
    lat: doublePrecision('lat').notNull(),
    lng: doublePrecision('lng').notNull(),
    address: text('address').notNull().default(''),
    /** Local time of day (HH:MM) on the event's date, in the event's timezone. */
    meetTime: text('meet_time'),
    instructions: text('instructions').notNull().default(''),
    visibility: visibilityEnum('visibility').notNull().default('event'),
    createdAt: createdAt(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    index('meeting_points_event_idx').on(t.eventId),
    check('meeting_points_lat_range', sql`${t.lat} between -90 and 90`),
    check('meeting_points_lng_range', sql`${t.lng} between -180 and 180`),
  ],
);

export const meetingPointContingents = pgTable(
  'meeting_point_contingents',
  {
    meetingPointId: uuid('meeting_point_id')
      .notNull()
      .references(() => meetingPoints.id, { onDelete: 'cascade' }),
    contingentId: uuid('contingent_id')
      .notNull()
      .references(() => contingents.id, { onDelete: 'cascade' }),
  },
  (t) => [
    primaryKey({ columns: [t.meetingPointId, t.contingentId] }),
    index('mpc_contingent_idx').on(t.contingentId),
  ],
);

export const invites = pgTable(
  'invites',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    /** SHA-256 of the link's token, hex. The token itself is never stored. */
    tokenHash: text('token_hash').notNull().unique(),
    role: roleEnum('role').notNull(),
    eventId: uuid('event_id').references(() => events.id, { onDelete: 'cascade' }),
    contingentId: uuid('contingent_id').references(() => contingents.id, { onDelete: 'cascade' }),
    label: text('label').notNull().default(''),
    createdBy: uuid('created_by'),
    expiresAt: timestamp('expires_at', { withTimezone: true }).notNull(),
    revokedAt: timestamp('revoked_at', { withTimezone: true }),
    /** Null means unlimited; the setup link has 1. */
    maxUses: integer('max_uses'),
    uses: integer('uses').notNull().default(0),
    createdAt: createdAt(),
  },
  (t) => [index('invites_event_idx').on(t.eventId)],
);

export const sessions = pgTable(
  'sessions',
  {
    /** SHA-256 of the session token, hex. */
    tokenHash: text('token_hash').primaryKey(),
    personId: uuid('person_id')
      .notNull()
      .references(() => people.id, { onDelete: 'cascade' }),
    inviteId: uuid('invite_id').references(() => invites.id, { onDelete: 'cascade' }),
    expiresAt: timestamp('expires_at', { withTimezone: true }).notNull(),
    createdAt: createdAt(),
  },
  (t) => [index('sessions_person_idx').on(t.personId)],
);

/**
 * The change log: every write to an event's plan inserts one record here in the same
 * transaction. `seq` is strictly increasing per event and gap-free in commit order,
 * because it is taken from events.last_seq under that row's lock.
 */
export const changeRecords = pgTable(
  'change_records',
  {
    eventId: uuid('event_id')
      .notNull()
      .references(() => events.id, { onDelete: 'cascade' }),
    seq: bigint('seq', { mode: 'number' }).notNull(),
    type: text('type').notNull(),
    /** The contingent this change concerns, if any; the live layer filters audiences by it. */
    contingentId: uuid('contingent_id'),
    /** True when only coordinators may see this change. */
    coordinatorsOnly: boolean('coordinators_only').notNull().default(false),
    payload: jsonb('payload').notNull(),
    createdAt: createdAt(),
  },
  (t) => [
    primaryKey({ columns: [t.eventId, t.seq] }),
    index('change_records_created_idx').on(t.createdAt),
  ],
);

/**
 * The latest reported position of each contingent, and nothing older: a new report
 * replaces the row, and the change record of the report it replaces is redacted.
 */
export const contingentPositions = pgTable(
  'contingent_positions',
  {
    contingentId: uuid('contingent_id')
      .primaryKey()
      .references(() => contingents.id, { onDelete: 'cascade' }),
    eventId: uuid('event_id')
      .notNull()
      .references(() => events.id, { onDelete: 'cascade' }),
    lat: doublePrecision('lat').notNull(),
    lng: doublePrecision('lng').notNull(),
    /** Metres, as the phone reported it. */
    accuracy: doublePrecision('accuracy').notNull(),
    /** When the phone measured it. */
    recordedAt: timestamp('recorded_at', { withTimezone: true }).notNull(),
    /** When the server accepted it; the per-contingent rate limit counts from here. */
    receivedAt: timestamp('received_at', { withTimezone: true }).notNull(),
    /** The change record that carries this position, redacted when a newer one arrives. */
    seq: bigint('seq', { mode: 'number' }).notNull(),
  },
  (t) => [index('contingent_positions_event_idx').on(t.eventId)],
);

/**
 * A coordinator's message to the whole event, one contingent, or the holders of one role.
 * For a role, `recipientIds` are its holders when it was sent and `contingentId` the role's
 * contingent (so its leader sees it too).
 */
export const announcements = pgTable(
  'announcements',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    eventId: uuid('event_id')
      .notNull()
      .references(() => events.id, { onDelete: 'cascade' }),
    target: announcementTargetEnum('target').notNull(),
    contingentId: uuid('contingent_id').references(() => contingents.id, { onDelete: 'cascade' }),
    roleSlotId: uuid('role_slot_id').references((): AnyPgColumn => roleSlots.id, {
      onDelete: 'set null',
    }),
    roleName: text('role_name'),
    recipientIds: uuid('recipient_ids')
      .array()
      .notNull()
      .default(sql`'{}'::uuid[]`),
    body: text('body').notNull(),
    authorId: uuid('author_id').references(() => people.id, { onDelete: 'set null' }),
    authorName: text('author_name'),
    createdAt: createdAt(),
  },
  (t) => [index('announcements_event_idx').on(t.eventId, t.createdAt)],
);

export const rolePresetEnum = pgEnum('role_preset', [
  'marshal',
  'sign_carrier',
  'literature_distributor',
  'banner_carrier',
  'medic',
  'legal_observer',
  'chant_leader',
  'safety',
  'driver',
  'photographer',
]);

/**
 * A role a march needs filled, for one contingent or (contingent null) the whole event.
 * `filled` counts the slot's claims; the check constraint and the conditional update that
 * claims a place (`filled < capacity`) are what keep a slot from being over-booked.
 */
export const roleSlots = pgTable(
  'role_slots',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    eventId: uuid('event_id')
      .notNull()
      .references(() => events.id, { onDelete: 'cascade' }),
    contingentId: uuid('contingent_id').references(() => contingents.id, { onDelete: 'cascade' }),
    preset: rolePresetEnum('preset'),
    name: text('name').notNull(),
    description: text('description').notNull().default(''),
    capacity: integer('capacity').notNull(),
    filled: integer('filled').notNull().default(0),
    /** Coverage: one needed per this many expected marchers, when set. */
    needPerMarchers: integer('need_per_marchers'),
    /** Coverage: at least this many needed, when set; with neither rule, capacity is the need. */
    needMinimum: integer('need_minimum'),
    /** Local HH:MM on the event's date; both or neither. */
    startTime: text('start_time'),
    endTime: text('end_time'),
    meetingPointId: uuid('meeting_point_id').references(() => meetingPoints.id, {
      onDelete: 'set null',
    }),
    critical: boolean('critical').notNull().default(false),
    createdAt: createdAt(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    index('role_slots_event_idx').on(t.eventId),
    check('role_slots_capacity_range', sql`${t.capacity} between 1 and 500`),
    check('role_slots_filled_within_capacity', sql`${t.filled} between 0 and ${t.capacity}`),
    check(
      'role_slots_window_complete',
      sql`(${t.startTime} is null) = (${t.endTime} is null) and (${t.startTime} is null or ${t.startTime} < ${t.endTime})`,
    ),
  ],
);

export const roleClaims = pgTable(
  'role_claims',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    slotId: uuid('slot_id')
      .notNull()
      .references(() => roleSlots.id, { onDelete: 'cascade' }),
    personId: uuid('person_id')
      .notNull()
      .references(() => people.id, { onDelete: 'cascade' }),
    /** Who made the claim for this person (themselves, a leader, a coordinator, the waitlist). */
    assignedBy: uuid('assigned_by'),
    createdAt: createdAt(),
  },
  (t) => [
    uniqueIndex('role_claims_slot_person_idx').on(t.slotId, t.personId),
    index('role_claims_person_idx').on(t.personId),
  ],
);

export const roleWaitlist = pgTable(
  'role_waitlist',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    slotId: uuid('slot_id')
      .notNull()
      .references(() => roleSlots.id, { onDelete: 'cascade' }),
    personId: uuid('person_id')
      .notNull()
      .references(() => people.id, { onDelete: 'cascade' }),
    createdAt: createdAt(),
  },
  (t) => [
    uniqueIndex('role_waitlist_slot_person_idx').on(t.slotId, t.personId),
    index('role_waitlist_order_idx').on(t.slotId, t.createdAt),
  ],
);

/**
 * Results of writes sent with an Idempotency-Key, per person: a retry returns the stored
 * result instead of writing again. The row is inserted first in the write's transaction,
 * so a concurrent retry waits on it and then reads the result.
 */
export const idempotencyKeys = pgTable(
  'idempotency_keys',
  {
    personId: uuid('person_id')
      .notNull()
      .references(() => people.id, { onDelete: 'cascade' }),
    key: text('key').notNull(),
    operation: text('operation').notNull(),
    status: integer('status'),
    response: jsonb('response'),
    createdAt: createdAt(),
  },
  (t) => [primaryKey({ columns: [t.personId, t.key] })],
);

export const materialKindEnum = pgEnum('material_kind', [
  'sign',
  'literature',
  'shirt',
  'flag',
  'banner',
  'other',
]);
export const movementKindEnum = pgEnum('movement_kind', [
  'received',
  'allocated',
  'transferred',
  'distributed',
  'returned',
  'lost',
  'damaged',
  'reversal',
]);
export const materialRequestStatusEnum = pgEnum('material_request_status', [
  'pending',
  'fulfilled',
  'declined',
]);

/** Something an event hands out or carries: a newspaper issue, a sign, a shirt, a flag. */
export const materials = pgTable(
  'materials',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    eventId: uuid('event_id')
      .notNull()
      .references(() => events.id, { onDelete: 'cascade' }),
    kind: materialKindEnum('kind').notNull(),
    name: text('name').notNull(),
    /** For literature: the language it is written in (BCP 47, e.g. "es"). */
    language: text('language'),
    unit: text('unit').notNull(),
    /** For a sign: what it says. */
    slogan: text('slogan'),
    createdAt: createdAt(),
  },
  (t) => [index('materials_event_idx').on(t.eventId)],
);

/** A place where materials are stored before and during the march. */
export const depots = pgTable(
  'depots',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    eventId: uuid('event_id')
      .notNull()
      .references(() => events.id, { onDelete: 'cascade' }),
    name: text('name').notNull(),
    lat: doublePrecision('lat').notNull(),
    lng: doublePrecision('lng').notNull(),
    createdAt: createdAt(),
  },
  (t) => [
    index('depots_event_idx').on(t.eventId),
    check('depots_lat_range', sql`${t.lat} between -90 and 90`),
    check('depots_lng_range', sql`${t.lng} between -180 and 180`),
  ],
);

/**
 * The ledger, append-only: every change of stock is one movement of `quantity` from one
 * holder to another. Holders are keys: `depot:<id>`, `contingent:<id>`, and three outside
 * the stock — `supplier` (where received copies come from), `public` (handed out) and
 * `lost` (lost or damaged). A reversal moves the same quantity back and names the movement
 * it corrects; each movement is reversed at most once.
 */
export const materialMovements = pgTable(
  'material_movements',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    /** Ledger order across all events; the cursor of listMovements. */
    number: bigint('number', { mode: 'number' }).generatedAlwaysAsIdentity().notNull(),
    eventId: uuid('event_id')
      .notNull()
      .references(() => events.id, { onDelete: 'cascade' }),
    materialId: uuid('material_id')
      .notNull()
      .references(() => materials.id, { onDelete: 'cascade' }),
    kind: movementKindEnum('kind').notNull(),
    quantity: integer('quantity').notNull(),
    fromHolder: text('from_holder').notNull(),
    toHolder: text('to_holder').notNull(),
    /** Where copies were handed out, if the phone said. */
    lat: doublePrecision('lat'),
    lng: doublePrecision('lng'),
    note: text('note').notNull().default(''),
    reversesId: uuid('reverses_id').references((): AnyPgColumn => materialMovements.id),
    requestId: uuid('request_id'),
    recordedBy: uuid('recorded_by').references(() => people.id, { onDelete: 'set null' }),
    recordedByName: text('recorded_by_name'),
    createdAt: createdAt(),
  },
  (t) => [
    uniqueIndex('material_movements_number_idx').on(t.number),
    index('material_movements_event_idx').on(t.eventId, t.number),
    uniqueIndex('material_movements_reverses_idx').on(t.reversesId),
    check('material_movements_quantity_positive', sql`${t.quantity} > 0`),
    check('material_movements_distinct_holders', sql`${t.fromHolder} <> ${t.toHolder}`),
  ],
);

/**
 * Each holder's quantity of each material: the ledger's sums, kept with every movement in
 * its transaction. The conditional update that takes stock (`quantity >= n`) and the check
 * constraint are what keep a balance from going negative; only the supplier's may.
 */
export const materialBalances = pgTable(
  'material_balances',
  {
    materialId: uuid('material_id')
      .notNull()
      .references(() => materials.id, { onDelete: 'cascade' }),
    holder: text('holder').notNull(),
    eventId: uuid('event_id')
      .notNull()
      .references(() => events.id, { onDelete: 'cascade' }),
    /** bigint: a sum of many movements may pass what an integer holds. */
    quantity: bigint('quantity', { mode: 'number' }).notNull().default(0),
  },
  (t) => [
    primaryKey({ columns: [t.materialId, t.holder] }),
    check('material_balances_nonnegative', sql`${t.quantity} >= 0 or ${t.holder} = 'supplier'`),
  ],
);

/** Per material and holder: how many are planned (signs a contingent should carry) and
 * below which quantity coordinators are alerted. */
export const materialLevels = pgTable(
  'material_levels',
  {
    materialId: uuid('material_id')
      .notNull()
      .references(() => materials.id, { onDelete: 'cascade' }),
    holder: text('holder').notNull(),
    eventId: uuid('event_id')
      .notNull()
      .references(() => events.id, { onDelete: 'cascade' }),
    planned: integer('planned'),
    lowStockThreshold: integer('low_stock_threshold'),
  },
  (t) => [
    primaryKey({ columns: [t.materialId, t.holder] }),
    check('material_levels_nonnegative', sql`${t.planned} >= 0 and ${t.lowStockThreshold} >= 0`),
  ],
);

/** A leader's ask for more of a material; a coordinator fulfils it (a movement) or declines. */
export const materialRequests = pgTable(
  'material_requests',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    eventId: uuid('event_id')
      .notNull()
      .references(() => events.id, { onDelete: 'cascade' }),
    materialId: uuid('material_id')
      .notNull()
      .references(() => materials.id, { onDelete: 'cascade' }),
    contingentId: uuid('contingent_id')
      .notNull()
      .references(() => contingents.id, { onDelete: 'cascade' }),
    quantity: integer('quantity').notNull(),
    note: text('note').notNull().default(''),
    status: materialRequestStatusEnum('status').notNull().default('pending'),
    requestedBy: uuid('requested_by').references(() => people.id, { onDelete: 'set null' }),
    requestedByName: text('requested_by_name'),
    decidedBy: uuid('decided_by').references(() => people.id, { onDelete: 'set null' }),
    declineReason: text('decline_reason'),
    movementId: uuid('movement_id').references(() => materialMovements.id),
    createdAt: createdAt(),
    decidedAt: timestamp('decided_at', { withTimezone: true }),
  },
  (t) => [
    index('material_requests_event_idx').on(t.eventId, t.createdAt),
    check('material_requests_quantity_positive', sql`${t.quantity} > 0`),
  ],
);

/**
 * "I'm here": one check-in per person and event, at the meeting point. `contingentId` is the
 * contingent the person belonged to when they checked in, which attendance counts go by.
 */
export const checkIns = pgTable(
  'check_ins',
  {
    eventId: uuid('event_id')
      .notNull()
      .references(() => events.id, { onDelete: 'cascade' }),
    personId: uuid('person_id')
      .notNull()
      .references(() => people.id, { onDelete: 'cascade' }),
    contingentId: uuid('contingent_id').references(() => contingents.id, {
      onDelete: 'set null',
    }),
    meetingPointId: uuid('meeting_point_id').references(() => meetingPoints.id, {
      onDelete: 'set null',
    }),
    checkedInAt: timestamp('checked_in_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    primaryKey({ columns: [t.eventId, t.personId] }),
    index('check_ins_contingent_idx').on(t.eventId, t.contingentId),
  ],
);
