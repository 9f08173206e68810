import { expect, test, type APIRequestContext } from '@playwright/test';
import { apiGet, signIn } from './support';

const digest = (c: string) => `sha256:${c.repeat(64)}`;
const contract = (inputs: { name: string; type: string; required?: boolean }[]) => ({
  inputs,
  outputs: [{ name: 'score', type: 'float', range: { min: 0, max: 1 } }],
});

async function ciKey(request: APIRequestContext): Promise<string> {
  const response = await request.post('/api/v1/api-keys', { data: { name: `ci-${Date.now()}`, roles: ['ml_lead'], scopes: ['read', 'registry'] } });
  expect(response.status()).toBe(201);
  return (await response.json()).secret;
}

test('CI registers a version and reports its checks; the version page turns deployable', async ({ page, playwright, baseURL }) => {
  const model = `eta-${Date.now().toString(36)}`;
  await signIn(page, 'admin', '/settings');
  const secret = await ciKey(page.request);
  // From here on, exactly what a CI job does: a bearer key and JSON, no browser session.
  const ci = await playwright.request.newContext({ baseURL, extraHTTPHeaders: { authorization: `Bearer ${secret}` } });

  expect((await ci.post('/api/v1/models', { data: { name: model, ownerTeam: 'logistics-ml' } })).status()).toBe(201);
  const payload = {
    version: '1.0.0',
    artifactUri: `s3://artifacts/${model}/1.0.0/model.onnx`,
    artifactDigest: digest('a'),
    gitCommit: 'c0ffee1',
    dataSnapshotId: 'snap-2026-11-20',
    offlineMetrics: { mae_minutes: 4.2 },
    contract: contract([{ name: 'distance_km', type: 'float' }, { name: 'hour', type: 'integer' }]),
  };
  const registered = await ci.post(`/api/v1/models/${model}/versions`, { data: payload });
  expect(registered.status()).toBe(201);
  expect((await ci.post(`/api/v1/models/${model}/versions`, { data: payload })).status()).toBe(200);
  const understated = await ci.post(`/api/v1/models/${model}/versions`, {
    data: { ...payload, version: '1.1.0', artifactDigest: digest('b'), contract: contract([{ name: 'distance_km', type: 'float' }]) },
  });
  expect(understated.status()).toBe(422);
  expect(Object.keys((await understated.json()).error.details.fields)).toEqual(expect.arrayContaining(['version', 'contract.inputs.hour']));

  await signIn(page, 'ml_lead', `/models/${model}/versions/1.0.0`);
  const production = page.getByRole('region', { name: 'Deployability' });
  await expect(production.getByText('blocked for production')).toBeVisible();
  await expect(page.getByRole('list', { name: 'Unmet gates for production' })).toContainText('unit: no result reported yet');

  const checks = [
    { kind: 'unit', status: 'passed', measurements: { tests: 120, failures: 0 } },
    { kind: 'smoke', status: 'passed', measurements: { requests: 50, errors: 0 } },
    { kind: 'contract', status: 'passed', measurements: { breaking_changes: 0 } },
    { kind: 'quality_regression', status: 'passed', measurements: { primary_metric: 0.91 } },
    { kind: 'performance', status: 'running', measurements: {} },
    { kind: 'safety', status: 'passed', measurements: { subgroup_gap_points: 1.2 } },
  ];
  for (const check of checks) expect((await ci.post(`/api/v1/models/${model}/versions/1.0.0/checks`, { data: check })).status()).toBe(201);
  await page.reload();
  await expect(page.getByRole('list', { name: 'Unmet gates for production' })).toHaveText('✗ performance: still running');

  const done = await ci.post(`/api/v1/models/${model}/versions/1.0.0/checks`, { data: { kind: 'performance', status: 'passed', measurements: { p99_latency_ms: 35 } } });
  expect(done.status()).toBe(200);
  await page.reload();
  await expect(production.getByText('deployable to production')).toBeVisible();
  await expect(production.getByText('deployable to staging')).toBeVisible();

  const stored = await apiGet<{ deployability: { environment: string; deployable: boolean }[] }>(page.request, `/api/v1/models/${model}/versions/1.0.0`);
  expect(stored.deployability.map((d) => [d.environment, d.deployable])).toEqual([
    ['staging', true],
    ['production', true],
  ]);
  const audit = await apiGet<{ items: { action: string; actorName: string; after: { model?: string } }[] }>(page.request, '/api/v1/audit?limit=50');
  const ours = audit.items.filter((e) => e.after?.model === model);
  // One registration (the identical re-post and the refused one wrote nothing) and seven check reports.
  expect(ours.map((e) => e.action).sort()).toEqual(['version.register', ...Array(7).fill('check.report')].sort());
  for (const event of ours) expect(event.actorName).toMatch(/^api-key:ci-/);
  await ci.dispose();
});

test('an ML lead registers a version by hand and sees a refused bump explained', async ({ page }) => {
  await signIn(page, 'ml_lead', '/models/fraud-detector');
  await page.getByRole('button', { name: 'Register version' }).click();
  const form = page.getByRole('form', { name: 'Register version' });
  await form.getByLabel('Version', { exact: true }).fill('1.2.1');
  await form.getByLabel('Artifact URI').fill('s3://ml-artifacts/fraud-detector/1.2.1/model.tar.gz');
  await form.getByLabel('Artifact digest').fill(digest('c'));
  // 1.2.0 takes six inputs; dropping "amount" is breaking, and a PATCH bump understates it.
  await form.getByLabel('Contract (JSON)').fill(JSON.stringify(contract([{ name: 'country', type: 'string' }])));
  await form.getByRole('button', { name: 'Register' }).click();
  await expect(form.getByRole('alert')).toContainText('needs a MAJOR bump');
  await expect(form).toContainText('contract.inputs.amount');

  await form.getByLabel('Version', { exact: true }).fill('2.0.0');
  await form.getByRole('button', { name: 'Register' }).click();
  await expect(form.getByRole('status')).toHaveText('Registered fraud-detector 2.0.0.');
  await form.getByRole('link', { name: 'Open 2.0.0' }).click();
  await expect(page.getByRole('heading', { name: 'fraud-detector 2.0.0' })).toBeVisible();
  await expect(page.getByText('contract change against 1.2.0: breaking')).toBeVisible();
});

test('a viewer sees why a version is blocked but cannot register one', async ({ page }) => {
  await signIn(page, 'viewer', '/models/churn-predictor/versions/1.1.0-rc.1');
  await expect(page.getByRole('list', { name: 'Unmet gates for production' })).toContainText('quality_regression: primary_metric 0.829 is below');
  await page.goto('/models/search-ranker/versions/2.4.1');
  await expect(page.getByText('Input "in_stock" now rejects null')).toBeVisible();
  await page.goto('/models/fraud-detector');
  await expect(page.getByRole('button', { name: 'Register version' })).toBeDisabled();
  const refused = await page.request.post('/api/v1/models/fraud-detector/versions', { data: { version: '9.0.0', artifactUri: 's3://x/y', artifactDigest: digest('d') } });
  expect(refused.status()).toBe(403);
});
