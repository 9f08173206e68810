import { z } from 'zod';
import { apiRoute } from '@/lib/http/api-route';
import { configuredMlflow } from '@/lib/server/mlflow/config';
import { runMlflowSync } from '@/lib/server/mlflow/run-sync';
import { AppError } from '@/lib/services/errors';
import { authorize } from '@/lib/services/authorize';

const Scope = z
  .object({
    model: z.string().trim().min(1).max(500).optional().describe('An MLflow registered model name; all models when left out'),
    version: z.string().trim().regex(/^\d{1,10}$/, 'An MLflow version number such as 3').optional(),
  })
  .strict()
  .refine((s) => s.version === undefined || s.model !== undefined, { message: 'A version needs its model', path: ['version'] });

/**
 * POST {} or { model, version? }: one sync pass now. 200 with the pass (imported, skipped and
 * why); 502 when MLflow could not be read (the failed pass is kept); 409 when no MLflow is set up.
 */
export const POST = apiRoute(async ({ caller, body }) => {
  authorize(caller.actor, 'version.register', 'sync models and versions from MLflow');
  const scope = Scope.parse((await body()) ?? {});
  const config = configuredMlflow();
  if (!config) throw new AppError('conflict', 'No MLflow tracking server is configured: set FLIGHTDECK_MLFLOW_URL.');
  const pass = await runMlflowSync(caller, config, 'manual', scope);
  return { status: pass.status === 'failed' ? 502 : 200, data: pass };
});
