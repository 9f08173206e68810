import { normalCdf, normalQuantile } from './statistics';

/**
 * Probability distributions the experiment statistics need beyond the normal (which lives in
 * ./statistics): Student t (CDF, survival function, quantile, for any real ν > 0 as Welch's
 * Satterthwaite df produces) and chi-square (survival function, for the SRM check), built on
 * log-gamma and the regularized incomplete beta and gamma functions. Pure functions on plain
 * numbers, checked against scipy.stats in tests/unit/experiment-stats.test.ts.
 *
 * Accuracy: tails keep relative accuracy (p-values are tail areas): about 1e-10 absolute and 1e-8
 * relative below 1e-3 for the t CDF up to ν = 10⁹, 1e-9 relative for the t quantile, 1e-10 relative
 * for the chi-square survival function. Arguments out of the domain (ν ≤ 0, a probability outside
 * [0, 1], a ≤ 0) throw a RangeError.
 */

// ---------------------------------------------------------------------------------------------
// Special functions: log-gamma, regularized incomplete beta and gamma (Numerical Recipes 3rd ed.,
// §6.1, §6.2, §6.4 — Lentz's continued fractions).

const LANCZOS = [
  0.99999999999980993, 676.5203681218851, -1259.1392167224028, 771.32342877765313, -176.61502916214059, 12.507343278686905,
  -0.13857109526572012, 9.9843695780195716e-6, 1.5056327351493116e-7,
] as const;
const LN_SQRT_2PI = 0.5 * Math.log(2 * Math.PI);
const LN_SQRT_PI = 0.5 * Math.log(Math.PI);
const FPMIN = 1e-300;
const EPS = 1e-16;
const MAX_ITERATIONS = 200_000;

/** ln Γ(x) for x > 0, Lanczos (g = 7, n = 9): relative error about 1e-15. */
export function logGamma(x: number): number {
  if (x < 0.5) return Math.log(Math.PI / Math.sin(Math.PI * x)) - logGamma(1 - x);
  const y = x - 1;
  let sum = LANCZOS[0];
  for (let i = 1; i < LANCZOS.length; i++) sum += LANCZOS[i]! / (y + i);
  const t = y + 7.5;
  return LN_SQRT_2PI + (y + 0.5) * Math.log(t) - t + Math.log(sum);
}

/**
 * ln B(a, ½). For large a the difference lnΓ(a + ½) − lnΓ(a) of two huge numbers would lose digits,
 * so it uses the asymptotic series Γ(a + ½)/Γ(a) = √a (1 − 1/(8a) + 1/(128a²) + 5/(1024a³) − …).
 */
function logBetaHalf(a: number): number {
  if (a < 100) return logGamma(a) + LN_SQRT_PI - logGamma(a + 0.5);
  const ratio = 0.5 * Math.log(a) + Math.log1p(-1 / (8 * a) + 1 / (128 * a * a) + 5 / (1024 * a ** 3) - 21 / (32768 * a ** 4));
  return LN_SQRT_PI - ratio;
}

/** Continued fraction for I_x(a, b), evaluated by the modified Lentz method (NR betacf). */
function betaContinuedFraction(a: number, b: number, x: number): number {
  const guard = (v: number) => (Math.abs(v) < FPMIN ? FPMIN : v);
  let c = 1;
  let d = 1 / guard(1 - ((a + b) * x) / (a + 1));
  let h = d;
  for (let m = 1; m <= MAX_ITERATIONS; m++) {
    const m2 = 2 * m;
    let aa = (m * (b - m) * x) / ((a - 1 + m2) * (a + m2));
    d = 1 / guard(1 + aa * d);
    c = guard(1 + aa / c);
    h *= d * c;
    aa = (-(a + m) * (a + b + m) * x) / ((a + m2) * (a + 1 + m2));
    d = 1 / guard(1 + aa * d);
    c = guard(1 + aa / c);
    const delta = d * c;
    h *= delta;
    if (Math.abs(delta - 1) < EPS) return h;
  }
  return h;
}

/**
 * I_x(a, ½) given x and y = 1 − x separately (the caller computes whichever is small without
 * cancellation). Only b = ½ is needed: the Student t distribution.
 */
function regularizedBetaHalf(x: number, y: number, a: number): number {
  if (x <= 0) return 0;
  if (y <= 0) return 1;
  const b = 0.5;
  // ln x via log1p(−y) when x is near 1: with a ≈ 10⁸ a rounded x would cost digits.
  const lnX = y < 0.5 ? Math.log1p(-y) : Math.log(x);
  const lnY = x < 0.5 ? Math.log1p(-x) : Math.log(y);
  const front = Math.exp(a * lnX + b * lnY - logBetaHalf(a));
  return x < (a + 1) / (a + b + 2) ? (front * betaContinuedFraction(a, b, x)) / a : 1 - (front * betaContinuedFraction(b, a, y)) / b;
}

/** Upper regularized gamma Q(a, x) = Γ(a, x)/Γ(a): series for x < a + 1, continued fraction beyond. */
export function regularizedGammaQ(a: number, x: number): number {
  if (!(a > 0) || !(x >= 0)) throw new RangeError(`regularizedGammaQ needs a > 0 and x ≥ 0, got a = ${a}, x = ${x}`);
  if (x === 0) return 1;
  const front = Math.exp(-x + a * Math.log(x) - logGamma(a));
  if (x < a + 1) {
    let term = 1 / a;
    let sum = term;
    for (let n = 1; n <= MAX_ITERATIONS && Math.abs(term) >= Math.abs(sum) * EPS; n++) {
      term *= x / (a + n);
      sum += term;
    }
    return Math.max(0, 1 - sum * front);
  }
  let b = x + 1 - a;
  let c = 1 / FPMIN;
  let d = 1 / b;
  let h = d;
  for (let i = 1; i <= MAX_ITERATIONS; i++) {
    const an = -i * (i - a);
    b += 2;
    d = an * d + b;
    if (Math.abs(d) < FPMIN) d = FPMIN;
    c = b + an / c;
    if (Math.abs(c) < FPMIN) c = FPMIN;
    d = 1 / d;
    const delta = d * c;
    h *= delta;
    if (Math.abs(delta - 1) < EPS) break;
  }
  return front * h;
}

/** Chi-square survival function P(X ≥ x), df degrees of freedom. */
export const chiSquareSf = (x: number, df: number): number => regularizedGammaQ(df / 2, Math.max(0, x) / 2);

// ---------------------------------------------------------------------------------------------
// Student t distribution

function requireDf(df: number): void {
  if (!(df > 0)) throw new RangeError(`Degrees of freedom must be > 0, got ${df}`);
}

/** P(T ≤ t) for t ≤ 0: ½ I_x(ν/2, ½) with x = ν/(ν + t²), 1 − x = t²/(ν + t²) computed directly. */
function lowerTail(t: number, df: number): number {
  const t2 = t * t;
  // Beyond 10⁷ df the continued fraction's first step cancels (x ≈ (a + 1)/(a + b + 2)); Fisher's
  // expansion F(t) = Φ(t) − φ(t)(t³ + t)/(4ν) + O(ν⁻²) is then exact to about 1e-14.
  if (df > 1e7) return normalCdf(t) - (Math.exp(-t2 / 2) / Math.sqrt(2 * Math.PI)) * ((t2 * t + t) / (4 * df));
  return 0.5 * regularizedBetaHalf(df / (df + t2), t2 / (df + t2), df / 2);
}

/** Student t CDF P(T ≤ t), ν = df > 0 (need not be an integer: Welch). Tails keep relative accuracy. */
export function studentTCdf(t: number, df: number): number {
  requireDf(df);
  if (Number.isNaN(t)) return Number.NaN;
  if (t === Number.POSITIVE_INFINITY) return 1;
  if (t === Number.NEGATIVE_INFINITY) return 0;
  return t <= 0 ? lowerTail(t, df) : 1 - lowerTail(-t, df);
}

/** P(T ≥ t), computed without 1 − cdf cancellation. */
export const studentTSf = (t: number, df: number): number => studentTCdf(-t, df);

function studentTPdf(t: number, df: number): number {
  return Math.exp(-logBetaHalf(df / 2) - 0.5 * Math.log(df) - ((df + 1) / 2) * Math.log1p((t * t) / df));
}

/**
 * Student t quantile: closed forms for ν = 1 and 2, otherwise Newton's method on the CDF from a
 * Cornish–Fisher start, kept inside a bisection bracket so heavy tails cannot make it diverge.
 */
export function studentTQuantile(p: number, df: number): number {
  requireDf(df);
  if (!(p >= 0 && p <= 1)) throw new RangeError(`A probability must be in [0, 1], got ${p}`);
  if (p === 0) return Number.NEGATIVE_INFINITY;
  if (p === 1) return Number.POSITIVE_INFINITY;
  if (p === 0.5) return 0;
  if (p > 0.5) return -studentTQuantile(1 - p, df); // work in the lower tail, where p keeps its digits
  if (df === 1) return -1 / Math.tan(Math.PI * p); // = tan(π(p − ½)), without rounding p − ½
  if (df === 2) return (2 * p - 1) / Math.sqrt(2 * p * (1 - p));
  const z = normalQuantile(p);
  let x = z + (z ** 3 + z) / (4 * df) + (5 * z ** 5 + 16 * z ** 3 + 3 * z) / (96 * df * df);
  let lo = Math.min(x, -1);
  while (lowerTail(lo, df) > p) lo *= 2;
  let hi = 0;
  if (!(x > lo && x < hi)) x = lo / 2;
  for (let i = 0; i < 200; i++) {
    const f = lowerTail(x, df) - p;
    if (f > 0) hi = x;
    else lo = x;
    let next = x - f / studentTPdf(x, df);
    if (!(next > lo && next < hi)) next = (lo + hi) / 2;
    if (Math.abs(next - x) <= 1e-15 * Math.max(1, Math.abs(x))) return next;
    x = next;
  }
  return x;
}
