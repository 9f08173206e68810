import { OperateReleaseInput, RollbackReleaseInput } from '@/lib/domain/release-input';
import { defineUseCase } from '../use-case';
import { applyTransition } from './apply-transition';

// The rollout verbs. Each is its own use case (its own permission, audit verb and entry in the
// role matrix); they share the transition path. Fails with: forbidden; invalid; not_found;
// conflict (illegal from the current state, frozen environment, void approvals).
// Of the cached tables they write only releases (their incidents, outbox rows and audit events
// are not cached), so the caller's API key stays cached between two actions.
const changes = ['releases'] as const;

export const startRelease = defineUseCase({
  name: 'release.start',
  permission: 'release.operate',
  summary: 'Start a release',
  input: OperateReleaseInput,
  changes,
  run: (ctx, input) => applyTransition(ctx, input.releaseId, 'start', input.reason),
});

export const pauseRelease = defineUseCase({
  name: 'release.pause',
  permission: 'release.operate',
  summary: 'Pause a release',
  input: OperateReleaseInput,
  changes,
  run: (ctx, input) => applyTransition(ctx, input.releaseId, 'pause', input.reason),
});

export const resumeRelease = defineUseCase({
  name: 'release.resume',
  permission: 'release.operate',
  summary: 'Resume a release',
  input: OperateReleaseInput,
  changes,
  run: (ctx, input) => applyTransition(ctx, input.releaseId, 'resume', input.reason),
});

export const advanceRelease = defineUseCase({
  name: 'release.advance',
  permission: 'release.operate',
  summary: 'Advance a release to its next step',
  input: OperateReleaseInput,
  changes,
  run: (ctx, input) => applyTransition(ctx, input.releaseId, 'advance', input.reason, input.fromStep),
});

export const promoteRelease = defineUseCase({
  name: 'release.promote',
  permission: 'release.operate',
  summary: 'Promote a release to 100 %',
  input: OperateReleaseInput,
  changes,
  run: (ctx, input) => applyTransition(ctx, input.releaseId, 'promote', input.reason),
});

export const abortRelease = defineUseCase({
  name: 'release.abort',
  permission: 'release.operate',
  summary: 'Abort a release',
  input: OperateReleaseInput,
  changes,
  run: (ctx, input) => applyTransition(ctx, input.releaseId, 'abort', input.reason),
});

/** Traffic back to the baseline at once, skipping any analysis or hold; opens an incident. Idempotent. */
export const rollbackRelease = defineUseCase({
  name: 'release.rollback',
  permission: 'release.rollback',
  summary: 'Roll back a release',
  input: RollbackReleaseInput,
  changes,
  run: (ctx, input) => applyTransition(ctx, input.releaseId, 'rollback', input.reason),
});
