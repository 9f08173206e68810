import { eq } from 'drizzle-orm';
import { environments } from '@/db/schema';
import type { Database } from '@/db';
import { createEnvironment, createExperiment, createModel, promoteRelease, registerVersion, requestRelease, startRelease } from '@/lib/services';
import { setUp, unique } from './fixtures';

/**
 * A model with 1.0.0 live in a fresh environment (no gates) and 1.1.0 and 1.2.0 registered:
 * what an A/B test needs. `requiredApprovals` applies from then on (the first release skips it).
 */
export async function liveModel(db: Database, opts: { requiredApprovals?: number } = {}) {
  const env = await createEnvironment(setUp(db), { name: `env-${unique()}`, rank: 1, policy: { requiredChecks: [], thresholds: {} } });
  const model = await createModel(setUp(db), { name: `model-${unique()}`, ownerTeam: 'search-ml' });
  for (const version of ['1.0.0', '1.1.0', '1.2.0'])
    await registerVersion(setUp(db), { model: model.name, version, artifactUri: `s3://artifacts/${version}.tar.gz`, artifactDigest: `sha256:${unique().padEnd(64, '0')}` });
  const first = await requestRelease(setUp(db), { model: model.name, version: '1.0.0', environment: env.name, strategy: 'immediate' });
  await startRelease(setUp(db), { releaseId: first.id });
  await promoteRelease(setUp(db), { releaseId: first.id });
  if (opts.requiredApprovals) await db.update(environments).set({ requiredApprovals: opts.requiredApprovals }).where(eq(environments.id, env.id));
  return { model: model.name, environment: env.name };
}

/** A valid design: conversion (binomial, primary), revenue (continuous, secondary), latency guardrail. */
export function designFor(target: { model: string; environment: string }, over: Record<string, unknown> = {}) {
  return {
    ...target,
    name: 'New ranker',
    hypothesis: 'The new ranker lifts conversion by at least 2 % without hurting latency.',
    arms: [
      { version: '1.0.0', allocation: 50 },
      { version: '1.1.0', allocation: 50 },
    ],
    primaryMetric: { name: 'conversion', type: 'binomial' },
    secondaryMetrics: [{ name: 'revenue', type: 'continuous' }],
    guardrailMetrics: [{ name: 'latency_ms', type: 'continuous', higherIsBetter: false }],
    minimumDetectableEffect: 0.02,
    baseline: { rate: 0.1 },
    ...over,
  };
}

/** An experiment whose A/B release is running (environment without approvals). */
export async function runningExperiment(db: Database, over: Record<string, unknown> = {}) {
  const target = await liveModel(db);
  const experiment = await createExperiment(setUp(db), designFor(target, over));
  await startRelease(setUp(db), { releaseId: experiment.release.id });
  return { ...target, experiment };
}
