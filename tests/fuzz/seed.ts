import { createHash } from 'node:crypto';
import type { Database } from '@/db';
import { systemActor } from '@/lib/auth/system-actor';
import * as services from '@/lib/services';
import { designFor } from '../support/experiment-fixtures';

const sha256 = (text: string) => `sha256:${createHash('sha256').update(text).digest('hex')}`;
const MINUTE = 60_000;

/**
 * A realistic world for the fuzzer to aim at: real names and ids to put in paths and bodies, so
 * that requests get past "not found" into the use cases. Two environments, a model with three
 * versions (1.0.0 live in both, 1.1.0 in a canary in production, 2.0.0 registered), a rolled-back
 * release with its incident, an A/B experiment on a second model, an open alert, a drift
 * reference and window, an SLO with telemetry, a webhook, a user and an API key to aim at.
 */
export async function seedWorld(db: Database) {
  const as = { actor: systemActor('bootstrap'), db };
  const policy = { requiredChecks: [], thresholds: {} };
  const production = await services.createEnvironment(as, { name: 'production', rank: 2, policy });
  const staging = await services.createEnvironment(as, { name: 'staging', rank: 1, policy });
  const labs = await services.createEnvironment(as, { name: 'labs', rank: 0, policy });

  const contract = {
    inputs: [
      { name: 'amount', type: 'float', nullable: false, required: true },
      { name: 'country', type: 'string', nullable: false, required: true },
    ],
    outputs: [{ name: 'score', type: 'float', nullable: false, required: true }],
  };
  const model = await services.createModel(as, { name: 'fraud-detector', ownerTeam: 'risk-ml' });
  const versions = ['1.0.0', '1.1.0', '2.0.0'];
  for (const version of versions)
    await services.registerVersion(as, { model: model.name, version, artifactUri: `s3://ml/fraud/${version}/model.tar.gz`, artifactDigest: sha256(version), contract, offlineMetrics: { auc: 0.9 } });
  await services.reportCheck(as, { model: model.name, version: '1.1.0', kind: 'unit', status: 'passed', measurements: { tests: 412 } });

  const live = async (environment: string, version: string) => {
    const release = await services.requestRelease(as, { model: model.name, version, environment, strategy: 'immediate' });
    await services.startRelease(as, { releaseId: release.id });
    await services.promoteRelease(as, { releaseId: release.id });
    return release;
  };
  const livePrd = await live(production.name, '1.0.0');
  await live(staging.name, '1.0.0');

  // Staging: 1.1.0 rolled back (an incident); production: 1.1.0 in a canary, with an alert.
  const failed = await services.requestRelease(as, { model: model.name, version: '1.1.0', environment: staging.name, strategy: 'canary', plan: [{ weight: 10 }, { weight: 100 }] });
  await services.startRelease(as, { releaseId: failed.id });
  const rolledBack = (await services.rollbackRelease(as, { releaseId: failed.id, reason: 'error rate doubled' })) as { incidentId?: string };
  const canary = await services.requestRelease(as, { model: model.name, version: '1.1.0', environment: production.name, strategy: 'canary', plan: [{ weight: 10 }, { weight: 50 }, { weight: 100 }] });
  await services.startRelease(as, { releaseId: canary.id });
  await services.observeAnalysis(as, { releaseId: canary.id, verdict: 'fail', at: new Date(), summary: 'error rate 2.1 % vs 1.0 %' });
  const now = Date.now();
  const bucket = new Date(Math.floor(now / MINUTE) * MINUTE - 2 * MINUTE).toISOString();
  await services.ingestMetrics(as, {
    samples: ['baseline', 'canary'].map((variant) => ({ releaseId: canary.id, variant, metric: 'error_rate', kind: 'counter', bucketStart: bucket, count: 1000, errors: 10 })),
  });
  const pending = await services.requestRelease(as, { model: model.name, version: '2.0.0', environment: labs.name, strategy: 'immediate' });

  // Drift: a reference for 1.0.0 and one production window.
  await services.postDriftReference(as, {
    model: model.name,
    version: '1.0.0',
    features: [
      { name: 'amount', type: 'numeric', values: Array.from({ length: 500 }, (_, i) => (i * 37) % 1000) },
      { name: 'country', type: 'categorical', counts: { DE: 600, FR: 300, 'C%D': 100 } },
    ],
  });
  await services.ingestDriftSnapshot(as, {
    model: model.name,
    version: '1.0.0',
    environment: production.name,
    windowStart: new Date(now - 3 * MINUTE).toISOString(),
    windowEnd: new Date(now - 2 * MINUTE).toISOString(),
    features: [{ name: 'country', counts: { DE: 500, FR: 400, 'C%D': 100 } }],
  });
  await services.setSlo(as, { model: model.name, environment: production.name, kind: 'availability', objective: 0.999 });
  await services.ingestServiceTelemetry(as, { service: model.name, environment: production.name, buckets: [{ bucketStart: bucket, requests: 500, errors: 1 }] });

  // An A/B experiment on a second model, in the lab.
  const ranker = await services.createModel(as, { name: 'ranker', ownerTeam: 'search-ml' });
  for (const version of ['1.0.0', '1.1.0'])
    await services.registerVersion(as, { model: ranker.name, version, artifactUri: `s3://ml/ranker/${version}.tar.gz`, artifactDigest: sha256(`ranker${version}`) });
  const rankerLive = await services.requestRelease(as, { model: ranker.name, version: '1.0.0', environment: staging.name, strategy: 'immediate' });
  await services.startRelease(as, { releaseId: rankerLive.id });
  await services.promoteRelease(as, { releaseId: rankerLive.id });
  const experiment = await services.createExperiment(as, designFor({ model: ranker.name, environment: staging.name }));

  const webhook = await services.createWebhook(as, { url: 'https://hooks.example.com/flightdeck', events: ['*'] });
  const user = await services.createUser(as, { email: 'target@fuzz.example', name: 'Fuzz Target', roles: ['oncall'] });
  const key = await services.createApiKey(as, { name: 'fuzz-target', roles: ['ml_lead'], scopes: ['read'] });
  const { alerts } = await import('@/db/schema');
  const alertIds = (await db.select({ id: alerts.id }).from(alerts)).map((a) => a.id);

  return {
    models: [model.name, ranker.name],
    versions,
    environments: [production.name, staging.name, labs.name],
    features: ['amount', 'country'],
    ids: {
      releases: [livePrd.id, failed.id, canary.id, pending.id, rankerLive.id, experiment.release.id],
      experiments: [experiment.id],
      incidents: rolledBack.incidentId ? [rolledBack.incidentId] : [],
      alerts: alertIds,
      webhooks: [webhook.id],
      users: [user.id],
      apiKeys: [key.id],
    },
  };
}

export type World = Awaited<ReturnType<typeof seedWorld>>;
