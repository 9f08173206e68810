import { parseTraceparent } from '@/lib/domain/trace-context';

/**
 * OpenTelemetry spans over OTLP/HTTP (JSON) when OTEL_EXPORTER_OTLP_ENDPOINT (or
 * OTEL_EXPORTER_OTLP_TRACES_ENDPOINT) is set: a server span per /api/v1 request and a span per
 * controller step, in the W3C trace the caller started (lib/domain/trace-context.ts). Spans are
 * batched and sent every 2 s; a collector that is down costs a dropped batch, never a request.
 * The SDK would add auto-instrumentation of http, fetch and the Next.js internals; Flightdeck
 * wants its own two span kinds, which is this file.
 */
export type SpanInput = {
  /** Our span: traceparent with our span id. */
  traceparent: string;
  /** The caller's span id, when the trace came from outside. */
  parentSpanId?: string;
  name: string;
  kind: 'server' | 'internal';
  startMs: number;
  endMs: number;
  attributes?: Record<string, string | number | boolean | undefined>;
  error?: string;
};

type OtlpConfig = { url: string; headers: Record<string, string>; serviceName: string };

/** The traces endpoint and headers from the standard OTEL_* variables; null when unset. */
export function configuredOtlp(env: Record<string, string | undefined> = process.env): OtlpConfig | null {
  const traces = env.OTEL_EXPORTER_OTLP_TRACES_ENDPOINT?.trim();
  const base = env.OTEL_EXPORTER_OTLP_ENDPOINT?.trim();
  const url = traces || (base ? `${base.replace(/\/+$/, '')}/v1/traces` : '');
  if (!url || env.OTEL_TRACES_EXPORTER === 'none') return null;
  // "k1=v1,k2=v2", values URL-encoded (the OTLP exporter specification).
  const headers = Object.fromEntries(
    (env.OTEL_EXPORTER_OTLP_TRACES_HEADERS ?? env.OTEL_EXPORTER_OTLP_HEADERS ?? '')
      .split(',')
      .map((pair) => pair.split('='))
      .filter(([k, v]) => k?.trim() && v !== undefined)
      .map(([k, ...v]) => [k!.trim(), decodeURIComponent(v.join('=').trim())]),
  );
  return { url, headers, serviceName: env.OTEL_SERVICE_NAME?.trim() || 'flightdeck' };
}

const value = (v: string | number | boolean) =>
  typeof v === 'string' ? { stringValue: v } : typeof v === 'boolean' ? { boolValue: v } : Number.isInteger(v) ? { intValue: String(v) } : { doubleValue: v };
const nanos = (ms: number) => `${BigInt(Math.round(ms * 1000)) * 1000n}`;

/** One span in OTLP/JSON (ids in hex, times in nanoseconds as strings); null for a malformed traceparent. */
export function toOtlpSpan(span: SpanInput) {
  const ctx = parseTraceparent(span.traceparent);
  if (!ctx) return null;
  return {
    traceId: ctx.traceId,
    spanId: ctx.spanId,
    ...(span.parentSpanId ? { parentSpanId: span.parentSpanId } : {}),
    name: span.name,
    kind: span.kind === 'server' ? 2 : 1,
    startTimeUnixNano: nanos(span.startMs),
    endTimeUnixNano: nanos(span.endMs),
    attributes: Object.entries(span.attributes ?? {})
      .filter((e): e is [string, string | number | boolean] => e[1] !== undefined)
      .map(([key, v]) => ({ key, value: value(v) })),
    status: span.error ? { code: 2, message: span.error.slice(0, 500) } : { code: 1 },
  };
}

type Exporter = { pending: NonNullable<ReturnType<typeof toOtlpSpan>>[]; timer: NodeJS.Timeout | null; inFlight: Set<Promise<void>> };
const KEY = Symbol.for('flightdeck.tracing');
const exporter = (): Exporter => ((globalThis as { [KEY]?: Exporter })[KEY] ??= { pending: [], timer: null, inFlight: new Set() });
const MAX_BATCH = 512;
const MAX_PENDING = 10_000;

/** Queues a span when an OTLP endpoint is configured; a no-op otherwise. */
export function recordSpan(span: SpanInput): void {
  if (!configuredOtlp()) return;
  const otlp = toOtlpSpan(span);
  if (!otlp) return;
  const e = exporter();
  if (e.pending.length >= MAX_PENDING) e.pending.shift(); // a collector that is down must not grow memory
  e.pending.push(otlp);
  if (e.pending.length >= MAX_BATCH) void flushSpans();
  else if (!e.timer) {
    e.timer = setTimeout(() => void flushSpans(), 2000);
    e.timer.unref();
  }
}

/** Sends what is queued; resolves when every send so far has finished (tests, shutdown). */
export async function flushSpans(): Promise<void> {
  const e = exporter();
  if (e.timer) clearTimeout(e.timer);
  e.timer = null;
  const config = configuredOtlp();
  while (config && e.pending.length) {
    const spans = e.pending.splice(0, MAX_BATCH);
    const body = { resourceSpans: [{ resource: { attributes: [{ key: 'service.name', value: { stringValue: config.serviceName } }] }, scopeSpans: [{ scope: { name: 'flightdeck' }, spans }] }] };
    const send = fetch(config.url, { method: 'POST', headers: { 'content-type': 'application/json', ...config.headers }, body: JSON.stringify(body), signal: AbortSignal.timeout(5000) })
      .then((res) => void res.body?.cancel())
      .catch(() => {});
    e.inFlight.add(send);
    void send.finally(() => e.inFlight.delete(send));
  }
  await Promise.all([...e.inFlight]);
}
