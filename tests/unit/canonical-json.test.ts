import { describe, expect, it } from 'vitest';
import { canonicalJson } from '@/lib/domain/canonical-json';

/** What a jsonb column gives back after a round trip. */
const throughJsonb = (value: unknown): unknown => JSON.parse(JSON.stringify(value));

describe('canonicalJson: key order', () => {
  it('sorts the keys of an object', () => {
    expect(canonicalJson({ b: 2, a: 1, c: 3 })).toBe('{"a":1,"b":2,"c":3}');
  });

  it('gives the same text whatever order the keys were inserted in', () => {
    const forwards = { alpha: 1, beta: [1, 2], gamma: { x: 1, y: 2 } };
    const backwards = { gamma: { y: 2, x: 1 }, beta: [1, 2], alpha: 1 };
    expect(canonicalJson(backwards)).toBe(canonicalJson(forwards));
  });

  it('sorts keys at every level of nesting', () => {
    const value = { z: { d: { f: 1, e: 2 }, c: 3 }, a: [{ y: 1, x: 2 }] };
    expect(canonicalJson(value)).toBe('{"a":[{"x":2,"y":1}],"z":{"c":3,"d":{"e":2,"f":1}}}');
  });

  it('sorts by UTF-16 code unit, so upper case comes before lower case', () => {
    expect(canonicalJson({ b: 1, a: 2, B: 3, _: 4 })).toBe('{"B":3,"_":4,"a":2,"b":1}');
  });

  it('is deterministic for integer-like keys too', () => {
    expect(canonicalJson({ 10: 'a', 9: 'b', x: 'c' })).toBe(canonicalJson({ x: 'c', 9: 'b', 10: 'a' }));
  });

  it('does not reorder arrays', () => {
    expect(canonicalJson([3, 1, 2])).toBe('[3,1,2]');
    expect(canonicalJson([3, 1, 2])).not.toBe(canonicalJson([1, 2, 3]));
  });

  it('does not mutate its input', () => {
    const value = { b: { d: 1, c: undefined }, a: [undefined, new Date(0)] };
    const before = Object.keys(value.b);
    canonicalJson(value);
    expect(Object.keys(value)).toEqual(['b', 'a']);
    expect(Object.keys(value.b)).toEqual(before);
    expect(value.a[0]).toBeUndefined();
    expect(value.a[1]).toBeInstanceOf(Date);
  });
});

describe('canonicalJson: undefined and null', () => {
  it('drops undefined members of objects', () => {
    expect(canonicalJson({ a: 1, b: undefined })).toBe('{"a":1}');
    expect(canonicalJson({ a: 1, b: undefined })).toBe(canonicalJson({ a: 1 }));
  });

  it('drops undefined members of nested objects', () => {
    expect(canonicalJson({ outer: { keep: true, drop: undefined } })).toBe('{"outer":{"keep":true}}');
  });

  it('keeps null members, which are different from missing ones', () => {
    expect(canonicalJson({ a: null })).toBe('{"a":null}');
    expect(canonicalJson({ a: null })).not.toBe(canonicalJson({ a: undefined }));
  });

  it('turns undefined array items into null, keeping positions', () => {
    expect(canonicalJson([1, undefined, 3])).toBe('[1,null,3]');
  });

  it('encodes a bare undefined or null as null', () => {
    expect(canonicalJson(undefined)).toBe('null');
    expect(canonicalJson(null)).toBe('null');
  });

  it('encodes an object of only undefined members as an empty object', () => {
    expect(canonicalJson({ a: undefined, b: undefined })).toBe('{}');
  });
});

describe('canonicalJson: dates', () => {
  it('encodes a Date as its ISO string with milliseconds', () => {
    expect(canonicalJson(new Date(Date.UTC(2024, 0, 2, 3, 4, 5, 678)))).toBe('"2024-01-02T03:04:05.678Z"');
  });

  it('encodes nested dates', () => {
    const at = new Date('2025-06-30T23:59:59.001Z');
    expect(canonicalJson({ at, list: [at] })).toBe('{"at":"2025-06-30T23:59:59.001Z","list":["2025-06-30T23:59:59.001Z"]}');
  });

  it('treats a Date and its ISO string alike (what jsonb hands back)', () => {
    const at = new Date('2025-01-01T00:00:00.000Z');
    expect(canonicalJson({ at })).toBe(canonicalJson({ at: at.toISOString() }));
  });

  it('distinguishes dates one millisecond apart', () => {
    expect(canonicalJson(new Date(1000))).not.toBe(canonicalJson(new Date(1001)));
  });
});

describe('canonicalJson: numbers', () => {
  it.each([0, 1, -1, 1.5, 1e-7, Number.MAX_SAFE_INTEGER])('encodes %d as JSON does', (n) => {
    expect(canonicalJson(n)).toBe(JSON.stringify(n));
  });

  it('encodes negative zero as 0', () => {
    expect(canonicalJson(-0)).toBe('0');
  });

  it.each([Number.NaN, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY])('throws on %d rather than writing null', (n) => {
    expect(() => canonicalJson(n)).toThrow(TypeError);
    expect(() => canonicalJson(n)).toThrow(/non-finite/);
  });

  it('throws on non-finite numbers nested in objects and arrays', () => {
    expect(() => canonicalJson({ a: { b: Number.NaN } })).toThrow(TypeError);
    expect(() => canonicalJson([1, [2, Number.POSITIVE_INFINITY]])).toThrow(TypeError);
  });

  it('encodes a bigint as a decimal string, without losing precision', () => {
    expect(canonicalJson(12345678901234567890n)).toBe('"12345678901234567890"');
    expect(canonicalJson({ n: -5n })).toBe('{"n":"-5"}');
    expect(() => canonicalJson(2n ** 70n)).not.toThrow();
  });
});

describe('canonicalJson: everything else', () => {
  it('escapes strings as JSON does', () => {
    const s = 'quote " backslash \\ newline \n tab \t unicode é 🛫';
    expect(canonicalJson(s)).toBe(JSON.stringify(s));
    expect(JSON.parse(canonicalJson({ s }))).toEqual({ s });
  });

  it('encodes booleans', () => {
    expect(canonicalJson([true, false])).toBe('[true,false]');
  });

  it('encodes empty containers', () => {
    expect(canonicalJson({})).toBe('{}');
    expect(canonicalJson([])).toBe('[]');
  });

  it('produces valid JSON that parses back to the same data', () => {
    const value = { b: [1, 'two', { d: null, c: false }], a: { nested: { deeper: [[]] } } };
    expect(JSON.parse(canonicalJson(value))).toEqual(value);
  });

  it('survives a jsonb round trip unchanged', () => {
    const value = {
      release: { version: '1.2.0', at: new Date('2025-03-04T05:06:07.089Z'), note: undefined },
      metrics: [0.91, null, { p99: 120, p50: 40 }],
      flags: { canary: true },
    };
    expect(canonicalJson(throughJsonb(value))).toBe(canonicalJson(value));
  });

  it('is a fixed point: encoding the parsed output gives the same text', () => {
    const text = canonicalJson({ z: 1, a: { y: [3, { c: 1, b: 2 }], x: 'x' } });
    expect(canonicalJson(JSON.parse(text))).toBe(text);
  });

  // Regression: plain assignment with key "__proto__" set the prototype instead of a member, so
  // the member vanished from the hash input. JSON.parse (and so any jsonb read) creates one.
  it('keeps an own "__proto__" member', () => {
    const value = JSON.parse('{"__proto__":{"x":1},"a":1}');
    expect(canonicalJson(value)).toBe('{"__proto__":{"x":1},"a":1}');
  });
});
