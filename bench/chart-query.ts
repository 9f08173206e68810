import { sql } from 'drizzle-orm';
import { rowsOf, type Database } from '@/db';
import { getReleaseSeries } from '@/lib/queries/release-metrics';
import { fmt, percentile, runningRelease, timed, userActor, type Row, type Target } from './setup';

const LOAD_CHUNK = 100_000; // rows per insert statement: keeps PGlite's (wasm) memory in check

/**
 * Bulk-loads `total` rows for one release straight in SQL (the use case is not what is measured
 * here): row g is second g/2, a counter on even g and a latency histogram on odd g, baseline on
 * even seconds and canary on odd ones, one-second buckets ending a minute ago. 1M rows ≈ 5.8 days.
 */
async function bulkLoad(db: Database, releaseId: string, total: number) {
  const seconds = Math.ceil(total / 2);
  const last = Math.floor(Date.now() / 1000) - 60;
  for (let from = 0; from < total; from += LOAD_CHUNK) {
    const to = Math.min(total, from + LOAD_CHUNK) - 1;
    await db.execute(sql`
      insert into metric_samples (release_id, variant, metric, kind, bucket_start, count, errors, histogram, simulated)
      select ${releaseId}::uuid,
             case when (g / 2) % 2 = 0 then 'baseline' else 'canary' end,
             case when g % 2 = 0 then 'error_rate' else 'latency' end,
             case when g % 2 = 0 then 'counter' else 'histogram' end,
             to_timestamp(${last} - (${seconds} - 1 - g / 2)),
             case when g % 2 = 0 then 1000 else 1000 + 2 * (g / 2 % 20) end,
             case when g % 2 = 0 then 8 + (g / 2 % 5) else 0 end,
             case when g % 2 = 0 then null else jsonb_build_array(
               jsonb_build_object('le', 10, 'count', 50 + g / 2 % 20), jsonb_build_object('le', 20, 'count', 200),
               jsonb_build_object('le', 30, 'count', 300 + g / 2 % 20), jsonb_build_object('le', 40, 'count', 200),
               jsonb_build_object('le', 50, 'count', 120), jsonb_build_object('le', 75, 'count', 80),
               jsonb_build_object('le', 100, 'count', 40), jsonb_build_object('le', 150, 'count', 10)) end,
             true
      from generate_series(${from}::int, ${to}::int) as g`);
  }
  // What autovacuum would have done by the time anyone looks at a 6-day-old release.
  await db.execute(sql`analyze metric_samples`);
  return { lastSecond: last };
}

export async function benchChartQuery(db: Database, target: Target, total: number, warmRuns: number, explain: boolean): Promise<Row[]> {
  const releaseId = await runningRelease(db);
  const load = await timed(() => bulkLoad(db, releaseId, total));
  const caller = { actor: userActor([]), db };
  const rows: Row[] = [{ target, figure: `chart: bulk load ${fmt(total)} rows (SQL)`, value: `${fmt(load.ms / 1000, 1)} s`, note: `${fmt(total / (load.ms / 1000))} rows/s` }];

  const cold = await timed(() => getReleaseSeries(caller, releaseId));
  const warm: number[] = [];
  for (let i = 0; i < warmRuns; i++) warm.push((await timed(() => getReleaseSeries(caller, releaseId))).ms);
  const perVariant = (points: { variant: string }[]) =>
    ['baseline', 'canary'].map((v) => `${v} ${points.filter((p) => p.variant === v).length}`).join(', ');
  rows.push(
    { target, figure: `chart: full series, cold (1st call)`, value: `${fmt(cold.ms)} ms`, note: `width ${cold.value.widthSeconds} s; points ${perVariant(cold.value.points)}` },
    { target, figure: `chart: full series, warm p50 / p95 (${warmRuns} runs)`, value: `${fmt(percentile(warm, 50))} / ${fmt(percentile(warm, 95))} ms` },
  );

  const since = new Date((load.value.lastSecond - 60) * 1000).toISOString();
  const incremental: number[] = [];
  let last: Awaited<ReturnType<typeof getReleaseSeries>> | null = null;
  try {
    for (let i = 0; i < warmRuns; i++) {
      const r = await timed(() => getReleaseSeries(caller, releaseId, { since }));
      incremental.push(r.ms);
      last = r.value;
    }
    rows.push({ target, figure: `chart: ?since= last minute p50 / p95`, value: `${fmt(percentile(incremental, 50))} / ${fmt(percentile(incremental, 95))} ms`, note: `points ${perVariant(last!.points)}` });
  } catch (error) {
    // Reported, not thrown: a failing call is a finding of the benchmark, not a reason to stop it.
    const cause = (error as { cause?: Error }).cause ?? error;
    rows.push({ target, figure: `chart: ?since= last minute`, value: 'FAILS', note: String((cause as Error).message ?? cause).split('\n')[0]!.replaceAll('|', '/') });
  }

  if (explain) await printPlans(db, target, releaseId, cold.value.widthSeconds ?? 1);
  return rows;
}

/** EXPLAIN ANALYZE of the series' heaviest statements, copied from getReleaseSeries for diagnosis. */
async function printPlans(db: Database, target: Target, releaseId: string, width: number) {
  const statements = {
    range: sql`select min(bucket_start), max(bucket_start), bool_or(simulated) from metric_samples where release_id = ${releaseId}`,
    counters: sql`select to_timestamp(floor(extract(epoch from bucket_start) / ${width}) * ${width}) as t, variant, sum(count), sum(errors)
      from metric_samples where release_id = ${releaseId} and kind = 'counter' group by 1, 2`,
    histograms: sql`select to_timestamp(floor(extract(epoch from bucket_start) / ${width}) * ${width}) as t, variant, (b->>'le')::float8 as le, sum((b->>'count')::float8)
      from metric_samples, jsonb_array_elements(histogram) as b where release_id = ${releaseId} and kind = 'histogram' group by 1, 2, 3 order by 1, 2, 3`,
  };
  for (const [name, statement] of Object.entries(statements)) {
    const plan = rowsOf<Record<string, string>>(await db.execute(sql`explain (analyze, buffers) ${statement}`));
    console.log(`\n-- ${target}: EXPLAIN ANALYZE ${name}\n${plan.map((r) => Object.values(r)[0]).join('\n')}`);
  }
}
