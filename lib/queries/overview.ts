import { and, count, desc, eq, inArray, ne } from 'drizzle-orm';
import { alerts, auditEvents, models, modelVersions, releases } from '@/db/schema';
import type { Database } from '@/db';
import { tableCache } from '@/db/table-cache';
import type { Actor } from '@/lib/domain/roles';
import { authorize } from '@/lib/services/authorize';

const IN_FLIGHT = ['pending_approval', 'approved', 'running', 'paused'];

// Counting 20,000 versions is a scan (4 ms) on every Overview, which every open dashboard reloads
// every 5 s; the counts change only with the registry, whose tables announce every change
// (db/change-feed.ts), so each instance keeps them until then.
const registryCounts = tableCache<{ models: number; versions: number }>({ tables: ['models', 'model_versions'], maxEntries: 1, maxAgeMs: 30_000 });

/** What the landing page shows: counts, the newest versions and the latest audit events. */
export async function getOverview({ actor, db }: { actor: Actor | null; db: Database }) {
  authorize(actor, 'dashboard.read', 'read the overview');
  const [registry, [inFlight], [openAlerts], latestVersions, recentAudit, criticalAlerts] = await Promise.all([
    registryCounts.get(db, 'counts', async () => {
      const [[models_], [versions]] = await Promise.all([db.select({ n: count() }).from(models), db.select({ n: count() }).from(modelVersions)]);
      return { models: models_!.n, versions: versions!.n };
    }),
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
    counts: { models: registry.models, versions: registry.versions, releasesInFlight: inFlight!.n, openAlerts: openAlerts!.n },
    latestVersions,
    recentAudit,
    criticalAlerts,
  };
}
