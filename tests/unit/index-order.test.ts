import { describe, expect, it } from 'vitest';
import { getTableConfig, PgTable } from 'drizzle-orm/pg-core';
import * as schema from '@/db/schema';

/**
 * `ORDER BY x DESC` means DESC NULLS FIRST to Postgres, and an index built DESC NULLS LAST (what
 * drizzle's `.desc()` alone declares) cannot serve it in either direction: the planner sorts the
 * whole table instead (migration 0016). Every descending index column must say `.nullsFirst()`.
 */
describe('indexes in db/schema', () => {
  const tables = Object.values(schema as Record<string, unknown>).filter((value): value is PgTable => value instanceof PgTable);
  const descending = tables.flatMap((table) => {
    const config = getTableConfig(table);
    return config.indexes.flatMap((index) =>
      index.config.columns.flatMap((column) => {
        const order = (column as { indexConfig?: { order?: string; nulls?: string } }).indexConfig;
        return order?.order === 'desc' ? [{ index: `${config.name}.${index.config.name}`, nulls: order.nulls }] : [];
      }),
    );
  });

  it('finds the descending columns it is about', () => {
    expect(descending.map((d) => d.index)).toEqual(expect.arrayContaining(['model_versions.model_versions_registered_idx', 'audit_events.audit_events_action_idx']));
  });

  it('builds every descending column NULLS FIRST, the order `ORDER BY x DESC` asks for', () => {
    expect(descending.filter((d) => d.nulls !== 'first')).toEqual([]);
  });
});
