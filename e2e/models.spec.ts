import { expect, test } from '@playwright/test';
import { apiGet, signIn } from './support';

test('an ML lead creates a model in the UI; it is listed and stored', async ({ page }) => {
  const name = `ranker-${Date.now().toString(36)}`;
  await signIn(page, 'ml_lead', '/models');
  await page.getByRole('button', { name: 'New model' }).click();
  const form = page.getByRole('form', { name: 'New model' });
  await form.getByLabel('Name').fill(name);
  await form.getByLabel('Owner team').fill('search-relevance');
  await form.getByLabel('Description').fill('Second-stage ranker');
  await form.getByRole('button', { name: 'Create model' }).click();
  await expect(form.getByRole('status')).toHaveText(`Model ${name} created.`);
  await expect(page.getByRole('link', { name })).toBeVisible();

  const stored = await apiGet<{ model: { name: string; ownerTeam: string; servingService: string } }>(page.request, `/api/v1/models/${name}`);
  expect(stored.model).toMatchObject({ name, ownerTeam: 'search-relevance', servingService: name });

  // The same name again is refused with the reason next to the field.
  await form.getByLabel('Name').fill(name);
  await form.getByLabel('Owner team').fill('someone-else');
  await form.getByRole('button', { name: 'Create model' }).click();
  await expect(form.getByRole('alert')).toHaveText(`A model named "${name}" already exists.`);
  await expect(form).toContainText('Already taken');
});

test('the demo shows seeded models with their version histories', async ({ page }) => {
  await signIn(page, 'viewer', '/models');
  await expect(page.getByRole('link', { name: 'fraud-detector' })).toBeVisible();
  await page.getByRole('link', { name: 'fraud-detector' }).click();
  await expect(page.getByRole('heading', { name: 'fraud-detector' })).toBeVisible();
  await expect(page.getByRole('cell', { name: /^1\.2\.0/ })).toBeVisible();
  await expect(page.getByRole('cell', { name: /^1\.0\.0/ })).toBeVisible();
  await page.goto('/models/no-such-model');
  await expect(page.getByRole('heading', { name: 'Not found' })).toBeVisible();
});

test('an ML lead picks the model server whose Prometheus metrics judge canaries; a viewer cannot', async ({ page }) => {
  const name = `scorer-${Date.now().toString(36)}`;
  await signIn(page, 'ml_lead', '/models');
  await page.getByRole('button', { name: 'New model' }).click();
  const create = page.getByRole('form', { name: 'New model' });
  await create.getByLabel('Name').fill(name);
  await create.getByLabel('Owner team').fill('risk-ml');
  await create.getByRole('button', { name: 'Create model' }).click();
  await page.getByRole('link', { name }).click();

  const form = page.getByRole('form', { name: 'Canary metrics source' });
  await form.getByLabel('Model server').selectOption({ label: 'KServe (Knative queue-proxy)' });
  const preview = form.getByRole('region', { name: 'PromQL the controller runs' });
  await expect(preview).toContainText(`revision_app_request_count{configuration_name="${name}-predictor",version="{{version}}",response_code_class="5xx"}`);
  // A bad label name is explained before saving, and refused with the field named when saved anyway.
  await form.getByLabel('Version label').fill('app-version');
  await expect(preview).toContainText('versionLabel: A Prometheus label name');
  await form.getByRole('button', { name: 'Save metrics source' }).click();
  await expect(form.getByRole('alert')).toBeVisible();
  await expect(form).toContainText('A Prometheus label name: letters, digits and _');
  await form.getByLabel('Version label').fill('app_kubernetes_io_version');
  await expect(preview).toContainText('app_kubernetes_io_version="{{version}}"');
  await form.getByRole('button', { name: 'Save metrics source' }).click();
  await expect(form.getByRole('status')).toHaveText('Saved: the next analysis interval reads these queries.');

  const stored = await apiGet<{ model: { metricsSource: unknown } }>(page.request, `/api/v1/models/${name}`);
  expect(stored.model.metricsSource).toEqual({ preset: 'kserve', versionLabel: 'app_kubernetes_io_version' });

  await signIn(page, 'viewer', `/models/${name}`);
  const readOnly = page.getByRole('form', { name: 'Canary metrics source' });
  await expect(readOnly.getByLabel('Model server')).toBeDisabled();
  await expect(readOnly.getByLabel('Model server')).toHaveValue('kserve');
  await expect(readOnly.getByRole('button', { name: 'Save metrics source' })).toHaveCount(0);
});
