import { eq } from 'drizzle-orm';
import { environments } from '@/db/schema';
import { canonicalJson } from '@/lib/domain/canonical-json';
import { UpdatePolicyInput } from '@/lib/domain/environment';
import { notFound } from '../errors';
import { defineUseCase } from '../use-case';

/**
 * Replaces an environment's gate policy (required check kinds and metric thresholds). The policy
 * version goes up by one, so that approvals bound to the old policy can tell (issue: releases).
 * Fails with: forbidden (not admin); invalid; not_found.
 */
export const updatePolicy = defineUseCase({
  name: 'environment.policy.update',
  permission: 'environment.manage',
  summary: 'Change an environment’s gate policy',
  input: UpdatePolicyInput,
  async run({ tx, audit, unchanged }, input) {
    const [before] = await tx.select().from(environments).where(eq(environments.name, input.environment)).for('update');
    if (!before) throw notFound(`The environment "${input.environment}"`);
    const previous = { requiredChecks: before.requiredChecks, thresholds: before.checkThresholds };
    if (canonicalJson(previous) === canonicalJson(input.policy)) {
      unchanged();
      return before;
    }
    const [after] = await tx
      .update(environments)
      .set({ requiredChecks: input.policy.requiredChecks, checkThresholds: input.policy.thresholds, policyVersion: before.policyVersion + 1 })
      .where(eq(environments.id, before.id))
      .returning();
    await audit({
      action: 'environment.policy.update',
      targetType: 'environment',
      targetId: before.id,
      before: { ...previous, policyVersion: before.policyVersion },
      after: { ...input.policy, policyVersion: after!.policyVersion },
    });
    return after!;
  },
});
