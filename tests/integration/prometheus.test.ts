import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { asc, eq } from 'drizzle-orm';
import type { DbHandle } from '@/db/client';
import { environments, metricSamples } from '@/db/schema';
import { MetricSample } from '@/lib/domain/metrics-input';
import { configuredPrometheus, PrometheusError, pullPrometheusSamples } from '@/lib/server/prometheus-provider';
import { createEnvironment, createModel, ingestMetrics, registerVersion, requestRelease, startRelease } from '@/lib/services';
import { openTestDatabase, targets } from '../support/test-db';
import { setUp, signedInUser, unique } from '../support/fixtures';

const source = {
  requests: 'sum(increase(http_requests_total{service="{{service}}",environment="{{environment}}",version="{{version}}"}[{{interval}}]))',
  errors: 'sum(increase(http_requests_total{service="{{service}}",environment="{{environment}}",version="{{version}}",code=~"5.."}[{{interval}}]))',
  latencyBuckets: 'sum by (le) (increase(http_request_duration_seconds_bucket{service="{{service}}",version="{{version}}"}[{{interval}}]))',
};

const vector = (result: { metric?: Record<string, string>; value: string }[]) => ({
  status: 'success',
  data: { resultType: 'vector', result: result.map((r) => ({ metric: r.metric ?? {}, value: [1_700_000_000, r.value] })) },
});
const buckets = (counts: [string, string][]) => vector(counts.map(([le, value]) => ({ metric: { le }, value })));

/** Canned answers per version: the canary is slower and fails more often. */
const CANNED: Record<string, { requests: string; errors: string; buckets: [string, string][] }> = {
  '1.0.0': { requests: '1000', errors: '5', buckets: [['0.05', '700'], ['0.1', '950'], ['0.25', '995'], ['+Inf', '1000']] },
  '1.1.0': { requests: '200', errors: '4', buckets: [['0.05', '100'], ['0.1', '180'], ['0.25', '198'], ['+Inf', '200']] },
};

/** A Prometheus stand-in: answers /api/v1/query by the query's text; the service label picks a failure. */
function prometheusStandIn(received: URLSearchParams[]): Server {
  return createServer((req, res) => {
    const url = new URL(req.url!, 'http://localhost');
    const send = (status: number, body: unknown) => res.writeHead(status, { 'content-type': 'application/json' }).end(typeof body === 'string' ? body : JSON.stringify(body));
    if (url.pathname !== '/api/v1/query') return send(404, '404 page not found');
    received.push(url.searchParams);
    const query = url.searchParams.get('query')!;
    const service = /service="([^"]*)"/.exec(query)?.[1];
    const version = /version="([^"]*)"/.exec(query)?.[1] ?? '';
    if (service === 'boom') return send(500, 'upstream exploded');
    if (service === 'bad') return send(400, { status: 'error', errorType: 'bad_data', error: 'invalid parameter "query": 1:5: parse error' });
    if (service === 'matrix') return send(200, { status: 'success', data: { resultType: 'matrix', result: [] } });
    if (service === 'quiet' && version === '1.1.0') return send(200, vector(query.includes('_bucket') ? [] : [{ value: 'NaN' }]));
    const canned = CANNED[version] ?? CANNED['1.0.0']!;
    if (query.includes('_bucket')) return send(200, buckets(canned.buckets));
    if (query.includes('code=~')) return send(200, vector([{ value: canned.errors }]));
    return send(200, vector([{ value: canned.requests }]));
  });
}

describe('configuredPrometheus', () => {
  it('is null when FLIGHTDECK_PROMETHEUS_URL is unset or empty', () => {
    expect(configuredPrometheus({})).toBeNull();
    expect(configuredPrometheus({ FLIGHTDECK_PROMETHEUS_URL: ' ' })).toBeNull();
  });

  it('reads the URL without a trailing slash', () => {
    expect(configuredPrometheus({ FLIGHTDECK_PROMETHEUS_URL: 'http://prometheus:9090/' })).toEqual({ baseUrl: 'http://prometheus:9090' });
  });

  it('refuses a value that is not an http(s) URL with one line naming the variable', () => {
    for (const bad of ['prometheus:9090', 'ftp://prometheus', 'not a url'])
      expect(() => configuredPrometheus({ FLIGHTDECK_PROMETHEUS_URL: bad })).toThrow(/^FLIGHTDECK_PROMETHEUS_URL must be an http\(s\) URL such as http:\/\/prometheus:9090$/);
  });
});

describe('pulling from Prometheus', () => {
  const received: URLSearchParams[] = [];
  let server: Server;
  let baseUrl: string;
  const end = new Date(Math.floor(Date.now() / 1000) * 1000);
  const start = new Date(end.getTime() - 300_000);
  const release = (service = 'fraud-detector') => ({ id: '00000000-0000-4000-8000-000000000042', service, environment: 'production', baselineVersion: '1.0.0', canaryVersion: '1.1.0' });

  beforeAll(async () => {
    server = prometheusStandIn(received);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  it('runs the rendered queries for both versions at the end of the interval', async () => {
    received.length = 0;
    await pullPrometheusSamples({ baseUrl, source, release: release(), start, end });
    const queries = received.map((p) => p.get('query')).sort();
    expect(queries).toHaveLength(6);
    for (const version of ['1.0.0', '1.1.0']) {
      expect(queries).toContain(`sum(increase(http_requests_total{service="fraud-detector",environment="production",version="${version}"}[300s]))`);
      expect(queries).toContain(`sum(increase(http_requests_total{service="fraud-detector",environment="production",version="${version}",code=~"5.."}[300s]))`);
      expect(queries).toContain(`sum by (le) (increase(http_request_duration_seconds_bucket{service="fraud-detector",version="${version}"}[300s]))`);
    }
    expect(new Set(received.map((p) => p.get('time')))).toEqual(new Set([String(end.getTime() / 1000)]));
  });

  it('returns counters and per-bucket histograms (in ms) that pass the MetricSample schema', async () => {
    const samples = await pullPrometheusSamples({ baseUrl, source, release: release(), start, end });
    const bucketStart = start.toISOString();
    const releaseId = release().id;
    expect(samples).toEqual([
      { releaseId, variant: 'baseline', metric: 'error_rate', kind: 'counter', bucketStart, count: 1000, errors: 5 },
      { releaseId, variant: 'baseline', metric: 'latency', kind: 'histogram', bucketStart, count: 1000, errors: 0, histogram: [{ le: 50, count: 700 }, { le: 100, count: 250 }, { le: 250, count: 50 }] },
      { releaseId, variant: 'canary', metric: 'error_rate', kind: 'counter', bucketStart, count: 200, errors: 4 },
      { releaseId, variant: 'canary', metric: 'latency', kind: 'histogram', bucketStart, count: 200, errors: 0, histogram: [{ le: 50, count: 100 }, { le: 100, count: 80 }, { le: 250, count: 20 }] },
    ]);
    for (const sample of samples) expect(MetricSample.safeParse(sample).success).toBe(true);
  });

  it('skips NaN values: a variant without a number yields no samples', async () => {
    const samples = await pullPrometheusSamples({ baseUrl, source, release: release('quiet'), start, end });
    expect(samples.map((s) => `${s.variant}/${s.metric}`)).toEqual(['baseline/error_rate', 'baseline/latency']);
  });

  it('reports an HTTP error with the status and the start of the body', async () => {
    const pull = pullPrometheusSamples({ baseUrl, source, release: release('boom'), start, end });
    await expect(pull).rejects.toBeInstanceOf(PrometheusError);
    await expect(pull).rejects.toThrow(new RegExp(`^Prometheus at ${baseUrl} answered HTTP 500 to the (baseline|canary) (requests|errors|latency buckets) query: upstream exploded$`));
  });

  it("reports status error with Prometheus's own message", async () => {
    await expect(pullPrometheusSamples({ baseUrl, source, release: release('bad'), start, end })).rejects.toThrow(
      /^Prometheus rejected the (baseline|canary) \w+( buckets)? query \(bad_data\): invalid parameter "query": 1:5: parse error$/,
    );
  });

  it('refuses a result that is not an instant vector', async () => {
    await expect(pullPrometheusSamples({ baseUrl, source, release: release('matrix'), start, end })).rejects.toThrow(/returned a matrix; expected an instant vector$/);
  });

  it('reports an unreachable Prometheus by its address', async () => {
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const url = `http://127.0.0.1:${(closed.address() as AddressInfo).port}`;
    await new Promise<void>((resolve) => closed.close(() => resolve()));
    await expect(pullPrometheusSamples({ baseUrl: url, source, release: release(), start, end })).rejects.toThrow(new RegExp(`^Could not reach Prometheus at ${url} for the .+ query: .*ECONNREFUSED`));
  });

  it('refuses a template with an unknown placeholder before querying', async () => {
    received.length = 0;
    await expect(pullPrometheusSamples({ baseUrl, source: { ...source, errors: 'sum(x{m="{{model}}"})' }, release: release(), start, end })).rejects.toThrow(/Unknown placeholder \{\{model\}\}/);
    expect(received).toHaveLength(0);
  });

  describe.each(targets)('feeding ingestMetrics on $name', ({ name }) => {
    let handle: DbHandle;
    beforeAll(async () => {
      handle = await openTestDatabase(name);
    });
    afterAll(async () => handle?.close());

    it('stores the pulled samples for a running release', async () => {
      const db = handle.db;
      const env = await createEnvironment(setUp(db), { name: `env-${unique()}`, rank: 1, policy: { requiredChecks: [], thresholds: {} } });
      await db.update(environments).set({ requiredApprovals: 0 }).where(eq(environments.id, env.id));
      const model = await createModel(setUp(db), { name: `model-${unique()}`, ownerTeam: 'risk-ml' });
      await registerVersion(setUp(db), { model: model.name, version: '1.1.0', artifactUri: 's3://artifacts/model.tar.gz', artifactDigest: `sha256:${'ab'.repeat(32)}` });
      const requested = await requestRelease(setUp(db), { model: model.name, version: '1.1.0', environment: env.name, strategy: 'canary', plan: [{ weight: 10 }, { weight: 100 }] });
      await startRelease(setUp(db), { releaseId: requested.id });

      const samples = await pullPrometheusSamples({
        baseUrl,
        source,
        release: { id: requested.id, service: model.name, environment: env.name, baselineVersion: '1.0.0', canaryVersion: '1.1.0' },
        start,
        end,
      });
      const mlLead = await signedInUser(db, ['ml_lead']);
      await expect(ingestMetrics({ actor: mlLead, db }, { samples })).resolves.toEqual({ stored: 4 });

      const stored = await db.select().from(metricSamples).where(eq(metricSamples.releaseId, requested.id)).orderBy(asc(metricSamples.variant), asc(metricSamples.metric));
      expect(stored.map((r) => ({ variant: r.variant, metric: r.metric, kind: r.kind, count: r.count, errors: r.errors, histogram: r.histogram, bucketStart: r.bucketStart.toISOString() }))).toEqual([
        { variant: 'baseline', metric: 'error_rate', kind: 'counter', count: 1000, errors: 5, histogram: null, bucketStart: start.toISOString() },
        { variant: 'baseline', metric: 'latency', kind: 'histogram', count: 1000, errors: 0, histogram: [{ le: 50, count: 700 }, { le: 100, count: 250 }, { le: 250, count: 50 }], bucketStart: start.toISOString() },
        { variant: 'canary', metric: 'error_rate', kind: 'counter', count: 200, errors: 4, histogram: null, bucketStart: start.toISOString() },
        { variant: 'canary', metric: 'latency', kind: 'histogram', count: 200, errors: 0, histogram: [{ le: 50, count: 100 }, { le: 100, count: 80 }, { le: 250, count: 20 }], bucketStart: start.toISOString() },
      ]);
    });
  });
});
