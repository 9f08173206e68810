import { sql, type SQL, type SQLWrapper } from 'drizzle-orm';
import { pgArray } from './pg-array';

const ID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * `column = any($1::uuid[])`: a list of ids as one parameter. drizzle's `inArray` sends one
 * parameter per value and runs each through its class checks (`is()`) to type it: on the models
 * list's ~250 ids that was a fifth of the request's CPU. One parameter also keeps one statement
 * text, prepared once per connection, whatever the length of the list. `text` for ids stored as
 * text (the audit log's target_id).
 */
export function anyId(column: SQLWrapper, ids: readonly string[], type: 'uuid' | 'text' = 'uuid'): SQL {
  return sql`${column} = any(${idArray(ids, type)})`;
}

/** Ids as one Postgres array parameter (each checked to be a uuid first: a list of ids, not of any text). */
export function idArray(ids: readonly string[], type: 'uuid' | 'text' = 'uuid'): SQL {
  for (const id of ids) if (!ID.test(id)) throw new Error(`Not an id: ${JSON.stringify(id).slice(0, 60)}`);
  const literal = pgArray(ids);
  return type === 'uuid' ? sql`${literal}::uuid[]` : sql`${literal}::text[]`;
}
