import { chiSquareSf, studentTCdf, studentTQuantile, studentTSf } from './distributions';

/**
 * A/B experiment statistics with GrowthBook's frequentist conventions (gbstats, ANCHORS-ML §B.2),
 * so a team moving from GrowthBook sees the same numbers: per-arm sufficient statistics in, Welch
 * t-test on the relative lift (μB − μA)/|μA| with delta-method variance out, plus always-valid
 * confidence sequences and the sample-ratio-mismatch check. Pure functions on plain numbers.
 *
 * Variance conventions (as gbstats' ProportionStatistic and SampleMeanStatistic):
 * - binomial: p(1 − p), no n − 1 correction;
 * - continuous: (Σx² − (Σx)²/n)/(n − 1).
 *
 * Malformed inputs (negative or non-finite counts, more conversions than units) throw a RangeError.
 * Well-formed data that cannot support a test (an arm with < 2 units, a control mean of 0, zero
 * variance) returns `{ status: 'not_enough_data', reason }`, never NaN.
 *
 * The Student t and chi-square distributions live in ./distributions.
 */

// ---------------------------------------------------------------------------------------------
// Comparing two arms

export type BinomialArm = { units: number; conversions: number };
export type ContinuousArm = { units: number; sum: number; sumSquares: number };
export type MetricType = 'binomial' | 'continuous';
/** 'greater': H₁ treatment mean > control mean; 'less': H₁ treatment < control. Only with sides 1. */
export type Alternative = 'greater' | 'less';

export type TestOptions = {
  metricType: MetricType;
  alpha?: number;
  sides?: 1 | 2;
  alternative?: Alternative;
};

export type NotEnoughData = {
  status: 'not_enough_data';
  reason: 'empty_arm' | 'zero_control_mean' | 'zero_variance';
  message: string;
};

export type ArmComparison = {
  status: 'ok';
  meanA: number;
  meanB: number;
  absoluteDiff: number;
  /** (μB − μA)/|μA| */
  relativeLift: number;
  /** one-sided intervals are open on one side (±Infinity) */
  relativeCi: [number, number];
  absoluteCi: [number, number];
  /** of the relative lift (GrowthBook's default difference type) */
  pValue: number;
  significant: boolean;
  /** Welch–Satterthwaite */
  df: number;
  /** standard error of the relative lift (delta method) */
  se: number;
  absoluteSe: number;
};

type Moments = { n: number; mean: number; variance: number };

function requireFinite(name: string, value: number, min = Number.NEGATIVE_INFINITY): void {
  if (!Number.isFinite(value) || value < min) throw new RangeError(`${name} must be a finite number ≥ ${min}, got ${value}`);
}

function momentsOf(arm: BinomialArm | ContinuousArm, metricType: MetricType, label: string): Moments {
  requireFinite(`${label} units`, arm.units, 0);
  const n = arm.units;
  if (metricType === 'binomial') {
    if (!('conversions' in arm)) throw new RangeError(`${label}: a binomial metric needs { units, conversions }`);
    requireFinite(`${label} conversions`, arm.conversions, 0);
    if (arm.conversions > n) throw new RangeError(`${label}: conversions cannot exceed units`);
    const p = n > 0 ? arm.conversions / n : 0;
    return { n, mean: p, variance: p * (1 - p) };
  }
  if (!('sum' in arm)) throw new RangeError(`${label}: a continuous metric needs { units, sum, sumSquares }`);
  requireFinite(`${label} sum`, arm.sum);
  requireFinite(`${label} sumSquares`, arm.sumSquares, 0);
  if (n < 2) return { n, mean: n > 0 ? arm.sum / n : 0, variance: 0 };
  // Clamped: Σx² − (Σx)²/n can round to a tiny negative number for a constant metric.
  return { n, mean: arm.sum / n, variance: Math.max(0, (arm.sumSquares - (arm.sum * arm.sum) / n) / (n - 1)) };
}

function resolveOptions(options: TestOptions) {
  const { alpha = 0.05, sides = 2, alternative = 'greater' } = options;
  if (!(alpha > 0 && alpha < 0.5)) throw new RangeError(`alpha must be in (0, 0.5), got ${alpha}`);
  return { alpha, sides, alternative };
}

type Core = { a: Moments; b: Moments; lift: number; se: number; absoluteDiff: number; absoluteSe: number; df: number };

/** Shared by the fixed-horizon and the sequential test: moments, lift, SEs, Welch df — or why not. */
function core(control: BinomialArm | ContinuousArm, treatment: BinomialArm | ContinuousArm, metricType: MetricType): Core | NotEnoughData {
  const a = momentsOf(control, metricType, 'control');
  const b = momentsOf(treatment, metricType, 'treatment');
  if (a.n < 2 || b.n < 2) return { status: 'not_enough_data', reason: 'empty_arm', message: 'Each arm needs at least 2 units' };
  if (a.mean === 0) {
    return { status: 'not_enough_data', reason: 'zero_control_mean', message: 'The control mean is 0, so a relative lift is undefined' };
  }
  const va = a.variance / a.n;
  const vb = b.variance / b.n;
  // Delta method, cov = 0 (gbstats variance_of_ratios): Var(μB/μA) ≈ vB/μA² + vA·μB²/μA⁴.
  const relativeVariance = vb / a.mean ** 2 + (va * b.mean ** 2) / a.mean ** 4;
  if (!(relativeVariance > 0)) {
    return { status: 'not_enough_data', reason: 'zero_variance', message: 'The lift has zero variance (no spread in the data yet)' };
  }
  const df = (va + vb) ** 2 / (vb ** 2 / (b.n - 1) + va ** 2 / (a.n - 1));
  return {
    a,
    b,
    lift: (b.mean - a.mean) / Math.abs(a.mean),
    se: Math.sqrt(relativeVariance),
    absoluteDiff: b.mean - a.mean,
    absoluteSe: Math.sqrt(va + vb),
    df,
  };
}

/** Interval around `estimate` of half-width `width`, open on the side a one-sided test does not bound. */
function interval(estimate: number, width: number, sides: 1 | 2, alternative: Alternative): [number, number] {
  if (sides === 2) return [estimate - width, estimate + width];
  return alternative === 'greater' ? [estimate - width, Number.POSITIVE_INFINITY] : [Number.NEGATIVE_INFINITY, estimate + width];
}

/**
 * Fixed-horizon Welch t-test (gbstats TwoSidedTTest / OneSided*TTest). With SE the delta-method
 * standard error of the relative lift Δ and ν the Welch–Satterthwaite df
 * (vA + vB)² / (vA²/(nA − 1) + vB²/(nB − 1)), vX = σX²/nX:
 * - two-sided: p = 2·P(T_ν ≥ |Δ/SE|), CI = Δ ± t_{1−α/2, ν}·SE;
 * - one-sided 'greater': p = P(T_ν ≥ Δ/SE), CI = [Δ − t_{1−α, ν}·SE, ∞); 'less' mirrors it.
 * The absolute CI uses the same ν with SE_abs = √(vA + vB).
 */
export function compareArms<Arm extends BinomialArm | ContinuousArm>(
  control: Arm,
  treatment: Arm,
  options: TestOptions,
): ArmComparison | NotEnoughData {
  const { alpha, sides, alternative } = resolveOptions(options);
  const c = core(control, treatment, options.metricType);
  if ('status' in c) return c;
  const tStat = c.lift / c.se;
  const pValue = sides === 2 ? Math.min(1, 2 * studentTSf(Math.abs(tStat), c.df)) : alternative === 'greater' ? studentTSf(tStat, c.df) : studentTCdf(tStat, c.df);
  const critical = studentTQuantile(1 - alpha / sides, c.df);
  return {
    status: 'ok',
    meanA: c.a.mean,
    meanB: c.b.mean,
    absoluteDiff: c.absoluteDiff,
    relativeLift: c.lift,
    relativeCi: interval(c.lift, critical * c.se, sides, alternative),
    absoluteCi: interval(c.absoluteDiff, critical * c.absoluteSe, sides, alternative),
    pValue,
    significant: pValue < alpha,
    df: c.df,
    se: c.se,
    absoluteSe: c.absoluteSe,
  };
}

// ---------------------------------------------------------------------------------------------
// Sequential testing

export const DEFAULT_SEQUENTIAL_TUNING = 5000;

export type SequentialResult = {
  status: 'ok';
  method: 'asymptotic-confidence-sequence';
  nStar: number;
  /** nA + nB */
  n: number;
  relativeLift: number;
  relativeCi: [number, number];
  /** anytime-valid p-value */
  pValue: number;
  significant: boolean;
  se: number;
  /** half-width / SE; 1.959964 would be the fixed-horizon two-sided 95 % value */
  multiplier: number;
};

/** ρ² = (−2 ln α + ln(1 − 2 ln α))/N*  (Waudby-Smith et al. 2023, eq. 161). */
const rhoSquared = (alpha: number, nStar: number) => (-2 * Math.log(alpha) + Math.log(1 - 2 * Math.log(alpha))) / nStar;

/**
 * Half-width / SE of the asymptotic confidence sequence at N = nA + nB units. With s² = SE²·N:
 * - two-sided: hw = s·√(2(Nρ² + 1)·ln(√(Nρ² + 1)/α) / (Nρ)²), ρ from α;
 * - one-sided: hw = s·√(2(Nρ² + 1)·ln(1 + √(Nρ² + 1)/(2α)) / (Nρ)²), ρ from 2α;
 * so the multiplier is √(2(Nρ² + 1)·ln(·)/(Nρ²)).
 */
/**
 * The two-sided multiplier at level `level` of the sequence whose mixture is tuned (ρ) at
 * `tunedAlpha`. Any fixed ρ gives a valid sequence; keeping ρ fixed makes the interval exactly dual
 * to the two-sided p-value min(1, 1/E) computed with the same ρ: the interval at level a excludes
 * 0 ⇔ p < a. That is what multiple-comparison intervals need (experiment-results).
 */
export function sequentialMultiplierAt(n: number, tunedAlpha: number, level: number, nStar: number): number {
  const r2 = rhoSquared(tunedAlpha, nStar);
  const v = n * r2 + 1;
  return Math.sqrt((2 * v * Math.log(Math.sqrt(v) / level)) / (n * r2));
}

export function sequentialMultiplier(n: number, alpha: number, nStar: number, sides: 1 | 2): number {
  const r2 = rhoSquared(sides === 2 ? alpha : 2 * alpha, nStar);
  const v = n * r2 + 1;
  const log = sides === 2 ? Math.log(Math.sqrt(v) / alpha) : Math.log(1 + Math.sqrt(v) / (2 * alpha));
  return Math.sqrt((2 * v * log) / (n * r2));
}

const P_FLOOR = 1e-10;
const P_CEILING = 0.4999;

/** The α in [P_FLOOR, P_CEILING] with the smallest one-sided multiplier (unimodal: golden section). */
function argminMultiplier(n: number, nStar: number): number {
  const g = (Math.sqrt(5) - 1) / 2;
  let lo = P_FLOOR;
  let hi = P_CEILING;
  while (hi - lo > 1e-12) {
    const x1 = hi - g * (hi - lo);
    const x2 = lo + g * (hi - lo);
    if (sequentialMultiplier(n, x1, nStar, 1) < sequentialMultiplier(n, x2, nStar, 1)) hi = x2;
    else lo = x1;
  }
  return (lo + hi) / 2;
}

/**
 * Asymptotic confidence sequence for the relative lift (Waudby-Smith, Arbour, Sinha, Kennedy &
 * Ramdas, "Time-uniform central limit theory and asymptotic confidence sequences", 2023, eq. 9
 * with ρ from eq. 161), in the form GrowthBook's gbstats implements (ANCHORS-ML §B.2–B.3; Eppo's
 * formula is the same with ρ_Eppo = 1/ρ²). The interval Δ ± multiplier(N)·SE covers the true lift
 * at every look simultaneously with probability ≥ 1 − α (asymptotically), so the page may be
 * watched continuously. N* (default 5,000 units) is where the sequence is tightest.
 *
 * p-value, two-sided (gbstats): min(1, 1/E), E = exp(ρ²·N·z²/(2(Nρ² + 1)))/√(Nρ² + 1), z = Δ/SE.
 * One-sided: the smallest α in [1e-10, 0.4999] whose one-sided sequence excludes 0, found by
 * bisection (gbstats bisects over [1e-5, 0.4999]); 1 when no α in that range does. Not a running minimum over
 * looks (as gbstats).
 */
export function sequentialCi<Arm extends BinomialArm | ContinuousArm>(
  control: Arm,
  treatment: Arm,
  options: TestOptions & { nStar?: number },
): SequentialResult | NotEnoughData {
  const { alpha, sides, alternative } = resolveOptions(options);
  const nStar = options.nStar ?? DEFAULT_SEQUENTIAL_TUNING;
  if (!(nStar > 0 && Number.isFinite(nStar))) throw new RangeError(`N* must be a positive number, got ${nStar}`);
  const c = core(control, treatment, options.metricType);
  if ('status' in c) return c;
  const n = c.a.n + c.b.n;
  const z = c.lift / c.se;
  const multiplier = sequentialMultiplier(n, alpha, nStar, sides);
  let pValue: number;
  if (sides === 2) {
    const r2 = rhoSquared(alpha, nStar);
    const v = n * r2 + 1;
    pValue = Math.min(1, Math.exp(-(r2 * n * z * z) / (2 * v)) * Math.sqrt(v));
  } else {
    const towardH1 = alternative === 'greater' ? z : -z;
    const excludes = (a: number) => towardH1 > sequentialMultiplier(n, a, nStar, 1);
    // The multiplier falls with α and then rises again near ½ (ρ, tuned with 2α, goes to 0), so
    // the α's that reject form an interval: find its left end below the multiplier's minimum.
    const best = argminMultiplier(n, nStar);
    if (!excludes(best)) pValue = 1;
    else if (excludes(P_FLOOR)) pValue = P_FLOOR;
    else {
      let lo = P_FLOOR;
      let hi = best;
      for (let i = 0; i < 200 && hi - lo > 1e-15; i++) {
        const mid = (lo + hi) / 2;
        if (excludes(mid)) hi = mid;
        else lo = mid;
      }
      pValue = hi;
    }
  }
  return {
    status: 'ok',
    method: 'asymptotic-confidence-sequence',
    nStar,
    n,
    relativeLift: c.lift,
    relativeCi: interval(c.lift, multiplier * c.se, sides, alternative),
    pValue,
    significant: pValue < alpha,
    se: c.se,
    multiplier,
  };
}

// ---------------------------------------------------------------------------------------------
// Sample ratio mismatch

export const SRM_THRESHOLD = 0.001;

export type SrmResult =
  | { status: 'ok'; statistic: number; df: number; pValue: number; flagged: boolean; expected: number[] }
  | { status: 'not_enough_data'; reason: 'no_units'; message: string };

/**
 * Pearson χ² goodness of fit of units per arm against the planned allocation (gbstats check_srm):
 * eᵢ = wᵢ/Σw · N, χ² = Σ(oᵢ − eᵢ)²/eᵢ, df = k − 1, p = P(χ²_df ≥ χ²). Flagged when p < threshold
 * (GrowthBook's default 0.001: SRM fires rarely by chance, and when it does the split is broken).
 */
export function srmCheck(unitsPerArm: readonly number[], allocation: readonly number[], threshold = SRM_THRESHOLD): SrmResult {
  if (unitsPerArm.length < 2 || unitsPerArm.length !== allocation.length) {
    throw new RangeError('SRM needs at least 2 arms and one allocation weight per arm');
  }
  unitsPerArm.forEach((u, i) => requireFinite(`units of arm ${i}`, u, 0));
  allocation.forEach((w, i) => {
    if (!(w > 0 && Number.isFinite(w))) throw new RangeError(`allocation of arm ${i} must be > 0, got ${w}`);
  });
  const total = unitsPerArm.reduce((s, u) => s + u, 0);
  if (total === 0) return { status: 'not_enough_data', reason: 'no_units', message: 'No units have been assigned yet' };
  const weights = allocation.reduce((s, w) => s + w, 0);
  const expected = allocation.map((w) => (w / weights) * total);
  const statistic = unitsPerArm.reduce((s, o, i) => s + (o - expected[i]!) ** 2 / expected[i]!, 0);
  const df = unitsPerArm.length - 1;
  const pValue = chiSquareSf(statistic, df);
  return { status: 'ok', statistic, df, pValue, flagged: pValue < threshold, expected };
}
