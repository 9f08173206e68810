import { eq } from 'drizzle-orm';
import { alertEvents, alertInstances, alerts } from '@/db/schema';
import { INITIAL_ALERT_STATE } from '@/lib/domain/alert-rules';
import { AcknowledgeAlertInput, CommentAlertInput, ResolveAlertInput } from '@/lib/domain/alert-input';
import { conflict, notFound } from '../errors';
import { defineUseCase, type UseCaseContext } from '../use-case';
import { enqueueWebhooks } from '../webhooks/enqueue';
import { alertPayload } from './observe-signal';

async function lockAlert(ctx: UseCaseContext, alertId: string) {
  const [alert] = await ctx.tx.select().from(alerts).where(eq(alerts.id, alertId)).for('update');
  if (!alert) throw notFound('The alert');
  return alert;
}

async function note(ctx: UseCaseContext, alertId: string, action: string, comment: string) {
  await ctx.tx.insert(alertEvents).values({ alertId, action, actor: ctx.actor.name, comment, createdAt: ctx.now });
}

/**
 * "I have it": open → acknowledged, with who and when. Acknowledging again changes nothing; a
 * resolved alert cannot be acknowledged. Fails with: forbidden; invalid; not_found; conflict.
 */
export const acknowledgeAlert = defineUseCase({
  name: 'alert.acknowledge',
  permission: 'alert.manage',
  summary: 'Acknowledge an alert',
  input: AcknowledgeAlertInput,
  async run(ctx, input) {
    const alert = await lockAlert(ctx, input.alertId);
    if (alert.state === 'resolved') throw conflict('This alert is resolved: there is nothing to acknowledge.', { state: alert.state });
    if (alert.state === 'acknowledged') {
      ctx.unchanged();
      return { changed: false, alert };
    }
    const [updated] = await ctx.tx.update(alerts).set({ state: 'acknowledged', acknowledgedBy: ctx.actor.name, acknowledgedAt: ctx.now }).where(eq(alerts.id, alert.id)).returning();
    await note(ctx, alert.id, 'acknowledge', input.comment);
    await ctx.audit({ action: 'alert.acknowledge', targetType: 'alert', targetId: alert.id, before: { state: alert.state }, after: { state: 'acknowledged' }, reason: input.comment || null });
    await enqueueWebhooks(ctx.tx, 'alert.acknowledge', { alert: alertPayload(updated!), by: ctx.actor.name, comment: input.comment });
    return { changed: true, alert: updated! };
  },
});

/**
 * Resolved by hand, with what was done. The watched signal starts over: if the condition still
 * holds, the rule fires again and opens a new alert. Resolving again changes nothing.
 */
export const resolveAlert = defineUseCase({
  name: 'alert.resolve',
  permission: 'alert.manage',
  summary: 'Resolve an alert',
  input: ResolveAlertInput,
  async run(ctx, input) {
    const alert = await lockAlert(ctx, input.alertId);
    if (alert.state === 'resolved') {
      ctx.unchanged();
      return { changed: false, alert };
    }
    const [updated] = await ctx.tx.update(alerts).set({ state: 'resolved', resolvedBy: ctx.actor.name, resolvedAt: ctx.now }).where(eq(alerts.id, alert.id)).returning();
    await ctx.tx.update(alertInstances).set({ state: INITIAL_ALERT_STATE, alertId: null, updatedAt: ctx.now }).where(eq(alertInstances.dedupKey, alert.dedupKey));
    await note(ctx, alert.id, 'resolve', input.comment);
    await ctx.audit({ action: 'alert.resolve', targetType: 'alert', targetId: alert.id, before: { state: alert.state }, after: { state: 'resolved' }, reason: input.comment });
    await enqueueWebhooks(ctx.tx, 'alert.resolve', { alert: alertPayload(updated!), by: ctx.actor.name, comment: input.comment });
    return { changed: true, alert: updated! };
  },
});

/** A note on the alert's trail (what was checked, who was called). */
export const commentAlert = defineUseCase({
  name: 'alert.comment',
  permission: 'alert.manage',
  summary: 'Comment on an alert',
  input: CommentAlertInput,
  async run(ctx, input) {
    const alert = await lockAlert(ctx, input.alertId);
    await note(ctx, alert.id, 'comment', input.comment);
    await ctx.audit({ action: 'alert.comment', targetType: 'alert', targetId: alert.id, after: { comment: input.comment } });
    return { changed: true, alert };
  },
});
