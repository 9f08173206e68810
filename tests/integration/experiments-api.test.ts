// First: it points the process-wide database at this suite's own before any app module loads.
import { closeProcessDatabase, openProcessDatabase } from '../support/process-database';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '@/db';

const loadApp = async () => ({
  list: await import('@/app/api/v1/experiments/route'),
  one: await import('@/app/api/v1/experiments/[id]/route'),
  results: await import('@/app/api/v1/experiments/[id]/results/route'),
  decision: await import('@/app/api/v1/experiments/[id]/decision/route'),
  sampleSize: await import('@/app/api/v1/experiments/sample-size/route'),
  metrics: await import('@/app/api/v1/metrics/route'),
  db: await import('@/db'),
  config: await import('@/lib/config'),
  bootstrap: await import('@/lib/server/bootstrap'),
  systemActor: await import('@/lib/auth/system-actor'),
  services: await import('@/lib/services'),
  fixtures: await import('../support/fixtures'),
  experimentFixtures: await import('../support/experiment-fixtures'),
});

type Json = Record<string, any>;
type ErrorBody = { error: { code: string; message: string; details: Record<string, unknown> } };

describe('the experiments API with hostile input', () => {
  let app: Awaited<ReturnType<typeof loadApp>>;
  let db: Database;
  const keys = {} as Record<'lead' | 'viewer' | 'readOnlyLead', string>;

  beforeAll(async () => {
    await openProcessDatabase();
    app = await loadApp();
    db = await app.db.getDb();
    await app.bootstrap.bootstrap(db, app.config.getConfig());
    const caller = { actor: app.systemActor.systemActor('bootstrap'), db };
    const key = async (roles: 'ml_lead'[], scopes: ('read' | 'releases' | 'metrics')[]) => (await app.services.createApiKey(caller, { name: `key-${app.fixtures.unique()}`, roles, scopes })).secret;
    keys.lead = await key(['ml_lead'], ['read', 'releases', 'metrics']);
    keys.viewer = await key([], ['read']);
    keys.readOnlyLead = await key(['ml_lead'], ['read']);
  });

  afterAll(async () => {
    await closeProcessDatabase();
  });

  function request(method: string, path: string, { key, body, raw, contentType = 'application/json' }: { key?: string; body?: unknown; raw?: string; contentType?: string } = {}) {
    const h = new Headers();
    if (key) h.set('authorization', `Bearer ${key}`);
    const payload = raw ?? (body === undefined ? undefined : JSON.stringify(body));
    if (payload !== undefined) h.set('content-type', contentType);
    return new Request(`http://test/api/v1/${path}`, { method, headers: h, body: payload });
  }
  const params = <P>(p: P) => ({ params: Promise.resolve(p) });
  const api = {
    create: (send: Parameters<typeof request>[2]) => app.list.POST(request('POST', 'experiments', send), params({})),
    list: (key?: string) => app.list.GET(request('GET', 'experiments', { key }), params({})),
    get: (id: string, key?: string) => app.one.GET(request('GET', `experiments/${id}`, { key }), params({ id })),
    results: (id: string, key?: string) => app.results.GET(request('GET', `experiments/${id}/results`, { key }), params({ id })),
    decide: (id: string, send: Parameters<typeof request>[2]) => app.decision.POST(request('POST', `experiments/${id}/decision`, send), params({ id })),
    sampleSize: (send: Parameters<typeof request>[2]) => app.sampleSize.POST(request('POST', 'experiments/sample-size', send), params({})),
    metrics: (send: Parameters<typeof request>[2]) => app.metrics.POST(request('POST', 'metrics', send), params({})),
  };
  const read = async (response: Response) => ({ status: response.status, body: (await response.json()) as Json });

  /** The status, the one error shape, and no table gained or lost a row. */
  async function refused(send: () => Promise<Response>, status: number, code: string) {
    const before = await app.fixtures.rowCounts(db);
    const response = await send();
    const body = (await response.json()) as ErrorBody;
    expect({ status: response.status, code: body.error?.code }).toEqual({ status, code });
    expect(body.error.message).toEqual(expect.any(String));
    expect(await app.fixtures.rowCounts(db)).toEqual(before);
    return body.error;
  }
  const fields = (error: ErrorBody['error']) => Object.keys((error.details.fields ?? {}) as object).sort();

  it('refuses anonymous (401), a viewer key (403) and a key without the releases scope (403)', async () => {
    const target = await app.experimentFixtures.liveModel(db);
    const design = app.experimentFixtures.designFor(target);
    await refused(() => api.create({ body: design }), 401, 'unauthenticated');
    await refused(() => api.create({ key: keys.viewer, body: design }), 403, 'forbidden');
    await refused(() => api.create({ key: keys.readOnlyLead, body: design }), 403, 'forbidden');
  });

  it.each<[string, { raw?: string; body?: unknown; contentType?: string }, number, string]>([
    ['a body that is not JSON', { raw: '{"name": ' }, 400, 'bad_request'],
    ['a form-encoded body', { raw: 'name=x', contentType: 'application/x-www-form-urlencoded' }, 415, 'unsupported_media_type'],
    ['a JSON array', { body: [1, 2, 3] }, 422, 'invalid'],
    ['a JSON string', { body: 'experiment' }, 422, 'invalid'],
    ['null', { body: null }, 422, 'invalid'],
  ])('refuses %s and stores nothing', async (_label, send, status, code) => {
    await refused(() => api.create({ key: keys.lead, ...send }), status, code);
  });

  it('names every bad field of a hostile design and stores nothing', async () => {
    const target = await app.experimentFixtures.liveModel(db);
    const error = await refused(
      () =>
        api.create({
          key: keys.lead,
          body: {
            ...app.experimentFixtures.designFor(target),
            name: '',
            arms: [{ version: '1.0.0', allocation: -5 }, { version: 'latest', allocation: 1e308 }],
            primaryMetric: { name: 'DROP TABLE experiments;', type: 'binomial' },
            alpha: 'NaN',
            power: 1,
            minimumDetectableEffect: 0,
            sequential: { enabled: 'yes', nStar: -1 },
            correction: 'bonferroni-ish',
          },
        }),
      422,
      'invalid',
    );
    expect(fields(error)).toEqual(
      ['alpha', 'arms.0.allocation', 'arms.1.allocation', 'arms.1.version', 'correction', 'minimumDetectableEffect', 'name', 'power', 'primaryMetric.name', 'sequential.enabled', 'sequential.nStar'].sort(),
    );
  });

  it('creates a valid design (201) and serves it, its results (bounds of null = unbounded) and the list', async () => {
    const target = await app.experimentFixtures.liveModel(db);
    const created = await read(await api.create({ key: keys.lead, body: app.experimentFixtures.designFor(target) }));
    expect(created.status).toBe(201);
    const id = created.body.id as string;
    expect(created.body.release).toMatchObject({ state: 'approved' });
    expect((await read(await api.get(id, keys.viewer))).body).toMatchObject({ id, status: 'ready', model: target.model });

    await app.services.startRelease({ actor: app.systemActor.systemActor('bootstrap'), db }, { releaseId: created.body.release.id });
    const bucketStart = new Date(Date.now() - 10_000).toISOString();
    const releaseId = created.body.release.id;
    const pushed = await api.metrics({
      key: keys.lead,
      body: {
        samples: [
          { releaseId, variant: 'control', metric: 'conversion', kind: 'counter', bucketStart, count: 5000, errors: 500 },
          { releaseId, variant: 'treatment:1.1.0', metric: 'conversion', kind: 'counter', bucketStart, count: 5000, errors: 560 },
          { releaseId, variant: 'control', metric: 'latency_ms', kind: 'kpi', bucketStart, count: 5000, sum: 200_000, sumSquares: 8_400_000 },
          { releaseId, variant: 'treatment:1.1.0', metric: 'latency_ms', kind: 'kpi', bucketStart, count: 5000, sum: 200_500, sumSquares: 8_430_000 },
        ],
      },
    });
    expect(pushed.status).toBe(202);

    const { status, body } = await read(await api.results(id, keys.viewer));
    expect(status).toBe(200);
    expect(Object.keys(body).sort()).toEqual(['computedAt', 'experiment', 'results', 'series', 'simulated']);
    expect(Object.keys(body.results).sort()).toEqual(['arms', 'decision', 'method', 'metrics', 'progress', 'srm']);
    const guardrail = body.results.metrics.find((m: Json) => m.role === 'guardrail');
    // A one-sided interval: JSON has no Infinity, so the open side is null.
    expect(guardrail.comparisons[0].ci[1]).toBeNull();
    expect(body.results.arms.map((a: Json) => [a.key, a.units])).toEqual([['control', 5000], ['treatment:1.1.0', 5000]]);
    expect((await read(await api.list(keys.viewer))).body.items.some((e: Json) => e.id === id)).toBe(true);
  });

  it('answers 404 for ids that are not experiments, whatever their shape', async () => {
    for (const id of ['nope', '00000000-0000-4000-8000-000000000000', "1' or '1'='1", '../../etc/passwd']) {
      await refused(() => api.results(id, keys.viewer), 404, 'not_found');
      await refused(() => api.get(id, keys.viewer), 404, 'not_found');
    }
  });

  it('refuses a hostile decision with the field named, and a decision on an experiment that is not running', async () => {
    const target = await app.experimentFixtures.liveModel(db);
    const created = await read(await api.create({ key: keys.lead, body: app.experimentFixtures.designFor(target) }));
    const id = created.body.id as string;
    expect(fields(await refused(() => api.decide(id, { key: keys.lead, body: { decision: 'yolo', reason: 'x' } }), 422, 'invalid'))).toEqual(['decision']);
    expect(fields(await refused(() => api.decide(id, { key: keys.lead, body: { decision: 'ship', reason: 'ok then' } }), 422, 'invalid'))).toEqual(['arm']);
    // The id comes from the path; one in the body cannot redirect the decision.
    await refused(() => api.decide(id, { key: keys.lead, body: { decision: 'roll_back', reason: 'not started yet', experimentId: '00000000-0000-4000-8000-000000000000' } }), 409, 'conflict');
    await refused(() => api.decide(id, { key: keys.viewer, body: { decision: 'roll_back', reason: 'viewer' } }), 403, 'forbidden');
  });

  it('answers the sample-size question, and names a bad field', async () => {
    const ok = await read(await api.sampleSize({ key: keys.viewer, body: { baseline: { rate: 0.1 }, minimumDetectableEffect: 0.05 } }));
    expect(ok).toEqual({ status: 200, body: { perArm: 57_760, total: 115_520, unitsPerDay: null, days: null } });
    const error = await refused(() => api.sampleSize({ key: keys.viewer, body: { baseline: { rate: 2 }, minimumDetectableEffect: -1, arms: 99 } }), 422, 'invalid');
    expect(fields(error)).toEqual(['arms', 'baseline.rate', 'minimumDetectableEffect']);
  });
});
