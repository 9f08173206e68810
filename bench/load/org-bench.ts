import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createScratchDatabase } from '@/db/scratch-database';
import { openDatabase } from '@/db/client';
import { encodeCursor } from '@/lib/queries/paging';
import { generateOrg, type OrgSize } from '../org/generate';
import { postgresUrl, type Row, type Target } from '../setup';
import { clientJsGzipKb, measure, type LoadResult, type Scenario } from './measure';
import { API_KEY, signIn, startServer } from './server';

const fmt = (n: number, digits = 0) => n.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: digits });
const INGEST_BATCH = 1_000;

/**
 * The large organisation on one database, served by the production build, loaded from this
 * process with autocannon at 1 and 16 clients. Every figure the issue names, as rows.
 */
export async function benchOrg(target: Target, size: OrgSize, seconds: number, port: number, log: (line: string) => void): Promise<Row[]> {
  const started = performance.now();
  log(`bench: ${target} — generating the organisation…`);
  let databaseEnv: Record<string, string>;
  let cleanup: () => Promise<void>;
  let handle;
  if (target === 'postgres') {
    const scratch = await createScratchDatabase(postgresUrl!, 'fd_bench');
    handle = await openDatabase({ databaseUrl: scratch.url, dataDir: 'unused' });
    databaseEnv = { DATABASE_URL: scratch.url };
    cleanup = scratch.drop;
  } else {
    const dir = mkdtempSync(join(tmpdir(), 'fd-bench-pglite-'));
    handle = await openDatabase({ dataDir: dir });
    databaseEnv = { FLIGHTDECK_DATA_DIR: dir, DATABASE_URL: '' };
    cleanup = async () => rmSync(dir, { recursive: true, force: true });
  }
  const rows: Row[] = [];
  try {
    const org = await generateOrg(handle.db, size, log);
    await handle.close(); // PGlite serves one process: the server's
    const generatedIn = (performance.now() - started) / 1000;
    rows.push({ target, figure: 'organisation: generated', value: `${fmt(generatedIn, 0)} s`, note: `${fmt(size.models)} models, ${fmt(size.models * size.versionsPerModel)} versions, ${fmt(org.runningReleases.length + 1 + size.models * 4)} releases, ${fmt(size.samples)} samples, ${fmt(size.auditEvents)} audit events` });

    log(`bench: ${target} — starting the production server…`);
    const server = await startServer(databaseEnv, port);
    try {
      const cookie = await signIn(server.url);
      const page = { cookie };
      const api = { authorization: `Bearer ${API_KEY}` };
      // Rollback targets: distinct running releases, used up in order; the last 20 take the ingest.
      const rollbackTargets = org.runningReleases.slice(0, -20);
      const ingestRelease = org.runningReleases.at(-1)!;
      // Every push new buckets, across both client counts, written before the clock starts: the
      // load generator shares the server's two cores, and a body costs it about 1 ms to write.
      const ingestBodies = Array.from({ length: 2 * 100 * (seconds + 1) }, (_, i) => Buffer.from(ingestBody(ingestRelease, i)));
      let nextIngest = 0;
      let nextRollback = 0;
      const deepCursor = encodeCursor(Math.floor(size.auditEvents / 2));
      const scenarios: (Scenario & { kind: 'page' | 'api' | 'action' })[] = [
        { kind: 'page', name: 'page: Overview', path: '/', headers: page },
        { kind: 'page', name: 'page: models list', path: '/models', headers: page },
        { kind: 'page', name: 'page: version', path: `/models/${org.chartModel}/versions/${org.chartVersion}`, headers: page },
        { kind: 'page', name: 'page: release', path: `/releases/${org.chartRelease}`, headers: page },
        { kind: 'api', name: 'release chart data (1 h, 14,400 samples)', path: `/api/v1/releases/${org.chartRelease}/metrics`, headers: api },
        { kind: 'page', name: 'page: audit, first page', path: '/audit', headers: page },
        { kind: 'page', name: 'page: audit, deep page', path: `/audit?cursor=${deepCursor}`, headers: page },
        // The data each page is built from, as /api/v1 serves it (JSON, no server rendering).
        { kind: 'api', name: 'page data: Overview (releases in flight)', path: '/api/v1/releases?state=running&limit=20', headers: api },
        { kind: 'api', name: 'page data: models list', path: '/api/v1/models', headers: api },
        { kind: 'api', name: 'page data: version', path: `/api/v1/models/${org.chartModel}/versions/${org.chartVersion}`, headers: api },
        { kind: 'api', name: 'page data: release', path: `/api/v1/releases/${org.chartRelease}`, headers: api },
        { kind: 'api', name: 'page data: audit, first page', path: '/api/v1/audit', headers: api },
        { kind: 'api', name: 'page data: audit, deep page', path: `/api/v1/audit?cursor=${deepCursor}`, headers: api },
        { kind: 'api', name: 'routing endpoint', path: `/api/v1/services/${org.service}/routing?environment=production`, headers: api },
        {
          kind: 'action',
          name: `metric ingest (${fmt(INGEST_BATCH)} samples/request)`,
          method: 'POST',
          path: '/api/v1/metrics',
          headers: api,
          body: () => {
            const i = nextIngest++;
            return ingestBodies[i] ?? Buffer.from(ingestBody(ingestRelease, i));
          },
        },
        {
          kind: 'action',
          name: 'rollback (distinct releases)',
          method: 'POST',
          path: () => `/api/v1/releases/${rollbackTargets[nextRollback++ % rollbackTargets.length]}/rollback`,
          body: () => JSON.stringify({ reason: 'bench: rollback under load' }),
          headers: api,
        },
        // After the rollbacks: each opened an incident, and the list reads their histories.
        { kind: 'api', name: 'page data: incidents (newest 100, after the rollbacks)', path: '/api/v1/incidents', headers: api },
      ];
      let maxRss = 0;
      for (const s of scenarios) {
        for (const connections of [1, 16]) {
          if (s.name.startsWith('rollback')) {
            // Each rollback uses a release up: 50 + 100 at 1 client and 200 + 400 at 16 (warm-up +
            // measured), fewer in proportion on a smaller organisation, never one twice.
            const share = Math.min(1, rollbackTargets.length / 750);
            s.warmUpAmount = Math.floor((connections === 1 ? 50 : 200) * share);
            s.amount = Math.max(connections, Math.floor((connections === 1 ? 100 : 400) * share));
          }
          log(`bench: ${target} — ${s.name} at ${connections} client${connections === 1 ? '' : 's'}…`);
          const r = await measure(server, s, connections, seconds);
          maxRss = Math.max(maxRss, r.maxRssMb);
          rows.push(toRow(target, s.name, connections, r, s.name.startsWith('metric ingest') ? INGEST_BATCH : 0));
        }
      }
      rows.push({ target, figure: 'server RSS under load (max)', value: `${fmt(maxRss)} MB`, note: 'process tree of server.mjs, sampled every 100 ms during every scenario' });
      for (const s of scenarios.filter((s) => s.kind === 'page')) {
        const js = await clientJsGzipKb(server.url, s.path as string, cookie);
        rows.push({ target, figure: `client JS: ${s.name.replace('page: ', '')}`, value: `${fmt(js.kb, 1)} kB gzip`, note: `${js.files} scripts` });
      }
    } finally {
      await server.stop();
    }
  } finally {
    await handle.close().catch(() => {});
    await cleanup();
  }
  log(`bench: ${target} — done in ${fmt((performance.now() - started) / 1000)} s`);
  return rows;
}

function toRow(target: Target, name: string, connections: number, r: LoadResult, samplesPerRequest: number): Row {
  const throughput = samplesPerRequest ? `${fmt(r.rps * samplesPerRequest)} samples/s` : `${fmt(r.rps)} req/s`;
  const odd = Object.entries(r.statuses).filter(([status]) => !status.startsWith('2'));
  const failures = odd.length || r.errors ? `; NOT 2xx: ${odd.map(([status, n]) => `${fmt(n)} × ${status}`).join(', ')}${r.errors ? ` ${fmt(r.errors)} errors/timeouts` : ''}` : '';
  return { target, figure: `${name} @${connections}`, value: `p50 ${fmt(r.p50, 1)} / p95 ${fmt(r.p95, 1)} / p99 ${fmt(r.p99, 1)} ms`, note: `${throughput}; ${fmt(r.requests)} requests in ${fmt(r.seconds, 1)} s${failures}` };
}

/** 1,000 counter samples of one release as a JSON body: 500 seconds × baseline and canary, the i-th 500 seconds of 2026. */
function ingestBody(releaseId: string, i: number): string {
  const base = Date.parse('2026-01-01T00:00:00Z') + i * 500_000; // in the past: a bucket ahead of the clock is refused
  const head = `{"releaseId":"${releaseId}","metric":"error_rate","kind":"counter","variant":`;
  const samples: string[] = [];
  for (let s = 0; s < INGEST_BATCH / 2; s++) {
    const at = new Date(base + s * 1000).toISOString();
    samples.push(`${head}"baseline","bucketStart":"${at}","count":90,"errors":0}`, `${head}"canary","bucketStart":"${at}","count":10,"errors":0}`);
  }
  return `{"samples":[${samples.join(',')}]}`;
}
