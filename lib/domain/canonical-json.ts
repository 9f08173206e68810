/**
 * A deterministic JSON encoding: object keys sorted, undefined members dropped, dates as ISO
 * strings. Postgres jsonb reorders keys, so hashing must not depend on key order.
 */
export function canonicalJson(value: unknown): string {
  return JSON.stringify(normalise(value));
}

function normalise(value: unknown): unknown {
  if (value === null || value === undefined) return null;
  if (value instanceof Date) return value.toISOString();
  if (Array.isArray(value)) return value.map((item) => (item === undefined ? null : normalise(item)));
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) throw new TypeError('canonicalJson: non-finite numbers have no JSON form');
    return value;
  }
  if (typeof value === 'bigint') return value.toString();
  if (typeof value === 'object') {
    // fromEntries defines own members, so a "__proto__" key from JSON data is kept and hashed
    // (plain assignment would set the prototype instead and drop it from the hash).
    return Object.fromEntries(
      Object.keys(value)
        .sort()
        .filter((key) => (value as Record<string, unknown>)[key] !== undefined)
        .map((key) => [key, normalise((value as Record<string, unknown>)[key])]),
    );
  }
  return value;
}
