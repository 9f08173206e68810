import { z } from 'zod';
import { mlflowSyncs } from '@/db/schema';
import { defineUseCase } from '../use-case';

export const RecordMlflowSyncInput = z.object({
  trigger: z.enum(['manual', 'schedule', 'webhook']),
  scope: z.object({ model: z.string().optional(), version: z.string().optional() }).default({}),
  startedAt: z.coerce.date(),
  /** null when MLflow could not be read at all; then `error` says why. */
  report: z
    .object({
      modelsCreated: z.array(z.string()),
      versionsRegistered: z.array(z.string()),
      versionsRetagged: z.array(z.string()),
      unchanged: z.number().int().min(0),
      skipped: z.array(z.object({ model: z.string(), version: z.string().optional(), reason: z.string(), message: z.string() })),
      warnings: z.array(z.string()),
    })
    .nullable(),
  error: z.string().max(2000).nullable().default(null),
});

/**
 * Keeps one MLflow sync pass: what it imported and skipped, or why it failed. Audited when the pass
 * changed something or failed (who synced, and the counts); a pass that found nothing new is kept
 * for the Settings page but not audited, so a five-minute schedule does not flood the audit log.
 */
export const recordMlflowSync = defineUseCase({
  name: 'mlflow.sync.record',
  permission: 'version.register',
  summary: 'Sync models and versions from MLflow',
  input: RecordMlflowSyncInput,
  async run({ tx, actor, now, audit, unchanged }, input) {
    const status = input.report ? 'ok' : 'failed';
    const [row] = await tx
      .insert(mlflowSyncs)
      .values({ trigger: input.trigger, actorName: actor.name, scope: input.scope, status, report: input.report, error: input.error, startedAt: input.startedAt, finishedAt: now })
      .returning();
    const r = input.report;
    const changed = r && r.modelsCreated.length + r.versionsRegistered.length + r.versionsRetagged.length > 0;
    if (changed || !r) {
      await audit({
        action: 'mlflow.sync',
        targetType: 'integration',
        targetId: row!.id,
        after: {
          trigger: input.trigger,
          scope: input.scope,
          status,
          ...(r ? { modelsCreated: r.modelsCreated, versionsRegistered: r.versionsRegistered, versionsRetagged: r.versionsRetagged, skipped: r.skipped.length } : { error: input.error }),
        },
      });
    } else unchanged();
    return row!;
  },
});
