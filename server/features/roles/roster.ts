// A contingent's roster as CSV: who is in it and which roles they hold, for a leader's
// clipboard or a spreadsheet.
import { and, asc, eq } from 'drizzle-orm';
import {
  contingents,
  meetingPoints,
  people,
  roleClaims,
  roleSlots,
} from '../../../drizzle/schema.ts';
import { type Actor, requireLeaderOrCoordinator } from '../../access.ts';
import { csvCell } from '../../csv.ts';
import { NotFound } from '../../errors.ts';
import type { Database } from '../../plugins/database.ts';

export async function exportRoster(
  db: Database,
  actor: Actor | null,
  eventId: string,
  contingentId: string,
): Promise<{ filename: string; csv: string }> {
  requireLeaderOrCoordinator(actor, eventId, contingentId);
  const [contingent] = await db
    .select()
    .from(contingents)
    .where(and(eq(contingents.id, contingentId), eq(contingents.eventId, eventId)));
  if (!contingent) throw NotFound('The contingent');
  const rows = await db
    .select({
      name: people.displayName,
      joinedAs: people.role,
      role: roleSlots.name,
      from: roleSlots.startTime,
      to: roleSlots.endTime,
      meetingPoint: meetingPoints.name,
    })
    .from(people)
    .leftJoin(roleClaims, eq(roleClaims.personId, people.id))
    .leftJoin(roleSlots, eq(roleSlots.id, roleClaims.slotId))
    .leftJoin(meetingPoints, eq(meetingPoints.id, roleSlots.meetingPointId))
    .where(eq(people.contingentId, contingentId))
    .orderBy(asc(people.displayName), asc(roleSlots.startTime), asc(roleSlots.name));
  const header = ['Name', 'Joined as', 'Role', 'From', 'To', 'Meeting point'];
  const lines = [
    header,
    ...rows.map((r) => [r.name, r.joinedAs, r.role, r.from, r.to, r.meetingPoint]),
  ];
  const csv =
    lines.map((line) => line.map((v) => csvCell(v ?? '')).join(',')).join('\r\n') + '\r\n';
  const slug = contingent.name
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-|-$/g, '');
  return { filename: `roster-${slug || 'contingent'}.csv`, csv };
}
