import { getConfig } from '@/lib/config';
import { openDatabase, type DbHandle } from './client';

export type { Database, Tx, DbHandle } from './client';
export { DatabaseUnavailableError, rowsOf } from './client';

// One database per process, on globalThis: route handlers, server actions and instrumentation
// are separate bundles, and two PGlite instances on one folder would corrupt it.
const g = globalThis as { __flightdeckDb?: Promise<DbHandle> };

export function getDbHandle(): Promise<DbHandle> {
  if (!g.__flightdeckDb) {
    const config = getConfig();
    g.__flightdeckDb = openDatabase({ databaseUrl: config.databaseUrl, dataDir: config.dataDir, readCache: config.readCache });
    // A failed open must not be cached forever: the next request tries again.
    g.__flightdeckDb.catch(() => {
      g.__flightdeckDb = undefined;
    });
  }
  return g.__flightdeckDb;
}

export async function getDb() {
  return (await getDbHandle()).db;
}
