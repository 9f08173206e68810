import { and, asc, eq } from 'drizzle-orm';
import { gateChecks, models, modelVersions } from '@/db/schema';
import type { Database } from '@/db';
import { diffContracts, type Contract } from '@/lib/domain/contract';
import type { Actor } from '@/lib/domain/roles';
import { hasNul } from '@/lib/domain/text';
import { authorize } from '@/lib/services/authorize';
import { notFound } from '@/lib/services/errors';
import { deployabilityOf, listEnvironments } from './deployability';

type Caller = { actor: Actor | null; db: Database };

/**
 * Everything the version page shows: metadata, reproducibility, checks, deployability per
 * environment, and a comparison with the version live in the highest-ranked environment
 * (production, usually): offline metrics side by side and the contract diff.
 */
export async function getVersion({ actor, db }: Caller, modelName: string, versionString: string) {
  authorize(actor, 'dashboard.read', 'read model versions');
  if (hasNul(modelName) || hasNul(versionString)) throw notFound(`Version ${versionString} of "${modelName}"`);
  const [row] = await db
    .select({ model: models, version: modelVersions })
    .from(modelVersions)
    .innerJoin(models, eq(models.id, modelVersions.modelId))
    .where(and(eq(models.name, modelName), eq(modelVersions.version, versionString)));
  if (!row) throw notFound(`Version ${versionString} of "${modelName}"`);
  const { model, version } = row;

  const [checks, parent, deployability, envs] = await Promise.all([
    db.select().from(gateChecks).where(eq(gateChecks.versionId, version.id)).orderBy(asc(gateChecks.kind)),
    version.parentVersionId
      ? db.select({ version: modelVersions.version }).from(modelVersions).where(eq(modelVersions.id, version.parentVersionId)).then((r) => r[0] ?? null)
      : Promise.resolve(null),
    deployabilityOf(db, [{ id: version.id, modelId: model.id }]).then((m) => m.get(version.id)!),
    listEnvironments(db),
  ]);

  // Compare with what runs in the most important environment that runs something.
  const ranked = [...envs].sort((a, b) => b.rank - a.rank).map((e) => deployability.find((d) => d.environment === e.name)!);
  const target = ranked.find((d) => d.live && !d.isLive) ?? null;
  let comparison = null;
  if (target?.live) {
    const [baseline] = await db.select().from(modelVersions).where(eq(modelVersions.id, target.live.versionId));
    const candidateMetrics = version.offlineMetrics as Record<string, number>;
    const baselineMetrics = baseline!.offlineMetrics as Record<string, number>;
    const names = [...new Set([...Object.keys(baselineMetrics), ...Object.keys(candidateMetrics)])].sort();
    comparison = {
      environment: target.environment,
      baseline: baseline!,
      metrics: names.map((name) => ({ name, candidate: candidateMetrics[name] ?? null, baseline: baselineMetrics[name] ?? null })),
      contractDiff: diffContracts(baseline!.contract as Contract, version.contract as Contract),
    };
  }
  return { model, version, parent, checks, deployability, comparison };
}
