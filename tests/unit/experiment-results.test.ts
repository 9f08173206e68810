import { describe, expect, it } from 'vitest';
import type { z } from 'zod';
import { bayesianEffect } from '@/lib/domain/bayesian-effect';
import { CreateExperimentInput, type ExperimentDesign } from '@/lib/domain/experiment-design';
import {
  experimentResults,
  formatHours,
  hoursToPlan,
  liftOverTime,
  recommend,
  type ArmSummary,
  type ArmTotals,
  type ComparisonRow,
  type ExperimentResults,
  type MetricResult,
  type Totals,
} from '@/lib/domain/experiment-results';
import { studentTQuantile } from '@/lib/domain/distributions';
import {
  compareArms,
  sequentialCi,
  sequentialMultiplier,
  sequentialMultiplierAt,
  srmCheck,
  type ArmComparison,
  type BinomialArm,
  type ContinuousArm,
  type SequentialResult,
} from '@/lib/domain/experiment-stats';
import { adjustedInterval, adjustPValues } from '@/lib/domain/multiple-comparisons';

/**
 * lib/domain/experiment-results.ts: every number the experiment page shows, cross-checked
 * against the statistics functions it is built from (compareArms, sequentialCi, srmCheck,
 * adjustPValues, bayesianEffect, and for corrected intervals the t quantile / sequential
 * multiplier at level α·p/p_adj) called directly on the same totals, and every decision rule of
 * `recommend` in its order.
 *
 * Corrected goal intervals: the module first back-solved them with gbstats' normal
 * `adjustedInterval`; it now widens the test's own interval to level α·p/p_adj (Welch: t quantile
 * with the Welch df; sequential: the mixture tuned at α, `sequentialMultiplierAt`), which keeps
 * "excludes 0 ⇔ p_adj < α" and stays finite when a sequential p-value is 1.
 */

// ---------------------------------------------------------------------------------------------
// Helpers

type CreateRaw = z.input<typeof CreateExperimentInput>;

const BASE: CreateRaw = {
  model: 'ranker',
  environment: 'production',
  name: 'New ranker',
  hypothesis: 'The new ranker raises conversion because its suggestions are more relevant',
  arms: [
    { version: '1.0.0', allocation: 50 },
    { version: '1.1.0', allocation: 50 },
  ],
  primaryMetric: { name: 'conversion', type: 'binomial' },
  minimumDetectableEffect: 0.05,
  baseline: { rate: 0.1 },
};

const THREE_ARMS = [
  { version: '1.0.0', allocation: 40 },
  { version: '1.1.0', allocation: 30 },
  { version: '1.2.0', allocation: 30 },
];

/** Parsed, so every default applies (sequential on, N* 5000, Holm, α 0.05 …). */
const designOf = (over: Partial<CreateRaw> = {}): ExperimentDesign => CreateExperimentInput.parse({ ...BASE, ...over });

const T1 = 'treatment:1.1.0';
const T2 = 'treatment:1.2.0';

const bin = (units: number, conversions: number): Totals => ({ units, conversions, sum: 0, sumSquares: 0 });
/** Continuous totals with the given mean and sample standard deviation. */
const cont = (units: number, mean: number, sd: number): Totals => ({ units, conversions: 0, sum: units * mean, sumSquares: (units - 1) * sd * sd + units * mean * mean });
const b = (t: Totals): BinomialArm => ({ units: t.units, conversions: t.conversions });
const c = (t: Totals): ContinuousArm => ({ units: t.units, sum: t.sum, sumSquares: t.sumSquares });

/** |actual − expected| ≤ tol·max(1, |expected|); infinities must match exactly. */
function close(actual: number, expected: number, tol = 1e-12) {
  if (!Number.isFinite(expected)) return expect(actual).toBe(expected);
  expect(Math.abs(actual - expected), `${actual} vs ${expected}`).toBeLessThanOrEqual(tol * Math.max(1, Math.abs(expected)));
}
function closePair(actual: readonly [number, number], expected: readonly [number, number], tol = 1e-12) {
  close(actual[0], expected[0], tol);
  close(actual[1], expected[1], tol);
}

type OkRow = Extract<ComparisonRow, { status: 'ok' }>;
const metric = (r: Pick<ExperimentResults, 'metrics'>, name: string): MetricResult => {
  const m = r.metrics.find((x) => x.name === name);
  if (!m) throw new Error(`no metric ${name}`);
  return m;
};
function row(r: Pick<ExperimentResults, 'metrics'>, name: string, arm: string): OkRow {
  const x = metric(r, name).comparisons.find((cmp) => cmp.arm === arm);
  expect(x?.status, `${name} ${arm}`).toBe('ok');
  return x as OkRow;
}
const okCompare = (x: ReturnType<typeof compareArms>): ArmComparison => {
  expect(x.status).toBe('ok');
  return x as ArmComparison;
};
const okSequential = (x: ReturnType<typeof sequentialCi>): SequentialResult => {
  expect(x.status).toBe('ok');
  return x as SequentialResult;
};
const excludesZero = (ci: readonly [number, number]) => ci[0] > 0 || ci[1] < 0;

const run = (design: ExperimentDesign, totals: Record<string, ArmTotals>, plannedPerArm = 1000, unitsPerHour: number | null = 1000) =>
  experimentResults({ design, totals, plannedPerArm, unitsPerHour });

// ---------------------------------------------------------------------------------------------

describe('sequential vs fixed-horizon test', () => {
  const control = bin(20_000, 2000);
  const treatment = bin(20_000, 2300);
  const totals = { conversion: { control, [T1]: treatment } };

  it('sequential (the default): the asymptotic confidence sequence with N* named', () => {
    const design = designOf();
    const r = run(design, totals);
    const seq = okSequential(sequentialCi(b(control), b(treatment), { metricType: 'binomial', alpha: 0.05, sides: 2, alternative: 'greater', nStar: 5000 }));
    const fixed = okCompare(compareArms(b(control), b(treatment), { metricType: 'binomial', alpha: 0.05, sides: 2 }));
    const x = row(r, 'conversion', T1);
    close(x.lift, seq.relativeLift);
    close(x.lift, 0.15);
    closePair(x.ci, seq.relativeCi);
    close(x.pValue, seq.pValue);
    close(x.adjustedPValue, seq.pValue);
    close(x.absoluteDiff, fixed.absoluteDiff);
    close(x.absoluteDiff, 0.015);
    expect(x.significant).toBe(seq.pValue < 0.05);
    expect(x.significant).toBe(true);
    expect(x.verdict).toBe('better');
    expect(x.nonInferior).toBeNull();
    // the sequence is wider than the fixed-horizon interval, its p-value larger
    expect(x.ci[1] - x.ci[0]).toBeGreaterThan(fixed.relativeCi[1] - fixed.relativeCi[0]);
    expect(x.pValue).toBeGreaterThan(fixed.pValue);
    const bayes = bayesianEffect({ lift: seq.relativeLift, se: seq.se, alpha: 0.05 });
    close(x.bayesian!.chanceToBeatControl, bayes.chanceToWin);
    closePair(x.bayesian!.credibleInterval, bayes.credibleInterval);
    close(x.bayesian!.risk.control, bayes.risk.control);
    close(x.bayesian!.risk.treatment, bayes.risk.treatment);
    expect(r.method).toEqual({
      test: 'sequential',
      description: 'Asymptotic confidence sequence (Waudby-Smith et al. 2023), N* = 5,000: valid at every look',
      nStar: 5000,
      alpha: 0.05,
      correction: 'none',
      comparisons: 1,
    });
  });

  it('uses the design’s N* and alpha', () => {
    const design = designOf({ sequential: { enabled: true, nStar: 20_000 }, alpha: 0.1 });
    const r = run(design, totals);
    const seq = okSequential(sequentialCi(b(control), b(treatment), { metricType: 'binomial', alpha: 0.1, sides: 2, nStar: 20_000 }));
    const x = row(r, 'conversion', T1);
    closePair(x.ci, seq.relativeCi);
    close(x.pValue, seq.pValue);
    expect(r.method.description).toContain('N* = 20,000');
    expect(r.method.nStar).toBe(20_000);
    expect(r.method.alpha).toBe(0.1);
    const bayes = bayesianEffect({ lift: seq.relativeLift, se: seq.se, alpha: 0.1 });
    closePair(x.bayesian!.credibleInterval, bayes.credibleInterval);
  });

  it('fixed horizon: Welch t-test interval and p-value', () => {
    const design = designOf({ sequential: { enabled: false } });
    const r = run(design, totals, 20_000);
    const fixed = okCompare(compareArms(b(control), b(treatment), { metricType: 'binomial', alpha: 0.05, sides: 2 }));
    const x = row(r, 'conversion', T1);
    close(x.lift, fixed.relativeLift);
    closePair(x.ci, fixed.relativeCi);
    close(x.pValue, fixed.pValue);
    close(x.adjustedPValue, fixed.pValue);
    close(x.absoluteDiff, fixed.absoluteDiff);
    const bayes = bayesianEffect({ lift: fixed.relativeLift, se: fixed.se });
    close(x.bayesian!.chanceToBeatControl, bayes.chanceToWin);
    expect(r.method.test).toBe('fixed_horizon');
    expect(r.method.description).toBe('Welch t-test (fixed horizon): valid only at the planned sample size');
    expect(r.method.nStar).toBeNull();
  });

  it('continuous metrics go through the same tests', () => {
    const design = designOf({ primaryMetric: { name: 'revenue', type: 'continuous' }, baseline: { mean: 10, variance: 25 } });
    const ctl = cont(5000, 10, 5);
    const trt = cont(5000, 10.4, 5.5);
    const r = run(design, { revenue: { control: ctl, [T1]: trt } });
    const seq = okSequential(sequentialCi(c(ctl), c(trt), { metricType: 'continuous', alpha: 0.05, sides: 2, nStar: 5000 }));
    const x = row(r, 'revenue', T1);
    close(x.lift, seq.relativeLift);
    close(x.lift, 0.04, 1e-9);
    closePair(x.ci, seq.relativeCi);
    close(x.pValue, seq.pValue);
    close(x.absoluteDiff, 0.4, 1e-9);
    expect(metric(r, 'revenue').arms).toEqual([
      { key: 'control', units: 5000, conversions: null, mean: ctl.sum / 5000 },
      { key: T1, units: 5000, conversions: null, mean: trt.sum / 5000 },
    ]);
  });
});

// ---------------------------------------------------------------------------------------------

describe('multiple-comparison correction', () => {
  const totals = {
    conversion: { control: bin(40_000, 4000), [T1]: bin(30_000, 3250), [T2]: bin(30_000, 3060) },
    revenue: { control: cont(40_000, 10, 5), [T1]: cont(30_000, 10.12, 5), [T2]: cont(30_000, 10.05, 5) },
    latency: { control: cont(40_000, 200, 50), [T1]: cont(30_000, 201, 50), [T2]: cont(30_000, 199, 50) },
  };
  const shape = {
    arms: THREE_ARMS,
    secondaryMetrics: [{ name: 'revenue', type: 'continuous' as const }],
    guardrailMetrics: [{ name: 'latency', type: 'continuous' as const, higherIsBetter: false }],
  };
  /** Raw two-sided tests in family order: primary × (T1, T2), then secondary × (T1, T2). */
  const goalTests = (sequential: boolean) =>
    (
      [
        ['conversion', 'binomial', T1],
        ['conversion', 'binomial', T2],
        ['revenue', 'continuous', T1],
        ['revenue', 'continuous', T2],
      ] as const
    ).map(([name, type, arm]) => {
      const m = totals[name];
      const [ctl, trt] = type === 'binomial' ? [b(m.control), b(m[arm])] : [c(m.control), c(m[arm])];
      const fixed = okCompare(compareArms(ctl, trt, { metricType: type, alpha: 0.05, sides: 2 }));
      const t = sequential ? okSequential(sequentialCi(ctl, trt, { metricType: type, alpha: 0.05, sides: 2, nStar: 5000 })) : fixed;
      return { name, arm, lift: t.relativeLift, ci: t.relativeCi, p: t.pValue, se: t.se, df: fixed.df, n: ctl.units + trt.units };
    });

  /** The test's own two-sided interval at level α·p/p_adj. */
  function expectedInterval(t: ReturnType<typeof goalTests>[number], adjustedP: number, sequential: boolean): [number, number] {
    const level = 0.05 * Math.min(1, t.p / adjustedP);
    const k = sequential ? sequentialMultiplierAt(t.n, 0.05, level, 5000) : studentTQuantile(1 - level / 2, t.df);
    return [t.lift - k * t.se, t.lift + k * t.se];
  }

  function checkFamily(r: ExperimentResults, correction: 'holm' | 'benjamini_hochberg', sequential: boolean) {
    const tests = goalTests(sequential);
    const adjusted = adjustPValues(
      tests.map((t) => t.p),
      correction,
    );
    expect(r.method.correction).toBe(correction);
    expect(r.method.comparisons).toBe(4);
    tests.forEach((t, i) => {
      const x = row(r, t.name, t.arm);
      close(x.lift, t.lift);
      close(x.pValue, t.p);
      close(x.adjustedPValue, adjusted[i]!);
      closePair(x.ci, expectedInterval(t, adjusted[i]!, sequential), 1e-10);
      expect(Number.isFinite(x.ci[0]) && Number.isFinite(x.ci[1])).toBe(true);
      // never narrower than the test's own interval; the same when the correction does not bite
      expect(x.ci[0]).toBeLessThanOrEqual(t.ci[0] + 1e-12);
      expect(x.ci[1]).toBeGreaterThanOrEqual(t.ci[1] - 1e-12);
      if (adjusted[i] === t.p) closePair(x.ci, t.ci, 1e-10);
      expect(x.significant).toBe(adjusted[i]! < 0.05);
      expect(excludesZero(x.ci)).toBe(x.significant);
      expect(x.adjustedPValue).toBeGreaterThanOrEqual(x.pValue);
      // the Bayesian view is not corrected
      close(x.bayesian!.chanceToBeatControl, bayesianEffect({ lift: t.lift, se: t.se }).chanceToWin);
    });
    return { tests, adjusted };
  }

  it('at level α the adjusted multipliers are the tests’ own', () => {
    for (const n of [100, 5000, 70_000]) close(sequentialMultiplierAt(n, 0.05, 0.05, 5000), sequentialMultiplier(n, 0.05, 5000, 2));
  });

  it('Holm over 2 treatments × (primary + secondary), guardrails excluded, CIs back-solved', () => {
    const r = run(designOf({ ...shape, sequential: { enabled: false } }), totals, 30_000);
    const { tests, adjusted } = checkFamily(r, 'holm', false);
    // ascending raw p: conversion/T1, revenue/T1, revenue/T2, conversion/T2 → ×4, ×3, ×2, ×1 (running max)
    close(adjusted[0]!, 4 * tests[0]!.p);
    close(adjusted[2]!, 3 * tests[2]!.p);
    close(adjusted[3]!, 2 * tests[3]!.p);
    close(adjusted[1]!, Math.max(tests[1]!.p, 2 * tests[3]!.p));
    expect([row(r, 'conversion', T1).significant, row(r, 'conversion', T2).significant, row(r, 'revenue', T1).significant, row(r, 'revenue', T2).significant]).toEqual([true, false, true, false]);
    // an adjusted interval is wider than the test's own; conversion/T2 (p_adj = p) keeps its own
    expect(row(r, 'conversion', T1).ci[0]).toBeLessThan(tests[0]!.ci[0] - 1e-4);
    expect(adjusted[1]).toBe(tests[1]!.p);
    closePair(row(r, 'conversion', T2).ci, tests[1]!.ci, 1e-10);
    // (not gbstats' normal back-solved interval any more, though it agrees on the verdict)
    const gb = adjustedInterval(tests[0]!.lift, adjusted[0]!, 0.05);
    expect(excludesZero(gb)).toBe(row(r, 'conversion', T1).significant);
    // the guardrail keeps its raw one-sided p-value and interval, outside the family
    const g = row(r, 'latency', T1);
    const gRaw = okCompare(compareArms(c(totals.latency.control), c(totals.latency[T1]), { metricType: 'continuous', alpha: 0.05, sides: 1, alternative: 'greater' }));
    close(g.pValue, gRaw.pValue);
    close(g.adjustedPValue, gRaw.pValue);
    closePair(g.ci, gRaw.relativeCi);
    expect(g.ci[1]).toBe(Number.POSITIVE_INFINITY);
  });

  it('Benjamini–Hochberg when chosen', () => {
    const r = run(designOf({ ...shape, sequential: { enabled: false }, correction: 'benjamini_hochberg' }), totals, 30_000);
    const { tests, adjusted } = checkFamily(r, 'benjamini_hochberg', false);
    // BH: the largest p stays, the others p·m/rank (monotone)
    close(adjusted[1]!, tests[1]!.p);
    close(adjusted[0]!, (tests[0]!.p * 4) / 1);
    expect(adjusted[2]!).toBeLessThan(adjustPValues([tests[0]!.p, tests[1]!.p, tests[2]!.p, tests[3]!.p], 'holm')[2]!);
  });

  it('Holm on the sequential p-values when sequential testing is on; intervals stay finite at p = 1', () => {
    const r = run(designOf(shape), totals, 30_000);
    const { tests, adjusted } = checkFamily(r, 'holm', true);
    // some sequential p-values are 1 here: gbstats' back-solved interval would be (−∞, ∞)
    const ones = tests.map((t, i) => [t, adjusted[i]!] as const).filter(([, a]) => a === 1);
    expect(ones.length).toBeGreaterThan(0);
    for (const [t] of ones) {
      expect(adjustedInterval(t.lift, 1, 0.05)).toEqual([Number.NEGATIVE_INFINITY, Number.POSITIVE_INFINITY]);
      closePair(row(r, t.name, t.arm).ci, t.ci, 1e-10);
    }
  });

  it("correction 'none': raw p-values and the tests' own intervals", () => {
    const r = run(designOf({ ...shape, sequential: { enabled: false }, correction: 'none' }), totals, 30_000);
    expect(r.method.correction).toBe('none');
    expect(r.method.comparisons).toBe(4);
    for (const t of goalTests(false)) {
      const x = row(r, t.name, t.arm);
      close(x.adjustedPValue, t.p);
      closePair(x.ci, t.ci);
      expect(x.significant).toBe(t.p < 0.05);
    }
  });

  it('a single comparison is not adjusted: the interval is the test’s own', () => {
    const ctl = bin(30_000, 3000);
    const trt = bin(30_000, 3150);
    const r = run(designOf({ sequential: { enabled: false } }), { conversion: { control: ctl, [T1]: trt } }, 30_000);
    const fixed = okCompare(compareArms(b(ctl), b(trt), { metricType: 'binomial', alpha: 0.05, sides: 2 }));
    const x = row(r, 'conversion', T1);
    close(x.adjustedPValue, fixed.pValue);
    closePair(x.ci, fixed.relativeCi);
    expect(r.method.correction).toBe('none');
    expect(r.method.comparisons).toBe(1);
  });

  it('only goal comparisons with data count: a secondary without totals leaves a family of one', () => {
    const ctl = bin(30_000, 3000);
    const trt = bin(30_000, 3150);
    const design = designOf({ secondaryMetrics: [{ name: 'revenue', type: 'continuous' }] });
    const r = run(design, { conversion: { control: ctl, [T1]: trt } }, 30_000);
    const seq = okSequential(sequentialCi(b(ctl), b(trt), { metricType: 'binomial', alpha: 0.05, sides: 2, nStar: 5000 }));
    expect(r.method.comparisons).toBe(1);
    expect(r.method.correction).toBe('none');
    closePair(row(r, 'conversion', T1).ci, seq.relativeCi);
    close(row(r, 'conversion', T1).adjustedPValue, seq.pValue);
    expect(metric(r, 'revenue').comparisons).toEqual([{ arm: T1, status: 'not_enough_data', message: 'Each arm needs at least 2 units' }]);
  });
});

// ---------------------------------------------------------------------------------------------

describe('guardrails and metric direction', () => {
  it('lower-is-better guardrail: one-sided "greater" is bad; worse only when significant', () => {
    const latency = { control: cont(40_000, 200, 50), [T1]: cont(30_000, 201, 50), [T2]: cont(30_000, 199, 50) };
    const design = designOf({ arms: THREE_ARMS, guardrailMetrics: [{ name: 'latency', type: 'continuous', higherIsBetter: false }], sequential: { enabled: false } });
    const r = run(design, { conversion: { control: bin(40_000, 4000), [T1]: bin(30_000, 3000), [T2]: bin(30_000, 3000) }, latency }, 30_000);
    const opts = { metricType: 'continuous', alpha: 0.05, sides: 1, alternative: 'greater' } as const;
    const up = okCompare(compareArms(c(latency.control), c(latency[T1]), opts));
    const down = okCompare(compareArms(c(latency.control), c(latency[T2]), opts));
    const g1 = row(r, 'latency', T1);
    const g2 = row(r, 'latency', T2);
    close(g1.pValue, up.pValue);
    closePair(g1.ci, up.relativeCi);
    close(g1.lift, 0.005, 1e-9);
    expect(g1).toMatchObject({ significant: true, verdict: 'worse', bayesian: null, nonInferior: null });
    close(g2.pValue, down.pValue);
    expect(g2.pValue).toBeGreaterThan(0.99); // a latency drop is not evidence of harm
    closePair(g2.ci, down.relativeCi);
    expect(g2).toMatchObject({ significant: false, verdict: 'inconclusive', bayesian: null });
    expect(metric(r, 'latency').role).toBe('guardrail');
  });

  it('higher-is-better guardrail: one-sided "less" is bad', () => {
    const retention = { control: bin(20_000, 8000), [T1]: bin(20_000, 7700) };
    const design = designOf({ guardrailMetrics: [{ name: 'retention', type: 'binomial' }], sequential: { enabled: false } });
    const r = run(design, { conversion: { control: bin(20_000, 2000), [T1]: bin(20_000, 2000) }, retention }, 20_000);
    const raw = okCompare(compareArms(b(retention.control), b(retention[T1]), { metricType: 'binomial', alpha: 0.05, sides: 1, alternative: 'less' }));
    const g = row(r, 'retention', T1);
    close(g.pValue, raw.pValue);
    closePair(g.ci, raw.relativeCi);
    expect(g.ci[0]).toBe(Number.NEGATIVE_INFINITY);
    expect(g).toMatchObject({ significant: true, verdict: 'worse' });
    // the same data as an improvement is not flagged
    const better = run(design, { conversion: { control: bin(20_000, 2000), [T1]: bin(20_000, 2000) }, retention: { control: bin(20_000, 7700), [T1]: bin(20_000, 8000) } }, 20_000);
    expect(row(better, 'retention', T1)).toMatchObject({ significant: false, verdict: 'inconclusive' });
  });

  it('guardrails use the one-sided sequential test when sequential testing is on', () => {
    const latency = { control: cont(20_000, 200, 50), [T1]: cont(20_000, 203, 50) };
    const design = designOf({ guardrailMetrics: [{ name: 'latency', type: 'continuous', higherIsBetter: false }] });
    const r = run(design, { conversion: { control: bin(20_000, 2000), [T1]: bin(20_000, 2000) }, latency }, 20_000);
    const seq = okSequential(sequentialCi(c(latency.control), c(latency[T1]), { metricType: 'continuous', alpha: 0.05, sides: 1, alternative: 'greater', nStar: 5000 }));
    const g = row(r, 'latency', T1);
    close(g.pValue, seq.pValue);
    close(g.adjustedPValue, seq.pValue);
    closePair(g.ci, seq.relativeCi);
    expect(g.significant).toBe(seq.pValue < 0.05);
    expect(g.verdict).toBe(g.significant ? 'worse' : 'inconclusive');
    expect(g.significant).toBe(true);
  });

  it('lower-is-better goal metric: a significant drop is "better", chanceToBeatControl = 1 − chanceToWin', () => {
    const latency = { control: cont(20_000, 200, 50), [T1]: cont(20_000, 194, 50) };
    const design = designOf({ primaryMetric: { name: 'latency', type: 'continuous', higherIsBetter: false }, baseline: { mean: 200, variance: 2500 } });
    const r = run(design, { latency }, 20_000);
    const seq = okSequential(sequentialCi(c(latency.control), c(latency[T1]), { metricType: 'continuous', alpha: 0.05, sides: 2, nStar: 5000 }));
    const x = row(r, 'latency', T1);
    close(x.lift, -0.03, 1e-9);
    closePair(x.ci, seq.relativeCi);
    expect(x).toMatchObject({ significant: true, verdict: 'better' });
    const bayes = bayesianEffect({ lift: seq.relativeLift, se: seq.se });
    close(x.bayesian!.chanceToBeatControl, 1 - bayes.chanceToWin);
    expect(x.bayesian!.chanceToBeatControl).toBeGreaterThan(0.99);
    closePair(x.bayesian!.credibleInterval, bayes.credibleInterval);
    expect(r.decision).toMatchObject({ recommendation: 'ship', arm: '1.1.0' });

    // and a significant rise is "worse"
    const worse = run(design, { latency: { control: cont(20_000, 200, 50), [T1]: cont(20_000, 206, 50) } }, 20_000);
    expect(row(worse, 'latency', T1)).toMatchObject({ significant: true, verdict: 'worse' });
    expect(row(worse, 'latency', T1).bayesian!.chanceToBeatControl).toBeLessThan(0.01);
    expect(worse.decision.recommendation).toBe('roll_back');
  });
});

// ---------------------------------------------------------------------------------------------

describe('non-inferiority margin on the primary metric', () => {
  const withMargin = (margin: number, higherIsBetter = true, over: Partial<CreateRaw> = {}) =>
    designOf({ primaryMetric: { name: 'conversion', type: 'binomial', higherIsBetter, nonInferiorityMargin: margin }, ...over });

  it('met when the one-sided interval in the good direction stays above −m, and then the treatment ships', () => {
    const ctl = bin(200_000, 20_000);
    const trt = bin(200_000, 19_900); // −0.5 %
    const design = withMargin(0.05);
    const r = run(design, { conversion: { control: ctl, [T1]: trt } }, 200_000);
    const one = okSequential(sequentialCi(b(ctl), b(trt), { metricType: 'binomial', alpha: 0.05, sides: 1, alternative: 'greater', nStar: 5000 }));
    const x = row(r, 'conversion', T1);
    expect(one.relativeCi[0]).toBeGreaterThan(-0.05);
    expect(x.nonInferior).toBe(true);
    expect(x.significant).toBe(false);
    // the displayed interval stays the two-sided one
    closePair(x.ci, okSequential(sequentialCi(b(ctl), b(trt), { metricType: 'binomial', alpha: 0.05, sides: 2, nStar: 5000 })).relativeCi);
    expect(r.decision).toEqual({
      recommendation: 'ship',
      arm: '1.1.0',
      reasons: ['1.1.0 is not worse on conversion than the 5.00 % non-inferiority margin, no guardrail is significantly worse and the split matches the plan.'],
      shipBlockedBy: [],
    });
  });

  it('not met when the bound falls below −m (fixed horizon: Welch one-sided)', () => {
    const ctl = bin(5000, 500);
    const trt = bin(5000, 480); // −4 %, wide interval
    const design = withMargin(0.05, true, { sequential: { enabled: false } });
    const r = run(design, { conversion: { control: ctl, [T1]: trt } }, 5000);
    const one = okCompare(compareArms(b(ctl), b(trt), { metricType: 'binomial', alpha: 0.05, sides: 1, alternative: 'greater' }));
    expect(one.relativeCi[0]).toBeLessThan(-0.05);
    expect(row(r, 'conversion', T1).nonInferior).toBe(false);
    expect(r.decision.recommendation).toBe('keep_running');
  });

  it('lower-is-better: the upper one-sided bound must stay below +m', () => {
    const ctl = bin(50_000, 5000);
    const ok = bin(50_000, 5050); // +1 % errors
    const bad = bin(5000, 520); // +4 %, wide
    const design = withMargin(0.05, false, { sequential: { enabled: false } });
    const opts = { metricType: 'binomial', alpha: 0.05, sides: 1, alternative: 'less' } as const;
    const r1 = run(design, { conversion: { control: ctl, [T1]: ok } }, 5000);
    const one1 = okCompare(compareArms(b(ctl), b(ok), opts));
    expect(one1.relativeCi[1]).toBeLessThan(0.05);
    expect(row(r1, 'conversion', T1).nonInferior).toBe(true);
    expect(r1.decision).toMatchObject({ recommendation: 'ship', arm: '1.1.0' });
    const r2 = run(design, { conversion: { control: bin(5000, 500), [T1]: bad } }, 5000);
    const one2 = okCompare(compareArms(b(bin(5000, 500)), b(bad), opts));
    expect(one2.relativeCi[1]).toBeGreaterThan(0.05);
    expect(row(r2, 'conversion', T1).nonInferior).toBe(false);
  });

  it('null without a margin, and for secondary metrics even with one', () => {
    const design = designOf({ secondaryMetrics: [{ name: 'revenue', type: 'continuous', nonInferiorityMargin: 0.05 }] });
    const r = run(design, { conversion: { control: bin(5000, 500), [T1]: bin(5000, 500) }, revenue: { control: cont(5000, 10, 5), [T1]: cont(5000, 10, 5) } });
    expect(row(r, 'conversion', T1).nonInferior).toBeNull();
    expect(row(r, 'revenue', T1).nonInferior).toBeNull();
  });
});

// ---------------------------------------------------------------------------------------------

describe('recommend: the decision rules in order', () => {
  const winner = { control: bin(20_000, 2000), [T1]: bin(20_000, 2300) };
  const latencyWorse = { control: cont(20_000, 200, 50), [T1]: cont(20_000, 203, 50) };
  const withGuardrail = designOf({ guardrailMetrics: [{ name: 'latency', type: 'continuous', higherIsBetter: false }] });

  it('1. a guardrail significantly worse → roll back, even with a winning primary', () => {
    const r = run(withGuardrail, { conversion: winner, latency: latencyWorse }, 20_000);
    expect(row(r, 'conversion', T1).verdict).toBe('better');
    const g = row(r, 'latency', T1);
    const msg = `1.1.0 makes guardrail latency significantly worse (1.50 %, one-sided p = ${g.pValue.toPrecision(3)})`;
    expect(r.decision).toEqual({ recommendation: 'roll_back', arm: null, reasons: [msg], shipBlockedBy: [msg] });
  });

  it('1 before 2: with SRM too, roll back, and both block a ship', () => {
    const r = run(withGuardrail, { conversion: { control: bin(20_000, 2000), [T1]: bin(18_000, 2100) }, latency: { control: cont(20_000, 200, 50), [T1]: cont(18_000, 203, 50) } }, 20_000);
    expect(r.srm.status === 'ok' && r.srm.flagged).toBe(true);
    expect(r.decision.recommendation).toBe('roll_back');
    expect(r.decision.shipBlockedBy).toHaveLength(2);
    expect(r.decision.shipBlockedBy[0]).toMatch(/^Sample ratio mismatch: units per arm 20000 \/ 18000 against a planned 50 \/ 50 split/);
    expect(r.decision.shipBlockedBy[1]).toMatch(/^1\.1\.0 makes guardrail latency significantly worse/);
    expect(r.decision.reasons).toEqual([r.decision.shipBlockedBy[1]]);
  });

  it('2. sample ratio mismatch → keep running, ship blocked, even with a winner', () => {
    const units = [10_000, 9000];
    const r = run(designOf(), { conversion: { control: bin(10_000, 1000), [T1]: bin(9000, 1100) } }, 5000);
    const srm = srmCheck(units, [50, 50]);
    expect(r.srm).toEqual({ ...srm, unitsPerArm: units, allocation: [50, 50] });
    expect(srm.status === 'ok' && srm.flagged).toBe(true);
    expect(row(r, 'conversion', T1).verdict).toBe('better');
    const p = (srm as { pValue: number }).pValue;
    expect(r.decision).toEqual({
      recommendation: 'keep_running',
      arm: null,
      reasons: ['Fix the assignment before deciding: the split of units does not match the plan, so the comparisons are biased.'],
      shipBlockedBy: [`Sample ratio mismatch: units per arm 10000 / 9000 against a planned 50 / 50 split (χ² p = ${p.toExponential(2)} < 0.001)`],
    });
  });

  it('SRM is judged against the planned allocation, not an equal split', () => {
    const r = run(designOf({ arms: THREE_ARMS }), { conversion: { control: bin(40_000, 4000), [T1]: bin(30_000, 3000), [T2]: bin(30_000, 3000) } }, 30_000);
    expect(r.srm).toEqual({ ...srmCheck([40_000, 30_000, 30_000], [40, 30, 30]), unitsPerArm: [40_000, 30_000, 30_000], allocation: [40, 30, 30] });
    expect(r.srm.status === 'ok' && !r.srm.flagged).toBe(true);
    expect(r.decision.shipBlockedBy).toEqual([]);
  });

  it('3. fixed horizon before the planned sample size → keep running, even with a winner', () => {
    const design = designOf({ sequential: { enabled: false } });
    const r = run(design, { conversion: winner }, 50_000, 1000);
    expect(row(r, 'conversion', T1).significant).toBe(true);
    expect(r.progress).toEqual({ plannedPerArm: 50_000, minArmUnits: 20_000, fraction: 0.4, unitsPerHour: 1000, remainingHours: 60 });
    expect(r.decision).toEqual({
      recommendation: 'keep_running',
      arm: null,
      reasons: ['Fixed-horizon test: decide at the planned 50,000 units per arm (40.00 % there; about 3 days at the current traffic). Deciding earlier inflates false positives.'],
      shipBlockedBy: [],
    });
    const noTraffic = run(design, { conversion: winner }, 50_000, null);
    expect(noTraffic.decision.reasons[0]).toContain('(40.00 % there; unknown at the current traffic)');
    // at the plan the winner ships
    const atPlan = run(design, { conversion: winner }, 20_000, 1000);
    expect(atPlan.decision).toMatchObject({ recommendation: 'ship', arm: '1.1.0' });
  });

  it('4. the winner ships (sequential: before the plan too)', () => {
    const r = run(designOf(), { conversion: winner }, 50_000, 1000);
    const x = row(r, 'conversion', T1);
    expect(r.decision).toEqual({
      recommendation: 'ship',
      arm: '1.1.0',
      reasons: [`1.1.0 is significantly better on conversion (15.00 %, p = ${x.adjustedPValue.toPrecision(3)}), no guardrail is significantly worse and the split matches the plan.`],
      shipBlockedBy: [],
    });
  });

  it('4. of two winners the larger lift ships (and the smaller for lower-is-better)', () => {
    const totals = { conversion: { control: bin(40_000, 4000), [T1]: bin(30_000, 3300), [T2]: bin(30_000, 3450) } };
    const r = run(designOf({ arms: THREE_ARMS }), totals, 30_000);
    expect(row(r, 'conversion', T1)).toMatchObject({ verdict: 'better' });
    expect(row(r, 'conversion', T2)).toMatchObject({ verdict: 'better' });
    expect(r.decision).toMatchObject({ recommendation: 'ship', arm: '1.2.0' });
    expect(r.decision.reasons[0]).toMatch(/^1\.2\.0 is significantly better on conversion \(15\.00 %/);

    const lower = designOf({ arms: THREE_ARMS, primaryMetric: { name: 'conversion', type: 'binomial', higherIsBetter: false } });
    const drops = { conversion: { control: bin(40_000, 4000), [T1]: bin(30_000, 2700), [T2]: bin(30_000, 2550) } };
    const rl = run(lower, drops, 30_000);
    expect(row(rl, 'conversion', T1).verdict).toBe('better');
    expect(row(rl, 'conversion', T2).verdict).toBe('better');
    expect(rl.decision).toMatchObject({ recommendation: 'ship', arm: '1.2.0' });
  });

  it('4. a treatment shown to be better outranks one only shown to be non-inferior, even with a larger lift', () => {
    const design = designOf({
      arms: [
        { version: '1.0.0', allocation: 40 },
        { version: '1.1.0', allocation: 50 },
        { version: '1.2.0', allocation: 10 },
      ],
      primaryMetric: { name: 'conversion', type: 'binomial', nonInferiorityMargin: 0.2 },
    });
    const totals = { conversion: { control: bin(400_000, 40_000), [T1]: bin(500_000, 51_500), [T2]: bin(100_000, 10_350) } };
    const r = run(design, totals, 500_000);
    expect(row(r, 'conversion', T1).verdict).toBe('better');
    expect(row(r, 'conversion', T2)).toMatchObject({ verdict: 'inconclusive', nonInferior: true });
    expect(row(r, 'conversion', T2).lift).toBeGreaterThan(row(r, 'conversion', T1).lift);
    expect(r.decision).toMatchObject({ recommendation: 'ship', arm: '1.1.0' });
  });

  it('4. a winner ships even when the other treatment is worse', () => {
    const totals = { conversion: { control: bin(40_000, 4000), [T1]: bin(30_000, 2550), [T2]: bin(30_000, 3450) } };
    const r = run(designOf({ arms: THREE_ARMS }), totals, 30_000);
    expect(row(r, 'conversion', T1).verdict).toBe('worse');
    expect(r.decision).toMatchObject({ recommendation: 'ship', arm: '1.2.0' });
  });

  it('5. every treatment significantly worse on the primary → roll back', () => {
    const totals = { conversion: { control: bin(40_000, 4000), [T1]: bin(30_000, 2550), [T2]: bin(30_000, 2700) } };
    const design = designOf({ arms: THREE_ARMS });
    const r = run(design, totals, 30_000);
    expect(r.decision).toEqual({
      recommendation: 'roll_back',
      arm: null,
      reasons: ['1.1.0 is significantly worse on conversion (-15.00 %)', '1.2.0 is significantly worse on conversion (-10.00 %)'],
      shipBlockedBy: [],
    });
    // one worse, one inconclusive → not a roll back
    const mixed = run(design, { conversion: { control: bin(40_000, 4000), [T1]: bin(30_000, 2550), [T2]: bin(30_000, 3000) } }, 30_000);
    expect(row(mixed, 'conversion', T2).verdict).toBe('inconclusive');
    expect(mixed.decision.recommendation).toBe('keep_running');
    // one worse, one without data → not a roll back either
    const { decision: _d, ...base } = r;
    const partial = {
      ...base,
      metrics: base.metrics.map((m) => ({ ...m, comparisons: m.comparisons.map((x): ComparisonRow => (x.arm === T2 ? { arm: T2, status: 'not_enough_data', message: 'Each arm needs at least 2 units' } : x)) })),
    };
    expect(recommend(design, partial).recommendation).toBe('keep_running');
  });

  it('6. plan reached without an effect → keep running, saying the plan is reached', () => {
    const r = run(designOf(), { conversion: { control: bin(20_000, 2000), [T1]: bin(20_000, 2010) } }, 20_000, 1000);
    expect(row(r, 'conversion', T1).significant).toBe(false);
    expect(r.progress.fraction).toBe(1);
    expect(r.progress.remainingHours).toBe(0);
    expect(r.decision).toEqual({
      recommendation: 'keep_running',
      arm: null,
      reasons: [
        'The planned sample size is reached without a significant effect on conversion: any effect is likely smaller than the 5.00 % the test was sized for. Stop, or keep running to detect a smaller one.',
      ],
      shipBlockedBy: [],
    });
  });

  it('6. before the plan without an effect → keep running with the time left', () => {
    const r = run(designOf(), { conversion: { control: bin(20_000, 2000), [T1]: bin(20_000, 2010) } }, 50_000, 2000);
    expect(r.progress.remainingHours).toBe(30);
    expect(r.decision.reasons).toEqual(['No significant difference on conversion yet; planned sample size 40.00 % reached, about 30 h at the current traffic.']);
    const unknown = run(designOf(), { conversion: { control: bin(20_000, 2000), [T1]: bin(20_000, 2010) } }, 50_000, 0);
    expect(unknown.progress.remainingHours).toBeNull();
    expect(unknown.decision.reasons).toEqual(['No significant difference on conversion yet; planned sample size 40.00 % reached, unknown at the current traffic.']);
  });

  it('no data → "Not enough data"', () => {
    const r = run(designOf({ guardrailMetrics: [{ name: 'latency', type: 'continuous' }] }), {}, 1000, 1000);
    expect(r.decision).toEqual({ recommendation: 'keep_running', arm: null, reasons: ['Not enough data for a comparison yet.'], shipBlockedBy: [] });
    expect(r.srm).toEqual({ status: 'not_enough_data', reason: 'no_units', message: 'No units have been assigned yet', unitsPerArm: [0, 0], allocation: [50, 50] });
    expect(r.progress).toEqual({ plannedPerArm: 1000, minArmUnits: 0, fraction: 0, unitsPerHour: 1000, remainingHours: 2 });
    expect(r.method.comparisons).toBe(0);
    for (const m of r.metrics) expect(m.comparisons).toEqual([{ arm: T1, status: 'not_enough_data', message: 'Each arm needs at least 2 units' }]);
  });
});

// ---------------------------------------------------------------------------------------------

describe('edge cases', () => {
  it('an arm with zero units: not_enough_data rows, SRM computed and flagged', () => {
    const r = run(designOf(), { conversion: { control: bin(10_000, 1000), [T1]: bin(0, 0) } }, 5000, 1000);
    expect(metric(r, 'conversion').comparisons).toEqual([{ arm: T1, status: 'not_enough_data', message: 'Each arm needs at least 2 units' }]);
    expect(metric(r, 'conversion').arms).toEqual([
      { key: 'control', units: 10_000, conversions: 1000, mean: 0.1 },
      { key: T1, units: 0, conversions: 0, mean: null },
    ]);
    expect(r.srm).toEqual({ ...srmCheck([10_000, 0], [50, 50]), unitsPerArm: [10_000, 0], allocation: [50, 50] });
    expect(r.srm.status === 'ok' && r.srm.flagged).toBe(true);
    expect(r.decision.recommendation).toBe('keep_running');
    expect(r.decision.shipBlockedBy[0]).toMatch(/^Sample ratio mismatch: units per arm 10000 \/ 0/);
    expect(r.progress).toMatchObject({ minArmUnits: 0, fraction: 0, remainingHours: 10 });
  });

  it('a single unit in an arm is not enough either', () => {
    const r = run(designOf(), { conversion: { control: bin(1, 1), [T1]: bin(1, 0) } });
    expect(metric(r, 'conversion').comparisons[0]).toMatchObject({ status: 'not_enough_data' });
    expect(r.srm).toMatchObject({ status: 'ok', flagged: false });
  });

  it('zero conversions in control: the relative lift is undefined', () => {
    const design = designOf({ guardrailMetrics: [{ name: 'errors', type: 'binomial', higherIsBetter: false }] });
    const r = run(design, { conversion: { control: bin(10_000, 0), [T1]: bin(10_000, 50) }, errors: { control: bin(10_000, 0), [T1]: bin(10_000, 50) } });
    const msg = { arm: T1, status: 'not_enough_data', message: 'The control mean is 0, so a relative lift is undefined' };
    expect(metric(r, 'conversion').comparisons).toEqual([msg]);
    expect(metric(r, 'errors').comparisons).toEqual([msg]);
    expect(metric(r, 'conversion').arms[0]).toEqual({ key: 'control', units: 10_000, conversions: 0, mean: 0 });
    expect(r.decision.reasons).toEqual(['Not enough data for a comparison yet.']);
  });

  it('zero conversions in the treatment: the delta-method variance is 0, so not_enough_data (as compareArms)', () => {
    const ctl = bin(2000, 40);
    const trt = bin(2000, 0);
    const r = run(designOf({ sequential: { enabled: false } }), { conversion: { control: ctl, [T1]: trt } }, 2000);
    expect(compareArms(b(ctl), b(trt), { metricType: 'binomial' })).toMatchObject({ status: 'not_enough_data', reason: 'zero_variance' });
    expect(metric(r, 'conversion').comparisons).toEqual([{ arm: T1, status: 'not_enough_data', message: 'The lift has zero variance (no spread in the data yet)' }]);
    expect(metric(r, 'conversion').arms[1]).toEqual({ key: T1, units: 2000, conversions: 0, mean: 0 });
    // one conversion is enough to compare
    const one = bin(2000, 1);
    const r1 = run(designOf({ sequential: { enabled: false } }), { conversion: { control: ctl, [T1]: one } }, 2000);
    const fixed = okCompare(compareArms(b(ctl), b(one), { metricType: 'binomial', alpha: 0.05, sides: 2 }));
    const x = row(r1, 'conversion', T1);
    close(x.lift, -0.975);
    closePair(x.ci, fixed.relativeCi);
    close(x.pValue, fixed.pValue);
    expect(x.verdict).toBe('worse');
  });

  it('conversions reported above units are clamped to units (not thrown)', () => {
    const design = designOf({ sequential: { enabled: false } });
    const r = run(design, { conversion: { control: bin(1000, 100), [T1]: bin(1000, 1500) } }, 1000);
    const fixed = okCompare(compareArms(b(bin(1000, 100)), b(bin(1000, 1000)), { metricType: 'binomial', alpha: 0.05, sides: 2 }));
    expect(metric(r, 'conversion').arms[1]).toEqual({ key: T1, units: 1000, conversions: 1000, mean: 1 });
    const x = row(r, 'conversion', T1);
    close(x.lift, 9);
    closePair(x.ci, fixed.relativeCi);
    close(x.pValue, fixed.pValue);
    // control clamped too
    const r2 = run(design, { conversion: { control: bin(1000, 2000), [T1]: bin(1000, 900) } }, 1000);
    const fixed2 = okCompare(compareArms(b(bin(1000, 1000)), b(bin(1000, 900)), { metricType: 'binomial', alpha: 0.05, sides: 2 }));
    expect(metric(r2, 'conversion').arms[0]).toMatchObject({ conversions: 1000, mean: 1 });
    close(row(r2, 'conversion', T1).lift, -0.1);
    closePair(row(r2, 'conversion', T1).ci, fixed2.relativeCi);
  });

  it('totals missing for a metric, or for one arm of it', () => {
    const design = designOf({ arms: THREE_ARMS, secondaryMetrics: [{ name: 'revenue', type: 'continuous' }], guardrailMetrics: [{ name: 'latency', type: 'continuous', higherIsBetter: false }] });
    const r = run(design, { conversion: { control: bin(4000, 400), [T1]: bin(3000, 300), [T2]: bin(3000, 330) }, revenue: { control: cont(4000, 10, 5), [T2]: cont(3000, 10, 5) } }, 3000);
    const none = { status: 'not_enough_data', message: 'Each arm needs at least 2 units' };
    expect(metric(r, 'latency').arms).toEqual([
      { key: 'control', units: 0, conversions: null, mean: null },
      { key: T1, units: 0, conversions: null, mean: null },
      { key: T2, units: 0, conversions: null, mean: null },
    ]);
    expect(metric(r, 'latency').comparisons).toEqual([
      { arm: T1, ...none },
      { arm: T2, ...none },
    ]);
    expect(metric(r, 'revenue').comparisons[0]).toEqual({ arm: T1, ...none });
    expect(metric(r, 'revenue').comparisons[1]!.status).toBe('ok');
    expect(r.method.comparisons).toBe(3);
    expect(r.metrics.map((m) => [m.name, m.role])).toEqual([
      ['conversion', 'primary'],
      ['revenue', 'secondary'],
      ['latency', 'guardrail'],
    ]);
    // the arms' units come from the primary metric
    expect(r.arms).toEqual([
      { key: 'control', version: '1.0.0', allocation: 40, units: 4000 },
      { key: T1, version: '1.1.0', allocation: 30, units: 3000 },
      { key: T2, version: '1.2.0', allocation: 30, units: 3000 },
    ]);
  });

  it('a plan of 0 units per arm counts as reached', () => {
    const r = run(designOf(), { conversion: { control: bin(10, 1), [T1]: bin(10, 1) } }, 0, null);
    expect(r.progress).toEqual({ plannedPerArm: 0, minArmUnits: 10, fraction: 1, unitsPerHour: null, remainingHours: 0 });
  });
});

// ---------------------------------------------------------------------------------------------

describe('hoursToPlan and formatHours', () => {
  const arms = (units: number[], allocation: number[]): ArmSummary[] => units.map((u, i) => ({ key: i === 0 ? 'control' : `treatment:1.${i}.0`, version: `1.${i}.0`, allocation: allocation[i]!, units: u }));

  it('the slowest arm decides under unequal allocations', () => {
    // control gets 20 % of 100/h → 1000 missing take 50 h; the treatment (80/h) needs 12.5 h
    expect(hoursToPlan(arms([0, 0], [20, 80]), 1000, 100)).toBe(50);
    // control already there: the treatment decides
    expect(hoursToPlan(arms([1000, 0], [20, 80]), 1000, 100)).toBe(12.5);
    expect(hoursToPlan(arms([1500, 200], [20, 80]), 1000, 100)).toBe(10);
    // three arms: 40/30/30
    expect(hoursToPlan(arms([1000, 700, 400], [40, 30, 30]), 1000, 300)).toBeCloseTo(600 / 90, 12);
  });

  it('no traffic (0, negative, NaN or unknown) → null', () => {
    for (const t of [0, -5, Number.NaN, null]) expect(hoursToPlan(arms([0, 0], [50, 50]), 1000, t), String(t)).toBeNull();
  });

  it('plan already reached → 0, whatever the traffic', () => {
    for (const t of [0, null, 100]) expect(hoursToPlan(arms([1000, 1200], [50, 50]), 1000, t)).toBe(0);
    expect(hoursToPlan(arms([0, 0], [50, 50]), 0, null)).toBe(0);
  });

  it('formatHours: minutes below an hour (at least 1), hours below 48, then days', () => {
    expect(formatHours(0)).toBe('1 min');
    expect(formatHours(0.001)).toBe('1 min');
    expect(formatHours(0.5)).toBe('30 min');
    expect(formatHours(0.75)).toBe('45 min');
    expect(formatHours(1)).toBe('1 h');
    expect(formatHours(12.4)).toBe('12 h');
    expect(formatHours(47.4)).toBe('47 h');
    expect(formatHours(48)).toBe('2 days');
    expect(formatHours(59)).toBe('2 days');
    expect(formatHours(60)).toBe('3 days');
    expect(formatHours(24 * 30)).toBe('30 days');
  });
});

// ---------------------------------------------------------------------------------------------

describe('liftOverTime', () => {
  it('units per arm and the unadjusted interval of the chosen method at each point', () => {
    const design = designOf({ arms: THREE_ARMS });
    const p2 = { control: bin(8000, 800), [T1]: bin(6000, 690), [T2]: bin(6000, 600) };
    const points: { at: string; totals: ArmTotals }[] = [
      { at: '2026-01-01T00:00:00Z', totals: {} },
      { at: '2026-01-01T01:00:00Z', totals: { control: bin(40, 4), [T1]: bin(1, 0) } },
      { at: '2026-01-01T02:00:00Z', totals: p2 },
    ];
    const out = liftOverTime(design, points);
    expect(out.map((p) => p.at)).toEqual(points.map((p) => p.at));
    expect(out[0]).toEqual({ at: points[0]!.at, units: { control: 0, [T1]: 0, [T2]: 0 }, lift: { [T1]: null, [T2]: null } });
    expect(out[1]).toEqual({ at: points[1]!.at, units: { control: 40, [T1]: 1, [T2]: 0 }, lift: { [T1]: null, [T2]: null } });
    expect(out[2]!.units).toEqual({ control: 8000, [T1]: 6000, [T2]: 6000 });
    for (const k of [T1, T2] as const) {
      const seq = okSequential(sequentialCi(b(p2.control), b(p2[k]), { metricType: 'binomial', alpha: 0.05, sides: 2, nStar: 5000 }));
      const l = out[2]!.lift[k]!;
      close(l.lift, seq.relativeLift);
      close(l.lo, seq.relativeCi[0]);
      close(l.hi, seq.relativeCi[1]);
    }
    // the last point agrees with the results page's unadjusted test
    const r = run(designOf({ arms: THREE_ARMS, correction: 'none' }), { conversion: p2 }, 6000);
    close(out[2]!.lift[T1]!.lo, row(r, 'conversion', T1).ci[0]);
  });

  it('fixed horizon: the Welch interval; zero control conversions: null', () => {
    const design = designOf({ sequential: { enabled: false } });
    const t = { control: bin(5000, 500), [T1]: bin(5000, 560) };
    const out = liftOverTime(design, [
      { at: 'a', totals: t },
      { at: 'b', totals: { control: bin(5000, 0), [T1]: bin(5000, 3) } },
    ]);
    const fixed = okCompare(compareArms(b(t.control), b(t[T1]), { metricType: 'binomial', alpha: 0.05, sides: 2 }));
    close(out[0]!.lift[T1]!.lift, fixed.relativeLift);
    close(out[0]!.lift[T1]!.lo, fixed.relativeCi[0]);
    close(out[0]!.lift[T1]!.hi, fixed.relativeCi[1]);
    expect(out[1]!.lift[T1]).toBeNull();
    expect(liftOverTime(design, [])).toEqual([]);
  });

  it('continuous primary metrics', () => {
    const design = designOf({ primaryMetric: { name: 'revenue', type: 'continuous' }, baseline: { mean: 10, variance: 25 } });
    const t = { control: cont(3000, 10, 5), [T1]: cont(3000, 10.5, 5) };
    const seq = okSequential(sequentialCi(c(t.control), c(t[T1]), { metricType: 'continuous', alpha: 0.05, sides: 2, nStar: 5000 }));
    const [p] = liftOverTime(design, [{ at: 'x', totals: t }]);
    close(p!.lift[T1]!.lift, seq.relativeLift);
    close(p!.lift[T1]!.lo, seq.relativeCi[0]);
  });
});
