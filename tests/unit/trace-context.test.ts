import { describe, expect, it } from 'vitest';
import { childSpan, continueTrace, formatTraceparent, parseTraceparent } from '@/lib/domain/trace-context';

const TRACE = '4bf92f3577b34da6a3ce929d0e0e4736';
const SPAN = '00f067aa0ba902b7';

describe('W3C traceparent', () => {
  it('parses the spec’s example and formats it back', () => {
    const ctx = parseTraceparent(`00-${TRACE}-${SPAN}-01`);
    expect(ctx).toEqual({ traceId: TRACE, spanId: SPAN, flags: '01' });
    expect(formatTraceparent(ctx!)).toBe(`00-${TRACE}-${SPAN}-01`);
  });

  it('accepts upper case and surrounding spaces, and future versions with more fields', () => {
    expect(parseTraceparent(`  00-${TRACE.toUpperCase()}-${SPAN}-00 `)).toEqual({ traceId: TRACE, spanId: SPAN, flags: '00' });
    expect(parseTraceparent(`01-${TRACE}-${SPAN}-01-extra`)).toEqual({ traceId: TRACE, spanId: SPAN, flags: '01' });
  });

  it.each([
    ['missing', undefined],
    ['empty', ''],
    ['version ff', `ff-${TRACE}-${SPAN}-01`],
    ['version 00 with extra fields', `00-${TRACE}-${SPAN}-01-x`],
    ['all-zero trace id', `00-${'0'.repeat(32)}-${SPAN}-01`],
    ['all-zero span id', `00-${TRACE}-${'0'.repeat(16)}-01`],
    ['short trace id', `00-${TRACE.slice(1)}-${SPAN}-01`],
    ['not hex', `00-${TRACE.replace('4', 'g')}-${SPAN}-01`],
    ['injection', `00-${TRACE}-${SPAN}-01\r\nx: y`],
  ])('refuses %s', (_, header) => {
    expect(parseTraceparent(header)).toBeNull();
  });

  it('a child keeps the trace and the sampling flag, with a new span id', () => {
    const parent = { traceId: TRACE, spanId: SPAN, flags: '00' };
    const child = childSpan(parent);
    expect(child.traceId).toBe(TRACE);
    expect(child.flags).toBe('00');
    expect(child.spanId).toMatch(/^[0-9a-f]{16}$/);
    expect(child.spanId).not.toBe(SPAN);
  });

  it('continueTrace starts a new sampled trace for a missing or malformed header', () => {
    const fresh = parseTraceparent(continueTrace('garbage'))!;
    expect(fresh.traceId).toMatch(/^[0-9a-f]{32}$/);
    expect(fresh.traceId).not.toBe(TRACE);
    expect(fresh.flags).toBe('01');
    expect(new Set(Array.from({ length: 50 }, () => continueTrace(null))).size).toBe(50);
    expect(parseTraceparent(continueTrace(`00-${TRACE}-${SPAN}-01`))!.traceId).toBe(TRACE);
  });

  // Ids are cut from a 4 KB pool of random bytes: past several refills they stay well formed and distinct.
  it('draws distinct ids across refills of the random pool', () => {
    const traces = Array.from({ length: 2000 }, () => parseTraceparent(continueTrace(null))!);
    expect(traces.every((t) => /^[0-9a-f]{32}$/.test(t.traceId) && /^[0-9a-f]{16}$/.test(t.spanId))).toBe(true);
    expect(new Set(traces.map((t) => t.traceId)).size).toBe(2000);
    expect(new Set(traces.map((t) => t.spanId)).size).toBe(2000);
  });
});
