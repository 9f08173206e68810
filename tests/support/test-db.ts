import { randomBytes } from 'node:crypto';
import postgres from 'postgres';
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
  const adminUrl = process.env.TEST_DATABASE_URL!;
  const name = `fd_test_${randomBytes(6).toString('hex')}`;
  const admin = postgres(adminUrl, { max: 1, onnotice: () => {} });
  await admin.unsafe(`create database ${name}`);
  await admin.end();
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  const handle = await openDatabase({ databaseUrl: url.toString(), dataDir: 'unused' });
  return {
    ...handle,
    close: async () => {
      await handle.close();
      const cleanup = postgres(adminUrl, { max: 1, onnotice: () => {} });
      await cleanup.unsafe(`drop database if exists ${name} with (force)`);
      await cleanup.end();
    },
  };
}
