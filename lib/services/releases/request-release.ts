import { and, eq, inArray } from 'drizzle-orm';
import { environments, models, modelVersions, releases, releaseSteps } from '@/db/schema';
import type { Database } from '@/db';
import { RequestReleaseInput } from '@/lib/domain/release-input';
import { IN_FLIGHT_STATES } from '@/lib/domain/release-machine';
import { DEFAULT_PRODUCTION_PLAN, DEFAULT_STAGING_PLAN, Plan, planFor, type SplitRouting, type Strategy } from '@/lib/domain/release-plan';
import { deployabilityOf } from '@/lib/queries/deployability';
import { conflict, invalid, notFound } from '../errors';
import { defineUseCase, type UseCaseContext } from '../use-case';
import { freezeOf } from './release-context';

/**
 * An ML lead asks for a version to go to an environment. Only a version deployable there (every
 * gate of the environment's policy met) may be requested; one release per model and environment
 * may be in flight. The baseline is whatever runs there now. Without required approvals the
 * release is approved at once.
 * Fails with: forbidden; invalid (plan, split, unknown version in a split); not_found (model,
 * version, environment); conflict (not deployable, already live, another release in flight, frozen).
 */
export const requestRelease = defineUseCase({
  name: 'release.request',
  permission: 'release.request',
  summary: 'Request a release',
  input: RequestReleaseInput,
  run: async (ctx, input) => (await openRelease(ctx, input)).release,
});

export type ReleaseSpec = {
  model: string;
  version: string;
  environment: string;
  strategy: Strategy;
  plan?: Plan;
  /** split: the versions and segments; ab: the arms (control first) */
  split?: SplitRouting;
  /** ab: the unit a router hashes to assign arms */
  assignmentUnit?: string;
  reason?: string;
};

/**
 * The checks and the insert behind every release request, shared by requestRelease and the
 * experiment use cases (an A/B test opens an "ab" release; shipping its winner requests one).
 * For a split or ab release every version it names must be registered, and for ab every
 * treatment deployable and the control the version live now. Audits `release.request`.
 */
export async function openRelease({ tx, actor, now, audit, request }: UseCaseContext, input: ReleaseSpec) {
  // Lock the environment: requests into one environment are decided one at a time.
  const [env] = await tx.select().from(environments).where(eq(environments.name, input.environment)).for('update');
  if (!env) throw notFound(`The environment "${input.environment}"`);
  const frozen = freezeOf(env, now);
  if (frozen) throw conflict(`${env.name} is frozen until ${frozen.end} (${frozen.reason}): only rollbacks are allowed.`);

  const [model] = await tx.select().from(models).where(eq(models.name, input.model));
  if (!model) throw notFound(`The model "${input.model}"`);
  const versions = await tx.select({ id: modelVersions.id, version: modelVersions.version }).from(modelVersions).where(eq(modelVersions.modelId, model.id));
  const version = versions.find((v) => v.version === input.version);
  if (!version) throw notFound(`Version ${input.version} of "${input.model}"`);

  const [inFlight] = await tx
    .select({ id: releases.id, state: releases.state })
    .from(releases)
    .where(and(eq(releases.modelId, model.id), eq(releases.environmentId, env.id), inArray(releases.state, [...IN_FLIGHT_STATES])));
  if (inFlight) throw conflict(`${input.model} already has a release in ${env.name} (${inFlight.state.replace('_', ' ')}); finish or abort it first.`, { releaseId: inFlight.id });

  let routing: Record<string, unknown> = {};
  if (input.split) {
    const unknown = input.split.versions.map((v) => v.version).filter((v) => !versions.some((x) => x.version === v));
    if (unknown.length) throw invalid('The split names versions that are not registered.', { [input.strategy === 'ab' ? 'arms' : 'split']: [`Unknown versions: ${unknown.join(', ')}`] });
    routing = input.assignmentUnit ? { ...input.split, unit: input.assignmentUnit } : input.split;
  }
  // An ab release deploys every treatment; each must pass the environment's gates.
  const candidates = input.strategy === 'ab' && input.split ? input.split.versions.slice(1).map((v) => versions.find((x) => x.version === v.version)!) : [version];
  const verdicts = await deployabilityOf(tx as unknown as Database, candidates.map((c) => ({ id: c.id, modelId: model.id })));
  const verdictOf = (id: string) => verdicts.get(id)!.find((d) => d.environment === env.name)!;
  const verdict = verdictOf(version.id);
  for (const c of candidates) {
    const v = verdictOf(c.id);
    if (v.isLive) throw conflict(`${input.model} ${c.version} already runs in ${env.name}.`);
    if (!v.deployable) throw conflict(`${input.model} ${c.version} is not deployable to ${env.name}: ${v.unmet.map((u) => u.reason).join('; ')}`, { unmet: v.unmet });
  }
  if (input.strategy === 'ab') {
    const live = verdict.live?.version ?? null;
    const control = input.split?.versions[0]?.version;
    if (live === null) throw conflict(`Nothing runs in ${env.name} yet: an A/B test needs the live version as its control. Release a first version instead.`);
    if (control !== live) throw invalid(`The control arm must be the version live in ${env.name} (${live}).`, { 'arms.0.version': [`Must be ${live}, the version live in ${env.name}`] });
  }
  const envDefault = Plan.safeParse(env.defaultPlan);
  const plan = input.plan ?? planFor(input.strategy, envDefault.success ? envDefault.data : env.rank >= 2 ? DEFAULT_PRODUCTION_PLAN : DEFAULT_STAGING_PLAN);

  const [created] = await tx
    .insert(releases)
    .values({
      modelId: model.id,
      versionId: version.id,
      baselineVersionId: verdict.live?.versionId ?? null,
      environmentId: env.id,
      strategy: input.strategy,
      state: env.requiredApprovals > 0 ? 'pending_approval' : 'approved',
      routing,
      requestedBy: actor.name,
      requestedById: actor.id,
      requestedByUserId: actor.type === 'user' ? actor.id : null,
      reason: input.reason ?? null,
      traceParent: request?.traceparent ?? null,
      createdAt: now,
      updatedAt: now,
    })
    .returning();
  await tx.insert(releaseSteps).values(plan.map((step, position) => ({ ...step, releaseId: created!.id, position })));
  await audit({
    action: 'release.request',
    targetType: 'release',
    targetId: created!.id,
    after: { model: input.model, version: input.version, environment: env.name, strategy: input.strategy, baseline: verdict.live?.version ?? null, plan, state: created!.state, ...(input.split ? { split: input.split } : {}) },
    reason: input.reason ?? null,
  });
  return { release: created!, environment: env, model, baseline: verdict.live?.version ?? null };
}
