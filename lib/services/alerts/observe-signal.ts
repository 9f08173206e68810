import { and, eq, inArray } from 'drizzle-orm';
import { alertEvents, alertInstances, alerts, environments, models, releases } from '@/db/schema';
import { evaluate, INITIAL_ALERT_STATE, isAlertInstanceState, type AlertEvent, type AlertRuleConfig, type ObservedSeverity } from '@/lib/domain/alert-rules';
import type { AlertGate } from '@/lib/domain/alert-input';
import { applyTransition } from '../releases/apply-transition';
import type { UseCaseContext } from '../use-case';
import { enqueueWebhooks } from '../webhooks/enqueue';

export type Signal = {
  dedupKey: string;
  kind: 'drift' | 'slo_breach' | 'analysis_failed';
  at: Date;
  severity: ObservedSeverity;
  rule: AlertRuleConfig;
  /** What the alert says when it opens (and the latest evidence while it fires). */
  title: string;
  details: Record<string, unknown>;
  modelId: string;
  versionId?: string | null;
  environmentId?: string | null;
  releaseId?: string | null;
  feature?: string | null;
};

/**
 * One observation of a watched signal, in the caller's transaction: the rule state (pending,
 * firing, recovering — lib/domain/alert-rules) is read under a row lock, advanced, stored, and its
 * events become alert rows, their comment trail, audit events and webhook notifications. A
 * critical alert on a model with a release in flight applies the environment's alert gate (pause
 * or roll back). Returns the events, so callers can report what happened.
 */
export async function observeSignal(ctx: UseCaseContext, signal: Signal): Promise<AlertEvent[]> {
  const { tx } = ctx;
  await tx.insert(alertInstances).values({ dedupKey: signal.dedupKey, kind: signal.kind, state: INITIAL_ALERT_STATE }).onConflictDoNothing();
  const [instance] = await tx.select().from(alertInstances).where(eq(alertInstances.dedupKey, signal.dedupKey)).for('update');
  const previous = isAlertInstanceState(instance!.state) ? instance!.state : INITIAL_ALERT_STATE;
  const { state, events, ignored } = evaluate(previous, { at: signal.at, severity: signal.severity }, signal.rule);
  if (ignored) return [];

  let alertId = instance!.alertId;
  for (const event of events) {
    if (event.type === 'open') {
      const [created] = await tx
        .insert(alerts)
        .values({
          kind: signal.kind,
          severity: event.severity,
          dedupKey: signal.dedupKey,
          title: signal.title,
          details: signal.details,
          modelId: signal.modelId,
          versionId: signal.versionId ?? null,
          environmentId: signal.environmentId ?? null,
          releaseId: signal.releaseId ?? null,
          feature: signal.feature ?? null,
          openedAt: signal.at,
          lastSeenAt: signal.at,
        })
        .returning();
      alertId = created!.id;
      await record(ctx, alertId, 'open', `${event.severity}: ${signal.title}`, { severity: event.severity, details: signal.details });
    } else if (alertId && event.type === 'escalate') {
      await tx.update(alerts).set({ severity: event.to, title: signal.title, details: signal.details, lastSeenAt: signal.at }).where(eq(alerts.id, alertId));
      await record(ctx, alertId, 'escalate', `${event.from} → ${event.to}: ${signal.title}`, { from: event.from, to: event.to, details: signal.details });
    } else if (alertId && event.type === 'resolve') {
      const [row] = await tx.select({ state: alerts.state }).from(alerts).where(eq(alerts.id, alertId));
      // Someone may have resolved it by hand already; then there is nothing left to do.
      if (row && row.state !== 'resolved') {
        await tx.update(alerts).set({ state: 'resolved', resolvedAt: signal.at, resolvedBy: ctx.actor.name }).where(eq(alerts.id, alertId));
        await record(ctx, alertId, 'auto_resolve', `Recovered: ${signal.rule.resolveAfterHealthy} healthy evaluation${signal.rule.resolveAfterHealthy === 1 ? '' : 's'} in a row`, { details: signal.details });
      }
      alertId = null;
    }
    if ((event.type === 'open' && event.severity === 'critical') || (event.type === 'escalate' && event.to === 'critical')) await applyAlertGate(ctx, signal);
  }
  // While it fires, the alert shows the latest evidence.
  if (alertId && events.length === 0 && signal.severity !== 'ok') await tx.update(alerts).set({ details: signal.details, lastSeenAt: signal.at }).where(eq(alerts.id, alertId));
  await tx.update(alertInstances).set({ state, alertId, updatedAt: ctx.now }).where(eq(alertInstances.dedupKey, signal.dedupKey));
  return events;
}

const ACTION = { open: 'alert.open', escalate: 'alert.escalate', auto_resolve: 'alert.resolve' } as const;

async function record(ctx: UseCaseContext, alertId: string, action: keyof typeof ACTION, comment: string, after: Record<string, unknown>) {
  await ctx.tx.insert(alertEvents).values({ alertId, action, actor: ctx.actor.name, comment, createdAt: ctx.now });
  await ctx.audit({ action: ACTION[action], targetType: 'alert', targetId: alertId, after, reason: comment });
  const [alert] = await ctx.tx.select().from(alerts).where(eq(alerts.id, alertId));
  await enqueueWebhooks(ctx.tx, ACTION[action], { alert: alertPayload(alert!), comment });
}

/** What a notification carries: the evidence summary and where to act. */
export function alertPayload(alert: typeof alerts.$inferSelect) {
  return {
    id: alert.id,
    kind: alert.kind,
    severity: alert.severity,
    state: alert.state,
    title: alert.title,
    feature: alert.feature,
    details: alert.details,
    openedAt: alert.openedAt,
    path: `/alerts/${alert.id}`,
  };
}

/**
 * The environment's alert gate: a critical drift or SLO alert pauses or rolls back the model's
 * release in flight there, as the controller, through the same transitions people use.
 */
async function applyAlertGate(ctx: UseCaseContext, signal: Signal) {
  if (!signal.environmentId || signal.kind === 'analysis_failed') return;
  const [env] = await ctx.tx.select({ gate: environments.alertGate, name: environments.name }).from(environments).where(eq(environments.id, signal.environmentId));
  const gate = (env?.gate ?? 'none') as AlertGate;
  if (gate === 'none') return;
  const [release] = await ctx.tx
    .select({ id: releases.id, state: releases.state, model: models.name })
    .from(releases)
    .innerJoin(models, eq(models.id, releases.modelId))
    .where(and(eq(releases.modelId, signal.modelId), eq(releases.environmentId, signal.environmentId), inArray(releases.state, gate === 'pause' ? ['running'] : ['running', 'paused'])));
  if (!release) return;
  await applyTransition(ctx, release.id, gate === 'pause' ? 'pause' : 'rollback', `Alert gate in ${env!.name}: ${signal.title}`);
}
