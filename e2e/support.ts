import { expect, type APIRequestContext, type Page } from '@playwright/test';

export const PASSWORD = 'flightdeck-demo';
export const DEMO = {
  admin: { email: 'admin@flightdeck.demo', name: 'Ada Admin', role: 'Admin' },
  ml_lead: { email: 'lead@flightdeck.demo', name: 'Maya Lead', role: 'ML lead' },
  reviewer: { email: 'reviewer@flightdeck.demo', name: 'Ravi Reviewer', role: 'Reviewer' },
  oncall: { email: 'oncall@flightdeck.demo', name: 'Omar On-call', role: 'On-call' },
  viewer: { email: 'viewer@flightdeck.demo', name: 'Vera Viewer', role: 'Viewer' },
} as const;
export type DemoRole = keyof typeof DEMO;

/** Signs in through the real form and waits for the shell. */
export async function signIn(page: Page, role: DemoRole, path = '/') {
  await page.context().clearCookies(); // whoever was signed in before
  await page.goto(`/signin?callbackUrl=${encodeURIComponent(path)}`);
  await page.getByLabel('E-mail').fill(DEMO[role].email);
  await page.getByLabel('Password').fill(PASSWORD);
  await page.getByRole('button', { name: 'Sign in', exact: true }).click();
  await expect(page.getByTestId('user-menu')).toContainText(DEMO[role].name);
}

/** Reads through the public API with the page's session cookie: what the database holds now. */
export async function apiGet<T>(request: APIRequestContext, path: string): Promise<T> {
  const response = await request.get(path);
  expect(response.status(), `${path} answered ${response.status()}`).toBe(200);
  return (await response.json()) as T;
}
