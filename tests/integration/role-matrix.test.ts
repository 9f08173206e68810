import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DbHandle } from '@/db/client';
import type { Database } from '@/db';
import { can, ROLES, SCOPES, type Actor, type Role } from '@/lib/domain/roles';
import { eq } from 'drizzle-orm';
import { alerts, environments } from '@/db/schema';
import { createApiKey, createEnvironment, createWebhook, createModel, createUser, observeAnalysis, pauseRelease, rollbackRelease, postDriftReference, ingestDriftSnapshot, setSlo, ingestServiceTelemetry, evaluateSlos, promoteRelease, registerVersion, requestRelease, startRelease, useCases } from '@/lib/services';
import { designFor, liveModel, runningExperiment } from '../support/experiment-fixtures';
import { openTestDatabase, targets } from '../support/test-db';
import { auditCount, rowCounts, setUp, signedInKey, signedInUser, unique } from '../support/fixtures';

type UseCaseName = keyof typeof useCases;
type AnyUseCase = (typeof useCases)[UseCaseName];

/**
 * One valid input per use case, built fresh for every call (fixtures it needs are created by
 * Flightdeck itself first). A new use case that is missing here fails the type check and the
 * guard test below.
 */
const validInput: Record<UseCaseName, (db: Database) => Promise<unknown>> = {
  createModel: async () => ({ name: `model-${unique()}`, ownerTeam: 'risk-ml', description: 'matrix' }),
  createUser: async () => ({ email: `new-${unique()}@test.example`, name: 'New Person', roles: ['reviewer'] }),
  updateUser: async (db) => {
    const user = await createUser(setUp(db), { email: `target-${unique()}@test.example`, name: 'Target', roles: [] });
    return { userId: user.id, name: 'Renamed', roles: ['oncall'] };
  },
  createApiKey: async () => ({ name: `ci-${unique()}`, roles: ['ml_lead'], scopes: ['registry'] }),
  importApiKey: async () => ({ name: 'imported', secret: `imported_${randomBytes(18).toString('hex')}`, roles: [], scopes: ['read'] }),
  registerVersion: async (db) => ({ ...(await registrationFor(db)), version: '1.0.0' }),
  updateVersion: async (db) => {
    const version = await registeredVersion(db);
    return { ...version, tags: ['champion'] };
  },
  reportCheck: async (db) => ({ ...(await registeredVersion(db)), kind: 'unit', status: 'passed', measurements: { tests: 10 } }),
  createEnvironment: async () => ({ name: `env-${unique()}`, rank: 5, policy: { requiredChecks: ['unit'], thresholds: {} } }),
  updatePolicy: async (db) => {
    const env = await createEnvironment(setUp(db), { name: `env-${unique()}`, rank: 5, policy: { requiredChecks: ['unit'], thresholds: {} } });
    return { environment: env.name, policy: { requiredChecks: ['unit', 'smoke'], thresholds: {} } };
  },
  requestRelease: async (db) => {
    const env = await newEnvironment(db, 0);
    return { ...(await registeredVersion(db)), environment: env, strategy: 'canary', plan: [{ weight: 10 }, { weight: 100 }] };
  },
  approveRelease: async (db) => ({ releaseId: (await releaseIn(db, 'pending_approval')).id, comment: 'looks good' }),
  rejectRelease: async (db) => ({ releaseId: (await releaseIn(db, 'pending_approval')).id, comment: 'not yet' }),
  startRelease: async (db) => ({ releaseId: (await releaseIn(db, 'approved')).id }),
  pauseRelease: async (db) => ({ releaseId: (await releaseIn(db, 'running')).id }),
  resumeRelease: async (db) => ({ releaseId: (await releaseIn(db, 'paused')).id }),
  advanceRelease: async (db) => ({ releaseId: (await releaseIn(db, 'running')).id }),
  promoteRelease: async (db) => ({ releaseId: (await releaseIn(db, 'running')).id }),
  abortRelease: async (db) => ({ releaseId: (await releaseIn(db, 'running')).id }),
  rollbackRelease: async (db) => ({ releaseId: (await releaseIn(db, 'running')).id, reason: 'error rate doubled' }),
  rollbackToLastGood: async (db) => {
    const env = await newEnvironment(db, 0);
    const { model } = await registeredVersion(db);
    await registerVersion(setUp(db), { model, version: '1.1.0', artifactUri: 's3://artifacts/model.tar.gz', artifactDigest: `sha256:${'cd'.repeat(32)}` });
    for (const version of ['1.0.0', '1.1.0']) {
      const release = await requestRelease(setUp(db), { model, version, environment: env, strategy: 'immediate' });
      await startRelease(setUp(db), { releaseId: release.id });
      await promoteRelease(setUp(db), { releaseId: release.id });
    }
    return { model, environment: env, fromVersion: '1.1.0', reason: '1.1.0 misbehaves' };
  },
  updateProtection: async (db) => ({ environment: await newEnvironment(db, 0), protection: { requiredApprovals: 2, approvalTtlHours: 24, freezeWindows: [] } }),
  updateAnalysis: async (db) => ({ environment: await newEnvironment(db, 0), intervalSeconds: 30, config: { metrics: [{ name: 'error_rate', kind: 'rate' }] } }),
  ingestMetrics: async (db) => {
    const release = await releaseIn(db, 'running');
    return { samples: [{ releaseId: release.id, variant: 'canary', metric: 'error_rate', kind: 'counter', bucketStart: new Date().toISOString(), count: 100, errors: 1 }] };
  },
  recordAnalysis: async (db) => {
    const release = await releaseIn(db, 'running');
    const start = new Date(Date.now() - 60_000);
    return { releaseId: release.id, step: 0, intervalStart: start, intervalEnd: new Date(), verdict: 'pass', score: 100, metrics: [], summary: 'Pass', evidence: {} };
  },
  revokeApiKey: async (db) => {
    const key = await createApiKey(setUp(db), { name: `doomed-${unique()}`, scopes: ['read'] });
    return { apiKeyId: key.id };
  },
  createExperiment: async (db) => designFor(await liveModel(db)),
  decideExperiment: async (db) => ({ experimentId: (await runningExperiment(db)).experiment.id, decision: 'roll_back', reason: 'latency guardrail' }),
  acknowledgeAlert: async (db) => ({ alertId: await openAlert(db), comment: 'looking' }),
  resolveAlert: async (db) => ({ alertId: await openAlert(db), comment: 'rolled back, fixed upstream' }),
  commentAlert: async (db) => ({ alertId: await openAlert(db), comment: 'paged the feature team' }),
  observeAnalysis: async (db) => ({ releaseId: (await releaseIn(db, 'running')).id, verdict: 'fail', at: new Date(), summary: 'error rate doubled' }),
  postDriftReference: async (db) => ({ ...(await registeredVersion(db)), features: [{ name: 'amount', type: 'numeric', edges: [10, 50], counts: [30, 40, 30] }] }),
  ingestDriftSnapshot: async (db) => driftWindow(db),
  // A critical window waits for the rules, so an allowed call opens an alert (and audits it).
  evaluateDrift: async (db) => {
    await ingestDriftSnapshot(setUp(db), await driftWindow(db));
    return {};
  },
  updateDriftPolicy: async (db) => ({ model: (await registeredVersion(db)).model, policy: { thresholds: { psi: { warning: 0.05, critical: 0.2 } } } }),
  recordMlflowSync: async () => ({ trigger: 'manual', startedAt: new Date().toISOString(), report: { modelsCreated: ['fraud'], versionsRegistered: ['fraud@1.0.0'], versionsRetagged: [], unchanged: 0, skipped: [], warnings: [] } }),
  updateMetricsSource: async (db) => ({ model: (await registeredVersion(db)).model, source: { preset: 'bentoml' } }),
  setSlo: async (db) => ({ model: (await registeredVersion(db)).model, environment: await newEnvironment(db, 0), kind: 'availability', objective: 0.999 }),
  ingestServiceTelemetry: async (db) => ({ service: (await registeredVersion(db)).model, environment: await newEnvironment(db, 0), buckets: [{ bucketStart: new Date().toISOString(), requests: 100, errors: 1 }] }),
  // A burning SLO, so an allowed call changes something (and audits it): every request failed for 10 minutes.
  evaluateSlos: async (db) => {
    const { model } = await registeredVersion(db);
    const environment = await newEnvironment(db, 0);
    await setSlo(setUp(db), { model, environment, kind: 'availability', objective: 0.999 });
    const buckets = Array.from({ length: 10 }, (_, i) => ({ bucketStart: new Date(Date.now() - (i + 1) * 60_000).toISOString(), requests: 100, errors: 100 }));
    await ingestServiceTelemetry(setUp(db), { service: model, environment, buckets });
    // Seen burning three minutes ago (pending); the call under test finds it past `for` and opens it.
    await evaluateSlos({ ...setUp(db), now: new Date(Date.now() - 180_000) }, {});
    return {};
  },
  writePostmortem: async (db) => {
    const release = await releaseIn(db, 'running');
    const { incidentId } = (await rollbackRelease(setUp(db), { releaseId: release.id, reason: 'error rate doubled' })) as { incidentId: string };
    return { incidentId, postmortem: '## What happened\nThe canary doubled the error rate.', owner: 'risk-ml', actionItems: [{ text: 'Alert on null in_stock' }] };
  },
  createAuditCheckpoint: async () => ({}),
  createWebhook: async () => ({ url: 'https://hooks.test.example/flightdeck', events: ['release.rollback'] }),
  updateWebhook: async (db) => {
    const webhook = await createWebhook(setUp(db), { url: 'https://hooks.test.example/flightdeck', events: ['*'] });
    return { webhookId: webhook.id, active: false };
  },
};

/** A fresh model and the registration fields of a first version (without the version). */
async function registrationFor(db: Database) {
  const model = await createModel(setUp(db), { name: `model-${unique()}`, ownerTeam: 'risk-ml' });
  return { model: model.name, artifactUri: 's3://artifacts/model.tar.gz', artifactDigest: `sha256:${'ab'.repeat(32)}` };
}

async function registeredVersion(db: Database) {
  const registration = { ...(await registrationFor(db)), version: '1.0.0' };
  await registerVersion(setUp(db), registration);
  return { model: registration.model, version: registration.version };
}

/** An environment that requires no checks and the given number of approvals. */
async function newEnvironment(db: Database, requiredApprovals: number) {
  const env = await createEnvironment(setUp(db), { name: `env-${unique()}`, rank: 1, policy: { requiredChecks: [], thresholds: {} } });
  if (requiredApprovals > 0) await db.update(environments).set({ requiredApprovals }).where(eq(environments.id, env.id));
  return env.name;
}

/** A release requested by Flightdeck itself (so any matrix user may approve it: four-eyes), brought to `state`. */
async function releaseIn(db: Database, state: 'pending_approval' | 'approved' | 'running' | 'paused') {
  const environment = await newEnvironment(db, state === 'pending_approval' ? 1 : 0);
  const release = await requestRelease(setUp(db), { ...(await registeredVersion(db)), environment, strategy: 'canary', plan: [{ weight: 10 }, { weight: 100 }] });
  if (state === 'running' || state === 'paused') await startRelease(setUp(db), { releaseId: release.id });
  if (state === 'paused') await pauseRelease(setUp(db), { releaseId: release.id });
  return release;
}

/** A version with a reference profile, and a production window far from it (PSI ≫ 0.25). */
async function driftWindow(db: Database) {
  const version = await registeredVersion(db);
  await postDriftReference(setUp(db), { ...version, features: [{ name: 'amount', type: 'numeric', edges: [10, 50], counts: [30, 40, 30] }] });
  const environment = await newEnvironment(db, 0);
  return { ...version, environment, windowStart: new Date(Date.now() - 60_000).toISOString(), windowEnd: new Date().toISOString(), features: [{ name: 'amount', counts: [2, 8, 90] }] };
}

/** An open "analysis failed" alert, raised the way the controller raises it. */
async function openAlert(db: Database) {
  const release = await releaseIn(db, 'running');
  await observeAnalysis(setUp(db), { releaseId: release.id, verdict: 'fail', at: new Date(), summary: 'error rate doubled' });
  const [alert] = await db.select({ id: alerts.id }).from(alerts).where(eq(alerts.releaseId, release.id));
  return alert!.id;
}

/** Every allowed call leaves an audit event, except telemetry use cases that declare why not. */
function expectAudited(useCase: AnyUseCase, after: number, before: number) {
  const exempt = ['metrics.ingest', 'analysis.record', 'drift.ingest', 'service.telemetry', 'audit.checkpoint'].includes(useCase.useCase.name);
  if (exempt) expect(after).toBe(before);
  else expect(after).toBeGreaterThan(before);
}

/** The factory's input, or a failure that says what to add (rather than "is not a function"). */
async function inputFor(key: UseCaseName, db: Database): Promise<unknown> {
  const factory = validInput[key] as ((db: Database) => Promise<unknown>) | undefined;
  if (!factory) throw new Error(`Add a valid-input factory for ${key} to validInput in tests/integration/role-matrix.test.ts`);
  return factory(db);
}

const entries = Object.entries(useCases) as [UseCaseName, AnyUseCase][];
const call = (useCase: AnyUseCase, actor: Actor | null, db: Database, input: unknown) => (useCase as (c: unknown, i: unknown) => Promise<unknown>)({ actor, db }, input);

describe('the role matrix covers every use case', () => {
  it('has a valid-input factory for every registered use case', () => {
    expect(Object.keys(validInput).sort()).toEqual(Object.keys(useCases).sort());
  });

  it('registers every use case defined under lib/services', async () => {
    const root = path.join(process.cwd(), 'lib', 'services');
    const files = (readdirSync(root, { recursive: true }) as string[])
      .filter((file) => file.endsWith('.ts') && file !== 'use-case.ts')
      .map((file) => path.join(root, file));
    const registered = new Set<unknown>(Object.values(useCases));
    const defining = files.filter((file) => /defineUseCase\(/.test(readFileSync(file, 'utf8')));
    const definitions = defining.reduce((n, file) => n + readFileSync(file, 'utf8').match(/defineUseCase\(/g)!.length, 0);
    expect(definitions).toBe(Object.keys(useCases).length);

    for (const file of defining) {
      const calls = readFileSync(file, 'utf8').match(/defineUseCase\(/g)!.length;
      const exported = Object.values(await import(file));
      const registeredHere = exported.filter((value) => registered.has(value));
      // Each defineUseCase call in the file must reach `useCases`, not only one of them.
      expect(registeredHere.length, `${path.relative(process.cwd(), file)} defines a use case missing from useCases`).toBe(calls);
    }
  });

  it('names every use case once', () => {
    const names = entries.map(([, useCase]) => useCase.useCase.name);
    expect(new Set(names).size).toBe(names.length);
  });
});

describe.each(targets)('role × use case on $name', ({ name }) => {
  let handle: DbHandle;
  const actors = {} as Record<Role, Actor>;
  beforeAll(async () => {
    handle = await openTestDatabase(name);
    for (const role of ROLES) actors[role] = await signedInUser(handle.db, role === 'viewer' ? [] : [role]);
  });
  afterAll(async () => handle?.close());

  const cases = entries.flatMap(([key, useCase]) => ROLES.map((role) => ({ key, useCase, role })));

  it.each(cases)('$key as $role', async ({ key, useCase, role }) => {
    const db = handle.db;
    const input = await inputFor(key, db);
    const before = await rowCounts(db);
    const result = call(useCase, actors[role], db, input);

    if (can(actors[role], useCase.useCase.permission)) {
      await expect(result).resolves.toBeDefined();
      expectAudited(useCase, await auditCount(db), before.auditEvents);
    } else {
      await expect(result).rejects.toMatchObject({ code: 'forbidden' });
      expect(await rowCounts(db)).toEqual(before);
    }
  });

  it.each(entries.map(([key, useCase]) => ({ key, useCase })))('$key refuses a signed-out caller and stores nothing', async ({ key, useCase }) => {
    const db = handle.db;
    const input = await inputFor(key, db);
    const before = await rowCounts(db);
    await expect(call(useCase, null, db, input)).rejects.toMatchObject({ code: 'unauthenticated' });
    // Authentication comes before parsing: a signed-out caller learns nothing about the input.
    await expect(call(useCase, null, db, { nonsense: true })).rejects.toMatchObject({ code: 'unauthenticated' });
    expect(await rowCounts(db)).toEqual(before);
  });

  it.each(entries.map(([key, useCase]) => ({ key, useCase })))('$key checks the role before the input', async ({ useCase }) => {
    const refused = ROLES.find((role) => !can(actors[role], useCase.useCase.permission));
    if (!refused) return; // every role may call it: nothing to refuse
    await expect(call(useCase, actors[refused], handle.db, { nonsense: true })).rejects.toMatchObject({ code: 'forbidden' });
  });

  // API keys are narrowed by scope even when their roles would allow everything.
  const scoped = entries.flatMap(([key, useCase]) => SCOPES.map((scope) => ({ key, useCase, scope })));
  it.each(scoped)('$key as an admin API key with scope $scope', async ({ key, useCase, scope }) => {
    const db = handle.db;
    const actor = await signedInKey(db, ['admin'], [scope]);
    const input = await inputFor(key, db);
    const before = await rowCounts(db);
    const result = call(useCase, actor, db, input);

    if (can(actor, useCase.useCase.permission)) {
      await expect(result).resolves.toBeDefined();
      expectAudited(useCase, await auditCount(db), before.auditEvents);
    } else {
      await expect(result).rejects.toMatchObject({ code: 'forbidden' });
      expect(await rowCounts(db)).toEqual(before);
    }
  });
});
