/**
 * Drift bins: the shapes of a feature's reference profile and current snapshot, and how they are
 * built from raw values — quantile edges of the reference (referenceEdges), binning with those
 * edges (binValues), summary statistics (summarize), category counts — plus the alignment of two
 * distributions over a common index (alignCounts) that every distribution score starts from, and
 * the small input checks shared with ./drift-scores and ./ks-test. Pure functions, checked against
 * numpy in tests/unit/drift-bins.test.ts (reference script tests/unit/reference/drift-scores.py).
 *
 * Shapes
 * - Numeric reference profile: `edges` are the k − 1 inner bin edges (ascending), the k bins are
 *   (−∞, e₁], (e₁, e₂], …, (e_{k−1}, ∞) — right-closed, open outer edges — and `counts` has k
 *   entries. A current snapshot has the same number of bins (binned with the reference's edges).
 * - Categorical profile: counts per category; a snapshot may contain categories the reference
 *   never saw.
 * Counts are finite and ≥ 0 (they need not be integers: weights work) and not all zero.
 *
 * Errors: the functions here assume validated input (./drift-validation checks API input) and
 * throw a RangeError on malformed programmer input: negative / non-finite counts or values, an
 * all-zero side, numeric bins of different lengths, numeric vs categorical, edges not strictly
 * ascending, empty samples.
 */

// ---------------------------------------------------------------------------------------------
// Types

/** Summary statistics of the raw values behind a numeric profile; std is the population std (ddof 0). */
export type NumericSummary = { mean: number; std: number; min: number; max: number; n: number };

/** Reference profile of a numeric feature: k − 1 inner edges (ascending), k counts. */
export type NumericProfile = { type: 'numeric'; edges: readonly number[]; counts: readonly number[]; summary?: NumericSummary };

/** A numeric snapshot: counts over the reference's bins. Edges, when present, must be the reference's. */
export type NumericSnapshot = { type: 'numeric'; edges?: readonly number[]; counts: readonly number[]; summary?: NumericSummary };

/** Counts per category (reference or current). */
export type CategoricalProfile = { type: 'categorical'; counts: Readonly<Record<string, number>> };

export type ReferenceProfile = NumericProfile | CategoricalProfile;
export type CurrentSnapshot = NumericSnapshot | CategoricalProfile;
export type FeatureType = ReferenceProfile['type'];

/**
 * What the distribution scores accept: a profile or snapshot, bare bin counts (the same number of
 * bins on both sides) or bare category counts (unioned).
 */
export type Distribution = ReferenceProfile | CurrentSnapshot | readonly number[] | Readonly<Record<string, number>>;

// ---------------------------------------------------------------------------------------------
// Small helpers (the exported ones are shared with ./drift-scores and ./ks-test)

export const isCountArray = (d: unknown): d is readonly number[] => Array.isArray(d);
const isProfile = (d: Distribution): d is ReferenceProfile | CurrentSnapshot =>
  !isCountArray(d) && typeof (d as { type?: unknown }).type === 'string' && typeof (d as { counts?: unknown }).counts === 'object';

export function requireCount(field: string, value: number): void {
  if (!Number.isFinite(value) || value < 0) throw new RangeError(`${field} must be a finite count ≥ 0, got ${value}`);
}

export function requireFiniteValues(values: readonly number[], name: string): void {
  if (values.length === 0) throw new RangeError(`${name} needs at least one value`);
  for (let i = 0; i < values.length; i++) {
    if (!Number.isFinite(values[i])) throw new RangeError(`${name}[${i}] must be a finite number, got ${values[i]}`);
  }
}

function requireAscendingEdges(edges: readonly number[]): void {
  for (let i = 0; i < edges.length; i++) {
    if (!Number.isFinite(edges[i])) throw new RangeError(`edges[${i}] must be a finite number, got ${edges[i]}`);
    if (i > 0 && !(edges[i]! > edges[i - 1]!)) throw new RangeError(`edges must be strictly ascending (edges[${i}] = ${edges[i]})`);
  }
}

export const sum = (values: readonly number[]): number => values.reduce((acc, v) => acc + v, 0);

// ---------------------------------------------------------------------------------------------
// Labels and alignment

/** Interval label of bin i of k for the given inner edges: (−∞, e₁], (e₁, e₂], …, (e_{k−1}, ∞). */
export function binLabel(edges: readonly number[], i: number): string {
  const lo = i === 0 ? '-∞' : String(edges[i - 1]);
  return i === edges.length ? `(${lo}, ∞)` : `(${lo}, ${edges[i]}]`;
}

export type Aligned = { kind: 'bins' | 'categories'; labels: string[]; reference: number[]; current: number[] };

/**
 * The two count vectors over a common index: numeric bins by position (lengths must agree);
 * categories as the union — the reference's categories in its key order, then the categories
 * only the current side has (a category missing on one side counts 0 there).
 */
export function alignCounts(reference: Distribution, current: Distribution): Aligned {
  const unwrap = (d: Distribution) => (isProfile(d) ? d.counts : d);
  const r = unwrap(reference);
  const c = unwrap(current);
  const numericR = isCountArray(r);
  const numericC = isCountArray(c);
  if (isProfile(reference) && isProfile(current) && reference.type !== current.type) {
    throw new RangeError(`Cannot compare a ${reference.type} reference with a ${current.type} snapshot`);
  }
  if (numericR !== numericC) throw new RangeError('Cannot compare bin counts with category counts');
  let aligned: Aligned;
  if (isCountArray(r) && isCountArray(c)) {
    if (r.length !== c.length) throw new RangeError(`Bin counts differ in length: reference ${r.length}, current ${c.length}`);
    if (r.length === 0) throw new RangeError('At least one bin is needed');
    const edges = isProfile(reference) && reference.type === 'numeric' && reference.edges?.length === r.length - 1 ? reference.edges : null;
    aligned = {
      kind: 'bins',
      labels: r.map((_, i) => (edges ? binLabel(edges, i) : `bin ${i}`)),
      reference: [...r],
      current: [...c],
    };
  } else {
    const rc = r as Readonly<Record<string, number>>;
    const cc = c as Readonly<Record<string, number>>;
    const labels = [...Object.keys(rc), ...Object.keys(cc).filter((k) => !Object.hasOwn(rc, k))];
    if (labels.length === 0) throw new RangeError('At least one category is needed');
    aligned = {
      kind: 'categories',
      labels,
      reference: labels.map((k) => (Object.hasOwn(rc, k) ? rc[k]! : 0)),
      current: labels.map((k) => (Object.hasOwn(cc, k) ? cc[k]! : 0)),
    };
  }
  aligned.reference.forEach((v, i) => requireCount(`reference count of ${aligned.labels[i]}`, v));
  aligned.current.forEach((v, i) => requireCount(`current count of ${aligned.labels[i]}`, v));
  if (!(sum(aligned.reference) > 0)) throw new RangeError('The reference counts are all zero');
  if (!(sum(aligned.current) > 0)) throw new RangeError('The current counts are all zero');
  return aligned;
}

// ---------------------------------------------------------------------------------------------
// Bins from the reference

/**
 * The reference's quantile edges: q_i = quantile(values, i/bins) for i = 1 … bins − 1 with
 * numpy.quantile's default 'linear' method (Hyndman & Fan type 7: position (n − 1)·q in the sorted
 * values, linear interpolation between the two neighbours, computed as numpy's _lerp does), so
 * deciles by default. Duplicate edges are merged (numpy.unique), so that ties — a zero-inflated
 * feature, a feature with four distinct values — never produce empty zero-width bins whose edges
 * coincide (ing-bank/probatus #112): with ties there are fewer than `bins` bins, at least one.
 * Empty or non-finite values, or bins not an integer ≥ 1 → RangeError.
 */
export function referenceEdges(values: readonly number[], bins = 10): number[] {
  requireFiniteValues(values, 'values');
  if (!Number.isInteger(bins) || bins < 1) throw new RangeError(`bins must be an integer ≥ 1, got ${bins}`);
  const sorted = [...values].sort((a, b) => a - b);
  const n = sorted.length;
  const edges: number[] = [];
  for (let i = 1; i < bins; i++) {
    const position = (n - 1) * (i / bins);
    if (position >= n - 1) {
      edges.push(sorted[n - 1]!);
      continue;
    }
    const below = Math.floor(position);
    const gamma = position - below;
    const a = sorted[below]!;
    const b = sorted[below + 1]!;
    const diff = b - a;
    edges.push(gamma >= 0.5 ? b - diff * (1 - gamma) : a + diff * gamma);
  }
  edges.sort((a, b) => a - b);
  return edges.filter((e, i) => i === 0 || e !== edges[i - 1]);
}

/**
 * Counts per bin for raw values, right-closed: bin 0 is (−∞, e₁] (x ≤ e₁ goes to bin 0), bin i is
 * (e_i, e_{i+1}], the last bin (e_{k−1}, ∞) — numpy.searchsorted(edges, x, side='left'). Returns
 * edges.length + 1 counts. Non-finite values or edges, or edges not strictly ascending → RangeError.
 * An empty list of values gives all-zero counts.
 */
export function binValues(values: readonly number[], edges: readonly number[]): number[] {
  requireAscendingEdges(edges);
  const counts = new Array<number>(edges.length + 1).fill(0);
  for (let i = 0; i < values.length; i++) {
    const x = values[i]!;
    if (!Number.isFinite(x)) throw new RangeError(`values[${i}] must be a finite number, got ${x}`);
    let lo = 0;
    let hi = edges.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (edges[mid]! < x) lo = mid + 1;
      else hi = mid;
    }
    counts[lo]! += 1;
  }
  return counts;
}

/** mean, population std (ddof 0, two-pass), min, max, n of raw values (non-empty, finite). */
export function summarize(values: readonly number[]): NumericSummary {
  requireFiniteValues(values, 'values');
  const n = values.length;
  const mean = sum(values) / n;
  let squares = 0;
  let min = Number.POSITIVE_INFINITY;
  let max = Number.NEGATIVE_INFINITY;
  for (const x of values) {
    squares += (x - mean) * (x - mean);
    if (x < min) min = x;
    if (x > max) max = x;
  }
  return { mean, std: Math.sqrt(squares / n), min, max, n };
}

/** A numeric reference profile from training values: referenceEdges(values, bins), binValues, summarize. */
export function numericProfileFromValues(values: readonly number[], bins = 10): NumericProfile {
  const edges = referenceEdges(values, bins);
  return { type: 'numeric', edges, counts: binValues(values, edges), summary: summarize(values) };
}

/** A numeric snapshot from raw production values, binned with the reference's edges (non-empty, finite). */
export function numericSnapshotFromValues(reference: NumericProfile, values: readonly number[]): NumericSnapshot {
  requireFiniteValues(values, 'values');
  return { type: 'numeric', counts: binValues(values, reference.edges), summary: summarize(values) };
}

/** Counts per category from raw categorical values (arriving snapshots), in order of first appearance. */
export function countCategories(values: readonly string[]): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const v of values) counts[v] = (Object.hasOwn(counts, v) ? counts[v]! : 0) + 1;
  return counts;
}
