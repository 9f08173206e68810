import { and, count, desc, eq, inArray, ne } from 'drizzle-orm';
import { alerts, auditEvents, models, modelVersions, releases } from '@/db/schema';
import type { Database } from '@/db';
import type { Actor } from '@/lib/domain/roles';
import { authorize } from '@/lib/services/authorize';

const IN_FLIGHT = ['pending_approval', 'approved', 'running', 'paused'];

/** What the landing page shows: counts, the newest versions and the latest audit events. */
export async function getOverview({ actor, db }: { actor: Actor | null; db: Database }) {
  authorize(actor, 'dashboard.read', 'read the overview');
  const [[modelCount], [versionCount], [inFlight], [openAlerts], latestVersions, recentAudit, criticalAlerts] = await Promise.all([
    db.select({ n: count() }).from(models),
    db.select({ n: count() }).from(modelVersions),
    db.select({ n: count() }).from(releases).where(inArray(releases.state, IN_FLIGHT)),
    db.select({ n: count() }).from(alerts).where(ne(alerts.state, 'resolved')),
    db
      .select({ id: modelVersions.id, model: models.name, version: modelVersions.version, registeredAt: modelVersions.registeredAt, registeredBy: modelVersions.registeredBy })
      .from(modelVersions)
      .innerJoin(models, eq(models.id, modelVersions.modelId))
      .orderBy(desc(modelVersions.registeredAt))
      .limit(8),
    db.select().from(auditEvents).orderBy(desc(auditEvents.seq)).limit(8),
    // Open critical alerts: what on-call must see first.
    db
      .select({ id: alerts.id, title: alerts.title, kind: alerts.kind, openedAt: alerts.openedAt, model: models.name })
      .from(alerts)
      .leftJoin(models, eq(models.id, alerts.modelId))
      .where(and(eq(alerts.state, 'open'), eq(alerts.severity, 'critical')))
      .orderBy(desc(alerts.openedAt))
      .limit(5),
  ]);
  return {
    counts: { models: modelCount!.n, versions: versionCount!.n, releasesInFlight: inFlight!.n, openAlerts: openAlerts!.n },
    latestVersions,
    recentAudit,
    criticalAlerts,
  };
}
