import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { problemResponses } from '../../schemas.ts';
import { EventParams } from '../events/schemas.ts';
import { CreatedInvite, CreateInviteBody, Invite, InviteParams } from './schemas.ts';
import * as invites from './service.ts';

const tags = ['invites'];

const inviteRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.post(
    '/events/:eventId/invites',
    {
      schema: {
        operationId: 'createInvite',
        summary: 'Issue an invite link; its token is shown only in this answer',
        tags,
        params: EventParams,
        body: CreateInviteBody,
        response: { 201: CreatedInvite, ...problemResponses },
      },
    },
    async (request, reply) => {
      reply.code(201);
      return invites.createInvite(app.db, request.actor, request.params.eventId, request.body);
    },
  );

  app.get(
    '/events/:eventId/invites',
    {
      schema: {
        operationId: 'listInvites',
        summary: 'Invite links of the event and who joined through each',
        tags,
        params: EventParams,
        response: { 200: Type.Array(Invite), ...problemResponses },
      },
    },
    (request) => invites.listInvites(app.db, request.actor, request.params.eventId),
  );

  app.delete(
    '/events/:eventId/invites/:inviteId',
    {
      schema: {
        operationId: 'revokeInvite',
        summary: 'Revoke an invite link; its sessions end at their next request',
        tags,
        params: InviteParams,
        response: { 204: Type.Null(), ...problemResponses },
      },
    },
    async (request, reply) => {
      const { eventId, inviteId } = request.params;
      await invites.revokeInvite(app.db, request.actor, eventId, inviteId);
      return reply.code(204).send(null);
    },
  );
};

export default inviteRoutes;
