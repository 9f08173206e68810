import { can, whyNot, type Actor, type Permission } from './roles';

/**
 * The release state machine (DESIGN "Release state machine"). One pure function decides every
 * transition, so the release page, the API and the controller agree on what is legal, and a
 * use case that lost a race re-reads the row and asks again: a promote that arrives after a
 * rollback is refused here ("rolled back: it cannot be promoted"), which is what makes it harmless.
 *
 * pending_approval --approve(N)--> approved --start--> running(step i) --advance--> running(i+1)
 *   |                                                   ^ pause/resume    |--last step--> promoted
 *   +--reject--> rejected                               +--rollback--> rolled_back, --abort--> aborted
 */

export const RELEASE_STATES = ['pending_approval', 'approved', 'running', 'paused', 'promoted', 'rolled_back', 'rejected', 'aborted'] as const;
export type ReleaseState = (typeof RELEASE_STATES)[number];

export const RELEASE_ACTIONS = ['approve', 'reject', 'start', 'pause', 'resume', 'advance', 'promote', 'abort', 'rollback'] as const;
export type ReleaseAction = (typeof RELEASE_ACTIONS)[number];

export const TERMINAL_STATES = ['promoted', 'rolled_back', 'rejected', 'aborted'] as const satisfies readonly ReleaseState[];
/**
 * Every state that is not terminal: the release still holds its environment, whether or not it
 * takes traffic yet. A second release for the same service and environment waits for this one.
 */
export const IN_FLIGHT_STATES = ['pending_approval', 'approved', 'running', 'paused'] as const satisfies readonly ReleaseState[];

export function isTerminal(state: ReleaseState): boolean {
  return (TERMINAL_STATES as readonly ReleaseState[]).includes(state);
}

export function isInFlight(state: ReleaseState): boolean {
  return (IN_FLIGHT_STATES as readonly ReleaseState[]).includes(state);
}

export function isReleaseState(value: string): value is ReleaseState {
  return (RELEASE_STATES as readonly string[]).includes(value);
}

export type ReleaseSnapshot = { state: ReleaseState; currentStep: number; stepCount: number; weights: number[] /* plan weights by step */ };

export type TransitionContext = {
  /** Valid, distinct, non-requester approvals INCLUDING the one being recorded for 'approve'. */
  approvals: number;
  requiredApprovals: number;
  /** Inside a freeze window. */
  frozen: boolean;
};

export type TransitionResult =
  | { ok: true; changed: true; next: { state: ReleaseState; currentStep: number; currentWeight: number }; terminal: boolean }
  | { ok: true; changed: false; state: ReleaseState; note: string }
  | { ok: false; reason: 'illegal_transition' | 'frozen'; message: string };

/** Safety actions stay available in a freeze: they take traffic off the candidate or stop a release. */
export const FREEZE_EXEMPT_ACTIONS = ['rollback', 'abort', 'pause', 'reject'] as const satisfies readonly ReleaseAction[];
const FROZEN_MESSAGE = 'the environment is frozen: only rollback, abort, pause and reject are allowed';

/**
 * The permission each action needs. Roles live in one table, lib/domain/roles (GRANTS); this
 * maps onto it rather than repeating it, so the UI's "why not" and the use cases cannot disagree.
 */
export const ACTION_PERMISSION = {
  approve: 'release.approve',
  reject: 'release.approve',
  start: 'release.operate',
  pause: 'release.operate',
  resume: 'release.operate',
  advance: 'release.operate',
  promote: 'release.operate',
  abort: 'release.operate',
  rollback: 'release.rollback',
} as const satisfies Record<ReleaseAction, Permission>;

export function canPerform(actor: Actor, action: ReleaseAction): boolean {
  return can(actor, ACTION_PERMISSION[action]);
}

/** The sentence for a disabled button: the role (or API-key scope) the actor lacks. */
export function whyNotPerform(action: ReleaseAction, actor?: Actor): string {
  return whyNot(ACTION_PERMISSION[action], actor);
}

const STATE_LABEL: Record<ReleaseState, string> = {
  pending_approval: 'waiting for approval',
  approved: 'approved but not started',
  running: 'running',
  paused: 'paused',
  promoted: 'promoted',
  rolled_back: 'rolled back',
  rejected: 'rejected',
  aborted: 'aborted',
};

const DONE: Record<ReleaseAction, string> = {
  approve: 'approved',
  reject: 'rejected',
  start: 'started',
  pause: 'paused',
  resume: 'resumed',
  advance: 'advanced',
  promote: 'promoted',
  abort: 'aborted',
  rollback: 'rolled back',
};

/** Messages that say more than "it cannot be <done>": what to do instead, or what already happened. */
const HINTS: Partial<Record<`${ReleaseState}:${ReleaseAction}`, string>> = {
  'approved:reject': 'approved: it can no longer be rejected; abort it instead',
  'running:start': 'running: it has already started',
  'paused:start': 'paused: it has already started',
  'paused:advance': 'paused: resume it first',
  'promoted:rollback': 'promoted: it cannot be rolled back; release the previous version instead',
};

function illegal(state: ReleaseState, action: ReleaseAction): TransitionResult {
  const hint = HINTS[`${state}:${action}`];
  if (hint) return { ok: false, reason: 'illegal_transition', message: hint };
  const notYet = state === 'pending_approval' || state === 'approved';
  return { ok: false, reason: 'illegal_transition', message: `${STATE_LABEL[state]}: it cannot be ${DONE[action]}${notYet ? ' yet' : ''}` };
}

/** Weights come from the stored plan; a missing one is a broken invariant, not a user error. */
function weightAt(release: ReleaseSnapshot, step: number): number {
  const weight = release.weights[step];
  if (weight === undefined || step >= release.stepCount) {
    throw new RangeError(`Release plan has no step ${step} (stepCount ${release.stepCount}, ${release.weights.length} weights)`);
  }
  return weight;
}

const move = (state: ReleaseState, currentStep: number, currentWeight: number): TransitionResult => ({
  ok: true,
  changed: true,
  next: { state, currentStep, currentWeight },
  terminal: isTerminal(state),
});
const same = (state: ReleaseState, note: string): TransitionResult => ({ ok: true, changed: false, state, note });

/** The outcome ignoring any freeze. */
function decide(release: ReleaseSnapshot, action: ReleaseAction, ctx: TransitionContext): TransitionResult {
  const { state, currentStep: step } = release;
  switch (state) {
    case 'pending_approval':
      if (action === 'approve') {
        if (ctx.approvals >= ctx.requiredApprovals) return move('approved', step, 0);
        // The approval is recorded, but the release waits for more.
        return same(state, `${ctx.approvals} of ${ctx.requiredApprovals} approval${ctx.requiredApprovals === 1 ? '' : 's'}`);
      }
      if (action === 'reject') return move('rejected', step, 0);
      if (action === 'abort') return move('aborted', step, 0);
      return illegal(state, action);

    case 'approved':
      if (action === 'start') return move('running', 0, weightAt(release, 0));
      if (action === 'abort') return move('aborted', step, 0);
      if (action === 'approve') return same(state, 'already approved');
      return illegal(state, action);

    case 'running':
    case 'paused':
      switch (action) {
        case 'pause':
          return state === 'paused' ? same(state, 'already paused') : move('paused', step, weightAt(release, step));
        case 'resume':
          return state === 'running' ? same(state, 'already running') : move('running', step, weightAt(release, step));
        case 'advance':
          if (state === 'paused') return illegal(state, action);
          // Advancing past the last step is the promotion (the last step's weight is 100).
          return step + 1 >= release.stepCount ? move('promoted', step, 100) : move('running', step + 1, weightAt(release, step + 1));
        case 'promote': // "promote --full": skip the remaining steps, holds and analyses.
          return move('promoted', step, 100);
        case 'rollback': // All traffic back to the baseline at once; the baseline never stopped serving.
          return move('rolled_back', step, 0);
        case 'abort':
          return move('aborted', step, 0);
        default:
          return illegal(state, action);
      }

    case 'promoted':
      return action === 'promote' ? same(state, 'already promoted') : illegal(state, action);
    case 'rolled_back':
      return action === 'rollback' ? same(state, 'already rolled back') : illegal(state, action);
    case 'rejected':
      return action === 'reject' ? same(state, 'already rejected') : illegal(state, action);
    case 'aborted':
      return action === 'abort' ? same(state, 'already aborted') : illegal(state, action);
  }
}

/**
 * What `action` does to `release`. Precedence, in this order:
 * 1. An action illegal in the state is 'illegal_transition', frozen or not: the freeze is not
 *    why it cannot happen, and "frozen" would suggest it will work once the freeze ends.
 * 2. In a freeze, every other action outside FREEZE_EXEMPT_ACTIONS is 'frozen', repeats that
 *    change nothing included, so the rule reads the same on every button.
 * 3. Otherwise the transition, or an idempotent repeat ({changed: false, note}) which the use
 *    case reports to the second clicker instead of writing anything. Approve on a release still
 *    short of approvals is also {changed: false}: the approval is recorded, the state stays.
 * Throws RangeError only when the snapshot's weights do not cover its steps (corrupt data).
 */
export function transition(release: ReleaseSnapshot, action: ReleaseAction, ctx: TransitionContext): TransitionResult {
  const outcome = decide(release, action, ctx);
  if (!outcome.ok) return outcome;
  if (ctx.frozen && !(FREEZE_EXEMPT_ACTIONS as readonly ReleaseAction[]).includes(action)) {
    return { ok: false, reason: 'frozen', message: FROZEN_MESSAGE };
  }
  return outcome;
}
