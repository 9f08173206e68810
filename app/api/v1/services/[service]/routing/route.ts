import { z } from 'zod';
import { apiRoute } from '@/lib/http/api-route';
import { Answer, json } from '@/lib/http/respond';
import { MESH_FORMATS, ManifestOptions, manifestEtag, renderRouting, type MeshFormat } from '@/lib/domain/mesh-manifests';
import { getRouting } from '@/lib/queries/routing';
import { invalid } from '@/lib/services/errors';
import { fieldErrorsOf } from '@/lib/services/use-case';

const FORMATS = ['json', ...MESH_FORMATS] as const;
const OPTION_PARAMS = ['namespace', 'host', 'port', 'gateway'] as const;

// Query strings are text: the port arrives as digits and becomes a number before ManifestOptions checks its range.
const Port = z.string().regex(/^[0-9]{1,5}$/, 'A port number from 1 to 65535').transform(Number);

/**
 * GET /api/v1/services/{service}/routing?environment=production — the desired split for routers,
 * mesh controllers and GitOps jobs. Send If-None-Match with the last ETag: 304 until it changes.
 *
 * &format=istio|gateway-api|linkerd|argo-rollouts returns the split as manifests
 * (text/yaml, lib/domain/mesh-manifests), shaped by &namespace=, &host=, &port= and &gateway=;
 * JSON stays the default (&format=json). The YAML has its own weak ETag, which like the JSON one
 * changes exactly when the split does (or the format or an option).
 */
export const GET = apiRoute<{ service: string }>(async ({ req, params, caller }) => {
  const query = new URL(req.url).searchParams;
  const environment = query.get('environment');
  if (!environment) throw invalid('Say which environment.', { environment: ['Required, e.g. ?environment=production'] });
  const format = query.get('format') ?? 'json';
  if (!(FORMATS as readonly string[]).includes(format))
    throw invalid(`Unknown format "${format.slice(0, 40)}".`, { format: [`One of ${FORMATS.join(', ')}`] });
  const options = format === 'json' ? {} : manifestOptions(query);

  const { routing, etag } = await getRouting(caller, params.service, environment);
  if (format === 'json') {
    const headers = { etag, 'cache-control': 'no-cache' };
    if (etagMatches(req.headers.get('if-none-match'), etag)) return new Answer(304, headers, null);
    return json(routing, { headers });
  }

  const mesh = format as MeshFormat;
  const yamlEtag = manifestEtag(routing, mesh, options);
  const headers = { etag: yamlEtag, 'cache-control': 'no-cache' };
  if (etagMatches(req.headers.get('if-none-match'), yamlEtag)) return new Answer(304, headers, null);
  return new Answer(200, { ...headers, 'content-type': 'text/yaml; charset=utf-8' }, renderRouting(routing, mesh, options));
});

/** The manifest options from the query string; 422 naming each field that is not valid. */
function manifestOptions(query: URLSearchParams): ManifestOptions {
  const raw: Record<string, unknown> = {};
  const fields: Record<string, string[]> = {};
  for (const name of OPTION_PARAMS) {
    const value = query.get(name);
    if (value === null) continue;
    if (value === '') fields[name] = ['Must not be empty; leave the parameter out instead'];
    else if (name === 'port') {
      const port = Port.safeParse(value);
      if (port.success) raw.port = port.data;
      else fields.port = port.error.issues.map((i) => i.message);
    } else raw[name] = value;
  }
  const parsed = ManifestOptions.safeParse(raw);
  if (!parsed.success) for (const [field, messages] of Object.entries(fieldErrorsOf(parsed.error))) (fields[field] ??= []).push(...messages);
  if (Object.keys(fields).length > 0 || !parsed.success) throw invalid('Some manifest options are not valid.', fields);
  return parsed.data;
}

/** If-None-Match: "*", or a list of ETags compared weakly (a W/ prefix does not matter). */
function etagMatches(header: string | null, etag: string): boolean {
  if (header === null) return false;
  const opaque = (tag: string) => tag.trim().replace(/^W\//, '');
  return header.trim() === '*' || header.split(',').some((tag) => opaque(tag) === opaque(etag));
}
