import { bayesianEffect } from './bayesian-effect';
import { armKey, type ExperimentDesign, type ExperimentMetric } from './experiment-design';
import { studentTQuantile } from './distributions';
import { compareArms, sequentialCi, sequentialMultiplierAt, srmCheck, type BinomialArm, type ContinuousArm, type SequentialResult, type SrmResult } from './experiment-stats';
import { adjustPValues } from './multiple-comparisons';

/**
 * Every number the experiment page shows, from per-arm sufficient statistics (summed metric
 * buckets) and the design. Pure: the API returns exactly this object and the page renders it.
 *
 * - Goal metrics (primary and secondary) use a two-sided test of the relative lift: the
 *   asymptotic confidence sequence when sequential testing is on (safe to watch), Welch's t-test
 *   otherwise. Their p-values are adjusted together (Holm or Benjamini–Hochberg) across metrics ×
 *   treatments, guardrails excluded, as GrowthBook does. Each adjusted interval is the test's own
 *   interval at level α·p/p_adj (Welch: the t quantile; sequential: the same mixture ρ as the
 *   p-value), so it excludes 0 exactly when the adjusted p-value < α. GrowthBook instead back-solves
 *   a normal interval from p_adj, which turns infinite whenever a sequential p-value is 1 — early
 *   in every sequential test; this keeps the interval finite and the duality exact.
 * - Guardrails use a one-sided test in the direction that is bad: "significantly worse" means
 *   the treatment is shown to hurt, not merely that it fails to help.
 * - A non-inferiority margin m is met when the one-sided interval in the good direction stays
 *   clear of −m (or +m for lower-is-better metrics).
 */

export type Totals = { units: number; conversions: number; sum: number; sumSquares: number };
export type ArmTotals = Record<string /* arm key */, Totals>;

export type ArmSummary = { key: string; version: string; allocation: number; units: number };
export type MetricRole = 'primary' | 'secondary' | 'guardrail';

export type ComparisonRow =
  | {
      arm: string;
      status: 'ok';
      lift: number;
      absoluteDiff: number;
      /** two-sided for goal metrics (adjusted when a correction applies); one-sided for guardrails */
      ci: [number, number];
      pValue: number;
      adjustedPValue: number;
      significant: boolean;
      /** in the metric's own sense: 'better' means the good direction */
      verdict: 'better' | 'worse' | 'inconclusive';
      nonInferior: boolean | null;
      bayesian: { chanceToBeatControl: number; credibleInterval: [number, number]; risk: { control: number; treatment: number } } | null;
    }
  | { arm: string; status: 'not_enough_data'; message: string };

export type MetricResult = ExperimentMetric & {
  role: MetricRole;
  arms: { key: string; units: number; conversions: number | null; mean: number | null }[];
  comparisons: ComparisonRow[];
};

export type Recommendation = 'ship' | 'roll_back' | 'keep_running';

export type ExperimentResults = {
  method: {
    test: 'sequential' | 'fixed_horizon';
    /** "asymptotic confidence sequence (Waudby-Smith et al. 2023), N* = 5,000" or "Welch t-test" */
    description: string;
    nStar: number | null;
    alpha: number;
    correction: ExperimentDesign['correction'];
    comparisons: number;
  };
  arms: ArmSummary[];
  srm: SrmResult & { unitsPerArm: number[]; allocation: number[] };
  metrics: MetricResult[];
  progress: { plannedPerArm: number; minArmUnits: number; fraction: number; unitsPerHour: number | null; remainingHours: number | null };
  decision: { recommendation: Recommendation; arm: string | null; reasons: string[]; shipBlockedBy: string[] };
};

const empty: Totals = { units: 0, conversions: 0, sum: 0, sumSquares: 0 };

function statsFor(metric: ExperimentMetric, t: Totals): BinomialArm | ContinuousArm {
  // Conversions cannot exceed units; a router that reports otherwise is clamped rather than trusted.
  return metric.type === 'binomial' ? { units: t.units, conversions: Math.min(t.conversions, t.units) } : { units: t.units, sum: t.sum, sumSquares: t.sumSquares };
}

function meanOf(metric: ExperimentMetric, t: Totals): number | null {
  if (t.units === 0) return null;
  return metric.type === 'binomial' ? Math.min(t.conversions, t.units) / t.units : t.sum / t.units;
}

type RawTest = { lift: number; absoluteDiff: number; ci: [number, number]; pValue: number; se: number; df: number; n: number };

function testOf(design: ExperimentDesign, metric: ExperimentMetric, control: Totals, treatment: Totals, sides: 1 | 2, alternative: 'greater' | 'less'): RawTest | { message: string } {
  const a = statsFor(metric, control);
  const b = statsFor(metric, treatment);
  const options = { metricType: metric.type, alpha: design.alpha, sides, alternative } as const;
  const fixed = compareArms(a, b, options);
  if (fixed.status !== 'ok') return { message: fixed.message };
  const n = a.units + b.units;
  if (!design.sequential.enabled) return { lift: fixed.relativeLift, absoluteDiff: fixed.absoluteDiff, ci: fixed.relativeCi, pValue: fixed.pValue, se: fixed.se, df: fixed.df, n };
  const seq = sequentialCi(a, b, { ...options, nStar: design.sequential.nStar }) as SequentialResult;
  return { lift: seq.relativeLift, absoluteDiff: fixed.absoluteDiff, ci: seq.relativeCi, pValue: seq.pValue, se: seq.se, df: fixed.df, n };
}

/**
 * A goal metric's two-sided interval at level α·p/p_adj: the level at which the test's own
 * interval has 0 on its edge exactly when p_adj = α. p_adj = p (no correction bites) gives the
 * unadjusted interval back.
 */
export function adjustedTestInterval(design: ExperimentDesign, r: RawTest, adjustedP: number): [number, number] {
  const level = adjustedP > 0 && r.pValue > 0 ? design.alpha * Math.min(1, r.pValue / adjustedP) : design.alpha;
  const multiplier = design.sequential.enabled ? sequentialMultiplierAt(r.n, design.alpha, level, design.sequential.nStar) : studentTQuantile(1 - level / 2, r.df);
  return [r.lift - multiplier * r.se, r.lift + multiplier * r.se];
}

const better = (metric: ExperimentMetric, lift: number) => (metric.higherIsBetter ? lift > 0 : lift < 0);

/** One-sided interval in the good direction clears the margin. */
function nonInferiority(design: ExperimentDesign, metric: ExperimentMetric, control: Totals, treatment: Totals): boolean | null {
  const m = metric.nonInferiorityMargin;
  if (m === undefined) return null;
  const t = testOf(design, metric, control, treatment, 1, metric.higherIsBetter ? 'greater' : 'less');
  if ('message' in t) return null;
  return metric.higherIsBetter ? t.ci[0] > -m : t.ci[1] < m;
}

export function hoursToPlan(arms: ArmSummary[], plannedPerArm: number, unitsPerHour: number | null): number | null {
  const needed = arms.map((a) => ({ missing: Math.max(0, plannedPerArm - a.units), share: a.allocation / 100 }));
  if (needed.every((n) => n.missing === 0)) return 0;
  if (unitsPerHour === null || !(unitsPerHour > 0)) return null;
  return Math.max(...needed.map((n) => n.missing / (unitsPerHour * n.share)));
}

export function experimentResults(input: { design: ExperimentDesign; totals: Record<string, ArmTotals>; plannedPerArm: number; unitsPerHour: number | null }): ExperimentResults {
  const { design, totals, plannedPerArm, unitsPerHour } = input;
  const keys = design.arms.map(armKey);
  const treatments = keys.slice(1);
  const totalsOf = (metric: string, key: string): Totals => totals[metric]?.[key] ?? empty;

  // Units per arm: the primary metric's units (every exposed unit reports it).
  const arms: ArmSummary[] = design.arms.map((a, i) => ({ key: keys[i]!, version: a.version, allocation: a.allocation, units: totalsOf(design.primaryMetric.name, keys[i]!).units }));
  const unitsPerArm = arms.map((a) => a.units);
  const allocation = arms.map((a) => a.allocation);
  const srm = { ...srmCheck(unitsPerArm, allocation), unitsPerArm, allocation };

  const goals: [ExperimentMetric, MetricRole][] = [[design.primaryMetric, 'primary'], ...design.secondaryMetrics.map((m) => [m, 'secondary'] as [ExperimentMetric, MetricRole])];
  const all: [ExperimentMetric, MetricRole][] = [...goals, ...design.guardrailMetrics.map((m) => [m, 'guardrail'] as [ExperimentMetric, MetricRole])];

  // First pass: raw tests, so goal p-values can be adjusted as one family.
  const raw = all.map(([metric, role]) =>
    treatments.map((key) =>
      role === 'guardrail'
        ? testOf(design, metric, totalsOf(metric.name, 'control'), totalsOf(metric.name, key), 1, metric.higherIsBetter ? 'less' : 'greater')
        : testOf(design, metric, totalsOf(metric.name, 'control'), totalsOf(metric.name, key), 2, 'greater'),
    ),
  );
  const family: { m: number; t: number; p: number }[] = [];
  goals.forEach((_, m) => raw[m]!.forEach((r, t) => 'pValue' in r && family.push({ m, t, p: r.pValue })));
  const adjust = design.correction !== 'none' && family.length > 1;
  const adjusted = adjust ? adjustPValues(family.map((f) => f.p), design.correction) : family.map((f) => f.p);
  const adjustedOf = new Map(family.map((f, i) => [`${f.m}:${f.t}`, adjusted[i]!]));

  const metrics: MetricResult[] = all.map(([metric, role], m) => ({
    ...metric,
    role,
    arms: keys.map((key) => {
      const t = totalsOf(metric.name, key);
      return { key, units: t.units, conversions: metric.type === 'binomial' ? Math.min(t.conversions, t.units) : null, mean: meanOf(metric, t) };
    }),
    comparisons: treatments.map((key, t): ComparisonRow => {
      const r = raw[m]![t]!;
      if ('message' in r) return { arm: key, status: 'not_enough_data', message: r.message };
      const adjustedPValue = role === 'guardrail' ? r.pValue : adjustedOf.get(`${m}:${t}`)!;
      const ci = role !== 'guardrail' && adjust ? adjustedTestInterval(design, r, adjustedPValue) : r.ci;
      const significant = adjustedPValue < design.alpha;
      const bayes = role === 'guardrail' ? null : bayesianEffect({ lift: r.lift, se: r.se, alpha: design.alpha });
      return {
        arm: key,
        status: 'ok',
        lift: r.lift,
        absoluteDiff: r.absoluteDiff,
        ci,
        pValue: r.pValue,
        adjustedPValue,
        significant,
        verdict: !significant ? 'inconclusive' : role === 'guardrail' ? 'worse' : better(metric, r.lift) ? 'better' : 'worse',
        nonInferior: role === 'primary' ? nonInferiority(design, metric, totalsOf(metric.name, 'control'), totalsOf(metric.name, key)) : null,
        bayesian: bayes && {
          chanceToBeatControl: metric.higherIsBetter ? bayes.chanceToWin : 1 - bayes.chanceToWin,
          credibleInterval: bayes.credibleInterval,
          risk: bayes.risk,
        },
      };
    }),
  }));

  const minArmUnits = Math.min(...unitsPerArm);
  const remainingHours = hoursToPlan(arms, plannedPerArm, unitsPerHour);
  const progress = { plannedPerArm, minArmUnits, fraction: plannedPerArm > 0 ? Math.min(1, minArmUnits / plannedPerArm) : 1, unitsPerHour, remainingHours };
  const method: ExperimentResults['method'] = {
    test: design.sequential.enabled ? 'sequential' : 'fixed_horizon',
    description: design.sequential.enabled
      ? `Asymptotic confidence sequence (Waudby-Smith et al. 2023), N* = ${design.sequential.nStar.toLocaleString('en')}: valid at every look`
      : 'Welch t-test (fixed horizon): valid only at the planned sample size',
    nStar: design.sequential.enabled ? design.sequential.nStar : null,
    alpha: design.alpha,
    correction: adjust ? design.correction : 'none',
    comparisons: family.length,
  };
  const base = { method, arms, srm, metrics, progress };
  return { ...base, decision: recommend(design, base) };
}

const pct = (x: number) => `${(x * 100).toFixed(2)} %`;
const versionOf = (key: string) => key.replace(/^treatment:/, '');

/**
 * The decision rules (issue 6 §3), in order:
 * 1. a guardrail significantly worse for any treatment → roll back (the stop rule);
 * 2. sample ratio mismatch → keep running and fix assignment: no verdict is trustworthy, ship is blocked;
 * 3. fixed-horizon test before the planned sample size → keep running (peeking would inflate errors);
 * 4. the best treatment whose primary metric is significantly better (or non-inferior) → ship it;
 * 5. every treatment significantly worse on the primary metric → roll back;
 * 6. otherwise keep running, with the time left to the planned sample size.
 */
export function recommend(design: ExperimentDesign, r: Omit<ExperimentResults, 'decision'>): ExperimentResults['decision'] {
  const primary = r.metrics.find((m) => m.role === 'primary')!;
  const guardrails = r.metrics.filter((m) => m.role === 'guardrail');
  const shipBlockedBy: string[] = [];
  if (r.srm.status === 'ok' && r.srm.flagged)
    shipBlockedBy.push(`Sample ratio mismatch: units per arm ${r.srm.unitsPerArm.join(' / ')} against a planned ${r.srm.allocation.join(' / ')} split (χ² p = ${r.srm.pValue > 0 ? r.srm.pValue.toExponential(2) : '< 1e-300'} < 0.001)`);

  const worseGuardrails = guardrails.flatMap((g) =>
    g.comparisons.filter((c) => c.status === 'ok' && c.significant).map((c) => `${versionOf(c.arm)} makes guardrail ${g.name} significantly worse (${pct((c as { lift: number }).lift)}, one-sided p = ${(c as { pValue: number }).pValue.toPrecision(3)})`),
  );
  shipBlockedBy.push(...worseGuardrails);
  if (worseGuardrails.length) return { recommendation: 'roll_back', arm: null, reasons: worseGuardrails, shipBlockedBy };
  if (r.srm.status === 'ok' && r.srm.flagged) return { recommendation: 'keep_running', arm: null, reasons: ['Fix the assignment before deciding: the split of units does not match the plan, so the comparisons are biased.'], shipBlockedBy };

  const remaining = r.progress.remainingHours;
  const eta = remaining === null ? 'unknown at the current traffic' : remaining === 0 ? 'reached' : `about ${formatHours(remaining)} at the current traffic`;
  if (r.method.test === 'fixed_horizon' && r.progress.fraction < 1)
    return { recommendation: 'keep_running', arm: null, reasons: [`Fixed-horizon test: decide at the planned ${r.progress.plannedPerArm.toLocaleString('en')} units per arm (${pct(r.progress.fraction)} there; ${eta}). Deciding earlier inflates false positives.`], shipBlockedBy };

  const ok = primary.comparisons.filter((c): c is Extract<ComparisonRow, { status: 'ok' }> => c.status === 'ok');
  // A treatment shown to be better outranks one only shown to be not worse; then the larger lift.
  const rank = (c: (typeof ok)[number]) => (c.verdict === 'better' ? 0 : 1);
  const winners = ok
    .filter((c) => c.verdict === 'better' || c.nonInferior === true)
    .sort((a, b) => rank(a) - rank(b) || (design.primaryMetric.higherIsBetter ? b.lift - a.lift : a.lift - b.lift));
  const best = winners[0];
  if (best) {
    const why = best.verdict === 'better' ? `significantly better on ${primary.name} (${pct(best.lift)}, p = ${best.adjustedPValue.toPrecision(3)})` : `not worse on ${primary.name} than the ${pct(primary.nonInferiorityMargin!)} non-inferiority margin`;
    return { recommendation: 'ship', arm: versionOf(best.arm), reasons: [`${versionOf(best.arm)} is ${why}, no guardrail is significantly worse and the split matches the plan.`], shipBlockedBy };
  }
  if (ok.length > 0 && ok.length === primary.comparisons.length && ok.every((c) => c.verdict === 'worse'))
    return { recommendation: 'roll_back', arm: null, reasons: ok.map((c) => `${versionOf(c.arm)} is significantly worse on ${primary.name} (${pct(c.lift)})`), shipBlockedBy };

  const reasons =
    ok.length === 0
      ? ['Not enough data for a comparison yet.']
      : r.progress.fraction >= 1
        ? [`The planned sample size is reached without a significant effect on ${primary.name}: any effect is likely smaller than the ${pct(design.minimumDetectableEffect)} the test was sized for. Stop, or keep running to detect a smaller one.`]
        : [`No significant difference on ${primary.name} yet; planned sample size ${pct(r.progress.fraction)} reached, ${eta}.`];
  return { recommendation: 'keep_running', arm: null, reasons, shipBlockedBy };
}

export function formatHours(hours: number): string {
  const minutes = Math.round(hours * 60);
  if (minutes < 60) return `${Math.max(1, minutes)} min`;
  if (Math.round(hours) < 48) return `${Math.round(hours)} h`;
  return `${Math.round(hours / 24)} days`;
}

export type LiftPoint = { at: string; units: Record<string, number>; lift: Record<string, { lift: number; lo: number; hi: number } | null> };

/**
 * The primary metric's lift over time from cumulative totals, with the interval the chosen method
 * gives at each point (unadjusted: the band a single look would show). With sequential testing the
 * band is valid at every point, so watching it does not inflate false positives.
 */
export function liftOverTime(design: ExperimentDesign, points: { at: string; totals: ArmTotals }[]): LiftPoint[] {
  const keys = design.arms.map(armKey);
  return points.map(({ at, totals }) => ({
    at,
    units: Object.fromEntries(keys.map((k) => [k, totals[k]?.units ?? 0])),
    lift: Object.fromEntries(
      keys.slice(1).map((k) => {
        const t = testOf(design, design.primaryMetric, totals.control ?? empty, totals[k] ?? empty, 2, 'greater');
        return [k, 'message' in t ? null : { lift: t.lift, lo: t.ci[0], hi: t.ci[1] }];
      }),
    ),
  }));
}

