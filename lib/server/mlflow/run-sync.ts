import type { Caller } from '@/lib/services/use-case';
import { recordMlflowSync } from '@/lib/services';
import { authorize } from '@/lib/services/authorize';
import { mlflowClient, MlflowError } from './client';
import type { MlflowConfig } from '@/lib/config/mlflow';
import type { MlflowSyncScope } from '@/lib/domain/mlflow-webhook';
import { syncFromMlflow } from './sync';

/**
 * One sync pass, whoever starts it (the API, the Settings button, the schedule, a webhook):
 * authorised first (before MLflow is called), then synced, then recorded — a pass that cannot
 * read MLflow is recorded as failed with the reason, and the reason is returned.
 */
export async function runMlflowSync(caller: Caller, config: MlflowConfig, trigger: 'manual' | 'schedule' | 'webhook', scope: MlflowSyncScope = {}) {
  authorize(caller.actor, 'version.register', 'sync models and versions from MLflow');
  const startedAt = new Date();
  const client = mlflowClient({ baseUrl: config.baseUrl, token: config.token });
  try {
    const report = await syncFromMlflow(caller, client, scope);
    return await recordMlflowSync(caller, { trigger, scope, startedAt, report });
  } catch (error) {
    if (!(error instanceof MlflowError)) throw error;
    return await recordMlflowSync(caller, { trigger, scope, startedAt, report: null, error: error.message });
  }
}
