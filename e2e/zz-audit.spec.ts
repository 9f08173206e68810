import { expect, test } from '@playwright/test';
import { apiGet, signIn } from './support';

// Named to run last: after every other journey has written to the chain.
test('the audit chain verifies after the journeys, in the UI and through the API', async ({ page }) => {
  await signIn(page, 'reviewer', '/audit');
  // The newest event on the page is the newest in the chain (the controller keeps writing: compare loosely).
  const { items } = await apiGet<{ items: { action: string }[] }>(page.request, '/api/v1/audit?limit=50');
  expect(items.length).toBeGreaterThan(0);
  await expect(page.getByText(items.at(-1)!.action).first()).toBeVisible();
  await page.getByRole('button', { name: 'Verify chain' }).click();
  await expect(page.getByTestId('verify-result')).toContainText(/Chain intact: [\d,]+ events checked\./);
  const report = await apiGet<{ ok: boolean; checked: number; firstBroken: unknown }>(page.request, '/api/v1/audit/verify');
  expect(report.ok).toBe(true);
  expect(report.firstBroken).toBeNull();
  expect(report.checked).toBeGreaterThan(10);
});
