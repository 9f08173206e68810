import { describe, expect, it } from 'vitest';
import { bayesianEffect, type BayesianEffect, type BayesianEffectInput } from '@/lib/domain/bayesian-effect';
import { compareArms, type ArmComparison } from '@/lib/domain/experiment-stats';
import { normalCdf, normalQuantile } from '@/lib/domain/statistics';
import { mulberry32 } from '@/lib/simulator/traffic';

/** |actual − expected| ≤ tolerance · |expected| (relative), or ≤ tolerance when expected is 0. */
function expectClose(actual: number, expected: number, tolerance = 1e-9) {
  if (!Number.isFinite(expected)) return expect(actual).toBe(expected);
  const scale = expected === 0 ? 1 : Math.abs(expected);
  expect(Math.abs(actual - expected) / scale, `${actual} vs ${expected}`).toBeLessThanOrEqual(tolerance);
}

// Reference values: printed by tests/unit/reference/multiple-comparisons.py (scipy 1.10.1
// scipy.stats.norm; the risks in 50-digit mpmath 1.2.1, checked there against scipy and against
// gbstats' truncated-normal route), pasted verbatim.
const BAYES: Record<string, { input: BayesianEffectInput; expected: BayesianEffect }> = {"binomialFlat": {"input": {"lift": 0.07999999999999993, "se": 0.0448678058300158}, "expected": {"chanceToWin": 0.9627081221417283, "credibleInterval": [-0.007939283492167326, 0.1679392834921672], "risk": {"control": 0.0806684110012694, "treatment": 0.0006684110012694679}, "posterior": {"mean": 0.07999999999999993, "sd": 0.0448678058300158}}}, "binomialProperPrior": {"input": {"lift": 0.07999999999999993, "se": 0.0448678058300158, "priorMean": 0.0, "priorSd": 0.3}, "expected": {"chanceToWin": 0.9610837128834585, "credibleInterval": [-0.008722257834257119, 0.16522167878639943], "risk": {"control": 0.07894392715890287, "treatment": 0.0006942166828317004}, "posterior": {"mean": 0.07824971047607117, "sd": 0.044374268607154044}}}, "negative": {"input": {"lift": -0.02, "se": 0.01}, "expected": {"chanceToWin": 0.022750131948179195, "credibleInterval": [-0.03959963984540055, -0.0004003601545994606], "risk": {"control": 8.490702616829638e-05, "treatment": 0.020084907026168296}, "posterior": {"mean": -0.02, "sd": 0.01}}}, "zero": {"input": {"lift": 0.0, "se": 0.05}, "expected": {"chanceToWin": 0.5, "credibleInterval": [-0.09799819922700273, 0.0979981992270027], "risk": {"control": 0.019947114020071634, "treatment": 0.019947114020071634}, "posterior": {"mean": 0.0, "sd": 0.05}}}, "alpha10": {"input": {"lift": 0.15, "se": 0.051, "alpha": 0.1}, "expected": {"chanceToWin": 0.9983651589936532, "credibleInterval": [0.06611246502547488, 0.23388753497452508], "risk": {"control": 0.15002395453872175, "treatment": 2.3954538721741446e-05}, "posterior": {"mean": 0.15, "sd": 0.051}}}, "strongPriorAlpha10": {"input": {"lift": 0.5, "se": 0.4, "alpha": 0.1, "priorMean": 0.1, "priorSd": 0.2}, "expected": {"chanceToWin": 0.842847669763073, "credibleInterval": [-0.11424036183204589, 0.47424036183204576], "risk": {"control": 0.19472793180262815, "treatment": 0.014727931802628151}, "posterior": {"mean": 0.18, "sd": 0.17888543819998318}}}, "priorAgainst": {"input": {"lift": 0.12, "se": 0.03, "priorMean": -0.05, "priorSd": 0.02}, "expected": {"chanceToWin": 0.5551465322334495, "credibleInterval": [-0.030308079896870198, 0.0349234645122548], "risk": {"control": 0.007856379511227503, "treatment": 0.005548687203535192}, "posterior": {"mean": 0.00230769230769231, "sd": 0.016641005886756873}}}, "farTail": {"input": {"lift": 0.4, "se": 0.05}, "expected": {"chanceToWin": 0.9999999999999993, "credibleInterval": [0.3020018007729973, 0.4979981992270027], "risk": {"control": 0.4, "treatment": 3.77513120597325e-18}, "posterior": {"mean": 0.4, "sd": 0.05}}}, "veryFarTail": {"input": {"lift": -0.9, "se": 0.03}, "expected": {"chanceToWin": 4.9067139271473495e-198, "credibleInterval": [-0.9587989195362017, -0.8412010804637984], "risk": {"control": 4.895870202273931e-201, "treatment": 0.9}, "posterior": {"mean": -0.9, "sd": 0.03}}}, "hugeSe": {"input": {"lift": 0.01, "se": 1.0}, "expected": {"chanceToWin": 0.5039893563146316, "credibleInterval": [-1.9499639845400545, 1.969963984540054], "risk": {"control": 0.4039622273492285, "treatment": 0.3939622273492285}, "posterior": {"mean": 0.01, "sd": 1.0}}}};

describe('bayesianEffect (gbstats EffectBayesianABTest)', () => {
  it.each(Object.entries(BAYES))('%s', (_name, { input, expected }) => {
    const r = bayesianEffect(input);
    expectClose(r.posterior.mean, expected.posterior.mean, 1e-12);
    expectClose(r.posterior.sd, expected.posterior.sd, 1e-12);
    expectClose(r.chanceToWin, expected.chanceToWin);
    expectClose(r.credibleInterval[0], expected.credibleInterval[0]);
    expectClose(r.credibleInterval[1], expected.credibleInterval[1]);
    expectClose(r.risk.control, expected.risk.control);
    expectClose(r.risk.treatment, expected.risk.treatment);
  });

  it('alpha defaults to 0.05', () => {
    expect(bayesianEffect({ lift: 0.05, se: 0.02 })).toEqual(bayesianEffect({ lift: 0.05, se: 0.02, alpha: 0.05 }));
  });

  it('risk.control − risk.treatment = posterior mean, both ≥ 0; chanceToWin in [0, 1] (seeded)', () => {
    const random = mulberry32(11);
    const violations: string[] = [];
    for (let i = 0; i < 5000; i++) {
      const se = 10 ** (3 * random() - 3);
      const lift = (random() - 0.5) * 20 * se;
      const withPrior = i % 2 === 0;
      const r = bayesianEffect(withPrior ? { lift, se, priorMean: (random() - 0.5) * 0.2, priorSd: 0.01 + random() * 0.3 } : { lift, se });
      const { control, treatment } = r.risk;
      const mean = r.posterior.mean;
      if (!(control >= 0 && treatment >= 0)) violations.push(`negative risk at ${lift}, ${se}`);
      if (Math.abs(control - treatment - mean) > 1e-14 * Math.max(control, treatment, 1e-300) + 1e-300) violations.push(`identity at ${lift}, ${se}`);
      if (!(r.chanceToWin >= 0 && r.chanceToWin <= 1)) violations.push(`chanceToWin ${r.chanceToWin}`);
      if (withPrior && !(r.posterior.sd < se)) violations.push('a proper prior must shrink the sd');
    }
    expect(violations).toEqual([]);
  });

  it('flat prior: the credible interval is the z interval and chanceToWin = Φ(Δ/SE), 1 − the one-sided z p-value', () => {
    const r = bayesianEffect({ lift: 0.03, se: 0.012, alpha: 0.1 });
    const z = normalQuantile(0.95);
    expectClose(r.credibleInterval[0], 0.03 - z * 0.012, 1e-12);
    expectClose(r.credibleInterval[1], 0.03 + z * 0.012, 1e-12);
    expectClose(r.chanceToWin, 1 - normalCdf(-0.03 / 0.012), 1e-12);
  });

  it('takes lift and SE from compareArms: close to the Welch interval at large n', () => {
    const a = { units: 10000, conversions: 1000 };
    const b = { units: 10000, conversions: 1080 };
    const freq = compareArms(a, b, { metricType: 'binomial' }) as ArmComparison;
    const greater = compareArms(a, b, { metricType: 'binomial', sides: 1, alternative: 'greater' }) as ArmComparison;
    const r = bayesianEffect({ lift: freq.relativeLift, se: freq.se });
    // t with ~20,000 df against the normal: equal to about 1e-4.
    expect(Math.abs(r.credibleInterval[0] - freq.relativeCi[0])).toBeLessThan(1e-5);
    expect(Math.abs(r.credibleInterval[1] - freq.relativeCi[1])).toBeLessThan(1e-5);
    expect(Math.abs(r.chanceToWin - (1 - greater.pValue))).toBeLessThan(1e-4);
    expectClose(r.chanceToWin, BAYES.binomialFlat!.expected.chanceToWin);
  });

  it('a proper prior pulls toward its mean and fades as it widens', () => {
    const flat = bayesianEffect({ lift: 0.12, se: 0.03 });
    const tight = bayesianEffect({ lift: 0.12, se: 0.03, priorMean: 0, priorSd: 0.01 });
    const wide = bayesianEffect({ lift: 0.12, se: 0.03, priorMean: 0, priorSd: 1e6 });
    expect(tight.posterior.mean).toBeLessThan(flat.posterior.mean);
    expect(tight.posterior.mean).toBeGreaterThan(0);
    expectClose(wide.posterior.mean, flat.posterior.mean, 1e-12);
    expectClose(wide.chanceToWin, flat.chanceToWin, 1e-12);
    // priorMean defaults to 0
    expect(bayesianEffect({ lift: 0.12, se: 0.03, priorSd: 0.01 })).toEqual(tight);
  });

  it('rejects se ≤ 0, non-finite input, alpha outside (0, 1) and a prior mean without a prior sd', () => {
    for (const se of [0, -0.1, Number.NaN, Number.POSITIVE_INFINITY]) expect(() => bayesianEffect({ lift: 0.1, se })).toThrow(RangeError);
    for (const lift of [Number.NaN, Number.NEGATIVE_INFINITY]) expect(() => bayesianEffect({ lift, se: 0.1 })).toThrow(RangeError);
    for (const alpha of [0, 1, -0.05, Number.NaN]) expect(() => bayesianEffect({ lift: 0.1, se: 0.1, alpha })).toThrow(RangeError);
    expect(() => bayesianEffect({ lift: 0.1, se: 0.1, priorSd: 0 })).toThrow(RangeError);
    expect(() => bayesianEffect({ lift: 0.1, se: 0.1, priorSd: 0.3, priorMean: Number.NaN })).toThrow(RangeError);
    expect(() => bayesianEffect({ lift: 0.1, se: 0.1, priorMean: 0.02 })).toThrow(RangeError);
  });
});
