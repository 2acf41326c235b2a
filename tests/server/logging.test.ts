// What the log keeps: no client address or headers for a request, and no value a database
// error quotes. The scan of every test server's log after the suite is tests/global-setup.ts;
// here it is shown to find what it looks for.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { loggedError, loggedRequest, withoutValues } from '../../server/logging.ts';
import { useTestApp } from '../helpers/app.ts';
import { databaseKinds } from '../helpers/databases.ts';
import { scanLogs } from '../helpers/log-scan.ts';

describe.each(databaseKinds)('logged database errors on %s', (kind) => {
  const t = useTestApp(kind);

  it('keep the error’s kind and code but not the values of the failed query', async () => {
    const error = await t()
      .app.db.execute(
        sql`select ${'Luis Hernández'}::text, ${'34.0593'}::numeric, ${'not-a-uuid'}::uuid`,
      )
      .then(
        () => null,
        (caught: unknown) => caught,
      );
    expect(error).toBeInstanceOf(Error);
    const logged = JSON.stringify(loggedError(error));
    expect(logged).not.toContain('Luis');
    expect(logged).not.toContain('34.0593');
    expect(logged).not.toContain('not-a-uuid');
    // Still enough to find the fault: the SQLSTATE of the cause.
    expect(logged).toContain('22P02');
  });
});

describe('the log', () => {
  it('keeps a request’s method and path only', () => {
    const request = {
      method: 'GET',
      url: '/api/me',
      ip: '203.0.113.9',
      headers: { cookie: 'muster_session=secret', authorization: 'Bearer secret' },
    };
    expect(loggedRequest(request as never)).toEqual({ method: 'GET', url: '/api/me' });
  });

  it('takes quoted values and query parameters out of messages', () => {
    expect(withoutValues('Failed query: select $1\nparams: Luis,34.0593')).toBe(
      'Failed query: select $1\nparams: [not logged]',
    );
    expect(withoutValues('invalid input syntax for type uuid: "Rosa"')).toBe(
      'invalid input syntax for type uuid: "[not logged]"',
    );
  });

  it('is scanned for tokens, names and coordinates, and only those', () => {
    const dir = `${mkdtempSync(join(tmpdir(), 'muster-log-scan-'))}/`;
    try {
      writeFileSync(
        `${dir}secrets.jsonl`,
        ['{"kind":"token","value":"tok_abcdefghijklmnop"}', '{"kind":"name","value":"Ada"}']
          .map((line) => `${line}\n`)
          .join(''),
      );
      const records = [
        { msg: 'incoming request', req: { url: '/api/me' }, responseTime: 12.345678 },
        { msg: 'request failed', err: { stack: 'at requireAdministrator (access.ts:12:3)' } },
        { msg: 'joined', cookie: 'muster_session=tok_abcdefghijklmnop' },
        { msg: 'Ada joined' },
        { msg: 'report', position: { lat: 34.0593, lng: -118.2776 } },
      ];
      const banner = 'Setup link: http://127.0.0.1/setup#not-a-log-record';
      writeFileSync(
        `${dir}server.log`,
        [banner, ...records.map((r) => JSON.stringify(r))].join('\n'),
      );
      const { records: count, findings } = scanLogs(dir);
      expect(count).toBe(5);
      expect(findings.map((f) => f.what)).toEqual([
        'a token (tok_ab…)',
        'the name "Ada"',
        'the coordinate 34.0593',
      ]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
