import { z } from 'zod';
import {
  mannWhitneyFromHistograms,
  minimumDetectableRelativeEffect,
  normalCdf,
  quantileFromHistogram,
  twoProportionTest,
  type HistogramBucket,
} from './statistics';

/**
 * The canary judge: one analysis interval's baseline and canary measurements in, one explained
 * verdict out; then the run of verdicts in, one action for the release controller out. Pure, so the
 * controller, the release page and a retrospective replay of old intervals cannot disagree.
 *
 * Shape borrowed from Kayenta's NetflixACAJudge (ANCHORS-DELIVERY §2.3): per-metric outcomes, a
 * weighted score with pass/marginal thresholds, critical and dry-run metrics, no-data excluded from
 * the score. Where we differ on purpose: a metric fails only when the canary is worse by more than
 * a stated allowance AND the difference is significant (Kayenta fails any significant shift by
 * default, and passes sparse data it cannot resolve — kayenta#426); too little traffic is
 * "inconclusive", never a pass; and the traffic split is checked (sample-ratio mismatch, LD §2.4).
 */

export const CanaryMetricConfig = z.object({
  name: z.string().min(1).max(100), // e.g. 'error_rate', 'latency', 'conversion'
  kind: z.enum(['rate', 'latency']), // rate: counters (count, errors); latency: histogram buckets
  badDirection: z.enum(['higher', 'lower']).default('higher'),
  allowedRelative: z.number().min(0).default(0.2), // canary may be worse by this fraction before it can fail
  allowedAbsolute: z.number().min(0).default(0), // ...and by at least this much in absolute terms (rate points as a fraction, ms)
  alpha: z.number().gt(0).lt(0.5).default(0.05),
  minSamples: z.number().int().min(1).default(1000), // per variant (requests for rates, observations for latency)
  weight: z.number().positive().default(1),
  critical: z.boolean().default(false), // a failure fails the interval whatever the score
  dryRun: z.boolean().default(false), // computed and shown, never counted
  noData: z.enum(['fail', 'ignore', 'extend']).default('extend'),
  quantile: z.number().gt(0).lt(1).default(0.99), // for latency: the quantile the allowance applies to
});
export type CanaryMetricConfig = z.infer<typeof CanaryMetricConfig>;

export const AnalysisConfig = z
  .object({
    metrics: z
      .array(CanaryMetricConfig)
      .min(1)
      .max(50)
      // Measurements are keyed by metric name: two configs with one name would judge the same data.
      .superRefine((metrics, ctx) => {
        const seen = new Set<string>();
        metrics.forEach((m, i) => {
          if (seen.has(m.name)) ctx.addIssue({ code: 'custom', message: `Duplicate metric "${m.name}"`, path: [i, 'name'] });
          seen.add(m.name);
        });
      }),
    passScore: z.number().min(0).max(100).default(95), // Kayenta-style thresholds (spinnaker.io best practices: 95 / 75)
    marginalScore: z.number().min(0).max(100).default(75),
    failureLimit: z.number().int().min(0).default(1), // failed intervals tolerated; Argo semantics: roll back when failures > limit
    consecutiveFailureLimit: z.number().int().min(1).default(2),
    inconclusiveLimit: z.number().int().min(0).default(3), // inconclusive intervals in a row before the controller pauses for a human
    splitTolerance: z.number().min(0).max(1).default(0.25), // observed canary share may differ from the weight by this fraction (relative)
  })
  .refine((c) => c.marginalScore <= c.passScore, { message: 'The marginal score cannot be above the pass score', path: ['marginalScore'] });
export type AnalysisConfig = z.infer<typeof AnalysisConfig>;

/**
 * Error rate must not rise by more than 20 % and 0.2 points; p99 latency by more than 10 % and
 * 5 ms. The error rate is critical: a canary that fails it rolls back whatever latency says.
 */
export const DEFAULT_ANALYSIS: AnalysisConfig = AnalysisConfig.parse({
  metrics: [
    { name: 'error_rate', kind: 'rate', critical: true, allowedRelative: 0.2, allowedAbsolute: 0.002 },
    { name: 'latency', kind: 'latency', quantile: 0.99, allowedRelative: 0.1, allowedAbsolute: 5 },
  ],
});

/**
 * One variant's measurements for one metric over the interval. rate: `count` requests and `errors`
 * among them (conversions for a conversion metric). latency: milliseconds as per-bucket counts
 * (not cumulative; see statistics.HistogramBucket), the same bounds for baseline and canary.
 */
export type VariantData = { rate?: { count: number; errors: number }; latency?: HistogramBucket[] };
/** baseline and canary are keyed by metric name; weight is the configured canary traffic in percent (0–100). */
export type IntervalInput = {
  config: AnalysisConfig;
  baseline: Record<string, VariantData | undefined>;
  canary: Record<string, VariantData | undefined>;
  weight: number;
};
/**
 * reason: one readable line with the numbers, e.g. 'error rate 2.40 % vs 1.10 %, +118 %, allowed
 * +20 %, p = 0.0003' (canary first). numbers (null when not computed): baseline and canary (the
 * rate as a fraction, or the quantile in ms), difference, relative, threshold (the value the canary
 * must go beyond to fail), pValue (one-sided, in the bad direction), pValueTwoSided, z, n1
 * (baseline), n2 (canary), alpha, minSamples, allowedRelative, allowedAbsolute; latency adds
 * quantile and effect (P(canary > baseline) + ½ P(tie), 0.5 = no shift).
 */
export type MetricVerdict = {
  metric: string;
  outcome: 'pass' | 'fail' | 'inconclusive' | 'no_data';
  dryRun: boolean;
  critical: boolean;
  reason: string;
  numbers: Record<string, number | null>;
  test: 'two_proportion' | 'mann_whitney' | null;
};
/**
 * score: 0–100 rounded to 2 decimals, null when no metric counted. split: canary share of the
 * requests of the first rate metric with data on both sides, in percent, against the configured
 * weight (observed null when there is none).
 * minimumDetectableEffect: per rate metric, the smallest relative change this interval's traffic
 * detects with 80 % power at the metric's alpha (0.25 = 25 %).
 */
export type IntervalVerdict = {
  verdict: 'pass' | 'marginal' | 'fail' | 'inconclusive';
  score: number | null;
  metrics: MetricVerdict[];
  summary: string;
  extendStep: boolean;
  split: { expected: number; observed: number | null; ok: boolean };
  minimumDetectableEffect: { metric: string; relative: number | null }[];
};

// ---------------------------------------------------------------------------------------------
// Formatting: reasons are read by on-call engineers, so units and signs are always written out.

const MINUS = '−';

const formatCount = (n: number) => Math.round(n).toString().replace(/\B(?=(\d{3})+(?!\d))/g, ',');

/** 2 decimals, or 2 significant digits below 0.1 so small values do not read as 0. */
const formatSmall = (x: number) => (x === 0 || Math.abs(x) >= 0.1 ? x.toFixed(2) : x.toPrecision(2));

/** 118 %, 2.2 %, 0.45 % (of a fraction, unsigned): whole percent from 10 up, one decimal from 1, two below. */
function formatPercent(fraction: number): string {
  const percent = Math.abs(fraction * 100);
  return `${percent.toFixed(percent >= 10 ? 0 : percent >= 1 ? 1 : 2)} %`;
}

/** +118 %, −0.45 %, ±0.00 % */
function formatChange(fraction: number): string {
  const text = formatPercent(fraction);
  const sign = Number.parseFloat(text) === 0 ? '±' : fraction < 0 ? MINUS : '+';
  return `${sign}${text}`;
}

const formatMs = (ms: number) => `${ms.toFixed(Math.abs(ms) >= 100 ? 0 : Math.abs(ms) >= 10 ? 1 : 2)} ms`;

const formatP = (p: number) => (p < 0.0001 ? 'p < 0.0001' : `p = ${p.toFixed(p < 0.01 ? 4 : 3)}`);

const formatScore = (score: number) => String(score);

const humanName = (name: string) => name.replace(/_/g, ' ');

type Units = { label: string; value: (x: number) => string; amount: (x: number) => string };

function unitsOf(metric: CanaryMetricConfig): Units {
  if (metric.kind === 'rate') {
    return { label: humanName(metric.name), value: (x) => `${formatSmall(x * 100)} %`, amount: (x) => `${formatSmall(x * 100)} points` };
  }
  const percentile = `p${Number((metric.quantile * 100).toFixed(4))}`;
  const name = humanName(metric.name);
  return { label: name.startsWith(`${percentile} `) ? name : `${percentile} ${name}`, value: formatMs, amount: formatMs };
}

// ---------------------------------------------------------------------------------------------
// Reading one side's measurements

type Observation = { n: number; value: number; buckets: HistogramBucket[] | null; count: number; errors: number };
type Reading = { ok: true; observation: Observation } | { ok: false; problem: string };

const NO_DATA = 'no data';

function readRate(data: VariantData | undefined): Reading {
  const rate = data?.rate;
  if (!rate) return { ok: false, problem: NO_DATA };
  const { count, errors } = rate;
  if (!Number.isFinite(count) || !Number.isFinite(errors) || count < 0 || errors < 0) {
    return { ok: false, problem: `unusable data (count ${count}, errors ${errors})` };
  }
  if (errors > count) return { ok: false, problem: `unusable data (${formatCount(errors)} errors among ${formatCount(count)} requests)` };
  if (count === 0) return { ok: false, problem: NO_DATA };
  return { ok: true, observation: { n: count, value: errors / count, buckets: null, count, errors } };
}

function readLatency(data: VariantData | undefined, quantile: number): Reading {
  const buckets = data?.latency;
  if (!buckets || buckets.length === 0) return { ok: false, problem: NO_DATA };
  if (buckets.some((b) => Number.isNaN(b.le) || !Number.isFinite(b.count) || b.count < 0)) {
    return { ok: false, problem: 'unusable data (a bucket with an invalid bound or count)' };
  }
  const n = buckets.reduce((sum, b) => sum + b.count, 0);
  if (n === 0) return { ok: false, problem: NO_DATA };
  const value = quantileFromHistogram(buckets, quantile);
  if (value === null) return { ok: false, problem: 'unusable data (no finite bucket bound)' };
  return { ok: true, observation: { n, value, buckets, count: n, errors: 0 } };
}

function describeMissing(baseline: Reading, canary: Reading): string {
  if (!baseline.ok && !canary.ok && baseline.problem === NO_DATA && canary.problem === NO_DATA) return 'no data on either side';
  const parts: string[] = [];
  if (!canary.ok) parts.push(`${canary.problem} on the canary`);
  if (!baseline.ok) parts.push(`${baseline.problem} on the baseline`);
  return parts.join(' and ');
}

// ---------------------------------------------------------------------------------------------
// One metric

type Judged = { verdict: MetricVerdict; weight: number; extend: boolean };

/** Beyond `limit` in the bad direction by more than floating-point noise: exactly at the allowance passes. */
const beyond = (x: number, limit: number, direction: 'higher' | 'lower', scale: number) =>
  direction === 'higher' ? x - limit > 1e-9 * scale : limit - x > 1e-9 * scale;

/**
 * Rules, in order:
 * 1. Either side without usable data → the metric's noData policy: 'fail' fails it (counted, as
 *    Kayenta's NodataFailMetric), 'ignore' → no_data (not counted), 'extend' → no_data and the
 *    step is extended.
 * 2. Fewer than minSamples on either side → inconclusive (not counted): too little traffic must
 *    never read as a pass.
 * 3. Otherwise the canary FAILS only if, in the bad direction, it is beyond both allowances
 *    (canary > baseline·(1 + allowedRelative) and canary − baseline > allowedAbsolute; mirrored
 *    for 'lower') and the one-sided test in that direction gives p < alpha. Otherwise it passes.
 *    Rates use the two-proportion z-test, latency the configured quantile for the allowance and
 *    Mann–Whitney U on the whole histogram for significance.
 */
function judgeMetric(metric: CanaryMetricConfig, baselineData: VariantData | undefined, canaryData: VariantData | undefined): Judged {
  const read = (data: VariantData | undefined) => (metric.kind === 'rate' ? readRate(data) : readLatency(data, metric.quantile));
  const baseline = read(baselineData);
  const canary = read(canaryData);
  const base = { metric: metric.name, dryRun: metric.dryRun, critical: metric.critical };
  const config = { alpha: metric.alpha, minSamples: metric.minSamples, allowedRelative: metric.allowedRelative, allowedAbsolute: metric.allowedAbsolute };
  const judged = (verdict: Omit<MetricVerdict, keyof typeof base>, extend = false): Judged => ({
    verdict: { ...base, ...verdict },
    weight: metric.weight,
    extend,
  });

  if (!baseline.ok || !canary.ok) {
    const missing = describeMissing(baseline, canary);
    const numbers = { n1: baseline.ok ? baseline.observation.n : null, n2: canary.ok ? canary.observation.n : null, ...config };
    if (metric.noData === 'fail') return judged({ outcome: 'fail', reason: `${missing}, which fails this metric`, numbers, test: null });
    if (metric.noData === 'ignore') return judged({ outcome: 'no_data', reason: `${missing}; ignored`, numbers, test: null });
    return judged({ outcome: 'no_data', reason: `${missing}; extending the step until it arrives`, numbers, test: null }, !metric.dryRun);
  }

  const b = baseline.observation;
  const c = canary.observation;
  const units = unitsOf(metric);
  const difference = c.value - b.value;
  const relative = b.value === 0 ? null : c.value / b.value - 1;
  const observed: Record<string, number | null> = { baseline: b.value, canary: c.value, difference, relative, n1: b.n, n2: c.n, ...config };
  if (metric.kind === 'latency') observed.quantile = metric.quantile;

  const short = ([[c.n, 'canary'], [b.n, 'baseline']] as const).filter(([n]) => n < metric.minSamples);
  if (short.length > 0) {
    const reason = short
      .map(([n, side], i) => (i === 0 ? `${formatCount(n)} of ${formatCount(metric.minSamples)} required samples on the ${side}` : `${formatCount(n)} on the ${side}`))
      .join(' and ');
    return judged({ outcome: 'inconclusive', reason, numbers: observed, test: null });
  }

  const direction = metric.badDirection;
  const sign = direction === 'higher' ? 1 : -1;
  const relativeLimit = b.value * (1 + sign * metric.allowedRelative);
  const absoluteLimit = b.value + sign * metric.allowedAbsolute;
  const threshold = direction === 'higher' ? Math.max(relativeLimit, absoluteLimit) : Math.min(relativeLimit, absoluteLimit);
  const scale = Math.max(Math.abs(b.value), Math.abs(c.value));
  const beyondAllowance = beyond(c.value, relativeLimit, direction, scale) && beyond(c.value, absoluteLimit, direction, scale);

  let z: number;
  let pValueTwoSided: number;
  let extra: Record<string, number> = {};
  if (metric.kind === 'rate') {
    const t = twoProportionTest({ n1: b.count, x1: b.errors, n2: c.count, x2: c.errors });
    z = t.z;
    pValueTwoSided = t.pValue;
  } else {
    const t = mannWhitneyFromHistograms(b.buckets ?? [], c.buckets ?? []);
    z = t.z;
    pValueTwoSided = t.pValue;
    extra = { effect: t.effect };
  }
  // One-sided in the bad direction: P(Z ≥ z) for 'higher', P(Z ≤ z) for 'lower'.
  const pValue = normalCdf(direction === 'higher' ? -z : z);
  const significant = pValue < metric.alpha;
  const failed = beyondAllowance && significant;

  // The allowance that binds: the relative one unless the absolute one is larger.
  const signText = direction === 'higher' ? '+' : MINUS;
  const relativeAmount = Math.abs(b.value) * metric.allowedRelative;
  const allowed =
    relativeAmount >= metric.allowedAbsolute
      ? `${signText}${formatPercent(metric.allowedRelative)}`
      : `${signText}${units.amount(metric.allowedAbsolute)}${b.value === 0 ? '' : ` (${signText}${formatPercent(metric.allowedAbsolute / Math.abs(b.value))})`}`;
  const parts = [`${units.label} ${units.value(c.value)} vs ${units.value(b.value)}`];
  if (relative !== null) parts.push(formatChange(relative));
  parts.push(`allowed ${allowed}`);
  if (beyondAllowance) parts.push(significant ? formatP(pValue) : `${formatP(pValue)}, not significant at α = ${metric.alpha}`);

  return judged({
    outcome: failed ? 'fail' : 'pass',
    reason: parts.join(', '),
    numbers: { ...observed, threshold, pValue, pValueTwoSided, z, ...extra },
    test: metric.kind === 'rate' ? 'two_proportion' : 'mann_whitney',
  });
}

// ---------------------------------------------------------------------------------------------
// One interval

function checkSplit(config: AnalysisConfig, input: IntervalInput): IntervalVerdict['split'] {
  const expected = input.weight;
  for (const metric of config.metrics) {
    if (metric.kind !== 'rate') continue;
    const baseline = readRate(input.baseline[metric.name]);
    const canary = readRate(input.canary[metric.name]);
    // Both sides must have counted requests: a side without data is a metric problem (its noData
    // policy handles it), and a canary that gets no traffic at all has no data on any metric.
    if (!baseline.ok || !canary.ok) continue;
    const observed = (100 * canary.observation.count) / (baseline.observation.count + canary.observation.count);
    // A tiny slack so a split exactly at the tolerance is not flagged by rounding.
    return { expected, observed, ok: Math.abs(observed - expected) <= config.splitTolerance * expected + 1e-9 };
  }
  return { expected, observed: null, ok: true };
}

const OUTCOME_WORDS: Record<MetricVerdict['outcome'], string> = { pass: 'passed', fail: 'failed', inconclusive: 'inconclusive', no_data: 'had no data' };

function describe(m: MetricVerdict): string {
  if (m.dryRun) return `${m.metric} ${m.outcome === 'fail' ? 'would fail' : OUTCOME_WORDS[m.outcome]} (dry run): ${m.reason}`;
  return `${m.metric} ${OUTCOME_WORDS[m.outcome]}${m.critical && m.outcome === 'fail' ? ' (critical)' : ''}: ${m.reason}`;
}

/**
 * Judge one interval. Score = 100 × weight of passing metrics / weight of counted metrics (pass and
 * fail; dry-run, no_data and inconclusive metrics are not counted), rounded to 2 decimals before
 * it is compared, as Kayenta does, so the number shown is the number judged. Verdict, first match:
 * a critical (non-dry-run) metric failed → fail; the traffic split is off by more than
 * splitTolerance → inconclusive (sample-ratio mismatch: the two groups are not comparable, so
 * neither pass nor a score-based fail can be trusted); no score → inconclusive; score ≥ passScore →
 * pass; ≥ marginalScore → marginal; else fail. weight outside [0, 100] → RangeError.
 */
export function judgeInterval(input: IntervalInput): IntervalVerdict {
  const { config } = input;
  if (!(input.weight >= 0 && input.weight <= 100)) throw new RangeError(`The canary weight must be a percentage in [0, 100], got ${input.weight}`);

  const judged = config.metrics.map((m) => judgeMetric(m, input.baseline[m.name], input.canary[m.name]));
  const metrics = judged.map((j) => j.verdict);
  const counted = judged.filter((j) => !j.verdict.dryRun && (j.verdict.outcome === 'pass' || j.verdict.outcome === 'fail'));
  const countedWeight = counted.reduce((sum, j) => sum + j.weight, 0);
  const passedWeight = counted.filter((j) => j.verdict.outcome === 'pass').reduce((sum, j) => sum + j.weight, 0);
  const score = countedWeight > 0 ? Math.round((10_000 * passedWeight) / countedWeight) / 100 : null;
  const extendStep = judged.some((j) => j.extend);
  const split = checkSplit(config, input);

  const active = metrics.filter((m) => !m.dryRun);
  const criticalFailures = active.filter((m) => m.critical && m.outcome === 'fail');
  const failures = active.filter((m) => m.outcome === 'fail');
  const notJudged = active.filter((m) => m.outcome === 'inconclusive' || m.outcome === 'no_data');
  const dryRunFailures = metrics.filter((m) => m.dryRun && m.outcome === 'fail');

  let verdict: IntervalVerdict['verdict'];
  let lead: string;
  let details: MetricVerdict[];
  if (criticalFailures.length > 0) {
    verdict = 'fail';
    lead = '';
    details = [...criticalFailures, ...failures.filter((m) => !m.critical)];
  } else if (!split.ok) {
    verdict = 'inconclusive';
    lead = score === null ? '' : `the metrics alone score ${formatScore(score)}`;
    details = failures;
  } else if (score === null) {
    verdict = 'inconclusive';
    lead = 'no metric could be judged';
    details = notJudged;
  } else if (score >= config.passScore) {
    verdict = 'pass';
    lead = `score ${formatScore(score)}, ${counted.filter((j) => j.verdict.outcome === 'pass').length} of ${counted.length} judged metrics passed`;
    details = [...failures, ...notJudged];
  } else if (score >= config.marginalScore) {
    verdict = 'marginal';
    lead = `score ${formatScore(score)}, below pass ${config.passScore}`;
    details = failures;
  } else {
    verdict = 'fail';
    lead = `score ${formatScore(score)}, below marginal ${config.marginalScore}`;
    details = failures;
  }

  const splitNote = split.ok
    ? null
    : `sample-ratio mismatch: the canary got ${split.observed!.toFixed(1)} % of requests, configured ${split.expected} % (±${formatPercent(config.splitTolerance)} tolerated)`;
  const clauses = [
    verdict === 'inconclusive' && splitNote ? splitNote : null,
    lead || null,
    ...details.map(describe),
    verdict !== 'inconclusive' && splitNote ? splitNote : null,
    ...dryRunFailures.map(describe),
    extendStep && verdict !== 'inconclusive' ? 'step extended until every metric has data' : null,
  ].filter((c): c is string => c !== null);
  const title = { pass: 'Pass', marginal: 'Marginal', fail: 'Fail', inconclusive: 'Inconclusive' }[verdict];
  const summary = `${title}: ${clauses.join('; ')}`;

  const minimumDetectableEffect = config.metrics
    .filter((m) => m.kind === 'rate')
    .map((m) => {
      const baseline = readRate(input.baseline[m.name]);
      const canary = readRate(input.canary[m.name]);
      const relative =
        baseline.ok && canary.ok
          ? minimumDetectableRelativeEffect({ baselineRate: baseline.observation.value, n1: baseline.observation.n, n2: canary.observation.n, alpha: m.alpha, power: 0.8 })
          : null;
      return { metric: m.name, relative };
    });

  return { verdict, score, metrics, summary, extendStep, split, minimumDetectableEffect };
}

// ---------------------------------------------------------------------------------------------
// The release

export type ReleaseJudgement = { action: 'continue' | 'advance_ok' | 'rollback' | 'pause'; reason: string };

const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;

function trailing(history: readonly IntervalVerdict['verdict'][], verdict: IntervalVerdict['verdict']): number {
  let n = 0;
  for (let i = history.length - 1; i >= 0 && history[i] === verdict; i--) n++;
  return n;
}

/**
 * What the controller does after the intervals judged so far (oldest first). First match:
 * failed intervals > failureLimit (Argo Rollouts: "failed when failures exceed failureLimit";
 * cumulative, as Flagger's threshold) or the last consecutiveFailureLimit intervals all failed →
 * rollback; more than inconclusiveLimit inconclusive intervals in a row → pause for a human (Argo's
 * InconclusiveAnalysisRun pause); the last interval passed or was marginal → advance_ok; otherwise
 * (nothing judged yet, a tolerated failure, a few inconclusive intervals) → continue.
 */
export function judgeRelease(history: IntervalVerdict['verdict'][], config: AnalysisConfig): ReleaseJudgement {
  const failures = history.filter((v) => v === 'fail').length;
  if (failures > config.failureLimit) {
    return { action: 'rollback', reason: `${plural(failures, 'failed interval')}, more than the ${config.failureLimit} tolerated` };
  }
  const consecutiveFailures = trailing(history, 'fail');
  if (consecutiveFailures >= config.consecutiveFailureLimit) {
    return { action: 'rollback', reason: `${consecutiveFailures} failed intervals in a row (limit ${config.consecutiveFailureLimit})` };
  }
  const inconclusive = trailing(history, 'inconclusive');
  if (inconclusive > config.inconclusiveLimit) {
    return {
      action: 'pause',
      reason: `${plural(inconclusive, 'inconclusive interval')} in a row, more than the ${config.inconclusiveLimit} tolerated; a human must decide`,
    };
  }
  const last = history.at(-1);
  if (last === 'pass') return { action: 'advance_ok', reason: 'The last interval passed' };
  if (last === 'marginal') return { action: 'advance_ok', reason: 'The last interval was marginal' };
  if (last === undefined) return { action: 'continue', reason: 'No interval judged yet' };
  if (last === 'fail') {
    return { action: 'continue', reason: `The last interval failed (${failures} of ${config.failureLimit} tolerated failures); judging the next one` };
  }
  return { action: 'continue', reason: `${plural(inconclusive, 'inconclusive interval')} in a row (${config.inconclusiveLimit} tolerated); waiting for more data` };
}
