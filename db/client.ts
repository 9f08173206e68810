import { mkdirSync } from 'node:fs';
import path from 'node:path';
import type { ExtractTablesWithRelations } from 'drizzle-orm';
import type { PgDatabase, PgQueryResultHKT, PgTransaction } from 'drizzle-orm/pg-core';
import { attachChangeFeed, ChangeFeed, CHANGES_CHANNEL } from './change-feed';
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
export async function openDatabase(opts: { databaseUrl?: string; dataDir: string; readCache?: boolean }): Promise<DbHandle> {
  return opts.databaseUrl ? openPostgres(opts.databaseUrl, opts.readCache ?? true) : openPglite(opts.dataDir);
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
  // One process, one connection: a notification arrives as the committing statement returns.
  const feed = new ChangeFeed();
  await client.listen(CHANGES_CHANNEL, (table) => feed.publish(table));
  feed.listening();
  attachChangeFeed(db, feed);
  return { db: db as unknown as Database, driver: 'pglite', close: () => client.close() };
}

async function openPostgres(url: string, readCache: boolean): Promise<DbHandle> {
  const { default: postgres } = await import('postgres');
  const { drizzle } = await import('drizzle-orm/postgres-js');
  const { migrate } = await import('drizzle-orm/postgres-js/migrator');
  const sql = withoutRollbackOnLostConnection(withPreparedStatements(postgres(url, { max: 10, connect_timeout: 5, onnotice: () => {}, idle_timeout: 60, backoff: reconnectBackoff })));
  const where = safeLocation(url);
  try {
    await sql`select 1`;
  } catch (error) {
    await sql.end({ timeout: 1 }).catch(() => {});
    throw new DatabaseUnavailableError(`cannot reach Postgres at ${where}: ${describe(error)}`);
  }
  // Several instances may start at once: one migrates while the others wait on the lock. A
  // one-connection client, so that the session lock and the migration share a connection.
  const single = withoutRollbackOnLostConnection(postgres(url, { max: 1, connect_timeout: 5, onnotice: () => {} }));
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
  // Without a feed every cached read goes to the database (FLIGHTDECK_READ_CACHE=off).
  const listener = readCache ? listenForChanges(postgres, url) : null;
  if (listener) {
    await listener.started;
    attachChangeFeed(db, listener.feed);
  }
  return {
    db: db as unknown as Database,
    driver: 'postgres',
    close: async () => {
      await listener?.close();
      await sql.end({ timeout: 5 });
    },
  };
}

/**
 * A connection of its own that LISTENs on the change channel (db/change-feed.ts). postgres-js's
 * own `listen` re-listens after a lost connection but does not say it was lost, and whatever was
 * announced in between is gone: here the feed goes dark on close (caches stop serving) and comes
 * back with '*' (caches start empty) once LISTEN succeeds again, retried every second.
 */
function listenForChanges(postgres: typeof import('postgres'), url: string) {
  const feed = new ChangeFeed();
  let closed = false;
  let retry: NodeJS.Timeout | undefined;
  const client = postgres(url, {
    max: 1,
    idle_timeout: 0,
    max_lifetime: null,
    connect_timeout: 5,
    fetch_types: false,
    onnotice: () => {},
    onclose: () => {
      const wasListening = feed.live;
      feed.lost();
      // A failed connect also closes: the rejected LISTEN schedules that retry.
      if (wasListening && !closed) listen();
    },
    // Not in postgres-js's types, but how its Connection hands over NOTIFY messages.
    ...({ onnotify: (channel: string, payload: string) => channel === CHANGES_CHANNEL && feed.publish(payload) } as object),
  });
  const listen = () => {
    clearTimeout(retry);
    return client.unsafe(`listen ${CHANGES_CHANNEL}`).then(
      () => (closed ? undefined : feed.listening()),
      () => void (closed ? undefined : (retry = setTimeout(listen, 1000).unref())),
    );
  };
  return {
    feed,
    /** The first attempt: caches serve from the first request when it succeeds. */
    started: listen(),
    close: async () => {
      closed = true;
      clearTimeout(retry);
      feed.lost();
      await client.end({ timeout: 1 }).catch(() => {});
    },
  };
}

/**
 * drizzle asks postgres-js for an unnamed statement for every query (`prepare: false`), and for
 * an unnamed statement with parameters postgres-js first sends Parse + Describe, waits for the
 * parameter types, and only then sends Bind + Execute: two round trips per query. A named
 * statement is described once per connection; after that a query is one Bind + Execute. With
 * this wrapper drizzle's queries are named wherever the connection's `prepare` setting allows
 * (postgres-js's default: on; `?prepare=false` in DATABASE_URL turns it off, for a pooler in
 * transaction mode that cannot carry prepared statements).
 *
 * Measured on the benchmark's organisation: Postgres CPU per rollback 3.0 -> 1.1 ms (no parse and
 * plan per statement; bench/README.md).
 * Statements whose text is very long are those whose text grows with their input (an IN list of
 * hundreds of ids): kept unnamed, so that a connection does not keep one plan per list length.
 * Connections are recycled (postgres-js max_lifetime, 30–60 min), which bounds the rest.
 */
const MAX_PREPARED_STATEMENT_CHARS = 4000;

type Unsafe = (query: string, params?: unknown[], options?: { prepare?: boolean }) => unknown;
function withPreparedStatements<S extends { begin: (...args: never[]) => Promise<unknown> }>(sql: S): S {
  const prepareNamed = (client: { unsafe: Unsafe; savepoint?: (...args: unknown[]) => unknown }) => {
    const unsafe = client.unsafe.bind(client);
    client.unsafe = (query, params, options) => {
      if (options?.prepare !== false || query.length > MAX_PREPARED_STATEMENT_CHARS) return unsafe(query, params, options);
      // Named only where the connection allows it: postgres-js ANDs this with its own `prepare`.
      return unsafe(query, params, { ...options, prepare: true });
    };
    // A transaction's client, and a savepoint's (drizzle's nested transactions), are new objects.
    const savepoint = client.savepoint?.bind(client);
    if (savepoint)
      client.savepoint = (...args: unknown[]) => {
        const body = args.pop() as (tx: never) => unknown;
        return savepoint(...args, (tx: never) => body(prepareNamed(tx) as never));
      };
    return client;
  };
  prepareNamed(sql as unknown as { unsafe: Unsafe });
  const begin = sql.begin.bind(sql) as (...args: unknown[]) => Promise<unknown>;
  sql.begin = ((...args: unknown[]) => {
    const body = args.pop() as (tx: never) => unknown;
    return begin(...args, (tx: never) => body(prepareNamed(tx) as never));
  }) as S['begin'];
  return sql;
}

/**
 * postgres@3.4.9 (the latest release) mishandles a connection lost inside a transaction: `begin`
 * answers the failed statement with a `rollback` on that dead connection. The write either throws
 * from a timer callback — an uncaught exception, which ends `npm run controller` and is logged by
 * Next — or stays buffered in the connection and is sent ahead of its next start-up message, so
 * that pooled connection then hangs each connect for connect_timeout (5 s) until the buffer
 * overflows, long after Postgres is back (porsager/postgres#1154 and #1208; fix proposed in #1209;
 * found by tests/faults/postgres-outage.test.ts, which restarts Postgres under write load).
 *
 * Until a release fixes it: when a statement failed because the connection was lost, the
 * transaction body does not settle before postgres-js has rejected the transaction itself, which
 * it does the moment that connection closes (`begin` races the body against the close) — and from
 * then on never, so no rollback is written to a dead or, worse, reconnected connection (the server
 * rolls back the transaction of a session that ended). Should the connection stay open after all,
 * the body settles after LOST_CONNECTION_GRACE_MS and rolls back on it as usual.
 */
const LOST_CONNECTION_GRACE_MS = 2000;
const LOST_CONNECTION_CODES = new Set(['CONNECTION_CLOSED', 'CONNECTION_DESTROYED', 'ECONNRESET', 'EPIPE', 'ETIMEDOUT', '57P01', '57P02', '57P03']);

function withoutRollbackOnLostConnection<S extends { begin: (...args: never[]) => Promise<unknown> }>(sql: S): S {
  const begin = sql.begin.bind(sql) as (...args: unknown[]) => Promise<unknown>;
  sql.begin = ((...args: unknown[]) => {
    const body = args.pop() as (tx: unknown) => unknown;
    let over: () => void = () => {};
    const transactionOver = new Promise<'over'>((resolve) => (over = () => resolve('over')));
    const outcome = begin(...args, async (tx: unknown) => {
      try {
        return await body(tx);
      } catch (error) {
        if (lostConnection(error)) {
          let timer: NodeJS.Timeout | undefined;
          const grace = new Promise<'open'>((resolve) => (timer = setTimeout(() => resolve('open'), LOST_CONNECTION_GRACE_MS).unref()));
          const why = await Promise.race([transactionOver, grace]);
          clearTimeout(timer);
          if (why === 'over') return new Promise<never>(() => {}); // unreachable once dropped: garbage-collected
        }
        throw error;
      }
    });
    outcome.then(over, over);
    return outcome;
  }) as S['begin'];
  return sql;
}

function lostConnection(error: unknown): boolean {
  for (let e: unknown = error, depth = 0; e && depth < 4; e = (e as { cause?: unknown }).cause, depth++) {
    const code = (e as { code?: unknown }).code;
    if (typeof code === 'string' && LOST_CONNECTION_CODES.has(code)) return true;
  }
  return false;
}

/**
 * Seconds a pooled connection waits before its next connect attempt after failed ones (postgres-js
 * `backoff`; `retries` counts failures since the last success, across the pool). The default grows
 * to 10–20 s within a second of refused attempts under load, and a query waits out its connection's
 * delay: during a 2 s restart some requests took 9–15 s to be answered 503 instead of failing fast,
 * and the first writes after it waited as long. Capped at 1 s: a down server costs at most a
 * refused connection per request, and a recovered one is used within a second.
 */
export function reconnectBackoff(retries: number): number {
  return Math.min(0.05 * 2 ** retries, 1) * (0.5 + Math.random() / 2);
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
