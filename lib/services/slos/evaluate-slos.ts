import { eq } from 'drizzle-orm';
import { z } from 'zod';
import { environments, models, slos } from '@/db/schema';
import { SLO_ALERT_RULE, type AlertEvent } from '@/lib/domain/alert-rules';
import { evaluateBurn } from '@/lib/domain/slo-burn-rate';
import { windowCounts } from '@/lib/queries/slos';
import { observeSignal } from '../alerts/observe-signal';
import { defineUseCase } from '../use-case';

/**
 * Every SLO's burn over its windows (SRE workbook: 14.4× over 1 h and 5 min, 6× over 6 h and
 * 30 min, 1× over 3 days and 6 h) as an alert signal per SLO, with the Prometheus-style rule
 * (pending for 2 min, keeps firing 5 min after it clears).
 */
export const evaluateSlos = defineUseCase({
  name: 'slo.evaluate',
  permission: 'alert.manage',
  summary: 'Evaluate every SLO against its burn-rate rules',
  input: z.object({}),
  async run(ctx) {
    const all = await ctx.tx
      .select({ slo: slos, model: models.name, environment: environments.name })
      .from(slos)
      .innerJoin(models, eq(models.id, slos.modelId))
      .innerJoin(environments, eq(environments.id, slos.environmentId));
    const events: AlertEvent[] = [];
    for (const { slo, model, environment } of all) {
      const counts = await windowCounts(ctx.tx, ctx.now, slo);
      const burn = evaluateBurn((secs) => counts.get(secs) ?? null, slo.objective);
      const what = slo.kind === 'availability' ? `availability ${(slo.objective * 100).toFixed(2)} %` : `latency ≤ ${slo.latencyThresholdMs} ms for ${(slo.objective * 100).toFixed(2)} %`;
      events.push(
        ...(await observeSignal(ctx, {
          dedupKey: `slo:${slo.id}`,
          kind: 'slo_breach',
          at: ctx.now,
          severity: burn.severity,
          rule: SLO_ALERT_RULE,
          title: `SLO burn: ${model} in ${environment} (${what})`,
          details: {
            objective: slo.objective,
            kind: slo.kind,
            ...(slo.latencyThresholdMs ? { latencyThresholdMs: slo.latencyThresholdMs } : {}),
            firing: burn.firing.map((f) => `${f.rule.name}: ${f.longBurn.toFixed(1)}× / ${f.shortBurn.toFixed(1)}× > ${f.rule.factor}×`).join('; ') || 'none',
            burns: burn.burns.map((b) => ({ rule: b.rule.name, factor: b.rule.factor, long: b.long.burn, short: b.short.burn })),
          },
          modelId: slo.modelId,
          environmentId: slo.environmentId,
        })),
      );
    }
    if (events.length === 0) ctx.unchanged();
    return { evaluated: all.length, events };
  },
});
