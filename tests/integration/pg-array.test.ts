import fc from 'fast-check';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DbHandle } from '@/db/client';
import { pgArray } from '@/db/pg-array';
import { rowsOf } from '@/db';
import { openTestDatabase, targets } from '../support/test-db';

// Array literals written by db/pg-array.ts: Postgres must read back exactly the values sent.
describe.each(targets)('array literals on $name', ({ name }) => {
  let handle: DbHandle;
  beforeAll(async () => {
    handle = await openTestDatabase(name);
  });
  afterAll(async () => handle?.close());

  // Element by element (unnest), jsonb as its text: the drivers' own parsers are not under test.
  const readBack = async <T>(values: (string | number | null)[], type: 'text' | 'float8' | 'uuid' | 'jsonb') =>
    rowsOf<{ x: T | null }>(await handle.db.execute(sql`select ${type === 'jsonb' ? sql`x::text` : sql`x`} as x from unnest(${pgArray(values)}::${sql.raw(type)}[]) with ordinality as t(x, i) order by i`)).map((r) => r.x);
  const asText = (values: (string | null)[]) => readBack<string>(values, 'text');

  it('reads back text that array_in treats specially, and NULL only for null', async () => {
    const tricky = ['', ' ', 'NULL', 'null', 'Null', '"', '\\', '\\"', '{', '}', '{}', ',', 'a,b', ' lead', 'trail ', 'tab\there', 'line\nbreak', '\v\f\r', 'é ü ✓ 😀', 'treatment:v2', 'p99.latency-ms'];
    expect(await asText(tricky)).toEqual(tricky);
    expect(await asText([null, 'x', null])).toEqual([null, 'x', null]);
    expect(await asText([])).toEqual([]);
  });

  it('reads back any text (property)', async () => {
    // No U+0000: Postgres cannot store it, and the use cases refuse it before any SQL.
    const text = fc.string({ unit: 'grapheme', maxLength: 12 }).filter((s) => !s.includes('\u0000'));
    await fc.assert(
      fc.asyncProperty(fc.array(fc.option(text, { nil: null }), { maxLength: 8 }), async (values) => {
        expect(await asText(values)).toEqual(values);
      }),
      { numRuns: 200 },
    );
  });

  it('reads back numbers, uuids and jsonb exactly', async () => {
    const numbers = [0, 1.5, -2.25e-300, 1e21, Number.MAX_VALUE, Number.MIN_VALUE, 0.1 + 0.2, 123456789012];
    expect((await readBack<number>(numbers, 'float8')).map(Number)).toEqual(numbers);
    const uuids = ['0191a2b3-c4d5-7e6f-8a9b-0c1d2e3f4a5b', '00000000-0000-4000-8000-000000000000'];
    expect(await readBack<string>(uuids, 'uuid')).toEqual(uuids);
    const documents = [[{ le: 10, count: 2 }], { a: 'x "y" \\ z, {b}' }, 'NULL'];
    const json = await readBack<unknown>([...documents.map((d) => JSON.stringify(d)), null], 'jsonb');
    expect(json.map((j) => (j === null ? null : JSON.parse(j as string)))).toEqual([...documents, null]);
  });
});
