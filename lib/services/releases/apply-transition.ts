import { randomUUID } from 'node:crypto';
import { sql } from 'drizzle-orm';
import { rowsOf } from '@/db/client';
import { rowFromJson } from '@/db/json-rows';
import { incidents, releases } from '@/db/schema';
import { transition, type ReleaseAction } from '@/lib/domain/release-machine';
import { releaseView, type ReleaseView } from '@/lib/queries/releases';
import { conflict } from '../errors';
import type { UseCaseContext } from '../use-case';
import { outboxInsert } from '../webhooks/enqueue';
import { freezeOf, lockRelease, snapshotOf, validApprovals } from './release-context';

/** `view`: the release as its page shows it after the action (what /api/v1 answers with), read in the transaction. */
export type TransitionOutcome = { release: typeof releases.$inferSelect; view: ReleaseView; changed: boolean; note?: string; incidentId?: string };

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
  const { release, env, weights, names, viewRow } = await lockRelease(tx, releaseId);
  // Two actors (or two controller ticks) that both saw step 1 must not advance it twice.
  if (fromStep !== undefined && release.currentStep !== fromStep) {
    ctx.unchanged();
    return { release, view: releaseView(viewRow), changed: false, note: `already moved on to step ${release.currentStep + 1}` };
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
    return { release, view: releaseView(viewRow), changed: false, note: result.note };
  }

  const { next } = result;
  const weightChanged = next.currentWeight !== release.currentWeight || next.state !== release.state;
  const stepStarted = next.currentStep !== release.currentStep || action === 'start' || action === 'resume';
  const at = now.toISOString();
  // A person or pipeline acting starts the trace the controller's next steps continue.
  const traceParent = ctx.request?.via !== 'system' && ctx.request?.traceparent ? ctx.request.traceparent : release.traceParent;
  const summary = { releaseId: release.id, ...names, state: next.state, weight: next.currentWeight, step: next.currentStep };
  await ctx.audit({
    action: `release.${action}`,
    targetType: 'release',
    targetId: release.id,
    before: { state: release.state, step: release.currentStep, weight: release.currentWeight },
    after: summary,
    reason: reason ?? null,
  });

  const incidentId = action === 'rollback' ? randomUUID() : undefined;
  const incidentTitle = `Rollback of ${names.model} ${names.version} in ${names.environment}`;
  if (incidentId)
    await ctx.audit({ action: 'incident.open', targetType: 'incident', targetId: incidentId, after: { releaseId: release.id, title: incidentTitle }, reason: reason ?? null });

  // The state, the announcement, the incident (for a rollback) and the audit events in one
  // statement (data-modifying CTEs, each run once whether or not the query reads it): one round
  // trip and one statement's overhead instead of four, in Postgres and here. Hand-written SQL:
  // the query builder cost more CPU than Postgres did.
  const opened = incidentId
    ? sql`, opened as (
        insert into ${incidents} (id, release_id, title, detected_at, rolled_back_at, rolled_back_by)
        values (${incidentId}, ${release.id}, ${incidentTitle}, ${at}::timestamptz, ${at}::timestamptz, ${ctx.actor.name})
        returning row_to_json(${incidents}) as row)`
    : sql``;
  const [written] = rowsOf<{ release: unknown; incident: unknown }>(
    await tx.execute(sql`
      with updated as (
        update ${releases} r
        set state = ${next.state}, current_step = ${next.currentStep}, current_weight = ${next.currentWeight},
            routing_revision = r.routing_revision + ${weightChanged ? 1 : 0},
            started_at = ${action === 'start' ? sql`${at}::timestamptz` : sql`r.started_at`},
            step_started_at = ${stepStarted ? sql`${at}::timestamptz` : sql`r.step_started_at`},
            finished_at = ${result.terminal ? sql`${at}::timestamptz` : sql`null`},
            trace_parent = ${traceParent}, updated_at = ${at}::timestamptz
        where r.id = ${release.id}
        returning row_to_json(r) as row),
      announced as (${outboxInsert(`release.${action}`, { ...summary, actor: ctx.actor.name, reason: reason ?? null, at }, ctx.request?.traceparent)}),
      audited as (${ctx.takeAuditInsert()!})${opened}
      select (select row from updated) as release, ${incidentId ? sql`(select row from opened)` : sql`null::json`} as incident`),
  );
  const incident = incidentId ? written!.incident : viewRow.incident;
  return { release: rowFromJson(releases, written!.release), view: releaseView({ ...viewRow, release: written!.release, incident }), changed: true, incidentId };
}
