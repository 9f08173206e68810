import { eq } from 'drizzle-orm';
import { models } from '@/db/schema';
import { canonicalJson } from '@/lib/domain/canonical-json';
import { effectivePolicy, UpdateDriftPolicyInput } from '@/lib/domain/drift-policy';
import { notFound } from '../errors';
import { defineUseCase } from '../use-case';

/**
 * A model's drift thresholds, per-feature methods and resolve count. Applies to windows scored
 * from now on (stored windows keep the scores they were judged by). Same policy again: no-op.
 * Fails with: forbidden; invalid (names the method whose thresholds are inconsistent); not_found.
 */
export const updateDriftPolicy = defineUseCase({
  name: 'drift.policy.update',
  permission: 'monitoring.configure',
  summary: "Set a model's drift thresholds",
  input: UpdateDriftPolicyInput,
  async run(ctx, input) {
    const [model] = await ctx.tx.select().from(models).where(eq(models.name, input.model)).for('update');
    if (!model) throw notFound(`The model "${input.model}"`);
    if (canonicalJson(effectivePolicy(model.driftPolicy)) === canonicalJson(effectivePolicy(input.policy))) {
      ctx.unchanged();
      return { changed: false, policy: effectivePolicy(model.driftPolicy) };
    }
    await ctx.tx.update(models).set({ driftPolicy: input.policy }).where(eq(models.id, model.id));
    await ctx.audit({ action: 'drift.policy.update', targetType: 'model', targetId: model.id, before: model.driftPolicy as Record<string, unknown>, after: input.policy });
    return { changed: true, policy: effectivePolicy(input.policy) };
  },
});
