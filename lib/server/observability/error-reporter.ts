import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import { parseTraceparent } from '@/lib/domain/trace-context';

/**
 * Unexpected errors to Sentry when SENTRY_DSN is set, by Sentry's envelope protocol
 * (https://develop.sentry.dev/sdk/data-model/envelopes/): one POST per error, fire and forget,
 * never throwing and never slowing the request that failed. The official SDK would also patch
 * http, fetch and the Next.js build (and its build plugin reports telemetry); Flightdeck needs
 * only "this failed, here is the stack, the route and the trace id", which is this file.
 */
export class SentryConfigError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'SentryConfigError';
  }
}

export type SentryTarget = { envelopeUrl: string; publicKey: string; dsn: string; environment: string; release?: string };

/** SENTRY_DSN as `https://<public key>@<host>[:port][/<path>]/<project id>`; null when unset. Never echoes the value. */
export function configuredSentry(env: Record<string, string | undefined> = process.env): SentryTarget | null {
  const dsn = env.SENTRY_DSN?.trim();
  if (!dsn) return null;
  let url: URL;
  try {
    url = new URL(dsn);
  } catch {
    throw new SentryConfigError('SENTRY_DSN is not a URL; expected https://<key>@<host>/<project id> from the Sentry project settings');
  }
  const project = url.pathname.split('/').filter(Boolean).pop();
  if (!/^https?:$/.test(url.protocol) || !url.username || !project || !/^\d+$/.test(project))
    throw new SentryConfigError('SENTRY_DSN must look like https://<key>@<host>/<project id> (the DSN from the Sentry project settings)');
  const prefix = url.pathname.slice(0, url.pathname.lastIndexOf(project)).replace(/\/+$/, '');
  return {
    envelopeUrl: `${url.protocol}//${url.host}${prefix}/api/${project}/envelope/`,
    publicKey: decodeURIComponent(url.username),
    dsn,
    environment: env.SENTRY_ENVIRONMENT?.trim() || (env.NODE_ENV === 'production' ? 'production' : 'development'),
    release: env.SENTRY_RELEASE?.trim() || undefined,
  };
}

export type ErrorContext = { where: string; requestId?: string; traceparent?: string; route?: string; method?: string; extra?: Record<string, string | number | boolean | null> };

/**
 * What a secret looks like in an error message: connection strings with passwords, bearer tokens,
 * API keys, password hashes — and the bound parameters drizzle appends to a failed query's message
 * ("Failed query: insert … params: …"), which hold whatever the row held (a new user's bcrypt hash,
 * an API key's digest, a webhook secret). The statement stays: it says which query failed.
 */
const SECRETS: [RegExp, string][] = [
  [/^(params: ).*$/gm, '$1[redacted]'],
  [/\$2[aby]?\$\d{2}\$[./A-Za-z0-9]{53}/g, '[redacted bcrypt hash]'],
  [/(\b[a-z][a-z0-9+.-]*:\/\/[^:/\s@]+:)[^@\s]+@/gi, '$1[redacted]@'],
  [/\b(Bearer\s+)[A-Za-z0-9._~+/=-]+/g, '$1[redacted]'],
  [/\b(fdk?_)[A-Za-z0-9_-]{8,}/g, '$1[redacted]'], // API keys are fdk_…
  [/\bwhsec_[A-Za-z0-9_-]+/g, 'whsec_[redacted]'],
];
export function scrubSecrets(text: string): string {
  return SECRETS.reduce((t, [pattern, replacement]) => t.replace(pattern, replacement), text);
}

/** V8 stack lines → Sentry frames, oldest call first (as Sentry wants them). */
function framesOf(stack: string | undefined) {
  const frames = (stack ?? '')
    .split('\n')
    .slice(1)
    .map((line) => /^\s*at (?:(.+?) \()?(.+?):(\d+):(\d+)\)?$/.exec(line))
    .filter((m): m is RegExpExecArray => m !== null)
    .map(([, fn, file, line, col]) => ({ function: fn ?? '<anonymous>', filename: file!, lineno: Number(line), colno: Number(col), in_app: !file!.includes('node_modules') && !file!.startsWith('node:') }));
  return frames.reverse().slice(-50);
}

/** The envelope for one error: a header line, an item header, the event. */
export function sentryEnvelope(target: SentryTarget, error: unknown, context: ErrorContext, now = new Date()): { eventId: string; body: string } {
  const eventId = randomUUID().replace(/-/g, '');
  const err = error instanceof Error ? error : new Error(typeof error === 'string' ? error : 'Non-error thrown');
  const trace = parseTraceparent(context.traceparent);
  const event = {
    event_id: eventId,
    timestamp: now.getTime() / 1000,
    platform: 'node',
    level: 'error',
    logger: 'flightdeck',
    server_name: hostname(),
    environment: target.environment,
    ...(target.release ? { release: target.release } : {}),
    transaction: context.route ? `${context.method ?? ''} ${context.route}`.trim() : context.where,
    tags: { where: context.where, ...(context.requestId ? { request_id: context.requestId } : {}) },
    exception: { values: [{ type: err.name, value: scrubSecrets(err.message).slice(0, 8000), stacktrace: { frames: framesOf(err.stack) } }] },
    ...(trace ? { contexts: { trace: { trace_id: trace.traceId, span_id: trace.spanId } } } : {}),
    ...(context.extra ? { extra: context.extra } : {}),
  };
  const header = { event_id: eventId, sent_at: now.toISOString(), dsn: target.dsn, ...(trace ? { trace: { trace_id: trace.traceId, public_key: target.publicKey } } : {}) };
  return { eventId, body: `${JSON.stringify(header)}\n${JSON.stringify({ type: 'event' })}\n${JSON.stringify(event)}\n` };
}

const inFlight = new Set<Promise<unknown>>();

/**
 * Reports an unexpected error when Sentry is configured; a no-op otherwise. Returns the event id
 * (or null). The send is not awaited by callers; `flushErrorReports()` waits for it (tests, exit).
 */
export function reportError(error: unknown, context: ErrorContext, env: Record<string, string | undefined> = process.env): string | null {
  let target: SentryTarget | null;
  try {
    target = configuredSentry(env);
  } catch {
    return null; // start-up refuses a malformed DSN; here it only means "not reporting"
  }
  if (!target) return null;
  const { eventId, body } = sentryEnvelope(target, error, context);
  const send = fetch(target.envelopeUrl, {
    method: 'POST',
    headers: { 'content-type': 'application/x-sentry-envelope', 'x-sentry-auth': `Sentry sentry_version=7, sentry_key=${target.publicKey}, sentry_client=flightdeck/0.1.0` },
    body,
    signal: AbortSignal.timeout(5000),
  })
    .then((res) => res.body?.cancel())
    .catch(() => {}); // reporting must never become the next error
  inFlight.add(send);
  void send.finally(() => inFlight.delete(send));
  return eventId;
}

export async function flushErrorReports(): Promise<void> {
  await Promise.all([...inFlight]);
}
