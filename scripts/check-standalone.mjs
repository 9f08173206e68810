#!/usr/bin/env node
// Proves that the standalone server the Dockerfile ships works, without Docker: copies
// .next/standalone, .next/static and public into a temporary folder exactly as the Dockerfile's
// runtime stage does (with server.mjs, which the image runs), then starts `node server.mjs` there twice —
//   1. on embedded PGlite in a fresh data folder,
//   2. on Postgres, in a scratch database created for the run and dropped after it —
// and checks /api/health (up, every migration applied), the sign-in page (CSP nonce on its
// scripts, a static chunk served), that the routing endpoint is answered without Next's router and, on Postgres, the migrations table and the bootstrap admin.
//
//   npx next build && node scripts/check-standalone.mjs [--build] [--no-postgres]
//
// --build runs `next build` first. Postgres: CHECK_STANDALONE_PG_URL, default
// postgres://flightdeck:flightdeck@127.0.0.1:5432/postgres (a role that may create databases).
// Exits non-zero with the server's output when a check fails. About 20 s after a build (2 cores).
import { spawn, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import postgres from 'postgres';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const args = new Set(process.argv.slice(2));
const adminUrl = process.env.CHECK_STANDALONE_PG_URL || 'postgres://flightdeck:flightdeck@127.0.0.1:5432/postgres';
const ADMIN = { email: 'standalone-check@example.com', password: 'standalone-check-password' };
const started = Date.now();
const log = (message) => console.log(`check-standalone [${((Date.now() - started) / 1000).toFixed(1)} s] ${message}`);

class CheckFailed extends Error {}
function check(condition, message) {
  if (!condition) throw new CheckFailed(message);
}

if (args.has('--build')) {
  log('next build …');
  const build = spawnSync('npx', ['--no-install', 'next', 'build'], { cwd: root, stdio: 'inherit', env: { ...process.env, NEXT_TELEMETRY_DISABLED: '1' } });
  if (build.status !== 0) process.exit(build.status ?? 1);
}
const standalone = path.join(root, '.next', 'standalone');
if (!existsSync(path.join(standalone, 'server.js'))) {
  console.error('check-standalone: no .next/standalone/server.js; run `npx next build` first (next.config.js sets output: standalone).');
  process.exit(1);
}

// The Dockerfile's runtime stage: COPY .next/standalone ./ ; server.mjs ./ ; .next/static ./.next/static ; public ./public
const app = mkdtempSync(path.join(tmpdir(), 'flightdeck-standalone-'));
// verbatimSymlinks: the standalone tree links hashed external package names to ../../node_modules;
// Node would otherwise rewrite those links to absolute paths into the build folder.
cpSync(standalone, app, { recursive: true, verbatimSymlinks: true });
cpSync(path.join(root, 'server.mjs'), path.join(app, 'server.mjs'));
cpSync(path.join(root, '.next', 'static'), path.join(app, '.next', 'static'), { recursive: true });
if (existsSync(path.join(root, 'public'))) cpSync(path.join(root, 'public'), path.join(app, 'public'), { recursive: true });
log(`copied the standalone server to ${app}`);

let failed = false;
try {
  // Nothing copied by hand: the build must have traced these (next.config.js outputFileTracingIncludes).
  const journal = path.join(app, 'db', 'migrations', 'meta', '_journal.json');
  check(existsSync(journal), 'db/migrations is missing from .next/standalone (db/client.ts reads <cwd>/db/migrations)');
  check(existsSync(path.join(app, 'node_modules', '@electric-sql', 'pglite', 'dist', 'pglite.wasm')), "PGlite's wasm is missing from .next/standalone/node_modules");
  const migrations = JSON.parse(readFileSync(journal, 'utf8')).entries.length;

  await runServer('PGlite', { FLIGHTDECK_DATA_DIR: path.join(app, 'data'), DATABASE_URL: '' }, async (base) => {
    await expectHealthy(base, 'pglite', migrations);
    await expectSignInPage(base);
    await expectDirectRouting(base);
  });

  if (args.has('--no-postgres')) log('Postgres skipped (--no-postgres)');
  else {
    const scratch = await createScratchDatabase();
    try {
      await runServer('Postgres', { DATABASE_URL: scratch.url }, async (base) => {
        await expectHealthy(base, 'postgres', migrations);
        await expectSignInPage(base);
      });
      const sql = postgres(scratch.url, { max: 1, onnotice: () => {} });
      try {
        const [{ n }] = await sql`select count(*)::int as n from drizzle.__drizzle_migrations`;
        check(n === migrations, `Postgres has ${n} migrations recorded, expected ${migrations}`);
        const admins = await sql`select email from users where email = ${ADMIN.email}`;
        check(admins.length === 1, 'the bootstrap admin was not created on Postgres');
      } finally {
        await sql.end({ timeout: 5 });
      }
      log(`Postgres: ${migrations} migrations recorded, bootstrap admin created`);
    } finally {
      await scratch.drop();
      log(`dropped scratch database ${scratch.name}`);
    }
  }
  log('standalone server OK');
} catch (error) {
  failed = true;
  console.error(`check-standalone: FAILED: ${error instanceof CheckFailed ? error.message : (error?.stack ?? error)}`);
} finally {
  rmSync(app, { recursive: true, force: true });
}
process.exit(failed ? 1 : 0);

/** Starts `node server.mjs` in the copy with a production environment, runs `checks`, stops it. */
async function runServer(label, env, checks) {
  const port = await freePort();
  const base = `http://127.0.0.1:${port}`;
  const server = spawn(process.execPath, ['server.mjs'], {
    cwd: app,
    env: {
      PATH: process.env.PATH,
      NODE_ENV: 'production',
      NEXT_TELEMETRY_DISABLED: '1',
      NODE_OPTIONS: '--max-old-space-size=1024 --max-semi-space-size=32', // as the Dockerfile sets it
      PORT: String(port),
      NEXTAUTH_URL: base,
      NEXTAUTH_SECRET: randomBytes(24).toString('base64'),
      FLIGHTDECK_BOOTSTRAP_ADMIN_EMAIL: ADMIN.email,
      FLIGHTDECK_BOOTSTRAP_ADMIN_PASSWORD: ADMIN.password,
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  server.stdout.on('data', (d) => (output += d));
  server.stderr.on('data', (d) => (output += d));
  const exited = new Promise((resolve) => server.once('exit', (code, signal) => resolve(signal ?? code)));
  try {
    await waitForHealth(base, exited, 90_000);
    log(`${label}: server up on ${base}`);
    await checks(base);
  } catch (error) {
    console.error(`--- server output (${label}) ---\n${output.trim()}\n---`);
    throw error;
  } finally {
    server.kill('SIGTERM');
    const stop = setTimeout(() => server.kill('SIGKILL'), 10_000);
    await exited;
    clearTimeout(stop);
  }
}

async function waitForHealth(base, exited, timeoutMs) {
  let gone = null;
  exited.then((how) => (gone = how));
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    check(gone === null, `the server exited (${gone}) before answering /api/health`);
    try {
      const response = await fetch(`${base}/api/health`);
      if (response.status === 200) return;
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  throw new CheckFailed(`/api/health did not answer 200 within ${timeoutMs / 1000} s`);
}

async function expectHealthy(base, driver, migrations) {
  const response = await fetch(`${base}/api/health`);
  const body = await response.json();
  check(response.status === 200 && body.status === 'ok', `/api/health answered ${response.status} ${JSON.stringify(body)}`);
  check(body.database?.driver === driver, `/api/health reports driver ${body.database?.driver}, expected ${driver}`);
  check(body.database?.migrations === migrations, `/api/health reports ${body.database?.migrations} migrations, expected ${migrations}`);
  check(response.headers.get('x-content-type-options') === 'nosniff', '/api/health lacks X-Content-Type-Options: nosniff');
  log(`${driver}: /api/health ok, ${migrations} migrations applied`);
}

/** The page renders, its scripts carry the response's CSP nonce, and the copied static files are served. */
async function expectSignInPage(base) {
  const response = await fetch(`${base}/signin`);
  check(response.status === 200, `/signin answered ${response.status}`);
  const nonce = /'nonce-([^']+)'/.exec(response.headers.get('content-security-policy') ?? '')?.[1];
  check(nonce, '/signin has no Content-Security-Policy nonce');
  const html = await response.text();
  const scripts = html.match(/<script\b[^>]*>/g) ?? [];
  check(scripts.length > 0 && scripts.every((tag) => tag.includes(`nonce="${nonce}"`)), '/signin has scripts without the nonce');
  const asset = /(?:src|href)="(\/_next\/static\/[^"]+\.(?:js|css))"/.exec(html)?.[1];
  check(asset, '/signin references no /_next/static file');
  const file = await fetch(`${base}${asset}`);
  check(file.status === 200, `${asset} answered ${file.status}: .next/static was not copied next to server.mjs`);
  await file.arrayBuffer();
  log(`/signin renders with a nonce; ${asset} served`);
}

/**
 * server.mjs answers the routing endpoint itself (app/api/v1/direct-routes.ts): with the /api
 * security headers, and without the Vary header Next's router puts on everything it answers.
 */
async function expectDirectRouting(base) {
  const health = await fetch(`${base}/api/health`);
  await health.arrayBuffer();
  check(/\brsc\b/.test(health.headers.get('vary') ?? ''), `Next's router no longer sets Vary: rsc (${health.headers.get('vary')}); find another sign for this check`);
  const response = await fetch(`${base}/api/v1/services/any-model/routing?environment=production`);
  const body = await response.json();
  check(response.status === 401 && body.error?.code === 'unauthenticated', `the routing endpoint answered ${response.status} ${JSON.stringify(body)} without an API key`);
  check(response.headers.get('content-security-policy') === "default-src 'none'; frame-ancestors 'none'", 'the routing endpoint lacks the API Content-Security-Policy');
  check(response.headers.get('x-content-type-options') === 'nosniff', 'the routing endpoint lacks X-Content-Type-Options: nosniff');
  check(!/\brsc\b/.test(response.headers.get('vary') ?? ''), 'the routing endpoint was answered by Next.js, not by server.mjs directly');
  log('routing endpoint answered directly by server.mjs, with the API security headers');
}

async function createScratchDatabase() {
  const name = `fd_standalone_${randomBytes(6).toString('hex')}`;
  const admin = postgres(adminUrl, { max: 1, onnotice: () => {}, connect_timeout: 5 });
  try {
    await admin.unsafe(`create database ${name}`);
  } catch (error) {
    const where = new URL(adminUrl);
    throw new CheckFailed(`cannot create a scratch database on ${where.host} (${error.message}); set CHECK_STANDALONE_PG_URL or pass --no-postgres`);
  } finally {
    await admin.end({ timeout: 5 });
  }
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  log(`created scratch database ${name}`);
  return {
    name,
    url: url.toString(),
    drop: async () => {
      const cleanup = postgres(adminUrl, { max: 1, onnotice: () => {} });
      await cleanup.unsafe(`drop database if exists ${name} with (force)`);
      await cleanup.end({ timeout: 5 });
    },
  };
}

function freePort() {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const { port } = probe.address();
      probe.close(() => resolve(port));
    });
  });
}
