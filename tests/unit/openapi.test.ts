import { describe, expect, it } from 'vitest';
import { buildOpenApiDocument } from '@/lib/http/openapi';

describe('the OpenAPI document', () => {
  // Built from the very zod schemas the use cases validate with: a schema zod cannot turn into
  // JSON Schema (or an .omit on a refined object) would break /api/v1/openapi.json at runtime.
  const doc = buildOpenApiDocument();

  it('builds, with a request schema for every write', () => {
    const writes = Object.entries(doc.paths).flatMap(([path, ops]) => Object.entries(ops).filter(([method]) => method !== 'get' && method !== 'delete').map(([method, op]) => ({ path, method, op: op as { requestBody?: unknown } })));
    expect(writes.length).toBeGreaterThan(20);
    for (const w of writes) expect(w.op.requestBody, `${w.method} ${w.path}`).toBeDefined();
  });

  it.each([
    '/api/v1/experiments',
    '/api/v1/experiments/{id}/results',
    '/api/v1/experiments/{id}/decision',
    '/api/v1/drift/snapshots',
    '/api/v1/models/{name}/versions/{version}/drift-reference',
    '/api/v1/alerts/{id}/acknowledge',
    '/api/v1/services/{service}/telemetry',
    '/api/v1/models/{name}/slos',
  ])('documents %s', (path) => {
    expect(doc.paths[path]).toBeDefined();
  });
});
