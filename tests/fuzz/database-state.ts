import { getTableName, is, sql } from 'drizzle-orm';
import { PgTable } from 'drizzle-orm/pg-core';
import * as schema from '@/db/schema';
import { rowsOf, type Database } from '@/db';

/**
 * What "the database is unchanged" means for the fuzz suite: every table of the schema (found
 * from `@/db/schema`, so a new table is covered without listing it) keeps its row count and its
 * newest row version (max xmin: any committed INSERT or UPDATE raises it), and the audit chain
 * keeps its head. Stronger than tests/support/fixtures' rowCounts: an UPDATE that slipped through
 * a refused request shows too.
 *
 * `api_keys` is compared by content without `last_used_at`: authenticating a request stamps it
 * (at most once a minute), which is bookkeeping, not a change the request asked for.
 *
 * Taking the snapshot after every request is what the suite spends most time on, so it starts
 * with the next transaction id: when no transaction has written since the last snapshot (no xid
 * was assigned), nothing can have changed and the last snapshot stands.
 */
const BY_CONTENT: Record<string, string[]> = { api_keys: ['last_used_at'] };

export type DatabaseState = {
  /** The next transaction id when the snapshot was taken. */
  nextXid: string;
  tables: Record<string, { rows: number; hash: string }>;
  auditHead: { seq: number; hash: string } | null;
};

const tableNames = [
  ...new Set(
    Object.values(schema)
      .filter((value) => is(value, PgTable))
      .map((table) => getTableName(table as PgTable)),
  ),
].sort();

const quote = (name: string) => `"${name.replace(/"/g, '""')}"`;
// One round trip for all tables.
const snapshotSql = tableNames
  .map((name) =>
    BY_CONTENT[name]
      ? `select '${name}' as t, count(*)::int as n, coalesce(md5(string_agg(r, '|' order by r)), '') as h ` +
        `from (select (to_jsonb(x)${BY_CONTENT[name]!.map((c) => ` - '${c}'`).join('')})::text as r from ${quote(name)} x) s`
      : `select '${name}' as t, count(*)::int as n, coalesce(max(xmin::text::bigint), 0)::text as h from ${quote(name)}`,
  )
  .join('\nunion all\n');

// Does not assign a transaction id itself (txid_current() would).
const nextXid = async (db: Database) => rowsOf<{ x: string }>(await db.execute(sql.raw('select txid_snapshot_xmax(txid_current_snapshot())::text as x')))[0]!.x;

/** A snapshot; given the previous one, reuses it when no transaction has written since. */
export async function databaseState(db: Database, previous?: DatabaseState): Promise<DatabaseState> {
  const xid = await nextXid(db);
  if (previous && previous.nextXid === xid) return previous;
  const rows = rowsOf<{ t: string; n: number; h: string }>(await db.execute(sql.raw(snapshotSql)));
  const [head] = rowsOf<{ seq: number | string; hash: string }>(await db.execute(sql.raw('select seq, hash from audit_events order by seq desc limit 1')));
  return {
    nextXid: xid,
    tables: Object.fromEntries(rows.map((r) => [r.t, { rows: Number(r.n), hash: r.h }])),
    auditHead: head ? { seq: Number(head.seq), hash: head.hash } : null,
  };
}

/** The tables whose rows or content differ, and whether the audit head moved: empty when nothing changed. */
export function stateDifference(before: DatabaseState, after: DatabaseState): string[] {
  const changes = tableNames.flatMap((name) => {
    const a = before.tables[name];
    const b = after.tables[name];
    if (!a || !b) return [`${name}: missing from a snapshot`];
    if (a.rows !== b.rows) return [`${name}: ${a.rows} → ${b.rows} rows`];
    return a.hash !== b.hash ? [`${name}: content changed`] : [];
  });
  if (before.auditHead?.seq !== after.auditHead?.seq || before.auditHead?.hash !== after.auditHead?.hash)
    changes.push(`audit head: ${before.auditHead?.seq ?? 'none'} → ${after.auditHead?.seq ?? 'none'}`);
  return changes;
}

export const tablesCovered = () => tableNames;
