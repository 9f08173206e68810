import { describe, expect, it } from 'vitest';
import { ksTwoSample, kstwoSf } from '@/lib/domain/ks-test';
import { KS, KSTWO_SF, expectClose, sample } from '../support/drift-fixtures';

describe('two-sample Kolmogorov–Smirnov (scipy.stats.ks_2samp)', () => {
  const rows = Object.entries(KS).flatMap(([name, c]) =>
    (['auto', 'exact', 'asymp'] as const).filter((m) => c[m] !== undefined).map((m) => [`${name} ${m}`, c, m] as const),
  );
  it.each(rows)('%s', (_, c, method) => {
    const [statistic, pValue] = c[method]!;
    const result = ksTwoSample(sample(c.a), sample(c.b), { method });
    expectClose(result.statistic, statistic, 1e-12);
    expectClose(result.pValue, pValue, 1e-10);
    expect(result.n).toBe(c.a[2]);
    expect(result.m).toBe(c.b[2]);
    const exact = method === 'exact' || (method === 'auto' && Math.max(c.a[2], c.b[2]) <= 10_000);
    expect(result.method).toBe(exact ? 'exact' : 'asymptotic');
  });

  it('is symmetric in its samples and handles ties across them', () => {
    const a = [1, 2, 2, 3, 3, 3];
    const b = [2, 3, 3, 4];
    expect(ksTwoSample(a, b)).toEqual({ ...ksTwoSample(b, a), n: 6, m: 4 });
    expect(ksTwoSample(a, b)).toMatchObject({ statistic: 0.25, pValue: 0.9952380952380953 }); // scipy
    expect(ksTwoSample([1, 1, 1], [1, 1])).toMatchObject({ statistic: 0, pValue: 1 });
  });

  it("'asymp' with one value each has effective size round(0.5) = 0: NaN, as in scipy; 'auto' is exact", () => {
    expect(ksTwoSample([1], [2], { method: 'asymp' }).pValue).toBeNaN();
    expect(ksTwoSample([1], [2])).toEqual({ statistic: 1, pValue: 1, method: 'exact', n: 1, m: 1 });
  });

  it('rejects empty or non-finite samples', () => {
    expect(() => ksTwoSample([], [1])).toThrow(RangeError);
    expect(() => ksTwoSample([1, Number.NaN], [1])).toThrow(RangeError);
  });
});

describe('Kolmogorov distribution of D_n (scipy.stats.kstwo.sf) — every branch of kolmogn', () => {
  it.each(KSTWO_SF)('sf(n = %s, d = %s)', (n, d, expected) => {
    const actual = kstwoSf(n, d);
    expect(Math.abs(actual - expected)).toBeLessThanOrEqual(1e-13);
    if (expected > 1e-300) expectClose(actual, expected, 1e-10);
  });

  it('n must be an integer ≥ 1', () => {
    expect(() => kstwoSf(0, 0.5)).toThrow(RangeError);
    expect(() => kstwoSf(2.5, 0.5)).toThrow(RangeError);
    expect(kstwoSf(10, 0)).toBe(1);
    expect(kstwoSf(10, 1)).toBe(0);
  });
});
