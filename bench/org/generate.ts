import { sql } from 'drizzle-orm';
import type { Database } from '@/db';
import { rowsOf } from '@/db';
import { systemActor } from '@/lib/auth/system-actor';
import { createEnvironment } from '@/lib/services';
import { loadAuditChain } from '../audit';

/**
 * A large organisation, bulk-loaded in SQL (the use cases would take hours at this size):
 * 500 models × 40 versions; per model and environment (staging, production) a promoted release
 * (1.36.0, live), a rolled-back one (1.37.0) and a running canary of 1.39.0 at 10 % — 2,000
 * finished releases plus 1,000 running ones that the rollback benchmark ends one by one; 5 million
 * metric samples (2,500 one-second counter buckets per finished release, and one hour of counters
 * and latency histograms on the release whose page is measured); a 1-million-event audit chain.
 * Sizes scale with `scale` (1 = the issue's organisation) for quick runs.
 */
export type OrgSize = { models: number; versionsPerModel: number; samples: number; auditEvents: number };
export const orgSize = (scale: number): OrgSize => ({
  models: Math.max(4, Math.round(500 * scale)),
  versionsPerModel: 40,
  samples: Math.round(5_000_000 * scale),
  auditEvents: Math.round(1_000_000 * scale),
});

export type GeneratedOrg = { size: OrgSize; chartRelease: string; chartModel: string; chartVersion: string; runningReleases: string[]; service: string };

const LIVE_MINOR = 36;
const ROLLED_BACK_MINOR = 37;
const CANARY_MINOR = 39;
const CHART_SECONDS = 3600;

export async function generateOrg(db: Database, size: OrgSize, log: (line: string) => void): Promise<GeneratedOrg> {
  const step = async (what: string, work: () => Promise<unknown>) => {
    const started = performance.now();
    await work();
    log(`  ${what} (${((performance.now() - started) / 1000).toFixed(1)} s)`);
  };
  // The chain first: it starts at seq 1, and the use cases below append to its head.
  await step(`audit chain: ${size.auditEvents.toLocaleString('en-US')} events`, () => loadAuditChain(db, size.auditEvents));
  const system = { actor: systemActor('bootstrap'), db };
  await step('environments', async () => {
    for (const [name, rank] of [['staging', 1], ['production', 2]] as const) await createEnvironment(system, { name, rank, policy: { requiredChecks: [], thresholds: {} } });
  });
  await step(`models: ${size.models}, versions: ${(size.models * size.versionsPerModel).toLocaleString('en-US')}`, async () => {
    await db.execute(sql`
      insert into models (name, owner_team, description, serving_service, created_at)
      select 'model-' || lpad(g::text, 4, '0'), 'team-' || (g % 25), 'Generated model ' || g, 'model-' || lpad(g::text, 4, '0'), now() - interval '730 days' + g * interval '1 minute'
      from generate_series(1, ${size.models}) g`);
    await db.execute(sql`
      insert into model_versions (model_id, version, major, minor, patch, artifact_uri, artifact_digest, offline_metrics, contract, registered_by, registered_at, payload_digest)
      select m.id, '1.' || v || '.0', 1, v, 0, 's3://bench/' || m.name || '/1.' || v || '.0/model.tar.gz',
             'sha256:' || md5(m.name || v) || md5(v || m.name), jsonb_build_object('auc', 0.8 + v * 0.003, 'f1', 0.7 + v * 0.002),
             '{"inputs":[{"name":"amount","type":"float","nullable":false,"required":true},{"name":"country","type":"string","nullable":false,"required":true}],"outputs":[{"name":"score","type":"float","nullable":false,"required":true}]}'::jsonb,
             'api-key:ci', m.created_at + v * interval '12 days', md5(m.name || '@' || v)
      from models m cross join generate_series(0, ${size.versionsPerModel - 1}) v`);
  });
  await step('releases: promoted, rolled back and running per model and environment, with their steps', async () => {
    const release = (minor: number, state: string, weight: number, finishedAgo: string | null) => sql`
      insert into releases (model_id, version_id, baseline_version_id, environment_id, strategy, state, current_step, current_weight, requested_by, created_at, started_at, step_started_at, finished_at, updated_at)
      select m.id, v.id, b.id, e.id, 'canary', ${state}, 0, ${weight}, 'api-key:ci',
             now() - interval '40 days', now() - interval '40 days', now() - interval '5 minutes',
             ${finishedAgo === null ? sql`null` : sql`now() - ${finishedAgo}::interval`}, now() - interval '1 minute'
      from models m
      join model_versions v on v.model_id = m.id and v.minor = ${minor}
      left join model_versions b on b.model_id = m.id and b.minor = ${LIVE_MINOR} and ${minor} <> ${LIVE_MINOR}
      cross join environments e`;
    await db.execute(release(LIVE_MINOR, 'promoted', 100, '20 days'));
    await db.execute(release(ROLLED_BACK_MINOR, 'rolled_back', 0, '10 days'));
    await db.execute(release(CANARY_MINOR, 'running', 10, null));
    await db.execute(sql`
      insert into release_steps (release_id, position, weight, hold_seconds, analysis_required)
      select r.id, s.position, s.weight, 3600, false
      from releases r join (values (0, 10), (1, 50), (2, 100)) as s(position, weight) on r.state = 'running'`);
    await db.execute(sql`insert into release_steps (release_id, position, weight) select id, 0, 100 from releases where state <> 'running'`);
  });

  const [chart] = rowsOf<{ id: string; model: string; version: string }>(
    await db.execute(sql`
      select r.id, m.name as model, v.version from releases r join models m on m.id = r.model_id join model_versions v on v.id = r.version_id
      join environments e on e.id = r.environment_id where r.state = 'running' and e.name = 'production' order by m.name limit 1`),
  );
  const chartRows = CHART_SECONDS * 2 * 2;
  const finishedRows = Math.max(0, size.samples - chartRows);
  await step(`metric samples: ${size.samples.toLocaleString('en-US')}`, async () => {
    // One hour of second buckets on the release whose page is measured: counters and 8-bucket histograms.
    await db.execute(sql`
      insert into metric_samples (release_id, variant, metric, kind, bucket_start, count, errors, histogram)
      select ${chart!.id}::uuid, variant, metric, case metric when 'latency' then 'histogram' else 'counter' end,
             date_trunc('second', now()) - (s || ' seconds')::interval,
             case variant when 'baseline' then 90 else 10 end,
             case metric when 'latency' then 0 else (case variant when 'baseline' then 1 else 0 end) end,
             case metric when 'latency' then '[{"le":10,"count":20},{"le":25,"count":30},{"le":50,"count":20},{"le":100,"count":10},{"le":250,"count":6},{"le":500,"count":2},{"le":1000,"count":1},{"le":2500,"count":1}]'::jsonb else null end
      from generate_series(1, ${CHART_SECONDS}) s cross join (values ('baseline'), ('canary')) v(variant) cross join (values ('error_rate'), ('latency')) m(metric)`);
    // The rest as counter history of finished releases, in chunks so progress shows.
    const finished = rowsOf<{ id: string }>(await db.execute(sql`select id from releases where state <> 'running' order by id`)).map((r) => r.id);
    const perRelease = Math.max(2, Math.round(finishedRows / Math.max(1, finished.length) / 2) * 2);
    for (let i = 0; i < finished.length; i += 200) {
      const ids = finished.slice(i, i + 200);
      await db.execute(sql`
        insert into metric_samples (release_id, variant, metric, kind, bucket_start, count, errors)
        select r.id::uuid, v.variant, 'error_rate', 'counter', timestamptz '2026-01-01' + (s || ' seconds')::interval, 100, (s % 7 = 0)::int
        from unnest(${`{${ids.join(',')}}`}::uuid[]) as r(id) cross join generate_series(1, ${perRelease / 2}) s cross join (values ('baseline'), ('canary')) v(variant)`);
    }
    await db.execute(sql`analyze`);
  });
  const running = rowsOf<{ id: string }>(await db.execute(sql`select id from releases where state = 'running' and id <> ${chart!.id}::uuid order by id`)).map((r) => r.id);
  return { size, chartRelease: chart!.id, chartModel: chart!.model, chartVersion: chart!.version, runningReleases: running, service: chart!.model };
}
