import { desc, eq, sql } from 'drizzle-orm';
import { alias } from 'drizzle-orm/pg-core';
import { alerts, environments, experiments, models, modelVersions, releases } from '@/db/schema';
import type { Database } from '@/db';
import type { Actor } from '@/lib/domain/roles';
import { authorize } from '@/lib/services/authorize';

type Caller = { actor: Actor | null; db: Database };

const IN_FLIGHT_FIRST = sql`case when ${releases.state} in ('running','paused','pending_approval','approved') then 0 else 1 end`;
const baseline = alias(modelVersions, 'baseline');

/** Releases, in-flight first, newest first within each group. */
export async function listReleases({ actor, db }: Caller, limit = 50) {
  authorize(actor, 'dashboard.read', 'list releases');
  return db
    .select({
      id: releases.id,
      model: models.name,
      version: modelVersions.version,
      baselineVersion: baseline.version,
      environment: environments.name,
      strategy: releases.strategy,
      state: releases.state,
      currentWeight: releases.currentWeight,
      requestedBy: releases.requestedBy,
      updatedAt: releases.updatedAt,
    })
    .from(releases)
    .innerJoin(models, eq(models.id, releases.modelId))
    .innerJoin(modelVersions, eq(modelVersions.id, releases.versionId))
    .leftJoin(baseline, eq(baseline.id, releases.baselineVersionId))
    .innerJoin(environments, eq(environments.id, releases.environmentId))
    .orderBy(IN_FLIGHT_FIRST, desc(releases.updatedAt))
    .limit(limit);
}

export async function listExperiments({ actor, db }: Caller, limit = 50) {
  authorize(actor, 'dashboard.read', 'list experiments');
  return db.select().from(experiments).orderBy(desc(experiments.createdAt)).limit(limit);
}

/** Open first, critical before warning. */
export async function listAlerts({ actor, db }: Caller, limit = 50) {
  authorize(actor, 'dashboard.read', 'list alerts');
  return db
    .select({ alert: alerts, model: models.name })
    .from(alerts)
    .leftJoin(models, eq(models.id, alerts.modelId))
    .orderBy(sql`case ${alerts.state} when 'open' then 0 when 'acknowledged' then 1 else 2 end`, sql`case ${alerts.severity} when 'critical' then 0 else 1 end`, desc(alerts.openedAt))
    .limit(limit);
}
