import { describe, expect, it } from 'vitest';
import { numericProfileFromValues, numericSnapshotFromValues, type NumericProfile } from '@/lib/domain/drift-bins';
import {
  DRIFT_THRESHOLDS,
  chiSquareHomogeneity,
  defaultMethod,
  jensenShannonDistance,
  psi,
  scoreFeature,
  severityOf,
  wassersteinDistance,
  wassersteinFromBins,
  wassersteinNormalized,
  type DriftThresholds,
} from '@/lib/domain/drift-scores';
import { BINNED, COUNTS, KS, WASSERSTEIN, WASSERSTEIN_WEIGHTED, asDistribution, categorical, expectClose, sample } from '../support/drift-fixtures';

describe('PSI (numpy on the same proportions), JS distance (scipy jensenshannon, base 2), χ² (scipy chi2_contingency, no correction)', () => {
  it.each(Object.entries(COUNTS))('%s', (_, c) => {
    const reference = asDistribution(c.reference);
    const current = asDistribution(c.current);
    const result = psi(reference, current, { epsilon: c.epsilon });
    expectClose(result.value, c.psi, 1e-12);
    expect(result.bins).toHaveLength(c.contributions.length);
    result.bins.forEach((b, i) => expectClose(b.contribution, c.contributions[i]!, 1e-12));
    expectClose(jensenShannonDistance(reference, current), c.js, 1e-12);
    const chi = chiSquareHomogeneity(reference, current);
    expectClose(chi.statistic, c.chiSquare[0], 1e-12);
    expect(chi.df).toBe(c.chiSquare[1]);
    expectClose(chi.pValue, c.chiSquare[2], 1e-10);
  });

  it('reports per-bin proportions, labels and counts', () => {
    const reference: NumericProfile = { type: 'numeric', edges: [1, 2], counts: [10, 0, 30] };
    const result = psi(reference, { type: 'numeric', counts: [20, 5, 0] });
    expect(result.bins.map((b) => b.label)).toEqual(['(-∞, 1]', '(1, 2]', '(2, ∞)']);
    expect(result.bins[1]).toMatchObject({ referenceCount: 0, currentCount: 5, referenceProportion: 0, currentProportion: 0.2 });
    expectClose(result.bins[1]!.contribution, (0.0001 - 0.2) * Math.log(0.0001 / 0.2), 1e-15);
    const cats = psi(categorical({ a: 5, b: 5 }), categorical({ b: 5, z: 5 }));
    expect(cats.bins.map((b) => b.label)).toEqual(['a', 'b', 'z']);
    expect(cats.epsilon).toBe(0.0001);
  });

  it('identical distributions score 0 and disjoint ones score the maximum JS distance of 1', () => {
    expect(psi([3, 4, 5], [3, 4, 5]).value).toBe(0);
    expect(jensenShannonDistance([3, 4, 5], [6, 8, 10])).toBe(0);
    expect(jensenShannonDistance(categorical({ a: 1 }), categorical({ b: 2 }))).toBe(1);
  });

  it('χ² with one category left is statistic 0, p = 1; two categories give the two-proportion z-test', () => {
    expect(chiSquareHomogeneity(categorical({ x: 100, y: 0 }), categorical({ x: 40, y: 0 }))).toEqual({ statistic: 0, df: 0, pValue: 1, categories: 1 });
    const binary = chiSquareHomogeneity(categorical({ yes: 420, no: 580 }), categorical({ yes: 465, no: 535 }));
    const p1 = 420 / 1000;
    const p2 = 465 / 1000;
    const pooled = (420 + 465) / 2000;
    const z = (p2 - p1) / Math.sqrt(pooled * (1 - pooled) * (2 / 1000));
    expectClose(binary.statistic, z * z, 1e-12);
  });

  it('rejects malformed counts with a RangeError', () => {
    expect(() => psi([1, 2], [1, 2, 3])).toThrow(/differ in length/);
    expect(() => psi([1, -2], [1, 2])).toThrow(RangeError);
    expect(() => psi([1, Number.NaN], [1, 2])).toThrow(RangeError);
    expect(() => psi([0, 0], [1, 2])).toThrow(/all zero/);
    expect(() => psi([1, 2], [0, 0])).toThrow(/all zero/);
    expect(() => psi([1, 2], categorical({ a: 1 }))).toThrow(RangeError);
    expect(() => psi([1, 2], [1, 2], { epsilon: 0 })).toThrow(RangeError);
    expect(() => jensenShannonDistance(categorical({}), categorical({}))).toThrow(RangeError);
    expect(() => chiSquareHomogeneity([1, 2], [1])).toThrow(RangeError);
  });
});

describe('Wasserstein (scipy.stats.wasserstein_distance / max(np.std(reference), 0.001))', () => {
  it.each(Object.entries(WASSERSTEIN))('%s', (_, c) => {
    const result = wassersteinNormalized(sample(c.a), sample(c.b));
    expectClose(result.value, c.expected[0], 1e-10);
    expectClose(result.w1, c.expected[1], 1e-10);
    expectClose(result.referenceStd, c.expected[2], 1e-10);
    expect(result.source).toBe('samples');
  });

  it.each(WASSERSTEIN_WEIGHTED)('weighted %j %j', (u, v, uw, vw, expected) => expectClose(wassersteinDistance(u, v, uw, vw), expected, 1e-12));

  it('floors the reference std at 0.001', () => {
    const result = wassersteinNormalized([2, 2, 2], [2.5, 2.5]);
    expect(result).toEqual({ value: 500, w1: 0.5, referenceStd: 0, source: 'samples' });
  });

  it('rejects empty samples and bad weights', () => {
    expect(() => wassersteinDistance([], [1])).toThrow(RangeError);
    expect(() => wassersteinDistance([1, 2], [1], [1])).toThrow(RangeError);
    expect(() => wassersteinDistance([1, 2], [1], [0, 0])).toThrow(RangeError);
    expect(() => wassersteinDistance([1, 2], [1], [1, -1])).toThrow(RangeError);
  });
});

describe('Wasserstein from bins (midpoint approximation; scipy wasserstein_distance on the weighted midpoints)', () => {
  it.each(Object.entries(BINNED))('%s', (_, c) => {
    const result = wassersteinFromBins(c.reference, c.current)!;
    expectClose(result.value, c.expected[0], 1e-10);
    expectClose(result.w1, c.expected[1], 1e-10);
    expectClose(result.referenceStd, c.expected[2], 1e-10);
    expect(result.source).toBe('bins');
    expectClose(psi(c.reference, c.current).value, c.psi, 1e-12);
  });

  it('the profiles rebuild from the samples, and the exact score from the samples matches scipy', () => {
    // shiftWithSummary: ["normal", 81, 2000, 0, 1] vs ["normal", 82, 1500, 0.3, 1], 10 bins
    const a = sample(['normal', 81, 2000, 0, 1]);
    const b = sample(['normal', 82, 1500, 0.3, 1]);
    const c = BINNED.shiftWithSummary!;
    const reference = numericProfileFromValues(a, 10);
    expect(reference.counts).toEqual(c.reference.counts);
    reference.edges.forEach((e, i) => expectClose(e, c.reference.edges[i]!, 1e-14));
    const current = numericSnapshotFromValues(reference, b);
    expect(current.counts).toEqual(c.current.counts);
    expectClose(current.summary!.std, c.current.summary!.std, 1e-12);
    expectClose(wassersteinNormalized(a, b).value, c.exactFromSamples[0], 1e-10);
  });

  it('is null when two bins without a summary leave no finite width; one bin is distance 0', () => {
    expect(wassersteinFromBins({ type: 'numeric', edges: [0], counts: [1, 1] }, { type: 'numeric', counts: [2, 1] })).toBeNull();
    expect(wassersteinFromBins({ type: 'numeric', edges: [], counts: [5] }, { type: 'numeric', counts: [9] })).toMatchObject({ w1: 0, value: 0 });
  });
});

describe('thresholds and severity', () => {
  it('distances alert at value ≥ threshold', () => {
    expect(severityOf('psi', 0.0999)).toBe('ok');
    expect(severityOf('psi', 0.1)).toBe('warning');
    expect(severityOf('psi', 0.2499)).toBe('warning');
    expect(severityOf('psi', 0.25)).toBe('critical');
    expect(severityOf('jsDistance', 0.1)).toBe('warning');
    expect(severityOf('jsDistance', 0.2)).toBe('critical');
    expect(severityOf('wasserstein', 0.19)).toBe('warning');
    expect(severityOf('wasserstein', 0.2)).toBe('critical');
  });

  it('p-values alert at p < threshold', () => {
    expect(severityOf('ks', 0.05)).toBe('ok');
    expect(severityOf('ks', 0.0499)).toBe('warning');
    expect(severityOf('chiSquare', 0.001)).toBe('warning');
    expect(severityOf('chiSquare', 0.000999)).toBe('critical');
    expect(severityOf('ks', 0)).toBe('critical');
  });

  it('uses per-model thresholds', () => {
    const custom: DriftThresholds = { ...DRIFT_THRESHOLDS, psi: { warning: 0.2, critical: 0.3 } };
    expect(severityOf('psi', 0.15, custom)).toBe('ok');
    expect(severityOf('psi', 0.3, custom)).toBe('critical');
  });

  it('rejects NaN and unknown methods', () => {
    expect(() => severityOf('psi', Number.NaN)).toThrow(RangeError);
    expect(() => severityOf('hellinger' as 'psi', 0.5)).toThrow(RangeError);
  });
});

describe('defaultMethod', () => {
  it.each([
    ['categorical', 1000, false, 'chiSquare'],
    ['categorical', 1001, false, 'jsDistance'],
    ['categorical', 50, true, 'chiSquare'],
    ['numeric', 1000, true, 'ks'],
    ['numeric', 1001, true, 'wasserstein'],
    ['numeric', 500, false, 'psi'],
    ['numeric', 1e6, false, 'psi'],
  ] as const)('%s, reference %s, raw samples %s → %s', (type, size, raw, expected) => expect(defaultMethod(type, size, raw)).toBe(expected));

  it('rejects a negative size', () => expect(() => defaultMethod('numeric', -1, false)).toThrow(RangeError));
});

describe('scoreFeature', () => {
  const reference = numericProfileFromValues(sample(['normal', 81, 2000, 0, 1]));
  const drifted = numericSnapshotFromValues(reference, sample(['normal', 82, 1500, 0.3, 1]));

  it('binned numeric: PSI headline, JS and the binned Wasserstein alongside', () => {
    const score = scoreFeature(reference, drifted);
    expect(score.method).toBe('psi');
    expectClose(score.value, BINNED.shiftWithSummary!.psi, 1e-12);
    expect(score.severity).toBe('ok');
    expect(score.threshold).toEqual({ warning: 0.1, critical: 0.25, operator: '≥' });
    expect(score.convention).toBe('PSI, natural log, 10 reference-decile bins with open outer edges, ε = 0.0001 for empty bins');
    expect(score.scores.wasserstein?.source).toBe('bins');
    expectClose(score.scores.wasserstein!.value, BINNED.shiftWithSummary!.expected[0], 1e-10);
    expect(score.scores.ks).toBeUndefined();
    expect(score.scores.chiSquare).toBeUndefined();
    expect(score.conventions.jsDistance).toBe('Jensen–Shannon distance (√JSD), log base 2, range 0–1, 10 bins, no smoothing');
  });

  it('raw samples: Wasserstein for a large reference, KS for a small one', () => {
    const a = sample(['normal', 81, 2000, 0, 1]);
    const b = sample(['normal', 82, 1500, 0.3, 1]);
    const large = scoreFeature(reference, drifted, { samples: { reference: a, current: b } });
    expect(large.method).toBe('wasserstein');
    expectClose(large.value, BINNED.shiftWithSummary!.exactFromSamples[0], 1e-10);
    expect(large.severity).toBe('critical');
    expect(large.convention).toBe('Wasserstein-1 / reference std (ddof 0, floor 0.001), from raw samples');
    expect(large.scores.ks?.method).toBe('exact');

    const c = KS.unequal300x250!;
    const small = sample(c.a);
    const smallCurrent = sample(c.b);
    const profile = numericProfileFromValues(small);
    const score = scoreFeature(profile, numericSnapshotFromValues(profile, smallCurrent), { samples: { reference: small, current: smallCurrent } });
    expect(score.method).toBe('ks');
    expectClose(score.value, c.auto[1], 1e-9);
    expect(score.severity).toBe('ok');
    expect(score.threshold.operator).toBe('<');
    expect(score.convention).toBe('Two-sample Kolmogorov–Smirnov, two-sided, exact p-value (n = 300, m = 250); value = p-value');
  });

  it('categorical: χ² for a small reference, JS distance for a large one, unseen categories as bins', () => {
    const c = COUNTS.categoricalUnseen!;
    const ref = categorical(c.reference as Record<string, number>);
    const cur = categorical(c.current as Record<string, number>);
    const score = scoreFeature(ref, cur);
    expect(score.method).toBe('chiSquare');
    expectClose(score.value, c.chiSquare[2], 1e-9);
    expect(score.severity).toBe('critical');
    expect(score.convention).toBe('χ² test of homogeneity (reference vs current), 4 categories, df = 3, no continuity correction; value = p-value');
    expect(score.conventions.psi).toBe('PSI, natural log, 4 categories as bins (unseen ones included), ε = 0.0001 for empty bins');
    const big = scoreFeature(categorical({ a: 5000, b: 3000, c: 2000 }), cur);
    expect(big.method).toBe('jsDistance');
    expect(big.severity).toBe('warning');
  });

  it('honours an explicit method, thresholds and ε', () => {
    const score = scoreFeature(reference, drifted, { method: 'chiSquare', epsilon: 1e-6, thresholds: { ...DRIFT_THRESHOLDS, chiSquare: { warning: 0.5, critical: 1e-40 } } });
    expect(score.method).toBe('chiSquare');
    expect(score.scores.chiSquare?.df).toBe(9);
    expect(score.severity).toBe('warning');
    expect(score.conventions.psi).toContain('ε = 0.000001');
    expect(() => scoreFeature(reference, drifted, { method: 'ks' })).toThrow(RangeError);
    expect(() => scoreFeature(categorical({ a: 1 }), categorical({ a: 1 }), { method: 'wasserstein' })).toThrow(RangeError);
    expect(() => scoreFeature(reference, categorical({ a: 1 }))).toThrow(RangeError);
  });

  it('an identical snapshot is ok on every score', () => {
    const score = scoreFeature(reference, { type: 'numeric', counts: reference.counts, summary: reference.summary });
    expect(score.value).toBe(0);
    expect(score.severity).toBe('ok');
    expect(score.scores.jsDistance).toBe(0);
    expect(score.scores.wasserstein?.w1).toBe(0);
  });
});
