import { asc, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { anyId, idArray } from '@/db/any-id';
import type { DbHandle } from '@/db/client';
import { models } from '@/db/schema';
import { rowsOf } from '@/db';
import { openTestDatabase, targets } from '../support/test-db';

// One array parameter instead of drizzle's one parameter per id (db/any-id.ts): the same rows.
describe.each(targets)('ids as one array parameter on $name', ({ name }) => {
  let handle: DbHandle;
  let ids: string[];
  beforeAll(async () => {
    handle = await openTestDatabase(name);
    const rows = await handle.db
      .insert(models)
      .values(Array.from({ length: 30 }, (_, i) => ({ name: `any-id-${i}`, ownerTeam: 'any', servingService: `any-id-${i}` })))
      .returning({ id: models.id });
    ids = rows.map((r) => r.id);
  });
  afterAll(async () => handle?.close());

  const matching = async (where: ReturnType<typeof anyId>) =>
    (await handle.db.select({ id: models.id }).from(models).where(where).orderBy(asc(models.name))).map((r) => r.id);

  it('matches exactly the ids given, as uuid and as text, and nothing for an empty list', async () => {
    const some = [ids[3]!, ids[17]!, ids[29]!];
    expect((await matching(anyId(models.id, some))).sort()).toEqual([...some].sort());
    expect((await matching(anyId(models.id, ids))).sort()).toEqual([...ids].sort());
    expect(await matching(anyId(models.id, []))).toEqual([]);
    expect(await matching(anyId(models.id, ['00000000-0000-4000-8000-000000000000']))).toEqual([]);
    // Upper case reads as the same uuid; as text it is another string.
    expect(await matching(anyId(models.id, [ids[5]!.toUpperCase()]))).toEqual([ids[5]]);
    const asText = rowsOf<{ id: string }>(await handle.db.execute(sql`select id::text as id from models where ${anyId(sql`id::text`, [ids[1]!, ids[2]!], 'text')}`));
    expect(asText.map((r) => r.id).sort()).toEqual([ids[1]!, ids[2]!].sort());
  });

  it('unnests in order, for joins against a list', async () => {
    const rows = rowsOf<{ id: string }>(await handle.db.execute(sql`select m.id from unnest(${idArray(ids.slice(0, 5))}) with ordinality as m(id, n) order by n`));
    expect(rows.map((r) => r.id)).toEqual(ids.slice(0, 5));
  });

  it('refuses anything that is not an id before it reaches the database', () => {
    for (const bad of ['', 'x', `${ids[0]},${ids[1]}`, '{}', `${ids[0]}"`, 'null', `${ids[0]!.slice(0, 35)}`])
      expect(() => anyId(models.id, [ids[0]!, bad]), bad).toThrow(/Not an id/);
  });
});
