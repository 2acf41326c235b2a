// The composition root: infrastructure plugins first, then one plugin per feature.
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import Fastify, { type FastifyInstance } from 'fastify';
import type { Config } from './config.ts';
import { logSerializers } from './logging.ts';
import announcementRoutes from './features/announcements/routes.ts';
import attendanceRoutes from './features/attendance/routes.ts';
import contingentRoutes from './features/contingents/routes.ts';
import eventRoutes from './features/events/routes.ts';
import inviteRoutes from './features/invites/routes.ts';
import materialRoutes from './features/materials/routes.ts';
import meetingPointRoutes from './features/meeting-points/routes.ts';
import peopleRoutes from './features/people/routes.ts';
import positionRoutes from './features/positions/routes.ts';
import roleRoutes from './features/roles/routes.ts';
import auth from './plugins/auth.ts';
import database from './plugins/database.ts';
import live from './plugins/live.ts';
import errors, { sendProblem, toProblem } from './plugins/errors.ts';
import openapi from './plugins/openapi.ts';
import security from './plugins/security.ts';
import web from './plugins/web.ts';

/** Request bodies above this are refused with 413; routes that need more say so. */
const BODY_LIMIT = 128 * 1024;

export interface BuildOptions {
  logger?: boolean;
  /** Where the log goes, instead of stdout (the tests keep it in a file to scan it). */
  logStream?: NodeJS.WritableStream;
}

export async function buildApp(config: Config, options: BuildOptions = {}) {
  const app = Fastify({
    logger:
      options.logger === false
        ? false
        : {
            level: config.logLevel,
            serializers: logSerializers,
            ...(options.logStream ? { stream: options.logStream } : {}),
          },
    bodyLimit: BODY_LIMIT,
    ajv: { customOptions: { removeAdditional: false, coerceTypes: false, useDefaults: true } },
    // Malformed URLs and over-long params fail before routing: answer them as problems too.
    frameworkErrors: (error, _request, reply) => sendProblem(reply, toProblem(error)),
  }).withTypeProvider<TypeBoxTypeProvider>();
  // The API speaks JSON only: a JSON body sent as text/plain gets 415, not a confusing 400.
  app.removeContentTypeParser('text/plain');

  await app.register(errors);
  await app.register(security, { webDist: config.webDist, tileUrl: config.tileUrl });
  await app.register(database, { databaseUrl: config.databaseUrl, dataDir: config.dataDir });
  await app.register(auth, { secureCookies: config.secureCookies });
  await app.register(openapi);
  await app.register(live, {
    databaseUrl: config.databaseUrl,
    publicUrl: config.publicUrl,
    allowedOrigins: config.allowedOrigins,
    retention: config.liveRetention,
  });

  await app.register(
    async (api) => {
      await api.register(peopleRoutes);
      await api.register(eventRoutes);
      await api.register(contingentRoutes);
      await api.register(meetingPointRoutes);
      await api.register(inviteRoutes);
      await api.register(roleRoutes);
      await api.register(positionRoutes);
      await api.register(announcementRoutes);
      await api.register(attendanceRoutes);
      await api.register(materialRoutes);
    },
    { prefix: '/api' },
  );
  await app.register(web, {
    webDist: config.webDist,
    tileUrl: config.tileUrl,
    tileAttribution: config.tileAttribution,
  });
  await app.ready();
  return app as unknown as FastifyInstance;
}
