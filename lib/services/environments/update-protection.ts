import { eq } from 'drizzle-orm';
import { environments } from '@/db/schema';
import { canonicalJson } from '@/lib/domain/canonical-json';
import { UpdateProtectionInput } from '@/lib/domain/environment';
import { notFound } from '../errors';
import { defineUseCase } from '../use-case';

/**
 * Replaces an environment's protection rules: required approvals, how long an approval stays
 * valid, the default rollout plan, the freeze windows and the alert gate. Like a policy change it bumps the policy
 * version, so approvals given under the old rules stop counting.
 * Fails with: forbidden (not admin); invalid; not_found.
 */
export const updateProtection = defineUseCase({
  name: 'environment.protection.update',
  permission: 'environment.manage',
  summary: 'Change an environment’s protection rules',
  input: UpdateProtectionInput,
  async run({ tx, audit, unchanged }, input) {
    const [before] = await tx.select().from(environments).where(eq(environments.name, input.environment)).for('update');
    if (!before) throw notFound(`The environment "${input.environment}"`);
    const previous = {
      requiredApprovals: before.requiredApprovals,
      approvalTtlHours: before.approvalTtlHours,
      defaultPlan: before.defaultPlan,
      freezeWindows: before.freezeWindows,
      alertGate: before.alertGate,
    };
    const next = { ...input.protection, defaultPlan: input.protection.defaultPlan ?? [] };
    if (canonicalJson(previous) === canonicalJson(next)) {
      unchanged();
      return before;
    }
    const [after] = await tx
      .update(environments)
      .set({ ...next, policyVersion: before.policyVersion + 1 })
      .where(eq(environments.id, before.id))
      .returning();
    await audit({ action: 'environment.protection.update', targetType: 'environment', targetId: before.id, before: previous, after: { ...next, policyVersion: after!.policyVersion } });
    return after!;
  },
});
