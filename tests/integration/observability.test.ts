// First: it points the process-wide database at this suite's own before any app module loads.
import { closeProcessDatabase, openProcessDatabase } from '../support/process-database';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { Database } from '@/db';

const loadApp = async () => ({
  metricsRoute: await import('@/app/api/metrics/route'),
  model: await import('@/app/api/v1/models/[name]/route'),
  db: await import('@/db'),
  config: await import('@/lib/config'),
  bootstrap: await import('@/lib/server/bootstrap'),
  systemActor: await import('@/lib/auth/system-actor'),
  services: await import('@/lib/services'),
  recordAnalysis: await import('@/lib/services/analysis/record-analysis'),
  apiRoute: await import('@/lib/http/api-route'),
  errorReporter: await import('@/lib/server/observability/error-reporter'),
  tracing: await import('@/lib/server/observability/tracing'),
  experimentFixtures: await import('../support/experiment-fixtures'),
  fixtures: await import('../support/fixtures'),
});

describe('/api/metrics', () => {
  let app: Awaited<ReturnType<typeof loadApp>>;
  let db: Database;
  let viewerKey: string;

  beforeAll(async () => {
    await openProcessDatabase();
    app = await loadApp();
    db = await app.db.getDb();
    await app.bootstrap.bootstrap(db, app.config.getConfig());
    viewerKey = (await app.services.createApiKey({ actor: app.systemActor.systemActor('bootstrap'), db }, { name: `prometheus-${app.fixtures.unique()}`, roles: [], scopes: ['read'] })).secret;
  });
  afterAll(async () => {
    await closeProcessDatabase();
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
    // Next.js passes no params object to a route without dynamic segments (as /api/metrics is).
    const bare = await (app.metricsRoute.GET as unknown as (req: Request) => Promise<Response>)(get('/api/metrics', viewerKey));
    expect(bare.status).toBe(200);
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

  it('sends an unexpected /api/v1 error to Sentry when SENTRY_DSN is set: stack, route, trace id, no secrets; the client sees only a request id', async () => {
    const received: { headers: Record<string, unknown>; body: string; url: string }[] = [];
    const sentry = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        received.push({ headers: req.headers, body: Buffer.concat(chunks).toString('utf8'), url: req.url ?? '' });
        res.writeHead(200).end('{}');
      });
    });
    await new Promise<void>((resolve) => sentry.listen(0, '127.0.0.1', resolve));
    const failing = app.apiRoute.apiRoute<{ name: string }>(async () => {
      throw new Error('could not connect to postgres://flightdeck:hunter2@db:5432/app');
    });
    const call = () => failing(new Request('http://test/api/v1/models/fraud/explode', { headers: { traceparent: '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01' } }), { params: Promise.resolve({ name: 'fraud' }) });
    try {
      // Not configured: nothing is sent.
      delete process.env.SENTRY_DSN;
      expect((await call()).status).toBe(500);
      await app.errorReporter.flushErrorReports();
      expect(received).toHaveLength(0);

      const logged = vi.spyOn(console, 'error').mockImplementation(() => {});
      process.env.SENTRY_DSN = `http://publickey@127.0.0.1:${(sentry.address() as AddressInfo).port}/7`;
      const res = await call();
      expect(res.status).toBe(500);
      const body = (await res.json()) as { error: { message: string } };
      expect(body.error.message).toBe('Something went wrong on our side. The error was logged.');
      await app.errorReporter.flushErrorReports();
      expect(received).toHaveLength(1);
      expect(received[0]!.url).toBe('/api/7/envelope/');
      expect(received[0]!.headers['x-sentry-auth']).toBe('Sentry sentry_version=7, sentry_key=publickey, sentry_client=flightdeck/0.1.0');
      const event = JSON.parse(received[0]!.body.split('\n')[2]!);
      expect(event).toMatchObject({
        transaction: 'GET /api/v1/models/[name]/explode',
        tags: { where: 'api', request_id: res.headers.get('x-request-id') },
        exception: { values: [{ type: 'Error', value: 'could not connect to postgres://flightdeck:[redacted]@db:5432/app' }] },
        contexts: { trace: { trace_id: '4bf92f3577b34da6a3ce929d0e0e4736' } },
      });
      expect(received[0]!.body).not.toContain('hunter2');
      // The server log has the error too, scrubbed the same way.
      expect(logged.mock.calls.flat().join(' ')).toContain('postgres://flightdeck:[redacted]@db');
      expect(logged.mock.calls.flat().join(' ')).not.toContain('hunter2');
      logged.mockRestore();

      // A refused request (4xx) is not an error to report.
      await app.model.GET(get('/api/v1/models/nope', viewerKey), { params: Promise.resolve({ name: 'nope' }) });
      await app.errorReporter.flushErrorReports();
      expect(received).toHaveLength(1);
    } finally {
      delete process.env.SENTRY_DSN;
      await new Promise((resolve) => sentry.close(resolve));
    }
  });

  it('exports a server span per /api/v1 request to an OTLP collector when OTEL_EXPORTER_OTLP_ENDPOINT is set', async () => {
    const bodies: { resourceSpans: { scopeSpans: { spans: { name: string; traceId: string; spanId: string; parentSpanId?: string; kind: number; attributes: { key: string; value: Record<string, unknown> }[] }[] }[] }[] }[] = [];
    const collector = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        bodies.push(JSON.parse(Buffer.concat(chunks).toString('utf8')));
        res.writeHead(200).end('{}');
      });
    });
    await new Promise<void>((resolve) => collector.listen(0, '127.0.0.1', resolve));
    process.env.OTEL_EXPORTER_OTLP_ENDPOINT = `http://127.0.0.1:${(collector.address() as AddressInfo).port}`;
    try {
      const res = await app.model.GET(new Request('http://test/api/v1/models/traced', { headers: { authorization: `Bearer ${viewerKey}`, traceparent: '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01' } }), { params: Promise.resolve({ name: 'traced' }) });
      await app.tracing.flushSpans();
      const spans = bodies.flatMap((b) => b.resourceSpans.flatMap((r) => r.scopeSpans.flatMap((s) => s.spans)));
      const span = spans.find((s) => s.traceId === '4bf92f3577b34da6a3ce929d0e0e4736');
      expect(span).toMatchObject({ name: 'GET /api/v1/models/[name]', parentSpanId: '00f067aa0ba902b7', kind: 2, spanId: res.headers.get('traceparent')!.split('-')[2] });
      expect(span!.attributes).toContainEqual({ key: 'http.response.status_code', value: { intValue: '404' } });
    } finally {
      delete process.env.OTEL_EXPORTER_OTLP_ENDPOINT;
      await new Promise((resolve) => collector.close(resolve));
    }
  });
});
