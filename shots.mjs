import { chromium } from '@playwright/test';
const b = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--no-sandbox','--disable-gpu','--no-first-run','--disable-background-networking','--disable-component-update','--disable-sync'] });
const ctx = await b.newContext({ viewport: { width: 1300, height: 850 } });
const p = await ctx.newPage();
await p.goto('http://localhost:3300/signin');
await p.getByLabel('E-mail').fill('lead@flightdeck.demo');
await p.getByLabel('Password').fill('flightdeck-demo');
await p.getByRole('button', { name: 'Sign in', exact: true }).click();
await p.waitForSelector('[data-testid=user-menu]');
for (const path of process.argv.slice(2)) {
  await p.goto('http://localhost:3300/' + path); await p.waitForTimeout(500);
  await p.screenshot({ path: `/tmp/shot-${path.replace(/[\/.]/g, '_')}.png`, fullPage: true });
}
await b.close();
