import { FOUR_EYES_MESSAGE } from '@/lib/domain/approval-evidence';
import { canPerform, whyNotPerform, type ReleaseAction, type ReleaseState } from '@/lib/domain/release-machine';
import type { Actor } from '@/lib/domain/roles';
import type { ActionAvailability } from './release-actions';

const BY_STATE: Partial<Record<ReleaseState, ReleaseAction[]>> = {
  pending_approval: ['approve', 'reject', 'abort'],
  approved: ['start', 'abort'],
  running: ['pause', 'advance', 'promote', 'abort', 'rollback'],
  paused: ['resume', 'promote', 'abort', 'rollback'],
};

const LABEL: Record<ReleaseAction, string> = {
  approve: 'Approve',
  reject: 'Reject',
  start: 'Start',
  pause: 'Pause',
  resume: 'Resume',
  advance: 'Advance',
  promote: 'Promote',
  abort: 'Abort',
  rollback: 'Roll back',
};

/** The buttons a release shows to this reader: what its state allows, disabled with the reason where the role does not. */
export function availableActions(release: { state: string; strategy?: string; requestedById: string | null; model: string; version: string; environment: string }, actor: Actor): ActionAvailability[] {
  // An experiment's release reaches 100 % only through the experiment's ship decision.
  const verbs = (BY_STATE[release.state as ReleaseState] ?? []).filter((v) => release.strategy !== 'ab' || (v !== 'advance' && v !== 'promote'));
  return verbs.map((verb) => {
    const requester = (verb === 'approve' || verb === 'reject') && release.requestedById === actor.id;
    const allowed = canPerform(actor, verb) && !requester;
    return {
      verb,
      label: LABEL[verb],
      allowed,
      reason: requester ? FOUR_EYES_MESSAGE : allowed ? undefined : whyNotPerform(verb, actor),
      destructive: verb === 'rollback' || verb === 'abort',
      needsText: verb === 'rollback' ? 'reason' : verb === 'reject' || verb === 'approve' ? 'comment' : undefined,
      prefill: verb === 'rollback' ? `Rolling back ${release.model} ${release.version} in ${release.environment}: ` : undefined,
    };
  });
}
