import { eq } from 'drizzle-orm';
import { experiments } from '@/db/schema';
import { DecideExperimentInput } from '@/lib/domain/experiment-design';
import { computeResults, getExperimentForUpdate } from '@/lib/queries/experiments';
import { conflict, invalid } from '../errors';
import { applyTransition } from '../releases/apply-transition';
import { openRelease } from '../releases/request-release';
import { defineUseCase } from '../use-case';

/**
 * The ML lead decides a running experiment, on the evidence of its results at that moment
 * (stored with the decision):
 * - ship: ends the A/B release (its arms return to control) and requests a release of the chosen
 *   treatment through the normal flow — approvals, freezes and gates apply to it. Refused while
 *   the sample ratio is mismatched or when a guardrail of that treatment is significantly worse.
 * - roll_back: rolls the A/B release back through the same rollback as the release page (an
 *   incident opens).
 * Deciding again the same way changes nothing; deciding differently is a conflict.
 * Fails with: forbidden; invalid (arm not a treatment); not_found; conflict (not running, decided,
 * SRM, guardrail, frozen, the winner no longer deployable).
 */
export const decideExperiment = defineUseCase({
  name: 'experiment.decide',
  permission: 'experiment.decide',
  summary: 'Decide an A/B experiment (ship a treatment or roll back)',
  input: DecideExperimentInput,
  async run(ctx, input) {
    const e = await getExperimentForUpdate(ctx.tx, input.experimentId);
    if (e.decision) {
      const same = e.decision === input.decision && (input.decision !== 'ship' || e.shippedVersion === input.arm);
      if (same) {
        ctx.unchanged();
        return { changed: false, experimentId: e.id, decision: e.decision, promotionReleaseId: e.promotionReleaseId, incidentId: null };
      }
      throw conflict(`This experiment was already decided: ${e.decision === 'ship' ? `ship ${e.shippedVersion}` : 'roll back'} by ${e.decidedBy}.`, { decision: e.decision });
    }
    if (e.releaseState !== 'running' && e.releaseState !== 'paused')
      throw conflict(`This experiment is not running (its release is ${e.releaseState.replace('_', ' ')}): only a running experiment can be decided.`, { state: e.releaseState });

    const results = await computeResults(ctx.tx, e);
    let promotionReleaseId: string | null = null;
    let incidentId: string | null = null;
    if (input.decision === 'ship') {
      const treatments = e.design.arms.slice(1).map((a) => a.version);
      if (!treatments.includes(input.arm)) throw invalid('Ship one of the treatments.', { arm: [`Expected one of ${treatments.join(', ')}`] });
      const blockers = results.decision.shipBlockedBy.filter((b) => b.startsWith('Sample ratio mismatch') || b.startsWith(`${input.arm} `));
      if (blockers.length) throw conflict(`${input.arm} cannot ship: ${blockers.join('; ')}.`, { blockedBy: blockers });
      await applyTransition(ctx, e.releaseId, 'abort', `Experiment "${e.name}" decided: ship ${input.arm}`);
      const { release } = await openRelease(ctx, {
        model: e.model,
        version: input.arm,
        environment: e.environment,
        strategy: input.strategy,
        reason: `Ship the winner of experiment "${e.name}": ${input.reason}`,
      });
      promotionReleaseId = release.id;
    } else {
      const outcome = await applyTransition(ctx, e.releaseId, 'rollback', `Experiment "${e.name}" stopped: ${input.reason}`);
      incidentId = outcome.incidentId ?? null;
    }

    await ctx.tx
      .update(experiments)
      .set({
        decision: input.decision,
        decisionReason: input.reason,
        shippedVersion: input.decision === 'ship' ? input.arm : null,
        promotionReleaseId,
        decisionEvidence: results,
        decidedBy: ctx.actor.name,
        decidedAt: ctx.now,
      })
      .where(eq(experiments.id, e.id));
    await ctx.audit({
      action: 'experiment.decide',
      targetType: 'experiment',
      targetId: e.id,
      before: { status: e.status },
      after: {
        decision: input.decision,
        arm: input.decision === 'ship' ? input.arm : null,
        promotionReleaseId,
        recommendation: results.decision.recommendation,
        recommendedArm: results.decision.arm,
        srmPValue: results.srm.status === 'ok' ? results.srm.pValue : null,
      },
      reason: input.reason,
    });
    return { changed: true, experimentId: e.id, decision: input.decision, promotionReleaseId, incidentId };
  },
});
