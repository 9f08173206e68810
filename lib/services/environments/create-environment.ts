import { environments } from '@/db/schema';
import { CreateEnvironmentInput } from '@/lib/domain/environment';
import { conflict } from '../errors';
import { defineUseCase } from '../use-case';

/**
 * Adds an environment (staging, production, …) with its gate policy.
 * Fails with: forbidden (not admin); invalid; conflict (name taken).
 */
export const createEnvironment = defineUseCase({
  name: 'environment.create',
  permission: 'environment.manage',
  summary: 'Create an environment',
  input: CreateEnvironmentInput,
  async run({ tx, audit }, input) {
    const [created] = await tx
      .insert(environments)
      .values({
        name: input.name,
        rank: input.rank,
        requiredChecks: input.policy.requiredChecks,
        checkThresholds: input.policy.thresholds,
        requiredApprovals: input.protection.requiredApprovals,
        approvalTtlHours: input.protection.approvalTtlHours,
        defaultPlan: input.protection.defaultPlan ?? [],
        freezeWindows: input.protection.freezeWindows,
      })
      .onConflictDoNothing({ target: environments.name })
      .returning();
    if (!created) throw conflict(`An environment named "${input.name}" already exists.`, { fields: { name: ['Already taken'] } });
    await audit({ action: 'environment.create', targetType: 'environment', targetId: created.id, after: created });
    return created;
  },
});
