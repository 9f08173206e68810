// `npm run bench`: ingest throughput, chart-query latency and the audit log (explorer pages,
// export, verification) on PGlite (memory://) and, when BENCH_DATABASE_URL (or
// TEST_DATABASE_URL) is set, on a fresh Postgres database dropped after.
//   --only pglite|postgres   --explain (print EXPLAIN ANALYZE of the chart and audit statements)
//   BENCH_SAMPLES (ingest samples per batch size, default 100000)
//   BENCH_CHART_ROWS (rows bulk-loaded for the chart query; default 1000000 on Postgres, 100000 on
//   PGlite, where one full-series call over a million rows takes tens of seconds)
//   BENCH_AUDIT_EVENTS (audit events bulk-loaded as one hash chain; default 1000000 on Postgres,
//   100000 on PGlite)
// Figures only: nothing here asserts a timing.
import { parseArgs } from 'node:util';
import { benchAudit } from './audit';
import { benchChartQuery } from './chart-query';
import { benchIngest } from './ingest';
import { openBenchDatabase, postgresUrl, type Row, type Target } from './setup';

const { values } = parseArgs({ options: { only: { type: 'string' }, explain: { type: 'boolean', default: false } } });
const samples = Number(process.env.BENCH_SAMPLES ?? 100_000);
const chartRowsFor = (target: Target) => Number(process.env.BENCH_CHART_ROWS ?? (target === 'postgres' ? 1_000_000 : 100_000));
const auditEventsFor = (target: Target) => Number(process.env.BENCH_AUDIT_EVENTS ?? (target === 'postgres' ? 1_000_000 : 100_000));
const targets = (['pglite', 'postgres'] as Target[]).filter((t) => (t === 'postgres' ? postgresUrl : true) && (!values.only || values.only === t));

async function main() {
  const rows: Row[] = [];
  for (const target of targets) {
    const chartRows = chartRowsFor(target);
    const started = performance.now();
    console.error(`bench: ${target} — ingest ${samples.toLocaleString('en-US')} samples per batch size…`);
    let handle = await openBenchDatabase(target);
    try {
      rows.push(...(await benchIngest(handle.db, target, samples, [1_000, 10_000])));
    } finally {
      await handle.close();
    }
    // A database of its own, so the chart's table holds only the million rows it is about.
    console.error(`bench: ${target} — chart query over ${chartRows.toLocaleString('en-US')} rows…`);
    handle = await openBenchDatabase(target);
    try {
      rows.push(...(await benchChartQuery(handle.db, target, chartRows, 10, values.explain)));
    } finally {
      await handle.close();
    }
    // And one for the audit chain, so its seq starts at 1 and the table holds only the chain.
    const auditEvents = auditEventsFor(target);
    console.error(`bench: ${target} — audit log of ${auditEvents.toLocaleString('en-US')} events…`);
    handle = await openBenchDatabase(target);
    try {
      rows.push(...(await benchAudit(handle.db, target, auditEvents, values.explain)));
    } finally {
      await handle.close();
    }
    console.error(`bench: ${target} done in ${((performance.now() - started) / 1000).toFixed(0)} s`);
  }

  console.log(`\n| database | figure | value | note |\n| --- | --- | --- | --- |`);
  for (const r of rows) console.log(`| ${r.target} | ${r.figure} | ${r.value} | ${r.note ?? ''} |`);
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
