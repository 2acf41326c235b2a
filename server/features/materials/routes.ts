import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { sendOutcome } from '../../idempotency.ts';
import { Type } from 'typebox';
import { IdempotencyHeaders, problemResponses } from '../../schemas.ts';
import { EventParams } from '../events/schemas.ts';
import { exportMovements, listMovements } from './history.ts';
import { recordMovement } from './ledger.ts';
import * as requests from './requests.ts';
import {
  CreateDepotBody,
  CreateMaterialBody,
  CreateMaterialRequestBody,
  DecideMaterialRequestBody,
  Depot,
  ListMaterialRequestsQuery,
  ListMovementsQuery,
  Material,
  MaterialLevel,
  MaterialParams,
  MaterialRequest,
  MaterialRequestDecision,
  MaterialRequestParams,
  MovementPage,
  RecordedMovement,
  RecordMovementBody,
  SetMaterialLevelBody,
  Stock,
} from './schemas.ts';
import * as catalogue from './service.ts';
import { getStock } from './stock.ts';

const tags = ['materials'];

const materialRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.get(
    '/events/:eventId/materials',
    {
      schema: {
        operationId: 'listMaterials',
        summary: 'What the event hands out or carries: literature, signs, shirts…',
        tags,
        params: EventParams,
        response: { 200: Type.Array(Material), ...problemResponses },
      },
    },
    (request) => catalogue.listMaterials(app.db, request.actor, request.params.eventId),
  );

  app.post(
    '/events/:eventId/materials',
    {
      schema: {
        operationId: 'createMaterial',
        summary: 'Add a material (coordinators)',
        tags,
        params: EventParams,
        body: CreateMaterialBody,
        response: { 201: Material, ...problemResponses },
      },
    },
    async (request, reply) => {
      reply.code(201);
      return catalogue.createMaterial(app.db, request.actor, request.params.eventId, request.body);
    },
  );

  app.put(
    '/events/:eventId/materials/:materialId/level',
    {
      schema: {
        operationId: 'setMaterialLevel',
        summary: 'Set how many a depot or contingent should have, and its low-stock threshold',
        tags,
        params: MaterialParams,
        body: SetMaterialLevelBody,
        response: { 200: MaterialLevel, ...problemResponses },
      },
    },
    (request) => {
      const { eventId, materialId } = request.params;
      return catalogue.setMaterialLevel(app.db, request.actor, eventId, materialId, request.body);
    },
  );

  app.get(
    '/events/:eventId/depots',
    {
      schema: {
        operationId: 'listDepots',
        summary: 'Where materials are kept (coordinators and leaders)',
        tags,
        params: EventParams,
        response: { 200: Type.Array(Depot), ...problemResponses },
      },
    },
    (request) => catalogue.listDepots(app.db, request.actor, request.params.eventId),
  );

  app.post(
    '/events/:eventId/depots',
    {
      schema: {
        operationId: 'createDepot',
        summary: 'Add a depot (coordinators)',
        tags,
        params: EventParams,
        body: CreateDepotBody,
        response: { 201: Depot, ...problemResponses },
      },
    },
    async (request, reply) => {
      reply.code(201);
      return catalogue.createDepot(app.db, request.actor, request.params.eventId, request.body);
    },
  );

  app.post(
    '/events/:eventId/movements',
    {
      schema: {
        operationId: 'recordMovement',
        summary: 'Append a movement of stock to the ledger; 409 naming the balance if short',
        description:
          'Coordinators record any movement. A leader records what their contingent hands ' +
          'out, transfers, returns or loses; a volunteer what their contingent hands out. ' +
          'Movements are never edited: a reversal (kind "reversal", `reverses`) corrects one.',
        tags,
        params: EventParams,
        headers: IdempotencyHeaders,
        body: RecordMovementBody,
        response: { 201: RecordedMovement, ...problemResponses },
      },
    },
    async (request, reply) => {
      const key = request.headers['idempotency-key'];
      const { eventId } = request.params;
      const outcome = await recordMovement(app.db, request.actor, eventId, request.body, key);
      return sendOutcome(reply, outcome);
    },
  );

  app.get(
    '/events/:eventId/movements',
    {
      schema: {
        operationId: 'listMovements',
        summary: 'The ledger, newest first (leaders: their contingent’s movements)',
        tags,
        params: EventParams,
        querystring: ListMovementsQuery,
        response: { 200: MovementPage, ...problemResponses },
      },
    },
    (request) => listMovements(app.db, request.actor, request.params.eventId, request.query),
  );

  app.get(
    '/events/:eventId/movements.csv',
    {
      schema: {
        operationId: 'exportMovements',
        summary: 'The whole ledger as CSV (coordinators)',
        tags,
        params: EventParams,
        produces: ['text/csv'],
        response: { 200: Type.String({ description: 'CSV, UTF-8' }), ...problemResponses },
      },
    },
    async (request, reply) => {
      const ledger = await exportMovements(app.db, request.actor, request.params.eventId);
      return reply
        .type('text/csv; charset=utf-8')
        .header('content-disposition', `attachment; filename="${ledger.filename}"`)
        .send(ledger.csv);
    },
  );

  app.get(
    '/events/:eventId/stock',
    {
      schema: {
        operationId: 'getStock',
        summary: 'Stock per material and holder, totals and hand-outs over the day',
        description: 'Coordinators see every holder and the totals; members their contingent.',
        tags,
        params: EventParams,
        response: { 200: Stock, ...problemResponses },
      },
    },
    (request) => getStock(app.db, request.actor, request.params.eventId),
  );

  app.post(
    '/events/:eventId/material-requests',
    {
      schema: {
        operationId: 'createMaterialRequest',
        summary: 'Ask for more of a material for a contingent (its leader or a coordinator)',
        tags,
        params: EventParams,
        headers: IdempotencyHeaders,
        body: CreateMaterialRequestBody,
        response: { 201: MaterialRequest, ...problemResponses },
      },
    },
    async (request, reply) => {
      const key = request.headers['idempotency-key'];
      const { eventId } = request.params;
      const outcome = await requests.createMaterialRequest(
        app.db,
        request.actor,
        eventId,
        request.body,
        key,
      );
      return sendOutcome(reply, outcome);
    },
  );

  app.get(
    '/events/:eventId/material-requests',
    {
      schema: {
        operationId: 'listMaterialRequests',
        summary: 'Requests for materials, newest first (leaders: their contingent’s)',
        tags,
        params: EventParams,
        querystring: ListMaterialRequestsQuery,
        response: { 200: Type.Array(MaterialRequest), ...problemResponses },
      },
    },
    (request) =>
      requests.listMaterialRequests(
        app.db,
        request.actor,
        request.params.eventId,
        request.query.status,
      ),
  );

  app.post(
    '/events/:eventId/material-requests/:requestId/decision',
    {
      schema: {
        operationId: 'decideMaterialRequest',
        summary: 'Fulfil a request (moves the stock) or decline it with a reason',
        tags,
        params: MaterialRequestParams,
        headers: IdempotencyHeaders,
        body: DecideMaterialRequestBody,
        response: { 200: MaterialRequestDecision, ...problemResponses },
      },
    },
    async (request, reply) => {
      const key = request.headers['idempotency-key'];
      const { eventId, requestId } = request.params;
      const outcome = await requests.decideMaterialRequest(
        app.db,
        request.actor,
        eventId,
        requestId,
        request.body,
        key,
      );
      return sendOutcome(reply, outcome);
    },
  );
};

export default materialRoutes;
