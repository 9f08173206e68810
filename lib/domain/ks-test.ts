import { requireFiniteValues } from './drift-bins';

/**
 * Kolmogorov–Smirnov: the two-sample test (ksTwoSample, reproducing scipy.stats.ks_2samp) and the
 * survival function of the one-sample Kolmogorov distribution it uses asymptotically (kstwoSf,
 * scipy.stats.kstwo.sf), with their numerical machinery — Hodges' and the lattice-path exact
 * probabilities, the Durbin matrix, Pomeranz, Pelz–Good, Smirnov's series and Loader's
 * stirlerr / bd0. Pure functions, checked against scipy in tests/unit/drift-ks-test.test.ts
 * (reference script tests/unit/reference/drift-scores.py). Malformed input (empty samples,
 * non-finite values, an unknown method, n not an integer ≥ 1) → RangeError.
 */

// ---------------------------------------------------------------------------------------------
// Small helpers

const clip01 = (p: number): number => Math.min(1, Math.max(0, p));

/** numpy.round: halves go to the even neighbour. */
function roundHalfEven(x: number): number {
  const floor = Math.floor(x);
  const fraction = x - floor;
  if (fraction === 0.5) return floor % 2 === 0 ? floor : floor + 1;
  return Math.round(x);
}

function gcd(a: number, b: number): number {
  while (b !== 0) [a, b] = [b, a % b];
  return a;
}

// ---------------------------------------------------------------------------------------------
// Two-sample test

export type KsMethod = 'auto' | 'exact' | 'asymp';
export type KsResult = {
  /** D = sup |F_a − F_b| (in the exact method h/lcm(n, m), as scipy returns it) */
  statistic: number;
  /** two-sided */
  pValue: number;
  method: 'exact' | 'asymptotic';
  n: number;
  m: number;
};

/** scipy's MAX_AUTO_N: 'auto' is exact when both samples have at most this many values. */
export const KS_EXACT_MAX_N = 10_000;
const INT32_MAX = 2147483647;

/**
 * Two-sample Kolmogorov–Smirnov test, two-sided, reproducing scipy.stats.ks_2samp (scipy 1.17):
 * - D = max over all observed x of |F_a(x) − F_b(x)| with the right-continuous ECDFs, so ties
 *   (within or across samples) are handled as scipy's searchsorted(side='right') does.
 * - method 'auto' (default): exact when max(n, m) ≤ 10 000, otherwise asymptotic. 'exact' falls
 *   back to asymptotic when lcm(n, m) would overflow int32 (scipy's rule) or the exact
 *   computation leaves [0, 1].
 * - exact: h = round(D·lcm(n, m)), D := h/lcm; n = m: Hodges' closed-form alternating sum,
 *   evaluated Horner-like (scipy _compute_prob_outside_square); n ≠ m: the lattice-path "inside
 *   method" computing P(D ≥ d) directly with a sliding column window and per-step rescaling
 *   (Hodges 1958, Viehmann 2021 — scipy _compute_outer_prob_inside_method), O(max(n, m)·D·min(n, m)).
 * - asymptotic: P = kstwo.sf(D, round(n·m/(n + m))) — the one-sample Kolmogorov distribution at
 *   the effective sample size, rounded half-to-even like numpy (see kstwoSf).
 * Empty samples or non-finite values → RangeError. (scipy's 'asymp' with n = m = 1 rounds the
 * effective size 0.5 to 0 and returns NaN; so does this.)
 */
export function ksTwoSample(a: readonly number[], b: readonly number[], { method = 'auto' }: { method?: KsMethod } = {}): KsResult {
  requireFiniteValues(a, 'a');
  requireFiniteValues(b, 'b');
  if (method !== 'auto' && method !== 'exact' && method !== 'asymp') throw new RangeError(`Unknown KS method ${String(method)}`);
  const x = [...a].sort((p, q) => p - q);
  const y = [...b].sort((p, q) => p - q);
  const n1 = x.length;
  const n2 = y.length;

  // max and min of F_a − F_b over the pooled values (each distinct value once: duplicates repeat it)
  let i = 0;
  let j = 0;
  let maxDiff = 0;
  let minDiff = 0;
  while (i < n1 || j < n2) {
    const v = j >= n2 || (i < n1 && x[i]! <= y[j]!) ? x[i]! : y[j]!;
    while (i < n1 && x[i]! <= v) i++;
    while (j < n2 && y[j]! <= v) j++;
    const diff = i / n1 - j / n2;
    if (diff > maxDiff) maxDiff = diff;
    if (diff < minDiff) minDiff = diff;
  }
  let d = Math.max(maxDiff, Math.min(1, -minDiff));

  const g = gcd(n1, n2);
  const n1g = n1 / g;
  const n2g = n2 / g;
  let mode: 'exact' | 'asymp' = method === 'auto' ? (Math.max(n1, n2) <= KS_EXACT_MAX_N ? 'exact' : 'asymp') : method;
  if (method === 'exact' && n1g >= INT32_MAX / n2g) mode = 'asymp';

  let prob = Number.NaN;
  if (mode === 'exact') {
    const lcm = n1g * n2;
    const h = roundHalfEven(d * lcm);
    d = h / lcm;
    if (h === 0) prob = 1;
    else prob = n1 === n2 ? probOutsideSquare(n1, h) : probOutsideInside(n1, n2, g, h);
    if (!(prob >= 0 && prob <= 1)) mode = 'asymp';
  }
  if (mode === 'asymp') {
    const [big, small] = n1 >= n2 ? [n1, n2] : [n2, n1];
    const en = roundHalfEven((big * small) / (big + small));
    prob = en >= 1 ? kstwoSf(en, d) : Number.NaN;
  }
  return { statistic: d, pValue: Number.isNaN(prob) ? prob : clip01(prob), method: mode === 'exact' ? 'exact' : 'asymptotic', n: n1, m: n2 };
}

/**
 * P(D_{n,n} ≥ h/n) = 2 Σ_{k≥1} (−1)^{k−1} C(2n, n − kh)/C(2n, n), each term divided by C(2n, n)
 * and nested Horner-like to avoid cancellation (scipy _compute_prob_outside_square).
 */
function probOutsideSquare(n: number, h: number): number {
  let p = 0;
  for (let k = Math.floor(n / h); k >= 0; k--) {
    let p1 = 1;
    for (let j = 0; j < h; j++) p1 = ((n - k * h - j) * p1) / (n + k * h + j + 1);
    p = p1 * (1 - p);
  }
  return 2 * p;
}

/**
 * Proportion of lattice paths from (0, 0) to (m, n) that touch |x/m − y/n| ≥ h/lcm(m, n), by the
 * recursion for 1 − p over one sliding column window (scipy _compute_outer_prob_inside_method,
 * ported line by line; checked to give scipy's numbers bit for bit).
 */
function probOutsideInside(m0: number, n0: number, g: number, h: number): number {
  const m = Math.max(m0, n0);
  const n = Math.min(m0, n0);
  const mg = m / g;
  const ng = n / g;
  let minj = 0;
  let maxj = Math.min(Math.ceil(h / mg), n + 1);
  let curlen = maxj - minj;
  const lenA = Math.min(2 * maxj + 2, n + 1);
  const A = new Float64Array(lenA).fill(1);
  A.fill(0, minj, maxj);
  for (let i = 1; i <= m; i++) {
    const lastminj = minj;
    const lastlen = curlen;
    minj = Math.min(Math.max(Math.floor((ng * i - h) / mg) + 1, 0), n);
    maxj = Math.min(Math.ceil((ng * i + h) / mg), n + 1);
    if (maxj <= minj) return 1;
    let val = minj === 0 ? 0 : 1;
    for (let jj = 0; jj < maxj - minj; jj++) {
      const j = jj + minj;
      val = (A[jj + minj - lastminj]! * i + val * j) / (i + j);
      A[jj] = val;
    }
    curlen = maxj - minj;
    if (lastlen > curlen) A.fill(1, curlen, curlen + (lastlen - curlen));
  }
  return A[maxj - minj - 1]!;
}

// --- the Kolmogorov distribution of D_n (scipy.stats.kstwo) --------------------------------------

const TWO_128 = 2 ** 128;
const TWO_M128 = 2 ** -128;
const PI2 = Math.PI ** 2;
const PI4 = Math.PI ** 4;
const PI6 = Math.PI ** 6;
const SQRT_2PI = Math.sqrt(2 * Math.PI);
const LOG_2PI = Math.log(2 * Math.PI);
/** cephes MINLOG: exp of anything below underflows */
const MINLOG = -708.3964185322641;
const STIRLING = [
  -2.955065359477124183e-2, 6.4102564102564102564e-3, -1.9175269175269175269e-3, 8.4175084175084175084e-4, -5.952380952380952381e-4,
  7.9365079365079365079e-4, -2.7777777777777777778e-3, 8.3333333333333333333e-2,
];

/** x·2^e without overflowing the intermediate power of two. */
function ldexp(x: number, e: number): number {
  let value = x;
  let exponent = e;
  while (exponent > 1000) {
    value *= 2 ** 1000;
    exponent -= 1000;
  }
  while (exponent < -1000) {
    value *= 2 ** -1000;
    exponent += 1000;
  }
  return value * 2 ** exponent;
}

/** ln(n!/nⁿ) by Stirling's series with n·ln n removed up front (scipy _log_nfactorial_div_n_pow_n). */
function logNFactorialOverNPowN(n: number): number {
  const rn = 1 / n;
  const y = rn / n;
  const poly = STIRLING.reduce((acc, c) => acc * y + c, 0);
  return Math.log(n) / 2 - n + LOG_2PI / 2 + rn * poly;
}

/**
 * P(D_n ≤ d) by the Durbin matrix algorithm as Marsaglia, Tsang & Wang (2003) evaluate it:
 * d = (k − h)/n, the k-th diagonal entry of Hⁿ (H of size 2k − 1) times n!/nⁿ, with
 * power-of-two rescaling (scipy _kolmogn_DMTW).
 */
function durbinMtwCdf(n: number, d: number): number {
  if (d >= 1) return 1;
  const nd = n * d;
  if (nd <= 0.5) return 0;
  const k = Math.ceil(nd);
  const h = k - nd;
  const m = 2 * k - 1;
  const v = new Float64Array(m);
  const w = new Float64Array(m);
  let fac = 1;
  for (let j = 1; j <= m; j++) {
    v[j - 1] = 1 - h ** j;
    w[j - 1] = fac;
    fac /= j;
    v[j - 1] = v[j - 1]! * fac;
  }
  const tt = Math.max(2 * h - 1, 0) ** m - 2 * h ** m;
  v[m - 1] = (1 + tt) * fac;
  let H: Float64Array = new Float64Array(m * m);
  for (let i = 1; i < m; i++) for (let r = i - 1; r < m; r++) H[r * m + i] = w[r - (i - 1)]!;
  for (let r = 0; r < m; r++) H[r * m] = v[r]!;
  for (let c = 0; c < m; c++) H[(m - 1) * m + c] = v[m - 1 - c]!;

  const multiply = (A: Float64Array, B: Float64Array): Float64Array => {
    const C = new Float64Array(m * m);
    for (let r = 0; r < m; r++) {
      for (let t = 0; t < m; t++) {
        const a = A[r * m + t]!;
        if (a === 0) continue;
        for (let c = 0; c < m; c++) C[r * m + c] = C[r * m + c]! + a * B[t * m + c]!;
      }
    }
    return C;
  };
  let power: Float64Array = new Float64Array(m * m);
  for (let r = 0; r < m; r++) power[r * m + r] = 1;
  let nn = n;
  let exponent = 0;
  let hExponent = 0;
  while (nn > 0) {
    if (nn % 2) {
      power = multiply(power, H);
      exponent += hExponent;
    }
    nn = Math.floor(nn / 2);
    if (nn === 0) break; // scipy squares once more here; the result is unused
    H = multiply(H, H);
    hExponent *= 2;
    if (Math.abs(H[(k - 1) * m + (k - 1)]!) > TWO_128) {
      for (let t = 0; t < H.length; t++) H[t] = H[t]! / TWO_128;
      hExponent += 128;
    }
  }
  let p = power[(k - 1) * m + (k - 1)]!;
  for (let i = 1; i <= n; i++) {
    p = (i * p) / n;
    if (Math.abs(p) < TWO_M128) {
      p *= TWO_128;
      exponent -= 128;
    }
  }
  return clip01(ldexp(p, exponent));
}

/**
 * P(D_n ≤ d) by Pomeranz's recursion (1974): rows of Poisson-like convolutions, two rows kept,
 * rescaled against underflow, times n! at the end (scipy _kolmogn_Pomeranz).
 */
function pomeranzCdf(n: number, x: number): number {
  const t = n * x;
  const ll = Math.floor(t);
  const f = t - ll;
  const g = Math.min(f, 1 - f);
  const ceilf = f > 0 ? 1 : 0;
  const roundf = f > 0.5 ? 1 : 0;
  const npwrs = 2 * (ll + 1);
  const gpower = new Float64Array(npwrs);
  const twogpower = new Float64Array(npwrs);
  const onem2gpower = new Float64Array(npwrs);
  gpower[0] = twogpower[0] = onem2gpower[0] = 1;
  const gOverN = g / n;
  const twoGOverN = (2 * g) / n;
  const oneMinusTwoGOverN = (1 - 2 * g) / n;
  for (let m = 1; m < npwrs; m++) {
    gpower[m] = (gpower[m - 1]! * gOverN) / m;
    twogpower[m] = (twogpower[m - 1]! * twoGOverN) / m;
    onem2gpower[m] = (onem2gpower[m - 1]! * oneMinusTwoGOverN) / m;
  }
  const bounds = (i: number): [number, number] => {
    let j1: number;
    let j2: number;
    if (i === 0) {
      j1 = -ll - ceilf - 1;
      j2 = ll + ceilf - 1;
    } else {
      const ip1div2 = Math.floor((i + 1) / 2);
      const ip1mod2 = (i + 1) % 2;
      if (ip1mod2 === 0) {
        if (ip1div2 === n + 1) {
          j1 = n - ll - ceilf - 1;
          j2 = n + ll + ceilf - 1;
        } else {
          j1 = ip1div2 - 1 - ll - roundf - 1;
          j2 = ip1div2 + ll - 1 + ceilf - 1;
        }
      } else {
        j1 = ip1div2 - 1 - ll - 1;
        j2 = ip1div2 + ll + roundf - 1;
      }
    }
    return [Math.max(j1 + 2, 0), Math.min(j2, n)];
  };
  let V0: Float64Array = new Float64Array(npwrs);
  let V1: Float64Array = new Float64Array(npwrs);
  V1[0] = 1;
  let V0s = 0;
  let V1s = 0;
  let exponent = 0;
  let [j1, j2] = bounds(0);
  for (let i = 1; i < 2 * n + 2; i++) {
    const k1 = j1;
    [V0, V1] = [V1, V0];
    [V0s, V1s] = [V1s, V0s];
    V1.fill(0);
    [j1, j2] = bounds(i);
    const pwrs = i === 1 || i === 2 * n + 1 ? gpower : i % 2 ? twogpower : onem2gpower;
    const ln2 = j2 - k1 + 1;
    if (ln2 > 0) {
      // conv = numpy.convolve(V0[k1 − V0s : k1 − V0s + ln2], pwrs[:ln2]); V1[:len] = conv[j1 − k1 : …]
      const offset = k1 - V0s;
      const convStart = j1 - k1;
      const convLen = j2 - j1 + 1;
      let largest = Number.NEGATIVE_INFINITY;
      for (let c = 0; c < convLen; c++) {
        const index = convStart + c;
        let acc = 0;
        for (let a = Math.max(0, index - ln2 + 1); a <= Math.min(index, ln2 - 1); a++) {
          acc += (V0[offset + a] ?? 0) * pwrs[index - a]!;
        }
        V1[c] = acc;
      }
      for (let c = 0; c < npwrs; c++) largest = Math.max(largest, V1[c]!);
      if (largest > 0 && largest < TWO_M128) {
        for (let c = 0; c < npwrs; c++) V1[c] = V1[c]! * TWO_128;
        exponent -= 128;
      }
      V1s = V0s + j1 - k1;
    }
  }
  let answer = V1[n - V1s]!;
  for (let m = 1; m <= n; m++) {
    if (Math.abs(answer) > TWO_128) {
      answer *= TWO_M128;
      exponent += 128;
    }
    answer *= m;
  }
  return clip01(ldexp(answer, exponent));
}

/**
 * Pelz–Good (1976) approximation of P(D_n ≤ x): Li-Chien/Korolyuk's expansion
 * K₀ + K₁/√n + K₂/n + K₃/n^{3/2} in z = x√n, transformed with Jacobi theta functions for small z
 * (scipy _kolmogn_PelzGood).
 */
function pelzGoodCdf(n: number, x: number): number {
  if (x <= 0) return 0;
  if (x >= 1) return 1;
  const z = Math.sqrt(n) * x;
  const z2 = z ** 2;
  const z3 = z ** 3;
  const z4 = z ** 4;
  const z6 = z ** 6;
  const qlog = -PI2 / 8 / z2;
  if (qlog < -708) return 0;
  let q = Math.exp(qlog);
  const k1a = -z2;
  const k1b = PI2 / 4;
  const k2a = 6 * z6 + 2 * z4;
  const k2b = ((2 * z4 - 5 * z2) * PI2) / 4;
  const k2c = (PI4 * (1 - 2 * z2)) / 16;
  const k3d = (PI6 * (5 - 30 * z2)) / 64;
  const k3c = (PI4 * (-60 * z2 + 212 * z4)) / 16;
  const k3b = (PI2 * (135 * z4 - 96 * z6)) / 4;
  const k3a = -30 * z6 - 90 * z ** 8;
  const K = [0, 0, 0, 0];
  const maxk = Math.ceil((16 * z) / Math.PI);
  for (let k = maxk; k > 0; k--) {
    const m = 2 * k - 1;
    const m2 = m ** 2;
    const m4 = m ** 4;
    const m6 = m ** 6;
    const qpower = q ** (8 * k);
    const coefficients = [1, k1a + k1b * m2, k2a + k2b * m2 + k2c * m4, k3a + k3b * m2 + k3c * m4 + k3d * m6];
    for (let i = 0; i < 4; i++) K[i] = K[i]! * qpower + coefficients[i]!;
  }
  const divisors = [z, 6 * z4, 72 * z ** 7, 6480 * z ** 10];
  for (let i = 0; i < 4; i++) K[i] = (K[i]! * q * SQRT_2PI) / divisors[i]!;
  q = Math.exp(-PI2 / 2 / z2);
  let k2extra = 0;
  let k3extra = 0;
  const sqrt3z = Math.sqrt(3) * z;
  for (let k = maxk; k > 0; k--) {
    const k2 = k ** 2;
    const qk = q ** k2;
    const kpi = Math.PI * k;
    k2extra += k2 * qk;
    k3extra += (sqrt3z + kpi) * (sqrt3z - kpi) * k2 * qk;
  }
  K[2] = K[2]! + k2extra * ((PI2 * SQRT_2PI) / (-36 * z3));
  K[3] = K[3]! + k3extra * ((PI2 * SQRT_2PI) / (216 * z6));
  let total = 0;
  for (let i = 0; i < 4; i++) total += K[i]! / n ** (i / 2);
  return total;
}

/** n·x as an unevaluated sum hi + lo (Dekker's two-product via Veltkamp splitting). */
function twoProduct(a: number, b: number): [number, number] {
  const split = (v: number): [number, number] => {
    const c = 134217729 * v; // 2^27 + 1
    const hi = c - (c - v);
    return [hi, v - hi];
  };
  const p = a * b;
  const [ah, al] = split(a);
  const [bh, bl] = split(b);
  return [p, ah * bh - p + ah * bl + al * bh + al * bl];
}

/** stirlerr(k) = ln k! − (k + ½)·ln k + k − ln √(2π) for k = 0 … 15 (40-digit mpmath values). */
const STIRLERR_SMALL = [
  0, 0.08106146679532725822, 0.04134069595540929409, 0.02767792568499833915, 0.02079067210376509311, 0.01664469118982119216,
  0.013876128823070748, 0.01189670994589177010, 0.01041126526197209650, 0.009255462182712732918, 0.008330563433362871256,
  0.007573675487951840795, 0.006942840107209529866, 0.006408994188004207068, 0.005951370112758847736, 0.005554733551962801371,
];

/** The error of Stirling's formula for ln k! at an integer k ≥ 0 (Loader 2000, as R's stirlerr). */
function stirlerr(k: number): number {
  if (k <= 15) return STIRLERR_SMALL[k]!;
  const kk = k * k;
  const [s0, s1, s2, s3, s4] = [1 / 12, 1 / 360, 1 / 1260, 1 / 1680, 1 / 1188];
  if (k > 500) return (s0 - s1 / kk) / k;
  if (k > 80) return (s0 - (s1 - s2 / kk) / kk) / k;
  if (k > 35) return (s0 - (s1 - (s2 - s3 / kk) / kk) / kk) / k;
  return (s0 - (s1 - (s2 - (s3 - s4 / kk) / kk) / kk) / kk) / k;
}

/**
 * Loader's deviance term bd0(x, μ) = x·ln(x/μ) + μ − x, by its series in (x − μ)/(x + μ) when
 * x ≈ μ so that nothing cancels; x − μ is passed separately because the caller knows it exactly.
 */
function bd0(x: number, mu: number, xMinusMu: number): number {
  if (Math.abs(xMinusMu) < 0.1 * (x + mu)) {
    const v = xMinusMu / (x + mu);
    const v2 = v * v;
    let s = xMinusMu * v;
    let ej = 2 * x * v;
    for (let j = 1; j < 1000; j++) {
      ej *= v2;
      const next = s + ej / (2 * j + 1);
      if (next === s) return next;
      s = next;
    }
    return s;
  }
  return x * Math.log(x / mu) - xMinusMu;
}

/**
 * One-sided Smirnov survival function P(D⁺_n ≥ x), the exact Birnbaum–Tingey sum
 * x·Σ_{v=0}^{⌊n(1−x)⌋} C(n, v)(1 − x − v/n)^{n−v}(x + v/n)^{v−1}, with scipy.special.smirnov's
 * special cases (x ≤ 1/n, x ≥ 1 − 1/n, underflow, Miller's approximation for n > 10⁶) and its
 * early termination. scipy evaluates the terms in double-double arithmetic; here n·x is kept as an
 * exact two-term sum and each term is written as a binomial probability,
 * C(n, v)·p^v·(1 − p)^{n−v} / p with p = x + v/n, evaluated by Loader's saddle-point formula
 * (stirlerr, bd0 — R's dbinom), which keeps ~1e-14 relative accuracy up to n = 10⁶. The
 * alternating "upper sum" scipy uses for x ≤ 0.5/√n is never reached from kstwoSf and is not
 * implemented.
 */
function smirnovSf(n: number, x: number): number {
  if (n === 1) return 1 - x;
  if (x === 0) return 1;
  if (x === 1) return 0;
  const [nxHi, nxLo] = twoProduct(n, x);
  let nxfl = Math.floor(nxHi);
  let alpha: number;
  if (nxHi === nxfl) {
    if (nxLo < 0) {
      nxfl -= 1;
      alpha = 1 + nxLo;
    } else alpha = nxLo;
  } else alpha = nxHi - nxfl + nxLo;
  if (alpha >= 1) {
    nxfl += 1;
    alpha = 0;
  }
  let n1mxfl = n - nxfl - (alpha === 0 ? 0 : 1);
  if (alpha === 0) n1mxfl -= 1;
  if (nxfl === 0 || (nxfl === 1 && alpha === 0)) return clip01(1 - x * (1 + x) ** (n - 1));
  if (-2 * n * x * x < MINLOG) return 0;
  if (nxfl >= n - 1) return clip01((1 - x) ** n);
  if (n > 1_000_000) {
    const logp = -((6 * n * x + 1) ** 2) / 18 / n;
    return clip01(logp < -Math.LN2 ? Math.exp(logp) : 1 + Math.expm1(logp));
  }
  const nx = nxHi + nxLo;
  const nTerms = n1mxfl + 1;
  const vmid = Math.floor(n / 2);
  const stirlerrN = stirlerr(n);
  let total = Math.exp(n * Math.log1p(-x)) / x; // v = 0: (1 − x)^n / x
  for (let v = 1; v < nTerms; v++) {
    const np = v + nxHi + nxLo; // n·p
    const nq = n - v - nxHi - nxLo; // n·(1 − p)
    const lc = stirlerrN - stirlerr(v) - stirlerr(n - v) - bd0(v, np, -nx) - bd0(n - v, nq, nx);
    const lf = LOG_2PI + Math.log(v) + Math.log1p(-v / n);
    const term = (Math.exp(lc - 0.5 * lf) * n) / np;
    if (Number.isFinite(term) && term !== 0) total += term;
    if (term !== 0) {
      if (4 * (nTerms - v) * Math.abs(term) < Number.EPSILON * total && v !== nTerms - 1) break;
    } else if (v > vmid) break;
  }
  return clip01(x * total);
}

/**
 * Survival function P(D_n ≥ d) of the two-sided one-sample Kolmogorov–Smirnov statistic D_n for
 * sample size n — scipy.stats.kstwo.sf(d, n), with Simard & L'Ecuyer's (2011) choice of method as
 * scipy's kolmogn makes it: Ruben–Gambino closed forms for n·d ≤ 1 and n·d ≥ n − 1; 2·Smirnov for
 * d ≥ ½; for n ≤ 140 the Durbin matrix (n·d² ≤ 0.754693), Pomeranz (≤ 4) or 2·Smirnov; for
 * n > 140 0 beyond n·d² ≥ 370, 2·Smirnov from 2.2, else 1 − CDF by the Durbin matrix
 * (n ≤ 100 000 and n·d^{3/2} ≤ 1.4) or Pelz–Good. n must be an integer ≥ 1 (RangeError).
 */
export function kstwoSf(n: number, d: number): number {
  if (!Number.isInteger(n) || n < 1) throw new RangeError(`n must be an integer ≥ 1, got ${n}`);
  if (Number.isNaN(d)) return Number.NaN;
  if (d >= 1) return 0;
  if (d <= 0) return 1;
  const t = n * d;
  if (t <= 1) {
    if (t <= 0.5) return 1;
    let prob: number;
    if (n <= 140) {
      prob = 1;
      const factor = 2 * t - 1;
      for (let i = 1; i <= n; i++) prob *= i * (1 / n) * factor;
    } else prob = Math.exp(logNFactorialOverNPowN(n) + n * Math.log(2 * t - 1));
    return clip01(1 - prob);
  }
  if (t >= n - 1) return clip01(2 * (1 - d) ** n);
  if (d >= 0.5) return clip01(2 * smirnovSf(n, d));
  const nxSquared = t * d;
  if (n <= 140) {
    if (nxSquared <= 0.754693) return clip01(1 - durbinMtwCdf(n, d));
    if (nxSquared <= 4) return clip01(1 - pomeranzCdf(n, d));
    return clip01(2 * smirnovSf(n, d));
  }
  if (nxSquared >= 370) return 0;
  if (nxSquared >= 2.2) return clip01(2 * smirnovSf(n, d));
  const cdf = n <= 100_000 && n * d ** 1.5 <= 1.4 ? durbinMtwCdf(n, d) : pelzGoodCdf(n, d);
  return clip01(1 - cdf);
}
