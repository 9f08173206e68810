import { eq, sql } from 'drizzle-orm';
import { incidents, releases } from '@/db/schema';
import { transition, type ReleaseAction } from '@/lib/domain/release-machine';
import { conflict } from '../errors';
import type { UseCaseContext } from '../use-case';
import { enqueueWebhooks } from '../webhooks/enqueue';
import { freezeOf, lockRelease, snapshotOf, validApprovals } from './release-context';

export type TransitionOutcome = { release: typeof releases.$inferSelect; changed: boolean; note?: string; incidentId?: string };

/**
 * The one path every release action takes after its use case has authorised and validated:
 * lock the release, ask the pure state machine whether the action is legal from the current
 * state, write the new state with its routing revision, audit, announce to webhooks, and for a
 * rollback open the incident — all in the caller's transaction.
 *
 * A repeat of an action that already happened (a second rollback click) changes nothing and is
 * answered with the current state; an action the state no longer allows (promote after a
 * rollback won the race) is a conflict naming the state.
 */
export async function applyTransition(ctx: UseCaseContext, releaseId: string, action: ReleaseAction, reason?: string, fromStep?: number): Promise<TransitionOutcome> {
  const { tx, now } = ctx;
  const { release, env, weights, names } = await lockRelease(tx, releaseId);
  // Two actors (or two controller ticks) that both saw step 1 must not advance it twice.
  if (fromStep !== undefined && release.currentStep !== fromStep) {
    ctx.unchanged();
    return { release, changed: false, note: `already moved on to step ${release.currentStep + 1}` };
  }
  // An experiment's release moves to 100 % only through its decision (ship requests a promotion,
  // with approvals), never by stepping past the gate that holds its arms.
  if (release.strategy === 'ab' && (action === 'advance' || action === 'promote'))
    throw conflict('This release runs an A/B experiment: decide the experiment instead (ship requests a promotion; stop rolls it back).', { state: release.state });
  const frozen = freezeOf(env, now) !== null;

  let approvalCount = 0;
  if ((action === 'start' || action === 'approve') && env.requiredApprovals > 0) {
    const approvals = await validApprovals(tx, release, env, now);
    approvalCount = approvals.valid;
    if (action === 'start' && approvals.valid < env.requiredApprovals)
      throw conflict(
        `Only ${approvals.valid} of ${env.requiredApprovals} required approvals are still valid: approvals expire, and are void when the version's gate results or the ${env.name} policy changed after they were given. Ask for a new approval.`,
        { state: release.state },
      );
  }

  const result = transition(snapshotOf(release, weights), action, { approvals: approvalCount, requiredApprovals: env.requiredApprovals, frozen });
  // The state machine's message starts with the state ("rolled back: it cannot be promoted").
  if (!result.ok) throw conflict(`This release is ${result.message}`, { state: release.state, reason: result.reason });
  if (!result.changed) {
    ctx.unchanged();
    return { release, changed: false, note: result.note };
  }

  const { next } = result;
  const weightChanged = next.currentWeight !== release.currentWeight || next.state !== release.state;
  const [updated] = await tx
    .update(releases)
    .set({
      state: next.state,
      currentStep: next.currentStep,
      currentWeight: next.currentWeight,
      routingRevision: weightChanged ? sql`${releases.routingRevision} + 1` : release.routingRevision,
      startedAt: action === 'start' ? now : release.startedAt,
      stepStartedAt: next.currentStep !== release.currentStep || action === 'start' || action === 'resume' ? now : release.stepStartedAt,
      finishedAt: result.terminal ? now : null,
      // A person or pipeline acting starts the trace the controller's next steps continue.
      traceParent: ctx.request?.via !== 'system' && ctx.request?.traceparent ? ctx.request.traceparent : release.traceParent,
      updatedAt: now,
    })
    .where(eq(releases.id, release.id))
    .returning();

  const summary = { releaseId: release.id, ...names, state: next.state, weight: next.currentWeight, step: next.currentStep };

  await ctx.audit({
    action: `release.${action}`,
    targetType: 'release',
    targetId: release.id,
    before: { state: release.state, step: release.currentStep, weight: release.currentWeight },
    after: summary,
    reason: reason ?? null,
  });
  await enqueueWebhooks(tx, `release.${action}`, { ...summary, actor: ctx.actor.name, reason: reason ?? null, at: now.toISOString() }, ctx.request?.traceparent);

  let incidentId: string | undefined;
  if (action === 'rollback') {
    const [incident] = await tx
      .insert(incidents)
      .values({
        releaseId: release.id,
        title: `Rollback of ${names.model} ${names.version} in ${names.environment}`,
        detectedAt: now,
        rolledBackAt: now,
        rolledBackBy: ctx.actor.name,
      })
      .returning({ id: incidents.id, title: incidents.title });
    incidentId = incident!.id;
    await ctx.audit({ action: 'incident.open', targetType: 'incident', targetId: incident!.id, after: { releaseId: release.id, title: incident!.title }, reason: reason ?? null });
  }
  return { release: updated!, changed: true, incidentId };
}
