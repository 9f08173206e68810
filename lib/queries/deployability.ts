import { and, desc, eq } from 'drizzle-orm';
import { anyId } from '@/db/any-id';
import { environments, gateChecks, modelVersions, releases } from '@/db/schema';
import type { Database } from '@/db';
import { tableCache } from '@/db/table-cache';
import { evaluateGates, type CheckKind, type CheckStatus, type GateCheckResult, type GatePolicy } from '@/lib/domain/gate-policy';

export type LiveVersion = { versionId: string; version: string; since: Date | null };

/**
 * What runs where: per model, per environment, the version of the most recent promoted release.
 * (Releases arrive with their own issue; until then this reads whatever promoted releases exist.)
 */
export async function liveVersions(db: Database, modelIds: string[]): Promise<Map<string, Map<string, LiveVersion>>> {
  const result = new Map<string, Map<string, LiveVersion>>();
  if (modelIds.length === 0) return result;
  const rows = await db
    .selectDistinctOn([releases.modelId, releases.environmentId], {
      modelId: releases.modelId,
      environment: environments.name,
      versionId: releases.versionId,
      version: modelVersions.version,
      since: releases.finishedAt,
    })
    .from(releases)
    .innerJoin(environments, eq(environments.id, releases.environmentId))
    .innerJoin(modelVersions, eq(modelVersions.id, releases.versionId))
    .where(and(anyId(releases.modelId, modelIds), eq(releases.state, 'promoted')))
    .orderBy(releases.modelId, releases.environmentId, desc(releases.finishedAt));
  for (const row of rows) {
    const perEnv = result.get(row.modelId) ?? new Map<string, LiveVersion>();
    perEnv.set(row.environment, { versionId: row.versionId, version: row.version, since: row.since });
    result.set(row.modelId, perEnv);
  }
  return result;
}

/** Environments in promotion order. Read by most pages and changed by an admin now and then: from memory, forgotten when one changes. */
export async function listEnvironments(db: Database) {
  // A copy: the cached list is shared by every caller.
  return [...(await environmentList.get(db, 'all', () => db.select().from(environments).orderBy(environments.rank, environments.name)))];
}

const environmentList = tableCache<(typeof environments.$inferSelect)[]>({ tables: ['environments'], maxEntries: 1, maxAgeMs: 30_000 });

export function policyOf(env: typeof environments.$inferSelect): GatePolicy {
  return { requiredChecks: env.requiredChecks as CheckKind[], thresholds: env.checkThresholds as GatePolicy['thresholds'] };
}

async function checksByVersion(db: Database, versionIds: string[]) {
  const map = new Map<string, GateCheckResult[]>();
  if (versionIds.length === 0) return map;
  const rows = await db.select().from(gateChecks).where(anyId(gateChecks.versionId, [...new Set(versionIds)]));
  for (const row of rows) {
    const list = map.get(row.versionId) ?? [];
    list.push({ kind: row.kind as CheckKind, status: row.status as CheckStatus, measurements: row.measurements as Record<string, number> });
    map.set(row.versionId, list);
  }
  return map;
}

export type Deployability = {
  environment: string;
  live: LiveVersion | null;
  isLive: boolean;
} & ReturnType<typeof evaluateGates>;

/**
 * For each version, per environment: deployable or not, with every unmet gate named. The
 * baseline for threshold comparisons is the version live in that environment.
 * Three queries whatever the number of versions (environments, live versions, checks).
 */
export async function deployabilityOf(
  db: Database,
  versions: { id: string; modelId: string }[],
  /** The live versions of these models, when the caller has read them already. */
  known?: Map<string, Map<string, LiveVersion>>,
): Promise<Map<string, Deployability[]>> {
  const [envs, live] = await Promise.all([listEnvironments(db), known ?? liveVersions(db, [...new Set(versions.map((v) => v.modelId))])]);
  const liveIds = [...live.values()].flatMap((perEnv) => [...perEnv.values()].map((l) => l.versionId));
  const checks = await checksByVersion(db, [...versions.map((v) => v.id), ...liveIds]);
  const result = new Map<string, Deployability[]>();
  for (const version of versions) {
    result.set(
      version.id,
      envs.map((env) => {
        const current = live.get(version.modelId)?.get(env.name) ?? null;
        const evaluation = evaluateGates({
          policy: policyOf(env),
          checks: checks.get(version.id) ?? [],
          baselineChecks: current ? (checks.get(current.versionId) ?? []) : null,
        });
        return { environment: env.name, live: current, isLive: current?.versionId === version.id, ...evaluation };
      }),
    );
  }
  return result;
}
