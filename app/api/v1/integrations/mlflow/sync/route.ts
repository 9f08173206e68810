import { apiRoute } from '@/lib/http/api-route';
import { configuredMlflow } from '@/lib/config/mlflow';
import { MlflowSyncScope } from '@/lib/domain/mlflow-webhook';
import { runMlflowSync } from '@/lib/server/mlflow/run-sync';
import { AppError } from '@/lib/services/errors';
import { authorize } from '@/lib/services/authorize';

/**
 * POST {} or { model, version? }: one sync pass now. 200 with the pass (imported, skipped and
 * why); 502 when MLflow could not be read (the failed pass is kept); 409 when no MLflow is set up.
 */
export const POST = apiRoute(async ({ caller, body }) => {
  authorize(caller.actor, 'version.register', 'sync models and versions from MLflow');
  const scope = MlflowSyncScope.parse((await body()) ?? {});
  const config = configuredMlflow();
  if (!config) throw new AppError('conflict', 'No MLflow tracking server is configured: set FLIGHTDECK_MLFLOW_URL.');
  const pass = await runMlflowSync(caller, config, 'manual', scope);
  return { status: pass.status === 'failed' ? 502 : 200, data: pass };
});
