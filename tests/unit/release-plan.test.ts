import { describe, expect, it } from 'vitest';
import { abPlan, DEFAULT_PRODUCTION_PLAN, REQUESTABLE_STRATEGIES, DEFAULT_STAGING_PLAN, Plan, PlanStep, STRATEGIES, SplitRouting, Strategy, planFor } from '@/lib/domain/release-plan';

const issues = (result: { success: boolean; error?: { issues: { path: PropertyKey[]; message: string }[] } }) =>
  (result.error?.issues ?? []).map((i) => ({ path: i.path.join('.'), message: i.message }));

describe('STRATEGIES', () => {
  it('lists the six strategies; every one but ab can be requested on its own', () => {
    expect([...STRATEGIES]).toEqual(['canary', 'blue_green', 'shadow', 'split', 'immediate', 'ab']);
    expect([...REQUESTABLE_STRATEGIES]).toEqual(['canary', 'blue_green', 'shadow', 'split', 'immediate']);
    expect(Strategy.safeParse('rainbow').success).toBe(false);
    for (const s of STRATEGIES) expect(Strategy.parse(s)).toBe(s);
  });

  it('an ab plan holds the treatments behind a manual gate, then ends at 100 %', () => {
    expect(abPlan(30)).toEqual([
      { weight: 30, holdSeconds: 0, analysisRequired: false, manualGate: true },
      { weight: 100, holdSeconds: 0, analysisRequired: false, manualGate: false },
    ]);
    expect(Plan.safeParse(abPlan(30)).success).toBe(true);
  });
});

describe('PlanStep', () => {
  it('fills the defaults: no hold, no analysis, no gate', () => {
    expect(PlanStep.parse({ weight: 10 })).toEqual({ weight: 10, holdSeconds: 0, analysisRequired: false, manualGate: false });
  });

  it.each([
    [{ weight: -1 }, 'weight'],
    [{ weight: 101 }, 'weight'],
    [{ weight: 2.5 }, 'weight'],
    [{ weight: 10, holdSeconds: -1 }, 'holdSeconds'],
    [{ weight: 10, holdSeconds: 7 * 86400 + 1 }, 'holdSeconds'],
    [{ weight: 10, holdSeconds: 1.5 }, 'holdSeconds'],
    [{ weight: 10, analysisRequired: 'yes' }, 'analysisRequired'],
    [{}, 'weight'],
  ])('rejects %j at %s', (input, path) => {
    expect(issues(PlanStep.safeParse(input)).map((i) => i.path)).toEqual([path]);
  });

  it('accepts the bounds: 0 and 100 %, a hold of exactly one week', () => {
    expect(PlanStep.safeParse({ weight: 0 }).success).toBe(true);
    expect(PlanStep.safeParse({ weight: 100, holdSeconds: 604800 }).success).toBe(true);
  });
});

describe('Plan', () => {
  it('accepts a non-decreasing plan ending at 100, repeated weights included', () => {
    expect(Plan.parse([{ weight: 10 }, { weight: 10 }, { weight: 100 }])).toHaveLength(3);
    expect(Plan.parse([{ weight: 100 }])).toEqual([{ weight: 100, holdSeconds: 0, analysisRequired: false, manualGate: false }]);
  });

  it('rejects an empty plan and more than 20 steps', () => {
    expect(Plan.safeParse([]).success).toBe(false);
    const steps = (n: number) => Array.from({ length: n }, (_, i) => ({ weight: i === n - 1 ? 100 : i }));
    expect(Plan.safeParse(steps(20)).success).toBe(true);
    expect(Plan.safeParse(steps(21)).success).toBe(false);
  });

  it('names the step that lowers the weight', () => {
    expect(issues(Plan.safeParse([{ weight: 10 }, { weight: 50 }, { weight: 20 }, { weight: 100 }]))).toEqual([
      { path: '2.weight', message: 'Step 3 lowers the weight from 50 % to 20 %: weights may not decrease' },
    ]);
  });

  it('names the last step when it does not reach 100 %', () => {
    expect(issues(Plan.safeParse([{ weight: 10 }, { weight: 90 }]))).toEqual([
      { path: '1.weight', message: 'The last step must send 100 % of traffic to the new version (it sends 90 %)' },
    ]);
  });

  it('reports both problems at once', () => {
    expect(issues(Plan.safeParse([{ weight: 50 }, { weight: 20 }])).map((i) => i.path)).toEqual(['1.weight', '1.weight']);
  });
});

describe('default plans', () => {
  it('production: 1, 5, 25, 50, 100 %, five-minute holds with analysis, a human at 50 %', () => {
    expect(DEFAULT_PRODUCTION_PLAN).toEqual([
      { weight: 1, holdSeconds: 300, analysisRequired: true, manualGate: false },
      { weight: 5, holdSeconds: 300, analysisRequired: true, manualGate: false },
      { weight: 25, holdSeconds: 300, analysisRequired: true, manualGate: false },
      { weight: 50, holdSeconds: 300, analysisRequired: true, manualGate: true },
      { weight: 100, holdSeconds: 0, analysisRequired: false, manualGate: false },
    ]);
  });

  it('staging: 50 % for a minute, then 100 %, no analysis and no gates', () => {
    expect(DEFAULT_STAGING_PLAN).toEqual([
      { weight: 50, holdSeconds: 60, analysisRequired: false, manualGate: false },
      { weight: 100, holdSeconds: 0, analysisRequired: false, manualGate: false },
    ]);
  });

  it('are valid plans', () => {
    expect(Plan.parse(DEFAULT_PRODUCTION_PLAN)).toEqual(DEFAULT_PRODUCTION_PLAN);
    expect(Plan.parse(DEFAULT_STAGING_PLAN)).toEqual(DEFAULT_STAGING_PLAN);
  });

  it('cannot be edited in place by a caller', () => {
    expect(() => DEFAULT_PRODUCTION_PLAN.push({ weight: 100, holdSeconds: 0, analysisRequired: false, manualGate: false })).toThrow(TypeError);
    expect(() => {
      DEFAULT_STAGING_PLAN[0]!.weight = 99;
    }).toThrow(TypeError);
    expect(DEFAULT_STAGING_PLAN[0]!.weight).toBe(50);
  });
});

describe('planFor', () => {
  const step = (weight: number, rest: Partial<PlanStep> = {}) => ({ weight, holdSeconds: 0, analysisRequired: false, manualGate: false, ...rest });
  const envDefault = Plan.parse([{ weight: 30, holdSeconds: 10 }, { weight: 100 }]);

  it.each<[Strategy, Plan]>([
    ['immediate', [step(100)]],
    ['split', [step(100)]],
    ['blue_green', [step(0, { manualGate: true }), step(100)]],
    ['shadow', [step(0, { holdSeconds: 600, analysisRequired: true }), step(100)]],
    ['canary', [step(30, { holdSeconds: 10 }), step(100)]],
  ])('%s', (strategy, expected) => {
    const plan = planFor(strategy, envDefault);
    expect(plan).toEqual(expected);
    expect(Plan.safeParse(plan).success).toBe(true);
  });

  it('gives canary the environment default as a copy the caller may edit', () => {
    const plan = planFor('canary', DEFAULT_PRODUCTION_PLAN);
    expect(plan).toEqual(DEFAULT_PRODUCTION_PLAN);
    expect(plan).not.toBe(DEFAULT_PRODUCTION_PLAN);
    plan[0]!.weight = 2;
    plan.push(step(100));
    expect(DEFAULT_PRODUCTION_PLAN[0]!.weight).toBe(1);
    expect(DEFAULT_PRODUCTION_PLAN).toHaveLength(5);
  });

  it('ignores the environment default for every other strategy', () => {
    for (const s of STRATEGIES.filter((x) => x !== 'canary')) {
      expect(planFor(s, DEFAULT_PRODUCTION_PLAN)).toEqual(planFor(s, DEFAULT_STAGING_PLAN));
    }
  });
});

describe('SplitRouting', () => {
  const versions = [
    { version: '1.0.0', weight: 70 },
    { version: '1.1.0', weight: 30 },
  ];
  const header = (name: string, value: string, version = '1.1.0') => ({ match: { kind: 'header' as const, name, value }, version });

  it('accepts a split and defaults segments to none', () => {
    expect(SplitRouting.parse({ versions })).toEqual({ versions, segments: [] });
  });

  it('accepts segments pinned to versions of the split', () => {
    const split = { versions, segments: [header('x-tenant', 'acme'), { match: { kind: 'cookie', name: 'beta_user', value: '1' }, version: '1.0.0' }] };
    expect(SplitRouting.parse(split)).toEqual(split);
  });

  it('needs between 2 and 10 versions', () => {
    expect(SplitRouting.safeParse({ versions: [{ version: '1.0.0', weight: 100 }] }).success).toBe(false);
    const ten = Array.from({ length: 10 }, (_, i) => ({ version: `1.${i}.0`, weight: 10 }));
    expect(SplitRouting.safeParse({ versions: ten }).success).toBe(true);
    const eleven = [...ten.map((v) => ({ ...v, weight: 9 })), { version: '2.0.0', weight: 10 }];
    expect(SplitRouting.safeParse({ versions: eleven }).success).toBe(false);
  });

  it.each([
    [[70, 20], 'Weights must add up to 100 % (they add up to 90 %)'],
    [[70, 40], 'Weights must add up to 100 % (they add up to 110 %)'],
  ])('refuses weights %j that do not add up to 100', ([a, b], message) => {
    const split = { versions: [{ version: '1.0.0', weight: a }, { version: '1.1.0', weight: b }] };
    expect(issues(SplitRouting.safeParse(split))).toEqual([{ path: 'versions', message }]);
  });

  it('accepts a version at 0 % when the rest add up to 100', () => {
    const split = { versions: [{ version: '1.0.0', weight: 100 }, { version: '1.1.0', weight: 0 }], segments: [header('x-beta', 'on')] };
    expect(SplitRouting.safeParse(split).success).toBe(true);
  });

  it('refuses a version listed twice', () => {
    const split = { versions: [{ version: '1.0.0', weight: 50 }, { version: '1.0.0', weight: 50 }] };
    expect(issues(SplitRouting.safeParse(split))).toEqual([{ path: 'versions.1.version', message: 'Version "1.0.0" is listed twice' }]);
  });

  it('refuses a segment naming a version outside the split', () => {
    expect(issues(SplitRouting.safeParse({ versions, segments: [header('x-tenant', 'acme', '9.9.9')] }))).toEqual([
      { path: 'segments.0.version', message: `Version "9.9.9" is not one of the split's versions` },
    ]);
  });

  it('refuses two segments matching the same header value (header names ignore case)', () => {
    const split = { versions, segments: [header('X-Tenant', 'acme'), header('x-tenant', 'acme', '1.0.0')] };
    expect(issues(SplitRouting.safeParse(split))).toEqual([{ path: 'segments.1.match', message: 'Another segment already matches header x-tenant=acme' }]);
  });

  it('lets the same name differ by kind, value, or cookie-name case', () => {
    const cookie = (name: string, value: string) => ({ match: { kind: 'cookie' as const, name, value }, version: '1.0.0' });
    const split = { versions, segments: [header('tenant', 'acme'), cookie('tenant', 'acme'), header('tenant', 'other'), cookie('Tenant', 'acme')] };
    expect(SplitRouting.safeParse(split).success).toBe(true);
  });

  it.each([
    ['an empty name', { kind: 'header', name: '', value: 'v' }, 'segments.0.match.name'],
    ['a name with a space', { kind: 'header', name: 'x tenant', value: 'v' }, 'segments.0.match.name'],
    ['a name with a colon', { kind: 'header', name: 'x:tenant', value: 'v' }, 'segments.0.match.name'],
    ['a name over 100 characters', { kind: 'header', name: 'a'.repeat(101), value: 'v' }, 'segments.0.match.name'],
    ['an empty value', { kind: 'cookie', name: 'c', value: '' }, 'segments.0.match.value'],
    ['a value over 200 characters', { kind: 'cookie', name: 'c', value: 'v'.repeat(201) }, 'segments.0.match.value'],
    ['an unknown kind', { kind: 'query', name: 'c', value: 'v' }, 'segments.0.match.kind'],
  ])('refuses a segment with %s', (_label, match, path) => {
    // An empty name breaks both the length and the pattern rule; each path is reported once here.
    expect([...new Set(issues(SplitRouting.safeParse({ versions, segments: [{ match, version: '1.1.0' }] })).map((i) => i.path))]).toEqual([path]);
  });

  it('allows at most 20 segments', () => {
    const segments = (n: number) => Array.from({ length: n }, (_, i) => header('x-tenant', `t${i}`));
    expect(SplitRouting.safeParse({ versions, segments: segments(20) }).success).toBe(true);
    expect(SplitRouting.safeParse({ versions, segments: segments(21) }).success).toBe(false);
  });
});
