import { createHash } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { z } from 'zod';
import type { MlflowModelVersion, MlflowRegisteredModel, MlflowRun } from '@/lib/domain/mlflow';

/**
 * A local stand-in for an MLflow tracking server's REST API 2.0, answering from in-memory fixtures
 * with the response shapes of mlflow/protos/model_registry.proto and service.proto. Like MLflow it
 * leaves empty lists out of its JSON, paginates with an opaque page token, and answers errors as
 * { error_code, message }. Pages hold at most `pageSize` items (default 2) whatever max_results
 * asks, so every client walks several pages.
 */

/** Fixtures are written in MLflow's wire shape (the schemas' input types). */
export type MlflowFixtures = {
  registeredModels: z.input<typeof MlflowRegisteredModel>[];
  modelVersions: z.input<typeof MlflowModelVersion>[];
  runs: z.input<typeof MlflowRun>[];
  pageSize?: number;
  /** MLmodel files by "<name>@<version>", served by /model-versions/get-artifact?path=MLmodel (404 otherwise). */
  mlmodels?: Record<string, string>;
  /** When set, requests must carry `Authorization: Bearer <token>`. */
  token?: string;
};

export type FakeMlflow = { url: string; requests: string[]; set(fixtures: MlflowFixtures): void; close(): Promise<void> };

const API = '/api/2.0/mlflow';

function send(res: ServerResponse, status: number, body: unknown) {
  res.writeHead(status, { 'Content-Type': 'application/json' }).end(JSON.stringify(body));
}

const error = (res: ServerResponse, status: number, error_code: string, message: string) => send(res, status, { error_code, message });

/** MLflow's proto JSON leaves out empty repeated fields and unset ones. */
function omitEmpty(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(omitEmpty);
  if (value && typeof value === 'object') {
    return Object.fromEntries(
      Object.entries(value)
        .filter(([, v]) => v !== undefined && !(Array.isArray(v) && v.length === 0))
        .map(([k, v]) => [k, omitEmpty(v)]),
    );
  }
  return value;
}

/** `name='x'`, `name = "x"`, `name LIKE 'x%'` or `name ILIKE '%x%'`; null when unsupported. */
function nameFilter(filter: string | null): ((name: string) => boolean) | null {
  if (!filter) return () => true;
  const m = /^\s*name\s*(=|LIKE|ILIKE)\s*(['"])(.*)\2\s*$/i.exec(filter);
  if (!m) return null;
  const [, op = '=', , value = ''] = m;
  if (op === '=') return (name) => name === value;
  const pattern = new RegExp(`^${value.replace(/[.*+?^${}()|[\]\\]/g, '\\$&').replace(/%/g, '.*').replace(/_/g, '.')}$`, op.toUpperCase() === 'ILIKE' ? 'i' : '');
  return (name) => pattern.test(name);
}

function page<T>(res: ServerResponse, url: URL, items: T[], key: string, cap: number, limit: number) {
  const maxText = url.searchParams.get('max_results');
  const max = maxText === null ? limit : Number(maxText);
  if (!Number.isInteger(max) || max < 1 || max > limit) return error(res, 400, 'INVALID_PARAMETER_VALUE', `Invalid value ${maxText} for parameter 'max_results' supplied.`);
  const token = url.searchParams.get('page_token');
  let offset = 0;
  if (token) {
    try {
      offset = JSON.parse(Buffer.from(token, 'base64').toString('utf8')).offset;
      if (!Number.isInteger(offset) || offset < 0) throw new Error('bad offset');
    } catch {
      return error(res, 400, 'INVALID_PARAMETER_VALUE', 'Invalid page token, could not base64-decode');
    }
  }
  const size = Math.min(max, cap);
  const next = offset + size < items.length ? Buffer.from(JSON.stringify({ offset: offset + size })).toString('base64') : undefined;
  send(res, 200, omitEmpty({ [key]: items.slice(offset, offset + size), next_page_token: next }));
}

const byName = (a: { name: string }, b: { name: string }) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0);

/** `port` 0 (the default) takes a free one; the end-to-end runner asks for a fixed one. */
export async function startFakeMlflow(initial: MlflowFixtures, port = 0): Promise<FakeMlflow> {
  let fixtures = initial;
  const requests: string[] = [];

  const versionsOf = (name: string) => fixtures.modelVersions.filter((v) => v.name === name);
  /** Latest READY version per stage, as RegisteredModel.latest_versions documents. */
  const withLatest = (m: MlflowFixtures['registeredModels'][number]) => {
    const latest = new Map<string, MlflowFixtures['modelVersions'][number]>();
    for (const v of versionsOf(m.name).filter((v) => v.status === 'READY')) {
      const stage = v.current_stage ?? 'None';
      const seen = latest.get(stage);
      if (!seen || Number(v.version) > Number(seen.version)) latest.set(stage, v);
    }
    return { ...m, latest_versions: m.latest_versions ?? [...latest.values()] };
  };

  const routes: Record<string, (url: URL, res: ServerResponse) => void> = {
    [`${API}/registered-models/search`]: (url, res) => {
      const match = nameFilter(url.searchParams.get('filter'));
      if (!match) return error(res, 400, 'INVALID_PARAMETER_VALUE', `Invalid filter '${url.searchParams.get('filter')}'`);
      const models = fixtures.registeredModels.filter((m) => match(m.name)).sort(byName).map(withLatest);
      page(res, url, models, 'registered_models', fixtures.pageSize ?? 2, 1000);
    },
    [`${API}/registered-models/get`]: (url, res) => {
      const model = fixtures.registeredModels.find((m) => m.name === url.searchParams.get('name'));
      if (!model) return error(res, 404, 'RESOURCE_DOES_NOT_EXIST', `Registered Model with name=${url.searchParams.get('name')} not found`);
      send(res, 200, omitEmpty({ registered_model: withLatest(model) }));
    },
    [`${API}/model-versions/search`]: (url, res) => {
      const match = nameFilter(url.searchParams.get('filter'));
      if (!match) return error(res, 400, 'INVALID_PARAMETER_VALUE', `Invalid filter '${url.searchParams.get('filter')}'`);
      // Tiebreak order the proto documents: name ASC, then version DESC.
      const versions = fixtures.modelVersions.filter((v) => match(v.name)).sort((a, b) => byName(a, b) || Number(b.version) - Number(a.version));
      page(res, url, versions, 'model_versions', fixtures.pageSize ?? 2, 200_000);
    },
    [`${API}/model-versions/get`]: (url, res) => {
      const [name, version] = [url.searchParams.get('name'), url.searchParams.get('version')];
      const found = fixtures.modelVersions.find((v) => v.name === name && String(v.version) === version);
      if (!found) return error(res, 404, 'RESOURCE_DOES_NOT_EXIST', `Model Version (name=${name}, version=${version}) not found`);
      send(res, 200, omitEmpty({ model_version: found }));
    },
    [`${API}/runs/get`]: (url, res) => {
      const id = url.searchParams.get('run_id') ?? url.searchParams.get('run_uuid');
      const run = fixtures.runs.find((r) => r.info?.run_id === id);
      if (!run) return error(res, 404, 'RESOURCE_DOES_NOT_EXIST', `Run with id=${id} not found`);
      send(res, 200, omitEmpty({ run }));
    },
  };

  // Artifact downloads live outside the REST prefix, as on MLflow's server (mlflow/server/__init__.py).
  routes['/model-versions/get-artifact'] = (url, res) => {
    const text = fixtures.mlmodels?.[`${url.searchParams.get('name')}@${url.searchParams.get('version')}`];
    if (url.searchParams.get('path') !== 'MLmodel' || text === undefined) return error(res, 404, 'RESOURCE_DOES_NOT_EXIST', 'File not found');
    res.writeHead(200, { 'Content-Type': 'text/plain' }).end(text);
  };
  // Readiness probe for Playwright's webServer (MLflow's own server answers /health too).
  routes['/health'] = (_url, res) => res.writeHead(200, { 'Content-Type': 'text/plain' }).end('OK');

  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    requests.push(req.url ?? '');
    const url = new URL(req.url ?? '/', 'http://fake-mlflow');
    if (fixtures.token && req.headers.authorization !== `Bearer ${fixtures.token}`) {
      return error(res, 401, 'UNAUTHENTICATED', 'You are not authenticated. Please provide a valid token.');
    }
    const route = routes[url.pathname];
    if (!route) return error(res, 404, 'ENDPOINT_NOT_FOUND', `No API endpoint at ${url.pathname}`);
    if (req.method !== 'GET') return error(res, 405, 'BAD_REQUEST', `Method ${req.method} not allowed on ${url.pathname}`);
    route(url, res);
  });
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    requests,
    set(next) {
      fixtures = next;
    },
    close: () => new Promise<void>((resolve, reject) => server.close((err) => (err ? reject(err) : resolve()))),
  };
}

const runId = (seed: string) => createHash('sha256').update(seed).digest('hex').slice(0, 32);

/** The run ids the fixtures use, for tests that look runs up or delete them. */
export const FIXTURE_RUNS = { fraudV1: runId('fraud-v1'), fraudV2: runId('fraud-v2'), fraudV3: runId('fraud-v3'), churnV1: runId('churn-v1') };

const FRAUD_INPUTS_V1 = [
  { type: 'double', name: 'amount', required: true },
  { type: 'string', name: 'merchant_category', required: true },
  { type: 'long', name: 'account_age_days', required: true },
];
const FRAUD_OUTPUTS = [{ type: 'double', name: 'fraud_probability', required: true }];

/** A history tag as MLflow ≤ 2.15 wrote it: the whole MLmodel dict, signature included. */
function history(run: string, entries: { path: string; inputs: unknown[]; outputs: unknown[] }[]) {
  return JSON.stringify(
    entries.map((e, i) => ({
      run_id: run,
      artifact_path: e.path,
      utc_time_created: `2024-05-0${i + 1} 10:00:00.000000`,
      flavors: { python_function: { loader_module: 'mlflow.sklearn', python_version: '3.11.4' } },
      model_uuid: runId(`${run}-${e.path}`),
      mlflow_version: '2.12.1',
      signature: { inputs: JSON.stringify(e.inputs), outputs: JSON.stringify(e.outputs), params: null },
    })),
  );
}

function run(id: string, opts: { artifactUri: string; params?: Record<string, string>; metrics?: Record<string, number>; tags?: Record<string, string> }) {
  return {
    info: { run_id: id, run_uuid: id, run_name: `train-${id.slice(0, 6)}`, experiment_id: '1', status: 'FINISHED', start_time: 1714557600000, end_time: 1714558200000, artifact_uri: opts.artifactUri, lifecycle_stage: 'active' },
    data: {
      metrics: Object.entries(opts.metrics ?? {}).map(([key, value]) => ({ key, value, timestamp: 1714558100000, step: 0 })),
      params: Object.entries(opts.params ?? {}).map(([key, value]) => ({ key, value })),
      tags: Object.entries(opts.tags ?? {}).map(([key, value]) => ({ key, value })),
    },
  };
}

/**
 * Two registered models: "Fraud Detector" (owner and serving_service tags; v1 archived, v2 in
 * Production as `champion` with a semver tag, v3 PENDING_REGISTRATION as `challenger`) and
 * "churn_model.v2" (no tags, no aliases, no description: MLflow leaves those keys out; v1 with a
 * tensor signature, an artifact_digest tag and a run that logged two models). Three READY versions,
 * each with a signature in its run's log-model history.
 */
export function buildMlflowFixtures(): MlflowFixtures {
  const { fraudV1, fraudV2, fraudV3, churnV1 } = FIXTURE_RUNS;
  const fraudRuns = (id: string) => `mlflow-artifacts:/1/${id}/artifacts`;
  return {
    registeredModels: [
      {
        name: 'Fraud Detector',
        creation_timestamp: 1714557000000,
        last_updated_timestamp: 1714900000000,
        description: 'Scores card transactions for fraud.',
        tags: [
          { key: 'owner', value: 'risk-team' },
          { key: 'serving_service', value: 'fraud-api' },
        ],
        aliases: [
          { alias: 'champion', version: '2' },
          { alias: 'challenger', version: '3' },
        ],
      },
      { name: 'churn_model.v2', creation_timestamp: 1714600000000, last_updated_timestamp: 1714600000000 },
    ],
    modelVersions: [
      { name: 'Fraud Detector', version: '1', creation_timestamp: 1714558300000, last_updated_timestamp: 1714800000000, current_stage: 'Archived', description: '', source: `${fraudRuns(fraudV1)}/model`, run_id: fraudV1, status: 'READY' },
      {
        name: 'Fraud Detector',
        version: '2',
        creation_timestamp: 1714700000000,
        last_updated_timestamp: 1714800000000,
        current_stage: 'Production',
        source: `runs:/${fraudV2}/model`,
        run_id: fraudV2,
        status: 'READY',
        tags: [{ key: 'semver', value: '2.1.0' }],
        aliases: ['champion'],
      },
      { name: 'Fraud Detector', version: '3', creation_timestamp: 1714900000000, last_updated_timestamp: 1714900000000, current_stage: 'None', source: `runs:/${fraudV3}/model`, run_id: fraudV3, status: 'PENDING_REGISTRATION', aliases: ['challenger'] },
      {
        name: 'churn_model.v2',
        version: '1',
        creation_timestamp: 1714600000000,
        last_updated_timestamp: 1714600000000,
        current_stage: 'None',
        source: `s3://ml-models/2/${churnV1}/artifacts/churn`,
        run_id: churnV1,
        status: 'READY',
        tags: [{ key: 'artifact_digest', value: `sha256:${'ab'.repeat(32)}` }],
      },
    ],
    runs: [
      run(fraudV1, {
        artifactUri: fraudRuns(fraudV1),
        params: { max_depth: '6', n_estimators: '300', learning_rate: '0.1' },
        metrics: { auc: 0.941, precision_at_1pct: 0.62 },
        tags: { 'mlflow.source.git.commit': 'a1b2c3d4e5f60718293a4b5c6d7e8f9012345678', 'mlflow.log-model.history': history(fraudV1, [{ path: 'model', inputs: FRAUD_INPUTS_V1, outputs: FRAUD_OUTPUTS }]) },
      }),
      run(fraudV2, {
        artifactUri: fraudRuns(fraudV2),
        params: { max_depth: '8', n_estimators: '500', learning_rate: '0.05' },
        metrics: { auc: 0.953, precision_at_1pct: 0.66 },
        tags: {
          'mlflow.source.git.commit': 'b2c3d4e5f60718293a4b5c6d7e8f901234567890',
          'mlflow.log-model.history': history(fraudV2, [{ path: 'model', inputs: [...FRAUD_INPUTS_V1, { type: 'string', name: 'device_country', required: false }], outputs: FRAUD_OUTPUTS }]),
        },
      }),
      run(fraudV3, { artifactUri: fraudRuns(fraudV3), params: { max_depth: '10' } }),
      run(churnV1, {
        artifactUri: `s3://ml-models/2/${churnV1}/artifacts`,
        params: { epochs: '20', hidden_units: '64' },
        metrics: { val_loss: 0.231, val_accuracy: 0.884 },
        tags: {
          'mlflow.log-model.history': history(churnV1, [
            { path: 'preprocessor', inputs: [{ type: 'string', name: 'raw' }], outputs: [{ type: 'string', name: 'clean' }] },
            { path: 'churn', inputs: [{ type: 'tensor', 'tensor-spec': { dtype: 'float32', shape: [-1, 12] }, name: 'features' }], outputs: [{ type: 'tensor', 'tensor-spec': { dtype: 'float32', shape: [-1] } }] },
          ]),
        },
      }),
    ],
  };
}
