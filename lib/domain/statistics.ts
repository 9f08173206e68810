/**
 * The statistics behind the canary judge: the normal distribution, a two-proportion z-test for
 * counters (error rate, conversion), Mann–Whitney U on latency histograms, histogram quantiles and
 * the smallest effect a given amount of traffic can detect. Pure functions on plain numbers, so the
 * judge, the release page and a retrospective replay compute the same p-value from the same counts.
 *
 * Inputs that cannot describe a sample (negative counts, more errors than requests, NaN) throw a
 * RangeError: callers validate measurements first and decide what "no data" means for them.
 */

// ---------------------------------------------------------------------------------------------
// Normal distribution

/*
 * Φ(z): W. J. Cody's rational Chebyshev approximations (ACM TOMS Algorithm 715, 1993), in the form
 * R's pnorm_both uses (src/nmath/pnorm.c): three ranges, relative error near double precision in
 * both tails, which matters because p-values are tail areas.
 */
const CODY_A = [2.2352520354606839287, 161.02823106855587881, 1067.6894854603709582, 18154.981253343561249, 0.065682337918207449113] as const;
const CODY_B = [47.20258190468824187, 976.09855173777669322, 10260.932208618978205, 45507.789335026729956] as const;
const CODY_C = [
  0.39894151208813466764, 8.8831497943883759412, 93.506656132177855979, 597.27027639480026226, 2494.5375852903726711,
  6848.1904505362823326, 11602.651437647350124, 9842.7148383839780218, 1.0765576773720192317e-8,
] as const;
const CODY_D = [
  22.266688044328115691, 235.38790178262499861, 1519.377599407554805, 6485.558298266760755, 18615.571640885098091,
  34900.952721145977266, 38912.003286093271411, 19685.429676859990727,
] as const;
const CODY_P = [0.21589853405795699, 0.1274011611602473639, 0.022235277870649807, 0.001421619193227893466, 2.9112874951168792e-5, 0.02307344176494017303] as const;
const CODY_Q = [1.28426009614491121, 0.468238212480865118, 0.0659881378689285515, 0.00378239633202758244, 7.29751555083966205e-5] as const;
const ONE_OVER_SQRT_2PI = 0.398942280401432677939946059934;
const SQRT_32 = 5.656854249492380195206754896838;

/** exp(−x²/2), split as in pnorm.c so the square is exact for the leading part (x rounded down to 1/16). */
function gaussianFactor(x: number): number {
  const xsq = Math.trunc(x * 16) / 16;
  const del = (x - xsq) * (x + xsq);
  return Math.exp(-xsq * xsq * 0.5) * Math.exp(-del * 0.5);
}

/** Standard normal CDF Φ(z) = P(Z ≤ z). Accurate to about 1e-15 (relative in the lower tail). */
export function normalCdf(z: number): number {
  if (Number.isNaN(z)) return Number.NaN;
  const y = Math.abs(z);
  if (y <= 0.67448975) {
    let xnum = 0;
    let xden = 0;
    if (y > Number.EPSILON / 2) {
      const xsq = z * z;
      xnum = CODY_A[4] * xsq;
      xden = xsq;
      for (let i = 0; i < 3; i++) {
        xnum = (xnum + CODY_A[i]!) * xsq;
        xden = (xden + CODY_B[i]!) * xsq;
      }
    }
    return 0.5 + (z * (xnum + CODY_A[3])) / (xden + CODY_B[3]);
  }
  // upper: P(Z > |z|), computed directly so it keeps its relative accuracy.
  let upper: number;
  if (y <= SQRT_32) {
    let xnum = CODY_C[8] * y;
    let xden = y;
    for (let i = 0; i < 7; i++) {
      xnum = (xnum + CODY_C[i]!) * y;
      xden = (xden + CODY_D[i]!) * y;
    }
    upper = gaussianFactor(y) * ((xnum + CODY_C[7]) / (xden + CODY_D[7]));
  } else if (y < 37.5193) {
    const xsq = 1 / (y * y);
    let xnum = CODY_P[5] * xsq;
    let xden = xsq;
    for (let i = 0; i < 4; i++) {
      xnum = (xnum + CODY_P[i]!) * xsq;
      xden = (xden + CODY_Q[i]!) * xsq;
    }
    const temp = (xsq * (xnum + CODY_P[4])) / (xden + CODY_Q[4]);
    upper = gaussianFactor(y) * ((ONE_OVER_SQRT_2PI - temp) / y);
  } else {
    upper = 0; // below the smallest double
  }
  return z > 0 ? 1 - upper : upper;
}

/** Horner evaluation, coefficients from the highest power down. */
const horner = (coefficients: readonly number[], x: number) => coefficients.reduce((acc, c) => acc * x + c, 0);

/*
 * Φ⁻¹(p): M. J. Wichura, Algorithm AS 241 (PPND16), Applied Statistics 37(3), 477–484 (1988);
 * relative accuracy about 1e-16. The same coefficients as CPython's statistics.NormalDist.inv_cdf
 * and R's qnorm. Listed from the highest power down (for horner).
 */
const AS241_A = [2509.0809287301226727, 33430.575583588128105, 67265.770927008700853, 45921.953931549871457, 13731.693765509461125, 1971.5909503065514427, 133.14166789178437745, 3.387132872796366608];
const AS241_B = [5226.495278852854561, 28729.085735721942674, 39307.89580009271061, 21213.794301586595867, 5394.1960214247511077, 687.1870074920579083, 42.313330701600911252, 1];
const AS241_C = [7.7454501427834140764e-4, 0.0227238449892691845833, 0.24178072517745061177, 1.27045825245236838258, 3.64784832476320460504, 5.7694972214606914055, 4.6303378461565452959, 1.42343711074968357734];
const AS241_D = [1.05075007164441684324e-9, 5.475938084995344946e-4, 0.0151986665636164571966, 0.14810397642748007459, 0.68976733498510000455, 1.6763848301838038494, 2.05319162663775882187, 1];
const AS241_E = [2.01033439929228813265e-7, 2.71155556874348757815e-5, 0.0012426609473880784386, 0.026532189526576123093, 0.29656057182850489123, 1.7848265399172913358, 5.4637849111641143699, 6.6579046435011037772];
const AS241_F = [2.04426310338993978564e-15, 1.4215117583164458887e-7, 1.8463183175100546818e-5, 7.868691311456132591e-4, 0.0148753612908506148525, 0.13692988092273580531, 0.59983220655588793769, 1];

/** The z with Φ(z) = p. p = 0 → −∞, p = 1 → +∞; outside [0, 1] → RangeError. */
export function normalQuantile(p: number): number {
  if (!(p >= 0 && p <= 1)) throw new RangeError(`A probability must be in [0, 1], got ${p}`);
  if (p === 0) return Number.NEGATIVE_INFINITY;
  if (p === 1) return Number.POSITIVE_INFINITY;
  const q = p - 0.5;
  if (Math.abs(q) <= 0.425) {
    const r = 0.180625 - q * q;
    return (q * horner(AS241_A, r)) / horner(AS241_B, r);
  }
  let r = Math.sqrt(-Math.log(q < 0 ? p : 1 - p));
  let x: number;
  if (r <= 5) {
    r -= 1.6;
    x = horner(AS241_C, r) / horner(AS241_D, r);
  } else {
    r -= 5;
    x = horner(AS241_E, r) / horner(AS241_F, r);
  }
  return q < 0 ? -x : x;
}

// ---------------------------------------------------------------------------------------------
// Counters: two-proportion z-test

export type TwoProportionResult = {
  p1: number;
  p2: number;
  /** p2 − p1 */
  diff: number;
  /** p2 / p1 − 1; null when p1 = 0 */
  relative: number | null;
  z: number;
  /** two-sided: P(|Z| ≥ |z|) */
  pValue: number;
  /** one-sided, alternative p2 > p1: P(Z ≥ z) */
  pValueGreater: number;
};

function requireCount(name: string, value: number): void {
  if (!Number.isFinite(value) || value < 0) throw new RangeError(`${name} must be a finite count ≥ 0, got ${value}`);
}

/**
 * Two-sample z-test for proportions with the pooled standard error (sample 1 = baseline,
 * sample 2 = canary): p̂ = (x1 + x2)/(n1 + n2), SE = √(p̂(1 − p̂)(1/n1 + 1/n2)), z = (p2 − p1)/SE.
 * z² is Pearson's χ² on the 2×2 table without Yates' correction (scipy.stats.chi2_contingency(…,
 * correction=False)), so the two-sided p-values agree. Counts need not be integers (rates
 * integrated over an interval). When SE = 0 (no events anywhere, or only events) there is no
 * evidence either way: z = 0, pValue = 1, pValueGreater = 0.5.
 */
export function twoProportionTest({ n1, x1, n2, x2 }: { n1: number; x1: number; n2: number; x2: number }): TwoProportionResult {
  for (const [name, value] of [['n1', n1], ['x1', x1], ['n2', n2], ['x2', x2]] as const) requireCount(name, value);
  if (n1 === 0 || n2 === 0) throw new RangeError('Both samples need at least one observation');
  if (x1 > n1 || x2 > n2) throw new RangeError('Events cannot exceed observations');
  const p1 = x1 / n1;
  const p2 = x2 / n2;
  const pooled = (x1 + x2) / (n1 + n2);
  const se = Math.sqrt(pooled * (1 - pooled) * (1 / n1 + 1 / n2));
  const diff = p2 - p1;
  const z = se > 0 ? diff / se : 0;
  return {
    p1,
    p2,
    diff,
    relative: p1 === 0 ? null : p2 / p1 - 1,
    z,
    pValue: Math.min(1, 2 * normalCdf(-Math.abs(z))),
    pValueGreater: normalCdf(-z),
  };
}

// ---------------------------------------------------------------------------------------------
// Histograms

/** One histogram bucket: `count` observations with value ≤ `le` and above the previous bucket's `le` (not cumulative). */
export type HistogramBucket = { le: number; count: number };

function requireBucket(bucket: HistogramBucket): void {
  if (Number.isNaN(bucket.le)) throw new RangeError('A bucket bound (le) must be a number');
  requireCount('A bucket count', bucket.count);
}

/** Buckets by ascending `le`; repeated bounds are summed. Does not modify the input. */
function sortedBuckets(buckets: readonly HistogramBucket[]): HistogramBucket[] {
  const byLe = new Map<number, number>();
  for (const bucket of buckets) {
    requireBucket(bucket);
    byLe.set(bucket.le, (byLe.get(bucket.le) ?? 0) + bucket.count);
  }
  return [...byLe.entries()].sort(([a], [b]) => a - b).map(([le, count]) => ({ le, count }));
}

export type MannWhitneyResult = {
  /** U of sample b: #{(a, b): b > a} + ½ #{(a, b): b = a}; scipy.stats.mannwhitneyu(b, a).statistic */
  u: number;
  /** (U − n1·n2/2) / σ_U, no continuity correction; positive when b tends to be larger */
  z: number;
  /** two-sided */
  pValue: number;
  /** one-sided, alternative: b is stochastically greater than a */
  pValueGreater: number;
  n1: number;
  n2: number;
  /** probability of superiority U/(n1·n2) = P(B > A) + ½ P(B = A); 0.5 = no shift */
  effect: number;
};

/**
 * Mann–Whitney U test (normal approximation) for two samples given as histograms over the same
 * bucket bounds, a = baseline and b = canary. Only the order of bucket bounds matters: every
 * observation is taken to sit at its bucket's bound, so all observations in one bucket are tied.
 * Buckets are matched by `le`; a bound present on one side only counts 0 on the other.
 *
 * σ²_U = n1·n2/12 · ((N + 1) − Σ(t³ − t) / (N(N − 1))), t = observations in one bucket (both
 * samples), N = n1 + n2 — the tie-corrected variance scipy.stats.mannwhitneyu uses with
 * method="asymptotic", use_continuity=False. When all observations share one bucket σ = 0: there
 * is no evidence of a shift, z = 0, pValue = 1, pValueGreater = 0.5.
 */
export function mannWhitneyFromHistograms(a: readonly HistogramBucket[], b: readonly HistogramBucket[]): MannWhitneyResult {
  const counts = new Map<number, { a: number; b: number }>();
  for (const [side, buckets] of [['a', a], ['b', b]] as const) {
    for (const bucket of sortedBuckets(buckets)) {
      const entry = counts.get(bucket.le) ?? { a: 0, b: 0 };
      entry[side] += bucket.count;
      counts.set(bucket.le, entry);
    }
  }
  const merged = [...counts.entries()].sort(([x], [y]) => x - y).map(([, c]) => c);

  let n1 = 0;
  let n2 = 0;
  let u = 0;
  let ties = 0;
  let occupied = 0;
  for (const { a: ak, b: bk } of merged) {
    // Each b here beats every a in lower buckets and ties with the a's in this one.
    u += bk * (n1 + ak / 2);
    n1 += ak;
    n2 += bk;
    const t = ak + bk;
    ties += (t - 1) * t * (t + 1);
    if (t > 0) occupied++;
  }
  if (n1 === 0 || n2 === 0) throw new RangeError('Both samples need at least one observation');

  const n = n1 + n2;
  const mean = (n1 * n2) / 2;
  const variance = occupied <= 1 ? 0 : Math.max(0, ((n1 * n2) / 12) * (n + 1 - ties / (n * (n - 1))));
  const z = variance > 0 ? (u - mean) / Math.sqrt(variance) : 0;
  return {
    u,
    z,
    pValue: Math.min(1, 2 * normalCdf(-Math.abs(z))),
    pValueGreater: normalCdf(-z),
    n1,
    n2,
    effect: u / (n1 * n2),
  };
}

/**
 * The q-quantile of a histogram, interpolated linearly inside the bucket that holds it — the
 * estimate Prometheus' histogram_quantile makes (promql/quantile.go, bucketQuantile): observations
 * are assumed spread evenly between the previous bound and this one; the first bucket starts at 0
 * when its bound is positive (otherwise its bound is returned); a quantile that falls into a +Inf
 * bucket is the highest finite bound. Rank = q·N, so q = 0 gives the lower edge of the first
 * non-empty bucket and q = 1 the upper edge of the last. Null when the histogram is empty or has
 * only an infinite bound. q outside [0, 1] → RangeError.
 */
export function quantileFromHistogram(buckets: readonly HistogramBucket[], q: number): number | null {
  if (!(q >= 0 && q <= 1)) throw new RangeError(`A quantile must be in [0, 1], got ${q}`);
  const sorted = sortedBuckets(buckets);
  const total = sorted.reduce((sum, bucket) => sum + bucket.count, 0);
  if (total === 0) return null;
  const rank = q * total;
  let below = 0;
  for (let i = 0; i < sorted.length; i++) {
    const bucket = sorted[i]!;
    if (bucket.count > 0 && below + bucket.count >= rank) {
      const previous = sorted[i - 1]?.le;
      if (bucket.le === Number.POSITIVE_INFINITY) {
        const finite = previous !== undefined && Number.isFinite(previous) ? previous : null;
        return finite;
      }
      const start = previous ?? (bucket.le > 0 ? 0 : bucket.le);
      return start + (bucket.le - start) * ((rank - below) / bucket.count);
    }
    below += bucket.count;
  }
  return null; // unreachable: the last non-empty bucket always satisfies the rank
}

// ---------------------------------------------------------------------------------------------
// Power

/**
 * The smallest relative change of a proportion (|p2 − p1| / p1) that a one-sided test at level
 * `alpha` (two-sided with `sides: 2`) detects with probability `power`, given n1 and n2
 * observations: δ = (z₁₋α + z_power) · √(p(1 − p)(1/n1 + 1/n2)), relative = δ / p, with p the
 * baseline rate — the usual normal-approximation formula (e.g. Chow, Shao & Wang, Sample Size
 * Calculations in Clinical Research, §4.2, solved for δ), which takes the variance at the baseline
 * rate for both arms. The judge tests one-sided, hence the default.
 * Null when undefined: baseline rate 0 or 1, or no observations on a side.
 */
export function minimumDetectableRelativeEffect(input: {
  baselineRate: number;
  n1: number;
  n2: number;
  alpha: number;
  power: number;
  sides?: 1 | 2;
}): number | null {
  const { baselineRate: p, n1, n2, alpha, power, sides = 1 } = input;
  if (!(alpha > 0 && alpha < 1)) throw new RangeError(`alpha must be in (0, 1), got ${alpha}`);
  if (!(power > 0 && power < 1)) throw new RangeError(`power must be in (0, 1), got ${power}`);
  if (!(p > 0 && p < 1) || !(n1 > 0 && n2 > 0) || !Number.isFinite(n1) || !Number.isFinite(n2)) return null;
  const zAlpha = normalQuantile(1 - alpha / sides);
  const zPower = normalQuantile(power);
  const delta = (zAlpha + zPower) * Math.sqrt(p * (1 - p) * (1 / n1 + 1 / n2));
  return delta / p;
}
