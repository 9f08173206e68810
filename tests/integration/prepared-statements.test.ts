import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eq, sql } from 'drizzle-orm';
import { createScratchDatabase } from '@/db/scratch-database';
import { openDatabase, type DbHandle } from '@/db/client';
import { rowsOf, type Database, type Tx } from '@/db';
import { models } from '@/db/schema';

/**
 * db/client.ts names drizzle's statements on Postgres (one round trip per query instead of two),
 * keeps very long ones unnamed, and lets `?prepare=false` in the URL turn naming off. Named
 * statements live on the connection, so each check reads pg_prepared_statements inside the same
 * transaction (one connection) as the query it looks for.
 */
const url = process.env.TEST_DATABASE_URL;

describe.skipIf(!url)('prepared statements on Postgres', () => {
  let scratch: Awaited<ReturnType<typeof createScratchDatabase>>;
  let named: DbHandle;
  let unnamed: DbHandle;

  beforeAll(async () => {
    scratch = await createScratchDatabase(url!, 'fd_test');
    named = await openDatabase({ databaseUrl: scratch.url, dataDir: 'unused', readCache: false });
    unnamed = await openDatabase({ databaseUrl: `${scratch.url}${scratch.url.includes('?') ? '&' : '?'}prepare=false`, dataDir: 'unused', readCache: false });
  });
  afterAll(async () => {
    await named?.close();
    await unnamed?.close();
    await scratch?.drop();
  });

  const preparedOnThisConnection = async (tx: Tx | Database) =>
    rowsOf<{ statement: string }>(await tx.execute(sql`select statement from pg_prepared_statements`)).map((r) => r.statement);
  const lookup = (tx: Tx) => tx.select({ id: models.id }).from(models).where(eq(models.name, 'no-such-model'));
  const isLookup = (statement: string) => statement.startsWith('select "id" from "models" where "models"."name" = $1');

  it('names a query in a transaction, and answers it the same the second time', async () => {
    const statements = await named.db.transaction(async (tx) => {
      expect(await lookup(tx)).toEqual([]);
      expect(await lookup(tx)).toEqual([]);
      return preparedOnThisConnection(tx);
    });
    expect(statements.filter(isLookup)).toHaveLength(1);
  });

  it('names a query in a nested transaction (a savepoint)', async () => {
    const statements = await named.db.transaction(async (tx) =>
      tx.transaction(async (inner) => {
        await inner.select({ id: models.id }).from(models).where(eq(models.ownerTeam, 'nested-only'));
        return preparedOnThisConnection(inner);
      }),
    );
    expect(statements.some((s) => s.includes('"models"."owner_team" = $1'))).toBe(true);
  });

  it('keeps a very long statement unnamed (bulk writes whose text changes with the row count)', async () => {
    const names = Array.from({ length: 800 }, (_, i) => `long-statement-${i}`);
    const statements = await named.db.transaction(async (tx) => {
      const found = await tx.select({ id: models.id }).from(models).where(sql`${models.name} in (${sql.join(names.map((n) => sql`${n}`), sql`, `)})`);
      expect(found).toEqual([]);
      return preparedOnThisConnection(tx);
    });
    expect(statements.some((s) => s.includes('long-statement') || s.includes('"models"."name" in ($1, $2'))).toBe(false);
  });

  it('names nothing when the URL says prepare=false (a pooler in transaction mode)', async () => {
    const statements = await unnamed.db.transaction(async (tx) => {
      expect(await lookup(tx)).toEqual([]);
      return preparedOnThisConnection(tx);
    });
    expect(statements.filter(isLookup)).toEqual([]);
  });
});
