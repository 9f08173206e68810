import { systemActor } from '@/lib/auth/system-actor';
import { parseMlflowWebhook, verifyMlflowWebhook } from '@/lib/domain/mlflow';
import { apiRoute } from '@/lib/http/api-route';
import { configuredMlflow } from '@/lib/config/mlflow';
import { runMlflowSync } from '@/lib/server/mlflow/run-sync';
import { AppError, unauthenticated } from '@/lib/services/errors';

const MAX_WEBHOOK_BYTES = 256_000;

/**
 * MLflow's model-registry webhooks (MLflow ≥ 3.3) as an event source. The signature (HMAC with
 * FLIGHTDECK_MLFLOW_WEBHOOK_SECRET over delivery id, timestamp and body) is the credential; a
 * delivery older than 5 minutes is refused. The event only says which model or version changed:
 * that one is then synced from the tracking server, so a replayed delivery imports nothing new.
 */
export const POST = apiRoute(async ({ req, caller }) => {
  const config = configuredMlflow();
  if (!config?.webhookSecret) throw new AppError('not_found', 'MLflow webhooks are not enabled here: set FLIGHTDECK_MLFLOW_WEBHOOK_SECRET.');
  const raw = await req.readBody(MAX_WEBHOOK_BYTES);
  const headers = {
    signature: req.headers.get('x-mlflow-signature'),
    deliveryId: req.headers.get('x-mlflow-delivery-id'),
    timestamp: req.headers.get('x-mlflow-timestamp'),
  };
  if (!verifyMlflowWebhook(config.webhookSecret, headers, raw, Math.floor(Date.now() / 1000)))
    throw unauthenticated('The X-MLflow-Signature does not match this body, or the delivery is more than 5 minutes old.');
  const parsed = parseMlflowWebhook(raw);
  if (!parsed.ok) {
    if (parsed.reason === 'ignored') return { data: { received: true, synced: false, note: `Event ${parsed.event} is not about the model registry; ignored.` } };
    throw new AppError('bad_request', `Not an MLflow webhook payload: ${parsed.message}`);
  }
  const data = parsed.event.data as { name?: unknown; version?: unknown };
  const scope = { model: typeof data.name === 'string' ? data.name : undefined, version: typeof data.version === 'string' || typeof data.version === 'number' ? String(data.version) : undefined };
  if (!scope.model) throw new AppError('bad_request', `The ${parsed.event.event} event names no model.`);
  const pass = await runMlflowSync({ ...caller, actor: systemActor('mlflow-sync'), request: { ...caller.request, requestId: headers.deliveryId ?? caller.request?.requestId } }, config, 'webhook', scope);
  // A failed pass is kept and answered 502, so MLflow's delivery retries it.
  return { status: pass.status === 'failed' ? 502 : 200, data: { received: true, synced: pass.status === 'ok', sync: pass } };
});
