import { randomUUID } from 'node:crypto';
import { reportUnexpected } from '@/lib/server/observability/report-unexpected';
import { accessLogEnabled, log } from '@/lib/server/log';
import { metrics, routeTemplate } from '@/lib/server/observability/metrics';
import { getServerSession } from 'next-auth';
import { getDb, type Database } from '@/db';
import { actorFromApiKey, actorFromUserId } from '@/lib/auth/actors';
import { getAuthOptions } from '@/lib/auth/auth-options';
import { parseBearer } from '@/lib/domain/api-key';
import { childSpan, formatTraceparent, parseTraceparent } from '@/lib/domain/trace-context';
import { recordSpan } from '@/lib/server/observability/tracing';
import { take, type Bucket } from '@/lib/domain/rate-limit';
import { getConfig } from '@/lib/config';
import type { Actor } from '@/lib/domain/roles';
import type { RequestMeta } from '@/lib/services/audit/append-audit';
import { AppError, unauthenticated } from '@/lib/services/errors';
import { errorResponse, json } from './respond';

export const MAX_BODY_BYTES = 1_000_000;

export type ApiContext<P> = {
  req: Request;
  params: P;
  caller: { actor: Actor | null; db: Database; request: RequestMeta };
  /** The JSON body; 401 for an anonymous caller, 415 when not JSON, 413 when over MAX_BODY_BYTES, 400 when unparsable. */
  body: (maxBytes?: number) => Promise<unknown>;
};

/**
 * Wraps a /api/v1 handler: identifies the caller (API key, else the browser session), gives it
 * a request id, and turns every thrown error into the one JSON error shape. Handlers stay thin:
 * parse the path, call a use case or query, return data.
 */
export function apiRoute<P = Record<string, never>>(
  handler: (ctx: ApiContext<P>) => Promise<Response | { status?: number; data: unknown }>,
) {
  return async (req: Request, route: { params: Promise<P> }): Promise<Response> => {
    const requestId = req.headers.get('x-request-id')?.slice(0, 100) || randomUUID();
    const started = performance.now();
    const startedAt = Date.now();
    // Continue the caller's W3C trace (or start one): kept on audit events and releases, answered on every response.
    const incoming = parseTraceparent(req.headers.get('traceparent'));
    const traceparent = formatTraceparent(childSpan(incoming));
    const response = await handle(req, route, requestId, traceparent);
    response.headers.set('traceparent', traceparent);
    const template = routeTemplate(new URL(req.url).pathname, await paramsOf(route));
    metrics().httpRequests.inc({ route: template, method: req.method, status: String(response.status) });
    recordSpan({
      traceparent,
      parentSpanId: incoming?.spanId,
      name: `${req.method} ${template}`,
      kind: 'server',
      startMs: startedAt,
      endMs: Date.now(),
      attributes: { 'http.request.method': req.method, 'http.route': template, 'http.response.status_code': response.status, 'flightdeck.request_id': response.headers.get('x-request-id') ?? undefined },
      error: response.status >= 500 ? `HTTP ${response.status}` : undefined,
    });
    if (accessLogEnabled())
      log('info', 'request', { method: req.method, route: template, status: response.status, durationMs: Math.round(performance.now() - started), requestId: response.headers.get('x-request-id') ?? undefined, traceId: traceparent.split('-')[1] });
    metrics().httpDuration.observe({ route: template, method: req.method }, (performance.now() - started) / 1000);
    return response;
  };

  async function handle(req: Request, route: { params: Promise<P> }, requestId: string, traceparent: string): Promise<Response> {
    try {
      const db = await getDb();
      const actor = await identify(req, db);
      if (actor?.type === 'api_key') limitRate(actor.id);
      const request: RequestMeta = {
        requestId,
        ip: req.headers.get('x-forwarded-for')?.split(',')[0]?.trim() || undefined,
        userAgent: req.headers.get('user-agent')?.slice(0, 200) || undefined,
        via: 'api',
        traceparent,
      };
      // Nobody reads an anonymous caller's body: 401 whatever was sent.
      const body = (maxBytes = MAX_BODY_BYTES) => (actor ? readJson(req, maxBytes) : Promise.reject(unauthenticated()));
      const result = await handler({ req, params: (await route?.params) as P, caller: { actor, db, request }, body });
      const response = result instanceof Response ? result : json(result.data, { status: result.status ?? 200 });
      response.headers.set('x-request-id', requestId);
      return response;
    } catch (error) {
      const response = errorResponse(error);
      response.headers.set('x-request-id', requestId);
      if (response.status === 500) {
        const params = await paramsOf(route);
        reportUnexpected(error, { where: 'api', requestId, traceparent, method: req.method, route: routeTemplate(new URL(req.url).pathname, params) });
      }
      return response;
    }
  }
}

async function identify(req: Request, db: Database): Promise<Actor | null> {
  const authorization = req.headers.get('authorization');
  if (authorization) {
    const secret = parseBearer(authorization);
    if (!secret) throw unauthenticated('Malformed Authorization header; expected "Bearer <api key>".');
    const actor = await actorFromApiKey(db, secret);
    if (!actor) throw unauthenticated('The API key is unknown, revoked or expired.');
    return actor;
  }
  // People use the same API from the browser with their session cookie (SameSite=Lax, and
  // writes must be JSON, which a cross-site form cannot send). Machines send no cookie: skip
  // decoding a session for them.
  if (!hasSessionCookie(req.headers.get('cookie'))) return null;
  const session = (await getServerSession(getAuthOptions())) as { uid?: string } | null;
  return session?.uid ? actorFromUserId(db, session.uid) : null;
}

/** Does this Cookie header carry a next-auth session (possibly split into chunks .0, .1, …)? */
export function hasSessionCookie(cookie: string | null | undefined): boolean {
  return /(^|;\s*)(__Secure-)?next-auth\.session-token(\.\d+)?=/.test(cookie ?? '');
}

async function readJson(req: Request, maxBytes: number): Promise<unknown> {
  const type = req.headers.get('content-type') ?? '';
  if (!/^application\/(.+\+)?json\b/i.test(type))
    throw new AppError('unsupported_media_type', 'Send the body as JSON with Content-Type: application/json.');
  const declared = Number(req.headers.get('content-length') ?? '0');
  if (declared > maxBytes) throw tooLarge(maxBytes);
  const text = await readCapped(req, maxBytes);
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new AppError('bad_request', `The body is not valid JSON: ${(error as Error).message}`);
  }
}

// Per process: with several instances behind a load balancer a key gets the limit on each. On
// globalThis because Next.js may load this module once per bundle (each route, and server.mjs's
// direct routes through instrumentation): one bucket per key, whichever path a request takes.
const BUCKETS = Symbol.for('flightdeck.apiRateBuckets');
const bucketsOf = () => ((globalThis as { [BUCKETS]?: Map<string, Bucket> })[BUCKETS] ??= new Map());
const MAX_TRACKED_KEYS = 10_000;

/** The API key's token bucket (FLIGHTDECK_API_RATE_LIMIT): 429 with Retry-After when it is empty. */
function limitRate(keyId: string): void {
  const limit = getConfig().apiRateLimit;
  if (!limit) return;
  const buckets = bucketsOf();
  const result = take(buckets.get(keyId), limit, Date.now());
  buckets.delete(keyId); // re-inserted last: the Map's order is least recently used first
  if (buckets.size >= MAX_TRACKED_KEYS) buckets.delete(buckets.keys().next().value!);
  buckets.set(keyId, result.bucket);
  if (!result.allowed)
    throw new AppError('rate_limited', `Too many requests with this API key: at most ${limit.ratePerSecond} per second (bursts of ${limit.burst}). Retry in ${result.retryAfterSeconds} s.`, {
      retryAfterSeconds: result.retryAfterSeconds,
    });
}

/** Next.js passes no `params` to a route without dynamic segments: never assume the promise. */
async function paramsOf(route: { params?: Promise<unknown> } | undefined): Promise<Record<string, unknown> | undefined> {
  return (await Promise.resolve(route?.params).catch(() => undefined)) as Record<string, unknown> | undefined;
}

/** Reads at most MAX_BODY_BYTES, so a hostile client cannot make us buffer a gigabyte. */
export async function readCapped(req: Request, maxBytes: number): Promise<string> {
  if (!req.body) return '';
  const reader = req.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > maxBytes) {
      await reader.cancel();
      throw tooLarge(maxBytes);
    }
    chunks.push(value);
  }
  return Buffer.concat(chunks).toString('utf8');
}

const tooLarge = (maxBytes: number) => new AppError('payload_too_large', `The body is larger than ${maxBytes.toLocaleString('en')} bytes.`);
