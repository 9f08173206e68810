import { randomUUID } from 'node:crypto';
import fc from 'fast-check';
import { mlflowWebhookHeaders } from '@/lib/domain/mlflow';
import {
  badAuthorization, bodyBytes, bodyFor, caller, CONTENT_TYPES, encodeSegment, framing, hostileString, hostileValue, isHeaderValue, otherHeaders, pathValue, queryPairs, toJsonText,
  type Body, type Caller, type Framing, type Hints,
} from './arbitraries';
import type { Endpoint } from './endpoints';
import type { World } from './seed';

/** One fuzzed request, as fast-check generates, shrinks and prints it. */
export type FuzzRequest = {
  caller: Caller;
  /** The Authorization header of a `malformed` caller. */
  authorization: string;
  /** Dynamic path segments as the handler sees them (decoded once, as Next does). */
  params: Record<string, string>;
  catchAll: string[];
  /** Percent-encode every byte of the path segments, not only the reserved ones. */
  everyByte: boolean;
  query: [string, string][];
  contentType: string;
  framing: Framing;
  headers: [string, string][];
  body: Body;
  /** MLflow webhook only: sign the body with the configured secret. */
  signed: boolean;
};

export type Keys = Record<'admin' | 'viewer' | 'revoked', string>;

export const isMlflowWebhook = (endpoint: Endpoint) => endpoint.template.endsWith('/mlflow/webhook');

/** Real values for a dynamic segment, by the segment before it (`releases/[id]` → release ids). */
export function realsFor(world: World, endpoint: Endpoint, param: string): string[] {
  if (param === 'action') return ['approve', 'reject', 'start', 'pause', 'resume', 'advance', 'promote', 'abort', 'rollback', 'acknowledge', 'resolve', 'comment'];
  const segments = endpoint.module.segments;
  const before = segments[segments.indexOf(`[${param}]`) - 1] ?? '';
  const byCollection: Record<string, string[]> = {
    models: world.models,
    services: world.models,
    environments: world.environments,
    versions: world.versions,
    drift: world.features,
    releases: world.ids.releases,
    experiments: world.ids.experiments,
    incidents: world.ids.incidents,
    alerts: world.ids.alerts,
    webhooks: world.ids.webhooks,
    users: world.ids.users,
    'api-keys': world.ids.apiKeys,
  };
  return byCollection[before] ?? [...world.models, ...Object.values(world.ids).flat()];
}

/** Real values for body fields by name, so that schema-guided bodies name things that exist. */
export function hintsFrom(world: World): Hints {
  const reals: Record<string, string[]> = {
    model: world.models,
    service: world.models,
    environment: world.environments,
    version: world.versions,
    fromVersion: world.versions,
    arm: world.versions,
    releaseId: world.ids.releases,
    experimentId: world.ids.experiments,
    alertId: world.ids.alerts,
    feature: world.features,
  };
  return (key) => (reals[key]?.length ? fc.constantFrom(...reals[key]) : undefined);
}

/** MLflow webhook payloads, well-formed around hostile names and versions. */
const mlflowEvent: fc.Arbitrary<Body> = fc
  .record({
    entity: fc.oneof(fc.constantFrom('model_version', 'registered_model', 'model_version_tag', 'model_version_alias', 'prompt'), hostileString),
    action: fc.oneof(fc.constantFrom('created', 'set', 'deleted', 'updated'), hostileString),
    timestamp: fc.oneof(fc.date({ noInvalidDate: true }).map((d) => d.toISOString()), hostileString),
    data: fc.record({ name: fc.oneof(fc.constantFrom('fraud-detector', 'ranker'), hostileString, hostileValue()), version: fc.oneof(fc.constantFrom('1', '2'), hostileString, hostileValue()) }, { requiredKeys: [] }),
  })
  .map((event): Body => ({ kind: 'text', text: toJsonText(event), note: 'MLflow event' }));

/** Requests for one endpoint: hostile path segments, query strings (mostly for GETs), headers and bodies. */
export function requestArbitrary(endpoint: Endpoint, world: World, keys: Keys): fc.Arbitrary<FuzzRequest> {
  const hasBody = endpoint.method !== 'GET';
  const hints = hintsFrom(world);
  const documentedQuery = Object.keys((endpoint.query?.properties as object | undefined) ?? {});
  const realStrings = [...world.models, ...world.environments, ...world.versions, ...world.ids.releases];
  const query = queryPairs(documentedQuery, realStrings, { environment: world.environments, model: world.models, version: world.versions, state: ['running', 'promoted', 'rolled_back'] });
  const body = isMlflowWebhook(endpoint) ? fc.oneof(bodyFor(undefined, hints), mlflowEvent) : bodyFor(endpoint.body, hints);
  return fc.record({
    caller,
    authorization: badAuthorization(keys),
    params: fc.record(Object.fromEntries(endpoint.params.filter((p) => p !== endpoint.catchAll).map((p) => [p, pathValue(realsFor(world, endpoint, p))]))) as fc.Arbitrary<Record<string, string>>,
    catchAll: endpoint.catchAll ? fc.array(pathValue(['models', 'v2', 'admin', 'openapi.json', 'releases']), { maxLength: 5 }) : fc.constant([]),
    everyByte: fc.boolean(),
    query: hasBody ? fc.oneof({ weight: 4, arbitrary: fc.constant([] as [string, string][]) }, { weight: 1, arbitrary: query }) : query,
    contentType: fc.oneof({ weight: 6, arbitrary: fc.constant('application/json') }, { weight: 1, arbitrary: fc.constantFrom(...CONTENT_TYPES) }),
    framing,
    headers: otherHeaders,
    // A GET with a body is not a Request one can build.
    body: hasBody ? body : fc.constant<Body>({ kind: 'none' }),
    signed: fc.boolean(),
  });
}

/** The Request and route params a handler receives for a fuzzed request. */
export function toRequest(endpoint: Endpoint, r: FuzzRequest, keys: Keys, mlflowSecret: string) {
  const segments = endpoint.module.segments.flatMap((segment) => {
    const name = /^\[(?:\.\.\.)?(\w+)\]$/.exec(segment)?.[1];
    if (!name) return [segment];
    if (name in endpoint.fixed) return [endpoint.fixed[name]!];
    if (name === endpoint.catchAll) return r.catchAll.map((s) => encodeSegment(s, r.everyByte));
    return [encodeSegment(r.params[name]!, r.everyByte)];
  });
  const query = r.query.length ? `?${new URLSearchParams(r.query).toString()}` : '';
  const headers = new Headers();
  for (const [name, value] of r.headers) if (isHeaderValue(value)) headers.append(name, value);
  if (r.caller === 'admin') headers.set('authorization', `Bearer ${keys.admin}`);
  if (r.caller === 'viewer') headers.set('authorization', `Bearer ${keys.viewer}`);
  if (r.caller === 'malformed' && isHeaderValue(r.authorization)) headers.set('authorization', r.authorization);
  const bytes = bodyBytes(r.body);
  if (bytes) {
    if (r.contentType) headers.set('content-type', r.contentType);
    // A server always learns a body's framing: from Content-Length (true or not) or chunked encoding.
    const length = { length: String(bytes.byteLength), 'lie-small': String(bytes.byteLength >> 1), 'lie-large': '99999999999', garbage: 'lots', chunked: undefined }[r.framing];
    if (length !== undefined) headers.set('content-length', length);
    else headers.set('transfer-encoding', 'chunked');
    if (isMlflowWebhook(endpoint) && r.signed)
      for (const [name, value] of Object.entries(mlflowWebhookHeaders(mlflowSecret, randomUUID(), Math.floor(Date.now() / 1000), Buffer.from(bytes).toString('utf8')))) headers.set(name, value);
  }
  const params: Record<string, string | string[]> = { ...endpoint.fixed, ...r.params };
  if (endpoint.catchAll) params[endpoint.catchAll] = r.catchAll;
  const request = new Request(`http://fuzz.test/api/v1/${segments.join('/')}${query}`, { method: endpoint.method, headers, body: bytes as BodyInit | undefined });
  return { request, params };
}

/** A request as a failure message shows it: bodies cut to 300 characters. */
export const describeRequest = (r: FuzzRequest) =>
  JSON.stringify({
    ...r,
    authorization: r.caller === 'malformed' ? r.authorization.slice(0, 80) : undefined,
    body: r.body.kind === 'none' ? 'none' : `${r.body.note}: ${(r.body.kind === 'text' ? r.body.text : `<${r.body.bytes.byteLength} bytes>`).slice(0, 300)}`,
  });
