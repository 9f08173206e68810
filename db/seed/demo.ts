import { createHash } from 'node:crypto';
import { and, eq } from 'drizzle-orm';
import { apiKeys, environments, models, modelVersions, releases, users } from '@/db/schema';
import type { Database } from '@/db';
import { systemActor } from '@/lib/auth/system-actor';
import { appendAudit } from '@/lib/services/audit/append-audit';
import { AppError, ignoreConflict } from '@/lib/services/errors';
import { DRIFT_DEMO, referenceValues } from '@/lib/simulator/drift-traffic';
import { DEMO_SLO_SERVICES } from '@/lib/simulator/run';
import { postDriftReference, setSlo, updateAnalysis, updateDriftPolicy } from '@/lib/services';
import { DEFAULT_ANALYSIS } from '@/lib/domain/canary-judge';
import { abortRelease, advanceRelease, approveRelease, createApiKey, createExperiment, createModel, createUser, pauseRelease, registerVersion, rejectRelease, reportCheck, requestRelease, rollbackRelease, startRelease } from '@/lib/services';
import type { RequestMeta } from '@/lib/services/audit/append-audit';
import { isRole, type Actor } from '@/lib/domain/roles';
import { DEMO_MODELS, DEMO_PASSWORD, DEMO_USERS, type DemoCheck } from './demo-data';

const DAY = 86_400_000;
const actor = systemActor('demo-seed');

/**
 * A believable demo on an empty database: one user per role, four models with version histories,
 * gate results (one version blocked by a quality gate, one by a breaking change its contract tests
 * caught, one deployable) and which version runs where. Idempotent: whatever exists is left alone,
 * so it runs at every start. Everything but the release history goes through the use cases.
 */
export async function seedDemo(db: Database, now = new Date()): Promise<string> {
  const caller = { actor, db, request: { via: 'system' as const, requestId: 'demo-seed' } };
  let created = 0;
  const count = async (work: () => Promise<unknown>) => {
    if (await ignoreConflict(work)) created += 1;
  };

  for (const user of DEMO_USERS) await count(() => createUser(caller, { ...user, password: DEMO_PASSWORD }));
  for (const model of DEMO_MODELS)
    await count(() => createModel(caller, { name: model.name, ownerTeam: model.ownerTeam, description: model.description }));

  // The story's actors: CI registers through an API key, Maya by hand. Versions are registered
  // in the order they happened, at the time they happened, through the registry's own use case.
  const ci = await demoCiActor(db);
  const [maya] = await db.select().from(users).where(eq(users.email, 'lead@flightdeck.demo'));
  const lead: Actor = { type: 'user', id: maya!.id, name: maya!.name, roles: ['ml_lead'] };
  const timeline = DEMO_MODELS.flatMap((model) => model.versions.map((v, index) => ({ model, v, index }))).sort((a, b) => b.v.daysAgo - a.v.daysAgo);
  const seeded = new Set(
    (await db.select({ model: models.name, version: modelVersions.version }).from(modelVersions).innerJoin(models, eq(models.id, modelVersions.modelId))).map(
      (r) => `${r.model}@${r.version}`,
    ),
  );
  for (const { model, v, index } of timeline) {
    // Already there from an earlier start (whose story dates differ): leave it alone.
    if (seeded.has(`${model.name}@${v.version}`)) continue;
    const registeredAt = new Date(now.getTime() - v.daysAgo * DAY);
    const as = { ...caller, actor: model.registeredBy === 'ci' ? ci : lead, now: registeredAt };
    const { version } = await registerVersion(as, demoRegistration(model, v, index, now));
    created += 1;
    for (const check of demoChecks(model.primaryMetric, v))
      await reportCheck({ ...as, actor: ci, now: new Date(registeredAt.getTime() + 40 * 60_000) }, { model: model.name, version: version.version, ...check });
  }

  for (const model of DEMO_MODELS) {
    const [row] = await db.select().from(models).where(eq(models.name, model.name));
    for (const [environment, version] of Object.entries(model.live)) {
      const v = model.versions.find((x) => x.version === version)!;
      const [stored] = await db
        .select({ id: modelVersions.id })
        .from(modelVersions)
        .where(and(eq(modelVersions.modelId, row!.id), eq(modelVersions.version, version)));
      const finishedAt = new Date(now.getTime() - (v.daysAgo - (environment === 'staging' ? 1 : 3)) * DAY);
      await seedPromotedRelease(db, { modelId: row!.id, versionId: stored!.id, environment, finishedAt });
    }
  }
  created += await seedReleaseStories(db, caller, now);
  await demoAnalysis(db, caller);
  await seedDriftReferences(db, caller, ci, lead);
  return created > 0 ? `seeded the demo (${created} users, models, versions and releases)` : 'demo already seeded';
}

/**
 * Releases in every state, told through the release use cases by the people who would act:
 * a rejection, an abort, a rollback with its incident, a paused and a running canary, one
 * waiting for approval, one approved but not started, and a running A/B experiment. Runs once (skipped when Maya has
 * requested anything).
 */
async function seedReleaseStories(db: Database, caller: { db: Database; request: RequestMeta }, now: Date): Promise<number> {
  const person = async (email: string): Promise<Actor> => {
    const [u] = await db.select().from(users).where(eq(users.email, email));
    return { type: 'user', id: u!.id, name: u!.name, roles: u!.roles.filter(isRole) };
  };
  const [maya, ravi, rita, omar] = await Promise.all(['lead', 'reviewer', 'reviewer2', 'oncall'].map((who) => person(`${who}@flightdeck.demo`)));
  const [already] = await db.select({ id: releases.id }).from(releases).where(eq(releases.requestedById, maya!.id)).limit(1);
  if (already) return 0;
  const at = (hoursAgo: number) => ({ ...caller, now: new Date(now.getTime() - hoursAgo * 3_600_000) });
  const as = (actor: Actor, hoursAgo: number) => ({ ...at(hoursAgo), actor });
  const request = (hoursAgo: number, model: string, version: string, environment: string, reason: string) =>
    requestRelease(as(maya!, hoursAgo), { model, version, environment, strategy: 'canary', reason });
  const id = (r: { id: string }) => ({ releaseId: r.id });

  const rejected = await request(720, 'fraud-detector', '1.1.0', 'production', 'Re-release 1.1.0 while 1.1.1 is investigated');
  await rejectRelease(as(rita!, 719), { ...id(rejected), comment: '1.1.1 fixed the timezone bug; 1.1.0 would bring it back.' });

  const aborted = await request(50, 'search-ranker', '2.4.1', 'staging', 'More trees, same features');
  await startRelease(as(maya!, 49.9), id(aborted));
  await abortRelease(as(maya!, 49), { ...id(aborted), reason: 'Contract tests failed on null in_stock; fixing in 2.5.0' });

  const rolledBack = await request(74, 'churn-predictor', '1.1.0-rc.1', 'staging', 'Try NPS as a feature');
  await startRelease(as(maya!, 73.9), id(rolledBack));
  await advanceRelease(as(maya!, 73), id(rolledBack));
  await rollbackRelease(as(omar!, 72.5), { ...id(rolledBack), reason: 'Staging error rate doubled after the 100 % step; NPS feed returns nulls' });

  const paused = await request(26, 'churn-predictor', '1.1.0-rc.1', 'staging', 'Second try with the NPS backfill');
  await startRelease(as(maya!, 25.9), id(paused));
  await pauseRelease(as(maya!, 25), { ...id(paused), reason: 'Waiting for the NPS backfill to finish' });

  // Two production canaries that start now, with short steps, for the simulator to drive and
  // the controller to judge: fraud-detector's is healthy and goes to 100 %, search-ranker's
  // regresses and is rolled back automatically.
  const fast = [10, 25, 50].map((weight) => ({ weight, holdSeconds: 15, analysisRequired: true, manualGate: false }));
  const canary = async (model: string, version: string, reason: string, comment: string) => {
    const r = await requestRelease(as(maya!, 0.2), { model, version, environment: 'production', strategy: 'canary', reason, plan: [...fast, { weight: 100, holdSeconds: 0, analysisRequired: false, manualGate: false }] });
    await approveRelease(as(ravi!, 0.1), { ...id(r), comment });
    await startRelease({ ...caller, actor: maya!, now }, id(r));
  };
  await canary('fraud-detector', '1.2.0', '+0.8 pt AUC, velocity feature', 'Gates green, AUC up, latency flat. Go.');
  await canary('search-ranker', '2.5.0', 'Deeper trees, +0.6 pt nDCG offline', 'Offline numbers are good; let the canary decide.');

  // A live A/B test in production: the simulator gives 4.2.0 a small real lift in click-through,
  // so its results move toward significance while a visitor watches.
  const experiment = await createExperiment(as(maya!, 0.15), {
    model: 'home-recommender',
    environment: 'production',
    name: 'Hard negatives in the home feed',
    hypothesis: 'Training with in-batch hard negatives (4.2.0) lifts click-through by at least 5 % without slowing the feed.',
    arms: [
      { version: '4.1.0', allocation: 50 },
      { version: '4.2.0', allocation: 50 },
    ],
    primaryMetric: { name: 'conversion', type: 'binomial', higherIsBetter: true },
    secondaryMetrics: [{ name: 'revenue_per_user', type: 'continuous', higherIsBetter: true }],
    guardrailMetrics: [{ name: 'latency_ms', type: 'continuous', higherIsBetter: false }],
    minimumDetectableEffect: 0.05,
    baseline: { rate: 0.1 },
    reason: 'A/B test: offline recall@20 +0.5 pt; does it move clicks?',
  });
  await approveRelease(as(ravi!, 0.1), { ...id(experiment.release), comment: 'Guardrail on latency is set; 50/50 is fine for the home feed.' });
  await startRelease({ ...caller, actor: maya!, now }, id(experiment.release));

  await request(2, 'credit-limit-advisor', '3.2.0', 'production', 'Adds recent inquiries; r2 0.731 → 0.738');
  await request(1.5, 'credit-limit-advisor', '3.2.0', 'staging', 'Shadow the production candidate on staging traffic');
  return 9;
}

/**
 * The monitoring story: SLOs for two production services, and the drift references — CI posts
 * credit-limit-advisor's training profile with each
 * version (generated by the simulator's own generator, unshifted), and Maya chose PSI as the
 * headline for `utilisation`. Production windows then come from the simulator through the API.
 */
async function seedDriftReferences(db: Database, caller: { db: Database; request: RequestMeta }, ci: Actor, lead: Actor) {
  const [row] = await db.select({ policy: models.driftPolicy }).from(models).where(eq(models.name, DRIFT_DEMO.model));
  for (const [i, version] of ['3.1.0', '3.2.0'].entries()) {
    const values = referenceValues(1000 + i);
    await postDriftReference(
      { ...caller, actor: ci },
      {
        model: DRIFT_DEMO.model,
        version,
        features: [
          { name: 'utilisation', type: 'numeric', values: values.utilisation, bins: 10 },
          { name: 'bureau_score', type: 'numeric', values: values.bureau_score, bins: 10 },
          { name: 'income_band', type: 'categorical', values: values.income_band },
        ],
      },
    ).catch((error: unknown) => {
      // Already posted on an earlier start: the reference of a version does not change.
      if (!(error instanceof AppError && error.code === 'conflict')) throw error;
    });
  }
  if (row && Object.keys(row.policy as object).length === 0) await updateDriftPolicy({ ...caller, actor: lead }, { model: DRIFT_DEMO.model, policy: { methods: { utilisation: 'psi' } } });
  // SLOs of the two production services the simulator reports whole-service traffic for.
  for (const model of DEMO_SLO_SERVICES) {
    await setSlo({ ...caller, actor: lead }, { model, environment: 'production', kind: 'availability', objective: 0.98 });
    await setSlo({ ...caller, actor: lead }, { model, environment: 'production', kind: 'latency', objective: 0.99, latencyThresholdMs: 150 });
  }
}

/** The API key CI uses in the demo story (its secret is thrown away: nothing outside can use it). */
async function demoCiActor(db: Database): Promise<Actor> {
  const [existing] = await db.select().from(apiKeys).where(eq(apiKeys.name, 'github-actions'));
  const key = existing ?? (await createApiKey({ actor, db, request: { via: 'system' } }, { name: 'github-actions', roles: ['ml_lead'], scopes: ['read', 'registry'] }));
  return { type: 'api_key', id: key.id, name: 'api-key:github-actions', roles: ['ml_lead'], scopes: ['read', 'registry'] };
}

type DemoModel = (typeof DEMO_MODELS)[number];
const CATEGORICAL = new Set(['merchant_category', 'country', 'plan', 'income_band', 'query_tokens']);

/** A registration payload as CI would post it. Inputs added after the first version are optional, so the bumps are honest. */
function demoRegistration(model: DemoModel, v: DemoModel['versions'][number], index: number, now: Date) {
  const first = new Set(model.versions[0]!.inputs);
  const digest = (salt: string) => createHash('sha256').update(`${model.name}@${v.version}:${salt}`).digest('hex');
  return {
    model: model.name,
    version: v.version,
    artifactUri: `s3://ml-artifacts/${model.name}/${v.version}/model.tar.gz`,
    artifactDigest: `sha256:${digest('artifact')}`,
    gitCommit: digest('commit').slice(0, 40),
    dataSnapshotId: `snap-${new Date(now.getTime() - (v.daysAgo + 2) * DAY).toISOString().slice(0, 10)}`,
    dataSnapshotHash: `sha256:${digest('data')}`,
    hyperparameters: v.hyperparameters,
    offlineMetrics: v.metrics,
    contract: {
      inputs: v.inputs.map((name) => ({ name, type: CATEGORICAL.has(name) ? ('string' as const) : ('float' as const), nullable: !first.has(name), required: first.has(name) })),
      outputs: [{ name: 'score', type: 'float' as const, nullable: false, required: true, range: { min: 0, max: 1 } }],
    },
    parentVersion: index > 0 ? model.versions[index - 1]!.version : undefined,
    tags: v.tags ?? [],
  };
}

/** What CI would have reported for a demo version: everything green unless the story says otherwise. */
function demoChecks(primaryMetric: string, v: (typeof DEMO_MODELS)[number]['versions'][number]): DemoCheck[] {
  const generated: DemoCheck[] = [
    { kind: 'unit', status: 'passed', measurements: { tests: 412, failures: 0 } },
    { kind: 'smoke', status: 'passed', measurements: { requests: 200, errors: 0 } },
    { kind: 'contract', status: 'passed', measurements: { breaking_changes: 0, replayed_requests: 5000 } },
    { kind: 'quality_regression', status: 'passed', measurements: { primary_metric: v.metrics[primaryMetric]!, ...v.metrics } },
    { kind: 'performance', status: 'passed', measurements: { p99_latency_ms: v.p99LatencyMs } },
    { kind: 'safety', status: 'passed', measurements: { subgroup_gap_points: v.subgroupGapPoints } },
  ];
  return generated.map((check) => v.checks?.find((o) => o.kind === check.kind) ?? check);
}

/** The demo's history: the version an environment runs arrived there by a promoted release. */
async function seedPromotedRelease(db: Database, r: { modelId: string; versionId: string; environment: string; finishedAt: Date }) {
  await db.transaction(async (tx) => {
    const [env] = await tx.select().from(environments).where(eq(environments.name, r.environment));
    if (!env) return;
    const [existing] = await tx
      .select({ id: releases.id })
      .from(releases)
      .where(and(eq(releases.modelId, r.modelId), eq(releases.environmentId, env.id), eq(releases.versionId, r.versionId)));
    if (existing) return;
    const [created] = await tx
      .insert(releases)
      .values({
        modelId: r.modelId,
        versionId: r.versionId,
        environmentId: env.id,
        strategy: 'immediate',
        state: 'promoted',
        currentWeight: 100,
        requestedBy: 'Maya Lead',
        reason: 'Demo history',
        createdAt: new Date(r.finishedAt.getTime() - DAY),
        startedAt: new Date(r.finishedAt.getTime() - 6 * 3_600_000),
        finishedAt: r.finishedAt,
        updatedAt: r.finishedAt,
      })
      .returning();
    await appendAudit(tx, { actor, now: new Date(), request: { via: 'system' } }, {
      action: 'release.promote',
      targetType: 'release',
      targetId: created!.id,
      after: { environment: r.environment, versionId: r.versionId, state: 'promoted', note: 'demo history' },
    });
  });
}

/**
 * The demo judges every 5 s with traffic the simulator can fill at its rate, so a visitor sees a
 * canary promoted and another rolled back within a couple of minutes. Real defaults are slower.
 */
async function demoAnalysis(db: Database, caller: { db: Database; request: RequestMeta }) {
  const config = {
    ...DEFAULT_ANALYSIS,
    metrics: DEFAULT_ANALYSIS.metrics.map((m) => ({ ...m, minSamples: 200 })),
    inconclusiveLimit: 10,
  };
  for (const environment of ['staging', 'production']) {
    const [env] = await db.select().from(environments).where(eq(environments.name, environment));
    if (env && env.analysisIntervalSeconds !== 5) await updateAnalysis({ ...caller, actor }, { environment, intervalSeconds: 5, config });
  }
}
