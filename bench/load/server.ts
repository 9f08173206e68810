import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, readFileSync, statSync } from 'node:fs';

/**
 * The production build served by server.mjs (as `npm start` runs it) in a process of its own, so the load generator
 * (this process) and the server do not share a core's event loop. Builds first when there is no
 * build (`.next/BUILD_ID`); BENCH_REBUILD=1 forces one.
 */
export function ensureBuild(log: (line: string) => void): void {
  if (existsSync('.next/BUILD_ID') && !process.env.BENCH_REBUILD) {
    log(`  reusing the production build of ${statSync('.next/BUILD_ID').mtime.toISOString()} (BENCH_REBUILD=1 to rebuild)`);
    return;
  }
  log('  next build…');
  const build = spawnSync('npx', ['next', 'build'], { stdio: ['ignore', 'ignore', 'inherit'], env: { ...process.env, NEXT_TELEMETRY_DISABLED: '1' } });
  if (build.status !== 0) throw new Error('next build failed');
}

export type Server = { url: string; pid: number; rssBytes: () => number; stop: () => Promise<void> };

export const ADMIN = { email: 'bench-admin@flightdeck.bench', password: 'bench-password-123' };
export const API_KEY = 'fd_bench_admin_key_0123456789abcdef';

/** The heap flags of `npm start` and the Dockerfile: measured as shipped. */
export const SERVER_NODE_FLAGS = ['--max-old-space-size=1024', '--max-semi-space-size=32'];

export async function startServer(env: Record<string, string>, port: number, nodeArgs: string[] = []): Promise<Server> {
  const child: ChildProcess = spawn('node', [...SERVER_NODE_FLAGS, ...nodeArgs, 'server.mjs'], {
    env: {
      ...process.env,
      ...env,
      NODE_ENV: 'production',
      PORT: String(port),
      NEXTAUTH_URL: `http://127.0.0.1:${port}`,
      NEXTAUTH_SECRET: 'bench-secret-not-for-production-use',
      NEXT_TELEMETRY_DISABLED: '1',
      FLIGHTDECK_DEMO: '0',
      // The controller and webhook worker would tick over the 1,000 running releases that only
      // exist to be rolled back; the figures are about serving requests.
      FLIGHTDECK_DISABLE_WORKERS: '1',
      // One API key drives every scenario; the per-key limit (default 100/s) would cap the figures.
      FLIGHTDECK_API_RATE_LIMIT: '0',
      FLIGHTDECK_BOOTSTRAP_ADMIN_EMAIL: ADMIN.email,
      FLIGHTDECK_BOOTSTRAP_ADMIN_PASSWORD: ADMIN.password,
      FLIGHTDECK_BOOTSTRAP_API_KEY: API_KEY,
    },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let stderr = '';
  child.stderr!.on('data', (c: Buffer) => (stderr = (stderr + c.toString()).slice(-4000)));
  const url = `http://127.0.0.1:${port}`;
  for (let i = 0; i < 600; i++) {
    if (child.exitCode !== null) throw new Error(`the server exited (${child.exitCode}):\n${stderr}`);
    const ok = await fetch(`${url}/api/health`).then((r) => r.ok, () => false);
    if (ok) break;
    if (i === 599) throw new Error(`the server did not answer /api/health in 120 s:\n${stderr}`);
    await new Promise((r) => setTimeout(r, 200));
  }
  return {
    url,
    pid: child.pid!,
    rssBytes: () => treeRss(child.pid!),
    stop: async () => {
      if (child.exitCode !== null) return;
      child.kill('SIGTERM');
      await new Promise((r) => child.once('exit', r));
    },
  };
}

/** Resident memory of a process and its children (in case it forks), from /proc. */
function treeRss(pid: number): number {
  let total = 0;
  const visit = (p: number) => {
    try {
      const status = readFileSync(`/proc/${p}/status`, 'utf8');
      total += Number(/VmRSS:\s+(\d+) kB/.exec(status)?.[1] ?? 0) * 1024;
      const children = readFileSync(`/proc/${p}/task/${p}/children`, 'utf8').trim();
      for (const c of children ? children.split(/\s+/) : []) visit(Number(c));
    } catch {
      // the process ended between reads
    }
  };
  visit(pid);
  return total;
}

/** A session cookie through next-auth's credentials flow, as the sign-in form does it. */
export async function signIn(url: string): Promise<string> {
  const csrf = await fetch(`${url}/api/auth/csrf`);
  const { csrfToken } = (await csrf.json()) as { csrfToken: string };
  const csrfCookie = csrf.headers.getSetCookie().map((c) => c.split(';')[0]).join('; ');
  const res = await fetch(`${url}/api/auth/callback/credentials`, {
    method: 'POST',
    redirect: 'manual',
    headers: { 'content-type': 'application/x-www-form-urlencoded', cookie: csrfCookie },
    body: new URLSearchParams({ csrfToken, email: ADMIN.email, password: ADMIN.password, callbackUrl: url, json: 'true' }),
  });
  const session = res.headers.getSetCookie().map((c) => c.split(';')[0]!).find((c) => c.startsWith('next-auth.session-token='));
  if (!session) throw new Error(`sign-in failed (HTTP ${res.status})`);
  return session;
}
