import { z } from 'zod';
import type { Endpoint } from './endpoints';
import type { FuzzRequest } from './requests';

/** The one error shape of /api/v1 (README "API"). */
const ERROR_CODES = ['unauthenticated', 'forbidden', 'not_found', 'conflict', 'invalid', 'bad_request', 'payload_too_large', 'unsupported_media_type', 'rate_limited', 'unavailable', 'internal'];
export const ErrorShape = z.object({ error: z.object({ code: z.enum(ERROR_CODES), message: z.string().min(1), details: z.record(z.string(), z.unknown()) }).strict() }).strict();
/** A 422 names its fields. */
export const FieldErrors = z.object({ fields: z.record(z.string(), z.array(z.string())) }).loose();

/**
 * The gist of what the server logged about a 500, to tell them apart (the client only hears
 * "something went wrong"): the error's type and first line (a failed query by its table) and the
 * first frame in the app's own code.
 */
export function serverCause(log: string): string {
  const error = /error="([^"\\]*(?:\\.[^"\\]*)*)/.exec(log)?.[1] ?? /unhandled error (.*)/.exec(log)?.[1] ?? log;
  const firstLine = error.split(/\\n|\n/)[0]!;
  const query = /^(\w*Error): Failed query: .*? from \\?"(\w+)/.exec(firstLine);
  const message = query ? `${query[1]}: failed query on ${query[2]}` : firstLine.slice(0, 120);
  const frames = [...log.matchAll(/\/((?:lib|app)\/[^():\\\s]+:\d+)/g)].map((m) => m[1]!).filter((f) => !f.startsWith('lib/http/'));
  return `${message}${frames[0] ? ` at ${frames[0]}` : ''}`;
}

/** The value with every string (not key) mapped; stops at depth 50, where no schema goes. */
function mapStrings(value: unknown, f: (s: string) => string, depth = 0): unknown {
  if (typeof value === 'string') return f(value);
  if (depth > 50 || value === null || typeof value !== 'object') return value;
  if (Array.isArray(value)) return value.map((v) => mapStrings(v, f, depth + 1));
  return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, mapStrings(v, f, depth + 1)]));
}

const documentedSchemas = new Map<Endpoint, z.ZodType | null>();

/** The documented body schema back as zod (lenient: refinements and transforms are not in JSON Schema); null when there is none. */
function documentedSchema(endpoint: Endpoint): z.ZodType | null {
  if (!documentedSchemas.has(endpoint)) {
    let schema: z.ZodType | null = null;
    try {
      schema = endpoint.body ? z.fromJSONSchema(endpoint.body as never) : null;
    } catch {
      schema = null;
    }
    documentedSchemas.set(endpoint, schema);
  }
  return documentedSchemas.get(endpoint)!;
}

/**
 * Whether a body the endpoint accepted is one its documented schema accepts. The document leaves
 * out what a route takes from the path (tests/unit/openapi-coverage.test.ts), so the body alone
 * is judged. A body that is not announced (or not JSON) can only have been taken as {} (release
 * actions do that). And zod trims and lower-cases some strings before their pattern, which JSON
 * Schema cannot say.
 */
export function acceptedByDocumentedSchema(endpoint: Endpoint, r: FuzzRequest): boolean {
  const schema = documentedSchema(endpoint);
  if (!schema || r.body.kind === 'bytes') return true;
  let parsed: unknown = {};
  if (r.body.kind === 'text')
    try {
      parsed = JSON.parse(r.body.text);
    } catch {
      parsed = {};
    }
  const bodies = [parsed, mapStrings(parsed, (s) => s.trim()), mapStrings(parsed, (s) => s.trim().toLowerCase()), {}];
  return bodies.some((body) => schema.safeParse(body).success);
}
