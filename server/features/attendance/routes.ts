import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { sendOutcome } from '../../idempotency.ts';
import { Type } from 'typebox';
import { bodyMayBeEmpty, IdempotencyHeaders, problemResponses } from '../../schemas.ts';
import { EventParams } from '../events/schemas.ts';
import { Attendance, CheckIn, CheckInBody, MyCheckIn } from './schemas.ts';
import * as attendance from './service.ts';

const tags = ['on the day'];
const mine = '/events/:eventId/check-ins/me';

const attendanceRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.post(
    '/events/:eventId/check-ins',
    {
      preValidation: bodyMayBeEmpty,
      schema: {
        operationId: 'checkIn',
        summary: '“I’m here”: check yourself in, at a meeting point you see if you name one',
        description:
          '201 with the new check-in; 200 with the one kept when you had checked in already ' +
          '(its time and meeting point stay). Administrators, in no event, get 403.',
        tags,
        params: EventParams,
        headers: IdempotencyHeaders,
        body: CheckInBody,
        response: { 200: CheckIn, 201: CheckIn, ...problemResponses },
      },
    },
    async (request, reply) => {
      const key = request.headers['idempotency-key'];
      const { eventId } = request.params;
      const outcome = await attendance.checkIn(app.db, request.actor, eventId, request.body, key);
      return sendOutcome(reply, outcome);
    },
  );

  app.get(
    mine,
    {
      schema: {
        operationId: 'getMyCheckIn',
        summary: 'Your own check-in, or null',
        tags,
        params: EventParams,
        response: { 200: MyCheckIn, ...problemResponses },
      },
    },
    (request) => attendance.getMyCheckIn(app.db, request.actor, request.params.eventId),
  );

  app.delete(
    mine,
    {
      schema: {
        operationId: 'undoCheckIn',
        summary: 'Take your check-in back (a mistap); 404 when you have none',
        tags,
        params: EventParams,
        response: { 204: Type.Null(), ...problemResponses },
      },
    },
    async (request, reply) => {
      await attendance.undoCheckIn(app.db, request.actor, request.params.eventId);
      return reply.code(204).send(null);
    },
  );

  app.get(
    '/events/:eventId/attendance',
    {
      schema: {
        operationId: 'getAttendance',
        summary: 'How many are here: per contingent, and in all (coordinators; a leader: theirs)',
        tags,
        params: EventParams,
        response: { 200: Attendance, ...problemResponses },
      },
    },
    (request) => attendance.getAttendance(app.db, request.actor, request.params.eventId),
  );
};

export default attendanceRoutes;
