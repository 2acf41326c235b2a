import { eq } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { sessions } from '../../drizzle/schema.ts';
import { ensureSetupLink } from '../../server/features/people/service.ts';
import { hashToken } from '../../server/tokens.ts';
import { useTestApp } from '../helpers/app.ts';
import { databaseKinds } from '../helpers/databases.ts';

describe.each(databaseKinds)('the setup link on %s', (kind) => {
  const t = useTestApp(kind);

  describe('POST /api/join', () => {
    it('makes whoever opens the setup link administrator, and the link works once', async () => {
      const stale = (await ensureSetupLink(t().app.db))!;
      const token = (await ensureSetupLink(t().app.db))!;
      const refused = await t().inject({
        method: 'POST',
        url: '/api/join',
        payload: { token: stale, displayName: 'Early bird' },
      });
      expect(refused.statusCode).toBe(401);

      const res = await t().inject({
        method: 'POST',
        url: '/api/join',
        payload: { token, displayName: '  Rosa  ' },
      });
      expect(res.statusCode).toBe(200);
      expect(res.json()).toMatchObject({ displayName: 'Rosa', role: 'administrator' });
      const cookie = res.cookies.find((c) => c.name === 'muster_session')!;
      expect(cookie).toMatchObject({ httpOnly: true, sameSite: 'Strict', path: '/' });
      const [session] = await t()
        .app.db.select()
        .from(sessions)
        .where(eq(sessions.tokenHash, hashToken(cookie.value)));
      expect(session).toBeDefined();

      const me = await t().inject({
        method: 'GET',
        url: '/api/me',
        cookies: { muster_session: cookie.value },
      });
      expect(me.json()).toMatchObject({ displayName: 'Rosa', role: 'administrator' });

      const again = await t().inject({
        method: 'POST',
        url: '/api/join',
        payload: { token, displayName: 'Mallory' },
      });
      expect(again.statusCode).toBe(401);
      expect(again.headers['content-type']).toContain('application/problem+json');
      expect(await ensureSetupLink(t().app.db)).toBeNull();
    });
  });
});
