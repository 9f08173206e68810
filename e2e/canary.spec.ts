import { expect, test, type Page } from '@playwright/test';
import { apiGet, signIn } from './support';

type Release = { id: string; model: string; version: string; state: string };

async function runningOf(page: Page, model: string) {
  const { items } = await apiGet<{ items: Release[] }>(page.request, `/api/v1/releases?model=${model}&environment=production&state=running`);
  return items[0] ?? null;
}

// The demo simulator plays a router: search-ranker's canary is 2.5× more error-prone and 40 %
// slower. The controller must see it in the charts' data and roll it back by itself.
test('the demo bad canary is rolled back by the controller, live in the browser', async ({ page }) => {
  test.setTimeout(150_000);
  await signIn(page, 'ml_lead', '/releases');
  // The seeded bad canary starts with the server and may still be running: let it finish first.
  await expect.poll(() => runningOf(page, 'search-ranker'), { timeout: 60_000, intervals: [2000] }).toBeNull();

  const requested = await page.request.post('/api/v1/releases', {
    data: { model: 'search-ranker', version: '2.5.0', environment: 'production', strategy: 'canary', reason: 'Second try', plan: [{ weight: 25, holdSeconds: 60, analysisRequired: true }, { weight: 100 }] },
  });
  expect(requested.status()).toBe(201);
  const release = (await requested.json()) as { id: string };
  await signIn(page, 'reviewer', '/releases');
  expect((await page.request.post(`/api/v1/releases/${release.id}/approve`, { data: { comment: 'Let the canary decide' } })).status()).toBe(200);
  await signIn(page, 'ml_lead', `/releases/${release.id}`);
  expect((await page.request.post(`/api/v1/releases/${release.id}/start`)).status()).toBe(200);

  // Watch as the on-call would, without reloading: running, samples arrive, then rolled back.
  await signIn(page, 'oncall', `/releases/${release.id}`);
  const header = page.getByRole('heading', { name: 'search-ranker 2.5.0 in production' }).locator('..');
  await expect(header.getByText('running')).toBeVisible();
  await expect(page.getByText('simulated traffic (demo simulator)')).toBeVisible({ timeout: 20_000 });
  await expect(page.getByRole('figure').filter({ hasText: 'Error rate (%)' })).toBeVisible();
  await expect(header.getByText('rolled back')).toBeVisible({ timeout: 60_000 });
  await expect(page.getByTestId('verdicts')).toContainText(/Fail: error_rate failed \(critical\): error rate [\d.]+ % vs [\d.]+ %/);
  await expect(page.getByText('Rolled back by system:controller')).toBeVisible();

  const stored = await apiGet<{ state: string; incident: { rolledBackBy: string } | null }>(page.request, `/api/v1/releases/${release.id}`);
  expect(stored).toMatchObject({ state: 'rolled_back', incident: { rolledBackBy: 'system:controller' } });
  const audit = await apiGet<{ items: { action: string; actorName: string; targetId: string; reason: string | null }[] }>(page.request, '/api/v1/audit?limit=100');
  const rollbacks = audit.items.filter((e) => e.targetId === release.id && e.action === 'release.rollback');
  expect(rollbacks).toHaveLength(1);
  expect(rollbacks[0]).toMatchObject({ actorName: 'system:controller', reason: expect.stringMatching(/^Automatic rollback by the controller/) });
});
