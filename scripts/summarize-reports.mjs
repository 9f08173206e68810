#!/usr/bin/env node
// Adds up the JSON reports of every test run (vitest and Playwright) in .reports/ and prints the
// closing line CI reads: "N passed, N failed, N skipped". Exit 1 when anything failed or nothing ran.
import { existsSync, readdirSync, readFileSync } from 'node:fs';

const dir = '.reports';
let passed = 0;
let failed = 0;
let skipped = 0;
for (const file of existsSync(dir) ? readdirSync(dir).filter((f) => f.endsWith('.json')).sort() : []) {
  const report = JSON.parse(readFileSync(`${dir}/${file}`, 'utf8'));
  let p, f, s;
  if (report.stats && 'expected' in report.stats) {
    // Playwright: expected = passed, unexpected = failed, flaky counts as passed after retry.
    p = report.stats.expected + (report.stats.flaky ?? 0);
    f = report.stats.unexpected + (report.errors?.length ? 1 : 0);
    s = report.stats.skipped;
  } else {
    // Vitest: a file that fails to load has no tests but is a failure, and so is an unhandled
    // error during the run (vitest then reports success: false with every test passed).
    p = report.numPassedTests;
    f = report.numFailedTests + (report.numFailedTestSuites && !report.numFailedTests ? report.numFailedTestSuites : 0);
    if (report.success === false && f === 0) f = 1;
    s = report.numPendingTests + (report.numTodoTests ?? 0);
  }
  console.log(`  ${file}: ${p} passed, ${f} failed, ${s} skipped`);
  passed += p;
  failed += f;
  skipped += s;
}
// A runner can exit non-zero with every test passed (an unhandled error, a failed type check or
// build): the caller passes how many steps failed, so the closing line never says 0 failed then.
const failedSteps = Number(process.env.FAILED_STEPS ?? 0);
if (failed === 0 && failedSteps > 0) {
  console.log(`  ${failedSteps} step(s) exited with an error although their tests passed (see above)`);
  failed = failedSteps;
}
console.log(`${passed} passed, ${failed} failed, ${skipped} skipped`);
process.exit(failed > 0 || passed === 0 ? 1 : 0);
