import { expect, test } from '@playwright/test';
import { apiGet, signIn } from './support';

test('a viewer is refused admin actions in the UI and when calling the server directly', async ({ page }) => {
  await signIn(page, 'viewer', '/settings');
  // The UI shows the action exists, disabled, with the reason.
  await expect(page.getByRole('button', { name: 'Add user' })).toBeDisabled();
  await expect(page.getByText('Needs the Admin role').first()).toBeVisible();
  await expect(page.getByText('Needs the Admin role to see and manage API keys.')).toBeVisible();
  await expect(page.getByRole('button', { name: 'Save roles' })).toHaveCount(0);

  const before = (await apiGet<{ items: unknown[] }>(page.request, '/api/v1/users')).items.length;
  // Directly, with the viewer's own session cookie: the server refuses, whatever the UI showed.
  const create = await page.request.post('/api/v1/users', {
    data: { email: 'sneaky@flightdeck.demo', name: 'Sneaky', password: 'a-long-enough-password', roles: ['admin'] },
  });
  expect(create.status()).toBe(403);
  expect((await create.json()).error).toMatchObject({ code: 'forbidden', message: 'Needs the Admin role to create a user.' });
  const keys = await page.request.post('/api/v1/api-keys', { data: { name: 'x', scopes: ['admin'], roles: ['admin'] } });
  expect(keys.status()).toBe(403);
  expect((await apiGet<{ items: unknown[] }>(page.request, '/api/v1/users')).items.length).toBe(before);

  // A viewer may not create models either, in the UI or the API.
  await page.goto('/models');
  await expect(page.getByRole('button', { name: 'New model' })).toBeDisabled();
  const model = await page.request.post('/api/v1/models', { data: { name: 'viewer-model', ownerTeam: 'x' } });
  expect(model.status()).toBe(403);
});

test('the API answers bad input with one error shape and stores nothing', async ({ page }) => {
  await signIn(page, 'ml_lead', '/models');
  const invalid = await page.request.post('/api/v1/models', { data: { name: 'Bad Name!', ownerTeam: '' } });
  expect(invalid.status()).toBe(422);
  const body = await invalid.json();
  expect(body.error.code).toBe('invalid');
  expect(Object.keys(body.error.details.fields).sort()).toEqual(['name', 'ownerTeam']);

  const notJson = await page.request.post('/api/v1/models', { data: 'name=x', headers: { 'content-type': 'text/plain' } });
  expect(notJson.status()).toBe(415);
  const broken = await page.request.post('/api/v1/models', { data: Buffer.from('{"name":'), headers: { 'content-type': 'application/json' } });
  expect(broken.status()).toBe(400);
  const huge = await page.request.post('/api/v1/models', { data: { name: 'huge', ownerTeam: 'x', description: 'x'.repeat(1_100_000) } });
  expect(huge.status()).toBe(413);
  const unknown = await page.request.get('/api/v1/no-such-thing');
  expect(unknown.status()).toBe(404);
  expect((await unknown.json()).error.code).toBe('not_found');

  const { items } = await apiGet<{ items: { name: string }[] }>(page.request, '/api/v1/models?q=huge');
  expect(items).toHaveLength(0);
});
