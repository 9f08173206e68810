import type { AlertSeverity, ObservedSeverity } from './alert-rules';
import type { HistogramBucket } from './statistics';

/**
 * SLO alerting with the SRE Workbook's multi-window, multi-burn-rate rules ("Alerting on SLOs",
 * ANCHORS-ML §D). Pure: the controller answers "how many good and total requests in the last W
 * seconds" and gets back a severity to feed the SLO's alert instance (lib/domain/alert-rules,
 * SLO_ALERT_RULE) together with every burn rate for the evidence summary.
 *
 * - burn rate = error ratio / (1 − SLO): 1 spends exactly the budget over the SLO period.
 *   Budget consumed over a window = burn × window / period.
 * - A rule fires when the burn over its long window AND over its short window both exceed its
 *   factor (strictly, as the workbook's `>`); the short window (1/12 of the long) makes the
 *   alert stop soon after the errors stop. Rules are OR-ed; the severity is the highest firing
 *   rule's ('ok' when none fires).
 * - A window with no traffic (total 0) or no data (null) is not burning: no requests, no budget
 *   spent. So a service that stops receiving traffic does not page through this rule; alert on
 *   absent traffic separately if that matters.
 * - Default factors are for a 30-day SLO period: factor = budget share × period / long window.
 */

export const SLO_PERIOD_SECONDS = 30 * 86_400;

export type BurnRule = {
  name: string;
  longWindowSeconds: number;
  shortWindowSeconds: number;
  /** Burn rate both windows must exceed. */
  factor: number;
  severity: AlertSeverity;
};

const HOUR = 3600;
/** Workbook table: 2 % of a 30-day budget in 1 h, 5 % in 6 h (both page), 10 % in 3 d (ticket). */
export const DEFAULT_BURN_RULES: readonly BurnRule[] = Object.freeze([
  Object.freeze({ name: 'page-fast', longWindowSeconds: HOUR, shortWindowSeconds: 5 * 60, factor: 14.4, severity: 'critical' as const }),
  Object.freeze({ name: 'page-slow', longWindowSeconds: 6 * HOUR, shortWindowSeconds: 30 * 60, factor: 6, severity: 'critical' as const }),
  Object.freeze({ name: 'ticket', longWindowSeconds: 72 * HOUR, shortWindowSeconds: 6 * HOUR, factor: 1, severity: 'warning' as const }),
]);

function assertSlo(slo: number): void {
  if (!(Number.isFinite(slo) && slo > 0 && slo < 1)) throw new RangeError(`An SLO must be a ratio strictly between 0 and 1 (e.g. 0.999), got ${slo}`);
}

/** errorRatio / (1 − slo). Throws RangeError unless 0 < slo < 1 and 0 ≤ errorRatio ≤ 1. */
export function burnRate(errorRatio: number, slo: number): number {
  assertSlo(slo);
  if (!(Number.isFinite(errorRatio) && errorRatio >= 0 && errorRatio <= 1)) throw new RangeError(`An error ratio must be in [0, 1], got ${errorRatio}`);
  return errorRatio / (1 - slo);
}

/** The burn factor that spends `budgetShare` of the budget in `longWindowSeconds`: 0.02 × 720 h / 1 h = 14.4. */
export function burnFactor(budgetShare: number, longWindowSeconds: number, periodSeconds = SLO_PERIOD_SECONDS): number {
  if (!(budgetShare > 0 && budgetShare <= 1)) throw new RangeError(`A budget share must be in (0, 1], got ${budgetShare}`);
  if (!(longWindowSeconds > 0 && periodSeconds > 0 && Number.isFinite(longWindowSeconds) && Number.isFinite(periodSeconds))) {
    throw new RangeError('Windows and the period must be positive and finite');
  }
  return (budgetShare * periodSeconds) / longWindowSeconds;
}

/** Share of the period's budget a window spends at this burn rate: burn × window / period. */
export function budgetConsumed(burn: number, windowSeconds: number, periodSeconds = SLO_PERIOD_SECONDS): number {
  return (burn * windowSeconds) / periodSeconds;
}

/** The error ratio a rule needs to exceed: factor × (1 − slo); 1.44 % for 14.4 at 99.9 %. */
export function errorRatioThreshold(factor: number, slo: number): number {
  assertSlo(slo);
  return factor * (1 - slo);
}

/**
 * Seconds from a step change (no errors before, a steady `errorRatio` after, constant traffic)
 * until `rule` fires: the long window is the slower to cross, at threshold × long / errorRatio
 * (the workbook's detection time, (1 − SLO) / error ratio × window × factor). null when the
 * error ratio never exceeds the threshold. Firing is strict, so this is the instant after which
 * the rule fires.
 */
export function detectionTimeSeconds(rule: BurnRule, slo: number, errorRatio = 1): number | null {
  assertRule(rule);
  if (!(Number.isFinite(errorRatio) && errorRatio >= 0 && errorRatio <= 1)) throw new RangeError(`An error ratio must be in [0, 1], got ${errorRatio}`);
  const threshold = errorRatioThreshold(rule.factor, slo);
  if (!(errorRatio > threshold)) return null;
  return (threshold * rule.longWindowSeconds) / errorRatio;
}

export type WindowCounts = { good: number; total: number };

/** good = total − errors, refusing errors > total, negatives and non-finite counts. */
export function countsFromErrors(errors: number, total: number): WindowCounts {
  if (!(Number.isFinite(errors) && Number.isFinite(total) && errors >= 0 && total >= 0)) {
    throw new RangeError(`Counts must be finite and ≥ 0, got errors ${errors}, total ${total}`);
  }
  if (errors > total) throw new RangeError(`Errors (${errors}) cannot exceed total (${total})`);
  return { good: total - errors, total };
}

export type WindowBurn = {
  windowSeconds: number;
  /** null when the window had no data. */
  counts: WindowCounts | null;
  /** null when there was no data or no traffic. */
  errorRatio: number | null;
  burn: number | null;
  burning: boolean;
};

export type RuleBurn = { rule: BurnRule; long: WindowBurn; short: WindowBurn; firing: boolean };

export type BurnEvaluation = {
  severity: ObservedSeverity;
  /** The firing rules, in rule order. */
  firing: { rule: BurnRule; longBurn: number; shortBurn: number }[];
  /** Every rule with both windows, firing or not (the evidence). */
  burns: RuleBurn[];
};

function assertRule(rule: BurnRule): void {
  const positive = (x: number) => Number.isFinite(x) && x > 0;
  if (!positive(rule.longWindowSeconds) || !positive(rule.shortWindowSeconds)) throw new RangeError(`Rule ${rule.name}: windows must be positive and finite`);
  if (rule.shortWindowSeconds > rule.longWindowSeconds) throw new RangeError(`Rule ${rule.name}: the short window cannot be longer than the long one`);
  if (!positive(rule.factor)) throw new RangeError(`Rule ${rule.name}: the factor must be positive and finite`);
  if (rule.severity !== 'warning' && rule.severity !== 'critical') throw new RangeError(`Rule ${rule.name}: severity must be warning or critical`);
}

function assertCounts(windowSeconds: number, counts: WindowCounts): void {
  const { good, total } = counts;
  if (!(Number.isFinite(good) && Number.isFinite(total) && good >= 0 && total >= 0)) {
    throw new RangeError(`Window ${windowSeconds} s: counts must be finite and ≥ 0, got good ${good}, total ${total}`);
  }
  if (good > total) throw new RangeError(`Window ${windowSeconds} s: good (${good}) cannot exceed total (${total})`);
}

/** Strictly above, with equality judged to 12 significant digits so that 0.0144 / 0.001 is not "above" 14.4. */
const exceeds = (burn: number, factor: number) => burn > factor && Math.abs(burn - factor) > 1e-12 * factor;

/**
 * Evaluates `rules` (OR across rules, AND within a rule's pair of windows). `windows` is asked
 * once per distinct window length (the 6 h window serves both page-slow and ticket). Throws
 * RangeError for an invalid SLO, an invalid rule, or counts that are negative, non-finite or
 * have good > total (i.e. errors > total).
 */
export function evaluateBurn(
  windows: (windowSeconds: number) => WindowCounts | null,
  slo: number,
  rules: readonly BurnRule[] = DEFAULT_BURN_RULES,
): BurnEvaluation {
  assertSlo(slo);
  rules.forEach(assertRule);
  const cache = new Map<number, WindowBurn>();
  const windowBurn = (windowSeconds: number): WindowBurn => {
    const known = cache.get(windowSeconds);
    if (known) return known;
    const counts = windows(windowSeconds);
    let result: WindowBurn;
    if (counts === null || counts === undefined) {
      result = { windowSeconds, counts: null, errorRatio: null, burn: null, burning: false };
    } else {
      assertCounts(windowSeconds, counts);
      const errorRatio = counts.total === 0 ? null : (counts.total - counts.good) / counts.total;
      const burn = errorRatio === null ? null : burnRate(errorRatio, slo);
      result = { windowSeconds, counts: { good: counts.good, total: counts.total }, errorRatio, burn, burning: false };
    }
    cache.set(windowSeconds, result);
    return result;
  };

  const burns: RuleBurn[] = rules.map((rule) => {
    const judge = (w: WindowBurn): WindowBurn => ({ ...w, burning: w.burn !== null && exceeds(w.burn, rule.factor) });
    const long = judge(windowBurn(rule.longWindowSeconds));
    const short = judge(windowBurn(rule.shortWindowSeconds));
    return { rule, long, short, firing: long.burning && short.burning };
  });
  const firing = burns.filter((b) => b.firing).map((b) => ({ rule: b.rule, longBurn: b.long.burn!, shortBurn: b.short.burn! }));
  const severity: ObservedSeverity = firing.some((f) => f.rule.severity === 'critical') ? 'critical' : firing.length > 0 ? 'warning' : 'ok';
  return { severity, firing, burns };
}

function sortedBuckets(histogram: readonly HistogramBucket[]): HistogramBucket[] {
  const byLe = new Map<number, number>();
  for (const { le, count } of histogram) {
    if (Number.isNaN(le)) throw new RangeError('A bucket bound (le) must be a number');
    if (!(Number.isFinite(count) && count >= 0)) throw new RangeError(`A bucket count must be finite and ≥ 0, got ${count}`);
    byLe.set(le, (byLe.get(le) ?? 0) + count);
  }
  return [...byLe.entries()].sort(([a], [b]) => a - b).map(([le, count]) => ({ le, count }));
}

/**
 * Good and total requests of a latency histogram for a latency SLO "≤ thresholdMs". Buckets are
 * Flightdeck's: count per bucket (not cumulative), `le` in ms, any order, repeated bounds summed
 * (lib/domain/metrics-input). Requests in buckets with le ≤ threshold are good. When the
 * threshold falls inside a bucket, its share is interpolated linearly between the previous bound
 * (0 for the first bucket) and its own — the assumption histogram_quantile makes; exact when the
 * threshold is a bucket bound, which is the way to configure it. A bucket with le = +Infinity is
 * never good (its requests may be arbitrarily slow). Note that cumulativeToBuckets (promql) folds
 * Prometheus' +Inf overflow into the last finite bucket, so a threshold at or above the last
 * finite bound counts the overflow as good: keep the threshold below the last bound.
 */
export function latencyGoodTotal(histogram: readonly HistogramBucket[], thresholdMs: number): WindowCounts {
  if (!(Number.isFinite(thresholdMs) && thresholdMs >= 0)) throw new RangeError(`A latency threshold must be finite and ≥ 0 ms, got ${thresholdMs}`);
  const buckets = sortedBuckets(histogram);
  const total = buckets.reduce((sum, b) => sum + b.count, 0);
  let good = 0;
  let previous: number | undefined;
  for (const { le, count } of buckets) {
    if (le <= thresholdMs) {
      good += count;
    } else {
      const lower = previous ?? (le > 0 ? 0 : le);
      if (Number.isFinite(le) && thresholdMs > lower) good += (count * (thresholdMs - lower)) / (le - lower);
      break;
    }
    previous = le;
  }
  return { good: Math.min(good, total), total };
}

/** Share of requests ≤ thresholdMs (see latencyGoodTotal); null when the histogram is empty. */
export function latencyGoodRatio(histogram: readonly HistogramBucket[], thresholdMs: number): number | null {
  const { good, total } = latencyGoodTotal(histogram, thresholdMs);
  return total === 0 ? null : good / total;
}
