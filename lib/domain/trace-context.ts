import { randomFillSync } from 'node:crypto';

/**
 * W3C Trace Context (https://www.w3.org/TR/trace-context/): `traceparent` is
 * `00-<32 hex trace id>-<16 hex parent span id>-<2 hex flags>`. Flightdeck continues the trace a
 * caller of /api/v1 started (a CI job, a GitOps controller), keeps it on the release, and carries
 * it into the controller's later steps and the webhooks they send, so one trace id links the
 * pipeline run to every automatic decision about that release.
 */
export type TraceContext = { traceId: string; spanId: string; flags: string };

const TRACEPARENT = /^([0-9a-f]{2})-([0-9a-f]{32})-([0-9a-f]{16})-([0-9a-f]{2})(-.*)?$/;

/** The caller's context, or null for anything malformed (the spec: then start a new trace). */
export function parseTraceparent(header: string | null | undefined): TraceContext | null {
  const m = TRACEPARENT.exec((header ?? '').trim().toLowerCase());
  if (!m) return null;
  const [, version, traceId, spanId, flags, rest] = m;
  // Version ff is invalid; version 00 has exactly four fields; future versions may append more.
  if (version === 'ff' || (version === '00' && rest !== undefined)) return null;
  if (/^0+$/.test(traceId!) || /^0+$/.test(spanId!)) return null;
  return { traceId: traceId!, spanId: spanId!, flags: flags! };
}

export function formatTraceparent(ctx: TraceContext): string {
  return `00-${ctx.traceId}-${ctx.spanId}-${ctx.flags}`;
}

// Every request takes a span id (and often a trace id): drawn from a pool refilled 4 KB at a
// time, one call into OpenSSL per ~170 requests instead of two per request (crypto.randomUUID
// caches its entropy the same way). The routing endpoint spent 3 % of its CPU here.
const pool = Buffer.alloc(4096);
let used = pool.length;

const nonZeroHex = (bytes: number): string => {
  for (;;) {
    if (used + bytes > pool.length) {
      randomFillSync(pool);
      used = 0;
    }
    const hex = pool.toString('hex', used, (used += bytes));
    if (!/^0+$/.test(hex)) return hex;
  }
};

/** A span of our own under `parent` (same trace, new span id, the parent's sampling flag), or a new sampled trace. */
export function childSpan(parent: TraceContext | null): TraceContext {
  return parent ? { traceId: parent.traceId, spanId: nonZeroHex(8), flags: parent.flags } : { traceId: nonZeroHex(16), spanId: nonZeroHex(8), flags: '01' };
}

/** traceparent in, our child traceparent out (a new trace when the input is missing or malformed). */
export function continueTrace(header: string | null | undefined): string {
  return formatTraceparent(childSpan(parseTraceparent(header)));
}
