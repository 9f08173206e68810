import { expect, test } from '@playwright/test';
import { apiGet, signIn } from './support';

type Routing = { versions: { version: string; weight: number; role: string }[] };

test('request → approve by a second person → start → on-call rolls back from the Overview; routing serves the baseline', async ({ page, playwright, baseURL }) => {
  // CI registers search-ranker 2.5.0 (same contract as 2.4.1) and reports green gates.
  await signIn(page, 'admin', '/settings');
  const key = await page.request.post('/api/v1/api-keys', { data: { name: `ci-${Date.now()}`, roles: ['ml_lead'], scopes: ['read', 'registry'] } });
  const ci = await playwright.request.newContext({ baseURL, extraHTTPHeaders: { authorization: `Bearer ${(await key.json()).secret}` } });
  const previous = (await (await ci.get('/api/v1/models/search-ranker/versions/2.4.1')).json()).version;
  const version = `2.5.${Date.now() % 100000}`;
  const registered = await ci.post('/api/v1/models/search-ranker/versions', {
    data: { version, artifactUri: `s3://ml-artifacts/search-ranker/${version}/model.tar.gz`, artifactDigest: `sha256:${'e'.repeat(64)}`, contract: previous.contract, offlineMetrics: { ndcg_at_10: 0.46 } },
  });
  expect(registered.status()).toBe(201);
  for (const check of [
    { kind: 'unit', status: 'passed' },
    { kind: 'smoke', status: 'passed' },
    { kind: 'contract', status: 'passed', measurements: { breaking_changes: 0 } },
    { kind: 'quality_regression', status: 'passed', measurements: { primary_metric: 0.46 } },
    { kind: 'performance', status: 'passed', measurements: { p99_latency_ms: 60 } },
    { kind: 'safety', status: 'passed', measurements: { subgroup_gap_points: 0.6 } },
  ])
    expect((await ci.post(`/api/v1/models/search-ranker/versions/${version}/checks`, { data: check })).status()).toBe(201);
  await ci.dispose();

  // The ML lead requests a production canary.
  await signIn(page, 'ml_lead', `/models/search-ranker/versions/${version}`);
  await page.getByRole('button', { name: 'Request release' }).click();
  const form = page.getByRole('form', { name: 'Request release' });
  await form.getByLabel('Environment').selectOption('production');
  await form.getByLabel('Why').fill('Higher nDCG, same latency');
  await form.getByRole('button', { name: 'Request' }).click();
  await expect(form.getByRole('status')).toHaveText('Release requested (waiting for approval).');
  await form.getByRole('link', { name: 'Open the release' }).click();
  await expect(page.getByRole('heading', { name: `search-ranker ${version} in production` })).toBeVisible();
  const releaseUrl = page.url();
  // Maya may not approve (she is not a reviewer, and she requested it).
  await expect(page.getByRole('button', { name: 'Approve' })).toBeDisabled();

  // A reviewer finds it in the inbox and approves with a comment.
  await signIn(page, 'reviewer', '/releases');
  const inbox = page.getByRole('list', { name: 'Waiting for your approval' });
  await inbox.getByRole('link', { name: `search-ranker ${version} → production` }).click();
  await page.getByRole('button', { name: 'Approve' }).click();
  const approve = page.getByRole('dialog');
  await approve.getByLabel('Comment').fill('Gates green; nDCG up.');
  await approve.getByRole('button', { name: 'Approve' }).click();
  await expect(page.getByRole('status').filter({ hasText: 'Approval recorded.' })).toBeVisible();
  await expect(page.getByText('approved', { exact: true }).first()).toBeVisible();

  // The ML lead starts it: 1 % of traffic.
  await signIn(page, 'ml_lead', new URL(releaseUrl).pathname);
  await page.getByRole('button', { name: 'Start' }).click();
  await page.getByRole('dialog').getByRole('button', { name: 'Start' }).click();
  await expect(page.getByRole('status').filter({ hasText: 'Release started.' })).toBeVisible();
  const during = await apiGet<Routing>(page.request, '/api/v1/services/search-ranker/routing?environment=production');
  expect(during.versions).toEqual([
    { version: '2.4.0', weight: 99, role: 'stable' },
    { version, weight: 1, role: 'canary' },
  ]);

  // On-call, paged: Overview → Roll back → one confirmation with a prefilled reason.
  await signIn(page, 'oncall', '/');
  const row = page.getByTestId('in-flight-search-ranker');
  await row.getByRole('button', { name: 'Roll back' }).click();
  const dialog = page.getByRole('dialog', { name: `Roll back search-ranker ${version} in production?` });
  await expect(dialog.getByLabel('Reason')).toHaveValue(/^Rolling back search-ranker/);
  await dialog.getByLabel('Reason').fill('Add-to-cart dropped on the canary');
  await dialog.getByRole('button', { name: 'Roll back' }).click();
  await expect(row.getByRole('status')).toContainText('Rolled back: traffic is back on the baseline.');
  await expect(row.getByRole('link', { name: 'Incident opened' })).toBeVisible();

  const after = await apiGet<Routing>(page.request, '/api/v1/services/search-ranker/routing?environment=production');
  expect(after.versions).toEqual([{ version: '2.4.0', weight: 100, role: 'stable' }]);
  const release = await apiGet<{ state: string; currentWeight: number; incident: { title: string } | null }>(page.request, `/api/v1/releases/${releaseUrl.split('/').pop()}`);
  expect(release).toMatchObject({ state: 'rolled_back', currentWeight: 0 });
  expect(release.incident?.title).toContain('Rollback of search-ranker');

  // A second rollback through the API changes nothing and says so.
  const again = await page.request.post(`/api/v1/releases/${releaseUrl.split('/').pop()}/rollback`, { data: { reason: 'double click' } });
  expect(again.status()).toBe(200);
  expect(await again.json()).toMatchObject({ changed: false, release: { state: 'rolled_back' } });
});

test('routing answers 304 while the split is unchanged', async ({ page }) => {
  await signIn(page, 'viewer', '/');
  const first = await page.request.get('/api/v1/services/fraud-detector/routing?environment=production');
  expect(first.status()).toBe(200);
  const etag = first.headers()['etag']!;
  expect((await first.json()).versions).toEqual([
    { version: '1.1.1', weight: 75, role: 'stable' },
    { version: '1.2.0', weight: 25, role: 'canary' },
  ]);
  const second = await page.request.get('/api/v1/services/fraud-detector/routing?environment=production', { headers: { 'if-none-match': etag } });
  expect(second.status()).toBe(304);
});
