import { expect, test } from '@playwright/test';
import { apiGet, signIn } from './support';

type User = { email: string; name: string; roles: string[]; active: boolean };

test('admin adds a user with a role, who can then sign in', async ({ page, browser }) => {
  const email = `nora-${Date.now()}@flightdeck.demo`;
  await signIn(page, 'admin', '/settings');
  await page.getByRole('button', { name: 'Add user' }).click();
  const form = page.getByRole('form', { name: 'Add user' });
  await form.getByLabel('Name').fill('Nora New');
  await form.getByLabel('E-mail').fill(email);
  await form.getByLabel('Password').fill('a-long-enough-password');
  await form.getByLabel('Reviewer').check();
  await form.getByRole('button', { name: 'Add user' }).click();
  await expect(form.getByRole('status')).toHaveText('Nora New can now sign in.');
  await expect(page.getByTestId(`user-${email}`)).toBeVisible();

  const { items } = await apiGet<{ items: User[] }>(page.request, '/api/v1/users');
  expect(items.find((u) => u.email === email)).toMatchObject({ name: 'Nora New', roles: ['reviewer'], active: true });

  const context = await browser.newContext();
  const other = await context.newPage();
  await other.goto('/signin');
  await other.getByLabel('E-mail').fill(email);
  await other.getByLabel('Password').fill('a-long-enough-password');
  await other.getByRole('button', { name: 'Sign in', exact: true }).click();
  await expect(other.getByTestId('user-menu')).toContainText('Reviewer');
  await context.close();
});

test('admin sees field errors for bad input, and nothing is stored', async ({ page }) => {
  await signIn(page, 'admin', '/settings');
  const before = (await apiGet<{ items: User[] }>(page.request, '/api/v1/users')).items.length;
  await page.getByRole('button', { name: 'Add user' }).click();
  const form = page.getByRole('form', { name: 'Add user' });
  await form.getByLabel('Name').fill('Bad Input');
  await form.getByLabel('E-mail').fill('not-an-email');
  await form.getByLabel('Password').fill('short');
  await form.getByRole('button', { name: 'Add user' }).click();
  await expect(form.getByRole('alert')).toHaveText('Some fields are not valid.');
  await expect(form).toContainText('Not an e-mail address');
  await expect(form).toContainText('At least 12 characters');
  expect((await apiGet<{ items: User[] }>(page.request, '/api/v1/users')).items.length).toBe(before);
});

test('admin creates an API key that is shown once, works, and stops working when revoked', async ({ page, request }) => {
  const name = `ci-${Date.now()}`;
  await signIn(page, 'admin', '/settings');
  const form = page.getByRole('form', { name: 'Create API key' });
  await form.getByLabel('Name').fill(name);
  await form.getByRole('button', { name: 'Create key' }).click();
  const secret = (await page.getByTestId('new-api-key').textContent())!.trim();
  expect(secret).toMatch(/^fdk_/);

  const me = await request.get('/api/v1/me', { headers: { authorization: `Bearer ${secret}` } });
  expect(me.status()).toBe(200);
  expect(await me.json()).toMatchObject({ type: 'api_key', name: `api-key:${name}`, roles: ['viewer', 'ml_lead'] });

  // The list never shows the secret again.
  await page.reload();
  await expect(page.getByText(secret)).toHaveCount(0);
  const row = page.getByRole('listitem').filter({ hasText: name });
  await row.getByRole('button', { name: 'Revoke' }).click();
  const dialog = page.getByRole('dialog', { name: `Revoke ${name}?` });
  await expect(dialog).toBeVisible();
  await dialog.getByRole('button', { name: 'Revoke key' }).click();
  await expect(row.getByRole('status')).toHaveText(`Key ${name} revoked.`);
  const after = await request.get('/api/v1/me', { headers: { authorization: `Bearer ${secret}` } });
  expect(after.status()).toBe(401);
  expect((await after.json()).error.code).toBe('unauthenticated');
});

test('admin edits the staging gate policy; bad thresholds are refused with the reason', async ({ page }) => {
  await signIn(page, 'admin', '/settings');
  const form = page.getByRole('form', { name: 'Policy for staging' });
  await form.getByLabel('Thresholds (JSON, per check kind)').fill('{ "performance": [{ "metric": "p99_latency_ms", "minRelativeChange": 5, "greaterIsBetter": false }] }');
  await form.getByRole('button', { name: 'Save staging policy' }).click();
  await expect(form.getByRole('alert')).toHaveText('Some fields are not valid.');
  await expect(form).toContainText('thresholds.performance.0.minRelativeChange');

  await form.getByLabel('Thresholds (JSON, per check kind)').fill('{ "performance": [{ "metric": "p99_latency_ms", "minRelativeChange": -0.2, "greaterIsBetter": false }] }');
  await form.getByLabel('data drift').check();
  await form.getByRole('button', { name: 'Save staging policy' }).click();
  await expect(form.getByRole('status')).toHaveText(/Policy for staging saved \(version \d+\)\./);

  const { items } = await apiGet<{ items: { name: string; policy: { requiredChecks: string[]; thresholds: Record<string, unknown> } }[] }>(page.request, '/api/v1/environments');
  const staging = items.find((e) => e.name === 'staging')!;
  expect(staging.policy.requiredChecks).toContain('data_drift');
  expect(staging.policy.thresholds).toEqual({ performance: [{ metric: 'p99_latency_ms', minRelativeChange: -0.2, greaterIsBetter: false }] });

  // Put it back: other journeys expect the default staging policy.
  await form.getByLabel('data drift').uncheck();
  await form.getByLabel('Thresholds (JSON, per check kind)').fill('{}');
  await form.getByRole('button', { name: 'Save staging policy' }).click();
  await expect(form.getByRole('status')).toHaveText(/saved/);
});

test('a non-admin sees the policies but cannot change them', async ({ page }) => {
  await signIn(page, 'ml_lead', '/settings');
  await expect(page.getByRole('button', { name: 'Save production policy' })).toBeDisabled();
  const refused = await page.request.put('/api/v1/environments/production/policy', { data: { requiredChecks: [], thresholds: {} } });
  expect(refused.status()).toBe(403);
});
