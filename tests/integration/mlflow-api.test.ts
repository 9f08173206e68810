// First: it points the process-wide database at this suite's own before any app module loads.
import { closeProcessDatabase, openProcessDatabase } from '../support/process-database';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '@/db';
import { buildMlflowFixtures, startFakeMlflow, type FakeMlflow } from '../support/fake-mlflow';

const SECRET = 'mlflow-webhook-secret-for-tests';

const loadApp = async () => ({
  sync: await import('@/app/api/v1/integrations/mlflow/sync/route'),
  status: await import('@/app/api/v1/integrations/mlflow/route'),
  webhook: await import('@/app/api/v1/integrations/mlflow/webhook/route'),
  db: await import('@/db'),
  config: await import('@/lib/config'),
  bootstrap: await import('@/lib/server/bootstrap'),
  systemActor: await import('@/lib/auth/system-actor'),
  services: await import('@/lib/services'),
  mlflow: await import('@/lib/domain/mlflow'),
  fixtures: await import('../support/fixtures'),
});

type Json = Record<string, any>;

describe('the MLflow integration API', () => {
  let app: Awaited<ReturnType<typeof loadApp>>;
  let db: Database;
  let mlflow: FakeMlflow;
  const keys = {} as Record<'lead' | 'viewer', string>;

  beforeAll(async () => {
    await openProcessDatabase();
    mlflow = await startFakeMlflow(buildMlflowFixtures());
    app = await loadApp();
    db = await app.db.getDb();
    await app.bootstrap.bootstrap(db, app.config.getConfig());
    const caller = { actor: app.systemActor.systemActor('bootstrap'), db };
    keys.lead = (await app.services.createApiKey(caller, { name: `lead-${app.fixtures.unique()}`, roles: ['ml_lead'], scopes: ['read', 'registry'] })).secret;
    keys.viewer = (await app.services.createApiKey(caller, { name: `viewer-${app.fixtures.unique()}`, roles: [], scopes: ['read'] })).secret;
  });
  afterAll(async () => {
    for (const k of ['FLIGHTDECK_MLFLOW_URL', 'FLIGHTDECK_MLFLOW_WEBHOOK_SECRET', 'FLIGHTDECK_MLFLOW_SYNC_SECONDS']) delete process.env[k];
    await closeProcessDatabase();
    await mlflow?.close();
  });

  const configure = (on: boolean) => {
    if (on) {
      process.env.FLIGHTDECK_MLFLOW_URL = mlflow.url;
      process.env.FLIGHTDECK_MLFLOW_WEBHOOK_SECRET = SECRET;
    } else {
      delete process.env.FLIGHTDECK_MLFLOW_URL;
      delete process.env.FLIGHTDECK_MLFLOW_WEBHOOK_SECRET;
    }
  };
  const params = { params: Promise.resolve({}) };
  const post = (handler: (req: Request, p: typeof params) => Promise<Response>, path: string, body: string, headers: Record<string, string>) =>
    handler(new Request(`http://test/api/v1/integrations/mlflow/${path}`, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body }), params);
  const syncAs = (key: string, body: unknown = {}) => post(app.sync.POST, 'sync', JSON.stringify(body), { authorization: `Bearer ${key}` });
  const deliver = (event: unknown, opts: { secret?: string; at?: number; tamper?: boolean } = {}) => {
    const raw = JSON.stringify(event);
    const headers = app.mlflow.mlflowWebhookHeaders(opts.secret ?? SECRET, `delivery-${app.fixtures.unique()}`, opts.at ?? Math.floor(Date.now() / 1000), raw);
    return post(app.webhook.POST, 'webhook', opts.tamper ? raw.replace('Fraud', 'Fraux') : raw, headers);
  };
  const versionsOf = async (model: string) => {
    const { modelVersions, models } = await import('@/db/schema');
    const { eq } = await import('drizzle-orm');
    return (await db.select({ version: modelVersions.version }).from(modelVersions).innerJoin(models, eq(models.id, modelVersions.modelId)).where(eq(models.name, model))).map((r) => r.version).sort();
  };

  it('says when no MLflow is configured: 409 on sync, 404 on the webhook, and GET shows it', async () => {
    configure(false);
    const sync = await syncAs(keys.lead);
    expect(sync.status).toBe(409);
    expect(((await sync.json()) as Json).error.message).toMatch(/FLIGHTDECK_MLFLOW_URL/);
    expect((await deliver({ entity: 'registered_model', action: 'created', timestamp: new Date().toISOString(), data: { name: 'x' } })).status).toBe(404);
    const status = await app.status.GET(new Request('http://test/api/v1/integrations/mlflow', { headers: { authorization: `Bearer ${keys.viewer}` } }), params);
    expect(await status.json()).toMatchObject({ configured: false, server: null, webhooks: false });
  });

  it('refuses a viewer key (403) and a bad scope (422 naming the field) before calling MLflow', async () => {
    configure(true);
    const before = mlflow.requests.length;
    expect((await syncAs(keys.viewer)).status).toBe(403);
    const bad = await syncAs(keys.lead, { version: '2' });
    expect(bad.status).toBe(422);
    expect(((await bad.json()) as Json).error.details.fields).toEqual({ version: ['A version needs its model'] });
    const worse = await syncAs(keys.lead, { model: 'Fraud Detector', version: 'two', extra: true });
    expect(worse.status).toBe(422);
    expect(Object.keys(((await worse.json()) as Json).error.details.fields).sort()).toEqual(['_', 'version']);
    expect(mlflow.requests.length).toBe(before);
  });

  it('syncs one model on demand and answers the pass', async () => {
    configure(true);
    const res = await syncAs(keys.lead, { model: 'churn_model.v2' });
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ status: 'ok', trigger: 'manual', report: { modelsCreated: ['churn-model-v2'], versionsRegistered: ['churn-model-v2@1.0.0'] } });
    expect(await versionsOf('fraud-detector')).toEqual([]);
  });

  it('imports what a signed model_version.created delivery names, once', async () => {
    configure(true);
    const event = { entity: 'model_version', action: 'created', timestamp: new Date().toISOString(), data: { name: 'Fraud Detector', version: '2', source: 'runs:/x/model', tags: {} } };
    const res = await deliver(event);
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ received: true, synced: true, sync: { trigger: 'webhook', actorName: 'system:mlflow-sync', report: { versionsRegistered: ['fraud-detector@2.1.0'] } } });
    expect(await versionsOf('fraud-detector')).toEqual(['2.1.0']);
    // The same delivery again (a retry or a replay within 5 minutes) imports nothing new.
    const again = await deliver(event);
    expect(await again.json()).toMatchObject({ sync: { report: { versionsRegistered: [], unchanged: 1 } } });
  });

  it('refuses a wrong secret, a tampered body and a stale delivery (401) and changes nothing', async () => {
    configure(true);
    const event = { entity: 'registered_model', action: 'created', timestamp: new Date().toISOString(), data: { name: 'Fraud Detector', tags: {} } };
    const before = await versionsOf('fraud-detector');
    for (const res of [await deliver(event, { secret: 'another-secret-of-16-chars' }), await deliver(event, { tamper: true }), await deliver(event, { at: Math.floor(Date.now() / 1000) - 3600 })]) {
      expect(res.status).toBe(401);
      expect(((await res.json()) as Json).error.code).toBe('unauthenticated');
    }
    expect(await versionsOf('fraud-detector')).toEqual(before);
  });

  it('acknowledges events that are not about models, and refuses a signed body that is not a webhook payload', async () => {
    configure(true);
    const ignored = await deliver({ entity: 'prompt', action: 'created', timestamp: new Date().toISOString(), data: { name: 'p' } });
    expect(ignored.status).toBe(200);
    expect(await ignored.json()).toMatchObject({ received: true, synced: false });
    const malformed = await deliver({ hello: 'world' });
    expect(malformed.status).toBe(400);
  });

  it('a registered_model.created delivery syncs that whole model', async () => {
    configure(true);
    const res = await deliver({ entity: 'registered_model', action: 'created', timestamp: new Date().toISOString(), data: { name: 'Fraud Detector', tags: {} } });
    expect(res.status).toBe(200);
    expect(await versionsOf('fraud-detector')).toEqual(['1.0.0', '2.1.0']);
    const status = await app.status.GET(new Request('http://test/api/v1/integrations/mlflow', { headers: { authorization: `Bearer ${keys.viewer}` } }), params);
    const body = (await status.json()) as Json;
    expect(body).toMatchObject({ configured: true, server: mlflow.url, syncSeconds: 300, webhooks: true });
    expect(body.recent.map((r: Json) => r.trigger)).toEqual(['webhook', 'webhook', 'webhook', 'manual']);
  });
});
