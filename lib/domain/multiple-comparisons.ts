import { normalQuantile } from './statistics';

/**
 * Multiple-comparison corrections as GrowthBook applies them (ANCHORS-ML §B.2, `packages/shared`
 * experiments.ts): when one experiment reports many p-values (goal metrics × variations ×
 * dimensions, guardrails excluded), each is adjusted before it is compared with α, and the
 * confidence interval is back-solved from the adjusted p-value so that the interval and the
 * verdict keep agreeing.
 *
 * - 'holm' (Holm–Bonferroni, controls the family-wise error rate): sort ascending,
 *   p₍ᵢ₎·(m − i) for i = 0 … m − 1, capped at 1, then a running maximum.
 * - 'benjamini_hochberg' (controls the false discovery rate): sort descending,
 *   p·m/(m − i), capped at 1, then a running minimum (equivalently p₍ₖ₎·m/k over ranks k, made
 *   monotone from the largest p down).
 * - 'none': the p-values unchanged.
 *
 * Results come back in input order; ties get equal adjusted values; every adjusted p is ≥ its raw
 * p, ≤ 1, and the adjustment keeps the order of the raw p-values. The same numbers as statsmodels'
 * multipletests 'holm' and 'fdr_bh' (tests/unit/reference/multiple-comparisons.py).
 *
 * A p-value outside [0, 1] or NaN throws a RangeError.
 */

export const CORRECTIONS = ['none', 'holm', 'benjamini_hochberg'] as const;
export type Correction = (typeof CORRECTIONS)[number];

function requireProbability(name: string, p: number): void {
  if (!(p >= 0 && p <= 1)) throw new RangeError(`${name} must be a probability in [0, 1], got ${p}`);
}

/** Indices of `values` ordered by value (stable, so tied p-values keep their input order). */
const orderBy = (values: readonly number[], direction: 1 | -1) =>
  values.map((_, i) => i).sort((i, j) => direction * (values[i]! - values[j]!));

/** Adjusted p-values, in the order of `pValues` (see the procedures above). */
export function adjustPValues(pValues: readonly number[], method: Correction): number[] {
  if (!(CORRECTIONS as readonly string[]).includes(method)) throw new RangeError(`Unknown correction ${String(method)}`);
  pValues.forEach((p, i) => requireProbability(`p-value ${i}`, p));
  const m = pValues.length;
  if (method === 'none' || m === 0) return [...pValues];
  const adjusted = new Array<number>(m);
  if (method === 'holm') {
    let runningMax = 0;
    orderBy(pValues, 1).forEach((index, i) => {
      runningMax = Math.max(runningMax, Math.min(1, pValues[index]! * (m - i)));
      adjusted[index] = runningMax;
    });
  } else {
    let runningMin = 1;
    orderBy(pValues, -1).forEach((index, i) => {
      // p·(m/(m − i)) rather than gbstats' (p·m)/(m − i): the same up to an ulp, and never below p.
      runningMin = Math.min(runningMin, Math.min(1, pValues[index]! * (m / (m - i))));
      adjusted[index] = runningMin;
    });
  }
  return adjusted;
}

/**
 * GrowthBook's interval for an adjusted p-value (gbstats `adjustedCI`), kept as the reference
 * convention: Flightdeck's results use the test's own interval at level α·p/p_adj instead
 * (experiment-results `adjustedTestInterval`, finite when a sequential p is 1), and the tests check
 * that both reach the same verdict. Read the
 * standard error back from the estimate and its p-value under a normal approximation,
 * sd_adj = |lift / Φ⁻¹(1 − p_adj/2)|, then CI = lift ± Φ⁻¹(1 − α/2)·sd_adj. It excludes 0 exactly
 * when p_adj < α, so the interval and the adjusted verdict agree.
 *
 * Edges:
 * - p_adj = 1 → (−∞, ∞): no evidence at all (Φ⁻¹(½) = 0 would divide by zero);
 * - p_adj = 0 → [lift, lift]: the back-solved standard error is 0;
 * - lift = 0 with p_adj < 1 → [0, 0], as gbstats: a zero estimate carries no standard error to
 *   back-solve (and cannot arise from a two-sided test, whose p-value at Δ = 0 is 1).
 * GrowthBook's report then keeps the unadjusted interval whenever this one is not wider (it can
 * be narrower when p_adj = p, because it uses normal rather than t quantiles), and shows (−∞, ∞)
 * from p_adj > 0.999999; callers that show both intervals should do the same.
 *
 * Computed as lift ± |lift|·r with r = Φ⁻¹(1 − α/2)/Φ⁻¹(1 − p_adj/2), and Φ⁻¹(1 − q) as −Φ⁻¹(q) so
 * that tiny p-values keep their digits; the bound nearest 0 is lift·(1 − r), whose sign is that of
 * 1 − r, so "excludes 0 ⇔ p_adj < α" holds in floating point too (r = 1 exactly at p_adj = α).
 */
export function adjustedInterval(lift: number, adjustedP: number, alpha: number): [number, number] {
  if (!Number.isFinite(lift)) throw new RangeError(`lift must be a finite number, got ${lift}`);
  requireProbability('adjusted p-value', adjustedP);
  if (!(alpha > 0 && alpha < 1)) throw new RangeError(`alpha must be in (0, 1), got ${alpha}`);
  if (adjustedP === 1) return [Number.NEGATIVE_INFINITY, Number.POSITIVE_INFINITY];
  if (lift === 0) return [0, 0];
  const r = -normalQuantile(alpha / 2) / -normalQuantile(adjustedP / 2); // p_adj = 0: r = 0
  const near = lift * (1 - r) + 0; // + 0: −0 → 0 at p_adj = α with a negative lift
  const far = lift * (1 + r);
  return lift > 0 ? [near, far] : [far, near];
}
