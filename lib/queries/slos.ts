import { eq, sql } from 'drizzle-orm';
import { environments, models, slos } from '@/db/schema';
import { rowsOf, type Database, type Tx } from '@/db';
import type { Actor } from '@/lib/domain/roles';
import { hasNul } from '@/lib/domain/text';
import { DEFAULT_BURN_RULES, evaluateBurn, latencyGoodTotal, type WindowCounts } from '@/lib/domain/slo-burn-rate';
import { authorize } from '@/lib/services/authorize';
import { notFound } from '@/lib/services/errors';

type Caller = { actor: Actor | null; db: Database };

/** Every window length the burn rules use (5 min … 3 days), measured once per SLO. */
export const SLO_WINDOWS = [...new Set(DEFAULT_BURN_RULES.flatMap((r) => [r.longWindowSeconds, r.shortWindowSeconds]))].sort((a, b) => a - b);

/** Requests and errors (or latency histograms merged bucket by bucket) of a service over each window ending now. */
export async function windowCounts(db: Database | Tx, at: Date, slo: typeof slos.$inferSelect): Promise<Map<number, WindowCounts>> {
  const windows = sql.join(SLO_WINDOWS.map((w) => sql`(${w}::int)`), sql`, `);
  const now = at.toISOString();
  const out = new Map<number, WindowCounts>();
  if (slo.kind === 'availability') {
    const rows = rowsOf<{ secs: number; total: number | null; errors: number | null }>(
      await db.execute(sql`
        select w.secs, sum(s.requests) as total, sum(s.errors) as errors
        from (values ${windows}) as w(secs)
        left join service_samples s on s.model_id = ${slo.modelId} and s.environment_id = ${slo.environmentId}
          and s.bucket_start > ${now}::timestamptz - make_interval(secs => w.secs) and s.bucket_start <= ${now}::timestamptz
        group by w.secs`),
    );
    for (const r of rows) out.set(Number(r.secs), { total: Number(r.total ?? 0), good: Number(r.total ?? 0) - Number(r.errors ?? 0) });
    return out;
  }
  const rows = rowsOf<{ secs: number; le: number; count: number }>(
    await db.execute(sql`
      select w.secs, (b->>'le')::float8 as le, sum((b->>'count')::float8) as count
      from (values ${windows}) as w(secs)
      join service_samples s on s.model_id = ${slo.modelId} and s.environment_id = ${slo.environmentId}
        and s.bucket_start > ${now}::timestamptz - make_interval(secs => w.secs) and s.bucket_start <= ${now}::timestamptz
      cross join jsonb_array_elements(s.histogram) b
      group by 1, 2 order by 1, 2`),
  );
  for (const secs of SLO_WINDOWS) {
    const histogram = rows.filter((r) => Number(r.secs) === secs).map((r) => ({ le: Number(r.le), count: Number(r.count) }));
    out.set(secs, histogram.length ? latencyGoodTotal(histogram, slo.latencyThresholdMs!) : { good: 0, total: 0 });
  }
  return out;
}


/** A model's SLOs, each with its burn rate per window and which burn rules fire now. */
export async function listSlos({ actor, db }: Caller, modelName: string) {
  authorize(actor, 'dashboard.read', 'read SLOs');
  const [model] = hasNul(modelName) ? [] : await db.select({ id: models.id }).from(models).where(eq(models.name, modelName));
  if (!model) throw notFound(`The model "${modelName}"`);
  const rows = await db.select({ slo: slos, environment: environments.name }).from(slos).innerJoin(environments, eq(environments.id, slos.environmentId)).where(eq(slos.modelId, model.id));
  const now = new Date();
  return Promise.all(
    rows.map(async ({ slo, environment }) => {
      const counts = await windowCounts(db, now, slo);
      const burn = evaluateBurn((secs) => counts.get(secs) ?? null, slo.objective);
      return {
        id: slo.id,
        environment,
        kind: slo.kind,
        objective: slo.objective,
        latencyThresholdMs: slo.latencyThresholdMs,
        severity: burn.severity,
        rules: burn.burns.map((b) => ({ rule: b.rule.name, factor: b.rule.factor, severity: b.rule.severity, longWindowSeconds: b.rule.longWindowSeconds, shortWindowSeconds: b.rule.shortWindowSeconds, long: b.long.burn, short: b.short.burn, firing: b.firing })),
      };
    }),
  );
}
