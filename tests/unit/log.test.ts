import { describe, expect, it, vi } from 'vitest';
import { formatLogLine } from '@/lib/server/log';

const at = new Date('2026-11-27T01:00:00.000Z');

describe('formatLogLine', () => {
  it('writes one JSON object per line with time, level, message and fields', () => {
    const line = formatLogLine('error', 'controller tick failed', { requestId: 'req-1', traceId: 'abc', durationMs: 12, leader: true, skipped: undefined }, true, at);
    expect(JSON.parse(line)).toEqual({ time: '2026-11-27T01:00:00.000Z', level: 'error', msg: 'controller tick failed', requestId: 'req-1', traceId: 'abc', durationMs: 12, leader: true });
    expect(line).not.toContain('\n');
  });

  it('writes key=value text for people, quoting values with spaces', () => {
    expect(formatLogLine('info', 'request', { method: 'GET', route: '/api/v1/models/[name]', status: 200, actor: 'api-key:ci bot' }, false, at)).toBe(
      'flightdeck: request method=GET route=/api/v1/models/[name] status=200 actor="api-key:ci bot"',
    );
  });

  it('scrubs secrets from the message and from string fields in both formats', () => {
    for (const asJson of [true, false]) {
      const line = formatLogLine('error', 'connect postgres://fd:hunter2@db/x failed', { header: 'Bearer fd_abcdefghijklmnop' }, asJson, at);
      expect(line).not.toContain('hunter2');
      expect(line).not.toContain('fd_abcdefghijklmnop');
      expect(line).toContain('[redacted]');
    }
  });
});

describe('reportUnexpected', () => {
  it('logs the failed statement and its cause, never the bound parameters (a new user row holds a bcrypt hash)', async () => {
    const { reportUnexpected } = await import('@/lib/server/observability/report-unexpected');
    const hash = '$2b$10$Owrxx3wOmJhH09Qhg8mYdukzmu96Zof6dHtZM/P2t1ja6nvfWRNQK';
    const error = new Error(`Failed query: insert into "users" ("email", "password_hash") values ($1, $2)\nparams: ada@example.com,${hash}`, {
      cause: new Error('duplicate key value violates unique constraint "users_email_unique"'),
    });
    const lines: string[] = [];
    const spy = vi.spyOn(console, 'error').mockImplementation((line: unknown) => void lines.push(String(line)));
    try {
      reportUnexpected(error, { where: 'api', requestId: 'req-9', method: 'POST', route: '/api/v1/users' });
    } finally {
      spy.mockRestore();
    }
    const text = lines.join('\n');
    expect(text).toContain('Failed query: insert into');
    expect(text).toContain('users_email_unique');
    expect(text).toContain('req-9');
    expect(text).not.toContain(hash);
    expect(text).not.toContain('ada@example.com');
  });
});
