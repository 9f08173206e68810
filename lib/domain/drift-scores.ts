import { chiSquareSf } from './distributions';
import {
  alignCounts,
  isCountArray,
  requireCount,
  requireFiniteValues,
  sum,
  summarize,
  type CurrentSnapshot,
  type Distribution,
  type FeatureType,
  type NumericProfile,
  type NumericSnapshot,
  type NumericSummary,
  type ReferenceProfile,
} from './drift-bins';
import { ksTwoSample, type KsMethod, type KsResult } from './ks-test';

/**
 * Drift scores: how far a feature's production distribution (the "current" snapshot of one time
 * window) has moved from the reference profile CI recorded from training data. Pure functions on
 * plain numbers, checked against numpy / scipy in tests/unit/drift-scores.test.ts (reference
 * script tests/unit/reference/drift-scores.py). ANCHORS-ML §C lists the conventions of the
 * established tools; the ones chosen here are named in each doc comment and in the `convention`
 * string every score carries, so that the UI can show it next to the number.
 *
 * Profile and snapshot shapes, binning and the alignment of two distributions live in
 * ./drift-bins; the Kolmogorov–Smirnov test in ./ks-test; the checks for API input (validate*,
 * returning problems for a 422) in ./drift-validation.
 *
 * Errors: the score functions assume validated input and throw a RangeError on malformed
 * programmer input: negative / non-finite counts or values, an all-zero side, numeric bins of
 * different lengths, numeric vs categorical, empty samples, ε ≤ 0, an unknown method, a NaN
 * handed to severityOf.
 */

// ---------------------------------------------------------------------------------------------
// Methods

export type DriftMethod = 'psi' | 'jsDistance' | 'chiSquare' | 'ks' | 'wasserstein';
export const DRIFT_METHODS: readonly DriftMethod[] = ['psi', 'jsDistance', 'chiSquare', 'ks', 'wasserstein'];

// ---------------------------------------------------------------------------------------------
// PSI

/** ε replacing an empty bin's proportion in PSI (issue #7; Evidently's fixed 0.0001). */
export const PSI_EPSILON = 0.0001;

export type PsiBin = {
  /** category name, or the numeric bin's interval "(e₁, e₂]" ("bin i" for bare counts) */
  label: string;
  referenceCount: number;
  currentCount: number;
  /** raw proportions (before the ε replacement) */
  referenceProportion: number;
  currentProportion: number;
  /** (r − c)·ln(r/c) with the ε-replaced proportions; ≥ 0 */
  contribution: number;
};
export type PsiResult = { value: number; epsilon: number; bins: PsiBin[] };

/**
 * Population Stability Index: PSI = Σᵢ (rᵢ − cᵢ)·ln(rᵢ/cᵢ), natural log, over the bin proportions
 * rᵢ = reference countᵢ / reference total and cᵢ likewise for the current side. A proportion that
 * is exactly 0 is replaced by ε (default 0.0001) on its own side only — the other side and the
 * other bins keep their proportions, nothing is renormalised — so an empty bin gives a large but
 * finite contribution, and a bin empty on both sides contributes 0. Categories are bins; a
 * category the reference never saw is a bin too (reference proportion 0 → ε), as is a reference
 * category missing from the current counts. Returns the per-bin contributions as well.
 * ε must be in (0, 1) (RangeError otherwise).
 */
export function psi(reference: Distribution, current: Distribution, { epsilon = PSI_EPSILON }: { epsilon?: number } = {}): PsiResult {
  if (!(epsilon > 0 && epsilon < 1)) throw new RangeError(`epsilon must be in (0, 1), got ${epsilon}`);
  const aligned = alignCounts(reference, current);
  const totalR = sum(aligned.reference);
  const totalC = sum(aligned.current);
  const bins = aligned.labels.map((label, i): PsiBin => {
    const referenceProportion = aligned.reference[i]! / totalR;
    const currentProportion = aligned.current[i]! / totalC;
    const r = referenceProportion === 0 ? epsilon : referenceProportion;
    const c = currentProportion === 0 ? epsilon : currentProportion;
    return {
      label,
      referenceCount: aligned.reference[i]!,
      currentCount: aligned.current[i]!,
      referenceProportion,
      currentProportion,
      contribution: (r - c) * Math.log(r / c),
    };
  });
  return { value: sum(bins.map((b) => b.contribution)), epsilon, bins };
}

// ---------------------------------------------------------------------------------------------
// Jensen–Shannon

/** x·ln(x/y) with 0·ln 0 = 0 (scipy.special.rel_entr for x, y ≥ 0). */
const relEntr = (x: number, y: number): number => (x > 0 && y > 0 ? x * Math.log(x / y) : x === 0 ? 0 : Number.POSITIVE_INFINITY);

/**
 * Jensen–Shannon distance with log base 2: √JSD, JSD = ½ KL(p‖m) + ½ KL(q‖m), m = ½(p + q), on
 * the proportions (no ε, no smoothing: 0·log 0 = 0), categories unioned as in psi. Range 0 … 1
 * (1 = disjoint supports). Same arithmetic as scipy.spatial.distance.jensenshannon(p, q, base=2).
 * Note Evidently reports the natural-log variant (range 0 … √ln 2 ≈ 0.8326).
 */
export function jensenShannonDistance(reference: Distribution, current: Distribution): number {
  const aligned = alignCounts(reference, current);
  const totalR = sum(aligned.reference);
  const totalC = sum(aligned.current);
  let left = 0;
  let right = 0;
  for (let i = 0; i < aligned.labels.length; i++) {
    const p = aligned.reference[i]! / totalR;
    const q = aligned.current[i]! / totalC;
    const m = (p + q) / 2;
    left += relEntr(p, m);
    right += relEntr(q, m);
  }
  const js = (left + right) / Math.LN2;
  return Math.sqrt(Math.max(0, js / 2));
}

// ---------------------------------------------------------------------------------------------
// Chi-square test of homogeneity

export type ChiSquareResult = {
  statistic: number;
  df: number;
  pValue: number;
  /** categories (or bins) in the table after dropping those empty on both sides */
  categories: number;
};

/**
 * Pearson's χ² test of homogeneity on the 2 × k contingency table (row 1 = reference counts,
 * row 2 = current counts), no continuity correction — scipy.stats.chi2_contingency(table,
 * correction=False): expected Eᵢⱼ = rowᵢ·colⱼ / N, χ² = Σ (O − E)²/E, df = k − 1, p = P(χ²_df ≥ χ²).
 * Categories (or bins) that are zero on both sides are dropped first (they carry no information
 * and scipy refuses zero expected counts); a category only one side has stays. When a single
 * category is left (k = 1, df = 0) there is nothing to compare: statistic 0, p = 1 (scipy's
 * answer). With two categories this equals the two-proportion z-test (χ² = z²).
 */
export function chiSquareHomogeneity(reference: Distribution, current: Distribution): ChiSquareResult {
  const aligned = alignCounts(reference, current);
  const keep = aligned.labels.map((_, i) => aligned.reference[i]! + aligned.current[i]! > 0);
  const r = aligned.reference.filter((_, i) => keep[i]);
  const c = aligned.current.filter((_, i) => keep[i]);
  const k = r.length;
  const df = k - 1;
  if (df === 0) return { statistic: 0, df: 0, pValue: 1, categories: k };
  const totalR = sum(r);
  const totalC = sum(c);
  const total = totalR + totalC;
  let statistic = 0;
  for (let j = 0; j < k; j++) {
    const column = r[j]! + c[j]!;
    const expectedR = (totalR * column) / total;
    const expectedC = (totalC * column) / total;
    statistic += (r[j]! - expectedR) ** 2 / expectedR + (c[j]! - expectedC) ** 2 / expectedC;
  }
  return { statistic, df, pValue: chiSquareSf(statistic, df), categories: k };
}

// ---------------------------------------------------------------------------------------------
// Wasserstein

/** Floor under the reference std when normalising W1 (Evidently's wasserstein_distance_norm). */
export const WASSERSTEIN_STD_FLOOR = 0.001;

export type WassersteinResult = {
  /** W1 / max(reference std, 0.001) — the score thresholds apply to */
  value: number;
  /** raw W1, in the feature's units */
  w1: number;
  /** reference population std (ddof 0) before the floor */
  referenceStd: number;
  /** 'samples' = exact from raw values; 'bins' = midpoint approximation from the profiles */
  source: 'samples' | 'bins';
};

function requireWeights(values: readonly number[], weights: readonly number[] | undefined, name: string): void {
  requireFiniteValues(values, name);
  if (!weights) return;
  if (weights.length !== values.length) throw new RangeError(`${name} weights must match its values in length`);
  weights.forEach((w, i) => requireCount(`${name} weight ${i}`, w));
  if (!(sum(weights) > 0)) throw new RangeError(`${name} weights must not all be zero`);
}

/**
 * Wasserstein-1 distance between two (weighted) empirical distributions on the line,
 * ∫ |U(x) − V(x)| dx over the pooled sorted values — scipy.stats.wasserstein_distance(u, v,
 * uWeights, vWeights). Weights default to 1 per value; they are normalised. Empty input,
 * non-finite values, negative or all-zero weights → RangeError.
 */
export function wassersteinDistance(
  u: readonly number[],
  v: readonly number[],
  uWeights?: readonly number[],
  vWeights?: readonly number[],
): number {
  requireWeights(u, uWeights, 'u');
  requireWeights(v, vWeights, 'v');
  const sorted = (values: readonly number[], weights?: readonly number[]) => {
    const order = values.map((_, i) => i).sort((i, j) => values[i]! - values[j]!);
    const cumulative = [0];
    for (const i of order) cumulative.push(cumulative[cumulative.length - 1]! + (weights ? weights[i]! : 1));
    return { values: order.map((i) => values[i]!), cumulative };
  };
  const su = sorted(u, uWeights);
  const sv = sorted(v, vWeights);
  const totalU = su.cumulative[su.values.length]!;
  const totalV = sv.cumulative[sv.values.length]!;
  const all = [...su.values, ...sv.values].sort((a, b) => a - b);
  let iu = 0;
  let iv = 0;
  let distance = 0;
  for (let k = 0; k < all.length - 1; k++) {
    const x = all[k]!;
    while (iu < su.values.length && su.values[iu]! <= x) iu++;
    while (iv < sv.values.length && sv.values[iv]! <= x) iv++;
    const cdfU = su.cumulative[iu]! / totalU;
    const cdfV = sv.cumulative[iv]! / totalV;
    distance += Math.abs(cdfU - cdfV) * (all[k + 1]! - x);
  }
  return distance;
}

/**
 * Normalised Wasserstein distance between raw samples, Evidently's convention:
 * W1(reference, current) / max(std(reference), 0.001) with the population std (ddof 0). The value
 * reads "how many reference standard deviations the distribution moved". Same errors as
 * wassersteinDistance.
 */
export function wassersteinNormalized(reference: readonly number[], current: readonly number[]): WassersteinResult {
  const w1 = wassersteinDistance(reference, current);
  const referenceStd = summarize(reference).std;
  return { value: w1 / Math.max(referenceStd, WASSERSTEIN_STD_FLOOR), w1, referenceStd, source: 'samples' };
}

/**
 * Points standing in for each bin in wassersteinFromBins: inner bins (e_{i−1}, e_i] → their
 * midpoint; the outer bins → the midpoint between the edge and the summary's min (lower bin) or
 * max (upper bin) when a summary is given (clamped so an inconsistent summary cannot put the
 * point on the wrong side), else the edge ∓ half the neighbouring inner bin's width. One bin:
 * (min + max)/2 with a summary, else 0. Two bins without a summary have no finite width → null.
 */
function binPoints(edges: readonly number[], summary: NumericSummary | undefined): number[] | null {
  const k = edges.length + 1;
  if (k === 1) return [summary ? (summary.min + summary.max) / 2 : 0];
  const first = edges[0]!;
  const last = edges[k - 2]!;
  const inner: number[] = [];
  for (let i = 1; i < k - 1; i++) inner.push((edges[i - 1]! + edges[i]!) / 2);
  if (summary) return [(Math.min(summary.min, first) + first) / 2, ...inner, (last + Math.max(summary.max, last)) / 2];
  if (k === 2) return null;
  return [first - (edges[1]! - first) / 2, ...inner, last + (last - edges[k - 3]!) / 2];
}

/**
 * Approximate normalised Wasserstein distance from binned profiles, when no raw samples exist:
 * every bin's count is placed at one point (binPoints: midpoints; outer bins from the summary's
 * min/max, else the neighbouring bin width), each side with its own summary, and W1 is computed
 * exactly between the two weighted point sets; divided by max(reference std, 0.001), the std
 * taken from the reference summary when given, else from the binned reference itself (points and
 * counts). An approximation: mass inside a bin is not spread, so shifts within a bin are
 * invisible and the open outer bins dominate when the tails move. Null when two bins and no
 * summary leave no finite bin width. Counts as for psi; mismatched bins → RangeError.
 */
export function wassersteinFromBins(reference: NumericProfile, current: NumericSnapshot): WassersteinResult | null {
  const aligned = alignCounts(reference, current); // validates counts and bin count
  const pointsR = binPoints(reference.edges, reference.summary);
  const pointsC = binPoints(reference.edges, current.summary);
  if (!pointsR || !pointsC) return null;
  if (pointsR.length !== aligned.reference.length) throw new RangeError('A numeric profile needs edges.length + 1 counts');
  const w1 = wassersteinDistance(pointsR, pointsC, aligned.reference, aligned.current);
  let referenceStd: number;
  if (reference.summary) referenceStd = reference.summary.std;
  else {
    const total = sum(aligned.reference);
    const mean = sum(pointsR.map((p, i) => p * aligned.reference[i]!)) / total;
    referenceStd = Math.sqrt(sum(pointsR.map((p, i) => (p - mean) ** 2 * aligned.reference[i]!)) / total);
  }
  return { value: w1 / Math.max(referenceStd, WASSERSTEIN_STD_FLOOR), w1, referenceStd, source: 'bins' };
}

// ---------------------------------------------------------------------------------------------
// Thresholds and severity

export type Severity = 'ok' | 'warning' | 'critical';
export type ThresholdPair = { warning: number; critical: number };
export type DriftThresholds = Record<DriftMethod, ThresholdPair>;

/**
 * Defaults. Distances (psi, jsDistance, wasserstein) alert when value ≥ threshold; p-values
 * (chiSquare, ks) when p < threshold. PSI 0.1 / 0.25 is the usual "moderate / significant"
 * reading (issue #7); JS distance (base 2) and normalised Wasserstein warn at Evidently's 0.1;
 * p-values warn at 0.05 and are critical below 0.001.
 */
export const DRIFT_THRESHOLDS: Readonly<DriftThresholds> = Object.freeze({
  psi: Object.freeze({ warning: 0.1, critical: 0.25 }),
  jsDistance: Object.freeze({ warning: 0.1, critical: 0.2 }),
  wasserstein: Object.freeze({ warning: 0.1, critical: 0.2 }),
  chiSquare: Object.freeze({ warning: 0.05, critical: 0.001 }),
  ks: Object.freeze({ warning: 0.05, critical: 0.001 }),
});

/** chiSquare and ks report p-values (small = drift); the others are distances (large = drift). */
export const isPValueMethod = (method: DriftMethod): boolean => method === 'chiSquare' || method === 'ks';

/** The comparison that means "drift" for a method: '≥' for distances, '<' for p-values. */
export const thresholdOperator = (method: DriftMethod): '≥' | '<' => (isPValueMethod(method) ? '<' : '≥');

/**
 * Severity of a score: distances — value ≥ critical → 'critical', else value ≥ warning →
 * 'warning'; p-values — p < critical → 'critical', else p < warning → 'warning'; otherwise 'ok'.
 * Unknown method or NaN value → RangeError.
 */
export function severityOf(method: DriftMethod, value: number, thresholds: Readonly<DriftThresholds> = DRIFT_THRESHOLDS): Severity {
  if (!DRIFT_METHODS.includes(method)) throw new RangeError(`Unknown drift method ${String(method)}`);
  if (Number.isNaN(value)) throw new RangeError(`A ${method} score must be a number, got NaN`);
  const { warning, critical } = thresholds[method];
  if (isPValueMethod(method)) return value < critical ? 'critical' : value < warning ? 'warning' : 'ok';
  return value >= critical ? 'critical' : value >= warning ? 'warning' : 'ok';
}

// ---------------------------------------------------------------------------------------------
// Method defaults and the per-feature score

/** Reference size up to which the p-value tests are the default (Evidently: reference ≤ 1000 rows). */
export const SMALL_REFERENCE_MAX = 1000;

/**
 * Default method per feature, after Evidently's selection (ANCHORS-ML §C.1) adapted to profiles:
 * - categorical: reference ≤ 1000 observations → chiSquare (homogeneity; with two categories it
 *   is Evidently's two-proportion z-test, χ² = z²), else jsDistance;
 * - numeric with raw samples on both sides: reference ≤ 1000 → ks, else wasserstein (normalised);
 * - numeric with bins only: psi (the headline for binned numeric features).
 * PSI and the JS distance are computed for every feature regardless (scoreFeature). Evidently's
 * nunique rules (≤ 5 distinct numeric values → χ²) need raw values and are not applied.
 * referenceSize = number of reference observations (finite, ≥ 0, else RangeError).
 */
export function defaultMethod(featureType: FeatureType, referenceSize: number, hasRawSamples: boolean): DriftMethod {
  if (!(Number.isFinite(referenceSize) && referenceSize >= 0)) throw new RangeError(`referenceSize must be a finite number ≥ 0, got ${referenceSize}`);
  const small = referenceSize <= SMALL_REFERENCE_MAX;
  if (featureType === 'categorical') return small ? 'chiSquare' : 'jsDistance';
  if (featureType !== 'numeric') throw new RangeError(`Unknown feature type ${String(featureType)}`);
  if (hasRawSamples) return small ? 'ks' : 'wasserstein';
  return 'psi';
}

export type ScoreOptions = {
  /** override the default method (defaultMethod) */
  method?: DriftMethod;
  thresholds?: Readonly<DriftThresholds>;
  /** PSI's ε (default 0.0001) */
  epsilon?: number;
  /** raw numeric values behind the two profiles: enables ks and the exact Wasserstein distance */
  samples?: { reference: readonly number[]; current: readonly number[] };
  ksMethod?: KsMethod;
};

export type FeatureScore = {
  featureType: FeatureType;
  method: DriftMethod;
  /** the headline number: the method's distance or p-value */
  value: number;
  severity: Severity;
  threshold: ThresholdPair & { operator: '≥' | '<' };
  scores: {
    psi: PsiResult;
    jsDistance: number;
    chiSquare?: ChiSquareResult;
    ks?: KsResult;
    wasserstein?: WassersteinResult;
  };
  /** how the headline number was computed, for display next to it */
  convention: string;
  conventions: Partial<Record<DriftMethod, string>>;
};

function binsPhrase(k: number): string {
  const name: Record<number, string> = { 4: 'quartile', 5: 'quintile', 10: 'decile' };
  return `${k} reference-${name[k] ?? 'quantile'} bin${k === 1 ? '' : 's'} with open outer edges`;
}

/**
 * All scores of one feature, the headline method (options.method or defaultMethod), its value,
 * severity and convention. Always: psi and jsDistance (on bins or categories). chiSquare: for
 * categorical features, or numeric bins when asked for. ks: when raw samples are given. wasserstein
 * (numeric): exact from raw samples when given, else the bin-midpoint approximation when it
 * exists. Asking for a method that cannot be computed (ks without samples; wasserstein for a
 * categorical feature or without a finite bin width) → RangeError, as are the inputs the
 * individual scores reject. Validate API input with validateProfile / validateSnapshot first.
 */
export function scoreFeature(reference: ReferenceProfile, current: CurrentSnapshot, options: ScoreOptions = {}): FeatureScore {
  if (reference.type !== current.type) throw new RangeError(`Cannot compare a ${reference.type} reference with a ${current.type} snapshot`);
  const thresholds = options.thresholds ?? DRIFT_THRESHOLDS;
  const epsilon = options.epsilon ?? PSI_EPSILON;
  const samples = reference.type === 'numeric' ? options.samples : undefined;
  const referenceSize = sum(isCountArray(reference.counts) ? reference.counts : Object.values(reference.counts));
  const method = options.method ?? defaultMethod(reference.type, referenceSize, samples !== undefined);

  const psiResult = psi(reference, current, { epsilon });
  const scores: FeatureScore['scores'] = { psi: psiResult, jsDistance: jensenShannonDistance(reference, current) };
  const k = psiResult.bins.length;
  const unit = reference.type === 'numeric' ? binsPhrase(k) : `${k} categor${k === 1 ? 'y' : 'ies'} as bins (unseen ones included)`;
  const conventions: Partial<Record<DriftMethod, string>> = {
    psi: `PSI, natural log, ${unit}, ε = ${epsilon} for empty bins`,
    jsDistance: `Jensen–Shannon distance (√JSD), log base 2, range 0–1, ${reference.type === 'numeric' ? `${k} bins` : `${k} categories`}, no smoothing`,
  };
  if (reference.type === 'categorical' || method === 'chiSquare') {
    const chi = chiSquareHomogeneity(reference, current);
    scores.chiSquare = chi;
    conventions.chiSquare = `χ² test of homogeneity (reference vs current), ${chi.categories} ${reference.type === 'numeric' ? 'bins' : 'categories'}, df = ${chi.df}, no continuity correction; value = p-value`;
  }
  if (samples) {
    const ks = ksTwoSample(samples.reference, samples.current, { method: options.ksMethod ?? 'auto' });
    scores.ks = ks;
    conventions.ks = `Two-sample Kolmogorov–Smirnov, two-sided, ${ks.method} p-value (n = ${ks.n}, m = ${ks.m}); value = p-value`;
  }
  if (reference.type === 'numeric' && current.type === 'numeric') {
    const w = samples ? wassersteinNormalized(samples.reference, samples.current) : wassersteinFromBins(reference, current);
    if (w) {
      scores.wasserstein = w;
      conventions.wasserstein =
        w.source === 'samples'
          ? 'Wasserstein-1 / reference std (ddof 0, floor 0.001), from raw samples'
          : `Wasserstein-1 / reference std (ddof 0, floor 0.001), approximated from ${k} bin midpoints`;
    }
  }

  let value: number;
  switch (method) {
    case 'psi':
      value = psiResult.value;
      break;
    case 'jsDistance':
      value = scores.jsDistance;
      break;
    case 'chiSquare':
      value = scores.chiSquare!.pValue;
      break;
    case 'ks':
      if (!scores.ks) throw new RangeError('ks needs raw samples of a numeric feature (options.samples)');
      value = scores.ks.pValue;
      break;
    case 'wasserstein':
      if (!scores.wasserstein) throw new RangeError('wasserstein needs a numeric feature with raw samples or a finite bin width');
      value = scores.wasserstein.value;
      break;
    default:
      throw new RangeError(`Unknown drift method ${String(method)}`);
  }
  return {
    featureType: reference.type,
    method,
    value,
    severity: severityOf(method, value, thresholds),
    threshold: { ...thresholds[method], operator: thresholdOperator(method) },
    scores,
    convention: conventions[method]!,
    conventions,
  };
}
