// First: it points the process-wide database at this suite's own before any app module loads.
import { closeProcessDatabase, onPostgres, openProcessDatabase } from '../support/process-database';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '@/db';
import { oversizedBody, type Caller, type Framing } from './arbitraries';
import type { DatabaseState } from './database-state';
import { endpointName, listEndpoints, routeModules, type Endpoint } from './endpoints';
import { describeRequest, realsFor, requestArbitrary, toRequest, type FuzzRequest, type Keys } from './requests';
import { acceptedByDocumentedSchema, ErrorShape, FieldErrors, serverCause } from './responses';
import type { World } from './seed';

/**
 * Hostile input against every /api/v1 endpoint (issue "Hostile input"). For each operation of the
 * OpenAPI document, and each route module and method the document does not describe (found on
 * disk, so a new endpoint is fuzzed without being listed), fast-check sends malformed, oversized
 * and almost-valid requests — path segments, query strings, headers, bodies — to the route handler
 * in-process, mostly as an admin (so that authorisation does not hide validation), and checks
 * after every one:
 *   1. the status is below 500 (the MLflow routes may answer 502 when MLflow is down, as documented);
 *   2. every 4xx is the one JSON error shape { error: { code, message, details } }, a 422 with its fields;
 *   3. the database is unchanged (rows and content of every table, the audit chain's head) unless
 *      a write succeeded — and a write succeeds only with a body its documented schema accepts;
 * and per endpoint that reads a body, that one over the route's limit is a 413 that stores nothing.
 *
 *   npx vitest run tests/fuzz                      30 requests per endpoint (CI, with the rest)
 *   FUZZ_RUNS=1000 npx vitest run tests/fuzz       the full run: 1,000 per endpoint
 *   FUZZ_SEED=<seed> [FUZZ_PATH=<path>] …          replay what fast-check reported
 *   FUZZ_KEEP_GOING=1 …                            list every distinct 500 instead of stopping at the first
 *   FUZZ_REPORT=1 …                                print the outcomes per endpoint
 * On Postgres: TEST_SKIP_PGLITE=1 TEST_DATABASE_URL=postgres://…/test, as for tests/integration.
 */

// One key sends thousands of requests: the per-key rate limit would answer most of them 429.
process.env.FLIGHTDECK_API_RATE_LIMIT = '0';
// MLflow "configured" but down (fetch refuses port 9 at once, with no network): the webhook then
// checks signatures and reads bodies, and a sync answers 502 with the failed pass kept, as documented.
const MLFLOW_ENV = { FLIGHTDECK_MLFLOW_URL: 'http://127.0.0.1:9', FLIGHTDECK_MLFLOW_WEBHOOK_SECRET: 'fuzz-mlflow-webhook-secret', FLIGHTDECK_MLFLOW_SYNC_SECONDS: '0' };

const RUNS = Math.max(1, Number(process.env.FUZZ_RUNS ?? 30));
const OVERSIZED_RUNS = Math.max(4, Math.ceil(RUNS / 10));
const SEED = process.env.FUZZ_SEED ? Number(process.env.FUZZ_SEED) : undefined;
const PATH = process.env.FUZZ_PATH;
const KEEP_GOING = Boolean(process.env.FUZZ_KEEP_GOING);
const TIMEOUT = 60_000 + RUNS * 1_000;

/** 5xx that are answers, not crashes: MLflow could not be read (the route says so, and keeps the failed pass). */
const UPSTREAM_FAILURES: Record<string, number[]> = {
  'POST /api/v1/integrations/mlflow/sync': [502],
  'POST /api/v1/integrations/mlflow/webhook': [502],
};
const upstreamFailure = (endpoint: Endpoint, status: number) => (UPSTREAM_FAILURES[`${endpoint.method} ${endpoint.template}`] ?? []).includes(status);

// Found at collection time, so that each endpoint is a test of its own.
const { MAX_BODY_BYTES } = await import('@/lib/http/api-route');
const { buildOpenApiDocument } = await import('@/lib/http/openapi');
const modules = routeModules(MAX_BODY_BYTES);
const endpoints = listEndpoints(buildOpenApiDocument() as never, modules);

const loadApp = async () => ({
  db: await import('@/db'),
  services: await import('@/lib/services'),
  systemActor: await import('@/lib/auth/system-actor'),
  state: await import('./database-state'),
  seed: await import('./seed'),
});

type Handler = (req: Request, ctx: { params: Promise<Record<string, string | string[]>> }) => Promise<Response>;

describe(`every /api/v1 endpoint under hostile input (${RUNS} runs each${onPostgres ? ', Postgres' : ''})`, () => {
  let app: Awaited<ReturnType<typeof loadApp>>;
  let db: Database;
  let world: World;
  const savedEnv = Object.fromEntries(Object.keys(MLFLOW_ENV).map((k) => [k, process.env[k]]));
  const keys = {} as Keys;
  const handlers = new Map<string, Record<string, Handler>>();
  /** Outcomes per endpoint (FUZZ_REPORT), distinct 500s (FUZZ_KEEP_GOING). */
  const tally = new Map<string, Map<string, number>>();
  const crashes = new Map<string, string>();

  beforeAll(async () => {
    Object.assign(process.env, MLFLOW_ENV);
    await openProcessDatabase();
    app = await loadApp();
    db = await app.db.getDb();
    const as = { actor: app.systemActor.systemActor('bootstrap'), db };
    keys.admin = (await app.services.createApiKey(as, { name: 'fuzz-admin', roles: ['admin'], scopes: ['admin'] })).secret;
    keys.viewer = (await app.services.createApiKey(as, { name: 'fuzz-viewer', roles: [], scopes: ['read'] })).secret;
    const revoked = await app.services.createApiKey(as, { name: 'fuzz-revoked', roles: ['admin'], scopes: ['admin'] });
    await app.services.revokeApiKey(as, { apiKeyId: revoked.id });
    keys.revoked = revoked.secret;
    world = await app.seed.seedWorld(db);
    for (const module of modules) handlers.set(module.dir, (await import(/* @vite-ignore */ module.file)) as Record<string, Handler>);
  }, 120_000);

  afterAll(async () => {
    for (const [name, value] of Object.entries(savedEnv))
      if (value === undefined) delete process.env[name];
      else process.env[name] = value;
    if (KEEP_GOING) console.log(`${crashes.size} distinct 500s:\n${[...crashes].map(([key, r]) => `${key}\n    e.g. ${r.slice(0, 400)}`).join('\n')}`);
    if (process.env.FUZZ_REPORT) for (const [name, counts] of tally) console.log(`${name}: ${[...counts].map(([k, n]) => `${k} ×${n}`).join(', ')}`);
    await closeProcessDatabase();
  });

  function count(endpoint: Endpoint, outcome: string) {
    const counts = tally.get(endpointName(endpoint)) ?? new Map<string, number>();
    counts.set(outcome, (counts.get(outcome) ?? 0) + 1);
    tally.set(endpointName(endpoint), counts);
  }

  /** Sends one request and checks properties 1 and 2; answers the status. */
  async function send(endpoint: Endpoint, r: FuzzRequest): Promise<number> {
    const { request, params } = toRequest(endpoint, r, keys, MLFLOW_ENV.FLIGHTDECK_MLFLOW_WEBHOOK_SECRET);
    // What the server logs about a 500, to say which one it was.
    const logged: string[] = [];
    const consoleError = console.error;
    console.error = (...args: unknown[]) => logged.push(args.map(String).join(' '));
    let response: Response;
    let text: string;
    try {
      response = await handlers.get(endpoint.module.dir)![endpoint.method]!(request, { params: Promise.resolve(params) });
      // Read streamed bodies to the end: a stream that breaks half-way is a 500 in disguise.
      text = await response.text();
    } finally {
      console.error = consoleError;
    }
    const status = response.status;
    if (status >= 500 && !upstreamFailure(endpoint, status)) {
      const cause = serverCause(logged.join('\n'));
      if (KEEP_GOING) {
        const key = `${endpointName(endpoint)} → ${status} ${cause}`;
        if (!crashes.has(key)) crashes.set(key, describeRequest(r));
        count(endpoint, `${status}`);
        return status;
      }
      throw new Error(`${status} ${text.slice(0, 300)}\n  server log: ${cause}`);
    }
    expect(status, 'a status from 200 to 499').toBeGreaterThanOrEqual(200);
    let code = '';
    if (status >= 400 && !upstreamFailure(endpoint, status)) {
      expect(response.headers.get('content-type') ?? '', `${status}: a JSON error`).toMatch(/^application\/json/);
      const shape = ErrorShape.safeParse(JSON.parse(text));
      if (!shape.success) throw new Error(`${status} is not the error shape: ${text.slice(0, 300)}`);
      if (status === 422) expect(FieldErrors.safeParse(shape.data.error.details).success, `422 names its fields: ${text.slice(0, 300)}`).toBe(true);
      code = ` ${shape.data.error.code}`;
    }
    count(endpoint, `${status}${code}`);
    return status;
  }

  /** Property 3, against the last snapshot (which it then moves on): only a write that succeeded may change the database. */
  async function checkDatabase(last: { state: DatabaseState }, endpoint: Endpoint, status: number, r: FuzzRequest) {
    const after = await app.state.databaseState(db, last.state);
    const changes = app.state.stateDifference(last.state, after);
    last.state = after;
    const accepted = endpoint.method !== 'GET' && ((status >= 200 && status < 300) || upstreamFailure(endpoint, status));
    if (!accepted && changes.length > 0) throw new Error(`answered ${status} but changed the database: ${changes.join('; ')}`);
    if (accepted && status < 300 && !acceptedByDocumentedSchema(endpoint, r)) throw new Error(`answered ${status} to a body its documented schema refuses`);
    if (accepted) count(endpoint, 'stored');
  }

  const runParameters = (numRuns: number) => ({ numRuns, seed: SEED, path: PATH, endOnFailure: false, interruptAfterTimeLimit: TIMEOUT - 20_000, markInterruptAsFailure: false });

  it('finds every route module and documented operation', () => {
    expect(modules.length).toBeGreaterThan(40);
    for (const module of modules) expect(module.methods.length, `${module.dir}/route.ts exports a method`).toBeGreaterThan(0);
    expect(endpoints.filter((e) => e.documented).length).toBeGreaterThan(60);
    for (const module of modules) for (const method of module.methods) expect(endpoints.some((e) => e.module === module && e.method === method), `${method} ${module.dir}`).toBe(true);
  });

  it('the 500s it found stay fixed', async () => {
    const release = world.ids.releases[2]!;
    const alert = world.ids.alerts[0]!;
    const cases: [method: string, template: string, request: Partial<FuzzRequest>, status: number][] = [
      ['GET', '/api/v1/models/{name}', { params: { name: 'fraud-detector\u0000' } }, 404],
      ['GET', '/api/v1/models/{name}/versions/{version}', { params: { name: 'fraud-detector', version: '1.0.0\u0000' } }, 404],
      ['GET', '/api/v1/models/{name}/drift', { params: { name: '\u0000' } }, 404],
      ['GET', '/api/v1/models/{name}/drift/{feature}', { params: { name: 'fraud-detector', feature: 'a%' } }, 404],
      ['GET', '/api/v1/models/{name}/slos', { params: { name: '\u0000' } }, 404],
      ['GET', '/api/v1/services/{service}/routing', { params: { service: 'fraud-detector\u0000' }, query: [['environment', 'production']] }, 404],
      ['GET', '/api/v1/models', { query: [['q', '\u0000']] }, 422],
      ['GET', '/api/v1/releases', { query: [['state', '\u0000']] }, 200],
      ['GET', '/api/v1/alerts', { query: [['model', '\u0000']] }, 422],
      ['GET', '/api/v1/audit', { query: [['actor', '\u0000']] }, 422],
      ['GET', '/api/v1/audit/export', { query: [['model', '\u0000']] }, 422],
      ['GET', '/api/v1/approvals', { query: [['environment', '\u0000']] }, 200],
      ['GET', '/api/v1/releases', { query: [['limit', '5e-324']] }, 422],
      ['GET', '/api/v1/releases', { query: [['limit', '-3']] }, 422],
      ['GET', '/api/v1/approvals', { query: [['limit', '2.5']] }, 422],
      ['GET', '/api/v1/incidents', { query: [['limit', '27.82174934710372']] }, 422],
      ['GET', '/api/v1/experiments', { query: [['limit', '1e999']] }, 422],
      ['GET', '/api/v1/releases/{id}/metrics', { params: { id: release }, query: [['since', '-203021-01-22T06:56:32.723Z']] }, 200],
      ['POST', '/api/v1/releases/{id}/{action}', { params: { id: release, action: 'constructor' } }, 404],
      ['POST', '/api/v1/releases/{id}/{action}', { params: { id: release, action: 'toString' } }, 404],
      ['POST', '/api/v1/alerts/{id}/{action}', { params: { id: alert, action: 'constructor' } }, 404],
      ['PUT', '/api/v1/models/{name}/metrics-source', { params: { name: 'fraud-detector\u0000' }, body: { kind: 'text', text: '{"preset":"kserve"}', note: 'valid' } }, 422],
    ];
    for (const [method, template, overrides, expected] of cases) {
      const endpoint = endpoints.find((e) => e.method === method && e.template === template);
      expect(endpoint, `${method} ${template} is fuzzed`).toBeDefined();
      const r: FuzzRequest = { caller: 'admin', authorization: '', params: {}, catchAll: [], everyByte: false, query: [], contentType: 'application/json', framing: 'length', headers: [], body: { kind: 'none' }, signed: false, ...overrides };
      expect(await send(endpoint!, r), `${method} ${template} ${describeRequest(r)}`).toBe(expected);
    }
  });

  for (const endpoint of endpoints) {
    it(`${endpointName(endpoint)}: never 5xx, always the error shape, refusals store nothing`, async () => {
      const last = { state: await app.state.databaseState(db) };
      await fc.assert(
        fc.asyncProperty(requestArbitrary(endpoint, world, keys), async (r) => {
          try {
            const status = await send(endpoint, r);
            await checkDatabase(last, endpoint, status, r);
          } catch (error) {
            // Start afresh, so that each shrinking run is judged on its own.
            last.state = await app.state.databaseState(db);
            throw new Error(`${(error as Error).message}\n  request: ${describeRequest(r)}`, { cause: error });
          }
        }),
        runParameters(RUNS),
      );
    }, TIMEOUT);
  }

  // Every endpoint that reads a body, with real path segments (not the [action] ones fuzzed on their own).
  for (const endpoint of endpoints.filter((e) => e.method !== 'GET' && e.module.bodyLimit !== undefined && !e.catchAll && !e.params.includes('action'))) {
    const limit = endpoint.module.bodyLimit!;
    it(`${endpointName(endpoint)}: a body over ${limit.toLocaleString('en')} bytes is a 413 and stores nothing`, async () => {
      const before = await app.state.databaseState(db);
      const oversized = fc.record({
        caller: fc.constantFrom<Caller>('admin', 'admin', 'viewer', 'anonymous'),
        params: fc.record(Object.fromEntries(endpoint.params.map((p) => [p, fc.constantFrom(...realsFor(world, endpoint, p))]))) as fc.Arbitrary<Record<string, string>>,
        framing: fc.constantFrom<Framing>('length', 'chunked', 'lie-small'),
        body: oversizedBody(limit),
      });
      await fc.assert(
        fc.asyncProperty(oversized, async (o) => {
          const r: FuzzRequest = { ...o, authorization: '', catchAll: [], everyByte: false, query: [], contentType: 'application/json', headers: [], signed: false };
          const status = await send(endpoint, r);
          // Without credentials a 401 is as good a refusal (the MLflow webhook reads first: its signature is the credential).
          const expected = { admin: [413], viewer: [413, 403], anonymous: [401, 413], malformed: [401, 413] }[r.caller];
          expect(expected, `${r.caller}, ${r.framing}, ${r.body.kind === 'none' ? '' : r.body.note}: got ${status}`).toContain(status);
        }),
        runParameters(OVERSIZED_RUNS),
      );
      expect(app.state.stateDifference(before, await app.state.databaseState(db))).toEqual([]);
    }, TIMEOUT);
  }
});
