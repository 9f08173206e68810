import { and, asc, eq, gte, lte, or } from 'drizzle-orm';
import { alerts, analysisRuns, auditEvents, experiments, gateChecks, modelVersions, releases } from '@/db/schema';
import type { Database } from '@/db';
import type { Actor } from '@/lib/domain/roles';
import { getRelease } from './releases';

type Caller = { actor: Actor | null; db: Database };

const LINEAGE_DEPTH = 10;
/** Alerts are part of a release's record if they opened while it ran, or up to this long after. */
const AFTER_MS = 30 * 60_000;

/**
 * The evidence pack of one release, as an auditor asks for it: the version and its lineage, gate
 * results, approvals with their evidence digests, the plan with each analysis verdict, the
 * experiment result, alerts on the model while it rolled out, the incident and the release's
 * audit trail (with hashes, so each event can be checked against the chain).
 */
export async function getReleaseRecord(caller: Caller, id: string) {
  const release = await getRelease(caller, id);
  const { db } = caller;
  const [row] = await db.select({ versionId: releases.versionId, modelId: releases.modelId, environmentId: releases.environmentId }).from(releases).where(eq(releases.id, id));
  const [version] = await db.select().from(modelVersions).where(eq(modelVersions.id, row!.versionId));

  // The version's ancestry, newest first, as far as LINEAGE_DEPTH parents.
  const lineage: { version: string; artifactDigest: string; gitCommit: string | null; registeredAt: Date }[] = [];
  let parentId = version!.parentVersionId;
  for (let i = 0; parentId && i < LINEAGE_DEPTH; i++) {
    const [parent] = await db.select().from(modelVersions).where(eq(modelVersions.id, parentId));
    if (!parent) break;
    lineage.push({ version: parent.version, artifactDigest: parent.artifactDigest, gitCommit: parent.gitCommit, registeredAt: parent.registeredAt });
    parentId = parent.parentVersionId;
  }

  const from = release.startedAt ?? release.createdAt;
  const to = new Date((release.finishedAt ?? new Date()).getTime() + AFTER_MS);
  const [checks, verdicts, experiment, modelAlerts, trail] = await Promise.all([
    db.select().from(gateChecks).where(eq(gateChecks.versionId, row!.versionId)),
    db.select().from(analysisRuns).where(eq(analysisRuns.releaseId, id)).orderBy(asc(analysisRuns.intervalStart)),
    db.select().from(experiments).where(eq(experiments.releaseId, id)),
    db
      .select()
      .from(alerts)
      .where(and(eq(alerts.modelId, row!.modelId), or(eq(alerts.releaseId, id), and(eq(alerts.environmentId, row!.environmentId), gte(alerts.openedAt, from), lte(alerts.openedAt, to)))))
      .orderBy(asc(alerts.openedAt)),
    db.select().from(auditEvents).where(eq(auditEvents.targetId, id)).orderBy(asc(auditEvents.seq)),
  ]);
  const exp = experiment[0];
  return {
    generatedAt: new Date().toISOString(),
    release: { id: release.id, model: release.model, version: release.version, environment: release.environment, strategy: release.strategy, state: release.state, baselineVersion: release.baselineVersion, requestedBy: release.requestedBy, reason: release.reason, createdAt: release.createdAt, startedAt: release.startedAt, finishedAt: release.finishedAt },
    version: {
      version: version!.version,
      artifactUri: version!.artifactUri,
      artifactDigest: version!.artifactDigest,
      gitCommit: version!.gitCommit,
      dataSnapshotId: version!.dataSnapshotId,
      dataSnapshotHash: version!.dataSnapshotHash,
      hyperparameters: version!.hyperparameters,
      offlineMetrics: version!.offlineMetrics,
      registeredBy: version!.registeredBy,
      registeredAt: version!.registeredAt,
      lineage,
    },
    gates: checks.map((c) => ({ kind: c.kind, status: c.status, measurements: c.measurements, summary: c.summary, reportedAt: c.updatedAt })),
    approvals: release.approvals.map((a) => ({ reviewer: a.reviewer, decision: a.decision, comment: a.comment, evidenceDigest: a.evidenceDigest, at: a.createdAt, expiresAt: a.expiresAt, voidedAt: a.voidedAt })),
    plan: release.steps.map((s) => ({
      position: s.position,
      weight: s.weight,
      holdSeconds: s.holdSeconds,
      analysisRequired: s.analysisRequired,
      manualGate: s.manualGate,
      verdicts: verdicts.filter((v) => v.step === s.position).map((v) => ({ verdict: v.verdict, score: v.score, intervalStart: v.intervalStart, intervalEnd: v.intervalEnd, summary: v.summary })),
    })),
    experiment: exp ? { id: exp.id, name: exp.name, hypothesis: exp.hypothesis, decision: exp.decision, shippedVersion: exp.shippedVersion, decidedBy: exp.decidedBy, decidedAt: exp.decidedAt, evidence: exp.decisionEvidence } : null,
    alerts: modelAlerts.map((a) => ({ id: a.id, kind: a.kind, severity: a.severity, state: a.state, title: a.title, feature: a.feature, openedAt: a.openedAt, acknowledgedBy: a.acknowledgedBy, resolvedAt: a.resolvedAt })),
    incident: release.incident,
    audit: trail.map((e) => ({ seq: e.seq, at: e.occurredAt, actor: e.actorName, action: e.action, reason: e.reason, hash: e.hash })),
  };
}
export type ReleaseRecord = Awaited<ReturnType<typeof getReleaseRecord>>;
