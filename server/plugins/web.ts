// Serves the built web app and its client configuration. Unknown paths outside /api get
// the app's index.html (the app routes on the client); unknown API paths get a problem.
// An event's participant page, asked for with a session, comes with its first text written in
// (server/pages/event-page.ts).
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import fastifyStatic from '@fastify/static';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import fp from 'fastify-plugin';
import { Type } from 'typebox';
import { eventPageOf, renderEventPage, sendPersonalPage, templateOf } from '../pages/event-page.ts';
import { sendProblem } from './errors.ts';

export interface WebOptions {
  webDist: string | null;
  tileUrl: string;
  tileAttribution: string;
}

/** The built index.html and Vite's manifest of the build, when it wrote one. */
function builtPage(dist: string): [string, Record<string, { file: string }> | null] {
  const html = readFileSync(join(dist, 'index.html'), 'utf8');
  const manifestPath = join(dist, '.vite/manifest.json');
  const manifest = existsSync(manifestPath) ? JSON.parse(readFileSync(manifestPath, 'utf8')) : null;
  return [html, manifest];
}

const ClientConfig = Type.Object({ tileUrl: Type.String(), tileAttribution: Type.String() });

const webPlugin: FastifyPluginAsyncTypebox<WebOptions> = async (app, options) => {
  app.get(
    '/api/config',
    {
      schema: {
        operationId: 'getClientConfig',
        summary: 'Settings the web app needs: the map tile template and its attribution',
        tags: ['config'],
        response: { 200: ClientConfig },
      },
    },
    () => ({ tileUrl: options.tileUrl, tileAttribution: options.tileAttribution }),
  );

  const dist = options.webDist;
  const hasApp = dist !== null && existsSync(join(dist, 'index.html'));
  if (hasApp) {
    await app.register(fastifyStatic, {
      root: dist,
      wildcard: false,
      index: false,
      // The build writes .br and .gz copies (web/vite.config.ts); clients that accept them get them.
      preCompressed: true,
      setHeaders(res, path) {
        const hashed = path.includes(`${join(dist, 'assets')}`);
        res.header('cache-control', hashed ? 'public, max-age=31536000, immutable' : 'no-cache');
      },
    });
  }

  const template = hasApp && dist ? templateOf(...builtPage(dist)) : null;

  app.setNotFoundHandler(async (request, reply) => {
    // A missing hashed file is a 404, not the app's page (which a script tag cannot run).
    const isPage =
      request.method === 'GET' &&
      !request.url.startsWith('/api') &&
      !request.url.startsWith('/assets/');
    const eventId = isPage ? eventPageOf(request.url) : null;
    if (template && eventId) {
      try {
        const page = await renderEventPage(app, request, eventId, template);
        if (page) return await sendPersonalPage(request, reply, page);
      } catch (error) {
        // The shell still works: the app reads the same things itself.
        request.log.error({ err: error }, 'could not write the event page');
      }
    }
    if (hasApp && isPage) {
      return reply.header('cache-control', 'no-cache').sendFile('index.html');
    }
    return sendProblem(reply, {
      type: 'about:blank',
      title: 'Not Found',
      status: 404,
      detail: 'There is nothing here.',
    });
  });
};

export default fp(webPlugin, { name: 'web' });
