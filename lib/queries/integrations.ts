import { desc } from 'drizzle-orm';
import { mlflowSyncs } from '@/db/schema';
import { configuredMlflow } from '@/lib/config/mlflow';
import { authorize } from '@/lib/services/authorize';
import type { Caller } from '@/lib/services/use-case';

/**
 * The MLflow integration as the Settings page and GET /api/v1/integrations/mlflow show it: whether
 * it is configured (the server's origin only: the URL may hold credentials), the schedule, whether
 * webhooks are accepted, and the last passes.
 */
export async function getMlflowIntegration({ actor, db }: Caller, limit = 10) {
  authorize(actor, 'dashboard.read', 'read the MLflow integration');
  let config: ReturnType<typeof configuredMlflow> = null;
  try {
    config = configuredMlflow();
  } catch {
    config = null; // start-up refuses a malformed setting; here it only means "not usable"
  }
  const recent = await db.select().from(mlflowSyncs).orderBy(desc(mlflowSyncs.finishedAt)).limit(Math.min(Math.max(limit, 1), 50));
  return {
    configured: config !== null,
    server: config ? new URL(config.baseUrl).origin : null,
    syncSeconds: config?.syncSeconds ?? null,
    webhooks: Boolean(config?.webhookSecret),
    recent,
  };
}
