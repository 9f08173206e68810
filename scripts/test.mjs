#!/usr/bin/env node
// `npm test`: everything, in the order that fails fastest — types, unit and integration tests
// (embedded PGlite; also Postgres when TEST_DATABASE_URL is set), a production build, then the
// end-to-end journeys in Chromium. Reports land in .reports/ and are summed at the end.
import { spawnSync } from 'node:child_process';
import { mkdirSync, rmSync } from 'node:fs';

const env = { ...process.env, NEXT_TELEMETRY_DISABLED: '1' };
rmSync('.reports', { recursive: true, force: true });
mkdirSync('.reports', { recursive: true });

const step = (name, cmd, args) => {
  console.log(`\n▶ ${name}`);
  const result = spawnSync(cmd, args, { stdio: 'inherit', env });
  return result.status === 0;
};

let ok = step('typecheck', 'npm', ['run', '--silent', 'typecheck']);
ok = step('unit and integration tests', 'npx', ['vitest', 'run', '--reporter=default', '--reporter=json', '--outputFile.json=.reports/vitest.json']) && ok;
if (step('production build', 'npx', ['next', 'build'])) {
  ok = step('end-to-end tests', 'npx', ['playwright', 'test']) && ok;
} else ok = false;

const summary = spawnSync('node', ['scripts/summarize-reports.mjs'], { stdio: 'inherit' });
process.exit(ok && summary.status === 0 ? 0 : 1);
