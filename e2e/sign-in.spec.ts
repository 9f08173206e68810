import { expect, test } from '@playwright/test';
import { DEMO, PASSWORD, signIn, type DemoRole } from './support';

const NAV = ['Overview', 'Models', 'Releases', 'Experiments', 'Alerts', 'Audit', 'Settings'];

test('a signed-out visitor is sent to sign-in and back to the page they asked for', async ({ page }) => {
  await page.goto('/models');
  await expect(page).toHaveURL(/\/signin\?callbackUrl=%2Fmodels/);
  await page.getByLabel('E-mail').fill(DEMO.viewer.email);
  await page.getByLabel('Password').fill(PASSWORD);
  await page.getByRole('button', { name: 'Sign in', exact: true }).click();
  await expect(page).toHaveURL(/\/models$/);
  await expect(page.getByRole('heading', { name: 'Models' })).toBeVisible();
});

test('a wrong password shows a clear error and does not sign in', async ({ page }) => {
  await page.goto('/signin');
  await page.getByLabel('E-mail').fill(DEMO.reviewer.email);
  await page.getByLabel('Password').fill('not-the-password');
  await page.getByRole('button', { name: 'Sign in', exact: true }).click();
  await expect(page.getByTestId('signin-error')).toHaveText('Wrong e-mail or password.');
  await expect(page).toHaveURL(/\/signin/);
  const me = await page.request.get('/api/v1/me');
  expect(me.status()).toBe(401);
});

test('repeated wrong passwords are slowed down', async ({ page }) => {
  const email = 'nobody-here@flightdeck.demo';
  await page.goto('/signin');
  await page.getByLabel('E-mail').fill(email);
  const messages: string[] = [];
  for (let i = 0; i < 10 && !messages.some((m) => m.includes('Too many')); i++) {
    await page.getByLabel('Password').fill(`wrong-${i}`);
    await page.getByRole('button', { name: 'Sign in', exact: true }).click();
    await expect(page.getByRole('button', { name: 'Sign in', exact: true })).toBeEnabled();
    messages.push((await page.getByTestId('signin-error').textContent()) ?? '');
  }
  // The first few mistakes are free; then the address is locked for a growing time.
  expect(messages.slice(0, 4)).toEqual(Array(4).fill('Wrong e-mail or password.'));
  expect(messages.at(-1)).toMatch(/^Too many failed sign-ins\. Try again in \d+ s\.$/);
});

test('the demo sign-in page lists one account per role', async ({ page }) => {
  await page.goto('/signin');
  const demo = page.getByRole('region', { name: 'Demo accounts' });
  for (const role of Object.values(DEMO)) await expect(demo).toContainText(role.email);
  await demo.getByRole('button', { name: /On-call/ }).click();
  await expect(page.getByLabel('E-mail')).toHaveValue(DEMO.oncall.email);
});

for (const role of Object.keys(DEMO) as DemoRole[]) {
  test(`${role} signs in, sees the shell with name and roles, and signs out`, async ({ page }) => {
    await signIn(page, role);
    const nav = page.getByRole('navigation', { name: 'Main' });
    for (const item of NAV) await expect(nav.getByRole('link', { name: item })).toBeVisible();
    const menu = page.getByTestId('user-menu');
    await expect(menu).toContainText(DEMO[role].name);
    await expect(menu).toContainText(DEMO[role].role);
    await expect(page.getByRole('heading', { name: 'Overview' })).toBeVisible();
    const me = await (await page.request.get('/api/v1/me')).json();
    expect(me.name).toBe(DEMO[role].name);
    await menu.getByRole('button', { name: 'Sign out' }).click();
    await expect(page).toHaveURL(/\/signin/);
    expect((await page.request.get('/api/v1/me')).status()).toBe(401);
  });
}
