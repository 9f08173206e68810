import { createScratchDatabase } from '@/db/scratch-database';
import { openDatabase, type DbHandle } from '@/db/client';

/**
 * The databases every integration suite runs against: embedded PGlite always, and a real
 * Postgres server when TEST_DATABASE_URL is set. On Postgres each suite gets a database of its
 * own (created here, dropped afterwards), so suites can run in parallel without seeing each other.
 */
export const targets: { name: 'pglite' | 'postgres' }[] = [
  // .ci/run sets TEST_SKIP_PGLITE for its second pass, which is about Postgres only.
  ...(process.env.TEST_SKIP_PGLITE ? [] : [{ name: 'pglite' as const }]),
  ...(process.env.TEST_DATABASE_URL ? [{ name: 'postgres' as const }] : []),
];

export async function openTestDatabase(target: 'pglite' | 'postgres'): Promise<DbHandle> {
  if (target === 'pglite') return openDatabase({ dataDir: 'memory://' });
  const scratch = await createScratchDatabase(process.env.TEST_DATABASE_URL!, 'fd_test');
  const handle = await openDatabase({ databaseUrl: scratch.url, dataDir: 'unused' });
  return {
    ...handle,
    close: async () => {
      await handle.close();
      await scratch.drop();
    },
  };
}
