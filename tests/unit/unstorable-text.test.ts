import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { unstorableFields } from '@/lib/domain/text';

const clean = (s: string) => s.replace(/\u0000/g, '').toWellFormed();
/** JSON values without NUL or unpaired surrogates, as JSON.parse makes them. */
const cleanJson = fc.jsonValue({ maxDepth: 4 }).map((v) => JSON.parse(JSON.stringify(v, (_, x) => (typeof x === 'string' ? clean(x) : x)) ?? 'null', (_, x) => x) as unknown);

/** Every slot (container and key) of a JSON value, with its path spelled as in a 422. */
function slots(value: unknown, path = ''): { path: string; parent: Record<string, unknown>; key: string }[] {
  if (value === null || typeof value !== 'object') return [];
  return Object.entries(value).flatMap(([key, child]) => {
    const childPath = path ? `${path}.${key}` : key;
    return [{ path: childPath, parent: value as Record<string, unknown>, key }, ...slots(child, childPath)];
  });
}

describe('unstorableFields: the strings Postgres cannot store, by field', () => {
  it('finds nothing in clean JSON', () => {
    fc.assert(
      fc.property(cleanJson, (value) => {
        expect(unstorableFields(value)).toBeNull();
      }),
    );
  });

  it('names the field of any string that gains a NUL or an unpaired surrogate', () => {
    const poison = fc.constantFrom('\u0000', '\ud800', '\udfff', 'a\u0000b', `x\udc00`);
    fc.assert(
      fc.property(cleanJson, poison, fc.nat(), (value, bad, pick) => {
        const holder = { root: value } as Record<string, unknown>;
        // Any slot, the root's included: a subtree swapped for the bad string is reported at its path alone.
        const all = slots(holder);
        const slot = all[pick % all.length]!;
        slot.parent[slot.key] = bad;
        expect(unstorableFields(holder)?.[slot.path]).toHaveLength(1);
      }),
    );
  });

  it('names keys, the input itself, and survives 100,000 levels of nesting', () => {
    expect(unstorableFields(JSON.parse('{"a":{"b\\u0000":1}}'))).toEqual({ 'a.b\u0000': [expect.stringContaining('name')] });
    expect(unstorableFields('\ud800')).toEqual({ _: [expect.any(String)] });
    expect(unstorableFields([['ok', '\u0000']])).toEqual({ '0.1': [expect.any(String)] });
    expect(unstorableFields(JSON.parse(`${'['.repeat(100_000)}"\\u0000"${']'.repeat(100_000)}`))).not.toBeNull();
  });
});
