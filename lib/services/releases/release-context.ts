import { and, eq, isNull, sql } from 'drizzle-orm';
import { approvals, environments, gateChecks, modelVersions, releases } from '@/db/schema';
import type { Tx } from '@/db';
import { rowsOf } from '@/db/client';
import { rowFromJson } from '@/db/json-rows';
import { countApprovals, evidenceDigest } from '@/lib/domain/approval-evidence';
import { activeFreeze, type FreezeWindow } from '@/lib/domain/freeze';
import type { ReleaseSnapshot, ReleaseState } from '@/lib/domain/release-machine';
import { RELEASE_VIEW_COLUMNS, RELEASE_VIEW_TABLES, type ReleaseViewRow } from '@/lib/queries/releases';
import { notFound } from '../errors';

export type ReleaseRow = typeof releases.$inferSelect;
export type EnvironmentRow = typeof environments.$inferSelect;

/**
 * Everything a release transition needs, read under a row lock on the release: concurrent
 * actions on one release (two on-call engineers clicking rollback, a promote racing a rollback)
 * queue here and each sees the state the previous one left. One round trip: the release's view
 * (what the action answers with, lib/queries/releases.ts) and its environment's row.
 */
export async function lockRelease(tx: Tx, releaseId: string) {
  const [row] = rowsOf<ReleaseViewRow & { env: unknown }>(
    await tx.execute(sql`select ${RELEASE_VIEW_COLUMNS}, row_to_json(e) as env from ${RELEASE_VIEW_TABLES} where r.id = ${releaseId} for update of r`),
  );
  if (!row) throw notFound('The release');
  const env = rowFromJson(environments, row.env);
  const weights = ((row.steps ?? []) as { weight: number }[]).map((s) => Number(s.weight)); // ordered by position
  return { release: rowFromJson(releases, row.release), env, weights, names: { model: row.model, version: row.version, environment: env.name }, viewRow: row as ReleaseViewRow };
}

export function snapshotOf(release: ReleaseRow, weights: number[]): ReleaseSnapshot {
  return { state: release.state as ReleaseState, currentStep: release.currentStep, stepCount: weights.length, weights };
}

export function freezeOf(env: EnvironmentRow, now: Date) {
  return activeFreeze(env.freezeWindows as FreezeWindow[], now);
}

/** The digest of what a reviewer of this release sees now: version digest, gate results, policy version. */
export async function currentEvidence(tx: Tx, release: ReleaseRow, env: EnvironmentRow): Promise<string> {
  const [version] = await tx.select({ digest: modelVersions.artifactDigest }).from(modelVersions).where(eq(modelVersions.id, release.versionId));
  const checks = await tx.select().from(gateChecks).where(eq(gateChecks.versionId, release.versionId));
  return evidenceDigest({
    versionDigest: version!.digest,
    checks: checks.map((c) => ({ kind: c.kind, status: c.status, measurements: c.measurements as Record<string, number> })),
    policyVersion: env.policyVersion,
    environment: env.name,
  });
}

/** Approvals that still count: not expired, not voided, bound to the current evidence, not the requester's. */
export async function validApprovals(tx: Tx, release: ReleaseRow, env: EnvironmentRow, now: Date) {
  const rows = await tx.select().from(approvals).where(and(eq(approvals.releaseId, release.id), isNull(approvals.voidedAt)));
  const currentDigest = await currentEvidence(tx, release, env);
  const counted = countApprovals(
    rows.map((a) => ({ ...a, decision: a.decision as 'approve' | 'reject' })),
    { currentDigest, now, requesterId: release.requestedById },
  );
  return { ...counted, currentDigest, rows };
}
