import type { NumericSummary, ReferenceProfile } from './drift-bins';
import { DRIFT_METHODS, isPValueMethod, type ThresholdPair } from './drift-scores';

/**
 * Drift validation: checks for profiles, snapshots, bin edges, raw values and per-model thresholds
 * arriving through the API (unknown input, e.g. parsed JSON). They return a list of problems
 * (field + message) rather than throwing, so the API can answer 422; the functions of
 * ./drift-bins and ./drift-scores assume input that passed these checks. Tested in
 * tests/unit/drift-validation.test.ts.
 */

export type DriftProblem = { field: string; message: string };

/** At most this many problems are listed per array (raw values can be long); then one summary line. */
const MAX_PROBLEMS_PER_ARRAY = 10;

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

function countProblems(counts: unknown, field: string): DriftProblem[] {
  const problems: DriftProblem[] = [];
  const entries: [string, unknown][] = Array.isArray(counts)
    ? counts.map((v, i): [string, unknown] => [`${field}[${i}]`, v])
    : isRecord(counts)
      ? Object.entries(counts).map(([k, v]): [string, unknown] => [`${field}.${k}`, v])
      : [];
  let bad = 0;
  let total = 0;
  for (const [name, v] of entries) {
    if (typeof v !== 'number' || !Number.isFinite(v)) {
      if (bad++ < MAX_PROBLEMS_PER_ARRAY) problems.push({ field: name, message: 'must be a finite number' });
    } else if (v < 0) {
      if (bad++ < MAX_PROBLEMS_PER_ARRAY) problems.push({ field: name, message: 'must not be negative' });
    } else total += v;
  }
  if (bad > MAX_PROBLEMS_PER_ARRAY) problems.push({ field, message: `${bad - MAX_PROBLEMS_PER_ARRAY} more invalid counts` });
  if (bad === 0 && entries.length > 0 && total === 0) problems.push({ field, message: 'all counts are zero: the snapshot is empty' });
  return problems;
}

/** Problems with bin edges: an array of finite numbers, strictly ascending. */
export function validateEdges(edges: unknown, field = 'edges'): DriftProblem[] {
  if (!Array.isArray(edges)) return [{ field, message: 'must be an array of numbers' }];
  const problems: DriftProblem[] = [];
  for (let i = 0; i < edges.length && problems.length < MAX_PROBLEMS_PER_ARRAY; i++) {
    const e: unknown = edges[i];
    if (typeof e !== 'number' || !Number.isFinite(e)) problems.push({ field: `${field}[${i}]`, message: 'must be a finite number' });
    else if (i > 0 && typeof edges[i - 1] === 'number' && !(e > (edges[i - 1] as number))) {
      problems.push({ field: `${field}[${i}]`, message: `edges must be strictly ascending: ${e} does not exceed ${String(edges[i - 1])}` });
    }
  }
  return problems;
}

function summaryProblems(summary: unknown, field: string): DriftProblem[] {
  if (summary === undefined) return [];
  if (!isRecord(summary)) return [{ field, message: 'must be an object with mean, std, min, max, n' }];
  const problems: DriftProblem[] = [];
  for (const key of ['mean', 'std', 'min', 'max', 'n'] as const) {
    const v = summary[key];
    if (typeof v !== 'number' || !Number.isFinite(v)) problems.push({ field: `${field}.${key}`, message: 'must be a finite number' });
  }
  if (problems.length > 0) return problems;
  const s = summary as NumericSummary;
  if (s.std < 0) problems.push({ field: `${field}.std`, message: 'must not be negative' });
  if (s.n < 0) problems.push({ field: `${field}.n`, message: 'must not be negative' });
  if (s.min > s.max) problems.push({ field: `${field}.min`, message: 'must not exceed max' });
  return problems;
}

/**
 * Problems with a reference profile (unknown input, e.g. parsed JSON): type 'numeric' or
 * 'categorical'; numeric — edges finite and strictly ascending, counts.length = edges.length + 1,
 * optional summary with finite fields, std ≥ 0, n ≥ 0, min ≤ max; categorical — a non-empty object
 * of counts with non-empty names; counts finite, ≥ 0 and not all zero. Fields are named from
 * `field` ('reference.counts[3]', 'reference.edges[2]', 'reference.counts.red').
 */
export function validateProfile(profile: unknown, field = 'reference'): DriftProblem[] {
  if (!isRecord(profile)) return [{ field, message: 'must be an object' }];
  if (profile.type === 'numeric') {
    const problems = validateEdges(profile.edges, `${field}.edges`);
    if (!Array.isArray(profile.counts)) problems.push({ field: `${field}.counts`, message: 'must be an array of counts, one per bin' });
    else {
      if (Array.isArray(profile.edges) && profile.counts.length !== profile.edges.length + 1) {
        problems.push({
          field: `${field}.counts`,
          message: `mismatched bin count: ${profile.edges.length} edges make ${profile.edges.length + 1} bins, got ${profile.counts.length} counts`,
        });
      }
      problems.push(...countProblems(profile.counts, `${field}.counts`));
    }
    problems.push(...summaryProblems(profile.summary, `${field}.summary`));
    return problems;
  }
  if (profile.type === 'categorical') return categoricalProblems(profile.counts, field);
  return [{ field: `${field}.type`, message: "must be 'numeric' or 'categorical'" }];
}

function categoricalProblems(counts: unknown, field: string): DriftProblem[] {
  if (!isRecord(counts)) return [{ field: `${field}.counts`, message: 'must be an object of counts per category' }];
  const keys = Object.keys(counts);
  if (keys.length === 0) return [{ field: `${field}.counts`, message: 'needs at least one category' }];
  const problems: DriftProblem[] = [];
  if (keys.some((k) => k.length === 0)) problems.push({ field: `${field}.counts`, message: 'category names must not be empty' });
  problems.push(...countProblems(counts, `${field}.counts`));
  return problems;
}

/**
 * Problems with a current snapshot against its (valid) reference: the same type; numeric —
 * exactly as many counts as the reference has bins ("mismatched bin count"), edges if sent equal
 * to the reference's, optional summary as for profiles; categorical — categories unseen in the
 * reference are allowed. Counts finite, ≥ 0, not all zero.
 */
export function validateSnapshot(reference: ReferenceProfile, snapshot: unknown, field = 'current'): DriftProblem[] {
  if (!isRecord(snapshot)) return [{ field, message: 'must be an object' }];
  if (snapshot.type !== reference.type) return [{ field: `${field}.type`, message: `must be '${reference.type}' like the reference profile` }];
  if (reference.type === 'categorical') return categoricalProblems(snapshot.counts, field);
  const problems: DriftProblem[] = [];
  const bins = reference.edges.length + 1;
  if (!Array.isArray(snapshot.counts)) problems.push({ field: `${field}.counts`, message: 'must be an array of counts, one per bin' });
  else {
    if (snapshot.counts.length !== bins) {
      problems.push({ field: `${field}.counts`, message: `mismatched bin count: the reference has ${bins} bins, got ${snapshot.counts.length} counts` });
    }
    problems.push(...countProblems(snapshot.counts, `${field}.counts`));
  }
  if (snapshot.edges !== undefined) {
    const edges = snapshot.edges;
    const same = Array.isArray(edges) && edges.length === reference.edges.length && edges.every((e, i) => e === reference.edges[i]);
    if (!same) problems.push({ field: `${field}.edges`, message: "must equal the reference profile's edges (or be omitted)" });
  }
  problems.push(...summaryProblems(snapshot.summary, `${field}.summary`));
  return problems;
}

/** Problems with raw values arriving for binning: a non-empty array of finite numbers. */
export function validateRawValues(values: unknown, field = 'values'): DriftProblem[] {
  if (!Array.isArray(values)) return [{ field, message: 'must be an array of numbers' }];
  if (values.length === 0) return [{ field, message: 'needs at least one value' }];
  const problems: DriftProblem[] = [];
  let bad = 0;
  values.forEach((v: unknown, i) => {
    if (typeof v !== 'number' || !Number.isFinite(v)) {
      if (bad++ < MAX_PROBLEMS_PER_ARRAY) problems.push({ field: `${field}[${i}]`, message: 'must be a finite number' });
    }
  });
  if (bad > MAX_PROBLEMS_PER_ARRAY) problems.push({ field, message: `${bad - MAX_PROBLEMS_PER_ARRAY} more non-finite values` });
  return problems;
}

/**
 * Problems with per-model thresholds (Settings): every method present with finite numbers;
 * distances 0 ≤ warning ≤ critical; p-values 0 < critical ≤ warning ≤ 1.
 */
export function validateThresholds(thresholds: unknown, field = 'thresholds'): DriftProblem[] {
  if (!isRecord(thresholds)) return [{ field, message: 'must be an object' }];
  const problems: DriftProblem[] = [];
  for (const method of DRIFT_METHODS) {
    const pair = thresholds[method];
    const name = `${field}.${method}`;
    if (!isRecord(pair) || typeof pair.warning !== 'number' || typeof pair.critical !== 'number' || !Number.isFinite(pair.warning) || !Number.isFinite(pair.critical)) {
      problems.push({ field: name, message: 'needs finite warning and critical numbers' });
      continue;
    }
    const { warning, critical } = pair as ThresholdPair;
    if (isPValueMethod(method)) {
      if (!(critical > 0 && critical <= warning && warning <= 1)) problems.push({ field: name, message: 'p-value thresholds need 0 < critical ≤ warning ≤ 1' });
    } else if (!(warning >= 0 && warning <= critical)) problems.push({ field: name, message: 'distance thresholds need 0 ≤ warning ≤ critical' });
  }
  return problems;
}
