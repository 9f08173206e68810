import { spawn, type ChildProcess } from 'node:child_process';

/** What scripts/controller.ts prints, through lib/server/controller/run.ts, when leadership changes. */
export const LEADING = 'flightdeck: controller leading';
export const NOT_LEADING = 'flightdeck: controller no longer leading';

export type ControllerProcess = {
  name: string;
  pid: number;
  /** Every line it printed (stdout and stderr), with the time it arrived. */
  lines: { at: number; text: string }[];
  /** When it last said it took the lead; null while it has not. */
  leadingSince: () => number | null;
  /** Resolves with the first line matching `pattern` printed at or after `since`. */
  waitFor: (pattern: RegExp, timeoutMs: number, since?: number) => Promise<{ at: number; text: string }>;
  /** SIGKILL, as a crash or the OOM killer would: no clean-up, its Postgres sessions just drop. */
  kill9: () => Promise<void>;
  alive: () => boolean;
  output: () => string;
};

/**
 * `npm run controller` as a child process, on `databaseUrl`. Started as `node --import tsx`
 * rather than through the tsx CLI (as `npm run controller` does) because the CLI runs the script
 * in a second process: a SIGKILL would end the wrapper and leave the controller running.
 */
export function startControllerProcess(name: string, databaseUrl: string, env: Record<string, string> = {}): ControllerProcess {
  const child: ChildProcess = spawn(process.execPath, ['--conditions=react-server', '--import', 'tsx', 'scripts/controller.ts'], {
    cwd: process.cwd(), // the repository: scripts/, tsconfig paths and db/migrations are found from there
    env: {
      PATH: process.env.PATH ?? '/usr/bin:/bin',
      HOME: process.env.HOME ?? '/tmp',
      NODE_ENV: 'test',
      DATABASE_URL: databaseUrl,
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const lines: { at: number; text: string }[] = [];
  const waiters = new Set<() => void>();
  const collect = (stream: NodeJS.ReadableStream) => {
    let partial = '';
    stream.on('data', (chunk: Buffer) => {
      const parts = (partial + chunk.toString()).split('\n');
      partial = parts.pop()!;
      const at = Date.now();
      for (const text of parts) lines.push({ at, text });
      for (const wake of waiters) wake();
    });
  };
  collect(child.stdout!);
  collect(child.stderr!);
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const alive = () => child.exitCode === null && child.signalCode === null;
  // A test that fails half-way must not leave controllers acting on a database the next run reuses.
  const onExit = () => alive() && child.kill('SIGKILL');
  process.once('exit', onExit);
  void exited.then(() => {
    process.removeListener('exit', onExit);
    for (const wake of waiters) wake();
  });

  const output = () => lines.map((l) => `[${name}] ${l.text}`).join('\n');
  return {
    name,
    pid: child.pid!,
    lines,
    leadingSince() {
      const last = lines.findLast((l) => l.text.startsWith(LEADING) || l.text.startsWith(NOT_LEADING));
      return last?.text.startsWith(LEADING) ? last.at : null;
    },
    waitFor(pattern, timeoutMs, since = 0) {
      return new Promise((resolve, reject) => {
        const check = () => {
          const hit = lines.find((l) => l.at >= since && pattern.test(l.text));
          if (hit) return done(() => resolve(hit));
          if (!alive()) return done(() => reject(new Error(`controller ${name} exited (${child.exitCode ?? child.signalCode}) before printing ${pattern}:\n${output()}`)));
        };
        const timer = setTimeout(() => done(() => reject(new Error(`controller ${name} did not print ${pattern} within ${timeoutMs} ms:\n${output()}`))), timeoutMs);
        const done = (settle: () => void) => {
          clearTimeout(timer);
          waiters.delete(check);
          settle();
        };
        waiters.add(check);
        check();
      });
    },
    async kill9() {
      if (alive()) child.kill('SIGKILL');
      await exited;
    },
    alive,
    output,
  };
}
