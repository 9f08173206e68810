import { expect, test, type Page } from '@playwright/test';
import { apiGet, DEMO, signIn } from './support';

// The app syncs from the fake MLflow playwright.config.ts starts (tests/support/run-fake-mlflow.ts):
// "Card Fraud Scorer" v1 and v2 (semver tag 2.1.0) READY, v3 pending; "Churn Forecaster" v1 READY.
// No schedule runs, so only these clicks import anything.
const MLFLOW_ORIGIN = `http://127.0.0.1:${process.env.FAKE_MLFLOW_PORT ?? 3199}`;

type ModelBody = { model: { name: string; ownerTeam: string }; versions: { version: string; tags: string[] }[] };
type Integration = { configured: boolean; server: string; recent: { id: string; trigger: string; status: string; actorName: string }[] };

const mlflowPanel = (page: Page) => page.locator('section').filter({ has: page.getByRole('heading', { name: 'MLflow registry', exact: true }) });

test('an ML lead imports the MLflow registry with Sync now; a second pass finds nothing new', async ({ page }) => {
  await signIn(page, 'ml_lead', '/settings');
  expect((await page.request.get('/api/v1/models/card-fraud-scorer')).status(), 'nothing has imported from MLflow before this test').toBe(404);

  const panel = mlflowPanel(page);
  await expect(panel.getByTestId('mlflow-config')).toContainText(MLFLOW_ORIGIN);
  await expect(panel.getByTestId('mlflow-config')).toContainText('on demand only');
  const rows = panel.getByTestId('mlflow-passes').locator('tbody tr');
  const before = await rows.count();

  const form = panel.getByRole('form', { name: 'Sync from MLflow' });
  await form.getByRole('button', { name: 'Sync now' }).click();
  await expect(form.getByRole('status')).toHaveText('Imported 2 models and 3 versions; 1 skipped.');
  await expect(rows).toHaveCount(before + 1);
  const newest = rows.first();
  await expect(newest).toContainText(DEMO.ml_lead.name);
  await expect(newest).toContainText('manual');
  await expect(newest).toContainText('+2 models · +3 versions · 1 skipped');
  // Why v3 was skipped is one click away.
  await newest.locator('summary').click();
  await expect(newest.getByRole('listitem').filter({ hasText: 'Card Fraud Scorer v3' })).toBeVisible();

  // What the database holds now, through the API.
  const scorer = await apiGet<ModelBody>(page.request, '/api/v1/models/card-fraud-scorer');
  expect(scorer.model.ownerTeam).toBe('risk-team');
  expect(scorer.versions.map((v) => v.version).sort()).toEqual(['1.0.0', '2.1.0']);
  expect(scorer.versions.find((v) => v.version === '2.1.0')!.tags.sort()).toEqual(['alias:champion', 'mlflow-stage:Production', 'mlflow:2']);
  const churn = await apiGet<ModelBody>(page.request, '/api/v1/models/churn-forecaster');
  expect(churn.versions.map((v) => v.version)).toEqual(['1.0.0']);
  const integration = await apiGet<Integration>(page.request, '/api/v1/integrations/mlflow');
  expect(integration).toMatchObject({ configured: true, server: MLFLOW_ORIGIN });
  expect(integration.recent[0]).toMatchObject({ trigger: 'manual', status: 'ok', actorName: DEMO.ml_lead.name });

  // Again: the same registry, so nothing new, and the pass is still listed.
  await form.getByRole('button', { name: 'Sync now' }).click();
  await expect(form.getByRole('status')).toHaveText('Nothing new: 3 versions already up to date; 1 skipped.');
  await expect(rows).toHaveCount(before + 2);
  await expect(rows.first()).toContainText('3 unchanged · 1 skipped');
  const again = await apiGet<ModelBody>(page.request, '/api/v1/models/card-fraud-scorer');
  expect(again.versions.map((v) => v.version).sort()).toEqual(['1.0.0', '2.1.0']);
});

test('a viewer sees the MLflow integration and its passes but cannot sync, in the UI or through the API', async ({ page }) => {
  await signIn(page, 'viewer', '/settings');
  const panel = mlflowPanel(page);
  await expect(panel.getByTestId('mlflow-config')).toContainText(MLFLOW_ORIGIN);
  await expect(panel.getByText('Needs the ML lead or Admin role to sync from MLflow.')).toBeVisible();
  await expect(panel.getByRole('button', { name: 'Sync now' })).toHaveCount(0);

  const passes = (await apiGet<Integration>(page.request, '/api/v1/integrations/mlflow')).recent.length;
  const refused = await page.request.post('/api/v1/integrations/mlflow/sync', { data: {} });
  expect(refused.status()).toBe(403);
  expect((await apiGet<Integration>(page.request, '/api/v1/integrations/mlflow')).recent.length).toBe(passes);
});
