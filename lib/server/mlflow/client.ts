import { parse as parseYaml } from 'yaml';
import { splitCredentials } from '@/lib/domain/url-credentials';
import { scrubSecrets } from '@/lib/server/observability/error-reporter';
import { z } from 'zod';
import {
  MlflowErrorResponse,
  MlflowGetRegisteredModelResponse,
  MlflowGetRunResponse,
  MlflowSearchModelVersionsResponse,
  MlflowSearchRegisteredModelsResponse,
  MlflowSignature,
  type MlflowModelVersion,
  type MlflowRegisteredModel,
  type MlflowRun,
} from '@/lib/domain/mlflow';

const TIMEOUT_MS = 15_000;
const PAGE_SIZE = 100;
/** A registry larger than this is not walked in one sync: the rest waits for the next one. */
const MAX_PAGES = 200;

/** Every way a call to MLflow can fail, with a message an operator can act on (never the token). */
export class MlflowError extends Error {
  override name = 'MlflowError';
}

export type MlflowConnection = { baseUrl: string; token?: string; fetch?: typeof fetch };

/**
 * The slice of MLflow's REST API 2.0 the registry sync reads. Responses are checked against the
 * shapes in lib/domain/mlflow-shapes.ts; pages are walked to the end.
 */
export function mlflowClient(connection: MlflowConnection) {
  // Credentials in the URL travel as a Basic header (a bearer token wins), never in the URL.
  const { url: withoutCredentials, authorization: basic } = splitCredentials(connection.baseUrl);
  const base = withoutCredentials.replace(/\/+$/, '');
  const origin = new URL(base).origin;
  const fetcher = connection.fetch ?? fetch;

  async function get(path: string, params: Record<string, string>): Promise<{ status: number; text: string }> {
    const url = new URL(`${base}${path}`);
    for (const [k, v] of Object.entries(params)) url.searchParams.set(k, v);
    const headers: Record<string, string> = { accept: 'application/json' };
    if (connection.token) headers.authorization = `Bearer ${connection.token}`;
    else if (basic) headers.authorization = basic;
    try {
      const res = await fetcher(url, { headers, signal: AbortSignal.timeout(TIMEOUT_MS) });
      return { status: res.status, text: await res.text() };
    } catch (err) {
      const cause = err instanceof Error ? ((err.cause as Error | undefined)?.message ?? err.message) : String(err);
      // Stored in the sync's record and audit event, which every viewer reads: nothing secret in it.
      throw new MlflowError(`Could not reach MLflow at ${origin} (${path}): ${scrubSecrets(cause)}`);
    }
  }

  async function json<T extends z.ZodType>(path: string, params: Record<string, string>, schema: T, allow404 = false): Promise<z.infer<T> | null> {
    const { status, text } = await get(`/api/2.0/mlflow${path}`, params);
    let body: unknown;
    try {
      body = JSON.parse(text);
    } catch {
      throw new MlflowError(`MLflow at ${origin} answered HTTP ${status} to ${path} with something that is not JSON (is FLIGHTDECK_MLFLOW_URL the tracking server?)`);
    }
    if (status !== 200) {
      const error = MlflowErrorResponse.safeParse(body);
      if (allow404 && status === 404 && error.success && error.data.error_code === 'RESOURCE_DOES_NOT_EXIST') return null;
      if (status === 401 || status === 403) throw new MlflowError(`MLflow at ${origin} refused the credentials (HTTP ${status}); set FLIGHTDECK_MLFLOW_TOKEN`);
      throw new MlflowError(`MLflow at ${origin} answered HTTP ${status} to ${path}${error.success ? `: ${error.data.error_code} ${error.data.message}` : ''}`);
    }
    const parsed = schema.safeParse(body);
    if (!parsed.success) throw new MlflowError(`MLflow at ${origin} answered ${path} with an unexpected shape: ${parsed.error.issues[0]?.path.join('.')}: ${parsed.error.issues[0]?.message}`);
    return parsed.data;
  }

  async function allPages<T>(path: string, params: Record<string, string>, read: (token: string | undefined) => Promise<{ items: T[]; next?: string | null }>): Promise<T[]> {
    const items: T[] = [];
    let token: string | undefined;
    for (let page = 0; page < MAX_PAGES; page++) {
      const result = await read(token);
      items.push(...result.items);
      if (!result.next) return items;
      token = result.next;
    }
    throw new MlflowError(`MLflow's ${path} has more than ${MAX_PAGES * PAGE_SIZE} results; narrow the sync to one model`);
  }

  const quoted = (name: string) => `'${name.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;

  return {
    registeredModels: (): Promise<MlflowRegisteredModel[]> =>
      allPages('registered-models/search', {}, async (token) => {
        const page = await json('/registered-models/search', { max_results: String(PAGE_SIZE), ...(token ? { page_token: token } : {}) }, MlflowSearchRegisteredModelsResponse);
        return { items: page!.registered_models, next: page!.next_page_token };
      }),
    registeredModel: async (name: string): Promise<MlflowRegisteredModel | null> => (await json('/registered-models/get', { name }, MlflowGetRegisteredModelResponse, true))?.registered_model ?? null,
    versions: (name: string): Promise<MlflowModelVersion[]> =>
      allPages('model-versions/search', {}, async (token) => {
        const page = await json('/model-versions/search', { filter: `name=${quoted(name)}`, max_results: String(PAGE_SIZE), ...(token ? { page_token: token } : {}) }, MlflowSearchModelVersionsResponse);
        return { items: page!.model_versions, next: page!.next_page_token };
      }),
    /** null when the run is gone (deleted runs answer RESOURCE_DOES_NOT_EXIST). */
    run: async (runId: string): Promise<MlflowRun | null> => (await json('/runs/get', { run_id: runId }, MlflowGetRunResponse, true))?.run ?? null,
    /**
     * The signature from the version's MLmodel file (the only place MLflow ≥ 2.16 keeps it); null
     * when there is no MLmodel to read or it has no signature. Never fails the sync: the run's
     * log-model history is the fallback.
     */
    mlmodelSignature: async (name: string, version: string): Promise<MlflowSignature | null> => {
      const { status, text } = await get('/model-versions/get-artifact', { name, version, path: 'MLmodel' }).catch(() => ({ status: 0, text: '' }));
      if (status !== 200) return null;
      try {
        const doc = parseYaml(text, { maxAliasCount: 10 }) as { signature?: unknown } | null;
        const signature = MlflowSignature.safeParse(doc?.signature);
        return signature.success && (signature.data.inputs || signature.data.outputs) ? signature.data : null;
      } catch {
        return null;
      }
    },
  };
}
export type MlflowClient = ReturnType<typeof mlflowClient>;
