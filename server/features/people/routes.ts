import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { sessionToken } from '../../plugins/auth.ts';
import { problemResponses } from '../../schemas.ts';
import { ContingentParams } from '../contingents/schemas.ts';
import { EventParams } from '../events/schemas.ts';
import { JoinBody, Person } from './schemas.ts';
import * as people from './service.ts';

const tags = ['people'];

const peopleRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.post(
    '/join',
    {
      schema: {
        operationId: 'joinWithInvite',
        summary: 'Exchange an invite (or setup) token and a display name for a session cookie',
        tags,
        body: JoinBody,
        response: { 200: Person, ...problemResponses },
      },
    },
    async (request, reply) => {
      const joined = await people.joinWithInvite(
        app.db,
        request.body.token,
        request.body.displayName,
      );
      reply.setSession(joined.sessionToken, joined.expiresAt);
      return joined.person;
    },
  );

  app.get(
    '/me',
    {
      schema: {
        operationId: 'getMe',
        summary: 'The signed-in person',
        tags,
        response: { 200: Person, ...problemResponses },
      },
    },
    (request) => people.getMe(request.actor),
  );

  app.post(
    '/logout',
    {
      schema: {
        operationId: 'logout',
        summary: 'End this session',
        tags,
        response: { 204: Type.Null() },
      },
    },
    async (request, reply) => {
      await people.logout(app.db, sessionToken(request));
      return reply.clearSession().code(204).send(null);
    },
  );

  app.get(
    '/events/:eventId/people',
    {
      schema: {
        operationId: 'listPeople',
        summary: 'Who joined the event, by display name (coordinators)',
        tags,
        params: EventParams,
        response: { 200: Type.Array(Person), ...problemResponses },
      },
    },
    (request) => people.listPeople(app.db, request.actor, request.params.eventId),
  );

  app.get(
    '/events/:eventId/contingents/:contingentId/members',
    {
      schema: {
        operationId: 'listMembers',
        summary: 'Who joined a contingent (its leader and coordinators)',
        tags,
        params: ContingentParams,
        response: { 200: Type.Array(Person), ...problemResponses },
      },
    },
    (request) => {
      const { eventId, contingentId } = request.params;
      return people.listMembers(app.db, request.actor, eventId, contingentId);
    },
  );
};

export default peopleRoutes;
