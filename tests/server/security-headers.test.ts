// Security headers on every answer: a Content-Security-Policy allowing only the app's own
// origin and the tile host, no referrer, no framing. The browser side (no page breaks under
// the policy) is tests/browser/security.test.ts.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { LightMyRequestResponse } from 'fastify';
import { describe, expect, it } from 'vitest';
import { inlineHashes, tileSource } from '../../server/plugins/security.ts';
import { useTestApp } from '../helpers/app.ts';

const webDist = fileURLToPath(new URL('../../web/dist', import.meta.url));

/** The policy's directives, by name. */
function directivesOf(res: LightMyRequestResponse): Map<string, string[]> {
  const policy = String(res.headers['content-security-policy'] ?? '');
  return new Map(
    policy
      .split(';')
      .map((part) => part.trim().split(/\s+/))
      .filter((words) => words[0])
      .map(([name, ...sources]) => [name!, sources]),
  );
}

describe('security headers', () => {
  const t = useTestApp('pglite', {
    webDist,
    tileUrl: 'https://{s}.tiles.example.org/osm/{z}/{x}/{y}.png',
  });

  const answers = () => {
    const app = t();
    return Promise.all(
      [
        { url: '/' },
        { url: '/events/00000000-0000-4000-8000-000000000000' },
        { url: '/api/me' },
        { url: '/api/config' },
        { url: '/api/nothing-here' },
        { url: '/api/openapi.json' },
        { url: '/api/events', method: 'POST' as const, payload: { name: 1 } },
      ].map((options) => app.inject(options)),
    );
  };

  it('says no referrer, no framing and no sniffing on pages, API answers and problems', async () => {
    for (const res of await answers()) {
      expect(res.headers['referrer-policy']).toBe('no-referrer');
      expect(res.headers['x-frame-options']).toBe('DENY');
      expect(res.headers['x-content-type-options']).toBe('nosniff');
      expect(directivesOf(res).get('frame-ancestors')).toEqual(["'none'"]);
    }
  });

  it('allows only the app’s own origin, plus the tile host for images', async () => {
    for (const res of await answers()) {
      const csp = directivesOf(res);
      expect(csp.get('default-src')).toEqual(["'self'"]);
      expect(csp.get('connect-src')).toEqual(["'self'"]);
      expect(csp.get('object-src')).toEqual(["'none'"]);
      expect(csp.get('img-src')).toEqual(["'self'", 'data:', 'https://*.tiles.example.org']);
      const policy = String(res.headers['content-security-policy']);
      expect(policy).not.toContain('unsafe-inline');
      expect(policy).not.toContain('unsafe-eval');
      expect(policy).not.toMatch(/https?:\/\/(?!\*\.tiles\.example\.org)/);
    }
  });

  it('allows the page’s own inline blocks by their hashes, and nothing else inline', async () => {
    const html = readFileSync(`${webDist}/index.html`, 'utf8');
    const { scripts, styles } = inlineHashes(html);
    expect(scripts).toHaveLength(1);
    expect(styles).toHaveLength(1);
    const csp = directivesOf(await t().inject({ url: '/' }));
    expect(csp.get('script-src')).toEqual(["'self'", ...scripts]);
    expect(csp.get('style-src')).toEqual(["'self'", ...styles]);
  });

  it('keeps Swagger UI’s own policy at /api/docs, framing refused and no third party', async () => {
    const res = await t().inject({ url: '/api/docs/static/index.html' });
    const csp = directivesOf(res);
    expect(csp.get('frame-ancestors')).toEqual(["'none'"]);
    expect(csp.get('script-src')).toEqual(["'self'"]);
  });
});

describe('the tile host as a CSP source', () => {
  it.each([
    ['https://tile.openstreetmap.org/{z}/{x}/{y}.png', 'https://tile.openstreetmap.org'],
    ['https://{s}.tile.example.org/{z}/{x}/{y}.png', 'https://*.tile.example.org'],
    ['http://localhost:8080/tiles/{z}/{x}/{y}.png', 'http://localhost:8080'],
    ['/tiles/{z}/{x}/{y}.png', null],
    ['javascript:alert(1)//{z}', null],
  ])('%s → %s', (template, source) => {
    expect(tileSource(template)).toBe(source);
  });
});
