import { spawn } from 'node:child_process';
import { expect, test } from '@playwright/test';
import { apiGet, signIn } from './support';

/** Runs the command-line client against the server under test, as a pipeline step would. */
function cli(args: string[], env: Record<string, string>) {
  return new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve) => {
    const child = spawn(process.execPath, ['cli/flightdeck.mjs', ...args], { env: { ...process.env, ...env } });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

test('a pipeline registers, reports checks and requests a staging release with the CLI; waiting on a bad canary exits non-zero', async ({ page, baseURL }) => {
  test.setTimeout(180_000);
  await signIn(page, 'admin', '/settings');
  const key = await page.request.post('/api/v1/api-keys', { data: { name: `pipeline-${Date.now()}`, roles: ['ml_lead'], scopes: ['read', 'registry', 'releases'] } });
  const env = { FLIGHTDECK_URL: baseURL!, FLIGHTDECK_API_KEY: ((await key.json()) as { secret: string }).secret };

  // The CI recipe's steps, against the real server.
  const version = `1.0.${Date.now() % 100000}`;
  const registered = await cli(['register', 'examples/model.json', '--create-model', '--owner-team', 'risk-ml', '--set', `version=${version}`], env);
  expect(registered.code, registered.stderr).toBe(0);
  for (const kind of ['unit', 'smoke']) expect((await cli(['check', 'loan-default', version, '--kind', kind, '--status', 'passed'], env)).code).toBe(0);
  const released = await cli(['release', 'loan-default', version, '--environment', 'staging', '--json'], env);
  expect(released.code, released.stderr).toBe(0);
  const release = JSON.parse(released.stdout) as { id: string; state: string };
  expect((await apiGet<{ state: string; version: string }>(page.request, `/api/v1/releases/${release.id}`)).version).toBe(version);

  // Errors are clear: the server's answer (exit 1), or the usage when the command line is wrong (exit 64).
  const missing = await cli(['check', 'loan-default', '9.9.9', '--kind', 'unit', '--status', 'passed'], env);
  expect(missing.code).toBe(1);
  expect(missing.stderr).toContain('9.9.9');
  expect((await cli(['check', 'loan-default', version, '--kind', 'unit', '--status', 'maybe'], env)).code).toBe(64);

  // A bad canary (the demo simulator makes search-ranker 2.5.0 fail): `wait` exits 1 when the controller rolls it back.
  await expect.poll(async () => (await apiGet<{ items: unknown[] }>(page.request, '/api/v1/releases?model=search-ranker&environment=production&state=running')).items.length, { timeout: 60_000 }).toBe(0);
  const requested = await page.request.post('/api/v1/releases', {
    headers: { authorization: `Bearer ${env.FLIGHTDECK_API_KEY}` },
    data: { model: 'search-ranker', version: '2.5.0', environment: 'production', strategy: 'canary', reason: 'pipeline', plan: [{ weight: 25, holdSeconds: 60, analysisRequired: true }, { weight: 100 }] },
  });
  expect(requested.status()).toBe(201);
  const canary = (await requested.json()) as { id: string };
  await signIn(page, 'reviewer', '/releases');
  expect((await page.request.post(`/api/v1/releases/${canary.id}/approve`, { data: { comment: 'let the pipeline decide' } })).status()).toBe(200);
  const waited = await cli(['wait', canary.id, '--start', '--timeout', '150s', '--interval', '2s'], env);
  expect(waited.code, waited.stderr).toBe(1);
  expect(waited.stdout + waited.stderr).toMatch(/rolled.back/i);
});
