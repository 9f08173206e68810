import type { Database } from '@/db';
import type { Actor } from '@/lib/domain/roles';
import { authorize } from '@/lib/services/authorize';
import { listEnvironments, policyOf } from './deployability';

/** Environments with their gate policies, in promotion order. Readable by everyone. */
export async function listEnvironmentPolicies({ actor, db }: { actor: Actor | null; db: Database }) {
  authorize(actor, 'dashboard.read', 'list environments');
  const rows = await listEnvironments(db);
  return rows.map((env) => ({
    id: env.id,
    name: env.name,
    rank: env.rank,
    policyVersion: env.policyVersion,
    policy: policyOf(env),
    protection: { requiredApprovals: env.requiredApprovals, approvalTtlHours: env.approvalTtlHours, defaultPlan: env.defaultPlan, freezeWindows: env.freezeWindows, alertGate: env.alertGate },
    analysis: { intervalSeconds: env.analysisIntervalSeconds, config: env.analysisConfig },
  }));
}
