import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';

/**
 * A bad configuration or an unreachable database must end the process with one readable line
 * and a non-zero exit code — not a stack trace. `npm run admin -- migrate` runs the very start-up
 * path the server runs (lib/server/startup.ts), so it is what we exercise here.
 */
function start(env: Record<string, string>) {
  const result = spawnSync('npx', ['tsx', '--conditions=react-server', 'scripts/admin.ts', 'migrate'], {
    env: { ...process.env, FLIGHTDECK_DATA_DIR: 'memory://', ...env },
    encoding: 'utf8',
    timeout: 60_000,
  });
  return { status: result.status, stderr: result.stderr.trim(), stdout: result.stdout.trim() };
}

describe('start-up failures', () => {
  it('a malformed DATABASE_URL', () => {
    const { status, stderr } = start({ DATABASE_URL: 'not a url' });
    expect(status).toBe(1);
    expect(stderr).toBe('flightdeck: DATABASE_URL: is not a URL; expected postgres://user:password@host:5432/database');
  });

  it('a database that cannot be reached', () => {
    const { status, stderr } = start({ DATABASE_URL: 'postgres://someone:secret@127.0.0.1:1/nowhere' });
    expect(status).toBe(1);
    expect(stderr.split('\n')).toHaveLength(1);
    expect(stderr).toMatch(/^flightdeck: cannot reach Postgres at 127\.0\.0\.1:1\/nowhere: .*ECONNREFUSED/);
    expect(stderr).not.toContain('secret');
  });

  it('an invalid setting names the variable', () => {
    const { status, stderr } = start({ PORT: 'eighty' });
    expect(status).toBe(1);
    expect(stderr).toBe('flightdeck: PORT: expected a port number between 1 and 65535, got "eighty"');
  });

  it('a Prometheus URL that is not http(s) names the variable', () => {
    const { status, stderr } = start({ FLIGHTDECK_PROMETHEUS_URL: 'ftp://metrics.example' });
    expect(status).toBe(1);
    expect(stderr).toMatch(/^flightdeck: FLIGHTDECK_PROMETHEUS_URL must be an http\(s\) URL/);
    expect(stderr.split('\n')).toHaveLength(1);
  });

  it.each([
    [{ FLIGHTDECK_MLFLOW_URL: 'mlflow:5000' }, /^flightdeck: FLIGHTDECK_MLFLOW_URL must be an http\(s\) URL/],
    [{ FLIGHTDECK_MLFLOW_URL: 'http://mlflow:5000', FLIGHTDECK_MLFLOW_SYNC_SECONDS: '5' }, /^flightdeck: FLIGHTDECK_MLFLOW_SYNC_SECONDS must be 0/],
    [{ FLIGHTDECK_MLFLOW_URL: 'http://mlflow:5000', FLIGHTDECK_MLFLOW_SYNC_SECONDS: 'hourly' }, /^flightdeck: FLIGHTDECK_MLFLOW_SYNC_SECONDS must be 0/],
    [{ FLIGHTDECK_MLFLOW_WEBHOOK_SECRET: 'a-secret-long-enough' }, /^flightdeck: FLIGHTDECK_MLFLOW_WEBHOOK_SECRET is set but FLIGHTDECK_MLFLOW_URL is not/],
    [{ FLIGHTDECK_MLFLOW_URL: 'http://mlflow:5000', FLIGHTDECK_MLFLOW_WEBHOOK_SECRET: 'short' }, /^flightdeck: FLIGHTDECK_MLFLOW_WEBHOOK_SECRET must be at least 16 characters/],
    [{ SENTRY_DSN: 'https://sentry.example/12' }, /^flightdeck: SENTRY_DSN must look like/],
  ])('a bad integration setting %j stops start-up in one line', (env, message) => {
    const { status, stderr } = start(env);
    expect(status).toBe(1);
    expect(stderr).toMatch(message);
    expect(stderr.split('\n')).toHaveLength(1);
  });

  it('a good configuration migrates and reports where', () => {
    const { status, stdout } = start({});
    expect(status).toBe(0);
    expect(stdout).toContain('flightdeck: database ready on embedded PGlite (memory://)');
  });
});
