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
import { errorAnswer, isAnswer, json, toResponse, type Answer } from './respond';

export const MAX_BODY_BYTES = 1_000_000;

/**
 * What /api/v1 handlers read of a request. Next.js's Web Request provides it (webRequest), and so
 * does server.mjs's Node request on the direct path (lib/http/direct-routes.ts), without the
 * cost of building a Web Request around it.
 */
export type ApiRequest = {
  readonly method: string;
  /** Absolute: new URL(req.url) gives the path and query. */
  readonly url: string;
  readonly headers: { get(name: string): string | null; has(name: string): boolean };
  /** The body as text; 413 beyond maxBytes, so a hostile client cannot make us buffer a gigabyte. */
  readBody(maxBytes: number): Promise<string>;
};

export type ApiContext<P> = {
  req: ApiRequest;
  params: P;
  caller: { actor: Actor | null; db: Database; request: RequestMeta };
  /** The JSON body; 401 for an anonymous caller, 415 when not JSON, 413 when over MAX_BODY_BYTES, 400 when unparsable. */
  body: (maxBytes?: number) => Promise<unknown>;
};

type HandlerResult = Response | Answer | { status?: number; data: unknown };

/** An /api/v1 endpoint: Next.js's route handler, and `serve` for server.mjs's direct path. */
export type ApiRoute<P> = ((req: Request, route: { params: Promise<P> }) => Promise<Response>) & {
  serve: (req: ApiRequest, params: P) => Promise<Answer | Response>;
};

/**
 * Wraps a /api/v1 handler: identifies the caller (API key, else the browser session), gives it
 * a request id, and turns every thrown error into the one JSON error shape. Handlers stay thin:
 * parse the path, call a use case or query, return data.
 */
export function apiRoute<P = Record<string, never>>(handler: (ctx: ApiContext<P>) => Promise<HandlerResult>): ApiRoute<P> {
  const serve = async (req: ApiRequest, params: P): Promise<Answer | Response> => {
    const requestId = req.headers.get('x-request-id')?.slice(0, 100) || randomUUID();
    const started = performance.now();
    const startedAt = Date.now();
    // Continue the caller's W3C trace (or start one): kept on audit events and releases, answered on every response.
    const incoming = parseTraceparent(req.headers.get('traceparent'));
    const traceparent = formatTraceparent(childSpan(incoming));
    const answer = await handle(req, params, requestId, traceparent);
    setHeader(answer, 'x-request-id', requestId);
    setHeader(answer, 'traceparent', traceparent);
    const template = routeTemplate(new URL(req.url).pathname, params as Record<string, unknown> | undefined);
    metrics().httpRequests.inc({ route: template, method: req.method, status: String(answer.status) });
    recordSpan({
      traceparent,
      parentSpanId: incoming?.spanId,
      name: `${req.method} ${template}`,
      kind: 'server',
      startMs: startedAt,
      endMs: Date.now(),
      attributes: { 'http.request.method': req.method, 'http.route': template, 'http.response.status_code': answer.status, 'flightdeck.request_id': requestId },
      error: answer.status >= 500 ? `HTTP ${answer.status}` : undefined,
    });
    if (accessLogEnabled())
      log('info', 'request', { method: req.method, route: template, status: answer.status, durationMs: Math.round(performance.now() - started), requestId, traceId: traceparent.split('-')[1] });
    metrics().httpDuration.observe({ route: template, method: req.method }, (performance.now() - started) / 1000);
    return answer;
  };

  async function handle(req: ApiRequest, params: P, requestId: string, traceparent: string): Promise<Answer | Response> {
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
      const result = await handler({ req, params, caller: { actor, db, request }, body });
      return result instanceof Response || isAnswer(result) ? result : json(result.data, { status: result.status ?? 200 });
    } catch (error) {
      const answer = errorAnswer(error);
      if (answer.status === 500)
        reportUnexpected(error, { where: 'api', requestId, traceparent, method: req.method, route: routeTemplate(new URL(req.url).pathname, params as Record<string, unknown> | undefined) });
      return answer;
    }
  }

  const route = async (req: Request, context: { params: Promise<P> }) => toResponse(await serve(webRequest(req), (await paramsOf(context)) as P));
  return Object.assign(route, { serve });
}

/** Next.js's Web Request as handlers read it. */
function webRequest(req: Request): ApiRequest {
  return { method: req.method, url: req.url, headers: req.headers, readBody: (maxBytes) => readCapped(req, maxBytes) };
}

function setHeader(answer: Answer | Response, name: string, value: string): void {
  if (isAnswer(answer)) answer.headers[name] = value;
  else answer.headers.set(name, value);
}

async function identify(req: ApiRequest, db: Database): Promise<Actor | null> {
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

async function readJson(req: ApiRequest, maxBytes: number): Promise<unknown> {
  const type = req.headers.get('content-type') ?? '';
  if (!/^application\/(.+\+)?json\b/i.test(type))
    throw new AppError('unsupported_media_type', 'Send the body as JSON with Content-Type: application/json.');
  const declared = Number(req.headers.get('content-length') ?? '0');
  if (declared > maxBytes) throw tooLarge(maxBytes);
  const text = await req.readBody(maxBytes);
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

/** A Web Request's body, at most `maxBytes` of it (413 beyond). */
async function readCapped(req: Request, maxBytes: number): Promise<string> {
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

export const tooLarge = (maxBytes: number) => new AppError('payload_too_large', `The body is larger than ${maxBytes.toLocaleString('en')} bytes.`);
