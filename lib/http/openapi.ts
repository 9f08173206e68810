import { z } from 'zod';
import { SampleSizeQuestion } from '@/lib/domain/experiment-design';
import { PageParams } from '@/lib/queries/paging';
import { ListModelsParams } from '@/lib/queries/models';
import { useCases } from '@/lib/services';

type Operation = {
  method: 'get' | 'post' | 'put' | 'patch' | 'delete';
  path: string;
  summary: string;
  permission?: string;
  body?: z.ZodType;
  query?: z.ZodObject;
  success: number;
};

const { createModel, registerVersion, updateVersion, reportCheck, createEnvironment, updatePolicy, createUser, updateUser, createApiKey, revokeApiKey, requestRelease, rollbackToLastGood, updateProtection, updateAnalysis, ingestMetrics, createWebhook, updateWebhook, createExperiment, decideExperiment, postDriftReference, ingestDriftSnapshot, updateDriftPolicy, updateMetricsSource, setSlo, ingestServiceTelemetry, acknowledgeAlert, resolveAlert, commentAlert } = useCases;
const fromUseCase = (u: { useCase: { summary: string; permission: string; input: z.ZodType } }) => ({
  summary: u.useCase.summary,
  permission: u.useCase.permission,
  body: u.useCase.input,
});

/** The API surface. Request schemas are the very zod schemas the use cases validate with. */
const OPERATIONS: Operation[] = [
  { method: 'get', path: '/api/v1/me', summary: 'Who the credentials belong to', success: 200 },
  { method: 'get', path: '/api/v1/models', summary: 'List models', query: ListModelsParams, success: 200 },
  { method: 'post', path: '/api/v1/models', ...fromUseCase(createModel), success: 201 },
  { method: 'get', path: '/api/v1/models/{name}', summary: 'A model and a page of its versions', query: PageParams, success: 200 },
  { method: 'get', path: '/api/v1/models/{name}/versions', summary: 'A page of versions, newest first', query: PageParams, success: 200 },
  { method: 'post', path: '/api/v1/models/{name}/versions', ...fromUseCase(registerVersion), body: registerVersion.useCase.input.omit({ model: true }), summary: 'Register a version (201; 200 when the identical payload is already registered; 409 when it differs; 422 when the bump understates the contract change)', success: 201 },
  { method: 'get', path: '/api/v1/models/{name}/versions/{version}', summary: 'A version with its checks and deployability per environment', success: 200 },
  { method: 'patch', path: '/api/v1/models/{name}/versions/{version}', ...fromUseCase(updateVersion), body: updateVersion.useCase.input.omit({ model: true, version: true }), success: 200 },
  { method: 'post', path: '/api/v1/models/{name}/versions/{version}/checks', ...fromUseCase(reportCheck), body: reportCheck.useCase.input.omit({ model: true, version: true }), summary: 'Report a gate check (201 new kind, 200 update)', success: 201 },
  { method: 'get', path: '/api/v1/environments', summary: 'Environments with their gate policies', success: 200 },
  { method: 'post', path: '/api/v1/environments', ...fromUseCase(createEnvironment), success: 201 },
  { method: 'put', path: '/api/v1/environments/{name}/policy', ...fromUseCase(updatePolicy), body: updatePolicy.useCase.input.shape.policy, success: 200 },
  { method: 'get', path: '/api/v1/releases', summary: 'Releases, in flight first (?model=&environment=&state=)', success: 200 },
  { method: 'post', path: '/api/v1/releases', ...fromUseCase(requestRelease), success: 201 },
  { method: 'get', path: '/api/v1/releases/{id}', summary: 'A release with its plan, approvals and incident', success: 200 },
  ...(['approve', 'reject', 'start', 'pause', 'resume', 'advance', 'promote', 'abort', 'rollback'] as const).map((action) => {
    const u = useCases[`${action}Release`];
    return { method: 'post' as const, path: `/api/v1/releases/{id}/${action}`, ...fromUseCase(u), body: (u.useCase.input as z.ZodObject).omit({ releaseId: true } as never), summary: `${u.useCase.summary} (200; changed:false when it already happened; 409 when the state does not allow it)`, success: 200 };
  }),
  { method: 'post', path: '/api/v1/models/{name}/rollback', ...fromUseCase(rollbackToLastGood), body: rollbackToLastGood.useCase.input.omit({ model: true }), success: 201 },
  { method: 'get', path: '/api/v1/services/{service}/routing', summary: 'The desired traffic split (?environment=); JSON, or ?format=istio|gateway-api|linkerd|argo-rollouts as YAML (&namespace= &host= &port= &gateway=); ETag, 304 on If-None-Match', success: 200 },
  { method: 'put', path: '/api/v1/environments/{name}/protection', ...fromUseCase(updateProtection), body: updateProtection.useCase.input.shape.protection, success: 200 },
  { method: 'put', path: '/api/v1/environments/{name}/analysis', ...fromUseCase(updateAnalysis), body: updateAnalysis.useCase.input.omit({ environment: true }), success: 200 },
  { method: 'get', path: '/api/v1/releases/{id}/metrics', summary: 'Baseline vs canary series (≤ 500 buckets per variant) and analysis verdicts; ?since= for live appends', success: 200 },
  { method: 'post', path: '/api/v1/metrics', ...fromUseCase(ingestMetrics), summary: 'Push metric samples (202; all or nothing; at most 10,000 per request; re-delivered buckets replace)', success: 202 },
  { method: 'get', path: '/api/v1/experiments', summary: 'Experiments, running first, with units per arm and progress toward the planned sample size', success: 200 },
  { method: 'post', path: '/api/v1/experiments', ...fromUseCase(createExperiment), summary: 'Design an A/B experiment: opens its "ab" release (approvals apply); the first arm is control = the live version', success: 201 },
  { method: 'get', path: '/api/v1/experiments/{id}', summary: 'An experiment: design, status, decision', success: 200 },
  { method: 'get', path: '/api/v1/experiments/{id}/results', summary: 'Every number the experiment page shows: per-arm statistics, lifts with intervals (null bound = unbounded), p-values raw and adjusted, Bayesian view, SRM, recommendation, lift-over-time series', success: 200 },
  { method: 'post', path: '/api/v1/experiments/{id}/decision', ...fromUseCase(decideExperiment), summary: 'experimentId comes from the path. Ship a treatment (ends the experiment, requests a promotion of it) or roll back; 409 when SRM or a guardrail blocks shipping', success: 200 },
  { method: 'post', path: '/api/v1/experiments/sample-size', summary: 'Units per arm for { baseline: { rate } | { mean, variance }, minimumDetectableEffect, alpha?, power?, arms? }, and days at current traffic with model and environment', body: SampleSizeQuestion, permission: 'dashboard.read', success: 200 },
  { method: 'post', path: '/api/v1/models/{name}/versions/{version}/drift-reference', ...fromUseCase(postDriftReference), summary: "model and version come from the path. Post the version's reference profile per feature (bins with quantile edges, categories, or raw values binned here); 201 when features were added, 200 when all were there, 409 when one differs", success: 201 },
  { method: 'post', path: '/api/v1/drift/snapshots', ...fromUseCase(ingestDriftSnapshot), summary: 'A production window per feature, checked against the reference (422 names the field; nothing stored) and scored on arrival (202)', success: 202 },
  { method: 'get', path: '/api/v1/models/{name}/drift', summary: 'Per feature and environment: latest score with method, threshold and convention, and a sparkline', success: 200 },
  { method: 'get', path: '/api/v1/models/{name}/drift/{feature}', summary: 'Reference vs latest window per bin, and the score over time (?version= &environment=)', success: 200 },
  { method: 'put', path: '/api/v1/models/{name}/metrics-source', ...fromUseCase(updateMetricsSource), body: updateMetricsSource.useCase.input.shape.source, summary: "Choose the model server preset (triton, torchserve, bentoml, kserve) whose Prometheus metrics judge the model's canaries, with label overrides; null for the environment's templates. Answers the PromQL it will run", success: 200 },
  { method: 'put', path: '/api/v1/models/{name}/drift-policy', ...fromUseCase(updateDriftPolicy), body: updateDriftPolicy.useCase.input.shape.policy, success: 200 },
  { method: 'get', path: '/api/v1/models/{name}/slos', summary: "The model's SLOs with their burn rate per window now", success: 200 },
  { method: 'put', path: '/api/v1/models/{name}/slos', ...fromUseCase(setSlo), summary: 'Create or replace one SLO (environment, kind availability|latency, objective, latencyThresholdMs)', success: 200 },
  { method: 'post', path: '/api/v1/services/{service}/telemetry', ...fromUseCase(ingestServiceTelemetry), summary: 'Whole-service buckets (requests, errors, latency histogram) that SLOs are measured on (202)', success: 202 },
  { method: 'get', path: '/api/v1/alerts', summary: 'Alerts, open first and critical first (?state=active|open|acknowledged|resolved|all &severity= &kind= &model=)', success: 200 },
  { method: 'get', path: '/api/v1/alerts/{id}', summary: 'An alert with its evidence and comment trail', success: 200 },
  { method: 'post', path: '/api/v1/alerts/{id}/acknowledge', ...fromUseCase(acknowledgeAlert), success: 200 },
  { method: 'post', path: '/api/v1/alerts/{id}/resolve', ...fromUseCase(resolveAlert), success: 200 },
  { method: 'post', path: '/api/v1/alerts/{id}/comment', ...fromUseCase(commentAlert), success: 200 },
  { method: 'get', path: '/api/v1/webhooks', summary: 'Webhooks (never their secrets)', permission: 'webhook.manage', success: 200 },
  { method: 'post', path: '/api/v1/webhooks', ...fromUseCase(createWebhook), summary: 'Create a webhook; the signing secret is in this response only', success: 201 },
  { method: 'patch', path: '/api/v1/webhooks/{id}', ...fromUseCase(updateWebhook), body: (updateWebhook.useCase.input as z.ZodObject).omit({ webhookId: true } as never), success: 200 },
  { method: 'get', path: '/api/v1/webhooks/{id}/deliveries', summary: 'The last 100 delivery attempts', permission: 'webhook.manage', success: 200 },
  { method: 'get', path: '/api/v1/users', summary: 'List users and their roles', success: 200 },
  { method: 'post', path: '/api/v1/users', ...fromUseCase(createUser), success: 201 },
  { method: 'patch', path: '/api/v1/users/{id}', ...fromUseCase(updateUser), body: updateUser.useCase.input.omit({ userId: true }), success: 200 },
  { method: 'get', path: '/api/v1/api-keys', summary: 'List API keys (never their secrets)', permission: 'api_key.manage', success: 200 },
  { method: 'post', path: '/api/v1/api-keys', ...fromUseCase(createApiKey), summary: 'Create an API key; the secret is in this response only', success: 201 },
  { method: 'delete', path: '/api/v1/api-keys/{id}', ...fromUseCase(revokeApiKey), body: undefined, success: 200 },
  { method: 'get', path: '/api/v1/audit', summary: 'Audit events, newest first', query: PageParams, success: 200 },
  { method: 'get', path: '/api/v1/audit/verify', summary: 'Walk the audit hash chain and name the first broken event', success: 200 },
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

export function buildOpenApiDocument() {
  const paths: Record<string, Record<string, unknown>> = {};
  for (const op of OPERATIONS) {
    const pathParams = [...op.path.matchAll(/\{(\w+)\}/g)].map((m) => ({ name: m[1], in: 'path', required: true, schema: { type: 'string' } }));
    const queryParams = op.query
      ? Object.entries(z.toJSONSchema(op.query, { io: 'input', unrepresentable: 'any' }).properties ?? {}).map(([name, schema]) => ({ name, in: 'query', required: false, schema }))
      : [];
    (paths[op.path] ??= {})[op.method] = {
      summary: op.summary,
      ...(op.permission ? { description: `Requires the permission \`${op.permission}\`.` } : {}),
      parameters: [...pathParams, ...queryParams],
      ...(op.body
        ? { requestBody: { required: true, content: { 'application/json': { schema: z.toJSONSchema(op.body, { io: 'input', unrepresentable: 'any' }) } } } }
        : {}),
      responses: {
        [op.success]: { description: 'Success' },
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
