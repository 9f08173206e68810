import { z } from 'zod';
import { EnvironmentName } from './environment';
import { ModelName } from './model';
import { Plan, REQUESTABLE_STRATEGIES, SplitRouting } from './release-plan';
import { SemverString } from './semver';

export const ReleaseId = z.uuid('Not a release id');

export const RequestReleaseInput = z
  .object({
    model: ModelName,
    version: SemverString,
    environment: EnvironmentName,
    strategy: z.enum(REQUESTABLE_STRATEGIES, { message: 'Expected canary, blue_green, shadow, split or immediate (an A/B release is created with its experiment: POST /api/v1/experiments)' }).default('canary'),
    plan: Plan.optional(),
    split: SplitRouting.optional(),
    reason: z.string().trim().max(500).optional(),
  })
  .refine((r) => (r.strategy === 'split') === (r.split !== undefined), {
    path: ['split'],
    message: 'A split release needs `split` (versions with weights, optional segments); other strategies must not send it',
  });
export type RequestReleaseInput = z.infer<typeof RequestReleaseInput>;

export const ApproveReleaseInput = z.object({ releaseId: ReleaseId, comment: z.string().trim().max(2000).default('') });
export const RejectReleaseInput = z.object({ releaseId: ReleaseId, comment: z.string().trim().min(1, 'Say why you reject it').max(2000) });
export const OperateReleaseInput = z.object({
  releaseId: ReleaseId,
  reason: z.string().trim().max(500).optional(),
  /** The step the caller saw: if the release has moved on since, the action is a no-op, not a second step. */
  fromStep: z.number().int().min(0).optional(),
});
export const RollbackReleaseInput = z.object({ releaseId: ReleaseId, reason: z.string().trim().min(3, 'Give a reason (it goes into the incident)').max(500) });
export const RollbackToLastGoodInput = z.object({
  model: ModelName,
  environment: EnvironmentName,
  /** The version the caller saw live and wants gone: a second click finds it gone and changes nothing. */
  fromVersion: SemverString,
  reason: z.string().trim().min(3, 'Give a reason (it goes into the incident)').max(500),
});
