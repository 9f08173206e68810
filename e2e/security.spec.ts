import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { expect, test, type APIResponse, type Page } from '@playwright/test';
import { apiGet, signIn } from './support';

type Item<T> = { items: T[] };
const FOREIGN_ORIGIN = 'https://attacker.example';

function expectCommonHeaders(response: APIResponse) {
  const h = response.headers();
  expect(h['x-content-type-options']).toBe('nosniff');
  expect(h['x-frame-options']).toBe('DENY');
  expect(h['referrer-policy']).toBe('same-origin');
  expect(h['permissions-policy']).toContain('camera=()');
  expect(h['content-security-policy']).toContain("frame-ancestors 'none'");
}

test('pages and API responses carry the security headers; HSTS only over TLS', async ({ page, request }) => {
  const signin = await request.get('/signin');
  expectCommonHeaders(signin);
  const csp = signin.headers()['content-security-policy']!;
  const nonce = /'nonce-([^']+)'/.exec(csp)?.[1];
  expect(nonce, csp).toBeTruthy();
  expect(csp).toContain("'strict-dynamic'");
  expect(csp).not.toMatch(/script-src[^;]*'unsafe-inline'/);
  expect(csp).toContain("object-src 'none'");
  // Every script Next.js wrote into the page carries this response's nonce; the next response has another.
  const html = await signin.text();
  const scripts = html.match(/<script\b[^>]*>/g) ?? [];
  expect(scripts.length).toBeGreaterThan(0);
  for (const tag of scripts) expect(tag).toContain(`nonce="${nonce}"`);
  expect((await request.get('/signin')).headers()['content-security-policy']).not.toContain(nonce!);
  // Plain http here (NEXTAUTH_URL is http://localhost): no HSTS, no upgrade-insecure-requests.
  expect(signin.headers()['strict-transport-security']).toBeUndefined();
  expect(csp).not.toContain('upgrade-insecure-requests');

  const health = await request.get('/api/health');
  expect(health.status()).toBe(200);
  expectCommonHeaders(health);
  expect(health.headers()['content-security-policy']).toBe("default-src 'none'; frame-ancestors 'none'");
  expect(health.headers()['strict-transport-security']).toBeUndefined();

  // A signed-in API read as well (the session cookie does not change the headers).
  await signIn(page, 'viewer');
  const me = await page.request.get('/api/v1/me');
  expect(me.status()).toBe(200);
  expectCommonHeaders(me);

  // Behind a TLS-terminating proxy (X-Forwarded-Proto: https): HSTS on pages and API responses.
  const viaTls = { headers: { 'x-forwarded-proto': 'https' } };
  for (const path of ['/signin', '/api/health']) {
    const response = await request.get(path, viaTls);
    expect(response.headers()['strict-transport-security'], path).toBe('max-age=31536000; includeSubDomains');
  }
  expect((await request.get('/signin', viaTls)).headers()['content-security-policy']).toContain('upgrade-insecure-requests');
});

/** Console messages about a Content Security Policy (or Permissions-Policy), and violation events. */
function watchPolicyViolations(page: Page): string[] {
  const found: string[] = [];
  page.on('console', (message) => {
    const text = message.text();
    if (/Content Security Policy|Refused to|Permissions-Policy/i.test(text)) found.push(`${page.url()}: ${text}`);
  });
  page.on('pageerror', (error) => found.push(`${page.url()}: uncaught ${error.message}`));
  return found;
}

test('no page of the demo violates the Content Security Policy (admin, charts included)', async ({ page }) => {
  test.setTimeout(180_000);
  const violations = watchPolicyViolations(page);
  // Also the DOM's own report, in case a message is worded differently: installed before any page script.
  await page.addInitScript(() => {
    document.addEventListener('securitypolicyviolation', (e) => {
      const w = window as unknown as { __csp?: string[] };
      (w.__csp ??= []).push(`${e.violatedDirective} ${e.blockedURI}`);
    });
  });
  await signIn(page, 'admin');

  const release = (await apiGet<Item<{ id: string }>>(page.request, '/api/v1/releases?model=fraud-detector&environment=production')).items[0];
  const version = (await apiGet<Item<{ version: string }>>(page.request, '/api/v1/models/fraud-detector/versions')).items[0];
  const experiment = (await apiGet<Item<{ id: string }>>(page.request, '/api/v1/experiments')).items[0];
  expect(release && version && experiment).toBeTruthy();
  // The demo's bad canary is rolled back within about a minute of start-up: an alert and an incident.
  let alertId: string | undefined;
  let incidentId: string | undefined;
  await expect
    .poll(
      async () => {
        alertId = (await apiGet<Item<{ alert: { id: string } }>>(page.request, '/api/v1/alerts')).items[0]?.alert.id;
        incidentId = (await apiGet<Item<{ incident: { id: string } }>>(page.request, '/api/v1/incidents')).items[0]?.incident.id;
        return Boolean(alertId && incidentId);
      },
      { timeout: 90_000, intervals: [2000] },
    )
    .toBe(true);

  const pages = [
    '/',
    '/models',
    '/models/fraud-detector',
    `/models/fraud-detector/versions/${version!.version}`,
    '/releases',
    `/releases/${release!.id}`,
    `/releases/${release!.id}/record`,
    '/releases/approvals',
    '/experiments',
    `/experiments/${experiment!.id}`,
    '/experiments/new',
    '/alerts',
    `/alerts/${alertId}`,
    '/models/credit-limit-advisor/drift',
    '/models/credit-limit-advisor/drift/utilisation',
    '/audit',
    '/incidents',
    `/incidents/${incidentId}`,
    '/settings',
    '/no-such-page', // the 404 page: rendered per request too, or its scripts would lack the nonce
  ];
  const withCharts = new Set([`/releases/${release!.id}`, `/experiments/${experiment!.id}`]);
  for (const path of pages) {
    await page.goto(path);
    await expect(page.locator('main h1').first(), path).toBeVisible();
    await expect(page.getByText('This page could not be loaded'), path).toHaveCount(0);
    // Charts are client components loaded after the page (next/dynamic): wait until they are drawn.
    if (withCharts.has(path)) await expect(page.locator('.recharts-surface').first(), path).toBeVisible();
    await page.waitForLoadState('networkidle');
    const reported = await page.evaluate(() => (window as unknown as { __csp?: string[] }).__csp ?? []);
    violations.push(...reported.map((r) => `${path}: ${r}`));
  }
  // A client-side navigation (RSC fetch, no new document) and the signed-in redirect away from sign-in.
  await page.goto('/models');
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Releases' }).click();
  await expect(page).toHaveURL(/\/releases$/);
  await page.goto('/signin'); // signed in: sent back to Overview
  await expect(page.getByRole('heading', { name: 'Overview' })).toBeVisible();
  expect(violations).toEqual([]);
});

test('the sign-in page shows no policy violation to a signed-out visitor', async ({ page }) => {
  const violations = watchPolicyViolations(page);
  await page.goto('/signin');
  await expect(page.getByRole('region', { name: 'Demo accounts' })).toBeVisible();
  await page.getByRole('region', { name: 'Demo accounts' }).getByRole('button', { name: /Viewer/ }).click(); // hydrated
  await expect(page.getByLabel('E-mail')).not.toHaveValue('');
  expect(violations).toEqual([]);
});

test('another site cannot frame a page (frame-ancestors, X-Frame-Options)', async ({ page, baseURL }) => {
  // "Another site": a page served from another origin on this machine (Chromium refuses frames from
  // public pages such as data: URLs to local addresses before any header is read).
  const site = createServer((_req, res) => {
    res.writeHead(200, { 'content-type': 'text/html' });
    res.end(`<h1>elsewhere</h1><iframe src="${baseURL}/signin" width="600" height="400"></iframe>`);
  });
  await new Promise<void>((resolve) => site.listen(0, '127.0.0.1', resolve));
  try {
    const refusals: string[] = [];
    page.on('console', (m) => {
      if (/frame-ancestors|X-Frame-Options|Refused to (display|frame)/i.test(m.text())) refusals.push(m.text());
    });
    await page.goto(`http://127.0.0.1:${(site.address() as AddressInfo).port}/`);
    await expect(page.getByRole('heading', { name: 'elsewhere' })).toBeVisible();
    await expect.poll(() => refusals.join('\n'), { timeout: 10_000 }).toContain("frame-ancestors 'none'");
    const framed = page.frames().find((f) => f !== page.mainFrame());
    expect(framed).toBeTruthy();
    // The frame holds the browser's error page, not the sign-in form.
    await expect(framed!.getByLabel('E-mail')).toHaveCount(0);
  } finally {
    await new Promise((resolve) => site.close(resolve));
  }
});

test('a server action is refused from a foreign origin and without a session; the same request otherwise works', async ({ page, playwright, baseURL }) => {
  const name = `csrf-probe-${Date.now() % 1_000_000}`;
  await signIn(page, 'admin', '/models');
  await page.getByRole('button', { name: 'New model' }).click();
  const form = page.getByRole('form', { name: 'New model' });
  await form.getByLabel('Name').fill(name);
  await form.getByLabel('Owner team').fill('security');

  // Capture the browser's server action POST (its id, encoding and body) and keep it from the server.
  let captured: { headers: Record<string, string>; body: Buffer } | undefined;
  await page.route('**/models', async (route) => {
    const r = route.request();
    if (r.method() !== 'POST' || !r.headers()['next-action']) return route.continue();
    captured = { headers: await r.allHeaders(), body: r.postDataBuffer()! };
    await route.abort();
  });
  await form.getByRole('button', { name: 'Create model' }).click();
  await expect.poll(() => captured !== undefined).toBe(true);
  await page.unroute('**/models');
  const action = {
    'next-action': captured!.headers['next-action']!,
    'content-type': captured!.headers['content-type']!,
    accept: 'text/x-component',
  };
  expect(action['next-action']).toMatch(/^[0-9a-f]{40,}$/);
  const modelStatus = async () => (await page.request.get(`/api/v1/models/${name}`)).status();
  expect(await modelStatus()).toBe(404);

  // 1. Signed in, but posted from another site (CSRF): Next.js compares Origin with Host and aborts.
  const foreign = await page.request.post('/models', { headers: { ...action, origin: FOREIGN_ORIGIN }, data: captured!.body, maxRedirects: 0 });
  expect(foreign.status()).toBeGreaterThanOrEqual(400); // 500 "Invalid Server Actions request." in Next 16
  expect(await foreign.text()).not.toContain('created');
  expect(await modelStatus()).toBe(404);

  // 2. Same origin, no session cookie: runAction finds no actor and answers with the error state.
  const anonymous = await playwright.request.newContext({ baseURL });
  const unsigned = await anonymous.post('/models', { headers: { ...action, origin: baseURL! }, data: captured!.body, maxRedirects: 0 });
  expect(unsigned.status()).toBe(200);
  const refusal = await unsigned.text();
  expect(refusal).toContain('Your session has ended: sign in again');
  expect(refusal).not.toContain(`Model ${name} created`);
  await anonymous.dispose();
  expect(await modelStatus()).toBe(404);

  // 3. Control: the very same request, same origin and signed in, does create the model.
  const genuine = await page.request.post('/models', { headers: { ...action, origin: baseURL! }, data: captured!.body, maxRedirects: 0 });
  expect(genuine.status()).toBe(200);
  expect(await genuine.text()).toContain(`Model ${name} created.`);
  expect(await modelStatus()).toBe(200);
});
