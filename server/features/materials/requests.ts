// Requests for more: a leader asks for N of a material; a coordinator fulfils it, which
// moves the stock, or declines it with a reason. The leader sees the status live.
import { and, desc, eq } from 'drizzle-orm';
import { materialRequests } from '../../../drizzle/schema.ts';
import {
  type Actor,
  requireCoordinator,
  requireEventMember,
  requireLeaderOrCoordinator,
  seesWholeEvent,
} from '../../access.ts';
import { type RecordChange, requireEvent, writeEvent } from '../../changes.ts';
import { Conflict, Forbidden, Invalid, NotFound } from '../../errors.ts';
import { once, type Outcome } from '../../idempotency.ts';
import type { Database, Transaction } from '../../plugins/database.ts';
import { contingentHolder, namedHolder } from './holders.ts';
import { applyMovement, fingerprint, loadMaterial } from './ledger.ts';
import type {
  CreateMaterialRequestBody,
  DecideMaterialRequestBody,
  MaterialRequest,
  MaterialRequestDecision,
} from './schemas.ts';

type RequestRow = typeof materialRequests.$inferSelect;

/** Requests listed at most, newest first. */
export const REQUESTS_LISTED = 500;

function toRequest(row: RequestRow): MaterialRequest {
  return {
    id: row.id,
    materialId: row.materialId,
    contingentId: row.contingentId,
    quantity: row.quantity,
    note: row.note,
    status: row.status,
    requestedByName: row.requestedByName,
    declineReason: row.declineReason,
    movementId: row.movementId,
    createdAt: row.createdAt.toISOString(),
    decidedAt: row.decidedAt?.toISOString() ?? null,
  };
}

export async function createMaterialRequest(
  db: Database,
  actor: Actor | null,
  eventId: string,
  input: CreateMaterialRequestBody,
  key?: string,
): Promise<Outcome<MaterialRequest>> {
  const who = requireLeaderOrCoordinator(actor, eventId, input.contingentId);
  return writeEvent(db, eventId, (tx, record) =>
    once(tx, who.personId, key, `material-request:${eventId}:${fingerprint(input)}`, async () => {
      await loadMaterial(tx, eventId, input.materialId);
      await namedHolder(tx, eventId, '', { contingentId: input.contingentId }, ['contingent'], '');
      const [row] = await tx
        .insert(materialRequests)
        .values({
          eventId,
          materialId: input.materialId,
          contingentId: input.contingentId,
          quantity: input.quantity,
          note: input.note?.trim() ?? '',
          requestedBy: who.eventId ? who.personId : null,
          requestedByName: who.displayName,
        })
        .returning();
      const request = toRequest(row!);
      await record('materialRequest.created', { request }, { contingentId: request.contingentId });
      return { status: 201, body: request };
    }),
  );
}

export async function decideMaterialRequest(
  db: Database,
  actor: Actor | null,
  eventId: string,
  requestId: string,
  input: DecideMaterialRequestBody,
  key?: string,
): Promise<Outcome<MaterialRequestDecision>> {
  const who = requireCoordinator(actor, eventId);
  if (input.decision === 'decline') {
    if (!input.reason) throw Invalid('/body/reason', 'is required to decline');
    for (const field of ['fromDepotId', 'fromContingentId', 'quantity'] as const) {
      if (input[field] !== undefined) throw Invalid(`/body/${field}`, 'is only for fulfil');
    }
  } else if (input.reason) {
    throw Invalid('/body/reason', 'is only for decline');
  }
  return writeEvent(db, eventId, (tx, record) =>
    once(
      tx,
      who.personId,
      key,
      `material-decision:${eventId}:${requestId}:${fingerprint(input)}`,
      async () => {
        const [row] = await tx
          .select()
          .from(materialRequests)
          .where(and(eq(materialRequests.id, requestId), eq(materialRequests.eventId, eventId)))
          .for('update');
        if (!row) throw NotFound('The request');
        if (row.status !== 'pending') {
          throw Conflict(`This request was already ${row.status}.`, {
            reason: 'request_decided',
            params: { status: row.status },
          });
        }
        let movement: MaterialRequestDecision['movement'] = null;
        if (input.decision === 'fulfil') {
          const from = await namedHolder(
            tx,
            eventId,
            'from',
            { depotId: input.fromDepotId, contingentId: input.fromContingentId },
            ['depot', 'contingent'],
            'fulfil',
          );
          const to = contingentHolder(row.contingentId);
          if (from === to) throw Invalid('/body/fromContingentId', 'is the contingent that asked');
          const material = await loadMaterial(tx, eventId, row.materialId);
          const recorded = await applyMovement(tx, record, eventId, who, {
            material,
            kind: from.startsWith('depot:') ? 'allocated' : 'transferred',
            quantity: input.quantity ?? row.quantity,
            from,
            to,
            note: row.note,
            requestId: row.id,
          });
          movement = recorded.movement;
        }
        const [decided] = await tx
          .update(materialRequests)
          .set({
            status: input.decision === 'fulfil' ? 'fulfilled' : 'declined',
            decidedBy: who.eventId ? who.personId : null,
            declineReason: input.decision === 'decline' ? input.reason!.trim() : null,
            movementId: movement?.id ?? null,
            decidedAt: new Date(),
          })
          .where(eq(materialRequests.id, row.id))
          .returning();
        const request = toRequest(decided!);
        await record(
          'materialRequest.decided',
          { request },
          { contingentId: request.contingentId },
        );
        return { status: 200, body: { request, movement } };
      },
    ),
  );
}

/** The fulfilment of a request was reversed: it waits for a decision again. */
export async function reopenRequest(
  tx: Transaction,
  record: RecordChange,
  requestId: string,
): Promise<void> {
  const [row] = await tx
    .update(materialRequests)
    .set({ status: 'pending', decidedBy: null, movementId: null, decidedAt: null })
    .where(and(eq(materialRequests.id, requestId), eq(materialRequests.status, 'fulfilled')))
    .returning();
  if (!row) return;
  const request = toRequest(row);
  await record('materialRequest.reopened', { request }, { contingentId: request.contingentId });
}

/** Coordinators see every request; a contingent's members see their contingent's. */
export async function listMaterialRequests(
  db: Database,
  actor: Actor | null,
  eventId: string,
  status?: MaterialRequest['status'],
): Promise<MaterialRequest[]> {
  const who = requireEventMember(actor, eventId);
  const whole = seesWholeEvent(who);
  if (!whole && who.role !== 'leader') {
    throw Forbidden('Only coordinators and leaders see requests for materials.');
  }
  await requireEvent(db, eventId);
  if (!whole && !who.contingentId) return [];
  const rows = await db
    .select()
    .from(materialRequests)
    .where(
      and(
        eq(materialRequests.eventId, eventId),
        whole ? undefined : eq(materialRequests.contingentId, who.contingentId!),
        status ? eq(materialRequests.status, status) : undefined,
      ),
    )
    .orderBy(desc(materialRequests.createdAt), desc(materialRequests.id))
    .limit(REQUESTS_LISTED);
  return rows.map(toRequest);
}
