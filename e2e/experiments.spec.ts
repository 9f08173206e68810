import { expect, test } from '@playwright/test';
import { apiGet, signIn } from './support';

type Experiment = { id: string; name: string; status: string; decision: string | null; shippedVersion: string | null; promotionReleaseId: string | null; releaseId: string; design: { arms: { version: string; allocation: number }[] } };
type Results = { results: { method: { test: string; nStar: number | null }; srm: { status: string }; metrics: { name: string; role: string; arms: { key: string; units: number }[] }[] }; simulated: boolean };

test('the demo A/B test runs live on simulated traffic; a viewer sees it but cannot decide', async ({ page }) => {
  await signIn(page, 'viewer', '/experiments');
  const { items } = await apiGet<{ items: Experiment[] }>(page.request, '/api/v1/experiments');
  const demo = items.find((e) => e.name === 'Hard negatives in the home feed')!;
  expect(demo.status).toBe('running');
  const row = page.getByTestId(`experiment-${demo.id}`);
  await expect(row).toContainText('running');
  await expect(row.getByRole('progressbar')).toBeVisible();
  await row.getByRole('link', { name: demo.name }).click();

  await expect(page.getByRole('heading', { name: demo.name })).toBeVisible();
  await expect(page.getByText('simulated traffic (demo simulator)')).toBeVisible();
  await expect(page.getByTestId('method')).toContainText('N* = 5,000');
  await expect(page.getByRole('table', { name: 'conversion per arm' })).toContainText('4.2.0');
  // Units arrive from the simulator through the public API, and the page follows them.
  await expect
    .poll(async () => (await apiGet<Results>(page.request, `/api/v1/experiments/${demo.id}/results`)).results.metrics.find((m) => m.role === 'primary')!.arms[0]!.units, { timeout: 20_000 })
    .toBeGreaterThan(0);
  const results = await apiGet<Results>(page.request, `/api/v1/experiments/${demo.id}/results`);
  expect(results.simulated).toBe(true);
  expect(results.results.method).toMatchObject({ test: 'sequential', nStar: 5000 });
  // The viewer may look, not decide: the buttons stay, disabled, with the reason.
  const decision = page.getByTestId('decision-panel');
  await expect(decision.getByRole('button', { name: 'Stop and roll back…' })).toBeDisabled();
  await expect(decision).toContainText('ML lead');
});

test('an ML lead designs an A/B test with the sample-size calculator, starts it, and ships the treatment through the release flow', async ({ page }) => {
  await signIn(page, 'ml_lead', '/experiments');
  await page.getByRole('link', { name: 'New experiment' }).click();
  const form = page.getByRole('form', { name: 'Design an experiment' });
  await form.getByLabel('Model').selectOption('search-ranker');
  await form.getByLabel('Environment').selectOption('staging');
  await expect(form.getByLabel('Environment')).toHaveValue('staging');
  await expect(form.getByLabel('Control (live version)')).toHaveValue('2.4.0');
  await form.getByLabel('Treatment 1').selectOption('2.5.0');

  // A bad design is refused with the field named, and nothing is created.
  await form.getByRole('button', { name: 'Create experiment' }).click();
  await expect(form.getByRole('alert').first()).toContainText('Some fields are not valid.');
  await expect(form.getByText('At least 3 characters')).toBeVisible();

  const name = `Deeper trees ${Date.now()}`;
  await form.getByLabel('Experiment name').fill(name);
  await form.getByLabel('Hypothesis').fill('Deeper trees lift add-to-cart by at least 5 %.');
  await form.getByLabel('Minimum detectable effect %').fill('5');
  await form.getByLabel('Baseline rate %').fill('10');
  // 10 % baseline, +5 %, α 0.05, power 0.8, two arms: the calculator answers as you type.
  await expect(form.getByTestId('sample-size')).toContainText('57,760');
  await form.getByRole('button', { name: 'Create experiment' }).click();

  await expect(page.getByRole('heading', { name })).toBeVisible();
  await expect(page.getByText('ready to start')).toBeVisible();
  const id = new URL(page.url()).pathname.split('/').pop()!;
  const created = await apiGet<Experiment>(page.request, `/api/v1/experiments/${id}`);
  expect(created).toMatchObject({ status: 'ready', design: { arms: [{ version: '2.4.0', allocation: 50 }, { version: '2.5.0', allocation: 50 }] } });

  // Start its release: the arms take traffic (the routing endpoint says so).
  await page.getByRole('link', { name: 'its release' }).click();
  await page.getByRole('button', { name: 'Start' }).click();
  await page.getByRole('dialog').getByRole('button', { name: 'Start' }).click();
  await expect(page.getByRole('status').filter({ hasText: 'Release started.' })).toBeVisible();
  const routing = await apiGet<{ versions: { version: string; weight: number; role: string }[]; assignment: { unit: string } }>(page.request, '/api/v1/services/search-ranker/routing?environment=staging');
  expect(routing.versions).toEqual([
    { version: '2.4.0', weight: 50, role: 'control' },
    { version: '2.5.0', weight: 50, role: 'treatment' },
  ]);
  expect(routing.assignment).toEqual({ unit: 'user' });

  // Ship it: the experiment ends and a release of 2.5.0 is requested.
  await page.goto(`/experiments/${id}`);
  await page.getByRole('button', { name: 'Ship a treatment…' }).click();
  const dialog = page.getByRole('dialog');
  await dialog.getByLabel(/Reason/).fill('Manual ship for the journey test');
  await dialog.getByRole('button', { name: 'Ship 2.5.0' }).click();
  await expect(page.getByTestId('decided')).toContainText('ship 2.5.0');

  const decided = await apiGet<Experiment>(page.request, `/api/v1/experiments/${id}`);
  expect(decided).toMatchObject({ status: 'shipped', decision: 'ship', shippedVersion: '2.5.0' });
  const promotion = await apiGet<{ version: string; strategy: string; state: string }>(page.request, `/api/v1/releases/${decided.promotionReleaseId}`);
  expect(promotion).toMatchObject({ version: '2.5.0', strategy: 'canary', state: 'approved' });
  const ab = await apiGet<{ state: string }>(page.request, `/api/v1/releases/${created.releaseId}`);
  expect(ab.state).toBe('aborted');
});
