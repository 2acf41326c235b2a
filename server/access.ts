// Who may touch what. Every service method starts with one of these checks.
import type { Role } from '../drizzle/schema.ts';
import { Forbidden, Unauthorized } from './errors.ts';

/** The person behind a request, as resolved from their session. */
export interface Actor {
  personId: string;
  displayName: string;
  role: Role;
  eventId: string | null;
  contingentId: string | null;
}

export function requireActor(actor: Actor | null): Actor {
  if (!actor) throw Unauthorized();
  return actor;
}

export function requireAdministrator(actor: Actor | null): Actor {
  const who = requireActor(actor);
  if (who.role !== 'administrator') throw Forbidden('Only an administrator may do this.');
  return who;
}

/** Administrators plan every event; a coordinator plans only their own. */
export function requireCoordinator(actor: Actor | null, eventId: string): Actor {
  const who = requireActor(actor);
  if (who.role === 'administrator') return who;
  if (who.role === 'coordinator' && who.eventId === eventId) return who;
  throw Forbidden('Only a coordinator of this event may do this.');
}

/** Anyone who joined this event (or an administrator) may read the part of it they may see. */
export function requireEventMember(actor: Actor | null, eventId: string): Actor {
  const who = requireActor(actor);
  if (who.role === 'administrator' || who.eventId === eventId) return who;
  throw Forbidden('You have not joined this event.');
}

export function seesWholeEvent(actor: Actor): boolean {
  return actor.role === 'administrator' || actor.role === 'coordinator';
}

/** A contingent's leader, or a coordinator of its event. */
export function requireLeaderOrCoordinator(
  actor: Actor | null,
  eventId: string,
  contingentId: string,
) {
  const who = requireEventMember(actor, eventId);
  if (seesWholeEvent(who)) return who;
  if (who.role === 'leader' && who.contingentId === contingentId) return who;
  throw Forbidden('Only this contingent’s leader or a coordinator may do this.');
}
