// `npm run bench`: a large organisation (bench/org) on PGlite and, when BENCH_DATABASE_URL (or
// TEST_DATABASE_URL) is set, on a fresh Postgres database, served by the production build and
// loaded with autocannon from this process at 1 and 16 clients (bench/load); then the table.
//   --only pglite|postgres
//   BENCH_SCALE (1 = 500 models, 20,000 versions, 5 M samples, 1 M audit events; PGlite defaults
//   to BENCH_PGLITE_SCALE = 0.2, see bench/README.md), BENCH_SECONDS per scenario (default 5)
//   --micro: the older in-process benchmarks instead (ingest, chart query, audit log; --explain)
//   BENCH_SAMPLES, BENCH_CHART_ROWS, BENCH_AUDIT_EVENTS size those.
// Figures only: nothing here asserts a timing.
import { parseArgs } from 'node:util';
import { benchAudit } from './audit';
import { calibrate } from './calibrate';
import { benchChartQuery } from './chart-query';
import { benchIngest } from './ingest';
import { openBenchDatabase, postgresUrl, type Row, type Target } from './setup';
import { benchOrg } from './load/org-bench';
import { ensureBuild } from './load/server';
import { orgSize } from './org/generate';

const { values } = parseArgs({ options: { only: { type: 'string' }, explain: { type: 'boolean', default: false }, micro: { type: 'boolean', default: false } } });
const samples = Number(process.env.BENCH_SAMPLES ?? 100_000);
const chartRowsFor = (target: Target) => Number(process.env.BENCH_CHART_ROWS ?? (target === 'postgres' ? 1_000_000 : 100_000));
const auditEventsFor = (target: Target) => Number(process.env.BENCH_AUDIT_EVENTS ?? (target === 'postgres' ? 1_000_000 : 100_000));
const targets = (['pglite', 'postgres'] as Target[]).filter((t) => (t === 'postgres' ? postgresUrl : true) && (!values.only || values.only === t));

async function main() {
  const rows: Row[] = [calibrate(), ...(values.micro ? await micro() : await org())];
  console.log(`\n| database | figure | value | note |\n| --- | --- | --- | --- |`);
  for (const r of rows) console.log(`| ${r.target} | ${r.figure} | ${r.value} | ${r.note ?? ''} |`);
}

async function org(): Promise<Row[]> {
  const started = performance.now();
  const log = (line: string) => console.error(line);
  ensureBuild(log);
  const seconds = Number(process.env.BENCH_SECONDS ?? 5);
  const rows: Row[] = [];
  for (const target of targets) {
    const scale = Number(process.env.BENCH_SCALE ?? (target === 'pglite' ? (process.env.BENCH_PGLITE_SCALE ?? 0.2) : 1));
    rows.push(...(await benchOrg(target, orgSize(scale), seconds, 3300, log)));
  }
  log(`bench: all done in ${((performance.now() - started) / 1000).toFixed(0)} s`);
  return rows;
}

async function micro(): Promise<Row[]> {
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
  return rows;
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
