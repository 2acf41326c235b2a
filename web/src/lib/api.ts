// A typed client for the Muster API. Types come from the server's TypeBox schemas (type-only
// imports, so no server code reaches the bundle). Failures throw an ApiError carrying the
// problem's detail; a status of 0 means the server could not be reached at all.
import type {
  Announcement,
  CreateAnnouncementBody,
} from '../../../server/features/announcements/schemas.ts';
import type {
  Attendance,
  AttendanceCount,
  CheckIn,
  CheckInBody,
  ContingentAttendance,
  MyCheckIn,
} from '../../../server/features/attendance/schemas.ts';
import type {
  Contingent,
  CreateContingentBody,
  UpdateContingentBody,
} from '../../../server/features/contingents/schemas.ts';
import type {
  CreateEventBody,
  EventPlan,
  EventSummary,
  UpdateEventBody,
} from '../../../server/features/events/schemas.ts';
import type {
  CreateInviteBody,
  CreatedInvite,
  Invite,
} from '../../../server/features/invites/schemas.ts';
import type {
  CreateMeetingPointBody,
  MeetingPoint,
  UpdateMeetingPointBody,
} from '../../../server/features/meeting-points/schemas.ts';
import type {
  CreateDepotBody,
  CreateMaterialBody,
  CreateMaterialRequestBody,
  DecideMaterialRequestBody,
  Depot,
  HolderRef,
  HolderStock,
  Material,
  MaterialKind,
  MaterialLevel,
  MaterialRequest,
  MaterialRequestDecision,
  MaterialStock,
  Movement,
  MovementKind,
  MovementPage,
  RecordedMovement,
  RecordMovementBody,
  SetMaterialLevelBody,
  Stock,
} from '../../../server/features/materials/schemas.ts';
import type { JoinBody, Person } from '../../../server/features/people/schemas.ts';
import type {
  ContingentPosition,
  ContingentStatus,
  ContingentStatusResult,
  ReportPositionBody,
} from '../../../server/features/positions/schemas.ts';
import type {
  Claim,
  CreateRoleSlotBody,
  RolePreset,
  RoleSlot,
  UpdateRoleSlotBody,
  WaitlistPlace as WaitlistPlaceSchema,
} from '../../../server/features/roles/schemas.ts';
import type { LatLng, LineString } from '../../../server/schemas.ts';
import type { Static } from 'typebox';

export type {
  Announcement,
  Attendance,
  AttendanceCount,
  CheckIn,
  CheckInBody,
  ContingentAttendance,
  Claim,
  Contingent,
  ContingentPosition,
  ContingentStatus,
  ContingentStatusResult,
  CreateAnnouncementBody,
  CreateContingentBody,
  CreateDepotBody,
  CreateEventBody,
  CreateInviteBody,
  CreateMaterialBody,
  CreateMaterialRequestBody,
  CreateMeetingPointBody,
  CreateRoleSlotBody,
  CreatedInvite,
  DecideMaterialRequestBody,
  Depot,
  EventPlan,
  EventSummary,
  HolderRef,
  HolderStock,
  Invite,
  JoinBody,
  LatLng,
  LineString,
  Material,
  MaterialKind,
  MaterialLevel,
  MaterialRequest,
  MaterialRequestDecision,
  MaterialStock,
  MeetingPoint,
  Movement,
  MovementKind,
  MovementPage,
  Person,
  RecordedMovement,
  RecordMovementBody,
  SetMaterialLevelBody,
  Stock,
  ReportPositionBody,
  RolePreset,
  RoleSlot,
  UpdateContingentBody,
  UpdateEventBody,
  UpdateMeetingPointBody,
  UpdateRoleSlotBody,
};

export type Role = Person['role'];
export type InviteRole = Invite['role'];
export type Holder = RoleSlot['holders'][number];
export type WaitlistPlace = Static<typeof WaitlistPlaceSchema>;

export interface ClientConfig {
  tileUrl: string;
  /** HTML, from the server's own configuration. */
  tileAttribution: string;
}

export interface FieldProblem {
  field: string;
  message: string;
}

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly detail: string,
    readonly errors: FieldProblem[] = [],
    /** Why, by a stable name (e.g. slot_full), with what the detail names: for translation. */
    readonly reason: string | null = null,
    readonly params: Record<string, string | number> = {},
  ) {
    super(detail);
    this.name = 'ApiError';
  }

  /** The request never got an answer: offline, DNS, a dropped connection. */
  get unreachable(): boolean {
    return this.status === 0;
  }
}

async function problemOf(response: Response): Promise<ApiError> {
  try {
    const problem = (await response.json()) as {
      detail?: unknown;
      errors?: FieldProblem[];
      reason?: string;
      params?: Record<string, string | number>;
    };
    if (typeof problem.detail === 'string') {
      const { errors = [], reason = null, params = {} } = problem;
      return new ApiError(response.status, problem.detail, errors, reason, params);
    }
  } catch {
    // Not a problem document (a proxy's error page, say): fall through to the status line.
  }
  return new ApiError(response.status, `${response.status} ${response.statusText}`.trim());
}

/** Answers the page came with (web/src/lib/boot.ts), each used once instead of a first GET. */
let embeddedAnswer: (path: string) => unknown = () => undefined;

export function answerFirstReadsFrom(source: (path: string) => unknown): void {
  embeddedAnswer = source;
}
/** Each is shown every answer before it is read (lib/offline/connectivity tells kept from fresh). */
export const answerWatchers = new Set<(response: Response) => void>();

async function request<T>(
  method: string,
  path: string,
  body?: unknown,
  extraHeaders: Record<string, string> = {},
): Promise<T> {
  if (method === 'GET') {
    const booted = embeddedAnswer(path);
    if (booted !== undefined) return booted as T;
  }
  const headers: Record<string, string> = { ...extraHeaders, accept: 'application/json' };
  if (body !== undefined) headers['content-type'] = 'application/json';
  let response: Response;
  try {
    response = await fetch(path, {
      method,
      headers,
      credentials: 'same-origin',
      body: body === undefined ? undefined : JSON.stringify(body),
    });
  } catch {
    throw new ApiError(0, 'The server could not be reached.');
  }
  for (const watch of answerWatchers) watch(response);
  if (!response.ok) throw await problemOf(response);
  if (response.status === 204) return undefined as T;
  return (await response.json()) as T;
}

const event = (eventId: string) => `/api/events/${encodeURIComponent(eventId)}`;
const contingent = (eventId: string, id: string) =>
  `${event(eventId)}/contingents/${encodeURIComponent(id)}`;
const meetingPoint = (eventId: string, id: string) =>
  `${event(eventId)}/meeting-points/${encodeURIComponent(id)}`;
const invite = (eventId: string, id: string) =>
  `${event(eventId)}/invites/${encodeURIComponent(id)}`;
const slot = (eventId: string, id: string) =>
  `${event(eventId)}/role-slots/${encodeURIComponent(id)}`;
/** Claims, assignments and materials' writes carry a key, so a retry is applied once. */
const once = (key: string) => ({ 'idempotency-key': key });

const material = (eventId: string, id: string) =>
  `${event(eventId)}/materials/${encodeURIComponent(id)}`;

/** The CSV of a contingent's members and roles, for a link with `download`. */
export const rosterCsvPath = (eventId: string, contingentId: string) =>
  `${contingent(eventId, contingentId)}/roster.csv`;

/** The whole materials ledger as CSV (coordinators), for a link with `download`. */
export const movementsCsvPath = (eventId: string) => `${event(eventId)}/movements.csv`;

export const api = {
  config: () => request<ClientConfig>('GET', '/api/config'),

  me: () => request<Person>('GET', '/api/me'),
  join: (body: JoinBody) => request<Person>('POST', '/api/join', body),
  logout: () => request<void>('POST', '/api/logout'),
  listPeople: (eventId: string) => request<Person[]>('GET', `${event(eventId)}/people`),

  listEvents: () => request<EventSummary[]>('GET', '/api/events'),
  createEvent: (body: CreateEventBody) => request<EventPlan>('POST', '/api/events', body),
  getEvent: (eventId: string) => request<EventPlan>('GET', event(eventId)),
  updateEvent: (eventId: string, body: UpdateEventBody) =>
    request<EventPlan>('PATCH', event(eventId), body),
  importGpx: (eventId: string, gpx: string) =>
    request<EventPlan>('POST', `${event(eventId)}/route/gpx`, { gpx }),

  createContingent: (eventId: string, body: CreateContingentBody) =>
    request<Contingent>('POST', `${event(eventId)}/contingents`, body),
  updateContingent: (eventId: string, id: string, body: UpdateContingentBody) =>
    request<Contingent>('PATCH', contingent(eventId, id), body),
  deleteContingent: (eventId: string, id: string) =>
    request<void>('DELETE', contingent(eventId, id)),
  reorderContingents: (eventId: string, contingentIds: string[]) =>
    request<Contingent[]>('PUT', `${event(eventId)}/contingent-order`, { contingentIds }),

  createMeetingPoint: (eventId: string, body: CreateMeetingPointBody) =>
    request<MeetingPoint>('POST', `${event(eventId)}/meeting-points`, body),
  updateMeetingPoint: (eventId: string, id: string, body: UpdateMeetingPointBody) =>
    request<MeetingPoint>('PATCH', meetingPoint(eventId, id), body),
  deleteMeetingPoint: (eventId: string, id: string) =>
    request<void>('DELETE', meetingPoint(eventId, id)),

  createInvite: (eventId: string, body: CreateInviteBody) =>
    request<CreatedInvite>('POST', `${event(eventId)}/invites`, body),
  listInvites: (eventId: string) => request<Invite[]>('GET', `${event(eventId)}/invites`),
  revokeInvite: (eventId: string, id: string) => request<void>('DELETE', invite(eventId, id)),

  listMembers: (eventId: string, contingentId: string) =>
    request<Person[]>('GET', `${contingent(eventId, contingentId)}/members`),

  listRoleSlots: (eventId: string, contingentId?: string) =>
    request<RoleSlot[]>(
      'GET',
      `${event(eventId)}/role-slots` +
        (contingentId ? `?contingentId=${encodeURIComponent(contingentId)}` : ''),
    ),
  createRoleSlot: (eventId: string, body: CreateRoleSlotBody) =>
    request<RoleSlot>('POST', `${event(eventId)}/role-slots`, body),
  updateRoleSlot: (eventId: string, id: string, body: UpdateRoleSlotBody) =>
    request<RoleSlot>('PATCH', slot(eventId, id), body),
  deleteRoleSlot: (eventId: string, id: string) => request<void>('DELETE', slot(eventId, id)),

  claimRole: (eventId: string, slotId: string, key: string) =>
    request<Claim>('POST', `${slot(eventId, slotId)}/claims`, {}, once(key)),
  assignRole: (eventId: string, slotId: string, personId: string, key: string) =>
    request<Claim>('POST', `${slot(eventId, slotId)}/assignments`, { personId }, once(key)),
  releaseRole: (eventId: string, slotId: string, claimId: string) =>
    request<{ promoted: Claim | null }>(
      'DELETE',
      `${slot(eventId, slotId)}/claims/${encodeURIComponent(claimId)}`,
    ),
  joinWaitlist: (eventId: string, slotId: string) =>
    request<WaitlistPlace>('POST', `${slot(eventId, slotId)}/waitlist`, {}),
  leaveWaitlist: (eventId: string, slotId: string) =>
    request<void>('DELETE', `${slot(eventId, slotId)}/waitlist`),

  reportPosition: (eventId: string, contingentId: string, body: ReportPositionBody) =>
    request<ContingentPosition>('PUT', `${contingent(eventId, contingentId)}/position`, body),
  setContingentStatus: (eventId: string, contingentId: string, status: ContingentStatus) =>
    request<ContingentStatusResult>('PUT', `${contingent(eventId, contingentId)}/status`, {
      status,
    }),

  listAnnouncements: (eventId: string) =>
    request<Announcement[]>('GET', `${event(eventId)}/announcements`),
  createAnnouncement: (eventId: string, body: CreateAnnouncementBody) =>
    request<Announcement>('POST', `${event(eventId)}/announcements`, body),

  /** "I'm here": a tap retried after no answer checks in once (checking in again answers 200). */
  checkIn: (eventId: string, body: CheckInBody, key: string) =>
    request<CheckIn>('POST', `${event(eventId)}/check-ins`, body, once(key)),
  myCheckIn: (eventId: string) =>
    request<MyCheckIn>('GET', `${event(eventId)}/check-ins/me`).then((mine) => mine.checkIn),
  undoCheckIn: (eventId: string) => request<void>('DELETE', `${event(eventId)}/check-ins/me`),
  getAttendance: (eventId: string) => request<Attendance>('GET', `${event(eventId)}/attendance`),

  listMaterials: (eventId: string) => request<Material[]>('GET', `${event(eventId)}/materials`),
  createMaterial: (eventId: string, body: CreateMaterialBody) =>
    request<Material>('POST', `${event(eventId)}/materials`, body),
  setMaterialLevel: (eventId: string, materialId: string, body: SetMaterialLevelBody) =>
    request<MaterialLevel>('PUT', `${material(eventId, materialId)}/level`, body),
  listDepots: (eventId: string) => request<Depot[]>('GET', `${event(eventId)}/depots`),
  createDepot: (eventId: string, body: CreateDepotBody) =>
    request<Depot>('POST', `${event(eventId)}/depots`, body),
  getStock: (eventId: string) => request<Stock>('GET', `${event(eventId)}/stock`),
  /** Every movement carries a key, so a retried one is counted once. */
  recordMovement: (eventId: string, body: RecordMovementBody, key: string) =>
    request<RecordedMovement>('POST', `${event(eventId)}/movements`, body, once(key)),
  /** The newest movements, newest first (a leader: their contingent's). */
  listMovements: (eventId: string, limit = 100) =>
    request<MovementPage>('GET', `${event(eventId)}/movements?limit=${limit}`),
  listMaterialRequests: (eventId: string) =>
    request<MaterialRequest[]>('GET', `${event(eventId)}/material-requests`),
  createMaterialRequest: (eventId: string, body: CreateMaterialRequestBody, key: string) =>
    request<MaterialRequest>('POST', `${event(eventId)}/material-requests`, body, once(key)),
  decideMaterialRequest: (
    eventId: string,
    requestId: string,
    body: DecideMaterialRequestBody,
    key: string,
  ) =>
    request<MaterialRequestDecision>(
      'POST',
      `${event(eventId)}/material-requests/${encodeURIComponent(requestId)}/decision`,
      body,
      once(key),
    ),
};
