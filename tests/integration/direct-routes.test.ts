import { Agent, createServer, request as httpRequest, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { and, eq } from 'drizzle-orm';
import type { Database } from '@/db';
import { auditEvents, metricSamples, releases } from '@/db/schema';
import SECURITY_HEADERS from '@/lib/http/security-headers.json';

// One embedded database for the route handlers (they open it through getDb, as in production).
process.env.FLIGHTDECK_DATA_DIR = 'memory://';
delete process.env.DATABASE_URL;

const loadApp = async () => ({
  direct: await import('@/lib/http/direct-routes'),
  table: await import('@/app/api/v1/direct-routes'),
  routing: await import('@/app/api/v1/services/[service]/routing/route'),
  db: await import('@/db'),
  services: await import('@/lib/services'),
  systemActor: await import('@/lib/auth/system-actor'),
  experiments: await import('../support/experiment-fixtures'),
  fixtures: await import('../support/fixtures'),
});

type Answer = { status: number; headers: Record<string, string | string[] | undefined>; body: string };

/**
 * server.mjs's dispatcher in a real HTTP server, with a stand-in for Next.js that answers 299:
 * which requests the direct path takes, and that what it answers is the route handler's own answer
 * with the headers next.config.js would add.
 */
describe('direct /api/v1 routes (server.mjs without Next.js router)', () => {
  let app: Awaited<ReturnType<typeof loadApp>>;
  let db: Database;
  let server: Server;
  let port: number;
  let secret: string;
  let target: { model: string; environment: string };
  const toNext: string[] = [];

  beforeAll(async () => {
    app = await loadApp();
    db = await app.db.getDb();
    const serveDirect = app.direct.directRoutes(app.table.DIRECT_ROUTES);
    server = createServer((req, res) => {
      if (serveDirect(req, res)) return;
      toNext.push(`${req.method} ${req.url}`);
      req.resume();
      res.writeHead(299, { 'content-type': 'text/plain' }).end('next');
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    port = (server.address() as AddressInfo).port;
    secret = (await app.services.createApiKey({ actor: app.systemActor.systemActor('bootstrap'), db }, { name: `direct-${app.fixtures.unique()}`, roles: ['admin'], scopes: ['read', 'metrics', 'releases'] })).secret;
    target = await app.experiments.liveModel(db);
  });
  afterAll(async () => {
    await new Promise((resolve) => server?.close(resolve));
    if (app) await (await app.db.getDbHandle()).close();
  });

  /** Raw http.request: fetch would not send a hostile Host header, nor HEAD's exact semantics. */
  const call = (method: string, path: string, headers: Record<string, string> = {}, body?: string | Buffer) =>
    new Promise<Answer>((resolve, reject) => {
      const req = httpRequest({ host: '127.0.0.1', port, method, path, headers: { ...headers, ...(body !== undefined ? { 'content-length': String(Buffer.byteLength(body)) } : {}) } }, (res) => {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (c: string) => (text += c));
        res.on('end', () => resolve({ status: res.statusCode!, headers: res.headers, body: text }));
      });
      req.on('error', reject);
      req.end(body);
    });
  const bearer = () => ({ authorization: `Bearer ${secret}` });
  const routingPath = () => `/api/v1/services/${target.model}/routing?environment=${target.environment}`;
  const wentToNext = async (method: string, path: string, headers: Record<string, string> = {}, body?: string) => {
    const before = toNext.length;
    const answer = await call(method, path, headers, body);
    return answer.status === 299 && toNext.length === before + 1;
  };

  it("answers the routing endpoint with the handler's own JSON, ETag and 304, and the /api security headers", async () => {
    const answer = await call('GET', routingPath(), bearer());
    expect(answer.status).toBe(200);
    const inProcess = await app.routing.GET(new Request(`http://test${routingPath()}`, { headers: bearer() }), { params: Promise.resolve({ service: target.model }) });
    expect(JSON.parse(answer.body)).toEqual(await inProcess.json());
    expect(JSON.parse(answer.body)).toMatchObject({ service: target.model, versions: [{ version: '1.0.0', weight: 100, role: 'stable' }] });
    expect(answer.headers.etag).toBe(inProcess.headers.get('etag'));
    for (const { key, value } of [...SECURITY_HEADERS.everyResponse, ...SECURITY_HEADERS.api]) expect(answer.headers[key.toLowerCase()]).toBe(value);
    expect(answer.headers['strict-transport-security']).toBeUndefined();
    expect(answer.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
    expect(answer.headers.traceparent).toMatch(/^00-[0-9a-f]{32}-[0-9a-f]{16}-01$/);
    expect(Number(answer.headers['content-length'])).toBe(Buffer.byteLength(answer.body));

    const again = await call('GET', routingPath(), { ...bearer(), 'if-none-match': answer.headers.etag as string });
    expect(again.status).toBe(304);
    expect(again.body).toBe('');
  });

  it('adds HSTS behind a TLS proxy, and answers 401 and 422 in the one error shape', async () => {
    const anonymous = await call('GET', routingPath(), { 'x-forwarded-proto': 'https' });
    expect(anonymous.status).toBe(401);
    expect(anonymous.headers['strict-transport-security']).toBe(SECURITY_HEADERS.overTls[0]!.value);
    expect(JSON.parse(anonymous.body)).toMatchObject({ error: { code: 'unauthenticated' } });
    const noEnvironment = await call('GET', `/api/v1/services/${target.model}/routing`, bearer());
    expect(noEnvironment.status).toBe(422);
    expect(JSON.parse(noEnvironment.body)).toMatchObject({ error: { code: 'invalid', details: { fields: { environment: [expect.any(String)] } } } });
  });

  it('reads the path and query from the request line, whatever the Host header says', async () => {
    const answer = await call('GET', routingPath(), { ...bearer(), host: 'evil.example/x?environment=nowhere#' });
    expect(answer.status).toBe(200);
    expect(JSON.parse(answer.body)).toMatchObject({ service: target.model, environment: target.environment });
  });

  it('leaves to Next.js: browser sessions, other methods and endpoints, encoded segments, trailing slashes, static siblings', async () => {
    expect(await wentToNext('GET', routingPath(), { cookie: 'theme=dark; next-auth.session-token=abc' })).toBe(true);
    expect(await wentToNext('GET', routingPath(), { cookie: '__Secure-next-auth.session-token.0=abc' })).toBe(true);
    expect(await wentToNext('HEAD', routingPath(), bearer())).toBe(true);
    expect(await wentToNext('POST', routingPath(), bearer())).toBe(true);
    expect(await wentToNext('GET', '/api/v1/me', bearer())).toBe(true);
    expect(await wentToNext('GET', `/api/v1/services/${target.model}%2Dx/routing?environment=x`, bearer())).toBe(true);
    expect(await wentToNext('GET', `/api/v1/services/${target.model}/routing/?environment=x`, bearer())).toBe(true);
    expect(await wentToNext('GET', `http://127.0.0.1/api/v1/services/${target.model}/routing?environment=x`, bearer())).toBe(true);
    for (const sibling of ['metrics', 'record', 'constructor', 'rollbackx'])
      expect(await wentToNext('POST', `/api/v1/releases/00000000-0000-4000-8000-000000000000/${sibling}`, bearer(), '{}')).toBe(true);
    // A cookie that is not a session does not matter: load balancers add their own.
    expect(await wentToNext('GET', routingPath(), { ...bearer(), cookie: 'AWSALB=sticky' })).toBe(false);
  });

  it('rolls a release back: the use case runs, the database and the audit log change, the request id is kept', async () => {
    const release = await app.services.requestRelease(app.fixtures.setUp(db), { model: target.model, version: '1.1.0', environment: target.environment, strategy: 'canary', plan: [{ weight: 10 }, { weight: 100 }] });
    await app.services.startRelease(app.fixtures.setUp(db), { releaseId: release.id });
    const answer = await call('POST', `/api/v1/releases/${release.id}/rollback`, { ...bearer(), 'content-type': 'application/json', 'x-request-id': 'direct-rollback-1' }, JSON.stringify({ reason: 'direct path test' }));
    expect(answer.status).toBe(200);
    expect(answer.headers['x-request-id']).toBe('direct-rollback-1');
    expect(JSON.parse(answer.body)).toMatchObject({ changed: true, release: { id: release.id, state: 'rolled_back' } });
    const [row] = await db.select({ state: releases.state }).from(releases).where(eq(releases.id, release.id));
    expect(row!.state).toBe('rolled_back');
    const events = await db.select().from(auditEvents).where(and(eq(auditEvents.targetId, release.id), eq(auditEvents.action, 'release.rollback')));
    expect(events).toHaveLength(1);
    expect(events[0]!.metadata).toMatchObject({ via: 'api', requestId: 'direct-rollback-1' });

    // A key that may roll back but not read (releases scope only) is answered with the release it
    // rolled back, not refused after the fact.
    const pager = (await app.services.createApiKey({ actor: app.systemActor.systemActor('bootstrap'), db }, { name: `pager-${app.fixtures.unique()}`, roles: ['oncall'], scopes: ['releases'] })).secret;
    const second = await app.services.requestRelease(app.fixtures.setUp(db), { model: target.model, version: '1.1.0', environment: target.environment, strategy: 'canary', plan: [{ weight: 10 }, { weight: 100 }] });
    await app.services.startRelease(app.fixtures.setUp(db), { releaseId: second.id });
    const byPager = await call('POST', `/api/v1/releases/${second.id}/rollback`, { authorization: `Bearer ${pager}`, 'content-type': 'application/json' }, JSON.stringify({ reason: 'paged' }));
    expect(byPager.status).toBe(200);
    expect(JSON.parse(byPager.body)).toMatchObject({ changed: true, release: { id: second.id, state: 'rolled_back', incident: { releaseId: second.id } } });

    const unknown = await call('POST', '/api/v1/releases/00000000-0000-4000-8000-000000000000/rollback', { ...bearer(), 'content-type': 'application/json' }, JSON.stringify({ reason: 'no such release' }));
    expect(JSON.parse(unknown.body)).toMatchObject({ error: { code: 'not_found' } });
    expect(unknown.status).toBe(404);
  });

  it('streams the ingest body to the handler: stored on 202; refused with 413, 415 and 400, storing nothing', async () => {
    const release = await app.services.requestRelease(app.fixtures.setUp(db), { model: target.model, version: '1.2.0', environment: target.environment, strategy: 'canary', plan: [{ weight: 10 }, { weight: 100 }] });
    await app.services.startRelease(app.fixtures.setUp(db), { releaseId: release.id });
    const sample = (variant: string) => ({ releaseId: release.id, variant, metric: 'error_rate', kind: 'counter', bucketStart: new Date(Date.now() - 60_000).toISOString().replace(/\d\d\.\d+Z$/, '00Z'), count: 100, errors: 1 });
    const stored = async () => (await db.select({ at: metricSamples.bucketStart }).from(metricSamples).where(eq(metricSamples.releaseId, release.id))).length;
    const json = { ...bearer(), 'content-type': 'application/json' };

    const accepted = await call('POST', '/api/v1/metrics', json, JSON.stringify({ samples: [sample('baseline'), sample('canary')] }));
    expect(accepted.status).toBe(202);
    expect(await stored()).toBe(2);

    const huge = Buffer.alloc(8_000_001, ' ');
    const tooLarge = await call('POST', '/api/v1/metrics', json, huge);
    expect(tooLarge.status).toBe(413);
    expect(JSON.parse(tooLarge.body)).toMatchObject({ error: { code: 'payload_too_large' } });
    expect((await call('POST', '/api/v1/metrics', { ...bearer(), 'content-type': 'text/plain' }, 'samples')).status).toBe(415);
    const broken = await call('POST', '/api/v1/metrics', json, '{"samples": [');
    expect(broken.status).toBe(400);
    expect(JSON.parse(broken.body)).toMatchObject({ error: { code: 'bad_request' } });
    expect(await stored()).toBe(2);
  });

  it('refuses a chunked body once it passes the limit, and closes that connection; a read body keeps it alive', async () => {
    const agent = new Agent({ keepAlive: true, maxSockets: 1 });
    const send = (chunks: number, chunk: Buffer) =>
      new Promise<Answer & { socket: unknown }>((resolve, reject) => {
        // No content-length: the size is only known by reading, so the 413 comes from the read itself.
        const req = httpRequest({ host: '127.0.0.1', port, agent, method: 'POST', path: '/api/v1/metrics', headers: { ...bearer(), 'content-type': 'application/json', 'transfer-encoding': 'chunked' } }, (res) => {
          let text = '';
          res.setEncoding('utf8');
          res.on('data', (c: string) => (text += c));
          res.on('end', () => resolve({ status: res.statusCode!, headers: res.headers, body: text, socket: req.socket }));
        });
        req.on('error', reject);
        const write = (i: number): void => {
          if (i === chunks) return void req.end();
          if (req.destroyed) return;
          req.write(chunk, () => write(i + 1));
        };
        write(0);
      });
    try {
      const refused = await send(9, Buffer.alloc(1_000_000, ' '));
      expect(refused.status).toBe(413);
      expect(JSON.parse(refused.body)).toMatchObject({ error: { code: 'payload_too_large' } });
      expect(refused.headers.connection).toBe('close');

      const first = await send(1, Buffer.from('{"samples": []}'));
      const second = await send(1, Buffer.from('{"samples": []}'));
      expect(first.status).toBe(422);
      expect(first.headers.connection).toBe('keep-alive');
      expect(second.socket).toBe(first.socket);
    } finally {
      agent.destroy();
    }
  });
});
