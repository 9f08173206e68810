import { eq } from 'drizzle-orm';
import { z } from 'zod';
import { environments, models, modelVersions, releases } from '@/db/schema';
import { analysisDedupKey } from '@/lib/domain/alert-input';
import type { AlertRuleConfig } from '@/lib/domain/alert-rules';
import { notFound } from '../errors';
import { defineUseCase } from '../use-case';
import { observeSignal } from './observe-signal';

/** A failed interval opens at once; a passing one counts toward recovery. */
export const ANALYSIS_ALERT_RULE: AlertRuleConfig = Object.freeze({ forSeconds: 0, keepFiringForSeconds: 0, resolveAfterHealthy: 1 });

const ObserveAnalysisInput = z.object({
  releaseId: z.uuid(),
  verdict: z.enum(['pass', 'marginal', 'fail', 'inconclusive']),
  at: z.date(),
  summary: z.string().max(2000),
});

/**
 * A canary analysis verdict as an alert signal (the same alert model as drift and SLOs): a
 * failed interval opens a critical "analysis failed" alert for the release; a pass resolves it.
 * Marginal and inconclusive intervals change nothing.
 */
export const observeAnalysis = defineUseCase({
  name: 'alert.observe_analysis',
  permission: 'alert.manage',
  summary: 'Turn a canary analysis verdict into an alert signal',
  input: ObserveAnalysisInput,
  async run(ctx, input) {
    if (input.verdict === 'marginal' || input.verdict === 'inconclusive') {
      ctx.unchanged();
      return [];
    }
    const [release] = await ctx.tx
      .select({ id: releases.id, modelId: releases.modelId, versionId: releases.versionId, environmentId: releases.environmentId, model: models.name, version: modelVersions.version, environment: environments.name })
      .from(releases)
      .innerJoin(models, eq(models.id, releases.modelId))
      .innerJoin(modelVersions, eq(modelVersions.id, releases.versionId))
      .innerJoin(environments, eq(environments.id, releases.environmentId))
      .where(eq(releases.id, input.releaseId));
    if (!release) throw notFound('The release');
    const events = await observeSignal(ctx, {
      dedupKey: analysisDedupKey(release.id),
      kind: 'analysis_failed',
      at: input.at,
      severity: input.verdict === 'fail' ? 'critical' : 'ok',
      rule: ANALYSIS_ALERT_RULE,
      title: `Canary analysis failed: ${release.model} ${release.version} in ${release.environment}`,
      details: { verdict: input.verdict, summary: input.summary, releaseId: release.id },
      modelId: release.modelId,
      versionId: release.versionId,
      environmentId: release.environmentId,
      releaseId: release.id,
    });
    if (events.length === 0) ctx.unchanged();
    return events;
  },
});
