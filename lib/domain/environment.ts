import { z } from 'zod';
import { FreezeWindow } from './freeze';
import { GatePolicy } from './gate-policy';
import { PrometheusSource } from './promql';
import { Plan } from './release-plan';
import { ModelName } from './model';

export const EnvironmentName = ModelName;

/** Who must agree before a release runs there, and when nothing but rollbacks may happen. */
export const ProtectionRules = z.object({
  requiredApprovals: z.number().int().min(0).max(5).default(0),
  approvalTtlHours: z.number().int().min(1).max(24 * 30).default(72),
  defaultPlan: Plan.optional(),
  freezeWindows: z.array(FreezeWindow).max(50).default([]),
  /** What a critical drift or SLO alert does to a release in flight here. */
  alertGate: z.enum(['none', 'pause', 'rollback']).default('none'),
});

export const CreateEnvironmentInput = z.object({
  name: EnvironmentName,
  rank: z.number().int().min(0).max(100).default(0),
  policy: GatePolicy,
  protection: ProtectionRules.default({ requiredApprovals: 0, approvalTtlHours: 72, freezeWindows: [], alertGate: 'none' }),
});
export type CreateEnvironmentInput = z.infer<typeof CreateEnvironmentInput>;

export const UpdatePolicyInput = z.object({ environment: EnvironmentName, policy: GatePolicy });
export type UpdatePolicyInput = z.infer<typeof UpdatePolicyInput>;

export const UpdateProtectionInput = z.object({ environment: EnvironmentName, protection: ProtectionRules });
export type UpdateProtectionInput = z.infer<typeof UpdateProtectionInput>;

/** How the controller judges canaries here: every `intervalSeconds`, with this analysis config. */
export const UpdateAnalysisInput = z.object({
  environment: EnvironmentName,
  intervalSeconds: z.number().int().min(1, 'At least 1 second').max(3600, 'At most an hour'),
  config: z.record(z.string(), z.unknown()),
  /** Pull the metrics from Prometheus (FLIGHTDECK_PROMETHEUS_URL) with these templates, instead of waiting for pushes. */
  prometheus: PrometheusSource.optional(),
});
