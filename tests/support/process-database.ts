import { createScratchDatabase } from '@/db/scratch-database';

/**
 * For suites that call route handlers in process. Those use the process-wide database (`@/db`),
 * configured from the environment once, on first use: importing this module sets that environment
 * before any app module loads (a throw-away PGlite; on the Postgres-only pass, see
 * tests/support/test-db.ts, a scratch database of the suite's own, created by `openProcessDatabase`).
 * Import app modules dynamically, after `openProcessDatabase()` in beforeAll.
 */
export const onPostgres = Boolean(process.env.TEST_SKIP_PGLITE && process.env.TEST_DATABASE_URL);
process.env.FLIGHTDECK_DATA_DIR = 'memory://';
delete process.env.DATABASE_URL;

let opened = false;
let drop: (() => Promise<void>) | undefined;

/** Creates the suite's database (on Postgres), opens it through `@/db`, and checks the driver. */
export async function openProcessDatabase() {
  if (onPostgres) {
    const scratch = await createScratchDatabase(process.env.TEST_DATABASE_URL!, 'fd_test');
    process.env.DATABASE_URL = scratch.url;
    drop = scratch.drop;
  }
  const { getDbHandle } = await import('@/db');
  const handle = await getDbHandle();
  opened = true;
  const expected = onPostgres ? 'postgres' : 'pglite';
  if (handle.driver !== expected) throw new Error(`the process database is ${handle.driver}, expected ${expected}`);
  return handle.db;
}

/** Closes it and drops the scratch database. */
export async function closeProcessDatabase() {
  if (opened) await (await (await import('@/db')).getDbHandle()).close();
  await drop?.();
}
