import { getTableColumns, type Column, type InferSelectModel, type Table } from 'drizzle-orm';

const columnsOf = new WeakMap<Table, [string, Column][]>();

/**
 * A row Postgres sent as JSON (`row_to_json`, `json_agg`) as drizzle's select would have returned
 * it: keys by property name, each value decoded by its column (timestamps become Dates). One
 * statement can then carry a row and its lists, where the query builder would need a statement
 * each — and the builder costs ~0.3 ms of CPU per statement (README, Performance).
 */
export function rowFromJson<T extends Table>(table: T, json: unknown): InferSelectModel<T> {
  const record = (typeof json === 'string' ? JSON.parse(json) : json) as Record<string, unknown>;
  let columns = columnsOf.get(table);
  if (!columns) columnsOf.set(table, (columns = Object.entries(getTableColumns(table))));
  const row: Record<string, unknown> = {};
  for (const [key, column] of columns) {
    const value = record[column.name];
    row[key] = value === null || value === undefined ? null : column.mapFromDriverValue(value);
  }
  return row as InferSelectModel<T>;
}

/** A JSON array of rows (json_agg), each decoded as rowFromJson does; null is an empty list. */
export function rowsFromJson<T extends Table>(table: T, json: unknown): InferSelectModel<T>[] {
  const list = (typeof json === 'string' ? JSON.parse(json) : json) as unknown[] | null;
  return (list ?? []).map((item) => rowFromJson(table, item));
}
