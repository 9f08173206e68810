import { expect, test } from '@playwright/test';
import { apiGet, signIn } from './support';

type Routing = { versions: { version: string; weight: number; role: string }[] };

test('request → approve by a second person → start → on-call rolls back from the Overview; routing serves the baseline', async ({ page, playwright, baseURL }) => {
  // CI registers a new churn-predictor version (same contract as 1.1.0-rc.1) and reports green
  // gates. (churn-predictor, because the demo simulator drives fraud-detector and search-ranker.)
  await signIn(page, 'admin', '/settings');
  const key = await page.request.post('/api/v1/api-keys', { data: { name: `ci-${Date.now()}`, roles: ['ml_lead'], scopes: ['read', 'registry'] } });
  const ci = await playwright.request.newContext({ baseURL, extraHTTPHeaders: { authorization: `Bearer ${(await key.json()).secret}` } });
  const previous = (await (await ci.get('/api/v1/models/churn-predictor/versions/1.1.0-rc.1')).json()).version;
  const version = `1.2.${Date.now() % 100000}`;
  const registered = await ci.post('/api/v1/models/churn-predictor/versions', {
    data: { version, artifactUri: `s3://ml-artifacts/churn-predictor/${version}/model.tar.gz`, artifactDigest: `sha256:${'e'.repeat(64)}`, contract: previous.contract, offlineMetrics: { auc: 0.84 } },
  });
  expect(registered.status()).toBe(201);
  for (const check of [
    { kind: 'unit', status: 'passed' },
    { kind: 'smoke', status: 'passed' },
    { kind: 'contract', status: 'passed', measurements: { breaking_changes: 0 } },
    { kind: 'quality_regression', status: 'passed', measurements: { primary_metric: 0.84 } },
    { kind: 'performance', status: 'passed', measurements: { p99_latency_ms: 15 } },
    { kind: 'safety', status: 'passed', measurements: { subgroup_gap_points: 0.6 } },
  ])
    expect((await ci.post(`/api/v1/models/churn-predictor/versions/${version}/checks`, { data: check })).status()).toBe(201);
  await ci.dispose();

  // The ML lead requests a production canary.
  await signIn(page, 'ml_lead', `/models/churn-predictor/versions/${version}`);
  await page.getByRole('button', { name: 'Request release' }).click();
  const form = page.getByRole('form', { name: 'Request release' });
  await form.getByLabel('Environment').selectOption('production');
  await form.getByLabel('Why').fill('Higher AUC, same latency');
  await form.getByRole('button', { name: 'Request' }).click();
  await expect(form.getByRole('status')).toHaveText('Release requested (waiting for approval).');
  await form.getByRole('link', { name: 'Open the release' }).click();
  await expect(page.getByRole('heading', { name: `churn-predictor ${version} in production` })).toBeVisible();
  const releaseUrl = page.url();
  // Maya may not approve (she is not a reviewer, and she requested it).
  await expect(page.getByRole('button', { name: 'Approve' })).toBeDisabled();

  // A reviewer finds it in the inbox and approves with a comment.
  await signIn(page, 'reviewer', '/releases');
  const inbox = page.getByRole('list', { name: 'Waiting for your approval' });
  await inbox.getByRole('link', { name: `churn-predictor ${version} → production` }).click();
  await page.getByRole('button', { name: 'Approve' }).click();
  const approve = page.getByRole('dialog');
  await approve.getByLabel('Comment').fill('Gates green; AUC up.');
  await approve.getByRole('button', { name: 'Approve' }).click();
  await expect(page.getByRole('status').filter({ hasText: 'Approval recorded.' })).toBeVisible();
  await expect(page.getByText('approved', { exact: true }).first()).toBeVisible();

  // The ML lead starts it: 1 % of traffic.
  await signIn(page, 'ml_lead', new URL(releaseUrl).pathname);
  await page.getByRole('button', { name: 'Start' }).click();
  await page.getByRole('dialog').getByRole('button', { name: 'Start' }).click();
  await expect(page.getByRole('status').filter({ hasText: 'Release started.' })).toBeVisible();
  const during = await apiGet<Routing>(page.request, '/api/v1/services/churn-predictor/routing?environment=production');
  expect(during.versions).toEqual([
    { version: '1.0.0', weight: 99, role: 'stable' },
    { version, weight: 1, role: 'canary' },
  ]);

  // On-call, paged: Overview → Roll back → one confirmation with a prefilled reason.
  await signIn(page, 'oncall', '/');
  const row = page.getByTestId('in-flight-churn-predictor-production');
  const dialog = page.getByRole('dialog', { name: `Roll back churn-predictor ${version} in production?` });
  // Without a reason it is refused, naming the field, and nothing changes.
  await row.getByRole('button', { name: 'Roll back' }).click();
  await dialog.getByLabel('Reason').fill('');
  await dialog.getByRole('button', { name: 'Roll back' }).click();
  await expect(row.getByRole('status')).toContainText('reason: Give a reason (it goes into the incident)');
  expect((await apiGet<Routing>(page.request, '/api/v1/services/churn-predictor/routing?environment=production')).versions).toEqual(during.versions);

  await row.getByRole('button', { name: 'Roll back' }).click();
  await expect(dialog.getByLabel('Reason')).toHaveValue(/^Rolling back churn-predictor/);
  await dialog.getByLabel('Reason').fill('Retention campaign audience doubled on the canary');
  await dialog.getByRole('button', { name: 'Roll back' }).click();
  await expect(row.getByRole('status')).toContainText('Rolled back: traffic is back on the baseline.');
  await expect(row.getByRole('link', { name: 'Incident opened' })).toBeVisible();

  const after = await apiGet<Routing>(page.request, '/api/v1/services/churn-predictor/routing?environment=production');
  expect(after.versions).toEqual([{ version: '1.0.0', weight: 100, role: 'stable' }]);
  const release = await apiGet<{ state: string; currentWeight: number; incident: { title: string } | null }>(page.request, `/api/v1/releases/${releaseUrl.split('/').pop()}`);
  expect(release).toMatchObject({ state: 'rolled_back', currentWeight: 0 });
  expect(release.incident?.title).toContain('Rollback of churn-predictor');

  // A second rollback through the API changes nothing and says so.
  const again = await page.request.post(`/api/v1/releases/${releaseUrl.split('/').pop()}/rollback`, { data: { reason: 'double click' } });
  expect(again.status()).toBe(200);
  expect(await again.json()).toMatchObject({ changed: false, release: { state: 'rolled_back' } });
});

test('routing answers 304 while the split is unchanged', async ({ page }) => {
  await signIn(page, 'viewer', '/');
  // credit-limit-advisor 3.2.0 waits for approval: production still serves 3.1.0 alone.
  const first = await page.request.get('/api/v1/services/credit-limit-advisor/routing?environment=production');
  expect(first.status()).toBe(200);
  const etag = first.headers()['etag']!;
  expect((await first.json()).versions).toEqual([{ version: '3.1.0', weight: 100, role: 'stable' }]);
  const second = await page.request.get('/api/v1/services/credit-limit-advisor/routing?environment=production', { headers: { 'if-none-match': etag } });
  expect(second.status()).toBe(304);
});
