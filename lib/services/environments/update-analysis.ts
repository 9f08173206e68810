import { eq } from 'drizzle-orm';
import { environments } from '@/db/schema';
import { AnalysisConfig } from '@/lib/domain/canary-judge';
import { canonicalJson } from '@/lib/domain/canonical-json';
import { UpdateAnalysisInput } from '@/lib/domain/environment';
import { invalid, notFound } from '../errors';
import { defineUseCase, fieldErrorsOf } from '../use-case';

/**
 * Sets how the controller judges canaries in an environment: the interval and the analysis
 * config (metrics with directions and allowances, pass/marginal scores, failure limits).
 * Fails with: forbidden (not admin); invalid (field paths under config.*); not_found.
 */
export const updateAnalysis = defineUseCase({
  name: 'environment.analysis.update',
  permission: 'environment.manage',
  summary: 'Change an environment’s canary analysis',
  input: UpdateAnalysisInput,
  async run({ tx, audit, unchanged }, input) {
    const parsed = AnalysisConfig.safeParse(input.config);
    if (!parsed.success)
      throw invalid('The analysis config is not valid.', Object.fromEntries(Object.entries(fieldErrorsOf(parsed.error)).map(([k, v]) => [`config.${k}`, v])));
    const [before] = await tx.select().from(environments).where(eq(environments.name, input.environment)).for('update');
    if (!before) throw notFound(`The environment "${input.environment}"`);
    // The Prometheus templates ride along in the same document; the judge reads only its own keys.
    const next = { analysisIntervalSeconds: input.intervalSeconds, analysisConfig: input.prometheus ? { ...parsed.data, prometheus: input.prometheus } : parsed.data };
    if (canonicalJson({ a: before.analysisIntervalSeconds, c: before.analysisConfig }) === canonicalJson({ a: next.analysisIntervalSeconds, c: next.analysisConfig })) {
      unchanged();
      return before;
    }
    const [after] = await tx.update(environments).set(next).where(eq(environments.id, before.id)).returning();
    await audit({
      action: 'environment.analysis.update',
      targetType: 'environment',
      targetId: before.id,
      before: { intervalSeconds: before.analysisIntervalSeconds, config: before.analysisConfig },
      after: { intervalSeconds: next.analysisIntervalSeconds, config: next.analysisConfig },
    });
    return after!;
  },
});
