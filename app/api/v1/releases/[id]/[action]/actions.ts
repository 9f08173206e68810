import { abortRelease, advanceRelease, approveRelease, pauseRelease, promoteRelease, rejectRelease, resumeRelease, rollbackRelease, startRelease } from '@/lib/services';

/** POST /api/v1/releases/{id}/{action}: the use case behind each action, the same as the buttons'. */
export const RELEASE_ACTIONS = {
  approve: approveRelease,
  reject: rejectRelease,
  start: startRelease,
  pause: pauseRelease,
  resume: resumeRelease,
  advance: advanceRelease,
  promote: promoteRelease,
  abort: abortRelease,
  rollback: rollbackRelease,
} as const;
