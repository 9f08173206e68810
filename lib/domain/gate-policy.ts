import { z } from 'zod';

/**
 * What a version must show before it may be deployed into an environment: checks that must have
 * passed, and metric thresholds judged against the version currently live there (the baseline).
 * One pure function decides, so the version page, the API and the release controller cannot
 * disagree about why something is blocked.
 */

export const CHECK_KINDS = ['unit', 'smoke', 'data_drift', 'performance', 'quality_regression', 'safety', 'contract'] as const;
export type CheckKind = (typeof CHECK_KINDS)[number];

export const CHECK_STATUSES = ['passed', 'failed', 'running', 'skipped'] as const;
export type CheckStatus = (typeof CHECK_STATUSES)[number];

/**
 * MLflow MetricThreshold semantics (ANCHORS-ML A.2, mlflow/models/evaluation/validation.py), with
 * one extension: minAbsoluteChange and minRelativeChange may be NEGATIVE, meaning a tolerated
 * regression (minRelativeChange −0.005 = "may drop at most 0.5 % against the baseline").
 */
export const MetricThreshold = z
  .object({
    metric: z.string().min(1).max(200),
    threshold: z.number().finite().optional(),
    minAbsoluteChange: z.number().finite().optional(),
    minRelativeChange: z.number().finite().min(-1).max(1).optional(),
    greaterIsBetter: z.boolean(),
  })
  .refine((r) => r.threshold !== undefined || r.minAbsoluteChange !== undefined || r.minRelativeChange !== undefined, {
    message: 'Set at least one of threshold, minAbsoluteChange or minRelativeChange',
    path: ['threshold'],
  });
export type MetricThreshold = z.infer<typeof MetricThreshold>;

// As in MLflow (a dict keyed by metric), one rule per metric and check: two rules could disagree
// on greaterIsBetter, and one rule can already combine a threshold with change limits.
const MetricThresholds = z
  .array(MetricThreshold)
  .max(50)
  .superRefine((rules, ctx) => {
    const seen = new Set<string>();
    rules.forEach((r, i) => {
      if (seen.has(r.metric)) ctx.addIssue({ code: 'custom', message: `Duplicate rule for metric "${r.metric}"`, path: [i, 'metric'] });
      seen.add(r.metric);
    });
  });

export const GatePolicy = z.object({
  requiredChecks: z
    .array(z.enum(CHECK_KINDS))
    .max(CHECK_KINDS.length)
    .transform((kinds) => [...new Set(kinds)]),
  thresholds: z.partialRecord(z.enum(CHECK_KINDS), MetricThresholds).default({}),
});
export type GatePolicy = z.infer<typeof GatePolicy>;

export type GateCheckResult = { kind: CheckKind; status: CheckStatus; measurements: Record<string, number> };
/** reason: one readable sentence with the numbers, e.g. 'quality_regression: auc 0.912 is below 0.9154 (baseline 0.92 −0.5 %)'. */
export type UnmetGate = { kind: CheckKind; metric?: string; reason: string };
/** reason is not prefixed with the kind (it has its own column); UnmetGate reasons are. */
export type MetricVerdict = { kind: CheckKind; metric: string; candidate: number | null; baseline: number | null; passed: boolean; reason: string };

export const DEFAULT_PRODUCTION_POLICY: GatePolicy = {
  requiredChecks: ['unit', 'smoke', 'contract', 'quality_regression', 'performance', 'safety'],
  thresholds: {
    // Policies are per environment, models differ: CI reports each model's headline offline
    // metric under this common name (and its own metrics beside it).
    quality_regression: [{ metric: 'primary_metric', minRelativeChange: -0.005, greaterIsBetter: true }],
    performance: [{ metric: 'p99_latency_ms', minRelativeChange: -0.1, greaterIsBetter: false }],
    safety: [{ metric: 'subgroup_gap_points', threshold: 2, greaterIsBetter: false }],
  },
};

export const DEFAULT_STAGING_POLICY: GatePolicy = { requiredChecks: ['unit', 'smoke'], thresholds: {} };

// ---------------------------------------------------------------------------------------------
// Exact decimal arithmetic. Limits are computed on the shortest decimal form of each number
// (what the policy author typed and the job reported), so "exactly at the limit" passes: in
// binary floating point 0.92 × 0.995 is not 0.9154, and 0.9154 would fail its own limit.

/** value = m × 10^e */
type Decimal = { m: bigint; e: number };

function toDecimal(x: number): Decimal {
  // String() of a finite number is always the shortest round-trip form in this shape.
  const match = /^(-?)(\d+)(?:\.(\d+))?(?:e([+-]\d+))?$/.exec(String(x));
  if (!match) throw new RangeError(`Not a finite number: ${x}`);
  const [, sign = '', int = '', frac = '', exp = '0'] = match;
  return { m: BigInt(sign + int + frac), e: Number(exp) - frac.length };
}

function align(a: Decimal, b: Decimal): [bigint, bigint, number] {
  const e = Math.min(a.e, b.e);
  return [a.m * 10n ** BigInt(a.e - e), b.m * 10n ** BigInt(b.e - e), e];
}

const add = (a: Decimal, b: Decimal): Decimal => {
  const [am, bm, e] = align(a, b);
  return { m: am + bm, e };
};
const mul = (a: Decimal, b: Decimal): Decimal => ({ m: a.m * b.m, e: a.e + b.e });
const neg = (a: Decimal): Decimal => ({ m: -a.m, e: a.e });
const abs = (a: Decimal): Decimal => ({ m: a.m < 0n ? -a.m : a.m, e: a.e });
const compare = (a: Decimal, b: Decimal): number => {
  const [am, bm] = align(a, b);
  return am < bm ? -1 : am > bm ? 1 : 0;
};

function formatDecimal(d: Decimal): string {
  const digits = (d.m < 0n ? -d.m : d.m).toString();
  let text: string;
  if (d.e >= 0) text = digits + '0'.repeat(d.e);
  else {
    const padded = digits.padStart(-d.e + 1, '0');
    const point = padded.length + d.e;
    text = `${padded.slice(0, point)}.${padded.slice(point)}`.replace(/\.?0+$/, '');
  }
  // Very large or tiny values read better in exponent form.
  if (text.length > 21) text = String(Number(text));
  return d.m < 0n ? `-${text}` : text;
}

const formatSigned = (d: Decimal) => (d.m < 0n ? `−${formatDecimal(abs(d))}` : `+${formatDecimal(d)}`);

// ---------------------------------------------------------------------------------------------

/** NaN and ±Infinity mean the measurement broke; they count as not measured. Own keys only. */
function measured(measurements: Record<string, number> | undefined, metric: string): number | undefined {
  if (!measurements || !Object.hasOwn(measurements, metric)) return undefined;
  const value = measurements[metric];
  return typeof value === 'number' && Number.isFinite(value) ? value : undefined;
}

const usable = (x: number | null | undefined): x is number => typeof x === 'number' && Number.isFinite(x);

type Part = { passed: boolean; text: string };

/** MLflow's slack when the baseline is 0 and a relative improvement was demanded. */
const ZERO_BASELINE_SLACK = 1e-10;

/**
 * One rule against one candidate value. `baseline`: the live version's value; undefined when that
 * version exists but did not measure the metric; null when no version is live in the environment.
 *
 * - Higher is better: candidate ≥ threshold; ≥ baseline + minAbsoluteChange;
 *   ≥ baseline + minRelativeChange·|baseline|. Lower is better mirrors each (≤, −).
 * - |baseline| rather than MLflow's baseline·(1 + r): identical for positive baselines, and for a
 *   negative one (a log-likelihood) a demanded improvement stays an improvement.
 * - Baseline 0 with minRelativeChange > 0: as MLflow, a strict improvement with 1e-10 slack
 *   (candidate ≥ 1e-10, or ≤ −1e-10 when lower is better). With minRelativeChange ≤ 0 (nothing
 *   to gain, or a tolerated regression) the formula already reads "no worse than 0", so it applies.
 * - Candidate missing → fail. Baseline missing on an existing version → the change rules fail
 *   (MLflow). No version live (first deployment) → the change rules do not apply; the absolute
 *   threshold still does.
 */
export function evaluateMetricThreshold(
  rule: MetricThreshold,
  candidate: number | undefined,
  baseline: number | undefined | null,
): { passed: boolean; reason: string } {
  const { metric, greaterIsBetter } = rule;
  if (!usable(candidate)) return { passed: false, reason: `${metric} was not measured` };
  const value = toDecimal(candidate);

  const against = (limit: Decimal, context = ''): Part => {
    const c = compare(value, limit);
    const passed = greaterIsBetter ? c >= 0 : c <= 0;
    const relation = greaterIsBetter ? (passed ? 'is at least' : 'is below') : passed ? 'is at most' : 'is above';
    return { passed, text: `${metric} ${candidate} ${relation} ${formatDecimal(limit)}${context}` };
  };

  const parts: Part[] = [];
  if (rule.threshold !== undefined) parts.push(against(toDecimal(rule.threshold)));

  const { minAbsoluteChange, minRelativeChange } = rule;
  if (minAbsoluteChange !== undefined || minRelativeChange !== undefined) {
    if (baseline === null) {
      parts.push({ passed: true, text: 'no version in this environment yet; only the absolute threshold applies' });
    } else if (!usable(baseline)) {
      parts.push({ passed: false, text: `no baseline ${metric} to compare with` });
    } else {
      const base = toDecimal(baseline);
      // The offset in the better direction: added when higher is better, subtracted otherwise.
      const towardsBetter = (offset: Decimal) => (greaterIsBetter ? offset : neg(offset));
      if (minAbsoluteChange !== undefined) {
        const offset = towardsBetter(toDecimal(minAbsoluteChange));
        parts.push(against(add(base, offset), ` (baseline ${baseline} ${formatSigned(offset)})`));
      }
      if (minRelativeChange !== undefined) {
        if (baseline === 0 && minRelativeChange > 0) {
          const strict = against(towardsBetter(toDecimal(ZERO_BASELINE_SLACK)));
          const relation = greaterIsBetter ? 'above' : 'below';
          const text = strict.passed
            ? `${metric} ${candidate} is ${relation} the zero baseline`
            : `${metric} ${candidate} is not ${relation} the zero baseline (a relative improvement over 0 must be strict, by at least 1e-10)`;
          parts.push({ passed: strict.passed, text });
        } else {
          const share = towardsBetter(toDecimal(minRelativeChange));
          const percent = mul(share, { m: 100n, e: 0 });
          parts.push(against(add(base, mul(share, abs(base))), ` (baseline ${baseline} ${formatSigned(percent)} %)`));
        }
      }
    }
  }

  const failed = parts.filter((p) => !p.passed);
  return { passed: failed.length === 0, reason: (failed.length > 0 ? failed : parts).map((p) => p.text).join('; ') };
}

const STATUS_PROBLEM: Record<Exclude<CheckStatus, 'passed'> | 'missing', string> = {
  missing: 'no result reported yet',
  running: 'still running',
  failed: 'failed',
  skipped: 'skipped, but the policy requires it',
};

/** One result per kind is expected; if a list repeats a kind, the later entry wins. */
function byKind(checks: GateCheckResult[]): Map<CheckKind, GateCheckResult> {
  return new Map(checks.map((c) => [c.kind, c]));
}

/**
 * Is the candidate deployable under `policy`? Every required kind must have passed; every metric
 * rule of a kind whose check passed (required or not) is judged against the baseline check of the
 * same kind, whatever that check's status (its numbers still describe the live version).
 * `baselineChecks` is null when nothing runs in the environment yet.
 * Output is ordered by CHECK_KINDS, then by rule order, so it reads the same for every caller.
 */
export function evaluateGates(input: {
  policy: GatePolicy;
  checks: GateCheckResult[];
  baselineChecks: GateCheckResult[] | null;
}): { deployable: boolean; unmet: UnmetGate[]; verdicts: MetricVerdict[] } {
  const { policy } = input;
  const checks = byKind(input.checks);
  const baselines = input.baselineChecks === null ? null : byKind(input.baselineChecks);
  const required = new Set(policy.requiredChecks);
  const unmet: UnmetGate[] = [];
  const verdicts: MetricVerdict[] = [];

  for (const kind of CHECK_KINDS) {
    const check = checks.get(kind);
    if (required.has(kind) && check?.status !== 'passed') {
      unmet.push({ kind, reason: `${kind}: ${STATUS_PROBLEM[check?.status ?? 'missing']}` });
    }
    if (check?.status !== 'passed') continue;
    for (const rule of policy.thresholds[kind] ?? []) {
      const candidate = measured(check.measurements, rule.metric);
      const baseline = baselines === null ? null : measured(baselines.get(kind)?.measurements, rule.metric);
      const { passed, reason } = evaluateMetricThreshold(rule, candidate, baseline);
      verdicts.push({ kind, metric: rule.metric, candidate: candidate ?? null, baseline: baseline ?? null, passed, reason });
      if (!passed) unmet.push({ kind, metric: rule.metric, reason: `${kind}: ${reason}` });
    }
  }
  return { deployable: unmet.length === 0, unmet, verdicts };
}
