import { describe, expect, it } from 'vitest';
import { configuredSentry, scrubSecrets, sentryEnvelope } from '@/lib/server/observability/error-reporter';

describe('SENTRY_DSN', () => {
  it('is off when unset or empty', () => {
    expect(configuredSentry({})).toBeNull();
    expect(configuredSentry({ SENTRY_DSN: '  ' })).toBeNull();
  });

  it('gives the envelope endpoint of the project, with a path prefix kept', () => {
    expect(configuredSentry({ SENTRY_DSN: 'https://abc123@o1.ingest.sentry.io/4505', NODE_ENV: 'production' })).toEqual({
      envelopeUrl: 'https://o1.ingest.sentry.io/api/4505/envelope/',
      publicKey: 'abc123',
      dsn: 'https://abc123@o1.ingest.sentry.io/4505',
      environment: 'production',
    });
    expect(configuredSentry({ SENTRY_DSN: 'http://k@127.0.0.1:9000/sentry/7', SENTRY_ENVIRONMENT: 'staging', SENTRY_RELEASE: 'fd@1.2' })).toMatchObject({
      envelopeUrl: 'http://127.0.0.1:9000/sentry/api/7/envelope/',
      environment: 'staging',
      release: 'fd@1.2',
    });
  });

  it.each(['not a url', 'ftp://k@host/1', 'https://host/1', 'https://k@host/', 'https://k@host/project'])('refuses %s in one line without echoing it', (dsn) => {
    expect(() => configuredSentry({ SENTRY_DSN: dsn })).toThrow(/^SENTRY_DSN (is not a URL|must look like)/);
    try {
      configuredSentry({ SENTRY_DSN: dsn });
    } catch (error) {
      expect((error as Error).message).not.toContain(dsn);
    }
  });
});

describe('the envelope', () => {
  const target = configuredSentry({ SENTRY_DSN: 'https://pub@sentry.example/42', SENTRY_RELEASE: 'flightdeck@0.1.0' })!;

  it('is three JSON lines: header, item header, event with the stack (oldest frame first) and the trace', () => {
    const error = new TypeError('cannot read x');
    const { eventId, body } = sentryEnvelope(target, error, { where: 'api', requestId: 'req-1', route: '/api/v1/models/[name]', method: 'GET', traceparent: '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01' }, new Date('2026-11-27T00:00:00Z'));
    const lines = body.trimEnd().split('\n').map((l) => JSON.parse(l));
    expect(lines).toHaveLength(3);
    expect(lines[0]).toEqual({ event_id: eventId, sent_at: '2026-11-27T00:00:00.000Z', dsn: target.dsn, trace: { trace_id: '4bf92f3577b34da6a3ce929d0e0e4736', public_key: 'pub' } });
    expect(lines[1]).toEqual({ type: 'event' });
    expect(lines[2]).toMatchObject({
      event_id: eventId,
      timestamp: Date.parse('2026-11-27T00:00:00Z') / 1000,
      platform: 'node',
      level: 'error',
      release: 'flightdeck@0.1.0',
      transaction: 'GET /api/v1/models/[name]',
      tags: { where: 'api', request_id: 'req-1' },
      exception: { values: [{ type: 'TypeError', value: 'cannot read x' }] },
      contexts: { trace: { trace_id: '4bf92f3577b34da6a3ce929d0e0e4736', span_id: '00f067aa0ba902b7' } },
    });
    const frames = lines[2].exception.values[0].stacktrace.frames as { filename: string; function: string }[];
    expect(frames.length).toBeGreaterThan(0);
    expect(frames.at(-1)!.filename).toContain('error-reporter.test.ts'); // the throwing frame is last
    expect(eventId).toMatch(/^[0-9a-f]{32}$/);
  });

  it('reports a thrown non-error too', () => {
    const event = JSON.parse(sentryEnvelope(target, 'just a string', { where: 'controller' }).body.split('\n')[2]!);
    expect(event.exception.values[0]).toMatchObject({ type: 'Error', value: 'just a string' });
    expect(event.contexts).toBeUndefined();
  });
});

describe('scrubSecrets', () => {
  it.each([
    ['connect to postgres://flightdeck:s3cret@db:5432/app failed', 'connect to postgres://flightdeck:[redacted]@db:5432/app failed'],
    ['sent Authorization: Bearer fd_live_abcdefghijkl', 'sent Authorization: Bearer [redacted]'],
    ['key fd_abcdefghijklmnop leaked', 'key fd_[redacted] leaked'],
    ['key fdk_abcdefghijklmnopqrstuvwx leaked', 'key fdk_[redacted] leaked'],
    ['secret whsec_AbC123', 'secret whsec_[redacted]'],
    ['Failed query: insert into "users" ("email", "password_hash") values ($1, $2)\nparams: a@b.c,$2b$10$abc\n    at x (y.js:1:1)', 'Failed query: insert into "users" ("email", "password_hash") values ($1, $2)\nparams: [redacted]\n    at x (y.js:1:1)'],
    ['hash $2b$10$Owrxx3wOmJhH09Qhg8mYdukzmu96Zof6dHtZM/P2t1ja6nvfWRNQK here', 'hash [redacted bcrypt hash] here'],
    ['nothing secret here: http://host/path', 'nothing secret here: http://host/path'],
  ])('%s', (input, expected) => {
    expect(scrubSecrets(input)).toBe(expected);
  });
});
