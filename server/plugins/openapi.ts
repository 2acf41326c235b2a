// OpenAPI 3 document generated from the routes' TypeBox schemas, at /api/openapi.json,
// browsable at /api/docs (Swagger UI, served from our own package, no CDN).
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';

async function openapiPlugin(app: FastifyInstance) {
  await app.register(swagger, {
    openapi: {
      openapi: '3.0.3',
      info: {
        title: 'Muster API',
        version: '0.1.0',
        description:
          'Plan and run the logistics of a May Day march. Authenticate with the session ' +
          'cookie set by joinWithInvite, or send its value as `Authorization: Bearer <token>`. ' +
          'Errors are application/problem+json (RFC 9457).',
      },
      components: {
        securitySchemes: {
          session: { type: 'apiKey', in: 'cookie', name: 'muster_session' },
          bearer: { type: 'http', scheme: 'bearer' },
        },
      },
      security: [{ session: [] }, { bearer: [] }],
    },
  });
  await app.register(swaggerUi, { routePrefix: '/api/docs' });
  app.get('/api/openapi.json', { schema: { hide: true } }, () => app.swagger());
}

export default fp(openapiPlugin, { name: 'openapi' });
