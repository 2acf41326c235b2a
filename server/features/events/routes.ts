import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { problemResponses } from '../../schemas.ts';
import {
  CreateEventBody,
  EventParams,
  EventPlan,
  EventSummary,
  ImportGpxBody,
  UpdateEventBody,
} from './schemas.ts';
import * as events from './service.ts';

const tags = ['events'];

const eventRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.get(
    '/events',
    {
      schema: {
        operationId: 'listEvents',
        summary: 'Events the caller may see',
        tags,
        response: { 200: Type.Array(EventSummary), ...problemResponses },
      },
    },
    (request) => events.listEvents(app.db, request.actor),
  );

  app.post(
    '/events',
    {
      schema: {
        operationId: 'createEvent',
        summary: 'Create an event (administrators)',
        tags,
        body: CreateEventBody,
        response: { 201: EventPlan, ...problemResponses },
      },
    },
    async (request, reply) => {
      reply.code(201);
      return events.createEvent(app.db, request.actor, request.body);
    },
  );

  app.get(
    '/events/:eventId',
    {
      schema: {
        operationId: 'getEvent',
        summary: 'The whole plan, as the caller may see it',
        tags,
        params: EventParams,
        response: { 200: EventPlan, ...problemResponses },
      },
    },
    (request) => events.getEvent(app.db, request.actor, request.params.eventId),
  );

  app.patch(
    '/events/:eventId',
    {
      schema: {
        operationId: 'updateEvent',
        summary: 'Change an event: name, time, route, assembly and rally points',
        tags,
        params: EventParams,
        body: UpdateEventBody,
        response: { 200: EventPlan, ...problemResponses },
      },
    },
    (request) => events.updateEvent(app.db, request.actor, request.params.eventId, request.body),
  );

  app.post(
    '/events/:eventId/route/gpx',
    {
      bodyLimit: 2_500_000,
      schema: {
        operationId: 'importRouteGpx',
        summary: "Replace the event's route with the first track (or route) of a GPX file",
        tags,
        params: EventParams,
        body: ImportGpxBody,
        response: { 200: EventPlan, ...problemResponses },
      },
    },
    (request) =>
      events.importRouteGpx(app.db, request.actor, request.params.eventId, request.body.gpx),
  );
};

export default eventRoutes;
