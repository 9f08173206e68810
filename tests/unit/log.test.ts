import { describe, expect, it } from 'vitest';
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
