import { describe, expect, it } from 'vitest';
import {
  mannWhitneyFromHistograms,
  minimumDetectableRelativeEffect,
  normalCdf,
  normalQuantile,
  quantileFromHistogram,
  twoProportionTest,
  type HistogramBucket,
} from '@/lib/domain/statistics';

/** |actual − expected| ≤ tolerance · |expected| (relative), or ≤ tolerance when expected is 0. */
function expectClose(actual: number, expected: number, tolerance: number) {
  const scale = expected === 0 ? 1 : Math.abs(expected);
  expect(Math.abs(actual - expected) / scale, `${actual} vs ${expected}`).toBeLessThanOrEqual(tolerance);
}

const histogram = (les: number[], counts: number[]): HistogramBucket[] => les.map((le, i) => ({ le, count: counts[i] ?? 0 }));

describe('normalCdf', () => {
  // Reference: scipy 1.17.1, scipy.stats.norm.cdf(z) (lower tail) and norm.sf(z) (upper tail).
  it.each([
    [-37, 5.7255712225239266e-300],
    [-20, 2.7536241186061556e-89],
    [-8, 6.22096057427174e-16],
    [-5.7, 5.99037140106353e-9],
    [-5, 2.866515718791933e-7],
    [-3, 0.0013498980316300933],
    [-1.959963984540054, 0.025],
    [-1, 0.15865525393145707],
    [-0.5, 0.3085375387259869],
    [-1e-10, 0.49999999996010575],
    [0, 0.5],
    [0.3, 0.6179114221889526],
    [0.67448975, 0.7499999999376898],
    [1, 0.8413447460685429],
    [1.6448536269514722, 0.95],
    [2, 0.9772498680518208],
    [3, 0.9986501019683699],
    [5.5, 0.9999999810104375],
    [8, 0.9999999999999993],
  ])('Φ(%d) = %d (scipy.stats.norm.cdf)', (z, expected) => {
    expectClose(normalCdf(z), expected, 1e-12); // relative, even 300 orders of magnitude into the tail
  });

  // Upper tails through the symmetry Φ(−z) = 1 − Φ(z) keep their relative accuracy.
  it.each([
    [5.5, 1.898956246588768e-8], // scipy.stats.norm.sf(5.5)
    [3, 0.0013498980316300933], // norm.sf(3)
    [1.6448536269514722, 0.050000000000000044], // norm.sf(1.6448536269514722)
  ])('1 − Φ(%d) = Φ(−z) = %d (scipy.stats.norm.sf)', (z, expected) => {
    expectClose(normalCdf(-z), expected, 1e-13);
  });

  it('is symmetric, monotone, and handles the extremes', () => {
    for (let z = -6; z <= 6; z += 0.37) expect(Math.abs(normalCdf(z) + normalCdf(-z) - 1)).toBeLessThan(1e-15);
    for (let z = -6; z < 6; z += 0.01) expect(normalCdf(z + 0.01)).toBeGreaterThanOrEqual(normalCdf(z));
    expect(normalCdf(-40)).toBe(0);
    expect(normalCdf(40)).toBe(1);
    expect(normalCdf(Number.NEGATIVE_INFINITY)).toBe(0);
    expect(normalCdf(Number.POSITIVE_INFINITY)).toBe(1);
    expect(normalCdf(Number.NaN)).toBeNaN();
  });
});

describe('normalQuantile', () => {
  // Reference: scipy 1.17.1, scipy.stats.norm.ppf(p). The brief asks for 1e-9; AS241 gives ~1e-15.
  it.each([
    [1e-300, -37.0470962993612],
    [1e-20, -9.262340089798409],
    [1e-12, -7.034483825301131],
    [1e-6, -4.753424308822899],
    [0.001, -3.090232306167813],
    [0.01, -2.3263478740408408],
    [0.025, -1.9599639845400545],
    [0.05, -1.6448536269514729],
    [0.075, -1.4395314709384563],
    [0.1, -1.2815515655446004],
    [0.3, -0.5244005127080409],
    [0.5, 0],
    [0.8, 0.8416212335729143],
    [0.925, 1.4395314709384563],
    [0.95, 1.6448536269514722],
    [0.975, 1.959963984540054],
    [0.99, 2.3263478740408408],
    [0.999, 3.090232306167813],
    [1 - 1e-10, 6.361340889697422],
  ])('Φ⁻¹(%d) = %d (scipy.stats.norm.ppf)', (p, expected) => {
    expect(Math.abs(normalQuantile(p) - expected)).toBeLessThan(1e-9);
    expectClose(normalQuantile(p), expected, 1e-12);
  });

  it('inverts normalCdf', () => {
    for (let p = 0.0005; p < 1; p += 0.0137) expectClose(normalCdf(normalQuantile(p)), p, 1e-13);
  });

  it('is ±∞ at 0 and 1 and rejects anything outside [0, 1]', () => {
    expect(normalQuantile(0)).toBe(Number.NEGATIVE_INFINITY);
    expect(normalQuantile(1)).toBe(Number.POSITIVE_INFINITY);
    for (const p of [-0.1, 1.1, Number.NaN]) expect(() => normalQuantile(p)).toThrow(RangeError);
  });
});

describe('twoProportionTest', () => {
  // Reference: z² equals Pearson's χ² of the 2×2 table without Yates' correction, so the two-sided
  // p-value is scipy.stats.chi2_contingency([[x1, n1 − x1], [x2, n2 − x2]], correction=False)[1];
  // the one-sided p is scipy.stats.norm.sf(z). Hand check of the first case: p̂ = 700/40,000 =
  // 0.0175, SE = √(0.0175 · 0.9825 · 2/20,000) = 0.0013113, z = (0.024 − 0.011)/0.0013113 = 9.9142.
  it('1.10 % vs 2.40 % on 20,000 requests each', () => {
    const r = twoProportionTest({ n1: 20_000, x1: 220, n2: 20_000, x2: 480 });
    expect(r.p1).toBe(0.011);
    expect(r.p2).toBe(0.024);
    expectClose(r.diff, 0.013, 1e-12);
    expectClose(r.relative!, 13 / 11, 1e-12); // 0.024/0.011 − 1 = +118 %
    expectClose(r.z, 9.914208508630383, 1e-12);
    expectClose(r.pValue, 3.6110713689529874e-23, 1e-9); // χ² = 98.29153035259905
    expectClose(r.pValueGreater, 1.805535684476474e-23, 1e-9);
  });

  it.each([
    // n1, x1, n2, x2, z, two-sided p (chi2_contingency), one-sided p (norm.sf(z))
    [2000, 22, 2000, 48, 3.1351480085093124, 0.0017176742453876865, 0.0008588371226938421],
    [20_000, 200, 20_000, 230, 1.4545678943334435, 0.1457889246404961, 0.07289446232025021],
    [1000, 10, 1200, 18, 1.041748878628964, 0.29752812101154086, 0.1487640605057719],
  ])('n1 %d, x1 %d, n2 %d, x2 %d → z %d, p %d, p(greater) %d', (n1, x1, n2, x2, z, p, pGreater) => {
    const r = twoProportionTest({ n1, x1, n2, x2 });
    expectClose(r.z, z, 1e-12);
    expectClose(r.pValue, p, 1e-12);
    expectClose(r.pValueGreater, pGreater, 1e-12);
  });

  it('is antisymmetric: swapping the samples flips z, keeps the two-sided p', () => {
    const forward = twoProportionTest({ n1: 2000, x1: 22, n2: 2000, x2: 48 });
    const backward = twoProportionTest({ n1: 2000, x1: 48, n2: 2000, x2: 22 });
    expectClose(backward.z, -forward.z, 1e-15);
    expectClose(backward.pValue, forward.pValue, 1e-15);
    expectClose(backward.pValueGreater, 1 - forward.pValueGreater, 1e-12);
  });

  it('identical rates give z 0, p 1, one-sided p 0.5 (chi2_contingency: χ² 0, p 1)', () => {
    expect(twoProportionTest({ n1: 5000, x1: 50, n2: 5000, x2: 50 })).toEqual({ p1: 0.01, p2: 0.01, diff: 0, relative: 0, z: 0, pValue: 1, pValueGreater: 0.5 });
  });

  it('no events anywhere: no evidence either way, relative undefined', () => {
    expect(twoProportionTest({ n1: 100, x1: 0, n2: 80, x2: 0 })).toEqual({ p1: 0, p2: 0, diff: 0, relative: null, z: 0, pValue: 1, pValueGreater: 0.5 });
  });

  it('relative is null when the baseline rate is 0, and the test still runs', () => {
    const r = twoProportionTest({ n1: 10_000, x1: 0, n2: 10_000, x2: 20 });
    expect(r.relative).toBeNull();
    expect(r.z).toBeGreaterThan(4);
  });

  it('accepts non-integer counts (rates integrated over an interval)', () => {
    expect(twoProportionTest({ n1: 1000.5, x1: 10.25, n2: 999.5, x2: 10.25 }).z).toBeCloseTo(0, 2);
  });

  it.each([
    [{ n1: 0, x1: 0, n2: 10, x2: 1 }],
    [{ n1: 10, x1: 11, n2: 10, x2: 1 }],
    [{ n1: 10, x1: -1, n2: 10, x2: 1 }],
    [{ n1: Number.NaN, x1: 0, n2: 10, x2: 1 }],
    [{ n1: 10, x1: 0, n2: Number.POSITIVE_INFINITY, x2: 1 }],
  ])('rejects %o', (input) => {
    expect(() => twoProportionTest(input)).toThrow(RangeError);
  });
});

describe('mannWhitneyFromHistograms', () => {
  /*
   * Worked by hand: a = {10, 10, 20, 30}, b = {20, 20, 30, 30} as buckets le 10/20/30.
   * U_b = 2·(2 + ½·1) + 2·(3 + ½·1) = 12 (pairs where b > a, ties half); n1 = n2 = 4, E[U] = 8.
   * Ties per bucket t = 2, 3, 3 → Σ(t³ − t) = 6 + 24 + 24 = 54; N = 8.
   * σ² = 16/12 · (9 − 54/56) = 10.714286, z = 4/3.273268 = 1.2220202.
   * scipy.stats.mannwhitneyu(b, a, method="asymptotic", use_continuity=False): U = 12.0,
   * alternative="greater" p = 0.11084999688243818, "two-sided" p = 0.22169999376487637.
   */
  it('matches the hand-worked example with ties and scipy', () => {
    const r = mannWhitneyFromHistograms(histogram([10, 20, 30], [2, 1, 1]), histogram([10, 20, 30], [0, 2, 2]));
    expect(r.u).toBe(12);
    expect(r.n1).toBe(4);
    expect(r.n2).toBe(4);
    expect(r.effect).toBe(0.75);
    expectClose(r.z, 1.2220201853215573, 1e-12);
    expectClose(r.pValueGreater, 0.11084999688243818, 1e-12);
    expectClose(r.pValue, 0.22169999376487637, 1e-12);
  });

  /*
   * A latency-shaped example, each value repeated by its bucket count (numpy.repeat), then
   * scipy.stats.mannwhitneyu(b, a, method="asymptotic", use_continuity=False):
   * U = 348090.0, greater p = 0.0008415320321291315, two-sided p = 0.001683064064258263,
   * z = 3.141114172738489, effect = 348090 / (800 · 802) = 0.542534289276808.
   */
  it('matches scipy on a latency histogram', () => {
    const les = [50, 100, 200, 400, 800];
    const r = mannWhitneyFromHistograms(histogram(les, [120, 340, 280, 50, 10]), histogram(les, [100, 300, 320, 70, 12]));
    expect(r.u).toBe(348_090);
    expect([r.n1, r.n2]).toEqual([800, 802]);
    expectClose(r.effect, 0.542534289276808, 1e-12);
    expectClose(r.z, 3.141114172738489, 1e-12);
    expectClose(r.pValueGreater, 0.0008415320321291315, 1e-11);
    expectClose(r.pValue, 0.001683064064258263, 1e-11);
  });

  it('swapping the samples mirrors the result', () => {
    const a = histogram([50, 100, 200], [10, 20, 5]);
    const b = histogram([50, 100, 200], [4, 20, 12]);
    const forward = mannWhitneyFromHistograms(a, b);
    const backward = mannWhitneyFromHistograms(b, a);
    expectClose(backward.z, -forward.z, 1e-12);
    expectClose(backward.effect, 1 - forward.effect, 1e-12);
    expectClose(backward.pValue, forward.pValue, 1e-12);
  });

  it('identical histograms: U = n1·n2/2, z 0, p 1 (scipy: U 200.0, p 1.0)', () => {
    const r = mannWhitneyFromHistograms(histogram([1, 2, 3, 4], [5, 5, 5, 5]), histogram([1, 2, 3, 4], [5, 5, 5, 5]));
    expect(r).toEqual({ u: 200, z: 0, pValue: 1, pValueGreater: 0.5, n1: 20, n2: 20, effect: 0.5 });
  });

  it('every observation in one bucket: no variance, no evidence (z 0)', () => {
    const r = mannWhitneyFromHistograms(histogram([25, 50, 100], [0, 30, 0]), histogram([25, 50], [0, 20]));
    expect(r).toEqual({ u: 300, z: 0, pValue: 1, pValueGreater: 0.5, n1: 30, n2: 20, effect: 0.5 });
  });

  it('matches buckets by bound, in any order, summing repeated bounds', () => {
    const reference = mannWhitneyFromHistograms(histogram([10, 20, 30], [2, 1, 1]), histogram([10, 20, 30], [0, 2, 2]));
    const shuffled = mannWhitneyFromHistograms(
      [{ le: 30, count: 1 }, { le: 10, count: 1 }, { le: 20, count: 1 }, { le: 10, count: 1 }],
      [{ le: 30, count: 2 }, { le: 20, count: 2 }],
    );
    expect(shuffled).toEqual(reference);
  });

  it('complete separation gives effect 1 and a tiny p', () => {
    const r = mannWhitneyFromHistograms(histogram([10, 20], [500, 0]), histogram([10, 20], [0, 500]));
    expect(r.effect).toBe(1);
    expect(r.pValueGreater).toBeLessThan(1e-100);
  });

  it('handles an infinite top bucket', () => {
    const r = mannWhitneyFromHistograms(histogram([10, Number.POSITIVE_INFINITY], [2, 1]), histogram([10, Number.POSITIVE_INFINITY], [0, 2]));
    expect(r.u).toBe(2 * (2 + 0.5));
  });

  it.each([
    ['an empty sample', histogram([10], [0]), histogram([10], [3])],
    ['a negative count', histogram([10], [-1]), histogram([10], [3])],
    ['a NaN bound', [{ le: Number.NaN, count: 1 }], histogram([10], [3])],
  ])('rejects %s', (_, a, b) => {
    expect(() => mannWhitneyFromHistograms(a, b)).toThrow(RangeError);
  });
});

describe('quantileFromHistogram', () => {
  // 100 observations: 10 in (0, 10], 40 in (10, 20], 50 in (20, 50].
  const buckets = histogram([10, 20, 50], [10, 40, 50]);

  it.each([
    [0.05, 5], // rank 5 of 10 in (0, 10]: 0 + 10 · 5/10
    [0.1, 10],
    [0.3, 15], // rank 30: 20 of 40 into (10, 20]
    [0.5, 20],
    [0.9, 44], // rank 90: 40 of 50 into (20, 50]: 20 + 30 · 0.8
    [0.99, 49.4],
    [1, 50],
  ])('q %d → %d (linear inside the bucket, as Prometheus histogram_quantile)', (q, expected) => {
    expectClose(quantileFromHistogram(buckets, q)!, expected, 1e-12);
  });

  it('q 0 is the lower edge of the first non-empty bucket', () => {
    expect(quantileFromHistogram(histogram([10, 20, 50], [0, 4, 4]), 0)).toBe(10);
    expect(quantileFromHistogram(buckets, 0)).toBe(0);
  });

  it('skips empty buckets', () => {
    expect(quantileFromHistogram(histogram([10, 20, 50, 100], [10, 0, 0, 10]), 0.75)).toBe(75);
  });

  it('in a +Inf bucket it is the highest finite bound (Prometheus); only +Inf → null', () => {
    expect(quantileFromHistogram(histogram([10, Number.POSITIVE_INFINITY], [5, 5]), 0.9)).toBe(10);
    expect(quantileFromHistogram(histogram([Number.POSITIVE_INFINITY], [5]), 0.5)).toBeNull();
  });

  it('a first bucket at or below 0 returns its bound', () => {
    expect(quantileFromHistogram(histogram([0, 10], [5, 5]), 0.2)).toBe(0);
  });

  it('is null for an empty histogram and rejects q outside [0, 1]', () => {
    expect(quantileFromHistogram([], 0.5)).toBeNull();
    expect(quantileFromHistogram(histogram([10], [0]), 0.5)).toBeNull();
    expect(() => quantileFromHistogram(buckets, 1.5)).toThrow(RangeError);
    expect(() => quantileFromHistogram(buckets, Number.NaN)).toThrow(RangeError);
  });

  it('sorts buckets and does not modify its input', () => {
    const input = [{ le: 50, count: 50 }, { le: 10, count: 10 }, { le: 20, count: 40 }];
    const copy = structuredClone(input);
    expect(quantileFromHistogram(input, 0.9)).toBeCloseTo(44, 12);
    expect(input).toEqual(copy);
  });
});

describe('minimumDetectableRelativeEffect', () => {
  /*
   * δ = (z₁₋α + z₀.₈) · √(p(1 − p)(1/n1 + 1/n2)), relative = δ/p. For p = 0.01, n1 = n2 = 20,000:
   * one-sided α 0.05: (1.6448536269514722 + 0.8416212335729143) · √(0.0099 · 0.0001) / 0.01
   *   = 2.4864748605 · 0.000994987 / 0.01 = 0.2474011248903199 (scipy.stats.norm.ppf for the z's);
   * two-sided: z₀.₉₇₅ = 1.959963984540054 → 0.2787542096006013.
   */
  it('matches the normal-approximation formula', () => {
    expectClose(minimumDetectableRelativeEffect({ baselineRate: 0.01, n1: 20_000, n2: 20_000, alpha: 0.05, power: 0.8 })!, 0.2474011248903199, 1e-12);
    expectClose(minimumDetectableRelativeEffect({ baselineRate: 0.01, n1: 20_000, n2: 20_000, alpha: 0.05, power: 0.8, sides: 2 })!, 0.2787542096006013, 1e-12);
  });

  it('shrinks with the square root of the traffic', () => {
    const small = minimumDetectableRelativeEffect({ baselineRate: 0.02, n1: 1000, n2: 1000, alpha: 0.05, power: 0.8 })!;
    const large = minimumDetectableRelativeEffect({ baselineRate: 0.02, n1: 4000, n2: 4000, alpha: 0.05, power: 0.8 })!;
    expectClose(small / large, 2, 1e-12);
  });

  it.each([
    ['a zero baseline rate', { baselineRate: 0, n1: 100, n2: 100 }],
    ['a baseline rate of 1', { baselineRate: 1, n1: 100, n2: 100 }],
    ['no baseline traffic', { baselineRate: 0.1, n1: 0, n2: 100 }],
    ['no canary traffic', { baselineRate: 0.1, n1: 100, n2: 0 }],
  ])('is null for %s', (_, input) => {
    expect(minimumDetectableRelativeEffect({ ...input, alpha: 0.05, power: 0.8 })).toBeNull();
  });

  it('rejects alpha or power outside (0, 1)', () => {
    expect(() => minimumDetectableRelativeEffect({ baselineRate: 0.1, n1: 10, n2: 10, alpha: 0, power: 0.8 })).toThrow(RangeError);
    expect(() => minimumDetectableRelativeEffect({ baselineRate: 0.1, n1: 10, n2: 10, alpha: 0.05, power: 1 })).toThrow(RangeError);
  });
});
