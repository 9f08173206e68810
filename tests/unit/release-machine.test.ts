import { describe, expect, it } from 'vitest';
import {
  ACTION_PERMISSION,
  FREEZE_EXEMPT_ACTIONS,
  IN_FLIGHT_STATES,
  RELEASE_ACTIONS,
  RELEASE_STATES,
  canPerform,
  TERMINAL_STATES,
  isInFlight,
  isReleaseState,
  isTerminal,
  transition,
  whyNotPerform,
  type ReleaseAction,
  type ReleaseSnapshot,
  type ReleaseState,
  type TransitionContext,
  type TransitionResult,
} from '@/lib/domain/release-machine';
import { can, whyNot, type Actor, type Permission, type Role } from '@/lib/domain/roles';

// The default production plan's weights. Releases that have started sit on step 2 (25 %), so
// "same step", "next step" and "last step" are all different numbers.
const WEIGHTS = [1, 5, 25, 50, 100];
const snapshot = (state: ReleaseState, currentStep = state === 'pending_approval' || state === 'approved' ? 0 : 2): ReleaseSnapshot => ({
  state,
  currentStep,
  stepCount: WEIGHTS.length,
  weights: WEIGHTS,
});
const ctx = (frozen: boolean, approvals = 2, requiredApprovals = 2): TransitionContext => ({ approvals, requiredApprovals, frozen });

// Written out by hand, not derived from the module, so that a change to the machine has to be made here too.
const TERMINAL = new Set<ReleaseState>(['promoted', 'rolled_back', 'rejected', 'aborted']);
const to = (state: ReleaseState, currentStep: number, currentWeight: number): TransitionResult => ({
  ok: true,
  changed: true,
  next: { state, currentStep, currentWeight },
  terminal: TERMINAL.has(state),
});
const same = (state: ReleaseState, note: string): TransitionResult => ({ ok: true, changed: false, state, note });
const no = (message: string): TransitionResult => ({ ok: false, reason: 'illegal_transition', message });
const FROZEN: TransitionResult = { ok: false, reason: 'frozen', message: 'the environment is frozen: only rollback, abort, pause and reject are allowed' };

type Row = [state: ReleaseState, action: ReleaseAction, notFrozen: TransitionResult, frozen: TransitionResult];
const both = (state: ReleaseState, action: ReleaseAction, outcome: TransitionResult): Row => [state, action, outcome, outcome];
const freezable = (state: ReleaseState, action: ReleaseAction, outcome: TransitionResult): Row => [state, action, outcome, FROZEN];

const TABLE: Row[] = [
  freezable('pending_approval', 'approve', to('approved', 0, 0)),
  both('pending_approval', 'reject', to('rejected', 0, 0)),
  both('pending_approval', 'start', no('waiting for approval: it cannot be started yet')),
  both('pending_approval', 'pause', no('waiting for approval: it cannot be paused yet')),
  both('pending_approval', 'resume', no('waiting for approval: it cannot be resumed yet')),
  both('pending_approval', 'advance', no('waiting for approval: it cannot be advanced yet')),
  both('pending_approval', 'promote', no('waiting for approval: it cannot be promoted yet')),
  both('pending_approval', 'abort', to('aborted', 0, 0)),
  both('pending_approval', 'rollback', no('waiting for approval: it cannot be rolled back yet')),

  freezable('approved', 'approve', same('approved', 'already approved')),
  both('approved', 'reject', no('approved: it can no longer be rejected; abort it instead')),
  freezable('approved', 'start', to('running', 0, 1)),
  both('approved', 'pause', no('approved but not started: it cannot be paused yet')),
  both('approved', 'resume', no('approved but not started: it cannot be resumed yet')),
  both('approved', 'advance', no('approved but not started: it cannot be advanced yet')),
  both('approved', 'promote', no('approved but not started: it cannot be promoted yet')),
  both('approved', 'abort', to('aborted', 0, 0)),
  both('approved', 'rollback', no('approved but not started: it cannot be rolled back yet')),

  both('running', 'approve', no('running: it cannot be approved')),
  both('running', 'reject', no('running: it cannot be rejected')),
  both('running', 'start', no('running: it has already started')),
  both('running', 'pause', to('paused', 2, 25)),
  freezable('running', 'resume', same('running', 'already running')),
  freezable('running', 'advance', to('running', 3, 50)),
  freezable('running', 'promote', to('promoted', 2, 100)),
  both('running', 'abort', to('aborted', 2, 0)),
  both('running', 'rollback', to('rolled_back', 2, 0)),

  both('paused', 'approve', no('paused: it cannot be approved')),
  both('paused', 'reject', no('paused: it cannot be rejected')),
  both('paused', 'start', no('paused: it has already started')),
  both('paused', 'pause', same('paused', 'already paused')),
  freezable('paused', 'resume', to('running', 2, 25)),
  both('paused', 'advance', no('paused: resume it first')),
  freezable('paused', 'promote', to('promoted', 2, 100)),
  both('paused', 'abort', to('aborted', 2, 0)),
  both('paused', 'rollback', to('rolled_back', 2, 0)),

  both('promoted', 'approve', no('promoted: it cannot be approved')),
  both('promoted', 'reject', no('promoted: it cannot be rejected')),
  both('promoted', 'start', no('promoted: it cannot be started')),
  both('promoted', 'pause', no('promoted: it cannot be paused')),
  both('promoted', 'resume', no('promoted: it cannot be resumed')),
  both('promoted', 'advance', no('promoted: it cannot be advanced')),
  freezable('promoted', 'promote', same('promoted', 'already promoted')),
  both('promoted', 'abort', no('promoted: it cannot be aborted')),
  both('promoted', 'rollback', no('promoted: it cannot be rolled back; release the previous version instead')),

  both('rolled_back', 'approve', no('rolled back: it cannot be approved')),
  both('rolled_back', 'reject', no('rolled back: it cannot be rejected')),
  both('rolled_back', 'start', no('rolled back: it cannot be started')),
  both('rolled_back', 'pause', no('rolled back: it cannot be paused')),
  both('rolled_back', 'resume', no('rolled back: it cannot be resumed')),
  both('rolled_back', 'advance', no('rolled back: it cannot be advanced')),
  both('rolled_back', 'promote', no('rolled back: it cannot be promoted')),
  both('rolled_back', 'abort', no('rolled back: it cannot be aborted')),
  both('rolled_back', 'rollback', same('rolled_back', 'already rolled back')),

  both('rejected', 'approve', no('rejected: it cannot be approved')),
  both('rejected', 'reject', same('rejected', 'already rejected')),
  both('rejected', 'start', no('rejected: it cannot be started')),
  both('rejected', 'pause', no('rejected: it cannot be paused')),
  both('rejected', 'resume', no('rejected: it cannot be resumed')),
  both('rejected', 'advance', no('rejected: it cannot be advanced')),
  both('rejected', 'promote', no('rejected: it cannot be promoted')),
  both('rejected', 'abort', no('rejected: it cannot be aborted')),
  both('rejected', 'rollback', no('rejected: it cannot be rolled back')),

  both('aborted', 'approve', no('aborted: it cannot be approved')),
  both('aborted', 'reject', no('aborted: it cannot be rejected')),
  both('aborted', 'start', no('aborted: it cannot be started')),
  both('aborted', 'pause', no('aborted: it cannot be paused')),
  both('aborted', 'resume', no('aborted: it cannot be resumed')),
  both('aborted', 'advance', no('aborted: it cannot be advanced')),
  both('aborted', 'promote', no('aborted: it cannot be promoted')),
  both('aborted', 'abort', same('aborted', 'already aborted')),
  both('aborted', 'rollback', no('aborted: it cannot be rolled back')),
];

describe('the transition table', () => {
  it('has exactly one row for every state × action pair', () => {
    const keys = TABLE.map(([s, a]) => `${s}:${a}`);
    expect(new Set(keys).size).toBe(keys.length);
    expect(keys.sort()).toEqual(RELEASE_STATES.flatMap((s) => RELEASE_ACTIONS.map((a) => `${s}:${a}`)).sort());
    expect(TABLE).toHaveLength(8 * 9);
  });

  it.each(TABLE)('%s + %s', (state, action, notFrozen) => {
    expect(transition(snapshot(state), action, ctx(false))).toEqual(notFrozen);
  });

  it.each(TABLE)('%s + %s, frozen', (state, action, _notFrozen, frozen) => {
    expect(transition(snapshot(state), action, ctx(true))).toEqual(frozen);
  });
});

describe('approvals', () => {
  it('waits, recording the count, until enough distinct approvals are in', () => {
    expect(transition(snapshot('pending_approval'), 'approve', ctx(false, 1, 2))).toEqual(same('pending_approval', '1 of 2 approvals'));
    expect(transition(snapshot('pending_approval'), 'approve', ctx(false, 0, 1))).toEqual(same('pending_approval', '0 of 1 approval'));
    expect(transition(snapshot('pending_approval'), 'approve', ctx(false, 2, 3))).toEqual(same('pending_approval', '2 of 3 approvals'));
  });

  it('approves once the count reaches the requirement, or passes it', () => {
    expect(transition(snapshot('pending_approval'), 'approve', ctx(false, 2, 2))).toEqual(to('approved', 0, 0));
    expect(transition(snapshot('pending_approval'), 'approve', ctx(false, 3, 2))).toEqual(to('approved', 0, 0));
    expect(transition(snapshot('pending_approval'), 'approve', ctx(false, 0, 0))).toEqual(to('approved', 0, 0));
  });

  it('refuses to record an approval during a freeze, even one that would not approve yet', () => {
    expect(transition(snapshot('pending_approval'), 'approve', ctx(true, 1, 2))).toEqual(FROZEN);
  });

  it('still accepts a rejection during a freeze', () => {
    expect(transition(snapshot('pending_approval'), 'reject', ctx(true, 0, 2))).toEqual(to('rejected', 0, 0));
  });
});

describe('steps and weights', () => {
  it('starts at step 0 with the first step weight, whatever the stored step was', () => {
    expect(transition({ state: 'approved', currentStep: 0, stepCount: 2, weights: [0, 100] }, 'start', ctx(false))).toEqual(to('running', 0, 0));
    expect(transition({ state: 'approved', currentStep: 3, stepCount: 2, weights: [50, 100] }, 'start', ctx(false))).toEqual(to('running', 0, 50));
  });

  it('advances step by step, and promotes at 100 % when advancing past the last step', () => {
    expect(transition(snapshot('running', 0), 'advance', ctx(false))).toEqual(to('running', 1, 5));
    expect(transition(snapshot('running', 3), 'advance', ctx(false))).toEqual(to('running', 4, 100));
    expect(transition(snapshot('running', 4), 'advance', ctx(false))).toEqual(to('promoted', 4, 100));
  });

  it('promotes a one-step plan (immediate, split) on the first advance', () => {
    const single: ReleaseSnapshot = { state: 'running', currentStep: 0, stepCount: 1, weights: [100] };
    expect(transition(single, 'advance', ctx(false))).toEqual(to('promoted', 0, 100));
  });

  it('pause and resume keep the step and its weight', () => {
    expect(transition(snapshot('running', 1), 'pause', ctx(false))).toEqual(to('paused', 1, 5));
    expect(transition(snapshot('paused', 1), 'resume', ctx(false))).toEqual(to('running', 1, 5));
    expect(transition(snapshot('paused', 4), 'resume', ctx(false))).toEqual(to('running', 4, 100));
  });

  it('promote skips the remaining steps from any step', () => {
    for (const step of [0, 1, 2, 3, 4]) expect(transition(snapshot('running', step), 'promote', ctx(false))).toEqual(to('promoted', step, 100));
  });

  it('rollback and abort send all traffic back to the baseline from any step, frozen or not', () => {
    for (const frozen of [false, true]) {
      for (const state of ['running', 'paused'] as const) {
        expect(transition(snapshot(state, 4), 'rollback', ctx(frozen))).toEqual(to('rolled_back', 4, 0));
        expect(transition(snapshot(state, 0), 'abort', ctx(frozen))).toEqual(to('aborted', 0, 0));
      }
    }
  });

  it('throws when the stored plan does not cover the step it needs (corrupt data)', () => {
    const broken: ReleaseSnapshot = { state: 'running', currentStep: 1, stepCount: 3, weights: [1, 50] };
    expect(() => transition(broken, 'advance', ctx(false))).toThrow(RangeError);
    expect(() => transition({ state: 'approved', currentStep: 0, stepCount: 1, weights: [] }, 'start', ctx(false))).toThrow(RangeError);
    // Weights beyond stepCount are not steps either.
    expect(() => transition({ state: 'running', currentStep: 0, stepCount: 1, weights: [1, 100] }, 'pause', ctx(false))).not.toThrow();
    expect(() => transition({ state: 'paused', currentStep: 1, stepCount: 1, weights: [1, 100] }, 'resume', ctx(false))).toThrow(RangeError);
  });

  it('never needs the plan to roll back, abort or promote', () => {
    const broken: ReleaseSnapshot = { state: 'running', currentStep: 7, stepCount: 0, weights: [] };
    expect(transition(broken, 'rollback', ctx(true))).toEqual(to('rolled_back', 7, 0));
    expect(transition(broken, 'abort', ctx(false))).toEqual(to('aborted', 7, 0));
    expect(transition(broken, 'promote', ctx(false))).toEqual(to('promoted', 7, 100));
  });
});

describe('races', () => {
  it('a promote that arrives after a rollback is refused, and a second rollback changes nothing', () => {
    const first = transition(snapshot('running'), 'rollback', ctx(false));
    expect(first).toEqual(to('rolled_back', 2, 0));
    const after = snapshot('rolled_back');
    expect(transition(after, 'promote', ctx(false))).toEqual(no('rolled back: it cannot be promoted'));
    expect(transition(after, 'advance', ctx(false))).toEqual(no('rolled back: it cannot be advanced'));
    expect(transition(after, 'rollback', ctx(false))).toEqual(same('rolled_back', 'already rolled back'));
  });

  it('a rollback that arrives after a promotion is refused, not applied to the new stable version', () => {
    expect(transition(snapshot('promoted'), 'rollback', ctx(false))).toMatchObject({ ok: false, reason: 'illegal_transition' });
  });
});

describe('freeze', () => {
  it('exempts exactly rollback, abort, pause and reject', () => {
    expect([...FREEZE_EXEMPT_ACTIONS].sort()).toEqual(['abort', 'pause', 'reject', 'rollback']);
  });

  it('reports an action illegal in the state as illegal, not frozen', () => {
    expect(transition(snapshot('rolled_back'), 'promote', ctx(true))).toEqual(no('rolled back: it cannot be promoted'));
    expect(transition(snapshot('paused'), 'advance', ctx(true))).toEqual(no('paused: resume it first'));
  });
});

describe('state sets', () => {
  const IN_FLIGHT: Record<ReleaseState, boolean> = {
    pending_approval: true,
    approved: true,
    running: true,
    paused: true,
    promoted: false,
    rolled_back: false,
    rejected: false,
    aborted: false,
  };

  it.each(RELEASE_STATES)('%s', (state) => {
    expect(isInFlight(state)).toBe(IN_FLIGHT[state]);
    expect(isTerminal(state)).toBe(TERMINAL.has(state));
  });

  it('splits the states into in flight and terminal, with nothing in both', () => {
    expect([...IN_FLIGHT_STATES, ...TERMINAL_STATES].sort()).toEqual([...RELEASE_STATES].sort());
    expect(IN_FLIGHT_STATES.filter((s) => (TERMINAL_STATES as readonly string[]).includes(s))).toEqual([]);
  });

  it('recognises state names', () => {
    expect(isReleaseState('rolled_back')).toBe(true);
    expect(isReleaseState('rolledback')).toBe(false);
    expect(isReleaseState('')).toBe(false);
  });

  it('marks exactly the transitions into terminal states as terminal', () => {
    for (const [state, action] of TABLE) {
      const result = transition(snapshot(state), action, ctx(false));
      if (result.ok && result.changed) expect(result.terminal).toBe(TERMINAL.has(result.next.state));
    }
  });
});

describe('who may act', () => {
  // Written out by hand: the permission each action needs (roles per permission are tested in roles.test.ts).
  const PERMISSION: Record<ReleaseAction, string> = {
    approve: 'release.approve',
    reject: 'release.approve',
    start: 'release.operate',
    pause: 'release.operate',
    resume: 'release.operate',
    advance: 'release.operate',
    promote: 'release.operate',
    abort: 'release.operate',
    rollback: 'release.rollback',
  };
  const user = (roles: Role[]): Actor => ({ type: 'user', id: 'u1', name: 'user', roles });

  it.each(RELEASE_ACTIONS)('%s', (action) => {
    expect(ACTION_PERMISSION[action]).toBe(PERMISSION[action]);
    for (const roles of [[], ['reviewer'], ['ml_lead'], ['oncall'], ['admin']] as Role[][]) {
      const actor = user(roles);
      expect(canPerform(actor, action)).toBe(can(actor, PERMISSION[action] as Permission));
      expect(whyNotPerform(action, actor)).toBe(whyNot(PERMISSION[action] as Permission, actor));
    }
  });

  it('lets a reviewer approve and reject but not run the release; a plain viewer nothing; an admin everything', () => {
    expect(RELEASE_ACTIONS.filter((a) => canPerform(user(['reviewer']), a))).toEqual(['approve', 'reject']);
    expect(RELEASE_ACTIONS.filter((a) => canPerform(user([]), a))).toEqual([]);
    expect(RELEASE_ACTIONS.filter((a) => canPerform(user(['admin']), a))).toEqual([...RELEASE_ACTIONS]);
  });

  it('tells an API key without the releases scope what it lacks', () => {
    const key: Actor = { type: 'api_key', id: 'k1', name: 'api-key:ci', roles: ['admin'], scopes: ['read'] };
    expect(canPerform(key, 'rollback')).toBe(false);
    expect(whyNotPerform('rollback', key)).toBe('Needs an API key with the "releases" scope');
  });
});
