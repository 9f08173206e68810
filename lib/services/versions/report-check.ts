import { and, eq } from 'drizzle-orm';
import { gateChecks } from '@/db/schema';
import { canonicalJson } from '@/lib/domain/canonical-json';
import { ReportCheckInput } from '@/lib/domain/version';
import { defineUseCase } from '../use-case';
import { lockVersion } from './find-version';

/**
 * CI reports a gate result for a version (unit, smoke, data_drift, performance,
 * quality_regression, safety, contract). One row per kind: re-posting updates it (running →
 * passed) and the audit log keeps every state it went through. An identical re-post is a no-op.
 * Fails with: forbidden; invalid; not_found (model or version).
 */
export const reportCheck = defineUseCase({
  name: 'check.report',
  permission: 'check.report',
  summary: 'Report a gate check',
  input: ReportCheckInput,
  async run({ tx, actor, now, audit, unchanged }, input) {
    const version = await lockVersion(tx, input.model, input.version);
    const [before] = await tx.select().from(gateChecks).where(and(eq(gateChecks.versionId, version.id), eq(gateChecks.kind, input.kind)));
    const values = {
      status: input.status,
      measurements: input.measurements,
      link: input.link ?? null,
      summary: input.summary ?? null,
    };
    if (before && canonicalJson(pick(before)) === canonicalJson(values)) {
      unchanged();
      return { check: before, outcome: 'unchanged' as const };
    }
    const [after] = before
      ? await tx.update(gateChecks).set({ ...values, reportedBy: actor.name, updatedAt: now }).where(eq(gateChecks.id, before.id)).returning()
      : await tx.insert(gateChecks).values({ ...values, versionId: version.id, kind: input.kind, reportedBy: actor.name, updatedAt: now }).returning();
    await audit({
      action: 'check.report',
      targetType: 'model_version',
      targetId: version.id,
      before: before ? { kind: before.kind, ...pick(before) } : null,
      after: { model: input.model, version: input.version, kind: input.kind, ...values },
    });
    return { check: after!, outcome: before ? ('updated' as const) : ('created' as const) };
  },
});

const pick = (c: typeof gateChecks.$inferSelect) => ({ status: c.status, measurements: c.measurements, link: c.link, summary: c.summary });
