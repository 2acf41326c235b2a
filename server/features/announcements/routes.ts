import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { problemResponses } from '../../schemas.ts';
import { EventParams } from '../events/schemas.ts';
import { Announcement, CreateAnnouncementBody } from './schemas.ts';
import * as announcements from './service.ts';

const tags = ['on the day'];

const announcementRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.post(
    '/events/:eventId/announcements',
    {
      schema: {
        operationId: 'createAnnouncement',
        summary: 'Announce to the whole event, one contingent, or the holders of one role',
        tags,
        params: EventParams,
        body: CreateAnnouncementBody,
        response: { 201: Announcement, ...problemResponses },
      },
    },
    async (request, reply) => {
      reply.code(201);
      const { eventId } = request.params;
      return announcements.createAnnouncement(app.db, request.actor, eventId, request.body);
    },
  );

  app.get(
    '/events/:eventId/announcements',
    {
      schema: {
        operationId: 'listAnnouncements',
        summary: 'Announcements the caller may read, newest first (at most 200)',
        tags,
        params: EventParams,
        response: { 200: Type.Array(Announcement), ...problemResponses },
      },
    },
    (request) => announcements.listAnnouncements(app.db, request.actor, request.params.eventId),
  );
};

export default announcementRoutes;
