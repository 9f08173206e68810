import { asc, eq, inArray, isNull } from 'drizzle-orm';
import { z } from 'zod';
import { driftReferences, driftSnapshots, environments, models, modelVersions } from '@/db/schema';
import { driftDedupKey } from '@/lib/domain/alert-input';
import { DRIFT_ALERT_RULE, type AlertEvent } from '@/lib/domain/alert-rules';
import { effectivePolicy } from '@/lib/domain/drift-policy';
import { defineUseCase } from '../use-case';
import { observeSignal } from '../alerts/observe-signal';

const EvaluateDriftInput = z.object({ limit: z.number().int().min(1).max(1000).default(200) });

/**
 * Runs the alert rules over drift windows not yet seen, oldest window first, one signal per model
 * version · feature · environment: a window over the warning threshold opens (or raises) that
 * signal's alert; healthy windows count toward resolving it (the model's resolveAfterHealthy).
 * Each window is marked evaluated in the same transaction, so a restart never judges it twice.
 */
export const evaluateDrift = defineUseCase({
  name: 'drift.evaluate',
  permission: 'alert.manage',
  summary: 'Evaluate new drift windows against the alert rules',
  input: EvaluateDriftInput,
  async run(ctx, input) {
    const pending = await ctx.tx
      .select({
        snapshot: driftSnapshots,
        feature: driftReferences.feature,
        versionId: modelVersions.id,
        version: modelVersions.version,
        modelId: models.id,
        model: models.name,
        policy: models.driftPolicy,
        environment: environments.name,
      })
      .from(driftSnapshots)
      .innerJoin(driftReferences, eq(driftReferences.id, driftSnapshots.referenceId))
      .innerJoin(modelVersions, eq(modelVersions.id, driftReferences.versionId))
      .innerJoin(models, eq(models.id, modelVersions.modelId))
      .innerJoin(environments, eq(environments.id, driftSnapshots.environmentId))
      .where(isNull(driftSnapshots.evaluatedAt))
      .orderBy(asc(driftSnapshots.windowEnd), asc(driftSnapshots.createdAt))
      .limit(input.limit)
      .for('update', { of: driftSnapshots, skipLocked: true });
    const events: (AlertEvent & { feature: string; model: string })[] = [];
    for (const p of pending) {
      const policy = effectivePolicy(p.policy);
      const s = p.snapshot;
      const scores = s.scores as { threshold?: { warning: number; critical: number; operator: string }; convention?: string };
      const happened = await observeSignal(ctx, {
        dedupKey: driftDedupKey(p.versionId, p.feature, s.environmentId),
        kind: 'drift',
        at: s.windowEnd,
        severity: s.severity as 'ok' | 'warning' | 'critical',
        rule: { ...DRIFT_ALERT_RULE, resolveAfterHealthy: policy.resolveAfterHealthy },
        title: `Drift on ${p.feature}: ${p.model} ${p.version} in ${p.environment}`,
        details: {
          method: s.method,
          value: s.value,
          warning: scores.threshold?.warning,
          critical: scores.threshold?.critical,
          operator: scores.threshold?.operator,
          convention: scores.convention,
          n: s.n,
          windowStart: s.windowStart.toISOString(),
          windowEnd: s.windowEnd.toISOString(),
          simulated: s.simulated,
        },
        modelId: p.modelId,
        versionId: p.versionId,
        environmentId: s.environmentId,
        feature: p.feature,
      });
      events.push(...happened.map((e) => ({ ...e, feature: p.feature, model: p.model })));
    }
    if (pending.length) await ctx.tx.update(driftSnapshots).set({ evaluatedAt: ctx.now }).where(inArray(driftSnapshots.id, pending.map((p) => p.snapshot.id)));
    if (events.length === 0) ctx.unchanged();
    return { evaluated: pending.length, events };
  },
});
