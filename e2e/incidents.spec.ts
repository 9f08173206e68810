import { expect, test } from '@playwright/test';
import { apiGet, signIn } from './support';

type Incidents = { items: { incident: { id: string; title: string; postmortem: string }; durations: { timeToRollBackSeconds: number | null } | null }[] };

// The demo's bad canary (search-ranker 2.5.0) is rolled back by the controller within a minute or
// two of start-up, which opens an incident.
test('after a rollback, the incident shows its timeline and time to roll back; on-call writes the postmortem', async ({ page }) => {
  test.setTimeout(120_000);
  await signIn(page, 'oncall', '/incidents');
  let id = '';
  await expect
    .poll(
      async () => {
        const { items } = await apiGet<Incidents>(page.request, '/api/v1/incidents');
        id = items.find((i) => i.incident.title.includes('search-ranker 2.5.0 in production'))?.incident.id ?? '';
        return id;
      },
      { timeout: 90_000, intervals: [2000] },
    )
    .not.toBe('');

  await page.goto('/incidents');
  await page.getByTestId(`incident-${id}`).getByRole('link').click();
  await expect(page.getByTestId('durations')).toContainText('Time to roll back');
  const timeline = page.getByRole('list', { name: 'Incident timeline' });
  await expect(timeline).toContainText('Rolled back');
  await expect(timeline).toContainText('Analysis failed');

  const form = page.getByRole('form', { name: 'Postmortem' });
  await form.getByLabel('Postmortem (markdown)').fill('## Summary\nThe 2.5.0 canary doubled the error rate; the controller rolled it back.');
  await form.getByLabel('Owner').fill('search-relevance');
  await form.getByRole('button', { name: 'Add action item' }).click();
  await form.getByLabel('Action item 1', { exact: true }).fill('Add a latency guardrail to the offline gate');
  await form.getByRole('button', { name: 'Save postmortem' }).click();
  await expect(form.getByRole('status')).toHaveText('Postmortem saved.');

  const saved = await apiGet<{ incident: { postmortem: string; postmortemOwner: string; actionItems: { text: string; done: boolean }[] } }>(page.request, `/api/v1/incidents/${id}`);
  expect(saved.incident.postmortem).toContain('doubled the error rate');
  expect(saved.incident).toMatchObject({ postmortemOwner: 'search-relevance', actionItems: [{ text: 'Add a latency guardrail to the offline gate', done: false }] });
  const audit = await apiGet<{ items: { action: string; targetId: string }[] }>(page.request, `/api/v1/audit?action=incident.postmortem&targetId=${id}`);
  expect(audit.items).toHaveLength(1);
});
