import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { problemResponses } from '../../schemas.ts';
import { EventParams } from '../events/schemas.ts';
import {
  Contingent,
  ContingentParams,
  CreateContingentBody,
  ReorderContingentsBody,
  UpdateContingentBody,
} from './schemas.ts';
import * as contingents from './service.ts';

const tags = ['contingents'];

const contingentRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.post(
    '/events/:eventId/contingents',
    {
      schema: {
        operationId: 'createContingent',
        summary: 'Add a contingent, by default at the end of the march',
        tags,
        params: EventParams,
        body: CreateContingentBody,
        response: { 201: Contingent, ...problemResponses },
      },
    },
    async (request, reply) => {
      reply.code(201);
      const { eventId } = request.params;
      return contingents.createContingent(app.db, request.actor, eventId, request.body);
    },
  );

  app.patch(
    '/events/:eventId/contingents/:contingentId',
    {
      schema: {
        operationId: 'updateContingent',
        summary: 'Change a contingent',
        tags,
        params: ContingentParams,
        body: UpdateContingentBody,
        response: { 200: Contingent, ...problemResponses },
      },
    },
    (request) => {
      const { eventId, contingentId } = request.params;
      return contingents.updateContingent(
        app.db,
        request.actor,
        eventId,
        contingentId,
        request.body,
      );
    },
  );

  app.delete(
    '/events/:eventId/contingents/:contingentId',
    {
      schema: {
        operationId: 'deleteContingent',
        summary: 'Remove a contingent',
        tags,
        params: ContingentParams,
        response: { 204: Type.Null(), ...problemResponses },
      },
    },
    async (request, reply) => {
      const { eventId, contingentId } = request.params;
      await contingents.deleteContingent(app.db, request.actor, eventId, contingentId);
      return reply.code(204).send(null);
    },
  );

  app.put(
    '/events/:eventId/contingent-order',
    {
      schema: {
        operationId: 'reorderContingents',
        summary: 'Set the march order of all contingents at once',
        tags,
        params: EventParams,
        body: ReorderContingentsBody,
        response: { 200: Type.Array(Contingent), ...problemResponses },
      },
    },
    (request) =>
      contingents.reorderContingents(
        app.db,
        request.actor,
        request.params.eventId,
        request.body.contingentIds,
      ),
  );
};

export default contingentRoutes;
