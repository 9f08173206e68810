import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';

/**
 * Every /api/v1 endpoint, found twice over so that a new one is fuzzed without anyone listing it:
 * the OpenAPI document's operations (with their request schemas), and the route modules on disk
 * with the methods they export (which also finds routes the document does not describe yet).
 */
export const METHODS = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE'] as const;
export type Method = (typeof METHODS)[number];
export type JsonSchema = Record<string, unknown>;

export type RouteModule = {
  /** Directory under app/api/v1, e.g. `models/[name]/versions`. */
  dir: string;
  file: string;
  segments: string[];
  methods: Method[];
  /** The largest body the handler reads, from its source (`body(N)`, `readCapped(req, N)`); undefined when it reads none. */
  bodyLimit?: number;
};

export type Endpoint = {
  method: Method;
  /** The path as the OpenAPI document spells it (`/api/v1/models/{name}`), or the module's for undocumented routes. */
  template: string;
  module: RouteModule;
  /** Dynamic segments fixed by the document (`{ action: 'approve' }` for /releases/{id}/approve). */
  fixed: Record<string, string>;
  /** Dynamic segments to fuzz, in path order. */
  params: string[];
  /** The catch-all segment (`[...path]`) among them, if any. */
  catchAll?: string;
  documented: boolean;
  /** The documented request body and query parameters, as JSON Schema. */
  body?: JsonSchema;
  query?: JsonSchema;
};

const API_DIR = join(process.cwd(), 'app/api/v1');

function walk(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) =>
    entry.isDirectory() ? walk(join(dir, entry.name)) : entry.name === 'route.ts' ? [join(dir, entry.name)] : [],
  );
}

/** `body(5_000_000)`, `body(MAX_METRICS_BODY)` with `const MAX_METRICS_BODY = 8_000_000`, `req.readBody(…)`. */
function bodyLimitOf(source: string, defaultLimit: number): number | undefined {
  const calls = [...source.matchAll(/\b(?:body\(([^)]*)\)|readBody\(([^)]+)\))/g)];
  if (calls.length === 0) return undefined;
  const limits = calls.map((m) => {
    const arg = (m[1] ?? m[2] ?? '').trim();
    if (arg === '') return defaultLimit;
    if (/^[\d_]+$/.test(arg)) return Number(arg.replace(/_/g, ''));
    if (arg === 'MAX_BODY_BYTES') return defaultLimit;
    const constant = new RegExp(`const\\s+${arg}\\s*=\\s*([\\d_]+)`).exec(source);
    if (!constant) throw new Error(`cannot tell the body limit "${arg}" of a route; teach tests/fuzz/endpoints.ts`);
    return Number(constant[1]!.replace(/_/g, ''));
  });
  return Math.max(...limits);
}

export function routeModules(defaultLimit: number): RouteModule[] {
  return walk(API_DIR)
    .map((file) => {
      const dir = relative(API_DIR, join(file, '..'));
      const source = readFileSync(file, 'utf8');
      const exported = new Set([...source.matchAll(/export (?:const|async function|function) (GET|POST|PUT|PATCH|DELETE)\b/g)].map((m) => m[1]));
      for (const m of source.matchAll(/export \{([^}]*)\}/g)) for (const name of m[1]!.matchAll(/\bas (GET|POST|PUT|PATCH|DELETE)\b/g)) exported.add(name[1]);
      return {
        dir,
        file,
        segments: dir === '' ? [] : dir.split('/'),
        methods: METHODS.filter((m) => exported.has(m)),
        bodyLimit: bodyLimitOf(source, defaultLimit),
      };
    })
    .sort((a, b) => a.dir.localeCompare(b.dir));
}

const dynamicName = (segment: string) => /^\[(?:\.\.\.)?(\w+)\]$/.exec(segment)?.[1];

/** The module that serves a documented path (`/api/v1/releases/{id}/approve` → `releases/[id]/[action]`, action = approve). */
function moduleFor(path: string, modules: RouteModule[]): { module: RouteModule; fixed: Record<string, string> } | undefined {
  const parts = path.replace(/^\/api\/v1\/?/, '').split('/').filter(Boolean);
  const candidates = modules
    .filter((m) => m.segments.length === parts.length && !m.segments.some((s) => s.startsWith('[...')))
    .map((m) => {
      const fixed: Record<string, string> = {};
      let score = 0;
      for (const [i, segment] of m.segments.entries()) {
        const part = parts[i]!;
        const name = dynamicName(segment);
        if (!name) {
          if (segment !== part) return undefined;
          score += 1;
        } else if (/^\{\w+\}$/.test(part)) {
          if (part !== `{${name}}`) return undefined;
        } else fixed[name] = part;
      }
      return { module: m, fixed, score };
    })
    .filter((c) => c !== undefined)
    .sort((a, b) => b.score - a.score);
  return candidates[0];
}

type OpenApiDocument = { paths: Record<string, Record<string, { parameters?: { name: string; in: string; schema: JsonSchema }[]; requestBody?: { content: Record<string, { schema: JsonSchema }> } }>> };

/**
 * Documented operations first (with their schemas); then every method a module exports that no
 * documented operation covers, and for modules whose dynamic segment the document pins to a few
 * values (`[action]`), that segment fuzzed too. Throws when a documented path has no module.
 */
export function listEndpoints(doc: OpenApiDocument, modules: RouteModule[]): Endpoint[] {
  const endpoints: Endpoint[] = [];
  /** `METHOD dir` fuzzed with every dynamic segment free; a pinned one (`[action]` = approve) does not count. */
  const covered = new Set<string>();
  for (const [path, operations] of Object.entries(doc.paths)) {
    const match = moduleFor(path, modules);
    if (!match) throw new Error(`the OpenAPI document names ${path}, but no app/api/v1 route module serves it`);
    for (const [method, op] of Object.entries(operations)) {
      const upper = method.toUpperCase() as Method;
      if (!match.module.methods.includes(upper)) throw new Error(`the OpenAPI document names ${upper} ${path}, but ${match.module.dir}/route.ts exports no ${upper}`);
      const queryProperties = Object.fromEntries((op.parameters ?? []).filter((p) => p.in === 'query').map((p) => [p.name, p.schema]));
      endpoints.push({
        method: upper,
        template: path,
        module: match.module,
        fixed: match.fixed,
        params: match.module.segments.map(dynamicName).filter((n): n is string => n !== undefined && !(n in match.fixed)),
        documented: true,
        body: op.requestBody?.content['application/json']?.schema,
        query: Object.keys(queryProperties).length ? { type: 'object', properties: queryProperties } : undefined,
      });
      if (Object.keys(match.fixed).length === 0) covered.add(`${upper} ${match.module.dir}`);
    }
  }
  for (const module of modules) {
    for (const method of module.methods) {
      if (covered.has(`${method} ${module.dir}`)) continue;
      const params = module.segments.map(dynamicName).filter((n): n is string => n !== undefined);
      const catchAll = module.segments.find((s) => s.startsWith('[...'));
      endpoints.push({
        method,
        template: `/api/v1/${module.segments.map((s) => (dynamicName(s) ? `{${dynamicName(s)}}` : s)).join('/')}`.replace(/\/$/, ''),
        module,
        fixed: {},
        params,
        catchAll: catchAll ? dynamicName(catchAll) : undefined,
        documented: false,
      });
    }
  }
  return endpoints;
}

/** `POST /api/v1/releases/{id}/approve`; routes (or free segments) the OpenAPI document does not describe are marked. */
export const endpointName = (e: Endpoint) => `${e.method} ${e.template}${e.documented ? '' : ' [not in openapi.json]'}`;
