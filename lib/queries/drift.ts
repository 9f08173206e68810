import { and, desc, eq, sql } from 'drizzle-orm';
import { driftReferences, driftSnapshots, environments, models, modelVersions } from '@/db/schema';
import { rowsOf, type Database } from '@/db';
import { alignCounts, type CurrentSnapshot } from '@/lib/domain/drift-bins';
import { storedProfile } from '@/lib/domain/drift-input';
import { effectivePolicy } from '@/lib/domain/drift-policy';
import { thresholdOperator, type DriftMethod } from '@/lib/domain/drift-scores';
import type { Actor } from '@/lib/domain/roles';
import { hasNul } from '@/lib/domain/text';
import { authorize } from '@/lib/services/authorize';
import { notFound } from '@/lib/services/errors';

type Caller = { actor: Actor | null; db: Database };

/** Points in a feature's sparkline on the model's drift table. */
const SPARK_POINTS = 30;
/** Windows on a feature's score-over-time chart. */
const SERIES_POINTS = 300;
const SEVERITY_ORDER: Record<string, number> = { critical: 0, warning: 1, ok: 2 };
/** Larger is worse, whatever the method: distances as they are, p-values turned around. */
const badness = (f: { method: DriftMethod; value: number }) => (thresholdOperator(f.method) === '<' ? 1 - f.value : f.value);

async function modelByName(db: Database, name: string) {
  const [model] = hasNul(name) ? [] : await db.select().from(models).where(eq(models.name, name));
  if (!model) throw notFound(`The model "${name}"`);
  return model;
}

/**
 * The model's drift table: for every profiled feature of every version, per environment, the
 * latest window's headline score with its method, threshold and convention, and a sparkline of
 * the last windows. Most severe first, then the highest score.
 */
export async function getModelDrift({ actor, db }: Caller, modelName: string) {
  authorize(actor, 'dashboard.read', 'read drift');
  const model = await modelByName(db, modelName);
  const rows = rowsOf<{
    feature: string;
    role: string;
    feature_type: string;
    version: string;
    environment: string;
    method: string;
    value: number;
    severity: string;
    scores: { threshold?: { warning: number; critical: number; operator: string }; convention?: string };
    window_end: string;
    simulated: boolean;
    spark: number[];
  }>(
    await db.execute(sql`
      with ranked as (
        select s.*, r.feature, r.role, r.feature_type, v.version, e.name as environment,
               row_number() over (partition by s.reference_id, s.environment_id order by s.window_end desc) as rn
        from drift_snapshots s
        join drift_references r on r.id = s.reference_id
        join model_versions v on v.id = r.version_id
        join environments e on e.id = s.environment_id
        where v.model_id = ${model.id}
      )
      select feature, role, feature_type, version, environment,
             (array_agg(method order by rn))[1] as method, (array_agg(value order by rn))[1] as value,
             (array_agg(severity order by rn))[1] as severity, (array_agg(scores order by rn))[1] as scores,
             max(window_end) as window_end, bool_or(simulated) as simulated,
             array_agg(value order by window_end) filter (where rn <= ${SPARK_POINTS}) as spark
      from ranked
      group by reference_id, environment_id, feature, role, feature_type, version, environment`),
  );
  const features = rows
    .map((r) => ({
      feature: r.feature,
      role: r.role,
      featureType: r.feature_type,
      version: r.version,
      environment: r.environment,
      method: r.method as DriftMethod,
      value: Number(r.value),
      severity: r.severity,
      threshold: r.scores.threshold ?? null,
      convention: r.scores.convention ?? '',
      lastWindowEnd: new Date(r.window_end).toISOString(),
      simulated: r.simulated,
      spark: (r.spark ?? []).map(Number),
    }))
    .sort((a, b) => SEVERITY_ORDER[a.severity]! - SEVERITY_ORDER[b.severity]! || badness(b) - badness(a));
  return { model: model.name, ownerTeam: model.ownerTeam, policy: effectivePolicy(model.driftPolicy), features };
}

/**
 * One feature: the reference and the latest window as proportions per bin (same labels, ready to
 * overlay), and the headline score over time with the thresholds it was judged by. By default the
 * version and environment with the most recent window; `version` and `environment` narrow it.
 */
export async function getFeatureDrift({ actor, db }: Caller, modelName: string, feature: string, opts: { version?: string; environment?: string } = {}) {
  authorize(actor, 'dashboard.read', 'read drift');
  const model = await modelByName(db, modelName);
  // Names from a URL: one with a NUL matches nothing (and Postgres refuses to compare it).
  if ([feature, opts.version, opts.environment].some((v) => v !== undefined && hasNul(v))) throw notFound(`Drift windows for feature "${feature}" of "${modelName}"`);
  const [latest] = await db
    .select({ reference: driftReferences, version: modelVersions.version, environmentId: environments.id, environment: environments.name })
    .from(driftSnapshots)
    .innerJoin(driftReferences, eq(driftReferences.id, driftSnapshots.referenceId))
    .innerJoin(modelVersions, eq(modelVersions.id, driftReferences.versionId))
    .innerJoin(environments, eq(environments.id, driftSnapshots.environmentId))
    .where(
      and(
        eq(modelVersions.modelId, model.id),
        eq(driftReferences.feature, feature),
        opts.version ? eq(modelVersions.version, opts.version) : undefined,
        opts.environment ? eq(environments.name, opts.environment) : undefined,
      ),
    )
    .orderBy(desc(driftSnapshots.windowEnd))
    .limit(1);
  if (!latest) throw notFound(`Drift windows for feature "${feature}" of "${modelName}"`);
  const windows = await db
    .select()
    .from(driftSnapshots)
    .where(and(eq(driftSnapshots.referenceId, latest.reference.id), eq(driftSnapshots.environmentId, latest.environmentId)))
    .orderBy(desc(driftSnapshots.windowEnd))
    .limit(SERIES_POINTS);
  const newest = windows[0]!;
  const profile = storedProfile(latest.reference);
  const current: CurrentSnapshot = profile.type === 'numeric' ? { type: 'numeric', counts: newest.counts as number[] } : { type: 'categorical', counts: newest.counts as Record<string, number> };
  const aligned = alignCounts(profile, current);
  const total = (xs: number[]) => xs.reduce((s, x) => s + x, 0) || 1;
  const [refTotal, curTotal] = [total(aligned.reference), total(aligned.current)];
  const scores = newest.scores as { threshold?: { warning: number; critical: number; operator: string }; convention?: string; conventions?: Record<string, string>; psi?: { value: number }; jsDistance?: number };
  return {
    model: model.name,
    feature,
    featureType: latest.reference.featureType,
    role: latest.reference.role,
    version: latest.version,
    environment: latest.environment,
    method: newest.method as DriftMethod,
    value: newest.value,
    severity: newest.severity,
    threshold: scores.threshold ?? null,
    convention: scores.convention ?? '',
    conventions: scores.conventions ?? {},
    window: { start: newest.windowStart.toISOString(), end: newest.windowEnd.toISOString(), n: newest.n, simulated: newest.simulated },
    histogram: aligned.labels.map((label, i) => ({ label, reference: aligned.reference[i]! / refTotal, current: aligned.current[i]! / curTotal })),
    series: windows
      .map((w) => ({ at: w.windowEnd.toISOString(), value: w.value, severity: w.severity, method: w.method }))
      .reverse(),
  };
}
