import { count, and, asc, desc, eq, gte, inArray, or, sql } from 'drizzle-orm';
import { anyId } from '@/db/any-id';
import { alias, type PgSelect } from 'drizzle-orm/pg-core';
import { analysisRuns, approvals, environments, incidents, models, modelVersions, releases, releaseSteps } from '@/db/schema';
import type { Database } from '@/db';
import { rowsOf } from '@/db/client';
import { rowFromJson, rowsFromJson } from '@/db/json-rows';
import { IN_FLIGHT_STATES } from '@/lib/domain/release-machine';
import type { Actor } from '@/lib/domain/roles';
import { hasNul } from '@/lib/domain/text';
import { authorize } from '@/lib/services/authorize';
import { notFound } from '@/lib/services/errors';

type Caller = { actor: Actor | null; db: Database };
const baseline = alias(modelVersions, 'baseline');

const summaryColumns = {
  id: releases.id,
  model: models.name,
  version: modelVersions.version,
  baselineVersion: baseline.version,
  environment: environments.name,
  environmentRank: environments.rank,
  strategy: releases.strategy,
  state: releases.state,
  currentStep: releases.currentStep,
  currentWeight: releases.currentWeight,
  requestedBy: releases.requestedBy,
  requestedById: releases.requestedById,
  reason: releases.reason,
  createdAt: releases.createdAt,
  updatedAt: releases.updatedAt,
};

const IN_FLIGHT_FIRST = sql`case when ${releases.state} in ('running','paused','pending_approval','approved') then 0 else 1 end`;

/** A query over releases, joined to the names a summary shows: model, version, baseline, environment. */
function withNames<Q extends PgSelect>(query: Q) {
  return query
    .innerJoin(models, eq(models.id, releases.modelId))
    .innerJoin(modelVersions, eq(modelVersions.id, releases.versionId))
    .leftJoin(baseline, eq(baseline.id, releases.baselineVersionId))
    .innerJoin(environments, eq(environments.id, releases.environmentId));
}

function summaries(db: Database) {
  return withNames(db.select(summaryColumns).from(releases).$dynamic());
}

export type ReleaseFilters = { model?: string; environment?: string; state?: string; limit?: number };

/** Releases, in flight first, newest first; filters come from the URL so a link reproduces the view. */
export async function listReleases({ actor, db }: Caller, filters: ReleaseFilters = {}) {
  authorize(actor, 'dashboard.read', 'list releases');
  // Filters come from a URL: one with a NUL matches no release (and Postgres refuses to compare it).
  if ([filters.model, filters.environment, filters.state].some((v) => v !== undefined && hasNul(v))) return [];
  // The page's releases first (ordered and limited over releases and the two small tables the
  // filters name), then their versions by primary key: joining the 20,000 versions before the
  // sort cost a hash join over all of them per call (9 ms in the organisation benchmark).
  const page = db
    .select({ id: releases.id, inFlightFirst: sql<number>`${IN_FLIGHT_FIRST}`.as('in_flight_first'), updatedAt: releases.updatedAt })
    .from(releases)
    .innerJoin(models, eq(models.id, releases.modelId))
    .innerJoin(environments, eq(environments.id, releases.environmentId))
    .where(
      and(
        filters.model ? eq(models.name, filters.model) : undefined,
        filters.environment ? eq(environments.name, filters.environment) : undefined,
        filters.state ? eq(releases.state, filters.state) : undefined,
      ),
    )
    .orderBy(IN_FLIGHT_FIRST, desc(releases.updatedAt))
    .limit(Math.min(filters.limit ?? 100, 200))
    .as('page');
  return summaries(db).innerJoin(page, eq(page.id, releases.id)).orderBy(page.inFlightFirst, desc(page.updatedAt));
}

/**
 * What is rolling out now, production first: the Overview's rollback list. Releases that ended
 * in the last 15 minutes stay on it, so whoever just rolled one back sees it say "rolled back",
 * at baseline 100 %, with its incident — instead of watching it vanish.
 */
export async function listInFlight({ actor, db }: Caller, now = new Date(), limit = 500) {
  authorize(actor, 'dashboard.read', 'list releases');
  const recent = new Date(now.getTime() - 15 * 60_000);
  // Ordered and limited before the versions are joined (see listReleases).
  const page = db
    .select({ id: releases.id, rank: sql<number>`${environments.rank}`.as('rank'), updatedAt: releases.updatedAt })
    .from(releases)
    .innerJoin(environments, eq(environments.id, releases.environmentId))
    .where(or(inArray(releases.state, ['running', 'paused']), and(inArray(releases.state, ['rolled_back', 'aborted']), gte(releases.finishedAt, recent))))
    .orderBy(desc(environments.rank), desc(releases.updatedAt))
    .limit(limit)
    .as('page');
  const query = db.select({ ...summaryColumns, incidentId: incidents.id }).from(releases).innerJoin(page, eq(page.id, releases.id)).$dynamic();
  return withNames(query).leftJoin(incidents, eq(incidents.releaseId, releases.id)).orderBy(desc(page.rank), desc(page.updatedAt));
}

/** How many releases are running or paused now (the Overview shows the first few). */
export async function countInFlight({ actor, db }: Caller): Promise<number> {
  authorize(actor, 'dashboard.read', 'list releases');
  const [row] = await db.select({ n: count() }).from(releases).where(inArray(releases.state, ['running', 'paused']));
  return Number(row?.n ?? 0);
}

/** The approval inbox: releases waiting for approval that the reader did not request. */
export async function listAwaitingApproval({ actor, db }: Caller) {
  const me = authorize(actor, 'dashboard.read', 'list releases');
  const rows = await summaries(db).where(eq(releases.state, 'pending_approval')).orderBy(asc(releases.createdAt));
  return rows.map((r) => ({ ...r, mine: r.requestedById === me.id }));
}

/**
 * What a release's page and every release action answer with: the release, its names, incident,
 * plan and reviews, from one row of `RELEASE_VIEW_COLUMNS` over `RELEASE_VIEW_TABLES` (aliases r,
 * m, v, b, e). One statement, its rows as JSON (db/json-rows.ts): the query builder cost more CPU
 * than Postgres did. The release actions read the same row under their lock (lockRelease).
 */
export const RELEASE_VIEW_COLUMNS = sql`
  row_to_json(r) as release, m.name as model, v.version, b.version as "baselineVersion",
  e.name as environment, e.rank as "environmentRank",
  (select row_to_json(i) from ${incidents} i where i.release_id = r.id) as incident,
  (select json_agg(s order by s.position) from ${releaseSteps} s where s.release_id = r.id) as steps,
  (select json_agg(a order by a.created_at) from ${approvals} a where a.release_id = r.id) as approvals`;
export const RELEASE_VIEW_TABLES = sql`
  ${releases} r
  join ${models} m on m.id = r.model_id
  join ${modelVersions} v on v.id = r.version_id
  left join ${modelVersions} b on b.id = r.baseline_version_id
  join ${environments} e on e.id = r.environment_id`;
export type ReleaseViewRow = { release: unknown; model: string; version: string; baselineVersion: string | null; environment: string; environmentRank: number; incident: unknown; steps: unknown; approvals: unknown };

export function releaseView(head: ReleaseViewRow) {
  const r = rowFromJson(releases, head.release);
  const release = {
    id: r.id,
    model: head.model,
    version: head.version,
    baselineVersion: head.baselineVersion,
    environment: head.environment,
    environmentRank: Number(head.environmentRank),
    strategy: r.strategy,
    state: r.state,
    currentStep: r.currentStep,
    currentWeight: r.currentWeight,
    requestedBy: r.requestedBy,
    requestedById: r.requestedById,
    reason: r.reason,
    createdAt: r.createdAt,
    updatedAt: r.updatedAt,
    routing: r.routing,
    routingRevision: r.routingRevision,
    startedAt: r.startedAt,
    finishedAt: r.finishedAt,
    stepStartedAt: r.stepStartedAt,
  };
  return {
    ...release,
    steps: rowsFromJson(releaseSteps, head.steps),
    approvals: rowsFromJson(approvals, head.approvals),
    incident: head.incident ? rowFromJson(incidents, head.incident) : null,
    inFlight: (IN_FLIGHT_STATES as readonly string[]).includes(release.state),
  };
}
export type ReleaseView = ReturnType<typeof releaseView>;

/** One release with its plan, approvals and incident. */
export async function getRelease({ actor, db }: Caller, id: string): Promise<ReleaseView> {
  authorize(actor, 'dashboard.read', 'read releases');
  if (!/^[0-9a-f-]{36}$/i.test(id)) throw notFound('The release');
  const [head] = rowsOf<ReleaseViewRow>(await db.execute(sql`select ${RELEASE_VIEW_COLUMNS} from ${RELEASE_VIEW_TABLES} where r.id = ${id}`));
  if (!head) throw notFound('The release');
  return releaseView(head);
}

/** The newest analysis verdict of each release, for the Overview's "error delta" line. */
export async function latestVerdicts(db: Database, releaseIds: string[]) {
  if (releaseIds.length === 0) return new Map<string, { verdict: string; errorRate: string | null; at: Date }>();
  const rows = await db
    .selectDistinctOn([analysisRuns.releaseId], { releaseId: analysisRuns.releaseId, verdict: analysisRuns.verdict, metrics: analysisRuns.metrics, at: analysisRuns.intervalEnd })
    .from(analysisRuns)
    .where(anyId(analysisRuns.releaseId, releaseIds))
    .orderBy(analysisRuns.releaseId, desc(analysisRuns.intervalStart));
  return new Map(
    rows.map((r) => {
      const errorRate = (r.metrics as { metric: string; reason: string }[]).find((m) => m.metric === 'error_rate');
      return [r.releaseId, { verdict: r.verdict, errorRate: errorRate?.reason ?? null, at: r.at }];
    }),
  );
}

/** Who approved or rejected what, with their comments and evidence digests; newest first, per environment if asked. */
export async function listApprovalHistory({ actor, db }: Caller, opts: { environment?: string; limit?: number } = {}) {
  authorize(actor, 'dashboard.read', 'read approvals');
  if (opts.environment !== undefined && hasNul(opts.environment)) return [];
  return db
    .select({ approval: approvals, releaseId: releases.id, model: models.name, version: modelVersions.version, environment: environments.name, releaseState: releases.state })
    .from(approvals)
    .innerJoin(releases, eq(releases.id, approvals.releaseId))
    .innerJoin(models, eq(models.id, releases.modelId))
    .innerJoin(modelVersions, eq(modelVersions.id, releases.versionId))
    .innerJoin(environments, eq(environments.id, releases.environmentId))
    .where(opts.environment ? eq(environments.name, opts.environment) : undefined)
    .orderBy(desc(approvals.createdAt))
    .limit(Math.min(500, Math.max(1, opts.limit ?? 200)));
}
