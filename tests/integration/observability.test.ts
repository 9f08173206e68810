import { createScratchDatabase } from '@/db/scratch-database';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '@/db';

// The routes use the process-wide database: configure it before any app module loads.
const onPostgres = Boolean(process.env.TEST_SKIP_PGLITE && process.env.TEST_DATABASE_URL);
process.env.FLIGHTDECK_DATA_DIR = 'memory://';
delete process.env.DATABASE_URL;

const loadApp = async () => ({
  metricsRoute: await import('@/app/api/metrics/route'),
  model: await import('@/app/api/v1/models/[name]/route'),
  db: await import('@/db'),
  config: await import('@/lib/config'),
  bootstrap: await import('@/lib/server/bootstrap'),
  systemActor: await import('@/lib/auth/system-actor'),
  services: await import('@/lib/services'),
  recordAnalysis: await import('@/lib/services/analysis/record-analysis'),
  experimentFixtures: await import('../support/experiment-fixtures'),
  fixtures: await import('../support/fixtures'),
});

describe('/api/metrics', () => {
  let app: Awaited<ReturnType<typeof loadApp>>;
  let db: Database;
  let dropDatabase: (() => Promise<void>) | undefined;
  let viewerKey: string;

  beforeAll(async () => {
    if (onPostgres) {
      const scratch = await createScratchDatabase(process.env.TEST_DATABASE_URL!, 'fd_test');
      process.env.DATABASE_URL = scratch.url;
      dropDatabase = scratch.drop;
    }
    app = await loadApp();
    db = await app.db.getDb();
    await app.bootstrap.bootstrap(db, app.config.getConfig());
    viewerKey = (await app.services.createApiKey({ actor: app.systemActor.systemActor('bootstrap'), db }, { name: `prometheus-${app.fixtures.unique()}`, roles: [], scopes: ['read'] })).secret;
  });
  afterAll(async () => {
    if (app) await (await app.db.getDbHandle()).close();
    await dropDatabase?.();
  });

  const get = (path: string, key?: string) => new Request(`http://test${path}`, { headers: key ? { authorization: `Bearer ${key}` } : {} });
  const scrape = async () => {
    const res = await app.metricsRoute.GET(get('/api/metrics', viewerKey), { params: Promise.resolve({}) });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/plain; version=0\.0\.4/);
    return res.text();
  };

  it('refuses an anonymous scrape (401) and serves Prometheus text to a read-scoped key', async () => {
    const anonymous = await app.metricsRoute.GET(get('/api/metrics'), { params: Promise.resolve({}) });
    expect(anonymous.status).toBe(401);
    const text = await scrape();
    for (const name of ['flightdeck_http_requests_total', 'flightdeck_controller_tick_duration_seconds', 'flightdeck_outbox_pending', 'flightdeck_process_resident_memory_bytes'])
      expect(text).toContain(`# TYPE ${name} `);
    expect(text).toMatch(/^flightdeck_database_up\{driver="(pglite|postgres)"\} 1$/m);
    expect(text).toMatch(/^flightdeck_outbox_pending 0$/m);
  });

  it('counts /api/v1 requests by route template, not by id', async () => {
    const name = `metered-${app.fixtures.unique()}`;
    await app.services.createModel({ actor: app.systemActor.systemActor('bootstrap'), db }, { name, ownerTeam: 'ml' });
    for (let i = 0; i < 3; i++) expect((await app.model.GET(get(`/api/v1/models/${name}`, viewerKey), { params: Promise.resolve({ name }) })).status).toBe(200);
    expect((await app.model.GET(get('/api/v1/models/no-such-model', viewerKey), { params: Promise.resolve({ name: 'no-such-model' }) })).status).toBe(404);
    const text = await scrape();
    expect(text).toMatch(/^flightdeck_http_requests_total\{route="\/api\/v1\/models\/\[name\]",method="GET",status="200"\} 3$/m);
    expect(text).toMatch(/^flightdeck_http_requests_total\{route="\/api\/v1\/models\/\[name\]",method="GET",status="404"\} 1$/m);
    expect(text).toMatch(/^flightdeck_http_request_duration_seconds_count\{route="\/api\/v1\/models\/\[name\]",method="GET"\} 4$/m);
    expect(text).not.toContain(name);
  });

  it('continues the caller’s W3C trace on /api/v1 and answers its own span in traceparent', async () => {
    const trace = '4bf92f3577b34da6a3ce929d0e0e4736';
    const continued = await app.model.GET(new Request('http://test/api/v1/models/x', { headers: { authorization: `Bearer ${viewerKey}`, traceparent: `00-${trace}-00f067aa0ba902b7-01` } }), { params: Promise.resolve({ name: 'x' }) });
    expect(continued.headers.get('traceparent')).toMatch(new RegExp(`^00-${trace}-(?!00f067aa0ba902b7)[0-9a-f]{16}-01$`));
    const fresh = await app.model.GET(new Request('http://test/api/v1/models/x', { headers: { authorization: `Bearer ${viewerKey}`, traceparent: 'nonsense' } }), { params: Promise.resolve({ name: 'x' }) });
    expect(fresh.headers.get('traceparent')).toMatch(/^00-[0-9a-f]{32}-[0-9a-f]{16}-01$/);
    expect(fresh.headers.get('traceparent')).not.toContain(trace);
  });

  it('shows each running release’s weight and the canary vs baseline values of its latest analysis', async () => {
    const system = { actor: app.systemActor.systemActor('bootstrap'), db };
    const target = await app.experimentFixtures.liveModel(db);
    const release = await app.services.requestRelease(system, { model: target.model, version: '1.1.0', environment: target.environment, strategy: 'canary', plan: [{ weight: 10, analysisRequired: true, holdSeconds: 60 }, { weight: 100 }] });
    await app.services.startRelease(system, { releaseId: release.id });
    await app.recordAnalysis.recordAnalysis(system, {
      releaseId: release.id,
      step: 0,
      intervalStart: new Date(Date.now() - 60_000),
      intervalEnd: new Date(),
      verdict: 'fail',
      score: 0,
      metrics: [{ metric: 'error_rate', numbers: { baseline: 0.01, canary: 0.05 } }, { metric: 'latency', numbers: { baseline: 120, canary: null } }],
      summary: 'error rate 5.0 % vs 1.0 %',
      evidence: {},
    });
    const text = await scrape();
    const labels = `release="${release.id}",model="${target.model}",environment="${target.environment}"`;
    expect(text).toContain(`flightdeck_release_canary_weight_percent{${labels},version="1.1.0"} 10`);
    expect(text).toContain(`flightdeck_release_analysis_value{${labels},metric="error_rate",variant="baseline"} 0.01`);
    expect(text).toContain(`flightdeck_release_analysis_value{${labels},metric="error_rate",variant="canary"} 0.05`);
    expect(text).toContain(`flightdeck_release_analysis_value{${labels},metric="latency",variant="baseline"} 120`);
    expect(text).not.toContain(`metric="latency",variant="canary"`);
    expect(text).toContain(`flightdeck_release_analysis_score{${labels},verdict="fail"} 0`);

    // Finished releases disappear at the next scrape instead of keeping their last value.
    await app.services.abortRelease(system, { releaseId: release.id, reason: 'test over' });
    expect(await scrape()).not.toContain(release.id);
  });
});
