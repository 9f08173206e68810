import { and, asc, desc, eq, or } from 'drizzle-orm';
import { anyId } from '@/db/any-id';
import { alerts, analysisRuns, auditEvents, environments, incidents, models, modelVersions, releases, releaseSteps } from '@/db/schema';
import type { Database } from '@/db';
import { buildTimeline, incidentDurations, meanTimeToRollBack, responders, type IncidentInput } from '@/lib/domain/incident-timeline';
import type { Actor } from '@/lib/domain/roles';
import { authorize } from '@/lib/services/authorize';
import { notFound } from '@/lib/services/errors';
import { getReleaseSeries } from './release-metrics';

type Caller = { actor: Actor | null; db: Database };

/**
 * Everything that happened to some releases and their alerts, as the timeline module takes it:
 * five queries however many releases (the incidents list asks for up to 500; one at a time it
 * was five per incident).
 */
async function incidentInputs(db: Database, releaseIds: string[]): Promise<Map<string, IncidentInput>> {
  const inputs = new Map<string, IncidentInput>();
  if (releaseIds.length === 0) return inputs;
  const [found, steps, runs, linked] = await Promise.all([
    db.select({ id: releases.id, startedAt: releases.startedAt, finishedAt: releases.finishedAt, state: releases.state, strategy: releases.strategy }).from(releases).where(anyId(releases.id, releaseIds)),
    db.select({ releaseId: releaseSteps.releaseId, weight: releaseSteps.weight }).from(releaseSteps).where(anyId(releaseSteps.releaseId, releaseIds)).orderBy(asc(releaseSteps.position)),
    db
      .select({ releaseId: analysisRuns.releaseId, step: analysisRuns.step, intervalStart: analysisRuns.intervalStart, intervalEnd: analysisRuns.intervalEnd, verdict: analysisRuns.verdict, summary: analysisRuns.summary, score: analysisRuns.score })
      .from(analysisRuns)
      .where(anyId(analysisRuns.releaseId, releaseIds))
      .orderBy(asc(analysisRuns.intervalStart)),
    db
      .select({ id: alerts.id, releaseId: alerts.releaseId, kind: alerts.kind, severity: alerts.severity, title: alerts.title, openedAt: alerts.openedAt, acknowledgedAt: alerts.acknowledgedAt, acknowledgedBy: alerts.acknowledgedBy, resolvedAt: alerts.resolvedAt, resolvedBy: alerts.resolvedBy })
      .from(alerts)
      .where(anyId(alerts.releaseId, releaseIds)),
  ]);
  const alertIds = linked.map((a) => a.id);
  // What the timeline reads of each event (the chain's hashes and metadata are not shown here).
  const events = await db
    .select({
      occurredAt: auditEvents.occurredAt,
      actorType: auditEvents.actorType,
      actorName: auditEvents.actorName,
      action: auditEvents.action,
      targetType: auditEvents.targetType,
      targetId: auditEvents.targetId,
      before: auditEvents.before,
      after: auditEvents.after,
      reason: auditEvents.reason,
    })
    .from(auditEvents)
    .where(
      or(
        and(eq(auditEvents.targetType, 'release'), anyId(auditEvents.targetId, releaseIds, 'text')),
        alertIds.length ? and(eq(auditEvents.targetType, 'alert'), anyId(auditEvents.targetId, alertIds, 'text')) : undefined,
      ),
    )
    .orderBy(asc(auditEvents.seq));
  const releaseOfAlert = new Map(linked.map((a) => [a.id, a.releaseId]));
  const byRelease = {
    release: new Map(found.map((r) => [r.id, r])),
    steps: groupBy(steps, (s) => s.releaseId),
    runs: groupBy(runs, (r) => r.releaseId),
    alerts: groupBy(linked, (a) => a.releaseId),
    events: groupBy(events, (e) => (e.targetType === 'release' ? e.targetId : releaseOfAlert.get(e.targetId))),
  };
  for (const id of releaseIds) {
    const release = byRelease.release.get(id);
    inputs.set(id, {
      release: release ? { startedAt: release.startedAt, finishedAt: release.finishedAt, state: release.state, strategy: release.strategy, weights: (byRelease.steps.get(id) ?? []).map((s) => s.weight) } : null,
      auditEvents: byRelease.events.get(id) ?? [],
      analysisRuns: byRelease.runs.get(id) ?? [],
      alerts: byRelease.alerts.get(id) ?? [],
    });
  }
  return inputs;
}

/** Rows by a key, each group in the rows' order. */
function groupBy<T>(rows: T[], keyOf: (row: T) => string | null | undefined): Map<string, T[]> {
  const groups = new Map<string, T[]>();
  for (const row of rows) {
    const key = keyOf(row);
    if (key == null) continue;
    const group = groups.get(key);
    if (group) group.push(row);
    else groups.set(key, [row]);
  }
  return groups;
}

/** Every incident, newest first, with its durations and the team's mean time to roll back. */
export async function listIncidents({ actor, db }: Caller, limit = 100) {
  authorize(actor, 'dashboard.read', 'list incidents');
  const rows = await db
    .select({ incident: incidents, model: models.name, version: modelVersions.version, environment: environments.name })
    .from(incidents)
    .leftJoin(releases, eq(releases.id, incidents.releaseId))
    .leftJoin(models, eq(models.id, releases.modelId))
    .leftJoin(modelVersions, eq(modelVersions.id, releases.versionId))
    .leftJoin(environments, eq(environments.id, releases.environmentId))
    .orderBy(desc(incidents.createdAt))
    .limit(Math.min(500, Math.max(1, limit)));
  const inputs = await incidentInputs(db, [...new Set(rows.flatMap((r) => (r.incident.releaseId ? [r.incident.releaseId] : [])))]);
  const items = rows.map((r) => {
    const input = r.incident.releaseId ? inputs.get(r.incident.releaseId) : undefined;
    return { ...r, durations: input ? incidentDurations(input) : null };
  });
  return { items, summary: meanTimeToRollBack(items.map((i) => ({ timeToRollBackSeconds: i.durations?.timeToRollBackSeconds ?? null }))) };
}

/**
 * One incident: its timeline (audit events, analysis verdicts, alerts, and the error rate and p99
 * around the rollback), time to detect and to roll back, who acted, and the postmortem.
 */
export async function getIncident({ actor, db }: Caller, id: string) {
  authorize(actor, 'dashboard.read', 'read an incident');
  if (!/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(id)) throw notFound('The incident');
  const [row] = await db
    .select({ incident: incidents, model: models.name, version: modelVersions.version, environment: environments.name })
    .from(incidents)
    .leftJoin(releases, eq(releases.id, incidents.releaseId))
    .leftJoin(models, eq(models.id, releases.modelId))
    .leftJoin(modelVersions, eq(modelVersions.id, releases.versionId))
    .leftJoin(environments, eq(environments.id, releases.environmentId))
    .where(eq(incidents.id, id));
  if (!row) throw notFound('The incident');
  const releaseId = row.incident.releaseId;
  const input = (releaseId ? (await incidentInputs(db, [releaseId])).get(releaseId) : undefined) ?? { release: null };
  // The error rate and p99 per variant around the rollback, from the release's own samples.
  const series = releaseId ? await getReleaseSeries({ actor, db }, releaseId).catch(() => null) : null;
  const metrics = (series?.points ?? []).map((p) => ({ at: new Date(p.t), variant: p.variant, errorRatePercent: p.errorRate, p99Ms: p.p99 }));
  const full = { ...input, metrics: thin(metrics, 12) };
  const incidentEvents = await db.select().from(auditEvents).where(and(eq(auditEvents.targetType, 'incident'), eq(auditEvents.targetId, id))).orderBy(asc(auditEvents.seq));
  return {
    ...row,
    durations: incidentDurations(full),
    timeline: buildTimeline({ ...full, auditEvents: [...(full.auditEvents ?? []), ...incidentEvents] }),
    responders: responders(full),
  };
}

/** At most `max` metric points, evenly spaced, so a long release does not flood the timeline. */
function thin<T>(points: T[], max: number): T[] {
  if (points.length <= max) return points;
  const step = points.length / max;
  return Array.from({ length: max }, (_, i) => points[Math.floor(i * step)]!);
}
