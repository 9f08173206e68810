import { randomBytes } from 'node:crypto';
import { createScratchDatabase } from '@/db/scratch-database';
import { openDatabase, type DbHandle } from '@/db/client';
import type { Database } from '@/db';
import { systemActor } from '@/lib/auth/system-actor';
import type { Actor, Role } from '@/lib/domain/roles';
import { createEnvironment, createModel, registerVersion, requestRelease, startRelease } from '@/lib/services';

export type Target = 'pglite' | 'postgres';

/** The server to measure besides PGlite, if any: BENCH_DATABASE_URL, else TEST_DATABASE_URL. */
export const postgresUrl = process.env.BENCH_DATABASE_URL || process.env.TEST_DATABASE_URL || undefined;

/** A user actor as a signed-in request would carry it (same shape as tests/support/actors.ts). */
export const userActor = (roles: Role[]): Actor => ({ type: 'user', id: '00000000-0000-4000-8000-0000000000be', name: `bench-${roles.join('+') || 'viewer'}`, roles });

/**
 * PGlite in memory, or a database of its own on the Postgres server (created here, dropped on
 * close), so a run never touches data that matters and never sees a previous run's rows.
 */
export async function openBenchDatabase(target: Target): Promise<DbHandle> {
  if (target === 'pglite') return openDatabase({ dataDir: 'memory://' });
  const scratch = await createScratchDatabase(postgresUrl!, 'fd_bench');
  const handle = await openDatabase({ databaseUrl: scratch.url, dataDir: 'unused' });
  return {
    ...handle,
    close: async () => {
      await handle.close();
      await scratch.drop();
    },
  };
}

/**
 * A running canary release at 10 % created through the use cases, the way the role-matrix tests
 * do it: model → version → environment without approvals → request → start.
 */
export async function runningRelease(db: Database): Promise<string> {
  const caller = { actor: systemActor('bootstrap'), db };
  const suffix = randomBytes(4).toString('hex');
  const model = await createModel(caller, { name: `bench-${suffix}`, ownerTeam: 'bench' });
  await registerVersion(caller, { model: model.name, version: '1.0.0', artifactUri: 's3://bench/model.tar.gz', artifactDigest: `sha256:${'ab'.repeat(32)}` });
  const env = await createEnvironment(caller, { name: `bench-${suffix}`, rank: 1, policy: { requiredChecks: [], thresholds: {} } });
  const release = await requestRelease(caller, { model: model.name, version: '1.0.0', environment: env.name, strategy: 'canary', plan: [{ weight: 10 }, { weight: 100 }] });
  await startRelease(caller, { releaseId: release.id });
  return release.id;
}

/** Nearest-rank percentile of durations in ms. */
export function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))]!;
}

export async function timed<T>(fn: () => Promise<T>): Promise<{ ms: number; value: T }> {
  const start = performance.now();
  const value = await fn();
  return { ms: performance.now() - start, value };
}

/** A table row; `machine` rows describe the machine itself (bench/calibrate.ts). */
export type Row = { target: Target | 'machine'; figure: string; value: string; note?: string };

export const fmt = (n: number, digits = 0) => n.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: digits });
