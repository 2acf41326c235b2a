// A typed client for the Muster API. Types come from the server's TypeBox schemas (type-only
// imports, so no server code reaches the bundle). Failures throw an ApiError carrying the
// problem's detail; a status of 0 means the server could not be reached at all.
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
import type { JoinBody, Person } from '../../../server/features/people/schemas.ts';
import type { LatLng, LineString } from '../../../server/schemas.ts';

export type {
  Contingent,
  CreateContingentBody,
  CreateEventBody,
  CreateInviteBody,
  CreateMeetingPointBody,
  CreatedInvite,
  EventPlan,
  EventSummary,
  Invite,
  JoinBody,
  LatLng,
  LineString,
  MeetingPoint,
  Person,
  UpdateContingentBody,
  UpdateEventBody,
  UpdateMeetingPointBody,
};

export type Role = Person['role'];
export type InviteRole = Invite['role'];

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
    const problem = (await response.json()) as { detail?: unknown; errors?: FieldProblem[] };
    if (typeof problem.detail === 'string') {
      return new ApiError(response.status, problem.detail, problem.errors ?? []);
    }
  } catch {
    // Not a problem document (a proxy's error page, say): fall through to the status line.
  }
  return new ApiError(response.status, `${response.status} ${response.statusText}`.trim());
}

async function request<T>(method: string, path: string, body?: unknown): Promise<T> {
  const headers: Record<string, string> = { accept: 'application/json' };
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
};
