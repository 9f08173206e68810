import { expect, test } from '@playwright/test';
import { apiGet, signIn } from './support';

type AlertRow = { alert: { id: string; kind: string; state: string; severity: string; title: string; acknowledgedBy: string | null }; model: string | null };
type AuditEvent = { action: string; targetId: string; actorName?: string; actor?: string };

// The demo's bad canary (search-ranker) fails its analysis within a minute of start-up: the
// controller opens a critical "canary analysis failed" alert through the same alert rules as drift.
test('on-call acknowledges a critical alert in the browser; the trail and the audit chain have it', async ({ page }) => {
  test.setTimeout(120_000);
  await signIn(page, 'oncall', '/alerts');
  let alert: AlertRow['alert'] | undefined;
  await expect
    .poll(
      async () => {
        const { items } = await apiGet<{ items: AlertRow[] }>(page.request, '/api/v1/alerts?state=open&kind=analysis_failed&model=search-ranker');
        alert = items[0]?.alert;
        return alert?.severity ?? null;
      },
      { timeout: 90_000, intervals: [2000] },
    )
    .toBe('critical');

  // The default view (open or acknowledged) keeps the row after it is acknowledged.
  await page.goto('/alerts');
  const row = page.getByTestId(`alert-${alert!.id}`);
  await expect(row).toContainText('critical');
  await expect(row).toContainText('search-relevance'); // the owner team
  await row.getByRole('button', { name: 'Acknowledge' }).click();
  const dialog = page.getByRole('dialog');
  await dialog.getByLabel('Comment (optional)').fill('Looking; the canary is already rolled back.');
  await dialog.getByRole('button', { name: 'Acknowledge' }).click();
  await expect(page.getByRole('status').filter({ hasText: 'Acknowledged: you have it.' })).toBeVisible();

  // The database changed: acknowledged by Omar, with the comment on the trail.
  const after = await apiGet<{ alert: { state: string; acknowledgedBy: string }; trail: { action: string; actor: string; comment: string }[] }>(page.request, `/api/v1/alerts/${alert!.id}`);
  expect(after.alert).toMatchObject({ state: 'acknowledged', acknowledgedBy: 'Omar On-call' });
  expect(after.trail.map((e) => e.action)).toEqual(['open', 'acknowledge']);
  expect(after.trail[1]).toMatchObject({ actor: 'Omar On-call', comment: 'Looking; the canary is already rolled back.' });

  // The alert page shows the trail; a viewer sees it but cannot act.
  await signIn(page, 'viewer', `/alerts/${alert!.id}`);
  await expect(page.getByRole('list', { name: 'Alert trail' })).toContainText('acknowledge by Omar On-call');
  await expect(page.getByRole('button', { name: 'Resolve' })).toBeDisabled();

  // The audit chain has the acknowledgement and still verifies.
  const audit = await apiGet<{ items: AuditEvent[] }>(page.request, '/api/v1/audit?limit=200');
  expect(audit.items.some((e) => e.action === 'alert.acknowledge' && e.targetId === alert!.id)).toBe(true);
  const verify = await apiGet<{ ok: boolean }>(page.request, '/api/v1/audit/verify');
  expect(verify.ok).toBe(true);
});
