import { describe, expect, it } from 'vitest';
import { adjustedInterval, adjustPValues, CORRECTIONS, type Correction } from '@/lib/domain/multiple-comparisons';
import { normalCdf, normalQuantile } from '@/lib/domain/statistics';
import { mulberry32 } from '@/lib/simulator/traffic';

/** |actual − expected| ≤ tolerance · |expected| (relative), or ≤ tolerance when expected is 0. */
function expectClose(actual: number, expected: number, tolerance = 1e-9) {
  if (!Number.isFinite(expected)) return expect(actual).toBe(expected);
  const scale = expected === 0 ? 1 : Math.abs(expected);
  expect(Math.abs(actual - expected) / scale, `${actual} vs ${expected}`).toBeLessThanOrEqual(tolerance);
}

// Reference values: printed by tests/unit/reference/multiple-comparisons.py (statsmodels 0.13.5
// multipletests 'holm' / 'fdr_bh', which the script checks against GrowthBook's procedure written
// out in Python; scipy 1.10.1 norm for the intervals), pasted verbatim.
const ADJUSTED: Record<string, { p: number[] } & Record<Exclude<Correction, 'none'>, number[]>> = {"mixed": {"p": [0.01, 0.04, 0.03, 0.005, 0.2], "holm": [0.04, 0.09, 0.09, 0.025, 0.2], "benjamini_hochberg": [0.024999999999999998, 0.049999999999999996, 0.049999999999999996, 0.024999999999999998, 0.2]}, "ties": {"p": [0.02, 0.02, 0.02, 0.5, 0.01, 0.01], "holm": [0.08, 0.08, 0.08, 0.5, 0.06, 0.06], "benjamini_hochberg": [0.024, 0.024, 0.024, 0.5, 0.024, 0.024]}, "ones": {"p": [1.0, 0.3, 1.0, 0.04], "holm": [1.0, 0.8999999999999999, 1.0, 0.16], "benjamini_hochberg": [1.0, 0.6, 1.0, 0.16]}, "zeros": {"p": [0.0, 0.0, 0.03, 0.8], "holm": [0.0, 0.0, 0.06, 0.8], "benjamini_hochberg": [0.0, 0.0, 0.04, 0.8]}, "single": {"p": [0.03], "holm": [0.03], "benjamini_hochberg": [0.03]}, "allLarge": {"p": [0.6, 0.7, 0.9], "holm": [1.0, 1.0, 1.0], "benjamini_hochberg": [0.9, 0.9, 0.9]}, "twenty": {"p": [0.4964569009453731, 0.19598890760550672, 0.07140171213423856, 0.8493766584334962, 0.002908556187809529, 0.09996570898314258, 0.21464259213495052, 0.1580605567537366, 0.49479023182412574, 0.3921428303652195, 0.04706493729639634, 0.003251010539699978, 0.4187074699132639, 0.9229928960722381, 0.8672392377938988, 0.49707911285508277, 0.00010768848546063862, 0.006796057732770317, 0.21365968431684618, 5.17970106318492e-07], "holm": [1.0, 1.0, 0.9996239698793398, 1.0, 0.05235401138057152, 1.0, 1.0, 1.0, 1.0, 1.0, 0.705974059445945, 0.05526717917489963, 1.0, 1.0, 1.0, 1.0, 0.002046081223752134, 0.10873692372432507, 1.0, 1.0359402126369841e-05], "benjamini_hochberg": [0.5847989563000974, 0.3577376535582509, 0.20400489181211018, 0.912883408204104, 0.01625505269849989, 0.24991427245785644, 0.3577376535582509, 0.3512456816749702, 0.5847989563000974, 0.5847989563000974, 0.15688312432132115, 0.01625505269849989, 0.5847989563000974, 0.9229928960722381, 0.912883408204104, 0.5847989563000974, 0.0010768848546063863, 0.027184230931081268, 0.3577376535582509, 1.035940212636984e-05]}};
/** [lift, adjusted p, alpha, [lower, upper]] */
const ADJUSTED_CI: [number, number, number, [number, number]][] = [[0.08, 0.0745989365936749, 0.05, [-0.007943883024801923, 0.16794388302480193]], [0.08, 0.2, 0.05, [-0.042349441863131596, 0.20234944186313158]], [-0.05, 0.001, 0.05, [-0.0797819185874145, -0.020218081412585506]], [0.15, 0.0123, 0.1, [0.051443549078216286, 0.2485564509217837]], [0.02, 1e-12, 0.05, [0.014502595604286662, 0.02549740439571334]], [-0.3, 0.9, 0.05, [-4.979157195729788, 4.379157195729788]], [0.1, 0.0499, 0.05, [4.366653785425889e-05, 0.19995633346214575]], [0.1, 0.0501, 0.05, [-4.3631453714568225e-05, 0.20004363145371457]], [0.07, 0.5, 0.01, [-0.19732511679533382, 0.33732511679533383]], [-0.004, 0.999, 0.05, [-6.25929837434251, 6.251298374342511]]];

const METHODS = ['holm', 'benjamini_hochberg'] as const;

describe('adjustPValues (statsmodels multipletests)', () => {
  const cases = Object.entries(ADJUSTED).flatMap(([name, c]) => METHODS.map((method) => [name, method, c] as const));
  it.each(cases)('%s, %s', (_name, method, c) => {
    const adjusted = adjustPValues(c.p, method);
    expect(adjusted).toHaveLength(c.p.length);
    adjusted.forEach((a, i) => expectClose(a, c[method][i]!, 1e-12));
  });

  it('knows its corrections; none returns a copy of the p-values', () => {
    expect(CORRECTIONS).toEqual(['none', 'holm', 'benjamini_hochberg']);
    const p = [0.3, 0.01, 1];
    const same = adjustPValues(p, 'none');
    expect(same).toEqual(p);
    expect(same).not.toBe(p);
    for (const method of CORRECTIONS) expect(adjustPValues([], method)).toEqual([]);
  });

  it('gives tied p-values equal adjusted values and leaves a single p-value alone', () => {
    for (const method of METHODS) {
      const adjusted = adjustPValues([0.02, 0.5, 0.02, 0.02], method);
      expect(adjusted[0]).toBe(adjusted[2]);
      expect(adjusted[0]).toBe(adjusted[3]);
      expect(adjustPValues([0.03], method)).toEqual([0.03]);
    }
  });

  it('is ≥ the raw p, ≤ 1, keeps their order, and Holm is never below BH (seeded random vectors)', () => {
    const random = mulberry32(7);
    const violations: string[] = [];
    for (let trial = 0; trial < 500; trial++) {
      const m = 1 + Math.floor(random() * 30);
      // a mix of small, tied, 0 and 1 values
      const p = Array.from({ length: m }, () => {
        const u = random();
        return u < 0.05 ? 0 : u < 0.1 ? 1 : u < 0.2 ? 0.01 : random() ** 3;
      });
      const holm = adjustPValues(p, 'holm');
      const bh = adjustPValues(p, 'benjamini_hochberg');
      for (const [method, adjusted] of [['holm', holm], ['bh', bh]] as const) {
        adjusted.forEach((a, i) => {
          if (!(a >= p[i]! && a <= 1)) violations.push(`${method}: ${a} for p = ${p[i]}`);
          for (let j = 0; j < m; j++) if (p[j]! < p[i]! && adjusted[j]! > a) violations.push(`${method}: order of ${p[j]} and ${p[i]}`);
        });
      }
      holm.forEach((h, i) => {
        if (h < bh[i]! * (1 - 1e-15)) violations.push(`holm ${h} < bh ${bh[i]}`);
      });
    }
    expect(violations).toEqual([]);
  });

  it('rejects p-values outside [0, 1], NaN and unknown methods', () => {
    for (const bad of [Number.NaN, -0.01, 1.01, Number.POSITIVE_INFINITY]) {
      for (const method of CORRECTIONS) expect(() => adjustPValues([0.1, bad], method)).toThrow(RangeError);
    }
    expect(() => adjustPValues([0.1], 'bonferroni' as Correction)).toThrow(RangeError);
  });
});

describe('adjustedInterval (gbstats adjustedCI)', () => {
  it.each(ADJUSTED_CI)('lift %s, p_adj %s, alpha %s', (lift, p, alpha, [lower, upper]) => {
    const [l, u] = adjustedInterval(lift, p, alpha);
    expectClose(l, lower);
    expectClose(u, upper);
  });

  it('with p_adj = the unadjusted two-sided z-test p-value, gives back the z interval lift ± z·SE', () => {
    for (const [lift, se] of [[0.08, 0.0448678058300158], [-0.03, 0.01], [0.5, 0.7]] as const) {
      const p = 2 * normalCdf(-Math.abs(lift / se));
      const z = normalQuantile(0.975);
      const [l, u] = adjustedInterval(lift, p, 0.05);
      expectClose(l, lift - z * se, 1e-12);
      expectClose(u, lift + z * se, 1e-12);
    }
  });

  it('p_adj = 1 → (−∞, ∞); p_adj = 0 → [lift, lift]; lift = 0 → [0, 0] (documented degenerate case)', () => {
    expect(adjustedInterval(0.1, 1, 0.05)).toEqual([Number.NEGATIVE_INFINITY, Number.POSITIVE_INFINITY]);
    expect(adjustedInterval(0, 1, 0.05)).toEqual([Number.NEGATIVE_INFINITY, Number.POSITIVE_INFINITY]);
    expect(adjustedInterval(0.1, 0, 0.05)).toEqual([0.1, 0.1]);
    expect(adjustedInterval(-0.1, 0, 0.05)).toEqual([-0.1, -0.1]);
    expect(adjustedInterval(0, 0.3, 0.05)).toEqual([0, 0]);
    // Nearly 1: finite but very wide; tiny: still narrower than the estimate itself.
    const [l, u] = adjustedInterval(0.1, 1 - 1e-12, 0.05);
    expect(l).toBeLessThan(-1e9);
    expect(u).toBeGreaterThan(1e9);
    const [l2, u2] = adjustedInterval(0.1, 1e-300, 0.05);
    expect(l2).toBeGreaterThan(0.09);
    expect(u2).toBeLessThan(0.11);
  });

  it('touches 0 exactly when p_adj = alpha', () => {
    expect(adjustedInterval(0.1, 0.05, 0.05)[0]).toBe(0);
    expect(adjustedInterval(-0.1, 0.05, 0.05)[1]).toBe(0);
  });

  it('excludes 0 if and only if p_adj < alpha (property, seeded)', () => {
    const random = mulberry32(20240602);
    const alphas = [0.001, 0.01, 0.05, 0.1, 0.2];
    const violations: string[] = [];
    let excluded = 0;
    for (let trial = 0; trial < 20_000; trial++) {
      const alpha = trial % 2 === 0 ? alphas[trial % alphas.length]! : 0.001 + random() * 0.5;
      const u = random();
      // a third right next to alpha, the rest anywhere in (0, 1)
      const p = u < 0.15 ? alpha * (1 + (random() - 0.5) * 1e-9) : u < 0.3 ? alpha : random();
      const lift = (random() - 0.5) * 10 ** (4 * random() - 3);
      if (lift === 0) continue;
      const [lower, upper] = adjustedInterval(lift, p, alpha);
      const excludesZero = lower > 0 || upper < 0;
      if (!(lower <= lift && upper >= lift) || excludesZero !== p < alpha) violations.push(`lift ${lift}, p ${p}, alpha ${alpha}: [${lower}, ${upper}]`);
      if (excludesZero) excluded++;
    }
    expect(violations).toEqual([]);
    expect(excluded).toBeGreaterThan(1000); // both sides of the equivalence were exercised
    expect(excluded).toBeLessThan(19_000);
  });

  it('widens as the correction grows (Holm over 5 p-values, then the intervals)', () => {
    const p = [0.01, 0.04, 0.03, 0.005, 0.2];
    const lifts = [0.05, 0.03, -0.04, 0.08, 0.01];
    const holm = adjustPValues(p, 'holm');
    lifts.forEach((lift, i) => {
      const raw = adjustedInterval(lift, p[i]!, 0.05);
      const adjusted = adjustedInterval(lift, holm[i]!, 0.05);
      expect(adjusted[0]).toBeLessThanOrEqual(raw[0]);
      expect(adjusted[1]).toBeGreaterThanOrEqual(raw[1]);
    });
  });

  it('rejects malformed input', () => {
    expect(() => adjustedInterval(Number.NaN, 0.1, 0.05)).toThrow(RangeError);
    expect(() => adjustedInterval(Number.POSITIVE_INFINITY, 0.1, 0.05)).toThrow(RangeError);
    expect(() => adjustedInterval(0.1, -0.1, 0.05)).toThrow(RangeError);
    expect(() => adjustedInterval(0.1, 1.5, 0.05)).toThrow(RangeError);
    expect(() => adjustedInterval(0.1, Number.NaN, 0.05)).toThrow(RangeError);
    expect(() => adjustedInterval(0.1, 0.1, 0)).toThrow(RangeError);
    expect(() => adjustedInterval(0.1, 0.1, 1)).toThrow(RangeError);
  });
});
