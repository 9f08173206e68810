import { z } from 'zod';

/** A malformed FLIGHTDECK_MLFLOW_* setting: start-up stops with this one line. */
export class MlflowConfigError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'MlflowConfigError';
  }
}

export type MlflowConfig = { baseUrl: string; token?: string; syncSeconds: number; webhookSecret?: string };

const Url = z.url({ protocol: /^https?$/ });

/**
 * The MLflow tracking server to sync the registry from, or null when FLIGHTDECK_MLFLOW_URL is
 * unset. FLIGHTDECK_MLFLOW_TOKEN (bearer), FLIGHTDECK_MLFLOW_SYNC_SECONDS (default 300; 0 = only
 * on demand and by webhook), FLIGHTDECK_MLFLOW_WEBHOOK_SECRET (the secret given to MLflow's
 * webhook). Values are never echoed in errors: URLs and secrets may hold credentials.
 */
export function configuredMlflow(env: Record<string, string | undefined> = process.env): MlflowConfig | null {
  const raw = env.FLIGHTDECK_MLFLOW_URL?.trim();
  const secret = env.FLIGHTDECK_MLFLOW_WEBHOOK_SECRET?.trim() || undefined;
  if (!raw) {
    if (secret) throw new MlflowConfigError('FLIGHTDECK_MLFLOW_WEBHOOK_SECRET is set but FLIGHTDECK_MLFLOW_URL is not: webhooks need the tracking server to read versions from');
    return null;
  }
  if (!Url.safeParse(raw).success) throw new MlflowConfigError('FLIGHTDECK_MLFLOW_URL must be an http(s) URL such as http://mlflow:5000');
  const secondsText = env.FLIGHTDECK_MLFLOW_SYNC_SECONDS?.trim();
  const syncSeconds = secondsText ? Number(secondsText) : 300;
  if (!/^\d+$/.test(secondsText ?? '300') || (syncSeconds !== 0 && (syncSeconds < 10 || syncSeconds > 86_400)))
    throw new MlflowConfigError('FLIGHTDECK_MLFLOW_SYNC_SECONDS must be 0 (no schedule) or whole seconds from 10 to 86400');
  if (secret !== undefined && secret.length < 16) throw new MlflowConfigError('FLIGHTDECK_MLFLOW_WEBHOOK_SECRET must be at least 16 characters');
  return { baseUrl: raw.replace(/\/+$/, ''), token: env.FLIGHTDECK_MLFLOW_TOKEN?.trim() || undefined, syncSeconds, webhookSecret: secret };
}
