import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { problemResponses } from '../../schemas.ts';
import { EventParams } from '../events/schemas.ts';
import {
  CreateMeetingPointBody,
  MeetingPoint,
  MeetingPointParams,
  UpdateMeetingPointBody,
} from './schemas.ts';
import * as meetingPoints from './service.ts';

const tags = ['meeting points'];

const meetingPointRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.post(
    '/events/:eventId/meeting-points',
    {
      schema: {
        operationId: 'createMeetingPoint',
        summary: 'Add a meeting point',
        tags,
        params: EventParams,
        body: CreateMeetingPointBody,
        response: { 201: MeetingPoint, ...problemResponses },
      },
    },
    async (request, reply) => {
      reply.code(201);
      const { eventId } = request.params;
      return meetingPoints.createMeetingPoint(app.db, request.actor, eventId, request.body);
    },
  );

  app.patch(
    '/events/:eventId/meeting-points/:meetingPointId',
    {
      schema: {
        operationId: 'updateMeetingPoint',
        summary: 'Change or move a meeting point',
        tags,
        params: MeetingPointParams,
        body: UpdateMeetingPointBody,
        response: { 200: MeetingPoint, ...problemResponses },
      },
    },
    (request) => {
      const { eventId, meetingPointId } = request.params;
      return meetingPoints.updateMeetingPoint(
        app.db,
        request.actor,
        eventId,
        meetingPointId,
        request.body,
      );
    },
  );

  app.delete(
    '/events/:eventId/meeting-points/:meetingPointId',
    {
      schema: {
        operationId: 'deleteMeetingPoint',
        summary: 'Remove a meeting point',
        tags,
        params: MeetingPointParams,
        response: { 204: Type.Null(), ...problemResponses },
      },
    },
    async (request, reply) => {
      const { eventId, meetingPointId } = request.params;
      await meetingPoints.deleteMeetingPoint(app.db, request.actor, eventId, meetingPointId);
      return reply.code(204).send(null);
    },
  );
};

export default meetingPointRoutes;
