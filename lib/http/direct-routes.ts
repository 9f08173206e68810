import type { IncomingMessage, ServerResponse } from 'node:http';
import { Readable } from 'node:stream';
import { reportUnexpected } from '@/lib/server/observability/report-unexpected';
import { hasSessionCookie } from './api-route';
import { errorResponse } from './respond';
import SECURITY_HEADERS from './security-headers.json';

/** A route handler as app/api/v1 exports it (GET, POST): a Web Request in, a Response out. */
export type RouteHandler = (req: Request, route: { params: Promise<Record<string, string>> }) => Promise<Response>;

/**
 * An /api/v1 endpoint that server.mjs answers with its own route handler, without Next.js's router in
 * front. `path` matches the path only (no query) and captures one group per name in `params`.
 */
export type DirectRoute = { method: 'GET' | 'POST'; path: RegExp; params: readonly string[]; handler: RouteHandler };

/**
 * One path segment that needs no decoding. Anything else (percent-escapes, unusual characters) goes
 * to Next.js, which decodes it as every other route sees it.
 */
export const SEGMENT = '([A-Za-z0-9._~-]{1,200})';

/**
 * Answers `req` when one of `routes` matches and no browser session came with it (next-auth reads a
 * session through Next.js's request context, which these requests do not have); false leaves the
 * request untouched for Next.js. The handler is the route's own, so authorisation, validation,
 * rate limits, metrics, traces and the access log are the same either way; the headers that
 * next.config.js adds to /api responses come from the same JSON.
 */
export function directRoutes(routes: readonly DirectRoute[]) {
  return function serveDirect(req: IncomingMessage, res: ServerResponse): boolean {
    const url = req.url ?? '';
    if (!url.startsWith('/api/v1/') || hasSessionCookie(req.headers.cookie)) return false;
    const query = url.indexOf('?');
    const path = query === -1 ? url : url.slice(0, query);
    for (const route of routes) {
      if (route.method !== req.method) continue;
      const match = route.path.exec(path);
      if (!match) continue;
      const params = Object.fromEntries(route.params.map((name, i) => [name, match[i + 1]!]));
      let request: Request;
      try {
        request = toRequest(req, url);
      } catch {
        return false; // headers undici refuses: Next.js answers those as it always has
      }
      respond(route.handler(request, { params: Promise.resolve(params) }), req, res);
      return true;
    }
    return false;
  };
}

/**
 * A Web Request for the handler. The origin is fixed, not taken from the Host header: handlers read
 * only the path and query, and a hostile Host ("x/y?z#") must not reshape either.
 */
function toRequest(req: IncomingMessage, url: string): Request {
  const target = new URL(`http://localhost${url}`);
  const headers = new Headers();
  const raw = req.rawHeaders;
  for (let i = 0; i < raw.length; i += 2) headers.append(raw[i]!, raw[i + 1]!);
  // The body last: once read from, the request could no longer go to Next.js if this threw.
  const hasBody = req.method !== 'GET' && req.method !== 'HEAD';
  return new Request(target, {
    method: req.method,
    headers,
    ...(hasBody ? { body: Readable.toWeb(req) as ReadableStream<Uint8Array>, duplex: 'half' } : {}),
  } as RequestInit);
}

function respond(pending: Promise<Response>, req: IncomingMessage, res: ServerResponse): void {
  pending
    .catch((error: unknown) => {
      // apiRoute turns every error into a response; this is only for what escapes it.
      reportUnexpected(error, { where: 'api', method: req.method, route: req.url?.split('?')[0] });
      return errorResponse(error);
    })
    .then(async (response) => {
      const body = response.body ? Buffer.from(await response.arrayBuffer()) : undefined;
      res.writeHead(response.status, { ...securityHeaders(req), ...Object.fromEntries(response.headers), ...(body ? { 'content-length': body.length } : {}) });
      res.end(body);
    })
    .catch(() => res.destroy()); // the client went away mid-answer
}

// Lower-case, as Headers gives the handler's own: one key per header, the handler's winning.
const headersOf = (list: { key: string; value: string }[]) => Object.fromEntries(list.map((h) => [h.key.toLowerCase(), h.value]));
const API_HEADERS = headersOf([...SECURITY_HEADERS.everyResponse, ...SECURITY_HEADERS.api]);
const API_HEADERS_OVER_TLS = headersOf([...SECURITY_HEADERS.everyResponse, ...SECURITY_HEADERS.api, ...SECURITY_HEADERS.overTls]);

/** As next.config.js sets them for /api: every response's, the API CSP, and HSTS behind a TLS proxy. */
function securityHeaders(req: IncomingMessage): Record<string, string> {
  const overTls = String(req.headers['x-forwarded-proto'] ?? '').split(',')[0]?.trim() === 'https';
  return overTls ? API_HEADERS_OVER_TLS : API_HEADERS;
}

/**
 * Start-up is done: hand server.mjs its dispatcher, and with it the signal to listen. Under `next
 * start` or `next dev` nobody registered the hook, and nothing happens.
 */
export function announceReady(routes: readonly DirectRoute[]): void {
  const ready = (globalThis as { [READY]?: unknown })[READY];
  if (typeof ready === 'function') ready(directRoutes(routes));
}

const READY = Symbol.for('flightdeck.serverReady');
