import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { chownSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import postgres from 'postgres';
import { freePort } from './free-port';

/**
 * A Postgres server of a test's own — its own data folder and port — that the test may stop,
 * restart or kill -9 at will without disturbing the shared server other suites use.
 *
 * It runs Debian's binaries (/usr/lib/postgresql/<version>/bin, or FLIGHTDECK_PG_BIN). Postgres
 * refuses to run as root, so as root (CI) it runs as the `postgres` user. `postgresBinaries()` is
 * null when the binaries are missing — the suite then skips — unless
 * FLIGHTDECK_REQUIRE_POSTGRES_BINARIES is set (CI), where that is an error instead.
 *
 * fsync is off: the tests crash the server process, never the machine, and the kernel keeps
 * what a killed process wrote; with fsync on, every commit would cost a disk flush for nothing.
 */

export type PgBinaries = { dir: string; version: string };

export function postgresBinaries(): PgBinaries | null {
  const found = findBinaries();
  if (!found && process.env.FLIGHTDECK_REQUIRE_POSTGRES_BINARIES)
    throw new Error('FLIGHTDECK_REQUIRE_POSTGRES_BINARIES is set but no Postgres server binaries were found (apt-get install -y postgresql, or set FLIGHTDECK_PG_BIN)');
  return found;
}

function findBinaries(): PgBinaries | null {
  const candidates = process.env.FLIGHTDECK_PG_BIN
    ? [process.env.FLIGHTDECK_PG_BIN]
    : existsSync('/usr/lib/postgresql')
      ? readdirSync('/usr/lib/postgresql')
          .filter((v) => /^\d+$/.test(v))
          .sort((a, b) => Number(b) - Number(a))
          .map((v) => `/usr/lib/postgresql/${v}/bin`)
      : [];
  for (const dir of candidates) {
    if (!['initdb', 'postgres'].every((b) => existsSync(join(dir, b)))) continue;
    const out = spawnSync(join(dir, 'postgres'), ['--version'], { encoding: 'utf8' });
    if (out.status === 0) return { dir, version: out.stdout.trim() };
  }
  return null;
}

export type OwnPostgres = {
  port: number;
  /** postgres://postgres@127.0.0.1:<port>/<database> (trust authentication). */
  url: (database?: string) => string;
  /** A new empty database; answers its URL. */
  createDatabase: (name: string) => Promise<string>;
  /** Starts the server (after stop or kill9) and waits until it accepts connections. */
  start: () => Promise<void>;
  /** Fast shutdown (SIGINT: sessions are cut, the server checkpoints and exits), or immediate (SIGQUIT: crash-like). */
  stop: (mode?: 'fast' | 'immediate') => Promise<void>;
  /** stop, stay down for `downMs`, start. */
  restart: (opts?: { downMs?: number; mode?: 'fast' | 'immediate' }) => Promise<void>;
  /** SIGKILL the postmaster and every process it forked, as a crash would; the next start recovers from the WAL. */
  kill9: () => Promise<void>;
  running: () => boolean;
  /** The tail of the server's log, for failure messages. */
  log: () => string;
  /** Stops the server and removes its folder. */
  destroy: () => Promise<void>;
};

export async function startOwnPostgres(bin: PgBinaries): Promise<OwnPostgres> {
  const asUser = process.getuid?.() === 0 ? postgresUser() : undefined;
  const root = mkdtempSync(join(tmpdir(), 'fd-own-pg-'));
  if (asUser) chownSync(root, asUser.uid, asUser.gid);
  const dataDir = join(root, 'data');
  // A clean environment: no PG* variables of the caller's reach the server.
  const env = { PATH: process.env.PATH ?? '/usr/bin:/bin', LC_ALL: 'C', TZ: 'UTC' } as unknown as NodeJS.ProcessEnv;
  const init = spawnSync(join(bin.dir, 'initdb'), ['-D', dataDir, '-U', 'postgres', '-A', 'trust', '-E', 'UTF8', '--locale=C', '--no-sync'], {
    encoding: 'utf8',
    env,
    cwd: root,
    ...asUser,
  });
  if (init.status !== 0) {
    rmSync(root, { recursive: true, force: true });
    throw new Error(`initdb failed (${init.status}):\n${init.stderr}${init.stdout}`);
  }
  const port = await freePort();
  const url = (database = 'postgres') => `postgres://postgres@127.0.0.1:${port}/${database}`;
  let child: ChildProcess | null = null;
  let exited: Promise<void> = Promise.resolve();
  let logTail = '';

  const running = () => child !== null && child.exitCode === null && child.signalCode === null;

  async function start() {
    if (running()) return;
    const proc = spawn(
      join(bin.dir, 'postgres'),
      [
        '-D', dataDir,
        '-p', String(port),
        '-c', 'listen_addresses=127.0.0.1',
        '-c', `unix_socket_directories=${root}`,
        '-c', 'fsync=off',
        '-c', 'full_page_writes=off',
        '-c', 'max_connections=100',
        '-c', 'shared_buffers=16MB',
        '-c', 'log_min_messages=warning',
      ],
      { env, cwd: root, stdio: ['ignore', 'pipe', 'pipe'], ...asUser },
    );
    child = proc;
    const keep = (chunk: Buffer) => (logTail = (logTail + chunk.toString()).slice(-6000));
    proc.stdout!.on('data', keep);
    proc.stderr!.on('data', keep);
    exited = new Promise((resolve) => proc.once('exit', () => resolve()));
    const deadline = Date.now() + 30_000;
    while (Date.now() < deadline) {
      if (!running()) throw new Error(`own Postgres exited while starting:\n${logTail}`);
      if (await accepts()) return;
      await sleep(100);
    }
    throw new Error(`own Postgres did not accept connections within 30 s:\n${logTail}`);
  }

  /** One connection attempt: true once the server has finished starting (or recovering). */
  async function accepts(): Promise<boolean> {
    const probe = postgres(url(), { max: 1, connect_timeout: 2, onnotice: () => {} });
    try {
      await probe`select 1`;
      return true;
    } catch {
      return false;
    } finally {
      await probe.end({ timeout: 1 }).catch(() => {});
    }
  }

  async function stop(mode: 'fast' | 'immediate' = 'fast') {
    if (!running()) return;
    child!.kill(mode === 'fast' ? 'SIGINT' : 'SIGQUIT');
    await exited;
  }

  async function kill9() {
    if (!running()) return;
    const pid = child!.pid!;
    // Frozen first, so that it cannot fork a backend between our listing its children and its death.
    process.kill(pid, 'SIGSTOP');
    const children = childrenOf(pid);
    process.kill(pid, 'SIGKILL');
    for (const c of children) {
      try {
        process.kill(c, 'SIGKILL');
      } catch {
        // already gone
      }
    }
    await exited;
    // The next start refuses while a killed backend still holds the old shared memory.
    const deadline = Date.now() + 10_000;
    while (children.some(alive) && Date.now() < deadline) await sleep(20);
  }

  async function createDatabase(name: string) {
    const admin = postgres(url(), { max: 1, onnotice: () => {} });
    try {
      await admin.unsafe(`create database "${name}"`);
    } finally {
      await admin.end({ timeout: 1 });
    }
    return url(name);
  }

  // A test process that dies without destroy() must not leave a server behind.
  const onExit = () => {
    if (running()) child!.kill('SIGQUIT');
  };
  process.once('exit', onExit);

  async function destroy() {
    process.removeListener('exit', onExit);
    await stop('fast');
    rmSync(root, { recursive: true, force: true });
  }

  try {
    await start();
  } catch (error) {
    await stop('immediate');
    rmSync(root, { recursive: true, force: true });
    throw error;
  }
  return {
    port,
    url,
    createDatabase,
    start,
    stop,
    restart: async ({ downMs = 0, mode = 'fast' } = {}) => {
      await stop(mode);
      if (downMs) await sleep(downMs);
      await start();
    },
    kill9,
    running,
    log: () => logTail,
    destroy,
  };
}

function postgresUser(): { uid: number; gid: number } {
  const uid = spawnSync('id', ['-u', 'postgres'], { encoding: 'utf8' });
  const gid = spawnSync('id', ['-g', 'postgres'], { encoding: 'utf8' });
  if (uid.status !== 0 || gid.status !== 0) throw new Error('running as root, but there is no "postgres" user to run Postgres as');
  return { uid: Number(uid.stdout.trim()), gid: Number(gid.stdout.trim()) };
}

/** Direct children of `pid`, from /proc (Linux). */
function childrenOf(pid: number): number[] {
  const out: number[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      // "pid (comm) state ppid …": comm may contain spaces, so read after its closing parenthesis.
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      if (ppid === pid) out.push(Number(entry));
    } catch {
      // exited meanwhile
    }
  }
  return out;
}

/** Alive and not a zombie (a zombie has already let go of its memory). */
function alive(pid: number): boolean {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2)[0] !== 'Z';
  } catch {
    return false;
  }
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
