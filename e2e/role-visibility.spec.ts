import { expect, test, type Page } from '@playwright/test';
import { secretScanner, type Secret, type SecretScanner } from '../tests/support/secret-scan';
import { apiGet, signIn, type DemoRole } from './support';

/**
 * Issue: "no page leaks another role's data". Each demo role signs in once and opens every page of
 * the navigation (and a model, a release and its record): the HTML — including the serialised
 * props of client components, where a whole database row would end up — holds no password hash,
 * no webhook signing secret, no whole API key, no session secret. The Settings page shows API keys
 * and webhooks to admins only; everyone else gets the "Needs the Admin role" sentence and not one
 * key name, prefix or webhook URL. The same reads through the API with each session cookie agree.
 * tests/integration/role-visibility.test.ts checks every GET route with API keys, and the logs.
 */

test.describe.configure({ mode: 'serial' });

const TOP_LEVEL = ['/', '/models', '/releases', '/releases/approvals', '/experiments', '/alerts', '/incidents', '/audit', '/settings'];
const ROLES: DemoRole[] = ['viewer', 'ml_lead', 'reviewer', 'oncall', 'admin'];
/** playwright.config.ts starts the server with this. */
const NEXTAUTH_SECRET = 'e2e-secret-not-for-production-use';

type ApiKey = { id: string; name: string; prefix: string };
type Webhook = { id: string; url: string };

let scanner: SecretScanner;
/** What only admins may see: every API key's name and prefix, every webhook's URL. */
let adminOnly: { label: string; text: string }[] = [];
let detailPages: string[] = [];

/** The page as the browser has it once the document (with every streamed Suspense chunk) has loaded. */
async function htmlOf(page: Page, path: string): Promise<string> {
  const response = await page.goto(path);
  expect(response?.status(), path).toBe(200);
  await expect(page.getByTestId('user-menu')).toBeVisible();
  return page.content();
}

test('set-up as admin: a webhook and an API key whose secrets no page may show', async ({ page }) => {
  await signIn(page, 'admin', '/settings');
  const secrets: Secret[] = [{ label: 'NEXTAUTH_SECRET', value: NEXTAUTH_SECRET }];

  const hook = await page.request.post('/api/v1/webhooks', { data: { url: `http://127.0.0.1:9/role-visibility-${Date.now()}`, events: ['release.rollback'] } });
  expect(hook.status()).toBe(201);
  const webhook = (await hook.json()) as Webhook & { secret: string };
  secrets.push({ label: 'webhook signing secret', value: webhook.secret });
  // Paused at once: nothing is posted to it while the other journeys run.
  expect((await page.request.patch(`/api/v1/webhooks/${webhook.id}`, { data: { active: false } })).status()).toBe(200);

  const key = await page.request.post('/api/v1/api-keys', { data: { name: `role-visibility-${Date.now()}`, scopes: ['read'] } });
  expect(key.status()).toBe(201);
  const created = (await key.json()) as ApiKey & { secret: string };
  secrets.push({ label: 'API key', value: created.secret });
  expect((await page.request.delete(`/api/v1/api-keys/${created.id}`)).status()).toBe(200);

  scanner = secretScanner(secrets);
  // The create answers are the one place a secret is shown: the scanner sees it there.
  expect(scanner.find(JSON.stringify(webhook))).toContain('webhook signing secret');
  expect(scanner.find(JSON.stringify(created))).toContain('API key');

  const keys = (await apiGet<{ items: ApiKey[] }>(page.request, '/api/v1/api-keys')).items;
  const hooks = (await apiGet<{ items: Webhook[] }>(page.request, '/api/v1/webhooks')).items;
  expect(keys.length).toBeGreaterThan(0);
  expect(hooks.length).toBeGreaterThan(0);
  adminOnly = [
    ...keys.flatMap((k) => [
      { label: `API key name ${k.name}`, text: k.name },
      { label: `API key prefix ${k.prefix}`, text: k.prefix },
    ]),
    ...hooks.map((h) => ({ label: `webhook URL ${h.url}`, text: h.url })),
  ];

  const [model] = (await apiGet<{ items: { name: string }[] }>(page.request, '/api/v1/models')).items;
  const [release] = (await apiGet<{ items: { id: string }[] }>(page.request, '/api/v1/releases?limit=1')).items;
  detailPages = [`/models/${model!.name}`, `/releases/${release!.id}`, `/releases/${release!.id}/record`];
});

for (const role of ROLES) {
  test(`${role}: no page holds a secret; Settings shows keys and webhooks to admins only`, async ({ page }) => {
    expect(scanner, 'the set-up test ran').toBeDefined();
    await signIn(page, role, '/');
    const found: string[] = [];
    for (const path of [...TOP_LEVEL, ...detailPages]) {
      const html = await htmlOf(page, path);
      found.push(...scanner.find(html).map((what) => `${path}: ${what}`));
      // Any bcrypt hash at all, not only whole ones, and any webhook secret prefix.
      if (/\$2[aby]\$/.test(html)) found.push(`${path}: a bcrypt hash marker ($2a$/$2b$)`);
      if (html.includes('whsec_')) found.push(`${path}: whsec_`);

      if (path !== '/settings') continue;
      const shown = adminOnly.filter((item) => html.includes(item.text)).map((item) => item.label);
      if (role === 'admin') {
        // The check above means something: the admin's page does list them.
        expect(shown.length, 'the admin sees the API keys and webhooks').toBeGreaterThan(0);
        await expect(page.getByRole('form', { name: 'Create API key' })).toBeVisible();
      } else {
        found.push(...shown.map((what) => `/settings shows ${what} to ${role}`));
        await expect(page.getByText('Needs the Admin role to see and manage API keys.')).toBeVisible();
        await expect(page.getByText('Needs the Admin role to see and manage webhooks.')).toBeVisible();
        await expect(page.getByRole('form', { name: 'Create API key' })).toHaveCount(0);
        await expect(page.getByRole('form', { name: 'Create webhook' })).toHaveCount(0);
        if (role !== 'ml_lead') await expect(page.getByText(/Needs the ML lead or Admin role to sync from MLflow/)).toBeVisible();
      }
    }

    // The same reads through the API, with this role's session cookie.
    for (const [path, adminOnlyRoute] of [
      ['/api/v1/users', false],
      ['/api/v1/api-keys', true],
      ['/api/v1/webhooks', true],
      ['/api/v1/integrations/mlflow', false],
      ['/api/v1/audit?limit=200', false],
      ['/api/v1/me', false],
    ] as const) {
      const response = await page.request.get(path);
      expect(response.status(), `${role} GET ${path}`).toBe(adminOnlyRoute && role !== 'admin' ? 403 : 200);
      const body = await response.text();
      found.push(...scanner.find(body).map((what) => `GET ${path}: ${what}`));
      if (/\$2[aby]\$/.test(body)) found.push(`GET ${path}: a bcrypt hash marker`);
    }
    expect(found).toEqual([]);
  });
}
