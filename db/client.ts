import { mkdirSync } from 'node:fs';
import path from 'node:path';
import type { ExtractTablesWithRelations } from 'drizzle-orm';
import type { PgDatabase, PgQueryResultHKT, PgTransaction } from 'drizzle-orm/pg-core';
import * as schema from './schema';

export type Schema = typeof schema;
/** Both drivers (PGlite and postgres-js) share this type: code never knows which one it runs on. */
export type Database = PgDatabase<PgQueryResultHKT, Schema>;
export type Tx = PgTransaction<PgQueryResultHKT, Schema, ExtractTablesWithRelations<Schema>>;
export type DbHandle = { db: Database; driver: 'pglite' | 'postgres'; close: () => Promise<void> };

/** A failure to reach or prepare the database, phrased for one line of output. */
export class DatabaseUnavailableError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'DatabaseUnavailableError';
  }
}

const migrationsFolder = path.join(process.cwd(), 'db', 'migrations');

/**
 * Opens the database and applies pending migrations.
 * - `databaseUrl` set: a Postgres server through postgres-js.
 * - otherwise: embedded PGlite in `dataDir` (`memory://` keeps nothing).
 */
export async function openDatabase(opts: { databaseUrl?: string; dataDir: string }): Promise<DbHandle> {
  return opts.databaseUrl ? openPostgres(opts.databaseUrl) : openPglite(opts.dataDir);
}

async function openPglite(dataDir: string): Promise<DbHandle> {
  const { PGlite } = await import('@electric-sql/pglite');
  const { drizzle } = await import('drizzle-orm/pglite');
  const { migrate } = await import('drizzle-orm/pglite/migrator');
  if (!dataDir.startsWith('memory://')) mkdirSync(dataDir, { recursive: true });
  let client: InstanceType<typeof PGlite>;
  try {
    client = await PGlite.create(dataDir);
  } catch (error) {
    throw new DatabaseUnavailableError(`cannot open the embedded database in ${dataDir}: ${describe(error)}`);
  }
  const db = drizzle(client, { schema });
  await migrate(db, { migrationsFolder });
  return { db: db as unknown as Database, driver: 'pglite', close: () => client.close() };
}

async function openPostgres(url: string): Promise<DbHandle> {
  const { default: postgres } = await import('postgres');
  const { drizzle } = await import('drizzle-orm/postgres-js');
  const { migrate } = await import('drizzle-orm/postgres-js/migrator');
  const sql = postgres(url, { max: 10, connect_timeout: 5, onnotice: () => {}, idle_timeout: 60 });
  const where = safeLocation(url);
  try {
    await sql`select 1`;
  } catch (error) {
    await sql.end({ timeout: 1 }).catch(() => {});
    throw new DatabaseUnavailableError(`cannot reach Postgres at ${where}: ${describe(error)}`);
  }
  // Several instances may start at once: one migrates while the others wait on the lock. A
  // one-connection client, so that the session lock and the migration share a connection.
  const single = postgres(url, { max: 1, connect_timeout: 5, onnotice: () => {} });
  try {
    await single`select pg_advisory_lock(7262001)`;
    await migrate(drizzle(single, { schema }), { migrationsFolder });
  } catch (error) {
    await sql.end({ timeout: 1 }).catch(() => {});
    throw new DatabaseUnavailableError(`cannot migrate Postgres at ${where}: ${describe(error)}`);
  } finally {
    await single.end({ timeout: 5 }).catch(() => {}); // ending the session releases the lock
  }
  const db = drizzle(sql, { schema });
  return { db: db as unknown as Database, driver: 'postgres', close: () => sql.end({ timeout: 5 }) };
}

/** host:port/database, never the password. */
function safeLocation(url: string): string {
  const u = new URL(url);
  return `${u.hostname}:${u.port || 5432}${u.pathname}`;
}

function describe(error: unknown): string {
  if (error instanceof Error) {
    const code = (error as { code?: string }).code;
    const message = error.message || code || error.name;
    // AggregateError (connection refused on every address) carries no message of its own.
    if (!error.message && 'errors' in error && Array.isArray(error.errors) && error.errors[0] instanceof Error)
      return describe(error.errors[0]);
    return code && !message.includes(code) ? `${message} (${code})` : message;
  }
  return String(error);
}

/** `db.execute` answers an array on postgres-js and `{ rows }` on PGlite; this reads either. */
export function rowsOf<T>(result: unknown): T[] {
  return (Array.isArray(result) ? result : (result as { rows: T[] }).rows) as T[];
}
