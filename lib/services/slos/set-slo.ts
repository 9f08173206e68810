import { and, eq } from 'drizzle-orm';
import { environments, models, slos } from '@/db/schema';
import { SetSloInput } from '@/lib/domain/slo-input';
import { notFound } from '../errors';
import { defineUseCase } from '../use-case';

/**
 * Sets (creates or replaces) one SLO of a model's service in an environment. The same values
 * again change nothing. Fails with: forbidden; invalid; not_found (model, environment).
 */
export const setSlo = defineUseCase({
  name: 'slo.set',
  permission: 'monitoring.configure',
  summary: 'Set an SLO of a model service',
  input: SetSloInput,
  async run(ctx, input) {
    const [model] = await ctx.tx.select({ id: models.id }).from(models).where(eq(models.name, input.model));
    if (!model) throw notFound(`The model "${input.model}"`);
    const [env] = await ctx.tx.select({ id: environments.id }).from(environments).where(eq(environments.name, input.environment));
    if (!env) throw notFound(`The environment "${input.environment}"`);
    const [before] = await ctx.tx.select().from(slos).where(and(eq(slos.modelId, model.id), eq(slos.environmentId, env.id), eq(slos.kind, input.kind))).for('update');
    const latencyThresholdMs = input.latencyThresholdMs ?? null;
    if (before && before.objective === input.objective && before.latencyThresholdMs === latencyThresholdMs) {
      ctx.unchanged();
      return before;
    }
    const values = { modelId: model.id, environmentId: env.id, kind: input.kind, objective: input.objective, latencyThresholdMs, createdBy: ctx.actor.name, updatedAt: ctx.now };
    const [after] = before
      ? await ctx.tx.update(slos).set(values).where(eq(slos.id, before.id)).returning()
      : await ctx.tx.insert(slos).values(values).returning();
    await ctx.audit({
      action: 'slo.set',
      targetType: 'slo',
      targetId: after!.id,
      before: before ? { objective: before.objective, latencyThresholdMs: before.latencyThresholdMs } : null,
      after: { model: input.model, environment: input.environment, kind: input.kind, objective: input.objective, latencyThresholdMs },
    });
    return after!;
  },
});
