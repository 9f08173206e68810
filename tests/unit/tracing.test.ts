import { describe, expect, it } from 'vitest';
import { configuredOtlp, toOtlpSpan } from '@/lib/server/observability/tracing';

describe('configuredOtlp', () => {
  it('is off without an endpoint, or with OTEL_TRACES_EXPORTER=none', () => {
    expect(configuredOtlp({})).toBeNull();
    expect(configuredOtlp({ OTEL_EXPORTER_OTLP_ENDPOINT: 'http://collector:4318', OTEL_TRACES_EXPORTER: 'none' })).toBeNull();
  });

  it('appends /v1/traces to the base endpoint; a traces endpoint is used as given; headers are decoded', () => {
    expect(configuredOtlp({ OTEL_EXPORTER_OTLP_ENDPOINT: 'http://collector:4318/', OTEL_EXPORTER_OTLP_HEADERS: 'x-api-key=abc%3D%3D, tenant = ml' })).toEqual({
      url: 'http://collector:4318/v1/traces',
      headers: { 'x-api-key': 'abc==', tenant: 'ml' },
      serviceName: 'flightdeck',
    });
    expect(configuredOtlp({ OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: 'https://otel.example/ingest', OTEL_SERVICE_NAME: 'flightdeck-eu' })).toMatchObject({ url: 'https://otel.example/ingest', serviceName: 'flightdeck-eu' });
  });
});

describe('toOtlpSpan', () => {
  const traceparent = '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01';

  it('writes hex ids, nanosecond strings, typed attributes and the status', () => {
    expect(
      toOtlpSpan({ traceparent, parentSpanId: '1111111111111111', name: 'GET /api/v1/models/[name]', kind: 'server', startMs: 1_700_000_000_000.5, endMs: 1_700_000_000_012, attributes: { 'http.response.status_code': 200, 'http.route': '/api/v1/models/[name]', ratio: 0.5, cached: false, skipped: undefined } }),
    ).toEqual({
      traceId: '4bf92f3577b34da6a3ce929d0e0e4736',
      spanId: '00f067aa0ba902b7',
      parentSpanId: '1111111111111111',
      name: 'GET /api/v1/models/[name]',
      kind: 2,
      startTimeUnixNano: '1700000000000500000',
      endTimeUnixNano: '1700000000012000000',
      attributes: [
        { key: 'http.response.status_code', value: { intValue: '200' } },
        { key: 'http.route', value: { stringValue: '/api/v1/models/[name]' } },
        { key: 'ratio', value: { doubleValue: 0.5 } },
        { key: 'cached', value: { boolValue: false } },
      ],
      status: { code: 1 },
    });
  });

  it('marks an error, and gives up on a malformed traceparent', () => {
    expect(toOtlpSpan({ traceparent, name: 'controller.step', kind: 'internal', startMs: 0, endMs: 1, error: 'boom' })).toMatchObject({ kind: 1, status: { code: 2, message: 'boom' } });
    expect(toOtlpSpan({ traceparent: 'nope', name: 'x', kind: 'internal', startMs: 0, endMs: 1 })).toBeNull();
  });
});
