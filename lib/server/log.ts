import { scrubSecrets } from './observability/error-reporter';

/**
 * Server logs: one JSON object per line in production (or FLIGHTDECK_LOG_FORMAT=json) for the log
 * pipeline, `flightdeck: message key=value` otherwise for people. Every line of request work
 * carries requestId and traceId; messages and string fields are scrubbed of secrets.
 */
export type LogLevel = 'info' | 'warn' | 'error';
export type LogFields = Record<string, string | number | boolean | null | undefined>;

const json = () => (process.env.FLIGHTDECK_LOG_FORMAT ?? (process.env.NODE_ENV === 'production' ? 'json' : 'text')) === 'json';

export function formatLogLine(level: LogLevel, message: string, fields: LogFields, asJson: boolean, now = new Date()): string {
  const clean = Object.fromEntries(Object.entries(fields).filter(([, v]) => v !== undefined).map(([k, v]) => [k, typeof v === 'string' ? scrubSecrets(v) : v]));
  if (asJson) return JSON.stringify({ time: now.toISOString(), level, msg: scrubSecrets(message), ...clean });
  const pairs = Object.entries(clean).map(([k, v]) => `${k}=${typeof v === 'string' && /\s/.test(v) ? JSON.stringify(v) : v}`);
  return `flightdeck: ${scrubSecrets(message)}${pairs.length ? ` ${pairs.join(' ')}` : ''}`;
}

export function log(level: LogLevel, message: string, fields: LogFields = {}): void {
  const line = formatLogLine(level, message, fields, json());
  if (level === 'info') console.log(line);
  else console.error(line);
}

/** An error's message (and, in text mode, nothing more: stacks go to Sentry when configured). */
export const errorText = (error: unknown): string => (error instanceof Error ? error.message : String(error));

/** Access lines for /api/v1 (FLIGHTDECK_ACCESS_LOG=1): off by default, since a router polling every second would fill the log. */
export const accessLogEnabled = () => process.env.FLIGHTDECK_ACCESS_LOG === '1';
