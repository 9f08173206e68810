import type { IncomingMessage, ServerResponse } from 'node:http';
import { reportUnexpected } from '@/lib/server/observability/report-unexpected';
import { hasSessionCookie, tooLarge, type ApiRequest, type ApiRoute } from './api-route';
import { Answer, errorAnswer, isAnswer } from './respond';
import SECURITY_HEADERS from './security-headers.json';

/**
 * An /api/v1 endpoint that server.mjs answers with its own route handler, without Next.js's router in
 * front. `path` matches the path only (no query) and captures one group per name in `params`.
 */
export type DirectRoute = { method: 'GET' | 'POST'; path: RegExp; params: readonly string[]; route: Pick<ApiRoute<never>, 'serve'> };

/**
 * One path segment that needs no decoding. Anything else (percent-escapes, unusual characters) goes
 * to Next.js, which decodes it as every other route sees it.
 */
export const SEGMENT = '([A-Za-z0-9._~-]{1,200})';

/**
 * Answers `req` when one of `routes` matches and no browser session came with it (next-auth reads a
 * session through Next.js's request context, which these requests do not have); false leaves the
 * request untouched for Next.js. The handler is the route's own (apiRoute's `serve`), so
 * authorisation, validation, rate limits, metrics, traces and the access log are the same either
 * way; the headers that next.config.js adds to /api responses come from the same JSON. The request
 * and the answer stay Node's and plain data: a Web Request and Response around them cost more CPU
 * than a rollback's use case (README "Performance").
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
      respond(route.route.serve(nodeRequest(req, url), params as never), req, res);
      return true;
    }
    return false;
  };
}

/**
 * The request as handlers read it. The origin is fixed, not taken from the Host header: handlers
 * read only the path and query, and a hostile Host ("x/y?z#") must not reshape either. Headers are
 * Node's, as Next.js hands them to its own routes: names in lower case, repeats joined (or, for
 * the headers that allow one, the first kept).
 */
function nodeRequest(req: IncomingMessage, url: string): ApiRequest {
  let body: Promise<string> | undefined;
  return {
    method: req.method!,
    url: `http://localhost${url}`,
    headers: {
      get: (name) => {
        const value = req.headers[name.toLowerCase()];
        return value === undefined ? null : Array.isArray(value) ? value.join(', ') : value;
      },
      has: (name) => req.headers[name.toLowerCase()] !== undefined,
    },
    readBody: (maxBytes) => (body ??= readBody(req, maxBytes)),
  };
}

/** The whole body, or 413 as soon as it passes `maxBytes` (the rest is not kept: see respond). */
function readBody(req: IncomingMessage, maxBytes: number): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const done = () => {
      req.off('data', onData).off('end', onEnd).off('error', onError).off('close', onClose);
    };
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      if (size <= maxBytes) return void chunks.push(chunk);
      done();
      reject(tooLarge(maxBytes));
    };
    const onEnd = () => {
      done();
      resolve(Buffer.concat(chunks, size).toString('utf8'));
    };
    const onError = (error: Error) => {
      done();
      reject(error);
    };
    const onClose = () => onError(new Error('the client closed the connection before the body ended'));
    req.on('data', onData).on('end', onEnd).on('error', onError).on('close', onClose);
  });
}

function respond(pending: Promise<Answer | Response>, req: IncomingMessage, res: ServerResponse): void {
  pending
    .catch((error: unknown) => {
      // apiRoute turns every error into an answer; this is only for what escapes it.
      reportUnexpected(error, { where: 'api', method: req.method, route: req.url?.split('?')[0] });
      return errorAnswer(error);
    })
    .then(async (answer) => {
      const { status, headers, body } = isAnswer(answer) ? answer : await fromResponse(answer);
      const head: Record<string, string | number> = { ...securityHeaders(req), ...headers };
      if (body !== null) head['content-length'] = Buffer.byteLength(body);
      // A body left unread (refused as too large, or never asked for) is not read to its end on
      // a kept-alive connection: this answer is the connection's last.
      if (!req.complete) head.connection = 'close';
      res.writeHead(status, head);
      res.end(body ?? undefined);
    })
    .catch(() => res.destroy()); // the client went away mid-answer
}

/** A handler's own Response (none of the direct routes answer one today), as plain data. */
async function fromResponse(response: Response): Promise<Answer> {
  return new Answer(response.status, Object.fromEntries(response.headers), response.body ? await response.text() : null);
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
