import { z } from 'zod';
import { SampleSizeQuestion } from '@/lib/domain/experiment-design';
import { MESH_FORMATS, ManifestOptions } from '@/lib/domain/mesh-manifests';
import { MlflowSyncScope, MlflowWebhookEnvelope } from '@/lib/domain/mlflow-webhook';
import { RELEASE_STATES } from '@/lib/domain/release-machine';
import { AlertFilters } from '@/lib/queries/alerts';
import { AuditFilters } from '@/lib/queries/audit';
import { PageParams } from '@/lib/queries/paging';
import { ListModelsParams } from '@/lib/queries/models';
import { useCases } from '@/lib/services';

type Operation = {
  method: 'get' | 'post' | 'put' | 'patch' | 'delete';
  path: string;
  summary: string;
  /** The permission the caller's roles must grant (none: any valid credentials). */
  permission?: string;
  /** How the caller proves who it is when not with an API key or a session: nothing, or MLflow's signature. */
  auth?: 'none' | 'mlflow-signature';
  body?: z.ZodType;
  /** The route reads a body only when one is sent (release and alert actions): `{}` otherwise. */
  bodyOptional?: boolean;
  query?: z.ZodObject;
  headers?: { name: string; description: string }[];
  success: number;
  /** Other answers that are not refusals: an idempotent repeat, a 304, an upstream failure kept on record. */
  also?: Record<number, string>;
  /** Media types of the success body, when not JSON alone. */
  produces?: string[];
};

const { createModel, registerVersion, updateVersion, reportCheck, createEnvironment, updatePolicy, createUser, updateUser, createApiKey, revokeApiKey, requestRelease, rollbackToLastGood, updateProtection, updateAnalysis, ingestMetrics, createWebhook, updateWebhook, createExperiment, decideExperiment, postDriftReference, ingestDriftSnapshot, updateDriftPolicy, updateMetricsSource, setSlo, ingestServiceTelemetry, acknowledgeAlert, resolveAlert, commentAlert, writePostmortem } = useCases;

/**
 * The body a route reads: its use case's input without the keys the route fills in from the path
 * (withParams: the path wins), so the document never asks a client for them. .omit refuses a
 * refined object, so refinements go first (JSON Schema cannot carry them anyway). A key the input
 * does not have throws: a renamed field cannot leave a stale omission behind.
 */
function withoutPathKeys(input: z.ZodType, keys: readonly string[]): z.ZodType {
  if (input instanceof z.ZodObject) {
    for (const key of keys) if (!(key in input.shape)) throw new Error(`OpenAPI: the use case input has no "${key}" for the path to fill`);
    const bare = input.def.checks?.length ? input.clone({ ...input.def, checks: [] }) : input;
    return bare.omit(Object.fromEntries(keys.map((k) => [k, true])) as never);
  }
  if (input instanceof z.ZodDiscriminatedUnion) return z.discriminatedUnion(input.def.discriminator, input.options.map((o) => withoutPathKeys(o as z.ZodType, keys)) as never);
  throw new Error(`OpenAPI: cannot take path keys out of a ${input.def.type} input`);
}

/** Summary, permission and body of a use case; `pathKeys` are the input keys the route takes from the path. */
const fromUseCase = (u: { useCase: { summary: string; permission: string; input: z.ZodType } }, pathKeys: readonly string[] = []) => ({
  summary: u.useCase.summary,
  permission: u.useCase.permission,
  body: pathKeys.length ? withoutPathKeys(u.useCase.input, pathKeys) : u.useCase.input,
});

// Query strings of routes that read them by hand, as those routes treat them.
const limit = (byDefault: number, max: number) => z.coerce.number().int().min(1).max(max).default(byDefault).describe(`Default ${byDefault}; at most ${max}`);
const ReleaseListQuery = z.object({ model: z.string().optional(), environment: z.string().optional(), state: z.enum(RELEASE_STATES).optional(), limit: limit(100, 200) });
const ApprovalQuery = z.object({ environment: z.string().optional().describe('Only approvals of releases to this environment'), limit: limit(200, 500) });
const AuditQuery = PageParams.extend(AuditFilters.shape);
const AuditExportQuery = AuditFilters.extend({ format: z.enum(['jsonl', 'csv']).default('jsonl').describe('jsonl: the verifiable export (scripts/verify-audit-export.mjs); csv: for spreadsheets') });
const SinceQuery = z.object({ since: z.iso.datetime({ offset: true }).optional().describe('Only buckets from this time on, for live appends') });
const DownloadQuery = z.object({ download: z.string().optional().describe('Any non-empty value: sent as the attachment release-<id>.json') });
const RoutingQuery = z.object({
  environment: z.string().min(1).describe('Required, e.g. production'),
  format: z.enum(['json', ...MESH_FORMATS]).default('json').describe('json, or manifests as YAML'),
  ...ManifestOptions.shape,
});
const FeatureDriftQuery = z.object({ version: z.string().optional(), environment: z.string().optional() });

const MLFLOW_HEADERS = [
  { name: 'X-MLflow-Signature', description: '"v1,<base64 HMAC-SHA256>" keyed with FLIGHTDECK_MLFLOW_WEBHOOK_SECRET over "<delivery id>.<timestamp>.<body>"' },
  { name: 'X-MLflow-Delivery-Id', description: 'The delivery id MLflow sends (at most 200 characters)' },
  { name: 'X-MLflow-Timestamp', description: 'Unix seconds; refused when more than 5 minutes away from now' },
];
const DASHBOARD = 'dashboard.read';

/**
 * The API surface: every route module under app/api/v1 and each method it exports, except the
 * catch-all that answers 404 (tests/unit/openapi-coverage.test.ts holds the two together). Request
 * schemas are the very zod schemas the use cases validate with, less what the route takes from the path.
 */
const OPERATIONS: Operation[] = [
  { method: 'get', path: '/api/v1/openapi.json', summary: 'This document', auth: 'none', success: 200 },
  { method: 'get', path: '/api/v1/me', summary: 'Who the credentials belong to: type, id, name, roles (viewer first) and API key scopes (null for a session)', success: 200 },
  { method: 'get', path: '/api/v1/models', summary: 'List models by name, with their version count and highest version', permission: DASHBOARD, query: ListModelsParams, success: 200 },
  { method: 'post', path: '/api/v1/models', ...fromUseCase(createModel), success: 201 },
  { method: 'get', path: '/api/v1/models/{name}', summary: 'A model and a page of its versions, newest first', permission: DASHBOARD, query: PageParams, success: 200 },
  { method: 'get', path: '/api/v1/models/{name}/versions', summary: 'A page of versions, newest first', permission: DASHBOARD, query: PageParams, success: 200 },
  { method: 'post', path: '/api/v1/models/{name}/versions', ...fromUseCase(registerVersion, ['model']), summary: 'Register a version (201; 200 when the identical payload is already registered; 409 when it differs; 422 when the bump understates the contract change)', success: 201, also: { 200: 'The identical payload was already registered: the stored version' } },
  { method: 'get', path: '/api/v1/models/{name}/versions/{version}', summary: 'A version with its checks and deployability per environment', permission: DASHBOARD, success: 200 },
  { method: 'patch', path: '/api/v1/models/{name}/versions/{version}', ...fromUseCase(updateVersion, ['model', 'version']), summary: 'Change a version’s tags or status (everything else is immutable)', success: 200 },
  { method: 'post', path: '/api/v1/models/{name}/versions/{version}/checks', ...fromUseCase(reportCheck, ['model', 'version']), summary: 'Report a gate check (201 new kind, 200 update or repeat)', success: 201, also: { 200: 'An update or a repeat of a kind already reported' } },
  { method: 'get', path: '/api/v1/environments', summary: 'Environments with their gate policies', permission: DASHBOARD, success: 200 },
  { method: 'post', path: '/api/v1/environments', ...fromUseCase(createEnvironment), success: 201 },
  { method: 'put', path: '/api/v1/environments/{name}/policy', ...fromUseCase(updatePolicy), body: updatePolicy.useCase.input.shape.policy, summary: 'Replace an environment’s gate policy: { requiredChecks, thresholds }', success: 200 },
  { method: 'get', path: '/api/v1/releases', summary: 'Releases, in flight first, then newest first', permission: DASHBOARD, query: ReleaseListQuery, success: 200 },
  { method: 'post', path: '/api/v1/releases', ...fromUseCase(requestRelease), success: 201 },
  { method: 'get', path: '/api/v1/releases/{id}', summary: 'A release with its plan, approvals and incident', permission: DASHBOARD, success: 200 },
  { method: 'get', path: '/api/v1/releases/{id}/record', summary: "The release's evidence pack: the version and its lineage, gate results, approvals with evidence digests, the plan with each analysis verdict, the experiment result, alerts, the incident and the audit trail with hashes", permission: DASHBOARD, query: DownloadQuery, success: 200 },
  ...(['approve', 'reject', 'start', 'pause', 'resume', 'advance', 'promote', 'abort', 'rollback'] as const).map((action) => {
    const u = useCases[`${action}Release`];
    return { method: 'post' as const, path: `/api/v1/releases/{id}/${action}`, ...fromUseCase(u, ['releaseId']), bodyOptional: true, summary: `${u.useCase.summary} (200 with the release; changed:false when it already happened; 409 when the state does not allow it)`, success: 200 };
  }),
  { method: 'post', path: '/api/v1/models/{name}/rollback', ...fromUseCase(rollbackToLastGood, ['model']), summary: 'Roll an environment back to the last known good version (201; 200 when fromVersion was already gone)', success: 201, also: { 200: 'fromVersion was no longer live: nothing changed' } },
  { method: 'get', path: '/api/v1/services/{service}/routing', summary: 'The desired traffic split in an environment: JSON, or with format= as manifests (YAML) shaped by namespace, host, port and gateway. Send If-None-Match with the last ETag: 304 until it changes', permission: DASHBOARD, query: RoutingQuery, success: 200, also: { 304: 'Not modified since the ETag sent in If-None-Match' }, produces: ['application/json', 'text/yaml'] },
  { method: 'put', path: '/api/v1/environments/{name}/protection', ...fromUseCase(updateProtection), body: updateProtection.useCase.input.shape.protection, summary: 'Replace an environment’s protection rules: { requiredApprovals, approvalTtlHours, defaultPlan?, freezeWindows }', success: 200 },
  { method: 'put', path: '/api/v1/environments/{name}/analysis', ...fromUseCase(updateAnalysis, ['environment']), summary: 'Set how the controller judges canaries in an environment: { intervalSeconds, config, prometheus? }', success: 200 },
  { method: 'get', path: '/api/v1/releases/{id}/metrics', summary: 'Baseline vs canary series (≤ 500 buckets per variant) and analysis verdicts', permission: DASHBOARD, query: SinceQuery, success: 200 },
  { method: 'post', path: '/api/v1/metrics', ...fromUseCase(ingestMetrics), summary: 'Push metric samples (202; all or nothing; at most 10,000 per request and 8 MB; re-delivered buckets replace)', success: 202 },
  { method: 'get', path: '/api/v1/experiments', summary: 'Experiments, running first, with units per arm and progress toward the planned sample size', permission: DASHBOARD, query: z.object({ limit: limit(100, 200) }), success: 200 },
  { method: 'post', path: '/api/v1/experiments', ...fromUseCase(createExperiment), summary: 'Design an A/B experiment: opens its "ab" release (approvals apply); the first arm is control = the live version', success: 201 },
  { method: 'get', path: '/api/v1/experiments/{id}', summary: 'An experiment: design, status, decision', permission: DASHBOARD, success: 200 },
  { method: 'get', path: '/api/v1/experiments/{id}/results', summary: 'Every number the experiment page shows: per-arm statistics, lifts with intervals (null bound = unbounded), p-values raw and adjusted, Bayesian view, SRM, recommendation, lift-over-time series', permission: DASHBOARD, success: 200 },
  { method: 'post', path: '/api/v1/experiments/{id}/decision', ...fromUseCase(decideExperiment, ['experimentId']), summary: 'Ship a treatment (ends the experiment, requests a promotion of it) or roll back; deciding again the same way changes nothing; 409 when SRM or a guardrail blocks shipping, or it was decided otherwise', success: 200 },
  { method: 'post', path: '/api/v1/experiments/sample-size', summary: 'Units per arm for { baseline: { rate } | { mean, variance }, minimumDetectableEffect, alpha?, power?, arms? }, and days at current traffic with model and environment', body: SampleSizeQuestion, permission: DASHBOARD, success: 200 },
  { method: 'post', path: '/api/v1/models/{name}/versions/{version}/drift-reference', ...fromUseCase(postDriftReference, ['model', 'version']), summary: "Post the version's reference profile per feature (bins with quantile edges, categories, or raw values binned here; at most 5 MB); 201 when features were added, 200 when all were there, 409 when one differs", success: 201, also: { 200: 'Every feature was already there, the same' } },
  { method: 'post', path: '/api/v1/drift/snapshots', ...fromUseCase(ingestDriftSnapshot), summary: 'A production window per feature, checked against the reference (422 names the field; nothing stored) and scored on arrival (202; at most 5 MB)', success: 202 },
  { method: 'get', path: '/api/v1/models/{name}/drift', summary: 'Per feature and environment: latest score with method, threshold and convention, and a sparkline', permission: DASHBOARD, success: 200 },
  { method: 'get', path: '/api/v1/models/{name}/drift/{feature}', summary: 'Reference vs latest window per bin, and the score over time (by default the version and environment with the latest window)', permission: DASHBOARD, query: FeatureDriftQuery, success: 200 },
  { method: 'put', path: '/api/v1/models/{name}/metrics-source', ...fromUseCase(updateMetricsSource), body: updateMetricsSource.useCase.input.shape.source, summary: "Choose the model server preset (triton, torchserve, bentoml, kserve) whose Prometheus metrics judge the model's canaries, with label overrides; null for the environment's templates. Answers the PromQL it will run", success: 200 },
  { method: 'put', path: '/api/v1/models/{name}/drift-policy', ...fromUseCase(updateDriftPolicy), body: updateDriftPolicy.useCase.input.shape.policy, summary: "Set a model's drift thresholds", success: 200 },
  { method: 'get', path: '/api/v1/models/{name}/slos', summary: "The model's SLOs with their burn rate per window now", permission: DASHBOARD, success: 200 },
  { method: 'put', path: '/api/v1/models/{name}/slos', ...fromUseCase(setSlo, ['model']), summary: 'Create or replace one SLO of the model: { environment, kind: availability | latency, objective, latencyThresholdMs (latency only) }', success: 200 },
  { method: 'post', path: '/api/v1/services/{service}/telemetry', ...fromUseCase(ingestServiceTelemetry, ['service']), summary: 'Whole-service buckets (requests, errors, latency histogram) that SLOs are measured on (202)', success: 202 },
  { method: 'get', path: '/api/v1/alerts', summary: 'Alerts, open first and critical first, newest first', permission: DASHBOARD, query: AlertFilters, success: 200 },
  { method: 'get', path: '/api/v1/alerts/{id}', summary: 'An alert with its evidence and comment trail', permission: DASHBOARD, success: 200 },
  ...([acknowledgeAlert, resolveAlert, commentAlert] as const).map((u, i) => ({
    method: 'post' as const,
    path: `/api/v1/alerts/{id}/${['acknowledge', 'resolve', 'comment'][i]}`,
    ...fromUseCase(u, ['alertId']),
    bodyOptional: true,
    success: 200,
  })),
  { method: 'get', path: '/api/v1/incidents', summary: 'Incidents, newest first, with time to detect and to roll back, and the mean and median time to roll back', permission: DASHBOARD, query: z.object({ limit: limit(100, 500) }), success: 200 },
  { method: 'get', path: '/api/v1/incidents/{id}', summary: 'An incident: its timeline (audit events, analysis verdicts, alerts, error rate and p99 around the rollback), time to detect and to roll back, responders and postmortem', permission: DASHBOARD, success: 200 },
  { method: 'put', path: '/api/v1/incidents/{id}/postmortem', ...fromUseCase(writePostmortem, ['incidentId']), summary: "Write an incident's postmortem: { postmortem (markdown), owner?, actionItems: [{ text, owner?, done }], close? } (close: true closes the incident; the same text again changes nothing)", success: 200 },
  { method: 'get', path: '/api/v1/approvals', summary: 'Approval history, newest first: who approved or rejected which release, with comments and evidence digests', permission: DASHBOARD, query: ApprovalQuery, success: 200 },
  { method: 'get', path: '/api/v1/integrations/mlflow', summary: 'The MLflow integration: whether it is configured (the server origin only), the sync schedule, whether webhooks are accepted, and the last 10 sync passes', permission: DASHBOARD, success: 200 },
  { method: 'post', path: '/api/v1/integrations/mlflow/sync', summary: 'Sync models and versions from MLflow now: {} for all, or { model, version? }. 200 with the pass (imported, skipped and why); 502 when MLflow could not be read (the failed pass is kept); 409 when no MLflow is configured', permission: 'version.register', body: MlflowSyncScope, success: 200, also: { 502: 'MLflow could not be read: the failed pass, as kept' } },
  { method: 'post', path: '/api/v1/integrations/mlflow/webhook', summary: 'MLflow model-registry webhooks (MLflow ≥ 3.3): the signature headers are the credential, not an API key; the model or version the event names is then synced from MLflow. 200 (also for events not about the registry, ignored); 401 when the signature does not match or is over 5 minutes old; 404 when webhooks are not enabled; 502 when MLflow could not be read', auth: 'mlflow-signature', headers: MLFLOW_HEADERS, body: MlflowWebhookEnvelope, success: 200, also: { 502: 'MLflow could not be read: the failed pass, as kept (MLflow retries the delivery)' } },
  { method: 'get', path: '/api/v1/webhooks', summary: 'Webhooks (never their secrets)', permission: 'webhook.manage', success: 200 },
  { method: 'post', path: '/api/v1/webhooks', ...fromUseCase(createWebhook), summary: 'Create a webhook; the signing secret is in this response only', success: 201 },
  { method: 'patch', path: '/api/v1/webhooks/{id}', ...fromUseCase(updateWebhook, ['webhookId']), success: 200 },
  { method: 'get', path: '/api/v1/webhooks/{id}/deliveries', summary: 'The last 100 delivery attempts', permission: 'webhook.manage', success: 200 },
  { method: 'get', path: '/api/v1/users', summary: 'List users and their roles', permission: DASHBOARD, success: 200 },
  { method: 'post', path: '/api/v1/users', ...fromUseCase(createUser), success: 201 },
  { method: 'patch', path: '/api/v1/users/{id}', ...fromUseCase(updateUser, ['userId']), success: 200 },
  { method: 'get', path: '/api/v1/api-keys', summary: 'List API keys (never their secrets)', permission: 'api_key.manage', success: 200 },
  { method: 'post', path: '/api/v1/api-keys', ...fromUseCase(createApiKey), summary: 'Create an API key; the secret is in this response only', success: 201 },
  // The whole input ({ apiKeyId }) comes from the path: no body.
  { method: 'delete', path: '/api/v1/api-keys/{id}', ...fromUseCase(revokeApiKey), body: undefined, success: 200 },
  { method: 'get', path: '/api/v1/audit', summary: "Audit events, newest first, with the explorer's filters (actor, action or a prefix such as release., target, model, release, environment, from, to, q)", permission: DASHBOARD, query: AuditQuery, success: 200 },
  { method: 'get', path: '/api/v1/audit/verify', summary: 'Walk the audit hash chain and name the first broken event', permission: DASHBOARD, success: 200 },
  { method: 'get', path: '/api/v1/audit/checkpoints', summary: 'The signed checkpoints of the audit chain head (newest first, at most 100) and the Ed25519 public key (PEM) that verifies them offline', permission: DASHBOARD, success: 200 },
  { method: 'get', path: '/api/v1/audit/export', summary: "The matching audit events, oldest first, streamed as an attachment: JSON Lines (the verifiable export) or CSV, with the audit explorer's filters", permission: DASHBOARD, query: AuditExportQuery, success: 200, produces: ['application/x-ndjson', 'text/csv'] },
];

const errorSchema = {
  type: 'object',
  required: ['error'],
  properties: {
    error: {
      type: 'object',
      required: ['code', 'message', 'details'],
      properties: {
        code: { type: 'string', enum: ['unauthenticated', 'forbidden', 'not_found', 'conflict', 'invalid', 'bad_request', 'payload_too_large', 'unsupported_media_type', 'rate_limited', 'unavailable', 'internal'] },
        message: { type: 'string' },
        details: { type: 'object', description: 'For 422: { fields: { "path.to.field": ["message"] } }' },
      },
    },
  },
};

const jsonSchema = (schema: z.ZodType) => z.toJSONSchema(schema, { io: 'input', unrepresentable: 'any' });

export function buildOpenApiDocument() {
  const paths: Record<string, Record<string, unknown>> = {};
  for (const op of OPERATIONS) {
    const pathParams = [...op.path.matchAll(/\{(\w+)\}/g)].map((m) => ({ name: m[1], in: 'path', required: true, schema: { type: 'string' } }));
    const query = op.query ? jsonSchema(op.query) : undefined;
    const queryParams = Object.entries(query?.properties ?? {}).map(([name, schema]) => ({ name, in: 'query', required: (query?.required ?? []).includes(name), schema }));
    const headerParams = (op.headers ?? []).map((h) => ({ name: h.name, in: 'header', required: true, description: h.description, schema: { type: 'string' } }));
    const permission = op.auth === 'mlflow-signature' ? 'No API key: the X-MLflow-Signature headers are the credential.' : op.auth === 'none' ? 'No credentials needed.' : op.permission ? `Requires the permission \`${op.permission}\`.` : 'Any valid credentials.';
    const success = (description: string) => ({ description, ...(op.produces ? { content: Object.fromEntries(op.produces.map((type) => [type, {}])) } : {}) });
    (paths[op.path] ??= {})[op.method] = {
      summary: op.summary,
      description: permission,
      ...(op.auth ? { security: [] } : {}),
      parameters: [...pathParams, ...queryParams, ...headerParams],
      ...(op.body ? { requestBody: { required: !op.bodyOptional, content: { 'application/json': { schema: jsonSchema(op.body) } } } } : {}),
      responses: {
        [op.success]: success('Success'),
        ...Object.fromEntries(Object.entries(op.also ?? {}).map(([status, description]) => [status, status === '304' ? { description } : success(description)])),
        default: { description: 'Error', content: { 'application/json': { schema: { $ref: '#/components/schemas/Error' } } } },
      },
    };
  }
  return {
    openapi: '3.1.0',
    info: { title: 'Flightdeck API', version: '1', description: 'Authenticate with `Authorization: Bearer <api key>`, or a browser session.' },
    components: {
      securitySchemes: { apiKey: { type: 'http', scheme: 'bearer' } },
      schemas: { Error: errorSchema },
    },
    security: [{ apiKey: [] }],
    paths,
  };
}
