import { experiments } from '@/db/schema';
import { CreateExperimentInput, type ExperimentDesign } from '@/lib/domain/experiment-design';
import { abPlan } from '@/lib/domain/release-plan';
import { sampleSizePerArm } from '@/lib/domain/sample-size';
import { invalid } from '../errors';
import { openRelease } from '../releases/request-release';
import { defineUseCase } from '../use-case';

/** Units per arm the design needs: the MDE in the direction that counts, α split over the treatments. */
export function plannedSampleSize(design: ExperimentDesign): number {
  const mde = design.primaryMetric.higherIsBetter ? design.minimumDetectableEffect : -design.minimumDetectableEffect;
  const baseline = 'rate' in design.baseline ? { baselineRate: design.baseline.rate } : { mean: design.baseline.mean, variance: design.baseline.variance };
  try {
    return sampleSizePerArm({ ...baseline, mde, alpha: design.alpha, power: design.power, arms: design.arms.length });
  } catch (error) {
    throw invalid('The sample size cannot be computed from this design.', { minimumDetectableEffect: [(error as Error).message] });
  }
}

/**
 * An ML lead designs an A/B test. It opens a release with the "ab" strategy whose arms are the
 * control (the version live in the environment) and the treatments at their allocation, held
 * behind a manual gate; approvals apply to it like any release into that environment. The planned
 * sample size per arm is computed from the design and stored with it.
 * Fails with: forbidden; invalid (design, allocation, control not the live version, sample size);
 * not_found (model, version, environment); conflict (a treatment not deployable, another release
 * in flight, frozen, nothing live yet).
 */
export const createExperiment = defineUseCase({
  name: 'experiment.create',
  permission: 'experiment.create',
  summary: 'Design and request an A/B experiment',
  input: CreateExperimentInput,
  async run(ctx, input) {
    const { model, environment, name, hypothesis, reason, ...design } = input;
    const planned = plannedSampleSize(design);
    const [control, firstTreatment] = design.arms;
    const { release } = await openRelease(ctx, {
      model,
      version: firstTreatment!.version,
      environment,
      strategy: 'ab',
      plan: abPlan(100 - control!.allocation),
      split: { versions: design.arms.map((a) => ({ version: a.version, weight: a.allocation })), segments: [] },
      assignmentUnit: design.randomisationUnit,
      reason: reason ?? `A/B experiment "${name}"`,
    });
    const [created] = await ctx.tx
      .insert(experiments)
      .values({ releaseId: release.id, name, hypothesis, design, plannedSampleSize: planned, createdBy: ctx.actor.name, createdAt: ctx.now })
      .returning();
    await ctx.audit({
      action: 'experiment.create',
      targetType: 'experiment',
      targetId: created!.id,
      after: { name, hypothesis, model, environment, releaseId: release.id, plannedSampleSize: planned, design },
      reason: reason ?? null,
    });
    return { ...created!, release: { id: release.id, state: release.state } };
  },
});
