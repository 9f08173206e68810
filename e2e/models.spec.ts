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
