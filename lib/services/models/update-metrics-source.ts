import { eq } from 'drizzle-orm';
import { models } from '@/db/schema';
import { canonicalJson } from '@/lib/domain/canonical-json';
import { presetSource, UpdateMetricsSourceInput } from '@/lib/domain/metrics-presets';
import { notFound } from '../errors';
import { defineUseCase } from '../use-case';

/**
 * Chooses the model server whose Prometheus metrics judge this model's canaries (Triton,
 * TorchServe, BentoML, KServe), with label overrides; null goes back to the environment's
 * templates. Takes effect at the next analysis interval. Same source again: no-op.
 * Fails with: forbidden; invalid (names the field: a bad label name or PromQL template); not_found.
 */
export const updateMetricsSource = defineUseCase({
  name: 'model.metrics_source.update',
  permission: 'monitoring.configure',
  summary: "Choose the model server preset whose Prometheus metrics judge a model's canaries",
  input: UpdateMetricsSourceInput,
  async run(ctx, input) {
    const [model] = await ctx.tx.select().from(models).where(eq(models.name, input.model)).for('update');
    if (!model) throw notFound(`The model "${input.model}"`);
    const result = (source: typeof input.source) => ({ source, queries: source ? presetSource(source) : null });
    if (canonicalJson(model.metricsSource ?? null) === canonicalJson(input.source)) {
      ctx.unchanged();
      return { changed: false, ...result(input.source) };
    }
    await ctx.tx.update(models).set({ metricsSource: input.source }).where(eq(models.id, model.id));
    await ctx.audit({ action: 'model.metrics_source.update', targetType: 'model', targetId: model.id, before: { source: model.metricsSource ?? null }, after: { source: input.source } });
    return { changed: true, ...result(input.source) };
  },
});
