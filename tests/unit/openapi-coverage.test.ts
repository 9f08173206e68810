import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { buildOpenApiDocument } from '@/lib/http/openapi';

/**
 * The OpenAPI document against the route modules on disk, both ways: every method a route under
 * app/api/v1 exports is an operation, and every operation is served. Routes are read as text
 * (nothing from Next is imported). A route that dispatches on a segment itself (`[action]` with a
 * `const ACTIONS = { approve: … }`) is one operation per key. And no request body asks for what
 * the route takes from the path (withParams: the path wins, so such a field only misleads).
 */

const API_DIR = join(process.cwd(), 'app/api/v1');
const METHODS = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE'] as const;
/** Not operations: the catch-all answers every unknown /api/v1 path with a 404 in the error shape. */
const CATCH_ALL = /^\[\.\.\.\w+\]$/;

/**
 * The body key a path parameter fills, by the collection before it: `/releases/{id}` is the
 * input's `releaseId`, `/models/{name}` its `model`. A new collection must be added here.
 */
const PATH_KEYS: Record<string, string> = {
  'releases/{id}': 'releaseId',
  'alerts/{id}': 'alertId',
  'experiments/{id}': 'experimentId',
  'webhooks/{id}': 'webhookId',
  'users/{id}': 'userId',
  'api-keys/{id}': 'apiKeyId',
  'incidents/{id}': 'incidentId',
  'models/{name}': 'model',
  'environments/{name}': 'environment',
  'versions/{version}': 'version',
  'services/{service}': 'service',
  'drift/{feature}': 'feature',
};

type Route = { file: string; source: string; segments: string[] };
type JsonSchema = { properties?: Record<string, unknown>; required?: string[]; oneOf?: JsonSchema[]; anyOf?: JsonSchema[]; allOf?: JsonSchema[] };
type Doc = { paths: Record<string, Record<string, { requestBody?: { content: Record<string, { schema: JsonSchema }> } }>> };

function routeFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) =>
    entry.isDirectory() ? routeFiles(join(dir, entry.name)) : entry.name === 'route.ts' ? [join(dir, entry.name)] : [],
  );
}

/** `export const GET`, `export async function GET`, `export function GET`, `export { handler as GET }`. */
function exportedMethods(source: string): string[] {
  const found = new Set([...source.matchAll(/export\s+(?:const|let|(?:async\s+)?function)\s+(GET|POST|PUT|PATCH|DELETE)\b/g)].map((m) => m[1]!));
  for (const block of source.matchAll(/export\s*\{([^}]*)\}/g)) for (const m of block[1]!.matchAll(/(?:\bas\s+|^\s*|,\s*)(GET|POST|PUT|PATCH|DELETE)\b/g)) found.add(m[1]!);
  return METHODS.filter((m) => found.has(m));
}

/** The keys of `const ACTIONS = { approve: approveRelease, … }`, the values an `[action]` segment may take. */
function actionsOf(route: Route): string[] | undefined {
  // The table is in the route, or in the actions.ts beside it (shared with app/api/v1/direct-routes.ts).
  const beside = join(process.cwd(), dirname(route.file), 'actions.ts');
  const source = route.source + (existsSync(beside) ? readFileSync(beside, 'utf8') : '');
  const block = /const \w*ACTIONS\s*=\s*\{([^}]*)\}/.exec(source)?.[1];
  return block
    ?.split(',')
    .map((item) => /^\s*(\w+)/.exec(item)?.[1])
    .filter((key): key is string => key !== undefined);
}

/** Path templates a route serves: `[name]` → `{name}`, `[action]` → each of its ACTIONS. */
function templatesOf(route: Route): string[] {
  let templates = ['/api/v1'];
  for (const segment of route.segments) {
    const name = /^\[(\w+)\]$/.exec(segment)?.[1];
    if (!name) templates = templates.map((t) => `${t}/${segment}`);
    else if (name === 'action') {
      const actions = actionsOf(route);
      if (!actions?.length) throw new Error(`${route.file}: an [action] segment without a const ACTIONS = { … } to read the actions from`);
      templates = templates.flatMap((t) => actions.map((a) => `${t}/${a}`));
    } else templates = templates.map((t) => `${t}/{${name}}`);
  }
  return templates;
}

function routesOnDisk(): Route[] {
  return routeFiles(API_DIR)
    .map((file) => {
      const dir = relative(API_DIR, join(file, '..'));
      return { file: relative(process.cwd(), file), source: readFileSync(file, 'utf8'), segments: dir === '' ? [] : dir.split(/[\\/]/) };
    })
    .filter((route) => !route.segments.some((s) => CATCH_ALL.test(s)));
}

/** `METHOD template` of every operation on disk, with the route serving it. */
function operationsOnDisk(routes = routesOnDisk()): Map<string, Route> {
  const operations = new Map<string, Route>();
  for (const route of routes) for (const method of exportedMethods(route.source)) for (const template of templatesOf(route)) operations.set(`${method} ${template}`, route);
  return operations;
}

function documentedOperations(doc: Doc): string[] {
  return Object.entries(doc.paths).flatMap(([path, ops]) => Object.keys(ops).map((method) => `${method.toUpperCase()} ${path}`));
}

/** Every key a body schema names at its top level, in any of its branches (a discriminated union is oneOf). */
function bodyKeys(schema: JsonSchema): string[] {
  const branches = [...(schema.oneOf ?? []), ...(schema.anyOf ?? []), ...(schema.allOf ?? [])];
  return [...Object.keys(schema.properties ?? {}), ...(schema.required ?? []), ...branches.flatMap(bodyKeys)];
}

/** The keys a path's parameters stand for in a body: each parameter's own name and, by its collection, the input's name for it. */
function pathKeysOf(template: string): string[] {
  const parts = template.split('/');
  return parts.flatMap((part, i) => {
    const param = /^\{(\w+)\}$/.exec(part)?.[1];
    if (!param) return [];
    const key = PATH_KEYS[`${parts[i - 1]}/${part}`];
    if (!key) throw new Error(`${template}: which body key does ${part} after "${parts[i - 1]}" fill? Add it to PATH_KEYS.`);
    return [param, key];
  });
}

/** The misleading body keys of each documented operation: keys its path gives. */
function bodyKeysFromPath(doc: Doc): string[] {
  return Object.entries(doc.paths).flatMap(([path, ops]) =>
    Object.entries(ops).flatMap(([method, op]) => {
      const schema = op.requestBody?.content['application/json']?.schema;
      if (!schema) return [];
      const fromPath = new Set(pathKeysOf(path));
      return [...new Set(bodyKeys(schema))].filter((key) => fromPath.has(key)).map((key) => `${method.toUpperCase()} ${path}: body names "${key}"`);
    }),
  );
}

describe('the OpenAPI document covers the API on disk', () => {
  const doc = buildOpenApiDocument() as Doc;
  const routes = routesOnDisk();
  const onDisk = operationsOnDisk(routes);
  const documented = documentedOperations(doc);

  it('reads the route modules (the regexes have not rotted)', () => {
    expect(routes.length).toBeGreaterThan(40);
    for (const route of routes) expect(exportedMethods(route.source), `${route.file} exports a method`).not.toEqual([]);
    expect(exportedMethods('export async function GET() {}\nexport const POST = apiRoute(x);\nexport { handler as PUT, other as DELETE };')).toEqual(['GET', 'POST', 'PUT', 'DELETE']);
    for (const op of ['GET /api/v1/incidents/{id}', 'PUT /api/v1/incidents/{id}/postmortem', 'POST /api/v1/releases/{id}/approve', 'POST /api/v1/alerts/{id}/comment', 'DELETE /api/v1/api-keys/{id}'])
      expect([...onDisk.keys()]).toContain(op);
    expect([...onDisk.keys()].some((op) => op.includes('{path}') || op.includes('{action}'))).toBe(false);
  });

  it('documents every method of every route module', () => {
    expect([...onDisk.keys()].filter((op) => !documented.includes(op)).sort().join('\n'), 'on disk, not in the document').toBe('');
  });

  it('documents only operations that a route module serves', () => {
    expect(documented.filter((op) => !onDisk.has(op)).sort().join('\n'), 'in the document, not on disk').toBe('');
  });

  it('asks no request body for what the path gives', () => {
    expect(bodyKeysFromPath(doc).join('\n')).toBe('');
  });

  it('knows every body key a route fills from its path (PATH_KEYS is the routes’ own mapping)', () => {
    for (const [op, route] of onDisk) {
      const template = op.slice(op.indexOf(' ') + 1);
      // `withParams(await body(), { model: params.name })`, `{ environment: params.name, policy: … }`.
      for (const m of route.source.matchAll(/\b(\w+):\s*params\.(\w+)\b/g)) expect(pathKeysOf(template), `${route.file}: ${m[1]} from {${m[2]}}`).toContain(m[1]);
    }
  });

  it('catches a missing operation and a body that asks for a path key', () => {
    const { '/api/v1/incidents/{id}': _removed, ...rest } = doc.paths;
    expect([...onDisk.keys()].filter((op) => !documentedOperations({ paths: rest }).includes(op))).toContain('GET /api/v1/incidents/{id}');
    const stale = { paths: { '/api/v1/models/{name}/slos': { put: { requestBody: { content: { 'application/json': { schema: { properties: { model: {}, kind: {} }, required: ['model'] } } } } } } } };
    expect(bodyKeysFromPath(stale)).toEqual(['PUT /api/v1/models/{name}/slos: body names "model"']);
    const union = { paths: { '/api/v1/experiments/{id}/decision': { post: { requestBody: { content: { 'application/json': { schema: { oneOf: [{ required: ['experimentId', 'decision'] }] } } } } } } } };
    expect(bodyKeysFromPath(union)).toEqual(['POST /api/v1/experiments/{id}/decision: body names "experimentId"']);
  });
});
