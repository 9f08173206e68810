import { and, desc, eq, gte, sql } from 'drizzle-orm';
import { anyId } from '@/db/any-id';
import { environments, experiments, metricSamples, models, modelVersions, releases } from '@/db/schema';
import { liveVersions } from './deployability';
import { rowsOf, type Database, type Tx } from '@/db';
import { armKey, SampleSizeQuestion, type ExperimentDesign } from '@/lib/domain/experiment-design';
import { daysToReach, sampleSizePerArm } from '@/lib/domain/sample-size';
import { experimentResults, liftOverTime, type ArmTotals, type Totals } from '@/lib/domain/experiment-results';
import type { Actor } from '@/lib/domain/roles';
import { authorize } from '@/lib/services/authorize';
import { invalid, notFound } from '@/lib/services/errors';
import { fieldErrorsOf } from '@/lib/services/use-case';

type Caller = { actor: Actor | null; db: Database };
type Reader = Database | Tx;

/** Lift-over-time charts never carry more than this many points, whatever the experiment's age. */
export const MAX_SERIES_POINTS = 120;
/** Current traffic is measured over this trailing window of buckets. */
const RATE_WINDOW_MS = 10 * 60_000;

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** How the experiment stands: from its release's state and its decision. */
export type ExperimentStatus = 'waiting_for_approval' | 'ready' | 'running' | 'paused' | 'shipped' | 'rolled_back' | 'ended';

export function statusOf(releaseState: string, decision: string | null): ExperimentStatus {
  if (decision === 'ship') return 'shipped';
  if (decision === 'roll_back' || releaseState === 'rolled_back') return 'rolled_back';
  if (releaseState === 'pending_approval') return 'waiting_for_approval';
  if (releaseState === 'approved') return 'ready';
  if (releaseState === 'running' || releaseState === 'paused') return releaseState;
  return 'ended';
}

const columns = {
  id: experiments.id,
  name: experiments.name,
  hypothesis: experiments.hypothesis,
  design: experiments.design,
  plannedSampleSize: experiments.plannedSampleSize,
  decision: experiments.decision,
  decisionReason: experiments.decisionReason,
  shippedVersion: experiments.shippedVersion,
  promotionReleaseId: experiments.promotionReleaseId,
  decidedBy: experiments.decidedBy,
  decidedAt: experiments.decidedAt,
  createdBy: experiments.createdBy,
  createdAt: experiments.createdAt,
  releaseId: releases.id,
  releaseState: releases.state,
  startedAt: releases.startedAt,
  finishedAt: releases.finishedAt,
  model: models.name,
  environment: environments.name,
};

function base(db: Reader) {
  return db
    .select(columns)
    .from(experiments)
    .innerJoin(releases, eq(releases.id, experiments.releaseId))
    .innerJoin(models, eq(models.id, releases.modelId))
    .innerJoin(environments, eq(environments.id, releases.environmentId));
}

type Row = Awaited<ReturnType<ReturnType<typeof base>['execute']>>[number];

function present(row: Row) {
  const design = row.design as ExperimentDesign;
  return { ...row, design, status: statusOf(row.releaseState, row.decision) };
}

/** Units per arm of each experiment's primary metric, in one query for a whole page of them. */
async function unitsByArm(db: Reader, rows: Row[]): Promise<Map<string, Record<string, number>>> {
  const out = new Map<string, Record<string, number>>();
  if (rows.length === 0) return out;
  const sums = await db
    .select({ releaseId: metricSamples.releaseId, metric: metricSamples.metric, variant: metricSamples.variant, units: sql<number>`sum(${metricSamples.count})` })
    .from(metricSamples)
    .where(anyId(metricSamples.releaseId, rows.map((r) => r.releaseId)))
    .groupBy(metricSamples.releaseId, metricSamples.metric, metricSamples.variant);
  for (const row of rows) {
    const primary = (row.design as ExperimentDesign).primaryMetric.name;
    out.set(row.releaseId, Object.fromEntries(sums.filter((s) => s.releaseId === row.releaseId && s.metric === primary).map((s) => [s.variant, Number(s.units)])));
  }
  return out;
}

/** Running experiments first, then the newest; each with its progress toward the planned sample size. */
export async function listExperiments({ actor, db }: Caller, opts: { limit?: number } = {}) {
  authorize(actor, 'dashboard.read', 'list experiments');
  const limit = Math.min(200, Math.max(1, opts.limit ?? 100));
  const rows = await base(db)
    .orderBy(sql`case when ${releases.state} in ('running','paused') then 0 when ${releases.state} in ('pending_approval','approved') then 1 else 2 end`, desc(experiments.createdAt))
    .limit(limit);
  const units = await unitsByArm(db, rows);
  return rows.map((row) => {
    const e = present(row);
    const perArm = units.get(row.releaseId) ?? {};
    const armUnits = e.design.arms.map((a, i) => perArm[armKey(a, i)] ?? 0);
    const minArmUnits = Math.min(...armUnits);
    return { ...e, armUnits, progress: e.plannedSampleSize > 0 ? Math.min(1, minArmUnits / e.plannedSampleSize) : 1 };
  });
}

async function findExperiment(db: Reader, id: string) {
  if (!UUID.test(id)) throw notFound('The experiment');
  const [row] = await base(db).where(eq(experiments.id, id));
  if (!row) throw notFound('The experiment');
  return present(row);
}

/** For a decision: the experiment row locked, so two deciders queue and the second sees the first's decision. */
export async function getExperimentForUpdate(tx: Tx, id: string) {
  if (!UUID.test(id)) throw notFound('The experiment');
  await tx.select({ id: experiments.id }).from(experiments).where(eq(experiments.id, id)).for('update');
  return findExperiment(tx, id);
}

export async function getExperiment({ actor, db }: Caller, id: string) {
  authorize(actor, 'dashboard.read', 'read an experiment');
  return findExperiment(db, id);
}

/** Sufficient statistics per metric and arm: every bucket summed. Counters carry conversions in `errors`. */
async function totalsOf(db: Reader, releaseId: string): Promise<Record<string, ArmTotals>> {
  const rows = await db
    .select({
      metric: metricSamples.metric,
      variant: metricSamples.variant,
      units: sql<number>`sum(${metricSamples.count})`,
      conversions: sql<number>`sum(${metricSamples.errors})`,
      sum: sql<number>`coalesce(sum(${metricSamples.sum}), 0)`,
      sumSquares: sql<number>`coalesce(sum(${metricSamples.sumSquares}), 0)`,
    })
    .from(metricSamples)
    .where(eq(metricSamples.releaseId, releaseId))
    .groupBy(metricSamples.metric, metricSamples.variant);
  const out: Record<string, ArmTotals> = {};
  for (const r of rows) (out[r.metric] ??= {})[r.variant] = { units: Number(r.units), conversions: Number(r.conversions), sum: Number(r.sum), sumSquares: Number(r.sumSquares) };
  return out;
}

/** Units per hour entering the experiment (all arms), over the last ten minutes of buckets; null once it has ended. */
async function unitsPerHourOf(db: Reader, releaseId: string, primary: string, running: boolean): Promise<number | null> {
  if (!running) return null;
  const [range] = await db
    .select({ last: sql<string | null>`max(${metricSamples.bucketStart})` })
    .from(metricSamples)
    .where(and(eq(metricSamples.releaseId, releaseId), eq(metricSamples.metric, primary)));
  if (!range?.last) return null;
  const last = new Date(range.last);
  const from = new Date(last.getTime() - RATE_WINDOW_MS);
  const [window] = await db
    .select({ units: sql<number>`coalesce(sum(${metricSamples.count}), 0)`, first: sql<string | null>`min(${metricSamples.bucketStart})` })
    .from(metricSamples)
    .where(and(eq(metricSamples.releaseId, releaseId), eq(metricSamples.metric, primary), gte(metricSamples.bucketStart, from)));
  if (!window?.first) return null;
  // The window's span plus one bucket (buckets are ~seconds wide; one second is a safe lower bound).
  const spanMs = Math.max(1000, last.getTime() - new Date(window.first).getTime() + 1000);
  return (Number(window.units) / spanMs) * 3_600_000;
}

/** Every number the experiment page shows (the API returns the same object). */
export async function computeResults(db: Reader, e: Awaited<ReturnType<typeof findExperiment>>) {
  const running = e.releaseState === 'running' || e.releaseState === 'paused';
  const [totals, unitsPerHour] = await Promise.all([totalsOf(db, e.releaseId), unitsPerHourOf(db, e.releaseId, e.design.primaryMetric.name, running)]);
  return experimentResults({ design: e.design, totals, plannedPerArm: e.plannedSampleSize, unitsPerHour });
}

/**
 * The primary metric's cumulative totals at up to MAX_SERIES_POINTS moments, for the lift-over-
 * time and units-per-arm charts: buckets grouped into equal time bins in the database, then
 * accumulated here.
 */
async function cumulativeSeries(db: Reader, e: Awaited<ReturnType<typeof findExperiment>>) {
  const primary = e.design.primaryMetric.name;
  const [range] = rowsOf<{ first: string | null; last: string | null }>(
    await db.execute(sql`select min(bucket_start) as first, max(bucket_start) as last from metric_samples where release_id = ${e.releaseId} and metric = ${primary}`),
  );
  if (!range?.first) return [];
  const spanSeconds = Math.max(1, (Date.parse(String(range.last)) - Date.parse(String(range.first))) / 1000);
  const width = Math.max(1, Math.ceil(spanSeconds / MAX_SERIES_POINTS));
  const rows = rowsOf<{ t: string; variant: string; units: number; conversions: number; sum: number; sum_squares: number }>(
    await db.execute(sql`
      select to_timestamp(floor(extract(epoch from bucket_start) / ${width}) * ${width} + ${width}) as t, variant,
             sum(count) as units, sum(errors) as conversions, coalesce(sum(sum), 0) as sum, coalesce(sum(sum_squares), 0) as sum_squares
      from metric_samples where release_id = ${e.releaseId} and metric = ${primary}
      group by 1, 2 order by 1`),
  );
  const running: ArmTotals = {};
  const points: { at: string; totals: ArmTotals }[] = [];
  for (const r of rows) {
    const at = new Date(r.t).toISOString();
    const prev: Totals = running[r.variant] ?? { units: 0, conversions: 0, sum: 0, sumSquares: 0 };
    running[r.variant] = { units: prev.units + Number(r.units), conversions: prev.conversions + Number(r.conversions), sum: prev.sum + Number(r.sum), sumSquares: prev.sumSquares + Number(r.sum_squares) };
    const last = points[points.length - 1];
    const snapshot = structuredClone(running);
    if (last?.at === at) last.totals = snapshot;
    else points.push({ at, totals: snapshot });
  }
  return points;
}

/** GET /api/v1/experiments/{id}/results: the design, the status, every number and the series. */
export async function getExperimentResults({ actor, db }: Caller, id: string) {
  authorize(actor, 'dashboard.read', 'read experiment results');
  const e = await findExperiment(db, id);
  const [results, series, simulated] = await Promise.all([
    computeResults(db, e),
    cumulativeSeries(db, e),
    db.select({ simulated: sql<boolean>`coalesce(bool_or(${metricSamples.simulated}), false)` }).from(metricSamples).where(eq(metricSamples.releaseId, e.releaseId)),
  ]);
  return {
    experiment: e,
    results,
    series: liftOverTime(e.design, series),
    simulated: Boolean(simulated[0]?.simulated),
    computedAt: new Date().toISOString(),
  };
}
export type ExperimentResultsView = Awaited<ReturnType<typeof getExperimentResults>>;

/**
 * Units per day reaching the model in an environment now: what the sample-size calculator turns
 * into a duration. Measured from the last hour of request counters of the model's releases
 * there; null when nothing has reported.
 */
export async function currentUnitsPerDay({ actor, db }: Caller, model: string, environment: string): Promise<number | null> {
  authorize(actor, 'dashboard.read', 'read current traffic');
  const since = new Date(Date.now() - 3_600_000);
  const [row] = await db
    .select({ units: sql<number>`coalesce(sum(${metricSamples.count}), 0)`, first: sql<string | null>`min(${metricSamples.bucketStart})`, last: sql<string | null>`max(${metricSamples.bucketStart})` })
    .from(metricSamples)
    .innerJoin(releases, eq(releases.id, metricSamples.releaseId))
    .innerJoin(models, eq(models.id, releases.modelId))
    .innerJoin(environments, eq(environments.id, releases.environmentId))
    .where(and(eq(models.name, model), eq(environments.name, environment), eq(metricSamples.kind, 'counter'), eq(metricSamples.metric, 'requests'), gte(metricSamples.bucketStart, since)));
  if (!row?.first || !row.last) return null;
  const spanMs = Math.max(1000, new Date(row.last).getTime() - new Date(row.first).getTime() + 1000);
  return (Number(row.units) / spanMs) * 86_400_000;
}

/**
 * The sample-size calculator: units per arm for the question, and — given a model and an
 * environment — how many days that takes at the traffic they see now (even split assumed).
 */
export async function planSampleSize(caller: Caller, raw: unknown) {
  authorize(caller.actor, 'dashboard.read', 'plan a sample size');
  const parsed = SampleSizeQuestion.safeParse(raw);
  if (!parsed.success) throw invalid('Some fields are not valid.', fieldErrorsOf(parsed.error));
  const q = parsed.data;
  const baseline = 'rate' in q.baseline ? { baselineRate: q.baseline.rate } : { mean: q.baseline.mean, variance: q.baseline.variance };
  const perArm = sampleSizePerArm({ ...baseline, mde: q.minimumDetectableEffect, alpha: q.alpha, power: q.power, arms: q.arms });
  const unitsPerDay = q.model && q.environment ? await currentUnitsPerDay(caller, q.model, q.environment) : null;
  return { perArm, total: perArm * q.arms, unitsPerDay, days: unitsPerDay === null ? null : daysToReach(perArm, unitsPerDay, q.arms) };
}

/**
 * What the design form offers: every model with the version live in each environment (the
 * control) and its registered versions, newest first (the candidate treatments).
 */
export async function experimentTargets({ actor, db }: Caller) {
  authorize(actor, 'dashboard.read', 'list experiment targets');
  const modelRows = await db.select({ id: models.id, name: models.name }).from(models).orderBy(models.name).limit(500);
  const [live, versionRows] = await Promise.all([
    liveVersions(db, modelRows.map((m) => m.id)),
    modelRows.length ? db.select({ modelId: modelVersions.modelId, version: modelVersions.version }).from(modelVersions).where(anyId(modelVersions.modelId, modelRows.map((m) => m.id))).orderBy(desc(modelVersions.registeredAt)) : Promise.resolve([]),
  ]);
  return modelRows
    .map((m) => ({
      model: m.name,
      live: Object.fromEntries([...(live.get(m.id)?.entries() ?? [])].map(([env, v]) => [env, v.version])),
      versions: versionRows.filter((v) => v.modelId === m.id).map((v) => v.version).slice(0, 50),
    }))
    .filter((t) => Object.keys(t.live).length > 0);
}
export type ExperimentTarget = Awaited<ReturnType<typeof experimentTargets>>[number];

/** The experiment an "ab" release carries, for the link from the release page. */
export async function experimentOfRelease({ actor, db }: Caller, releaseId: string) {
  authorize(actor, 'dashboard.read', 'read an experiment');
  const [row] = await db.select({ id: experiments.id, name: experiments.name }).from(experiments).where(eq(experiments.releaseId, releaseId));
  return row ?? null;
}
