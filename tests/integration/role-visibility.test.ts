// First: it points the process-wide database at this suite's own before any app module loads.
import { closeProcessDatabase, onPostgres, openProcessDatabase } from '../support/process-database';
import { randomBytes, randomUUID } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '@/db';
import type { Actor, Permission, Role, Scope } from '@/lib/domain/roles';
import type { World } from '../fuzz/seed';
import { secretScanner, type Secret, type SecretScanner } from '../support/secret-scan';
import { startReceiver } from '../support/webhook-receiver';

/**
 * Issue: "no page or API leaks another role's data" and "secrets never logged".
 *
 * Every GET route under app/api (found on disk, so a new one must be classified below) is called
 * in-process with the API key of each role, with keys whose scopes narrow the role, with unknown,
 * revoked and no credentials. For each call: the status is 403 exactly when `can()` refuses the
 * route's permission (401 without a valid caller), and neither the body nor the headers hold any
 * secret — API keys and their stored hashes, password hashes and passwords, webhook signing
 * secrets as created and as stored, the MLflow token, webhook secret and URL password,
 * NEXTAUTH_SECRET, the OIDC client secret, the audit checkpoint signing key.
 *
 * Everything written to the console (and so every lib/server/log.ts line, with the access log on)
 * and every error report sent to Sentry during the whole file is kept, and the last test asserts
 * that none of it holds a secret either — after provoking failures: unknown and revoked keys, a
 * user created twice with a password, webhooks and API keys created, and inserts made to fail in
 * the database (a trigger) so that the failed query, whose parameters hold the new password hash
 * or signing secret, reaches the 500 path that logs and reports it.
 */

const token = (prefix: string) => `${prefix}-${randomBytes(18).toString('base64url')}`;

// The route handlers read their configuration once, on first use: everything is set before any
// app module is loaded (they are imported in beforeAll).
const ENV: Record<string, string | undefined> = {
  FLIGHTDECK_API_RATE_LIMIT: '0',
  FLIGHTDECK_ACCESS_LOG: '1', // one log line per request: more lines that could carry a secret
  FLIGHTDECK_DISABLE_WORKERS: '1',
  FLIGHTDECK_DEMO: undefined,
  FLIGHTDECK_LOG_FORMAT: 'text',
  NEXTAUTH_SECRET: token('nextauth-secret'),
  FLIGHTDECK_OIDC_ISSUER: 'https://sso.invalid',
  FLIGHTDECK_OIDC_CLIENT_ID: 'flightdeck',
  FLIGHTDECK_OIDC_CLIENT_SECRET: token('oidc-client-secret'),
  FLIGHTDECK_BOOTSTRAP_ADMIN_EMAIL: 'bootstrap-admin@test.example',
  FLIGHTDECK_BOOTSTRAP_ADMIN_PASSWORD: token('bootstrap-password'),
  FLIGHTDECK_BOOTSTRAP_API_KEY: token('bootstrap-api-key'),
  // MLflow "configured" but down (nothing listens on port 9), with credentials in its URL as the
  // integration allows: a sync fails at once and its failure is kept and shown to everyone.
  FLIGHTDECK_MLFLOW_URL: `http://mlflow-robot:${token('mlflow-url-password')}@127.0.0.1:9`,
  FLIGHTDECK_MLFLOW_TOKEN: token('mlflow-token'),
  FLIGHTDECK_MLFLOW_WEBHOOK_SECRET: token('mlflow-webhook-secret'),
  FLIGHTDECK_MLFLOW_SYNC_SECONDS: '0',
  SENTRY_DSN: undefined, // set in beforeAll to a local receiver
};
const savedEnv = Object.fromEntries(Object.keys(ENV).map((k) => [k, process.env[k]]));
for (const [name, value] of Object.entries(ENV))
  if (value === undefined) delete process.env[name];
  else process.env[name] = value;

// --- what the console and stdout/stderr receive, from the first line on ---------------------

const logged: string[] = [];
const restoreOutput: (() => void)[] = [];
function captureOutput() {
  for (const method of ['log', 'error', 'warn', 'info', 'debug'] as const) {
    const original = console[method];
    console[method] = (...args: unknown[]) => void logged.push(args.map((a) => (typeof a === 'string' ? a : a instanceof Error ? `${a.stack}` : JSON.stringify(a))).join(' '));
    restoreOutput.push(() => (console[method] = original));
  }
  for (const stream of [process.stdout, process.stderr]) {
    const original = stream.write.bind(stream);
    stream.write = ((chunk: unknown, ...rest: unknown[]) => {
      logged.push(String(chunk));
      return (original as (...a: unknown[]) => boolean)(chunk, ...rest);
    }) as typeof stream.write;
    restoreOutput.push(() => (stream.write = original as typeof stream.write));
  }
}
captureOutput();

// --- every GET route, and the permission it needs ---------------------------------------------

const API_DIR = join(process.cwd(), 'app/api');

/** Route directories under app/api (`v1/models/[name]`) whose route.ts exports GET; NextAuth's own is not ours. */
function getRoutesOnDisk(): { dir: string; file: string }[] {
  const walk = (dir: string): string[] =>
    readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? walk(join(dir, e.name)) : e.name === 'route.ts' ? [join(dir, e.name)] : []));
  return walk(API_DIR)
    .map((file) => ({ dir: relative(API_DIR, join(file, '..')), file }))
    .filter(({ dir }) => dir !== 'auth/[...nextauth]')
    .filter(({ file }) => /export (?:const|async function|function) GET\b|\bas GET\b/.test(readFileSync(file, 'utf8')))
    .sort((a, b) => a.dir.localeCompare(b.dir));
}

/**
 * Who may read what, written out rather than derived from the code under test. `public`: anyone,
 * even without credentials; `signed-in`: any valid caller whatever its roles and scopes.
 * Settings that name internal systems or credentials (API keys, webhooks and their deliveries)
 * are for admins; everything else a viewer may read.
 */
type Access = Permission | 'signed-in' | 'public';
const GET_ACCESS: Record<string, Access> = {
  health: 'public',
  metrics: 'dashboard.read',
  'v1/[...path]': 'public', // unknown paths: 404 for everyone
  'v1/alerts': 'dashboard.read',
  'v1/alerts/[id]': 'dashboard.read',
  'v1/api-keys': 'api_key.manage',
  'v1/approvals': 'dashboard.read',
  'v1/audit': 'dashboard.read',
  'v1/audit/checkpoints': 'dashboard.read',
  'v1/audit/export': 'dashboard.read',
  'v1/audit/verify': 'dashboard.read',
  'v1/environments': 'dashboard.read',
  'v1/experiments': 'dashboard.read',
  'v1/experiments/[id]': 'dashboard.read',
  'v1/experiments/[id]/results': 'dashboard.read',
  'v1/incidents': 'dashboard.read',
  'v1/incidents/[id]': 'dashboard.read',
  'v1/integrations/mlflow': 'dashboard.read',
  'v1/me': 'signed-in',
  'v1/models': 'dashboard.read',
  'v1/models/[name]': 'dashboard.read',
  'v1/models/[name]/drift': 'dashboard.read',
  'v1/models/[name]/drift/[feature]': 'dashboard.read',
  'v1/models/[name]/slos': 'dashboard.read',
  'v1/models/[name]/versions': 'dashboard.read',
  'v1/models/[name]/versions/[version]': 'dashboard.read',
  'v1/openapi.json': 'public',
  'v1/releases': 'dashboard.read',
  'v1/releases/[id]': 'dashboard.read',
  'v1/releases/[id]/metrics': 'dashboard.read',
  'v1/releases/[id]/record': 'dashboard.read',
  'v1/services/[service]/routing': 'dashboard.read',
  'v1/users': 'dashboard.read',
  'v1/webhooks': 'webhook.manage',
  'v1/webhooks/[id]/deliveries': 'webhook.manage',
};
/** What an allowed caller gets; 200 unless said here. */
const OK_STATUS: Record<string, number> = { 'v1/[...path]': 404 };

type Probe = { dir: string; params: Record<string, string | string[]>; query?: string };

/** The requests: every route with the seeded world's names and ids in its path, lists with filters that widen them. */
function probes(w: World, extra: { webhookIds: string[] }): Probe[] {
  const [model, ranker] = w.models as [string, string];
  const p = (dir: string, params: Record<string, string | string[]> = {}, query?: string): Probe => ({ dir, params, query });
  return [
    p('health'),
    p('metrics'),
    p('v1/[...path]', { path: ['no', 'such', 'endpoint'] }),
    p('v1/alerts'),
    p('v1/alerts', {}, 'state=all'),
    ...w.ids.alerts.map((id) => p('v1/alerts/[id]', { id })),
    p('v1/api-keys'),
    p('v1/approvals'),
    p('v1/audit', {}, 'limit=200'),
    p('v1/audit', {}, 'q=secret'),
    p('v1/audit/checkpoints'),
    p('v1/audit/export', {}, 'format=jsonl'),
    p('v1/audit/export', {}, 'format=csv'),
    p('v1/audit/verify'),
    p('v1/environments'),
    p('v1/experiments'),
    ...w.ids.experiments.flatMap((id) => [p('v1/experiments/[id]', { id }), p('v1/experiments/[id]/results', { id })]),
    p('v1/incidents'),
    ...w.ids.incidents.map((id) => p('v1/incidents/[id]', { id })),
    p('v1/integrations/mlflow'),
    p('v1/me'),
    p('v1/models'),
    ...[model, ranker].flatMap((name) => [p('v1/models/[name]', { name }), p('v1/models/[name]/versions', { name }), p('v1/models/[name]/slos', { name }), p('v1/models/[name]/drift', { name })]),
    // The seeded production window covers `country` only; `amount` has a reference but no window (404).
    p('v1/models/[name]/drift/[feature]', { name: model, feature: 'country' }),
    ...w.versions.map((version) => p('v1/models/[name]/versions/[version]', { name: model, version })),
    p('v1/openapi.json'),
    p('v1/releases'),
    ...w.ids.releases.flatMap((id) => [p('v1/releases/[id]', { id }), p('v1/releases/[id]/metrics', { id }), p('v1/releases/[id]/record', { id })]),
    p('v1/releases/[id]/record', { id: w.ids.releases[0]! }, 'download=1'),
    ...w.environments.map((environment) => p('v1/services/[service]/routing', { service: model }, `environment=${environment}`)),
    p('v1/services/[service]/routing', { service: model }, 'environment=production&format=istio'),
    p('v1/users'),
    p('v1/webhooks'),
    ...extra.webhookIds.map((id) => p('v1/webhooks/[id]/deliveries', { id })),
  ];
}

const pathOf = (probe: Probe) =>
  probe.dir
    .split('/')
    .map((segment) => {
      const name = /^\[(?:\.\.\.)?(\w+)\]$/.exec(segment)?.[1];
      if (!name) return segment;
      const value = probe.params[name]!;
      return Array.isArray(value) ? value.map(encodeURIComponent).join('/') : encodeURIComponent(value);
    })
    .join('/');

// --- callers ------------------------------------------------------------------------------------

/** Each role's key with the scopes that role works with, and keys whose scopes narrow their roles. */
const KEYS: { label: string; roles: Role[]; scopes: Scope[] }[] = [
  { label: 'viewer', roles: [], scopes: ['read'] },
  { label: 'ml_lead', roles: ['ml_lead'], scopes: ['read', 'registry', 'releases', 'metrics'] },
  { label: 'reviewer', roles: ['reviewer'], scopes: ['read', 'releases'] },
  { label: 'oncall', roles: ['oncall'], scopes: ['read', 'releases', 'metrics'] },
  { label: 'admin', roles: ['admin'], scopes: ['admin'] },
  { label: 'ml_lead with only the metrics scope', roles: ['ml_lead'], scopes: ['metrics'] },
  { label: 'admin with only the read scope', roles: ['admin'], scopes: ['read'] },
  { label: 'admin with registry and releases scopes', roles: ['admin'], scopes: ['registry', 'releases'] },
];
type Caller = { label: string; secret?: string; actor: Actor | null };

const loadApp = async () => ({
  db: await import('@/db'),
  schema: await import('@/db/schema'),
  drizzle: await import('drizzle-orm'),
  config: await import('@/lib/config'),
  roles: await import('@/lib/domain/roles'),
  mlflow: await import('@/lib/domain/mlflow'),
  services: await import('@/lib/services'),
  checkpoints: await import('@/lib/services/audit/checkpoints'),
  authSecret: await import('@/lib/auth/auth-secret'),
  actors: await import('@/lib/auth/actors'),
  systemActor: await import('@/lib/auth/system-actor'),
  startup: await import('@/lib/server/startup'),
  webhookWorker: await import('@/lib/server/webhook-worker'),
  errorReporter: await import('@/lib/server/observability/error-reporter'),
  seed: await import('../fuzz/seed'),
  fixtures: await import('../support/fixtures'),
});

type Handler = (req: Request, ctx: { params: Promise<Record<string, string | string[]>> }) => Promise<Response>;
type Sent = { status: number; text: string; headers: string };

describe(`role visibility and secrets${onPostgres ? ' on Postgres' : ''}`, () => {
  let app: Awaited<ReturnType<typeof loadApp>>;
  let db: Database;
  let world: World;
  let sentry: Awaited<ReturnType<typeof startReceiver>>;
  const routes = getRoutesOnDisk();
  const modules = new Map<string, Record<string, Handler>>();
  const callers: Caller[] = [];
  const created: Secret[] = []; // secrets known only at creation: API keys, webhook secrets as returned, passwords
  const webhookIds: string[] = [];
  const adminKey = () => callers.find((c) => c.label === 'admin')!.secret!;
  let scanner: SecretScanner;

  function request(method: string, path: string, opts: { key?: string; body?: unknown; headers?: Record<string, string>; raw?: string } = {}) {
    const headers = new Headers(opts.headers);
    if (opts.key) headers.set('authorization', `Bearer ${opts.key}`);
    const payload = opts.raw ?? (opts.body === undefined ? undefined : JSON.stringify(opts.body));
    if (payload !== undefined && !headers.has('content-type')) headers.set('content-type', 'application/json');
    return new Request(`http://test/api/${path}`, { method, headers, body: payload });
  }

  async function call(method: string, dir: string, path: string, opts: Parameters<typeof request>[2] & { params?: Record<string, string | string[]> } = {}): Promise<Sent> {
    if (!modules.has(dir)) modules.set(dir, (await import(/* @vite-ignore */ join(API_DIR, dir, 'route.ts'))) as Record<string, Handler>);
    const response = await modules.get(dir)![method]!(request(method, path, opts), { params: Promise.resolve(opts.params ?? {}) });
    // Streamed bodies (the audit export) are read to the end: every byte is checked.
    const text = await response.text();
    return { status: response.status, text, headers: JSON.stringify([...response.headers]) };
  }

  /** Every secret there is now: the ones created, and what the database stores (hashes, signing secrets). */
  async function allSecrets(): Promise<Secret[]> {
    const { apiKeys, users, webhooks } = app.schema;
    const secrets: Secret[] = [...created];
    for (const key of await db.select().from(apiKeys)) secrets.push({ label: `API key hash: ${key.name}`, value: key.secretHash });
    for (const user of await db.select().from(users)) if (user.passwordHash) secrets.push({ label: `password hash: ${user.email}`, value: user.passwordHash });
    for (const hook of await db.select().from(webhooks)) secrets.push({ label: `webhook secret as stored: ${hook.url}`, value: hook.secret });
    const config = app.config.getConfig();
    secrets.push(
      { label: 'NEXTAUTH_SECRET', value: ENV.NEXTAUTH_SECRET! },
      { label: 'session signing key in use', value: app.authSecret.getAuthSecret(config) },
      { label: 'OIDC client secret', value: ENV.FLIGHTDECK_OIDC_CLIENT_SECRET! },
      { label: 'bootstrap admin password', value: ENV.FLIGHTDECK_BOOTSTRAP_ADMIN_PASSWORD! },
      { label: 'bootstrap API key', value: ENV.FLIGHTDECK_BOOTSTRAP_API_KEY! },
      { label: 'MLflow token', value: ENV.FLIGHTDECK_MLFLOW_TOKEN! },
      { label: 'MLflow webhook secret', value: ENV.FLIGHTDECK_MLFLOW_WEBHOOK_SECRET! },
      { label: 'MLflow URL password', value: new URL(ENV.FLIGHTDECK_MLFLOW_URL!).password },
      { label: 'audit checkpoint private key', value: app.checkpoints.checkpointKeys().privateKeyPem },
    );
    if (onPostgres) secrets.push({ label: 'DATABASE_URL', value: process.env.DATABASE_URL! });
    return secrets;
  }

  beforeAll(async () => {
    sentry = await startReceiver();
    process.env.SENTRY_DSN = `http://publickey@${new URL(sentry.url).host}/7`;
    await openProcessDatabase();
    app = await loadApp();
    db = await app.db.getDb();
    const system = { actor: app.systemActor.systemActor('bootstrap'), db };

    // The world: models, versions, environments, releases (one rolled back, with its incident), an
    // experiment, an alert, drift, an SLO, a webhook, users and a key (tests/fuzz/seed.ts).
    world = await app.seed.seedWorld(db);
    // Start-up as a server does it: validates the configuration and imports the bootstrap API key (logging as it goes).
    await app.startup.prepareServer();

    // People who sign in with a password.
    for (const roles of [['admin'], ['ml_lead'], []] as Role[][]) {
      const password = token(`password-${roles[0] ?? 'viewer'}`);
      const user = await app.services.createUser(system, { email: `${roles[0] ?? 'viewer'}-${app.fixtures.unique()}@test.example`, name: `Person ${roles[0] ?? 'viewer'}`, roles, password });
      created.push({ label: `password: ${user.email}`, value: password });
    }

    // One key per caller, a revoked one and an unknown one.
    for (const { label, roles, scopes } of KEYS) {
      const key = await app.services.createApiKey(system, { name: `key-${label.replace(/\W+/g, '-')}`, roles, scopes });
      created.push({ label: `API key: ${key.name}`, value: key.secret });
      callers.push({ label, secret: key.secret, actor: await app.actors.actorFromApiKey(db, key.secret) });
    }
    const revoked = await app.services.createApiKey(system, { name: 'key-revoked', roles: ['admin'], scopes: ['admin'] });
    await app.services.revokeApiKey(system, { apiKeyId: revoked.id });
    created.push({ label: 'API key: key-revoked', value: revoked.secret });
    const unknown = `fdk_${randomBytes(24).toString('base64url')}`;
    created.push({ label: 'API key never issued', value: unknown });
    callers.push({ label: 'revoked admin key', secret: revoked.secret, actor: null }, { label: 'unknown key', secret: unknown, actor: null }, { label: 'no credentials', actor: null });

    // Webhooks through the API, as an admin does it (the only answer that carries the secret).
    for (const url of ['https://hooks.example.com/role-visibility', 'http://127.0.0.1:9/unreachable']) {
      const res = await call('POST', 'v1/webhooks', 'v1/webhooks', { key: adminKey(), body: { url, events: ['*'] } });
      expect(res.status, res.text).toBe(201);
      const hook = JSON.parse(res.text) as { id: string; secret: string };
      created.push({ label: `webhook secret as created: ${url}`, value: hook.secret });
      webhookIds.push(hook.id);
    }
    webhookIds.push(...world.ids.webhooks);

    // Something for the webhooks to deliver (a signed checkpoint), delivered: one receiver answers, one fails.
    await app.services.createAuditCheckpoint({ actor: app.systemActor.systemActor('controller'), db }, {});
    const fakeFetch = (async (url: string | URL | Request) => {
      if (String(url).includes('unreachable')) throw new TypeError('fetch failed', { cause: new Error('connect ECONNREFUSED 127.0.0.1:9') });
      return new Response('thanks', { status: 200 });
    }) as typeof fetch;
    await app.webhookWorker.deliverDueWebhooks(db, { fetch: fakeFetch });

    // An MLflow sync and a signed MLflow webhook: both fail (MLflow is down), and the failed passes are kept.
    expect((await call('POST', 'v1/integrations/mlflow/sync', 'v1/integrations/mlflow/sync', { key: adminKey(), body: {} })).status).toBe(502);
    const event = JSON.stringify({ entity: 'model_version', action: 'created', timestamp: new Date().toISOString(), data: { name: 'fraud-detector', version: '1', source: 'models:/m-1' } });
    const signed = app.mlflow.mlflowWebhookHeaders(ENV.FLIGHTDECK_MLFLOW_WEBHOOK_SECRET!, randomUUID(), Math.floor(Date.now() / 1000), event);
    expect((await call('POST', 'v1/integrations/mlflow/webhook', 'v1/integrations/mlflow/webhook', { raw: event, headers: signed })).status).toBe(502);

    scanner = secretScanner(await allSecrets());
  }, 180_000);

  afterAll(async () => {
    for (const restore of restoreOutput.reverse()) restore();
    for (const [name, value] of Object.entries(savedEnv))
      if (value === undefined) delete process.env[name];
      else process.env[name] = value;
    await new Promise((resolve) => sentry?.server.close(resolve));
    await closeProcessDatabase();
  });

  it('classifies every GET route on disk, and probes each one', () => {
    const onDisk = routes.map((r) => r.dir);
    expect(onDisk.filter((dir) => !(dir in GET_ACCESS)), 'GET routes missing from GET_ACCESS: say who may read them').toEqual([]);
    expect(Object.keys(GET_ACCESS).filter((dir) => !onDisk.includes(dir)), 'GET_ACCESS names routes that no longer exist').toEqual([]);
    const probed = new Set(probes(world, { webhookIds }).map((p) => p.dir));
    expect(onDisk.filter((dir) => !probed.has(dir)), 'GET routes no probe calls (is the seeded world missing something?)').toEqual([]);
  });

  it('knows every kind of secret, and the scanner finds each one wherever it appears', async () => {
    const kinds = new Set(scanner.secrets.map((s) => s.label.split(':')[0]));
    for (const kind of ['API key', 'API key hash', 'password', 'password hash', 'webhook secret as created', 'webhook secret as stored', 'NEXTAUTH_SECRET', 'MLflow token', 'MLflow webhook secret', 'MLflow URL password', 'OIDC client secret', 'audit checkpoint private key'])
      expect(kinds, kind).toContain(kind);
    expect(scanner.secrets.filter((s) => s.label.startsWith('API key hash')).length).toBeGreaterThanOrEqual(KEYS.length + 2);
    expect(scanner.secrets.filter((s) => s.label.startsWith('password hash')).length).toBeGreaterThanOrEqual(3);
    for (const secret of scanner.secrets) {
      expect(scanner.find(`{"data":${JSON.stringify({ nested: `…${secret.value}…` })}}`), secret.label).toContain(secret.label);
      expect(scanner.find(`flightdeck: something failed error=${JSON.stringify(secret.value)}`), secret.label).toContain(secret.label);
    }
    expect(scanner.find(JSON.stringify({ items: [{ id: randomUUID(), prefix: 'fdk_abcdef', name: 'ci' }] })), 'an API key prefix is not a secret').toEqual([]);
    // The one answer that is meant to carry a secret is caught: the create response.
    const res = await call('POST', 'v1/api-keys', 'v1/api-keys', { key: adminKey(), body: { name: 'scanner-check', scopes: ['read'] } });
    expect(res.status).toBe(201);
    expect(scanner.find(res.text)).toContain('a whole API key (fdk_…)');
  });

  for (const { label } of [...KEYS, { label: 'revoked admin key' }, { label: 'unknown key' }, { label: 'no credentials' }]) {
    it(`GET as ${label}: 403 exactly where can() refuses, and no secret in any answer`, async () => {
      const caller = callers.find((c) => c.label === label)!;
      const wrong: string[] = [];
      for (const probe of probes(world, { webhookIds })) {
        const access = GET_ACCESS[probe.dir]!;
        const path = `${pathOf(probe)}${probe.query ? `?${probe.query}` : ''}`;
        const ok = OK_STATUS[probe.dir] ?? 200;
        const expected =
          access === 'public' ? ok : !caller.actor ? 401 : access === 'signed-in' ? ok : app.roles.can(caller.actor, access) ? ok : 403;
        const sent = await call('GET', probe.dir, path, { key: caller.secret, params: probe.params });
        if (sent.status !== expected) wrong.push(`GET /api/${path}: ${sent.status}, expected ${expected} — ${sent.text.slice(0, 200)}`);
        const leaks = scanner.find(`${sent.headers}\n${sent.text}`);
        if (leaks.length) wrong.push(`GET /api/${path} (${sent.status}) shows ${leaks.join(', ')}`);
      }
      expect(wrong).toEqual([]);
    });
  }

  it('answers failures without secrets: unknown and revoked keys, a duplicate user, creates, and inserts that fail in the database', async () => {
    const key = adminKey();
    const answers: { what: string; sent: Sent }[] = [];
    const keep = (what: string, sent: Sent) => answers.push({ what, sent });
    const password = token('duplicate-user-password');
    created.push({ label: 'password: duplicate user', value: password });

    // The database refuses these rows: the failed insert's parameters hold a fresh hash or secret.
    const marker = 'role-visibility-explode';
    await db.execute(
      app.drizzle.sql.raw(`create or replace function fd_test_refuse() returns trigger language plpgsql as $$
        begin
          if to_jsonb(new)::text like '%${marker}%' then raise exception 'refused on purpose by the role-visibility test'; end if;
          return new;
        end $$`),
    );
    for (const table of ['users', 'webhooks', 'api_keys']) await db.execute(app.drizzle.sql.raw(`create trigger fd_test_refuse_${table} before insert on ${table} for each row execute function fd_test_refuse()`));
    try {
      for (const format of ['text', 'json']) {
        process.env.FLIGHTDECK_LOG_FORMAT = format;
        const email = `dup-${format}-${app.fixtures.unique()}@test.example`;
        const user = { email, name: 'Duplicate', roles: ['reviewer'], password };
        keep('user create', await call('POST', 'v1/users', 'v1/users', { key, body: user }));
        keep('duplicate user', await call('POST', 'v1/users', 'v1/users', { key, body: user }));
        keep('user with a short password', await call('POST', 'v1/users', 'v1/users', { key, body: { ...user, email: `x${email}`, password: 'short' } }));
        keep('user insert fails', await call('POST', 'v1/users', 'v1/users', { key, body: { ...user, email: `y${email}`, name: marker } }));
        keep('webhook create', await call('POST', 'v1/webhooks', 'v1/webhooks', { key, body: { url: `https://hooks.example.com/${format}`, events: ['release.rollback'] } }));
        keep('webhook insert fails', await call('POST', 'v1/webhooks', 'v1/webhooks', { key, body: { url: `https://hooks.example.com/${marker}`, events: ['*'] } }));
        keep('API key insert fails', await call('POST', 'v1/api-keys', 'v1/api-keys', { key, body: { name: marker, scopes: ['admin'], roles: ['admin'] } }));
        keep('API key create as a viewer', await call('POST', 'v1/api-keys', 'v1/api-keys', { key: callers.find((c) => c.label === 'viewer')!.secret, body: { name: 'nope', scopes: ['admin'] } }));
        for (const caller of callers.filter((c) => !c.actor && c.secret))
          keep(`user create with a ${caller.label}`, await call('POST', 'v1/users', 'v1/users', { key: caller.secret, body: { ...user, email: `z${email}` } }));
        keep('a malformed Authorization header', await call('GET', 'v1/users', 'v1/users', { headers: { authorization: `Basic ${Buffer.from(`admin:${password}`).toString('base64')}` } }));
        keep('an MLflow webhook with a bad signature', await call('POST', 'v1/integrations/mlflow/webhook', 'v1/integrations/mlflow/webhook', { raw: '{"entity":"model_version"}', headers: { 'content-type': 'application/json', 'x-mlflow-signature': 'v1,bad' } }));
      }
      // MLflow is down: the pass fails, is kept, and its reason is answered (to the caller, and to MLflow).
      keep('an MLflow sync', await call('POST', 'v1/integrations/mlflow/sync', 'v1/integrations/mlflow/sync', { key: callers.find((c) => c.label === 'ml_lead')!.secret, body: {} }));
      const event = JSON.stringify({ entity: 'model_version', action: 'created', timestamp: new Date().toISOString(), data: { name: 'ranker', version: '2', source: 'models:/m-2' } });
      const headers = app.mlflow.mlflowWebhookHeaders(ENV.FLIGHTDECK_MLFLOW_WEBHOOK_SECRET!, randomUUID(), Math.floor(Date.now() / 1000), event);
      keep('a signed MLflow webhook', await call('POST', 'v1/integrations/mlflow/webhook', 'v1/integrations/mlflow/webhook', { raw: event, headers }));
    } finally {
      process.env.FLIGHTDECK_LOG_FORMAT = 'text';
      for (const table of ['users', 'webhooks', 'api_keys']) await db.execute(app.drizzle.sql.raw(`drop trigger if exists fd_test_refuse_${table} on ${table}`));
    }

    const statuses = Object.fromEntries(answers.map(({ what, sent }) => [what, sent.status]));
    expect(statuses).toMatchObject({
      'user create': 201,
      'duplicate user': 409,
      'user with a short password': 422,
      'user insert fails': 500,
      'webhook create': 201,
      'webhook insert fails': 500,
      'API key insert fails': 500,
      'API key create as a viewer': 403,
      'user create with a revoked admin key': 401,
      'user create with a unknown key': 401,
      'a malformed Authorization header': 401,
      'an MLflow webhook with a bad signature': 401,
      'an MLflow sync': 502,
      'a signed MLflow webhook': 502,
    });
    for (const { sent } of answers.filter((a) => a.what === 'webhook create')) created.push({ label: 'webhook secret as created: during failures', value: (JSON.parse(sent.text) as { secret: string }).secret });
    scanner = secretScanner(await allSecrets());
    // Only the webhook create answers carry a secret (their own, once).
    const leaks = answers.filter((a) => a.what !== 'webhook create').flatMap(({ what, sent }) => scanner.find(`${sent.headers}\n${sent.text}`).map((l) => `${what} (${sent.status}): ${l}`));
    expect(leaks).toEqual([]);
  });

  it('after all of it, the users, keys and webhooks created while failing are not readable either', async () => {
    const viewer = callers.find((c) => c.label === 'viewer')!.secret!;
    const leaks: string[] = [];
    for (const key of [viewer, adminKey()])
      for (const probe of [{ dir: 'v1/users' }, { dir: 'v1/api-keys' }, { dir: 'v1/webhooks' }, { dir: 'v1/audit', query: 'limit=200' }, { dir: 'v1/audit/export', query: 'format=jsonl' }, { dir: 'v1/integrations/mlflow' }]) {
        const sent = await call('GET', probe.dir, `${probe.dir}${probe.query ? `?${probe.query}` : ''}`, { key });
        leaks.push(...scanner.find(sent.text).map((l) => `${key === viewer ? 'viewer' : 'admin'} GET ${probe.dir}: ${l}`));
      }
    expect(leaks).toEqual([]);
  });

  it('logged no secret during the whole file, and reported none to Sentry', async () => {
    await app.errorReporter.flushErrorReports();
    const text = logged.join('\n');
    // The log is not empty, and the provoked failures reached it (with the database's own words).
    expect(logged.some((line) => line.includes('method=GET'))).toBe(true);
    expect(logged.some((line) => line.includes('database ready'))).toBe(true);
    expect(logged.filter((line) => line.includes('unhandled error in api')).length).toBeGreaterThanOrEqual(6);
    expect(text).toContain('refused on purpose by the role-visibility test');
    expect(sentry.received.length).toBeGreaterThanOrEqual(6);

    const inLogs = logged.flatMap((line, i) => scanner.find(line).map((l) => `log line ${i}: ${l} — ${line.slice(0, 300)}`));
    expect(inLogs).toEqual([]);
    const inReports = sentry.received.flatMap((r, i) => scanner.find(`${JSON.stringify(r.headers)}\n${r.body}`).map((l) => `Sentry event ${i}: ${l}`));
    expect(inReports).toEqual([]);
  });
});
