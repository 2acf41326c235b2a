import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { sendOutcome } from '../../idempotency.ts';
import { Type } from 'typebox';
import { bodyMayBeEmpty, EmptyBody, IdempotencyHeaders, problemResponses } from '../../schemas.ts';
import { EventParams } from '../events/schemas.ts';
import { ContingentParams } from '../contingents/schemas.ts';
import * as claims from './claims.ts';
import { exportRoster } from './roster.ts';
import {
  AssignRoleBody,
  Claim,
  ClaimParams,
  CreateRoleSlotBody,
  ListRoleSlotsQuery,
  RoleSlot,
  RoleSlotParams,
  UpdateRoleSlotBody,
  WaitlistPlace,
} from './schemas.ts';
import * as slots from './service.ts';

const tags = ['roles'];
const slotPath = '/events/:eventId/role-slots/:slotId';

const roleRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.get(
    '/events/:eventId/role-slots',
    {
      schema: {
        operationId: 'listRoleSlots',
        summary: 'Role slots the caller may see, with coverage (filled/needed) and holders',
        tags,
        params: EventParams,
        querystring: ListRoleSlotsQuery,
        response: { 200: Type.Array(RoleSlot), ...problemResponses },
      },
    },
    (request) =>
      slots.listRoleSlots(
        app.db,
        request.actor,
        request.params.eventId,
        request.query.contingentId,
      ),
  );

  app.post(
    '/events/:eventId/role-slots',
    {
      schema: {
        operationId: 'createRoleSlot',
        summary: 'Add a role slot to a contingent, or event-wide',
        tags,
        params: EventParams,
        body: CreateRoleSlotBody,
        response: { 201: RoleSlot, ...problemResponses },
      },
    },
    async (request, reply) => {
      reply.code(201);
      return slots.createRoleSlot(app.db, request.actor, request.params.eventId, request.body);
    },
  );

  app.patch(
    slotPath,
    {
      schema: {
        operationId: 'updateRoleSlot',
        summary: 'Change a role slot; capacity cannot drop below the places taken',
        tags,
        params: RoleSlotParams,
        body: UpdateRoleSlotBody,
        response: { 200: RoleSlot, ...problemResponses },
      },
    },
    (request) => {
      const { eventId, slotId } = request.params;
      return slots.updateRoleSlot(app.db, request.actor, eventId, slotId, request.body);
    },
  );

  app.delete(
    slotPath,
    {
      schema: {
        operationId: 'deleteRoleSlot',
        summary: 'Remove a role slot and its claims',
        tags,
        params: RoleSlotParams,
        response: { 204: Type.Null(), ...problemResponses },
      },
    },
    async (request, reply) => {
      const { eventId, slotId } = request.params;
      await slots.deleteRoleSlot(app.db, request.actor, eventId, slotId);
      return reply.code(204).send(null);
    },
  );

  app.post(
    `${slotPath}/claims`,
    {
      preValidation: bodyMayBeEmpty,
      schema: {
        operationId: 'claimRole',
        summary: 'Claim a place in this role for yourself; 409 when full or overlapping',
        tags,
        params: RoleSlotParams,
        headers: IdempotencyHeaders,
        body: EmptyBody,
        response: { 201: Claim, ...problemResponses },
      },
    },
    async (request, reply) => {
      const { eventId, slotId } = request.params;
      const key = request.headers['idempotency-key'];
      const outcome = await claims.claimRole(app.db, request.actor, eventId, slotId, key);
      return sendOutcome(reply, outcome);
    },
  );

  app.post(
    `${slotPath}/assignments`,
    {
      schema: {
        operationId: 'assignRole',
        summary: 'Give a place in this role to someone (leaders: their members)',
        tags,
        params: RoleSlotParams,
        headers: IdempotencyHeaders,
        body: AssignRoleBody,
        response: { 201: Claim, ...problemResponses },
      },
    },
    async (request, reply) => {
      const { eventId, slotId } = request.params;
      const key = request.headers['idempotency-key'];
      const outcome = await claims.assignRole(
        app.db,
        request.actor,
        eventId,
        slotId,
        request.body.personId,
        key,
      );
      return sendOutcome(reply, outcome);
    },
  );

  app.delete(
    `${slotPath}/claims/:claimId`,
    {
      schema: {
        operationId: 'releaseRole',
        summary: 'Release a place (holder) or remove someone from it (leader, coordinator)',
        tags,
        params: ClaimParams,
        response: {
          200: Type.Object({ promoted: Type.Union([Claim, Type.Null()]) }),
          ...problemResponses,
        },
      },
    },
    (request) => {
      const { eventId, slotId, claimId } = request.params;
      return claims.releaseRole(app.db, request.actor, eventId, slotId, claimId);
    },
  );

  app.post(
    `${slotPath}/waitlist`,
    {
      preValidation: bodyMayBeEmpty,
      schema: {
        operationId: 'joinWaitlist',
        summary: 'Wait for a place in a full role; the first waiting gets the next one freed',
        tags,
        params: RoleSlotParams,
        headers: IdempotencyHeaders,
        body: EmptyBody,
        response: { 201: WaitlistPlace, ...problemResponses },
      },
    },
    async (request, reply) => {
      reply.code(201);
      const { eventId, slotId } = request.params;
      return claims.joinWaitlist(app.db, request.actor, eventId, slotId);
    },
  );

  app.delete(
    `${slotPath}/waitlist`,
    {
      schema: {
        operationId: 'leaveWaitlist',
        summary: 'Leave the waitlist of a role',
        tags,
        params: RoleSlotParams,
        response: { 204: Type.Null(), ...problemResponses },
      },
    },
    async (request, reply) => {
      const { eventId, slotId } = request.params;
      await claims.leaveWaitlist(app.db, request.actor, eventId, slotId);
      return reply.code(204).send(null);
    },
  );

  app.get(
    '/events/:eventId/contingents/:contingentId/roster.csv',
    {
      schema: {
        operationId: 'exportRoster',
        summary: "A contingent's members and the roles they hold, as CSV",
        tags,
        params: ContingentParams,
        produces: ['text/csv'],
        response: { 200: Type.String({ description: 'CSV, UTF-8' }), ...problemResponses },
      },
    },
    async (request, reply) => {
      const { eventId, contingentId } = request.params;
      const roster = await exportRoster(app.db, request.actor, eventId, contingentId);
      return reply
        .type('text/csv; charset=utf-8')
        .header('content-disposition', `attachment; filename="${roster.filename}"`)
        .send(roster.csv);
    },
  );
};

export default roleRoutes;
