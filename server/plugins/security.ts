// Security headers on every answer. The Content-Security-Policy lets a page load and run only
// what comes from the app's own origin, plus map tiles from the configured tile host: no
// third-party script, style, frame or connection anywhere. The two small inline blocks of
// index.html (the invite-token script and the server-written text's style) are allowed by
// their hashes, read from the built page, so nothing else inline can run.
import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';

export interface SecurityOptions {
  webDist: string | null;
  tileUrl: string;
}

const sha256 = (text: string) => `'sha256-${createHash('sha256').update(text).digest('base64')}'`;

/** The hashes of a page's inline scripts (not data blocks) and style elements. */
export function inlineHashes(html: string): { scripts: string[]; styles: string[] } {
  const scripts = [...html.matchAll(/<script(?![^>]*\bsrc=)([^>]*)>([\s\S]*?)<\/script>/g)]
    .filter(([, attributes]) => !/type="application\/json"/.test(attributes!))
    .map(([, , body]) => sha256(body!));
  const styles = [...html.matchAll(/<style[^>]*>([\s\S]*?)<\/style>/g)].map(([, body]) =>
    sha256(body!),
  );
  return { scripts, styles };
}

/**
 * The origin a tile template points at, as a CSP source: `{s}` subdomains become a wildcard.
 * Null for a template on the app's own origin (a relative one) or one that does not parse.
 */
export function tileSource(tileUrl: string): string | null {
  const sample = tileUrl.replace(/\{s\}/g, 'tile-subdomain').replace(/\{[a-z]+\}/g, '0');
  let url: URL;
  try {
    url = new URL(sample);
  } catch {
    return null;
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') return null;
  return `${url.protocol}//${url.host.replace('tile-subdomain', '*')}`;
}

export function contentSecurityPolicy(options: SecurityOptions): string {
  const index = options.webDist ? join(options.webDist, 'index.html') : null;
  const inline =
    index && existsSync(index)
      ? inlineHashes(readFileSync(index, 'utf8'))
      : { scripts: [], styles: [] };
  const tiles = tileSource(options.tileUrl);
  const directives: [string, ...string[]][] = [
    ['default-src', "'self'"],
    ['script-src', "'self'", ...inline.scripts],
    ['style-src', "'self'", ...inline.styles],
    // data: for the page's icon; the tile host for the map.
    ['img-src', "'self'", 'data:', ...(tiles ? [tiles] : [])],
    ['connect-src', "'self'"],
    ['font-src', "'self'"],
    ['worker-src', "'self'"],
    ['manifest-src', "'self'"],
    ['object-src', "'none'"],
    ['base-uri', "'none'"],
    ['form-action', "'self'"],
    ['frame-ancestors', "'none'"],
  ];
  return directives.map((words) => words.join(' ')).join('; ');
}

async function securityPlugin(app: FastifyInstance, options: SecurityOptions) {
  const policy = contentSecurityPolicy(options);
  app.addHook('onSend', async (_request, reply, payload) => {
    // Swagger UI at /api/docs sets its own policy, for its own inline code (openapi.ts).
    if (!reply.hasHeader('content-security-policy')) {
      reply.header('content-security-policy', policy);
    }
    reply.header('referrer-policy', 'no-referrer');
    reply.header('x-content-type-options', 'nosniff');
    reply.header('x-frame-options', 'DENY');
    reply.header('cross-origin-opener-policy', 'same-origin');
    reply.header('cross-origin-resource-policy', 'same-origin');
    // The phone's position is asked for by the app itself only; nothing else is used.
    reply.header('permissions-policy', 'geolocation=(self), camera=(), microphone=(), payment=()');
    return payload;
  });
}

export default fp(securityPlugin, { name: 'security' });
