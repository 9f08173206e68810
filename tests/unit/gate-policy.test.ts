import { describe, expect, it } from 'vitest';
import {
  CHECK_KINDS,
  CHECK_STATUSES,
  DEFAULT_PRODUCTION_POLICY,
  DEFAULT_STAGING_POLICY,
  evaluateGates,
  evaluateMetricThreshold,
  GatePolicy,
  MetricThreshold,
  type CheckKind,
  type CheckStatus,
  type GateCheckResult,
} from '@/lib/domain/gate-policy';

const NO_BASELINE_VERSION = 'no version in this environment yet; only the absolute threshold applies';

const higher = (rule: Omit<MetricThreshold, 'greaterIsBetter' | 'metric'> & { metric?: string }): MetricThreshold => ({ metric: 'auc', ...rule, greaterIsBetter: true });
const lower = (rule: Omit<MetricThreshold, 'greaterIsBetter' | 'metric'> & { metric?: string }): MetricThreshold => ({ metric: 'p99_latency_ms', ...rule, greaterIsBetter: false });

function check(kind: CheckKind, status: CheckStatus = 'passed', measurements: Record<string, number> = {}): GateCheckResult {
  return { kind, status, measurements };
}

describe('kinds and statuses', () => {
  it('are the closed sets the rest of the product uses', () => {
    expect(CHECK_KINDS).toEqual(['unit', 'smoke', 'data_drift', 'performance', 'quality_regression', 'safety', 'contract']);
    expect(CHECK_STATUSES).toEqual(['passed', 'failed', 'running', 'skipped']);
  });
});

describe('MetricThreshold schema', () => {
  it.each([
    { metric: 'auc', threshold: 0.9, greaterIsBetter: true },
    { metric: 'auc', minAbsoluteChange: 0.01, greaterIsBetter: true },
    { metric: 'auc', minRelativeChange: 0.05, greaterIsBetter: true },
    { metric: 'auc', minAbsoluteChange: -0.01, greaterIsBetter: true },
    { metric: 'auc', minRelativeChange: -0.005, greaterIsBetter: true },
    { metric: 'auc', minRelativeChange: -1, greaterIsBetter: true },
    { metric: 'auc', minRelativeChange: 1, greaterIsBetter: true },
    { metric: 'auc', minRelativeChange: 0, greaterIsBetter: true },
    { metric: 'auc', threshold: 0.9, minAbsoluteChange: 0, minRelativeChange: 0.01, greaterIsBetter: false },
  ])('accepts %o', (rule) => {
    expect(MetricThreshold.parse(rule)).toEqual(rule);
  });

  it('needs at least one of threshold, minAbsoluteChange, minRelativeChange', () => {
    const result = MetricThreshold.safeParse({ metric: 'auc', greaterIsBetter: true });
    expect(result.error?.issues.map((i) => i.message)).toEqual(['Set at least one of threshold, minAbsoluteChange or minRelativeChange']);
  });

  it.each([
    ['relative change below −1', { metric: 'auc', minRelativeChange: -1.01, greaterIsBetter: true }],
    ['relative change above 1', { metric: 'auc', minRelativeChange: 1.01, greaterIsBetter: true }],
    ['NaN threshold', { metric: 'auc', threshold: Number.NaN, greaterIsBetter: true }],
    ['infinite threshold', { metric: 'auc', threshold: Number.POSITIVE_INFINITY, greaterIsBetter: true }],
    ['infinite absolute change', { metric: 'auc', minAbsoluteChange: Number.NEGATIVE_INFINITY, greaterIsBetter: true }],
    ['empty metric', { metric: '', threshold: 1, greaterIsBetter: true }],
    ['overlong metric', { metric: 'm'.repeat(201), threshold: 1, greaterIsBetter: true }],
    ['missing direction', { metric: 'auc', threshold: 1 }],
    ['string threshold', { metric: 'auc', threshold: '0.9', greaterIsBetter: true }],
  ])('rejects %s', (_, rule) => {
    expect(MetricThreshold.safeParse(rule).success).toBe(false);
  });
});

describe('GatePolicy schema', () => {
  it('dedupes required checks, keeping first-seen order', () => {
    expect(GatePolicy.parse({ requiredChecks: ['smoke', 'unit', 'smoke', 'unit'], thresholds: {} }).requiredChecks).toEqual(['smoke', 'unit']);
  });

  it('accepts every kind once and at most 7 entries', () => {
    expect(GatePolicy.parse({ requiredChecks: [...CHECK_KINDS], thresholds: {} }).requiredChecks).toEqual([...CHECK_KINDS]);
    expect(GatePolicy.safeParse({ requiredChecks: [...CHECK_KINDS, 'unit'], thresholds: {} }).success).toBe(false);
  });

  it('rejects unknown kinds, in required checks and as threshold keys', () => {
    expect(GatePolicy.safeParse({ requiredChecks: ['integration'], thresholds: {} }).success).toBe(false);
    expect(GatePolicy.safeParse({ requiredChecks: [], thresholds: { latency: [{ metric: 'p99', threshold: 1, greaterIsBetter: false }] } }).success).toBe(false);
  });

  it('takes thresholds for some kinds only, and defaults to none', () => {
    const rules = [{ metric: 'auc', minRelativeChange: -0.005, greaterIsBetter: true }];
    expect(GatePolicy.parse({ requiredChecks: [], thresholds: { quality_regression: rules } }).thresholds).toEqual({ quality_regression: rules });
    expect(GatePolicy.parse({ requiredChecks: ['unit'] })).toEqual({ requiredChecks: ['unit'], thresholds: {} });
  });

  it('rejects two rules for one metric of one kind, naming the duplicate', () => {
    const result = GatePolicy.safeParse({
      requiredChecks: [],
      thresholds: {
        quality_regression: [
          { metric: 'auc', threshold: 0.9, greaterIsBetter: true },
          { metric: 'auc', minRelativeChange: 0, greaterIsBetter: true },
        ],
      },
    });
    expect(result.error?.issues.map((i) => ({ path: i.path, message: i.message }))).toEqual([
      { path: ['thresholds', 'quality_regression', 1, 'metric'], message: 'Duplicate rule for metric "auc"' },
    ]);
  });

  it('allows the same metric under different kinds', () => {
    const rule = { metric: 'auc', threshold: 0.9, greaterIsBetter: true };
    expect(GatePolicy.safeParse({ requiredChecks: [], thresholds: { quality_regression: [rule], safety: [rule] } }).success).toBe(true);
  });

  it('caps a kind at 50 rules', () => {
    const rules = (n: number) => Array.from({ length: n }, (_, i) => ({ metric: `m${i}`, threshold: 1, greaterIsBetter: true }));
    expect(GatePolicy.safeParse({ requiredChecks: [], thresholds: { unit: rules(50) } }).success).toBe(true);
    expect(GatePolicy.safeParse({ requiredChecks: [], thresholds: { unit: rules(51) } }).success).toBe(false);
  });

  it('rejects an invalid rule inside a policy', () => {
    expect(GatePolicy.safeParse({ requiredChecks: [], thresholds: { safety: [{ metric: 'gap', greaterIsBetter: false }] } }).success).toBe(false);
  });
});

describe('default policies', () => {
  it('production requires everything but data drift, with the three product thresholds', () => {
    expect(DEFAULT_PRODUCTION_POLICY).toEqual({
      requiredChecks: ['unit', 'smoke', 'contract', 'quality_regression', 'performance', 'safety'],
      thresholds: {
        quality_regression: [{ metric: 'primary_metric', minRelativeChange: -0.005, greaterIsBetter: true }],
        performance: [{ metric: 'p99_latency_ms', minRelativeChange: -0.1, greaterIsBetter: false }],
        safety: [{ metric: 'subgroup_gap_points', threshold: 2, greaterIsBetter: false }],
      },
    });
  });

  it('staging requires unit and smoke, nothing else', () => {
    expect(DEFAULT_STAGING_POLICY).toEqual({ requiredChecks: ['unit', 'smoke'], thresholds: {} });
  });

  it.each([DEFAULT_PRODUCTION_POLICY, DEFAULT_STAGING_POLICY])('is valid under its own schema', (policy) => {
    expect(GatePolicy.parse(policy)).toEqual(policy);
  });
});

describe('evaluateMetricThreshold: MLflow reference vectors (ANCHORS-ML A.2)', () => {
  it('baseline 0.80, candidate 0.83, min_relative_change 0.05 → 0.83 < 0.84 → FAIL', () => {
    expect(evaluateMetricThreshold({ metric: 'accuracy', minRelativeChange: 0.05, greaterIsBetter: true }, 0.83, 0.8)).toEqual({
      passed: false,
      reason: 'accuracy 0.83 is below 0.84 (baseline 0.8 +5 %)',
    });
  });

  it('same pair with min_absolute_change 0.02 → 0.83 ≥ 0.82 → PASS', () => {
    expect(evaluateMetricThreshold({ metric: 'accuracy', minAbsoluteChange: 0.02, greaterIsBetter: true }, 0.83, 0.8)).toEqual({
      passed: true,
      reason: 'accuracy 0.83 is at least 0.82 (baseline 0.8 +0.02)',
    });
  });
});

describe('evaluateMetricThreshold: product examples', () => {
  const auc = DEFAULT_PRODUCTION_POLICY.thresholds.quality_regression![0]!;
  const p99 = DEFAULT_PRODUCTION_POLICY.thresholds.performance![0]!;
  const gap = DEFAULT_PRODUCTION_POLICY.thresholds.safety![0]!;

  it.each([
    [0.93, true, 'primary_metric 0.93 is at least 0.9154 (baseline 0.92 −0.5 %)'],
    [0.92, true, 'primary_metric 0.92 is at least 0.9154 (baseline 0.92 −0.5 %)'],
    [0.9154, true, 'primary_metric 0.9154 is at least 0.9154 (baseline 0.92 −0.5 %)'],
    [0.91539, false, 'primary_metric 0.91539 is below 0.9154 (baseline 0.92 −0.5 %)'],
    [0.912, false, 'primary_metric 0.912 is below 0.9154 (baseline 0.92 −0.5 %)'],
  ])('auc may drop at most 0.5 %%: candidate %d against baseline 0.92 → %s', (candidate, passed, reason) => {
    expect(evaluateMetricThreshold(auc, candidate, 0.92)).toEqual({ passed, reason });
  });

  it.each([
    [180, true, 'p99_latency_ms 180 is at most 220 (baseline 200 +10 %)'],
    [220, true, 'p99_latency_ms 220 is at most 220 (baseline 200 +10 %)'],
    [220.01, false, 'p99_latency_ms 220.01 is above 220 (baseline 200 +10 %)'],
    [300, false, 'p99_latency_ms 300 is above 220 (baseline 200 +10 %)'],
  ])('p99 latency at most 10 %% worse: candidate %d against baseline 200 → %s', (candidate, passed, reason) => {
    expect(evaluateMetricThreshold(p99, candidate, 200)).toEqual({ passed, reason });
  });

  it('computes a latency limit exactly where floating point would not (44.3 × 1.07)', () => {
    const rule = lower({ minRelativeChange: -0.07 });
    expect(44.3 * (1 + 0.07)).toBeLessThan(47.401);
    expect(evaluateMetricThreshold(rule, 47.401, 44.3)).toEqual({ passed: true, reason: 'p99_latency_ms 47.401 is at most 47.401 (baseline 44.3 +7 %)' });
    expect(evaluateMetricThreshold(rule, 47.4011, 44.3).passed).toBe(false);
  });

  it.each([
    [0, true, 'subgroup_gap_points 0 is at most 2'],
    [2, true, 'subgroup_gap_points 2 is at most 2'],
    [2.01, false, 'subgroup_gap_points 2.01 is above 2'],
  ])('subgroup gap at most 2 points: candidate %d → %s', (candidate, passed, reason) => {
    expect(evaluateMetricThreshold(gap, candidate, 1)).toEqual({ passed, reason });
    // An absolute threshold does not need a baseline at all.
    expect(evaluateMetricThreshold(gap, candidate, null)).toEqual({ passed, reason });
    expect(evaluateMetricThreshold(gap, candidate, undefined)).toEqual({ passed, reason });
  });
});

describe('evaluateMetricThreshold: each rule, both directions, at the boundary', () => {
  it.each([
    // threshold
    ['threshold, higher, above', higher({ threshold: 0.9 }), 0.95, 0.5, true],
    ['threshold, higher, equal', higher({ threshold: 0.9 }), 0.9, 0.5, true],
    ['threshold, higher, below', higher({ threshold: 0.9 }), 0.8999, 0.5, false],
    ['threshold, lower, below', lower({ threshold: 250 }), 249, 100, true],
    ['threshold, lower, equal', lower({ threshold: 250 }), 250, 100, true],
    ['threshold, lower, above', lower({ threshold: 250 }), 250.5, 100, false],
    ['negative threshold, higher', higher({ threshold: -3 }), -3, null, true],
    // minAbsoluteChange — 0.1 + 0.2 is 0.30000000000000004 in floating point; the limit is 0.3
    ['absolute, higher, exactly at 0.1 + 0.2', higher({ minAbsoluteChange: 0.2 }), 0.3, 0.1, true],
    ['absolute, higher, below', higher({ minAbsoluteChange: 0.2 }), 0.2999, 0.1, false],
    ['absolute, higher, tolerated drop, equal', higher({ minAbsoluteChange: -0.01 }), 0.89, 0.9, true],
    ['absolute, higher, tolerated drop, beyond', higher({ minAbsoluteChange: -0.01 }), 0.8899, 0.9, false],
    ['absolute, higher, zero change, equal', higher({ minAbsoluteChange: 0 }), 0.9, 0.9, true],
    ['absolute, higher, zero change, worse', higher({ minAbsoluteChange: 0 }), 0.8999, 0.9, false],
    ['absolute, lower, improvement met', lower({ minAbsoluteChange: 5 }), 95, 100, true],
    ['absolute, lower, improvement missed', lower({ minAbsoluteChange: 5 }), 95.01, 100, false],
    ['absolute, lower, tolerated rise, equal', lower({ minAbsoluteChange: -5 }), 105, 100, true],
    ['absolute, lower, tolerated rise, beyond', lower({ minAbsoluteChange: -5 }), 105.01, 100, false],
    // minRelativeChange — 0.8 × 1.05 is 0.8400000000000001 in floating point; the limit is 0.84
    ['relative, higher, exactly at 0.8 × 1.05', higher({ minRelativeChange: 0.05 }), 0.84, 0.8, true],
    ['relative, higher, below', higher({ minRelativeChange: 0.05 }), 0.8399, 0.8, false],
    ['relative, higher, tolerated drop, equal', higher({ minRelativeChange: -0.1 }), 0.72, 0.8, true],
    ['relative, higher, tolerated drop, beyond', higher({ minRelativeChange: -0.1 }), 0.7199, 0.8, false],
    ['relative, lower, improvement met', lower({ minRelativeChange: 0.1 }), 180, 200, true],
    ['relative, lower, improvement missed', lower({ minRelativeChange: 0.1 }), 180.5, 200, false],
    ['relative, lower, zero change, equal', lower({ minRelativeChange: 0 }), 200, 200, true],
    ['relative, lower, zero change, worse', lower({ minRelativeChange: 0 }), 200.001, 200, false],
    ['relative, −100 %, higher: anything ≥ 0', higher({ minRelativeChange: -1 }), 0, 0.8, true],
    ['relative, +100 %, higher: double', higher({ minRelativeChange: 1 }), 1.6, 0.8, true],
    ['relative, +100 %, higher: short of double', higher({ minRelativeChange: 1 }), 1.5999, 0.8, false],
  ] as const)('%s', (_, rule, candidate, baseline, passed) => {
    expect(evaluateMetricThreshold(rule, candidate, baseline).passed).toBe(passed);
  });
});

describe('evaluateMetricThreshold: zero and negative baselines', () => {
  // MLflow: with a zero baseline a relative improvement degenerates into "strictly better", by 1e-10.
  it.each([
    ['higher, candidate 0 fails', higher({ minRelativeChange: 0.05 }), 0, false, 'auc 0 is not above the zero baseline (a relative improvement over 0 must be strict, by at least 1e-10)'],
    ['higher, 5e-11 is inside the slack and fails', higher({ minRelativeChange: 0.05 }), 5e-11, false, 'auc 5e-11 is not above the zero baseline (a relative improvement over 0 must be strict, by at least 1e-10)'],
    ['higher, 1e-10 passes', higher({ minRelativeChange: 0.05 }), 1e-10, true, 'auc 1e-10 is above the zero baseline'],
    ['higher, 0.5 passes', higher({ minRelativeChange: 0.05 }), 0.5, true, 'auc 0.5 is above the zero baseline'],
    ['lower, candidate 0 fails', lower({ minRelativeChange: 0.05 }), 0, false, 'p99_latency_ms 0 is not below the zero baseline (a relative improvement over 0 must be strict, by at least 1e-10)'],
    ['lower, −1e-10 passes', lower({ minRelativeChange: 0.05 }), -1e-10, true, 'p99_latency_ms -1e-10 is below the zero baseline'],
  ] as const)('relative improvement over a zero baseline: %s', (_, rule, candidate, passed, reason) => {
    expect(evaluateMetricThreshold(rule, candidate, 0)).toEqual({ passed, reason });
  });

  it('treats −0 as a zero baseline', () => {
    expect(evaluateMetricThreshold(higher({ minRelativeChange: 0.05 }), 0, -0).passed).toBe(false);
  });

  // A tolerated regression (or none) of 0 is 0: the candidate must merely be no worse than 0.
  it.each([
    ['higher, tolerated drop, 0 passes', higher({ minRelativeChange: -0.1 }), 0, true],
    ['higher, tolerated drop, below 0 fails', higher({ minRelativeChange: -0.1 }), -0.001, false],
    ['lower, tolerated rise, 0 passes', lower({ minRelativeChange: -0.1 }), 0, true],
    ['lower, tolerated rise, above 0 fails', lower({ minRelativeChange: -0.1 }), 0.001, false],
    ['higher, zero change, 0 passes', higher({ minRelativeChange: 0 }), 0, true],
  ] as const)('no improvement demanded over a zero baseline: %s', (_, rule, candidate, passed) => {
    expect(evaluateMetricThreshold(rule, candidate, 0).passed).toBe(passed);
  });

  it('uses |baseline| so a demanded improvement over a negative baseline stays an improvement', () => {
    const rule = higher({ metric: 'log_likelihood', minRelativeChange: 0.1 });
    expect(evaluateMetricThreshold(rule, -1.8, -2)).toEqual({ passed: true, reason: 'log_likelihood -1.8 is at least -1.8 (baseline -2 +10 %)' });
    // baseline × (1 + r) would put the limit at −2.2 and let this regression through.
    expect(evaluateMetricThreshold(rule, -1.9, -2)).toEqual({ passed: false, reason: 'log_likelihood -1.9 is below -1.8 (baseline -2 +10 %)' });
    expect(evaluateMetricThreshold(rule, -2.1, -2).passed).toBe(false);
  });

  it('applies a tolerated regression against |baseline| too', () => {
    const rule = lower({ metric: 'loss', minRelativeChange: -0.5 });
    expect(evaluateMetricThreshold(rule, -1, -2)).toEqual({ passed: true, reason: 'loss -1 is at most -1 (baseline -2 +50 %)' });
    expect(evaluateMetricThreshold(rule, -0.9, -2).passed).toBe(false);
  });
});

describe('evaluateMetricThreshold: missing numbers', () => {
  const rule = higher({ threshold: 0.9, minRelativeChange: -0.005 });

  it.each([undefined, Number.NaN, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY])('fails when the candidate value is %s', (candidate) => {
    expect(evaluateMetricThreshold(rule, candidate, 0.92)).toEqual({ passed: false, reason: 'auc was not measured' });
    expect(evaluateMetricThreshold(rule, candidate, null)).toEqual({ passed: false, reason: 'auc was not measured' });
  });

  it.each([undefined, Number.NaN, Number.POSITIVE_INFINITY])('fails the change rules when the baseline version has no usable value (%s)', (baseline) => {
    expect(evaluateMetricThreshold(higher({ minRelativeChange: -0.005 }), 0.95, baseline)).toEqual({ passed: false, reason: 'no baseline auc to compare with' });
    expect(evaluateMetricThreshold(higher({ minAbsoluteChange: 0.01 }), 0.95, baseline)).toEqual({ passed: false, reason: 'no baseline auc to compare with' });
  });

  it('still applies the threshold when the baseline value is missing, and reports both failures', () => {
    expect(evaluateMetricThreshold(rule, 0.85, undefined)).toEqual({ passed: false, reason: 'auc 0.85 is below 0.9; no baseline auc to compare with' });
    expect(evaluateMetricThreshold(rule, 0.95, undefined)).toEqual({ passed: false, reason: 'no baseline auc to compare with' });
  });

  it('does not need a baseline for a threshold-only rule', () => {
    expect(evaluateMetricThreshold(higher({ threshold: 0.9 }), 0.95, undefined)).toEqual({ passed: true, reason: 'auc 0.95 is at least 0.9' });
  });

  it('skips the change rules when no version runs in the environment yet, but keeps the threshold', () => {
    expect(evaluateMetricThreshold(higher({ minRelativeChange: 0.05, minAbsoluteChange: 0.01 }), 0.1, null)).toEqual({ passed: true, reason: NO_BASELINE_VERSION });
    expect(evaluateMetricThreshold(rule, 0.95, null)).toEqual({ passed: true, reason: `auc 0.95 is at least 0.9; ${NO_BASELINE_VERSION}` });
    expect(evaluateMetricThreshold(rule, 0.85, null)).toEqual({ passed: false, reason: 'auc 0.85 is below 0.9' });
  });
});

describe('evaluateMetricThreshold: combined rules', () => {
  const rule = higher({ threshold: 0.9, minAbsoluteChange: 0.01, minRelativeChange: 0.02 });

  it('passes only when every part passes, and then lists them all', () => {
    expect(evaluateMetricThreshold(rule, 0.95, 0.9)).toEqual({
      passed: true,
      reason: 'auc 0.95 is at least 0.9; auc 0.95 is at least 0.91 (baseline 0.9 +0.01); auc 0.95 is at least 0.918 (baseline 0.9 +2 %)',
    });
  });

  it('lists only the failing parts when one fails', () => {
    expect(evaluateMetricThreshold(rule, 0.915, 0.9)).toEqual({ passed: false, reason: 'auc 0.915 is below 0.918 (baseline 0.9 +2 %)' });
    expect(evaluateMetricThreshold(rule, 0.905, 0.9)).toEqual({ passed: false, reason: 'auc 0.905 is below 0.91 (baseline 0.9 +0.01); auc 0.905 is below 0.918 (baseline 0.9 +2 %)' });
  });

  it('mirrors the signs in the reason when lower is better', () => {
    expect(evaluateMetricThreshold(lower({ minAbsoluteChange: 5, minRelativeChange: 0.07 }), 250, 200)).toEqual({
      passed: false,
      reason: 'p99_latency_ms 250 is above 195 (baseline 200 −5); p99_latency_ms 250 is above 186 (baseline 200 −7 %)',
    });
  });

  it('prints very large and very small limits readably', () => {
    expect(evaluateMetricThreshold(higher({ minRelativeChange: 0.5 }), 1, 1e30).reason).toBe('auc 1 is below 1.5e+30 (baseline 1e+30 +50 %)');
    expect(evaluateMetricThreshold(higher({ threshold: 1e-30 }), 1e-31, null).reason).toBe('auc 1e-31 is below 1e-30');
  });
});

describe('evaluateGates: required checks', () => {
  const policy: GatePolicy = { requiredChecks: ['unit'], thresholds: {} };

  it.each([
    [[], 'unit: no result reported yet'],
    [[check('unit', 'running')], 'unit: still running'],
    [[check('unit', 'failed')], 'unit: failed'],
    [[check('unit', 'skipped')], 'unit: skipped, but the policy requires it'],
  ] as const)('blocks on %o with %j', (checks, reason) => {
    expect(evaluateGates({ policy, checks: [...checks], baselineChecks: null })).toEqual({ deployable: false, unmet: [{ kind: 'unit', reason }], verdicts: [] });
  });

  it('is deployable when every required check passed', () => {
    expect(evaluateGates({ policy, checks: [check('unit')], baselineChecks: null })).toEqual({ deployable: true, unmet: [], verdicts: [] });
  });

  it('ignores checks the policy does not require, whatever their status', () => {
    const checks = [check('unit'), check('smoke', 'failed'), check('safety', 'running'), check('contract', 'skipped')];
    expect(evaluateGates({ policy, checks, baselineChecks: null }).deployable).toBe(true);
  });

  it('is deployable with an empty policy and no checks', () => {
    expect(evaluateGates({ policy: { requiredChecks: [], thresholds: {} }, checks: [], baselineChecks: null })).toEqual({ deployable: true, unmet: [], verdicts: [] });
  });

  it('names every unmet kind in CHECK_KINDS order, whatever the policy order', () => {
    const result = evaluateGates({
      policy: { requiredChecks: ['contract', 'safety', 'unit', 'smoke'], thresholds: {} },
      checks: [check('smoke', 'running'), check('safety', 'failed')],
      baselineChecks: null,
    });
    expect(result.unmet.map((u) => u.reason)).toEqual(['unit: no result reported yet', 'smoke: still running', 'safety: failed', 'contract: no result reported yet']);
  });

  it('uses the later result when a kind is reported twice', () => {
    expect(evaluateGates({ policy, checks: [check('unit', 'failed'), check('unit')], baselineChecks: null }).deployable).toBe(true);
    expect(evaluateGates({ policy, checks: [check('unit'), check('unit', 'failed')], baselineChecks: null }).deployable).toBe(false);
  });
});

describe('evaluateGates: metric thresholds', () => {
  const policy: GatePolicy = {
    requiredChecks: ['quality_regression'],
    thresholds: { quality_regression: [{ metric: 'auc', minRelativeChange: -0.005, greaterIsBetter: true }] },
  };

  it('blocks on a regression beyond the tolerance, prefixing the kind', () => {
    const result = evaluateGates({ policy, checks: [check('quality_regression', 'passed', { auc: 0.912 })], baselineChecks: [check('quality_regression', 'passed', { auc: 0.92 })] });
    expect(result).toEqual({
      deployable: false,
      unmet: [{ kind: 'quality_regression', metric: 'auc', reason: 'quality_regression: auc 0.912 is below 0.9154 (baseline 0.92 −0.5 %)' }],
      verdicts: [{ kind: 'quality_regression', metric: 'auc', candidate: 0.912, baseline: 0.92, passed: false, reason: 'auc 0.912 is below 0.9154 (baseline 0.92 −0.5 %)' }],
    });
  });

  it('lists passing verdicts too', () => {
    const result = evaluateGates({ policy, checks: [check('quality_regression', 'passed', { auc: 0.9154 })], baselineChecks: [check('quality_regression', 'passed', { auc: 0.92 })] });
    expect(result).toEqual({
      deployable: true,
      unmet: [],
      verdicts: [{ kind: 'quality_regression', metric: 'auc', candidate: 0.9154, baseline: 0.92, passed: true, reason: 'auc 0.9154 is at least 0.9154 (baseline 0.92 −0.5 %)' }],
    });
  });

  it('does not apply change rules on the first deployment into an environment', () => {
    const result = evaluateGates({ policy, checks: [check('quality_regression', 'passed', { auc: 0.5 })], baselineChecks: null });
    expect(result.deployable).toBe(true);
    expect(result.verdicts).toEqual([{ kind: 'quality_regression', metric: 'auc', candidate: 0.5, baseline: null, passed: true, reason: NO_BASELINE_VERSION }]);
  });

  it('fails change rules when the live version never ran that check', () => {
    const result = evaluateGates({ policy, checks: [check('quality_regression', 'passed', { auc: 0.95 })], baselineChecks: [check('unit')] });
    expect(result.unmet).toEqual([{ kind: 'quality_regression', metric: 'auc', reason: 'quality_regression: no baseline auc to compare with' }]);
    expect(result.verdicts[0]).toMatchObject({ candidate: 0.95, baseline: null, passed: false });
  });

  it('fails change rules when the live version has no checks at all (it exists, unlike null)', () => {
    expect(evaluateGates({ policy, checks: [check('quality_regression', 'passed', { auc: 0.95 })], baselineChecks: [] }).deployable).toBe(false);
  });

  it('only takes the baseline from the check of the same kind', () => {
    const result = evaluateGates({ policy, checks: [check('quality_regression', 'passed', { auc: 0.95 })], baselineChecks: [check('performance', 'passed', { auc: 0.9 })] });
    expect(result.unmet[0]?.reason).toBe('quality_regression: no baseline auc to compare with');
  });

  it('reads the baseline numbers whatever the status of the baseline check', () => {
    const result = evaluateGates({ policy, checks: [check('quality_regression', 'passed', { auc: 0.95 })], baselineChecks: [check('quality_regression', 'failed', { auc: 0.92 })] });
    expect(result.deployable).toBe(true);
    expect(result.verdicts[0]?.baseline).toBe(0.92);
  });

  it('fails a metric the candidate did not measure', () => {
    const result = evaluateGates({ policy, checks: [check('quality_regression', 'passed', { accuracy: 0.9 })], baselineChecks: [check('quality_regression', 'passed', { auc: 0.92 })] });
    expect(result.unmet).toEqual([{ kind: 'quality_regression', metric: 'auc', reason: 'quality_regression: auc was not measured' }]);
    expect(result.verdicts[0]).toMatchObject({ candidate: null, baseline: 0.92, passed: false });
  });

  it.each([Number.NaN, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY])('treats a %s measurement as missing, on either side', (bad) => {
    const candidateBad = evaluateGates({ policy, checks: [check('quality_regression', 'passed', { auc: bad })], baselineChecks: [check('quality_regression', 'passed', { auc: 0.92 })] });
    expect(candidateBad.unmet[0]?.reason).toBe('quality_regression: auc was not measured');
    expect(candidateBad.verdicts[0]?.candidate).toBeNull();
    const baselineBad = evaluateGates({ policy, checks: [check('quality_regression', 'passed', { auc: 0.95 })], baselineChecks: [check('quality_regression', 'passed', { auc: bad })] });
    expect(baselineBad.unmet[0]?.reason).toBe('quality_regression: no baseline auc to compare with');
    expect(baselineBad.verdicts[0]?.baseline).toBeNull();
  });

  it('does not mistake inherited object properties for measurements', () => {
    const sneaky: GatePolicy = { requiredChecks: [], thresholds: { unit: [{ metric: 'constructor', threshold: 0, greaterIsBetter: true }] } };
    const result = evaluateGates({ policy: sneaky, checks: [check('unit')], baselineChecks: null });
    expect(result.unmet).toEqual([{ kind: 'unit', metric: 'constructor', reason: 'unit: constructor was not measured' }]);
  });

  it('reads own measurements only, never a prototype', () => {
    const inherited = Object.create({ auc: 0.99 }) as Record<string, number>;
    expect(evaluateGates({ policy, checks: [check('quality_regression', 'passed', inherited)], baselineChecks: null }).unmet[0]?.reason).toBe('quality_regression: auc was not measured');
  });

  it('ignores values that are not numbers (data read back from JSON)', () => {
    const measurements = { auc: '0.95' } as unknown as Record<string, number>;
    expect(evaluateGates({ policy, checks: [check('quality_regression', 'passed', measurements)], baselineChecks: null }).unmet[0]?.reason).toBe('quality_regression: auc was not measured');
  });

  it('evaluates thresholds of a kind the policy does not require, when that check passed', () => {
    const optional: GatePolicy = { requiredChecks: [], thresholds: { data_drift: [{ metric: 'psi', threshold: 0.2, greaterIsBetter: false }] } };
    const result = evaluateGates({ policy: optional, checks: [check('data_drift', 'passed', { psi: 0.3 })], baselineChecks: null });
    expect(result.deployable).toBe(false);
    expect(result.unmet).toEqual([{ kind: 'data_drift', metric: 'psi', reason: 'data_drift: psi 0.3 is above 0.2' }]);
  });

  it.each(['failed', 'running', 'skipped'] as const)('does not evaluate thresholds of a %s check (the status already decides)', (status) => {
    const optional: GatePolicy = { requiredChecks: [], thresholds: { data_drift: [{ metric: 'psi', threshold: 0.2, greaterIsBetter: false }] } };
    expect(evaluateGates({ policy: optional, checks: [check('data_drift', status, { psi: 0.3 })], baselineChecks: null })).toEqual({ deployable: true, unmet: [], verdicts: [] });
    const required: GatePolicy = { ...optional, requiredChecks: ['data_drift'] };
    const result = evaluateGates({ policy: required, checks: [check('data_drift', status, { psi: 0.3 })], baselineChecks: null });
    expect(result.unmet).toHaveLength(1);
    expect(result.unmet[0]?.metric).toBeUndefined();
    expect(result.verdicts).toEqual([]);
  });

  it('does not evaluate thresholds of a kind with no check at all', () => {
    const optional: GatePolicy = { requiredChecks: [], thresholds: { data_drift: [{ metric: 'psi', threshold: 0.2, greaterIsBetter: false }] } };
    expect(evaluateGates({ policy: optional, checks: [], baselineChecks: null })).toEqual({ deployable: true, unmet: [], verdicts: [] });
  });

  it('evaluates every rule of a kind, in policy order, and reports each failure', () => {
    const several: GatePolicy = {
      requiredChecks: ['performance'],
      thresholds: {
        performance: [
          { metric: 'p99_latency_ms', minRelativeChange: -0.1, greaterIsBetter: false },
          { metric: 'throughput_rps', threshold: 100, greaterIsBetter: true },
          { metric: 'p50_latency_ms', threshold: 50, greaterIsBetter: false },
        ],
      },
    };
    const result = evaluateGates({
      policy: several,
      checks: [check('performance', 'passed', { p99_latency_ms: 250, throughput_rps: 120, p50_latency_ms: 60 })],
      baselineChecks: [check('performance', 'passed', { p99_latency_ms: 200 })],
    });
    expect(result.verdicts.map((x) => [x.metric, x.passed])).toEqual([
      ['p99_latency_ms', false],
      ['throughput_rps', true],
      ['p50_latency_ms', false],
    ]);
    expect(result.unmet.map((u) => u.metric)).toEqual(['p99_latency_ms', 'p50_latency_ms']);
  });
});

describe('evaluateGates: default production policy end to end', () => {
  const allPassed = (overrides: Partial<Record<'auc' | 'p99' | 'gap', number>> = {}): GateCheckResult[] => [
    check('unit'),
    check('smoke'),
    check('contract'),
    check('quality_regression', 'passed', { primary_metric: overrides.auc ?? 0.93 }),
    check('performance', 'passed', { p99_latency_ms: overrides.p99 ?? 190 }),
    check('safety', 'passed', { subgroup_gap_points: overrides.gap ?? 1.5 }),
  ];
  const live: GateCheckResult[] = [check('quality_regression', 'passed', { primary_metric: 0.92 }), check('performance', 'passed', { p99_latency_ms: 200 }), check('safety', 'passed', { subgroup_gap_points: 1 })];

  it('is deployable when everything holds, with one verdict per rule', () => {
    const result = evaluateGates({ policy: DEFAULT_PRODUCTION_POLICY, checks: allPassed(), baselineChecks: live });
    expect(result.deployable).toBe(true);
    expect(result.unmet).toEqual([]);
    expect(result.verdicts.map((x) => [x.kind, x.metric, x.passed])).toEqual([
      ['performance', 'p99_latency_ms', true],
      ['quality_regression', 'primary_metric', true],
      ['safety', 'subgroup_gap_points', true],
    ]);
  });

  it('is deployable exactly at every limit', () => {
    expect(evaluateGates({ policy: DEFAULT_PRODUCTION_POLICY, checks: allPassed({ auc: 0.9154, p99: 220, gap: 2 }), baselineChecks: live }).deployable).toBe(true);
  });

  it.each([
    [{ auc: 0.9153 }, 'quality_regression: primary_metric 0.9153 is below 0.9154 (baseline 0.92 −0.5 %)'],
    [{ p99: 221 }, 'performance: p99_latency_ms 221 is above 220 (baseline 200 +10 %)'],
    [{ gap: 2.5 }, 'safety: subgroup_gap_points 2.5 is above 2'],
  ])('blocks on %o', (overrides, reason) => {
    const result = evaluateGates({ policy: DEFAULT_PRODUCTION_POLICY, checks: allPassed(overrides), baselineChecks: live });
    expect(result.deployable).toBe(false);
    expect(result.unmet.map((u) => u.reason)).toEqual([reason]);
  });

  it('blocks on a missing required check even when all metrics hold', () => {
    const result = evaluateGates({ policy: DEFAULT_PRODUCTION_POLICY, checks: allPassed().filter((c) => c.kind !== 'contract'), baselineChecks: live });
    expect(result.unmet).toEqual([{ kind: 'contract', reason: 'contract: no result reported yet' }]);
  });

  it('does not require data drift', () => {
    const result = evaluateGates({ policy: DEFAULT_PRODUCTION_POLICY, checks: [...allPassed(), check('data_drift', 'failed')], baselineChecks: live });
    expect(result.deployable).toBe(true);
  });

  it('applies only the safety threshold on a first deployment', () => {
    const result = evaluateGates({ policy: DEFAULT_PRODUCTION_POLICY, checks: allPassed({ auc: 0.5, p99: 5000, gap: 3 }), baselineChecks: null });
    expect(result.unmet.map((u) => u.reason)).toEqual(['safety: subgroup_gap_points 3 is above 2']);
  });
});

describe('evaluateGates: default staging policy', () => {
  it('needs unit and smoke only', () => {
    expect(evaluateGates({ policy: DEFAULT_STAGING_POLICY, checks: [check('unit'), check('smoke'), check('safety', 'failed')], baselineChecks: [] })).toEqual({ deployable: true, unmet: [], verdicts: [] });
    expect(evaluateGates({ policy: DEFAULT_STAGING_POLICY, checks: [check('unit')], baselineChecks: [] }).unmet).toEqual([{ kind: 'smoke', reason: 'smoke: no result reported yet' }]);
  });
});
