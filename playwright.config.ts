import { existsSync } from 'node:fs';
import { chromium, defineConfig } from '@playwright/test';

/**
 * End-to-end journeys in a real Chromium against a production build (`next build` first).
 * Browser: CHROMIUM_PATH, else Debian's /usr/bin/chromium, else Playwright's own download.
 * Database: embedded in-memory PGlite, or the Postgres in E2E_DATABASE_URL (.ci/run does both).
 */
const PORT = Number(process.env.E2E_PORT ?? 3100);
const baseURL = `http://localhost:${PORT}`;
/** The fake MLflow tracking server the app syncs from (e2e/mlflow.spec.ts). */
const MLFLOW_PORT = Number(process.env.FAKE_MLFLOW_PORT ?? 3199);
const mlflowURL = `http://127.0.0.1:${MLFLOW_PORT}`;

function chromiumPath(): string | undefined {
  const candidates = [process.env.CHROMIUM_PATH, '/usr/bin/chromium'].filter((p): p is string => !!p);
  const found = candidates.find((p) => existsSync(p));
  if (found) return found;
  if (existsSync(chromium.executablePath())) return undefined; // Playwright's own browser
  throw new Error(
    'No Chromium found for the end-to-end tests. Install one: `apt-get install -y chromium` (Debian/Ubuntu), ' +
      'or `npx playwright install chromium`, or set CHROMIUM_PATH.',
  );
}

const databaseEnv: Record<string, string> = process.env.E2E_DATABASE_URL
  ? { DATABASE_URL: process.env.E2E_DATABASE_URL }
  : { FLIGHTDECK_DATA_DIR: 'memory://', DATABASE_URL: '' };

export default defineConfig({
  testDir: './e2e',
  fullyParallel: false,
  workers: 1,
  retries: 0,
  timeout: 60_000,
  expect: { timeout: 10_000 },
  reporter: [['list'], ['json', { outputFile: process.env.E2E_REPORT ?? '.reports/playwright.json' }]],
  use: {
    baseURL,
    trace: 'retain-on-failure',
    screenshot: 'only-on-failure',
    launchOptions: {
      executablePath: chromiumPath(),
      args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
    },
  },
  webServer: [
    {
      command: 'npx tsx tests/support/run-fake-mlflow.ts',
      url: `${mlflowURL}/health`,
      timeout: 30_000,
      reuseExistingServer: false,
      env: { FAKE_MLFLOW_PORT: String(MLFLOW_PORT) },
    },
    {
      command: 'node server.mjs',
      url: `${baseURL}/api/health`,
      timeout: 120_000,
      reuseExistingServer: false,
      stdout: 'pipe',
      env: {
        ...databaseEnv,
        FLIGHTDECK_DEMO: '1',
        NEXTAUTH_URL: baseURL,
        PORT: String(PORT),
        NEXTAUTH_SECRET: 'e2e-secret-not-for-production-use',
        NEXT_TELEMETRY_DISABLED: '1',
        // No schedule: the import happens only when a test asks for it.
        FLIGHTDECK_MLFLOW_URL: mlflowURL,
        FLIGHTDECK_MLFLOW_SYNC_SECONDS: '0',
      },
    },
  ],
});
