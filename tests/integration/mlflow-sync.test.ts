import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { and, desc, eq } from 'drizzle-orm';
import type { DbHandle } from '@/db/client';
import { auditEvents, mlflowSyncs, models, modelVersions } from '@/db/schema';
import type { Actor } from '@/lib/domain/roles';
import { runMlflowSync } from '@/lib/server/mlflow/run-sync';
import { updateVersion } from '@/lib/services';
import { buildMlflowFixtures, startFakeMlflow, type FakeMlflow, type MlflowFixtures } from '../support/fake-mlflow';
import { rowCounts, signedInUser } from '../support/fixtures';
import { openTestDatabase, targets } from '../support/test-db';

/**
 * The MLflow registry sync against a local server answering with MLflow's REST shapes: what it
 * imports, that a repeat imports and audits nothing, that moved aliases follow, and what it
 * does when MLflow is down or refuses the token.
 */
describe.each(targets)('MLflow registry sync on $name', ({ name }) => {
  let handle: DbHandle;
  let mlflow: FakeMlflow;
  let lead: Actor;
  let fixtures: MlflowFixtures;
  const config = () => ({ baseUrl: mlflow.url, syncSeconds: 0 });
  const sync = (actor: Actor, scope = {}, trigger: 'manual' | 'webhook' = 'manual', over: Partial<ReturnType<typeof config>> & { token?: string } = {}) =>
    runMlflowSync({ actor, db: handle.db }, { ...config(), ...over }, trigger, scope);
  const versionRow = async (model: string, version: string) =>
    (await handle.db.select({ v: modelVersions, modelName: models.name }).from(modelVersions).innerJoin(models, eq(models.id, modelVersions.modelId)).where(and(eq(models.name, model), eq(modelVersions.version, version))))[0]?.v;

  beforeAll(async () => {
    handle = await openTestDatabase(name);
    lead = await signedInUser(handle.db, ['ml_lead']);
    fixtures = buildMlflowFixtures();
    mlflow = await startFakeMlflow(fixtures);
  });
  afterAll(async () => {
    await mlflow?.close();
    await handle?.close();
  });

  it('imports every READY version through the registry, page by page, and skips the pending one', async () => {
    const pass = await sync(lead);
    expect(pass.status).toBe('ok');
    const report = pass.report as { modelsCreated: string[]; versionsRegistered: string[]; skipped: { model: string; version?: string; reason: string }[]; unchanged: number };
    expect(report.modelsCreated.sort()).toEqual(['churn-model-v2', 'fraud-detector']);
    expect(report.versionsRegistered.sort()).toEqual(['churn-model-v2@1.0.0', 'fraud-detector@1.0.0', 'fraud-detector@2.1.0']);
    expect(report.skipped).toEqual([expect.objectContaining({ model: 'Fraud Detector', version: '3', reason: 'not_ready' })]);
    // Pages of two: the registry walked more than one page of versions.
    expect(mlflow.requests.filter((r) => r.includes('model-versions/search') && r.includes('page_token')).length).toBeGreaterThan(0);

    const [model] = await handle.db.select().from(models).where(eq(models.name, 'fraud-detector'));
    expect(model).toMatchObject({ ownerTeam: 'risk-team', servingService: 'fraud-api', description: 'Scores card transactions for fraud.' });
    const v2 = await versionRow('fraud-detector', '2.1.0');
    expect(v2).toMatchObject({
      artifactUri: expect.stringMatching(/^mlflow-artifacts:\/\/\/1\/[0-9a-f]{32}\/artifacts\/model$/),
      gitCommit: 'b2c3d4e5f60718293a4b5c6d7e8f901234567890',
      hyperparameters: { learning_rate: '0.05', max_depth: '8', n_estimators: '500' },
      offlineMetrics: { auc: 0.953, precision_at_1pct: 0.66 },
      registeredBy: lead.name,
    });
    expect(v2!.tags.sort()).toEqual(['alias:champion', 'mlflow-stage:Production', 'mlflow:2']);
    expect((v2!.contract as { inputs: { name: string; type: string; required: boolean }[] }).inputs.map((f) => `${f.name}:${f.type}:${f.required}`)).toEqual([
      'amount:float:true',
      'merchant_category:string:true',
      'account_age_days:integer:true',
      'device_country:string:false',
    ]);
    const churn = await versionRow('churn-model-v2', '1.0.0');
    expect(churn!.artifactDigest).toBe(`sha256:${'ab'.repeat(32)}`);
    expect((churn!.contract as { inputs: { name: string }[] }).inputs.map((f) => f.name)).toEqual(['features']);

    // Audited as the person who synced: the models, the versions, and the pass.
    const actions = (await handle.db.select({ action: auditEvents.action, actorId: auditEvents.actorId }).from(auditEvents)).filter((e) => e.actorId === lead.id).map((e) => e.action);
    expect(actions.filter((a) => a === 'model.create')).toHaveLength(2);
    expect(actions.filter((a) => a === 'version.register')).toHaveLength(3);
    expect(actions.filter((a) => a === 'mlflow.sync')).toHaveLength(1);
  });

  it('a second pass imports and audits nothing, and is kept for the Settings page', async () => {
    const before = await rowCounts(handle.db);
    const requestsBefore = mlflow.requests.length;
    const pass = await sync(lead);
    expect(pass.report).toMatchObject({ modelsCreated: [], versionsRegistered: [], versionsRetagged: [], unchanged: 3 });
    expect(await rowCounts(handle.db)).toEqual(before);
    // Imported versions are immutable: their runs are not read again.
    expect(mlflow.requests.slice(requestsBefore).filter((r) => r.includes('runs/get'))).toEqual([]);
    const [latest] = await handle.db.select().from(mlflowSyncs).orderBy(desc(mlflowSyncs.finishedAt)).limit(1);
    expect(latest).toMatchObject({ id: pass.id, status: 'ok', trigger: 'manual', actorName: lead.name });
  });

  it('moves aliases and stages with MLflow and keeps tags people added', async () => {
    await updateVersion({ actor: lead, db: handle.db }, { model: 'fraud-detector', version: '2.1.0', tags: ['alias:champion', 'mlflow-stage:Production', 'mlflow:2', 'reviewed'] });
    fixtures.registeredModels[0]!.aliases = [{ alias: 'champion', version: '1' }];
    fixtures.modelVersions[1]!.aliases = [];
    fixtures.modelVersions[1]!.current_stage = 'Archived';
    fixtures.modelVersions[0]!.current_stage = 'Production';
    mlflow.set(fixtures);
    const pass = await sync(lead);
    expect((pass.report as { versionsRetagged: string[] }).versionsRetagged.sort()).toEqual(['fraud-detector@1.0.0', 'fraud-detector@2.1.0']);
    expect((await versionRow('fraud-detector', '1.0.0'))!.tags.sort()).toEqual(['alias:champion', 'mlflow-stage:Production', 'mlflow:1']);
    expect((await versionRow('fraud-detector', '2.1.0'))!.tags.sort()).toEqual(['mlflow-stage:Archived', 'mlflow:2', 'reviewed']);
  });

  it('a version that became READY is imported by a pass scoped to it, with the MLmodel signature', async () => {
    fixtures.modelVersions[2]!.status = 'READY';
    fixtures.mlmodels = {
      'Fraud Detector@3': [
        'artifact_path: model',
        'flavors: {python_function: {loader_module: mlflow.sklearn}}',
        'signature:',
        `  inputs: '[{"type": "double", "name": "amount"}, {"type": "boolean", "name": "is_foreign"}]'`,
        `  outputs: '[{"type": "double", "name": "fraud_probability"}]'`,
        '  params: null',
      ].join('\n'),
    };
    mlflow.set(fixtures);
    const requestsBefore = mlflow.requests.length;
    const pass = await sync(lead, { model: 'Fraud Detector', version: '3' }, 'webhook');
    expect(pass.report).toMatchObject({ versionsRegistered: ['fraud-detector@3.0.0'], modelsCreated: [] });
    expect(mlflow.requests.slice(requestsBefore).some((r) => r.includes('registered-models/search'))).toBe(false);
    const v3 = await versionRow('fraud-detector', '3.0.0');
    expect((v3!.contract as { inputs: { name: string; type: string }[] }).inputs.map((f) => `${f.name}:${f.type}`)).toEqual(['amount:float', 'is_foreign:boolean']);
    expect(v3!.tags).toContain('alias:challenger');
  });

  it('a model MLflow does not have is reported, not created', async () => {
    const pass = await sync(lead, { model: 'No Such Model' });
    expect(pass.report).toMatchObject({ skipped: [{ model: 'No Such Model', reason: 'not_found' }], modelsCreated: [] });
  });

  it('an unreachable MLflow or a refused token is a failed pass with the reason, audited, and imports nothing', async () => {
    const before = await rowCounts(handle.db);
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const deadUrl = `http://127.0.0.1:${(closed.address() as AddressInfo).port}`;
    await new Promise<void>((resolve) => closed.close(() => resolve()));
    const down = await sync(lead, {}, 'manual', { baseUrl: deadUrl });
    expect(down).toMatchObject({ status: 'failed', report: null, error: `Could not reach MLflow at ${deadUrl} (/api/2.0/mlflow/registered-models/search): connect ECONNREFUSED ${deadUrl.slice(7)}` });

    const guarded = await startFakeMlflow({ ...buildMlflowFixtures(), token: 'good-token' });
    try {
      const refused = await runMlflowSync({ actor: lead, db: handle.db }, { baseUrl: guarded.url, syncSeconds: 0, token: 'wrong' }, 'manual');
      expect(refused.error).toBe(`MLflow at ${guarded.url} refused the credentials (HTTP 401); set FLIGHTDECK_MLFLOW_TOKEN`);
    } finally {
      await guarded.close();
    }
    const after = await rowCounts(handle.db);
    expect({ ...after, auditEvents: before.auditEvents, models: before.models }).toEqual(before);
    expect(after.auditEvents).toBe(before.auditEvents + 2); // one 'mlflow.sync' (failed) per pass
    expect(after.models).toBe(before.models);
  });

  it('refuses a viewer before MLflow is called', async () => {
    const viewer = await signedInUser(handle.db, ['viewer']);
    const requestsBefore = mlflow.requests.length;
    await expect(sync(viewer)).rejects.toMatchObject({ code: 'forbidden' });
    expect(mlflow.requests.length).toBe(requestsBefore);
  });
});
