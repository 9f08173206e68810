#!/usr/bin/env node
// `npm run demo`: a production build of Flightdeck on the embedded database with the seeded demo.
// Defaults only; anything already in the environment wins (PORT, FLIGHTDECK_DATA_DIR, …).
import { spawnSync } from 'node:child_process';

const port = process.env.PORT || '3000';
const env = {
  ...process.env,
  FLIGHTDECK_DEMO: process.env.FLIGHTDECK_DEMO || '1',
  NEXTAUTH_URL: process.env.NEXTAUTH_URL || `http://localhost:${port}`,
  NEXT_TELEMETRY_DISABLED: '1',
  PORT: port,
};

const run = (command, args) => {
  const result = spawnSync(command, args, { stdio: 'inherit', env });
  if (result.status !== 0) process.exit(result.status ?? 1);
};

console.log('flightdeck: building the dashboard (about a minute on 2 cores)…');
run('npx', ['--no-install', 'next', 'build']);
console.log(`flightdeck: open http://localhost:${port} and pick a demo account on the sign-in page.`);
// The production server, as `npm start` runs it (server.mjs).
run(process.execPath, ['--max-old-space-size=1024', '--max-semi-space-size=32', 'server.mjs']);
