import { describe, expect, it } from 'vitest';
import { useTestApp } from '../helpers/app.ts';

const REQUIRED_OPERATIONS = [
  'joinWithInvite',
  'getMe',
  'createEvent',
  'getEvent',
  'updateEvent',
  'createContingent',
  'updateContingent',
  'deleteContingent',
  'createMeetingPoint',
  'updateMeetingPoint',
  'deleteMeetingPoint',
  'createInvite',
  'listInvites',
  'revokeInvite',
];

interface Operation {
  operationId?: string;
  responses?: object;
  requestBody?: { content: Record<string, { schema: { additionalProperties?: boolean } }> };
}

describe('GET /api/openapi.json', () => {
  const t = useTestApp('pglite');

  it('describes every operation with a stable operationId and its schemas', async () => {
    const res = await t().inject({ method: 'GET', url: '/api/openapi.json' });
    expect(res.statusCode).toBe(200);
    const spec = res.json();
    expect(spec.openapi).toMatch(/^3\./);
    const operations = Object.entries(
      spec.paths as Record<string, Record<string, Operation>>,
    ).flatMap(([path, methods]) =>
      Object.entries(methods).map(([method, op]) => ({ path, method, op })),
    );
    for (const { path, method, op } of operations) {
      expect(op.operationId, `${method} ${path}`).toMatch(/^[a-z][A-Za-z]+$/);
      expect(op.responses, `${method} ${path}`).toBeDefined();
    }
    const ids = operations.map((o) => o.op.operationId);
    expect(new Set(ids).size).toBe(ids.length);
    expect(ids).toEqual(expect.arrayContaining(REQUIRED_OPERATIONS));
    const createEvent = operations.find((o) => o.op.operationId === 'createEvent')!;
    expect(
      createEvent.op.requestBody!.content['application/json']!.schema.additionalProperties,
    ).toBe(false);
  });

  it('is browsable at /api/docs without any CDN', async () => {
    const res = await t().inject({ method: 'GET', url: '/api/docs/' });
    expect(res.statusCode).toBe(200);
    expect(res.body).toContain('swagger');
    expect(res.body).not.toMatch(/https?:\/\/(?!localhost)[^"']*\.(js|css)/);
  });
});
