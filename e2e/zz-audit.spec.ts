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

// The unfolded part of a row is built in the browser when it is opened (components/audit/audit-event-details.tsx).
test('an audit event unfolds into what changed, its before, after and request, and its hashes', async ({ page }) => {
  await signIn(page, 'viewer', '/');
  type Event = { seq: number; action: string; before: unknown; after: unknown; hash: string; prevHash: string };
  const { items } = await apiGet<{ items: Event[] }>(page.request, '/api/v1/audit?limit=200');
  const changed = items.find((e) => e.before !== null && e.after !== null);
  expect(changed, 'an event with a before and an after among the newest 200').toBeDefined();
  // The page that starts at this event (newest first, seq below the cursor).
  await page.goto(`/audit?cursor=${Buffer.from(JSON.stringify(changed!.seq + 1)).toString('base64url')}`);
  const row = page.locator('details', { hasText: `#${changed!.seq}` }).first();
  await expect(row.getByText(`hash ${changed!.hash}`)).toHaveCount(0);
  await row.locator('summary').click();
  await expect(row.getByRole('table', { name: 'Changes' })).toBeVisible();
  for (const label of ['Before', 'After', 'Request']) await expect(row.getByText(label, { exact: true })).toBeVisible();
  await expect(row.getByText(`hash ${changed!.hash} · previous ${changed!.prevHash}`)).toBeVisible();
  // Keyboard: the summary is focusable and Enter folds it again.
  await row.locator('summary').focus();
  await page.keyboard.press('Enter');
  await expect(row.getByText(`hash ${changed!.hash}`)).toHaveCount(0);
});
