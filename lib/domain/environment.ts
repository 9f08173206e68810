import { z } from 'zod';
import { GatePolicy } from './gate-policy';
import { ModelName } from './model';

export const EnvironmentName = ModelName;

export const CreateEnvironmentInput = z.object({
  name: EnvironmentName,
  rank: z.number().int().min(0).max(100).default(0),
  policy: GatePolicy,
});
export type CreateEnvironmentInput = z.infer<typeof CreateEnvironmentInput>;

export const UpdatePolicyInput = z.object({ environment: EnvironmentName, policy: GatePolicy });
export type UpdatePolicyInput = z.infer<typeof UpdatePolicyInput>;
