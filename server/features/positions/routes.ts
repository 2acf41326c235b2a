import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { ProblemSchema, problemResponses } from '../../schemas.ts';
import { ContingentParams } from '../contingents/schemas.ts';
import {
  ContingentPosition,
  ContingentStatusResult,
  ReportPositionBody,
  SetStatusBody,
} from './schemas.ts';
import * as positions from './service.ts';

const tags = ['on the day'];

const positionRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.put(
    '/events/:eventId/contingents/:contingentId/position',
    {
      schema: {
        operationId: 'reportPosition',
        summary: 'Report where a contingent is now (its leader or a coordinator)',
        description:
          'Keeps only the latest position. One report per contingent every 2 s at most (429 ' +
          'with Retry-After otherwise); a report measured before the one kept gets 409.',
        tags,
        params: ContingentParams,
        body: ReportPositionBody,
        response: { 200: ContingentPosition, 429: ProblemSchema, ...problemResponses },
      },
    },
    (request) => {
      const { eventId, contingentId } = request.params;
      return positions.reportPosition(app.db, request.actor, eventId, contingentId, request.body);
    },
  );

  app.put(
    '/events/:eventId/contingents/:contingentId/status',
    {
      schema: {
        operationId: 'setContingentStatus',
        summary: 'Set a contingent’s status: assembling, marching, arrived, dispersed',
        tags,
        params: ContingentParams,
        body: SetStatusBody,
        response: { 200: ContingentStatusResult, ...problemResponses },
      },
    },
    (request) => {
      const { eventId, contingentId } = request.params;
      return positions.setContingentStatus(
        app.db,
        request.actor,
        eventId,
        contingentId,
        request.body.status,
      );
    },
  );
};

export default positionRoutes;
