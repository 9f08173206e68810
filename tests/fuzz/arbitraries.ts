import fc from 'fast-check';
import type { JsonSchema } from './endpoints';

/**
 * Hostile inputs for tests/fuzz/api-fuzz.test.ts: path segments, query strings, headers and
 * bodies. Bodies are mostly "almost valid" — generated from the endpoint's request schema (the
 * OpenAPI document's, i.e. the use case's zod schema) with some nodes swapped for something
 * hostile — so that they get past the first check and into the use case and the database.
 */

// --- JSON text with tokens JSON.stringify cannot write -----------------------------------------

/** Written into the JSON text verbatim: `1e999`, `-0`, `NaN`, 10,000 nested arrays, a 900 kB string. */
export class Raw {
  constructor(readonly text: string) {}
  toString() {
    return this.text.length > 80 ? `Raw(${this.text.slice(0, 40)}…${this.text.length} chars)` : `Raw(${this.text})`;
  }
}

/** JSON.stringify, except that Raw values are pasted as they are (so the text may not be JSON at all). */
export function toJsonText(value: unknown): string {
  if (value instanceof Raw) return value.text;
  if (Array.isArray(value)) return `[${value.map((v) => (v === undefined ? 'null' : toJsonText(v))).join(',')}]`;
  if (value !== null && typeof value === 'object')
    return `{${Object.entries(value)
      .filter(([, v]) => v !== undefined)
      .map(([k, v]) => `${JSON.stringify(k)}:${toJsonText(v)}`)
      .join(',')}}`;
  return JSON.stringify(value) ?? 'null';
}

/** An object whose keys may be `__proto__` or `constructor` as own properties (as JSON.parse makes them). */
const objectOf = (entries: [string, unknown][]) => Object.fromEntries(entries) as Record<string, unknown>;

// --- strings ---------------------------------------------------------------------------------

export const SPECIAL_STRINGS = [
  '', ' ', '.', '..', '../..', '../../../etc/passwd', '..%2F..%2Fetc', '%', '%%', '%zz', '%2', '%00', '%252F', '\u0000', 'a\u0000b', '/', '//', '\\', 'a/b', '?', '#', '&', '=', ';', ',', '*',
  "'", '"', "' OR '1'='1", "'; drop table models; --", '$1', '${jndi:ldap://x/a}', '<script>alert(1)</script>', '{{7*7}}', '%s%s%s%n',
  'null', 'undefined', 'NaN', 'Infinity', '-Infinity', '-1', '0', '-0', '1e308', '1e309', '9007199254740993', '99999999999999999999999', '0x10', '1_000', 'true', 'false', '[]', '{}',
  '__proto__', 'constructor', 'prototype', 'toString', 'hasOwnProperty', 'valueOf',
  '\ud800', '\udfff', 'a\ud83d', '\ufeff', '\u200b', '\u202e', '\u0085', 'İ', 'ß', 'ǅ', '🚀', '👨‍👩‍👧', 'ｆｕｌｌ', 'Ω', 'é', '\r\n', '\n', '\t', ' leading', 'trailing ',
  'a'.repeat(64), 'a'.repeat(101), 'a'.repeat(256), 'a'.repeat(2001), 'x'.repeat(10_001),
  '00000000-0000-0000-0000-000000000000', 'ffffffff-ffff-ffff-ffff-ffffffffffff', '00000000-0000-4000-8000-00000000000', '00000000-0000-4000-8000-0000000000000', '00000000000040008000000000000000', '{00000000-0000-4000-8000-000000000000}', 'urn:uuid:00000000-0000-4000-8000-000000000000',
  `fdk_${'x'.repeat(40)}`, '1.0.0', '1.0.0-rc.1+build.5', 'v1.0.0', '01.0.0', '1.0', '1', ' 1.0.0 ', '999999999999.0.0', '1.0.0-', '1.0.0+',
  '2026-13-45T99:99:99Z', '0000-00-00', '1970-01-01T00:00:00Z', '275760-09-13T00:00:00.001Z', '+275760-09-13T00:00:00Z', '-271821-04-20T00:00:00Z', '2026-02-30', 'yesterday', '1e12', '-62167219200000',
  'production', 'PRODUCTION', 'fraud-detector', 'Fraud-Detector', 'fraud_detector', 'fraud detector', 'canary', 'ab', 'istio', 'csv', 'jsonl', 'admin', 'system:controller',
  'http://127.0.0.1:22/', 'https://169.254.169.254/latest/meta-data/', 'file:///etc/passwd', 'javascript:alert(1)', 'mailto:a@b.c',
];

/** Anything a string can be: the list above, arbitrary code points, graphemes, long runs. */
export const hostileString: fc.Arbitrary<string> = fc.oneof(
  { weight: 4, arbitrary: fc.constantFrom(...SPECIAL_STRINGS) },
  { weight: 2, arbitrary: fc.string({ unit: 'binary', maxLength: 40 }) },
  { weight: 1, arbitrary: fc.string({ unit: 'grapheme', maxLength: 20 }) },
  { weight: 1, arbitrary: fc.string({ unit: fc.constantFrom('\u0000', '%', '/', '.', '\\', '\ud800', 'a', '\u202e', '\n'), maxLength: 12 }) },
  { weight: 1, arbitrary: fc.uuid() },
  { weight: 1, arbitrary: fc.tuple(fc.constantFrom('a', 'é', '🚀', '%'), fc.integer({ min: 100, max: 20_000 })).map(([c, n]) => c.repeat(n)) },
);

/** A real value, slightly wrong: a suffix, a case change, a NUL, padding, a look-alike. */
export const mutated = (real: string): fc.Arbitrary<string> =>
  fc.oneof(
    fc.constant(real.toUpperCase()),
    fc.constant(` ${real}`),
    fc.constant(`${real} `),
    fc.constant(`${real}\u0000`),
    fc.constant(`${real}/..`),
    fc.constant(real.slice(0, -1)),
    fc.constant(`${real}${real}`),
    fc.constant(real.replace(/[a-z]/, (c) => String.fromCharCode(c.charCodeAt(0) + 0xfee0))),
    hostileString.map((s) => `${real}${s}`),
  );

/** What a dynamic path segment may be after Next decoded it once: any well-formed, non-empty string except `.` and `..` (URLs normalise those away). */
export const pathValue = (reals: string[]) =>
  fc
    .oneof(
      ...(reals.length ? [{ weight: 3, arbitrary: fc.constantFrom(...reals) }, { weight: 1, arbitrary: fc.constantFrom(...reals).chain(mutated) }] : []),
      { weight: 3, arbitrary: hostileString },
    )
    .filter((s) => s !== '' && s !== '.' && s !== '..' && s.isWellFormed());

/** How the decoded value travels in the URL: encoded as browsers do, or every byte as %XX. */
export const encodeSegment = (value: string, everyByte: boolean) =>
  everyByte ? [...Buffer.from(value, 'utf8')].map((b) => `%${b.toString(16).padStart(2, '0').toUpperCase()}`).join('') : encodeURIComponent(value);

// --- query strings ---------------------------------------------------------------------------

export const QUERY_KEYS = [
  'limit', 'cursor', 'q', 'owner', 'state', 'environment', 'model', 'since', 'format', 'namespace', 'host', 'port', 'gateway', 'version', 'severity',
  'kind', 'actor', 'action', 'targetType', 'targetId', 'release', 'from', 'to', 'download', 'page', 'offset', 'sort', 'order',
];

const queryValue = (reals: string[]) =>
  fc.oneof(
    { weight: 3, arbitrary: hostileString },
    { weight: 1, arbitrary: fc.constantFrom(...reals) },
    { weight: 1, arbitrary: fc.oneof(fc.integer(), fc.double(), fc.constantFrom(2 ** 31, 2 ** 53, 2 ** 63, -(2 ** 31) - 1, 1e21)).map(String) },
    { weight: 1, arbitrary: fc.date({ noInvalidDate: false }).map((d) => (Number.isNaN(d.getTime()) ? 'Invalid Date' : d.toISOString())) },
    { weight: 1, arbitrary: fc.constantFrom('active', 'open', 'acknowledged', 'resolved', 'all', 'critical', 'warning', 'running', 'istio', 'gateway-api', 'linkerd', 'argo-rollouts', 'json', 'csv', 'jsonl', '1', 'release.', 'release.rollback') },
  );

/**
 * Pairs for URLSearchParams: known keys (the documented ones first) and hostile ones, repeated at
 * times; half of the time after a plausible filter (`environment=production`), which some routes
 * need before they look at anything else.
 */
export const queryPairs = (documentedKeys: string[], reals: string[], plausible: Record<string, string[]>) =>
  fc
    .tuple(
      fc.option(fc.constantFrom(...Object.entries(plausible)).chain(([key, values]) => fc.constantFrom(...values).map((v): [string, string] => [key, v])), { nil: undefined }),
      fc.array(fc.tuple(fc.oneof({ weight: 3, arbitrary: fc.constantFrom(...documentedKeys, ...QUERY_KEYS) }, { weight: 1, arbitrary: hostileString }), queryValue(reals)), { maxLength: 6 }),
    )
    .map(([plausible, pairs]) => (plausible ? [plausible, ...pairs] : pairs));

// --- numbers and values ----------------------------------------------------------------------

export const EXTREME_NUMBERS = [0, -0, 1, -1, 0.5, 1e308, -1e308, 5e-324, Number.MAX_SAFE_INTEGER, Number.MAX_SAFE_INTEGER + 2, -Number.MAX_SAFE_INTEGER, 2 ** 31, 2 ** 31 - 1, -(2 ** 31) - 1, 2 ** 32, 2 ** 63, 2 ** 64, 1e21, 0.1 + 0.2, 101, 3651, 10_001, 65536];
/** Number tokens JSON.stringify would never write; some are valid JSON (1e999 parses to Infinity), some are not. */
export const NUMBER_TOKENS = ['1e999', '-1e999', '-0', '-0.0', '0e0', '1E+2', '123456789012345678901234567890', '0.0000000000000000000000000001', '1.7976931348623157e309', 'NaN', 'Infinity', '-Infinity', '0x1F', '01', '.5', '1.', '+1', '1_000', '- 1', '１'];

/** One level of something that is never what a schema asks for. */
export const hostileValue = (depth = 0): fc.Arbitrary<unknown> =>
  fc.oneof(
    { weight: 4, arbitrary: hostileString },
    { weight: 3, arbitrary: fc.constantFrom(...EXTREME_NUMBERS) },
    { weight: 2, arbitrary: fc.constantFrom(...NUMBER_TOKENS).map((t) => new Raw(t)) },
    { weight: 1, arbitrary: fc.constantFrom(null, true, false, [], {}, [null], [[]], ['']) },
    { weight: 1, arbitrary: fc.jsonValue({ maxDepth: 2 }) },
    { weight: 1, arbitrary: prototypeKeys },
    { weight: depth < 2 ? 1 : 0, arbitrary: hugeValue },
  );

/** Objects whose keys try to reach Object.prototype. */
export const prototypeKeys: fc.Arbitrary<unknown> = fc
  .subarray(
    [
      ['__proto__', { admin: true, roles: ['admin'], polluted: 'yes' }],
      ['constructor', { prototype: { polluted: 'yes' } }],
      ['prototype', { polluted: 'yes' }],
      ['toString', 'x'],
      ['hasOwnProperty', 1],
      ['valueOf', null],
    ] as [string, unknown][],
    { minLength: 1 },
  )
  .map(objectOf);

/** Deep nesting and big arrays, strings and objects, below the 1 MB limit on their own. Built once: building them per run would cost more than sending them. */
const HUGE: unknown[] = [
  ...[64, 1000, 10_000, 100_000].map((n) => new Raw(`${'['.repeat(n)}${']'.repeat(n)}`)),
  ...[64, 1000, 20_000].map((n) => new Raw(`${'{"a":'.repeat(n)}1${'}'.repeat(n)}`)),
  ...[1000, 10_001, 100_000].map((n) => new Raw(`[${Array.from({ length: n }, (_, i) => i % 7).join(',')}]`)),
  ...[10_000, 100_000].map((n) => new Raw(`[${'{},'.repeat(n - 1)}{}]`)),
  ...[10_001, 200_000, 900_000].map((n) => 'x'.repeat(n)),
  ...[1000, 50_000].map((n) => new Raw(`{${Array.from({ length: n }, (_, i) => `"k${i}":${i}`).join(',')}}`)),
];
export const hugeValue: fc.Arbitrary<unknown> = fc.constantFrom(...HUGE);

// --- schema-guided values --------------------------------------------------------------------

export type Hints = (key: string) => fc.Arbitrary<unknown> | undefined;

const MAX_DEPTH = 6;

function resolveRef(root: JsonSchema, ref: string): JsonSchema {
  const path = ref.replace(/^#\//, '').split('/');
  let node: unknown = root;
  for (const part of path) node = (node as Record<string, unknown>)?.[part.replace(/~1/g, '/').replace(/~0/g, '~')];
  return (node as JsonSchema) ?? {};
}

const clampInt = (n: unknown, fallback: number) => (typeof n === 'number' && Number.isFinite(n) ? Math.max(-(2 ** 31) + 1, Math.min(2 ** 31 - 1, Math.trunc(n))) : fallback);

/** Something that (mostly) satisfies `schema`; follows $ref, anyOf, enum, formats, patterns and bounds. */
function validish(schema: JsonSchema, root: JsonSchema, hints: Hints, depth: number, key?: string): fc.Arbitrary<unknown> {
  if (typeof schema.$ref === 'string') return validish(resolveRef(root, schema.$ref), root, hints, depth, key);
  if ('const' in schema) return fc.constant(schema.const);
  if (Array.isArray(schema.enum)) return fc.constantFrom(...(schema.enum as unknown[]));
  const branches = (schema.anyOf ?? schema.oneOf) as JsonSchema[] | undefined;
  if (Array.isArray(branches) && branches.length) return fc.oneof(...branches.map((b) => node(b, root, hints, depth + 1, key)));
  if (Array.isArray(schema.allOf) && schema.allOf.length) {
    const parts = (schema.allOf as JsonSchema[]).map((s) => (typeof s.$ref === 'string' ? resolveRef(root, s.$ref) : s));
    const merged: JsonSchema = { type: 'object', properties: Object.assign({}, ...parts.map((p) => p.properties ?? {})), required: parts.flatMap((p) => (p.required as string[]) ?? []) };
    return validish(merged, root, hints, depth, key);
  }
  // Built once per schema node (no fc.chain): generating from a regex is costly to set up.
  const types = Array.isArray(schema.type) ? (schema.type as string[]) : [schema.type as string | undefined];
  const arbitraries = types.map((t) => ofType(t, schema, root, hints, depth, key));
  return arbitraries.length === 1 ? arbitraries[0]! : fc.oneof(...arbitraries);
}

function ofType(t: string | undefined, schema: JsonSchema, root: JsonSchema, hints: Hints, depth: number, key?: string): fc.Arbitrary<unknown> {
  switch (t) {
    case 'string': {
      const hinted = key ? hints(key) : undefined;
      return hinted ? fc.oneof(hinted, stringFor(schema)) : stringFor(schema);
    }
    case 'integer': {
      const min = clampInt(schema.minimum ?? (typeof schema.exclusiveMinimum === 'number' ? schema.exclusiveMinimum + 1 : undefined), -1000);
      const max = clampInt(schema.maximum ?? (typeof schema.exclusiveMaximum === 'number' ? schema.exclusiveMaximum - 1 : undefined), 100_000);
      const bounds = [schema.minimum, schema.maximum].filter((n) => typeof n === 'number');
      const inRange = fc.integer({ min: Math.min(min, max), max: Math.max(min, max) });
      return bounds.length ? fc.oneof({ weight: 4, arbitrary: inRange }, { weight: 1, arbitrary: fc.constantFrom(...bounds) }) : inRange;
    }
    case 'number': {
      const min = typeof schema.minimum === 'number' ? schema.minimum : typeof schema.exclusiveMinimum === 'number' ? schema.exclusiveMinimum : -1e6;
      const max = typeof schema.maximum === 'number' ? schema.maximum : typeof schema.exclusiveMaximum === 'number' ? schema.exclusiveMaximum : 1e6;
      return fc.double({ min: Math.min(min, max), max: Math.max(min, max), noNaN: true, noDefaultInfinity: true });
    }
    case 'boolean':
      return fc.boolean();
    case 'null':
      return fc.constant(null);
    case 'array': {
      if (depth >= MAX_DEPTH) return fc.constant([]);
      const prefix = schema.prefixItems as JsonSchema[] | undefined;
      if (Array.isArray(prefix)) return fc.tuple(...prefix.map((s) => node(s, root, hints, depth + 1)));
      const items = (schema.items as JsonSchema | undefined) ?? {};
      const minLength = Math.min(typeof schema.minItems === 'number' ? schema.minItems : 0, 20);
      const maxLength = Math.max(minLength, Math.min(typeof schema.maxItems === 'number' ? schema.maxItems : 4, minLength + 4));
      return fc.array(node(items, root, hints, depth + 1, key), { minLength, maxLength });
    }
    case 'object':
      return depth >= MAX_DEPTH ? fc.constant({}) : objectFor(schema, root, hints, depth);
    default:
      // z.unknown(), z.any(): whatever JSON is.
      return fc.jsonValue({ maxDepth: 2 });
  }
}

/** A valid string with a character no database column takes, or one that trips text handling. */
const POISON = ['\u0000', '\ud800', '\udfff', '\u202e', '\ufeff', '\u0085', '\r\n', '\\', "'", '%00'];
const poisoned = (valid: fc.Arbitrary<string>) =>
  fc.tuple(valid, fc.constantFrom(...POISON), fc.nat()).map(([s, poison, at]) => {
    const i = s.length ? at % (s.length + 1) : 0;
    return `${s.slice(0, i)}${poison}${s.slice(i)}`;
  });

/** Times a date-time regex accepts but a calendar or a database column may not. */
const EDGE_TIMES = ['0000-01-01T00:00:00Z', '0001-01-01T00:00:00Z', '1900-01-01T00:00:00Z', '1970-01-01T00:00:00Z', '9999-12-31T23:59:59.999Z', '2000-02-29T00:00:00Z', '2026-01-01T00:00:00.123456789Z', '2026-01-01T00:00:00+14:00', '2026-01-01T00:00:00-12:00'];

function stringFor(schema: JsonSchema): fc.Arbitrary<string> {
  const valid = validString(schema);
  return fc.oneof({ weight: 6, arbitrary: valid }, { weight: 1, arbitrary: poisoned(valid) });
}

function validString(schema: JsonSchema): fc.Arbitrary<string> {
  switch (schema.format) {
    case 'date-time':
      return fc.oneof(
        { weight: 5, arbitrary: fc.date({ min: new Date(Date.now() - 7 * 86_400_000), max: new Date(Date.now() + 3_600_000), noInvalidDate: true }).map((d) => d.toISOString()) },
        { weight: 1, arbitrary: fc.constantFrom(...EDGE_TIMES) },
      );
    case 'uuid':
      return fc.uuid();
    case 'email':
      return fc.emailAddress();
    case 'uri':
    case 'url':
      return fc.webUrl();
  }
  const minLength = typeof schema.minLength === 'number' ? schema.minLength : 0;
  const maxLength = typeof schema.maxLength === 'number' ? schema.maxLength : Math.max(minLength, 30);
  if (typeof schema.pattern === 'string') {
    try {
      // Cut to length rather than filter: a filter that can never pass would spin for ever.
      const matching = fc.stringMatching(new RegExp(schema.pattern));
      return typeof schema.maxLength === 'number' ? matching.map((s) => s.slice(0, maxLength)) : matching;
    } catch {
      // A pattern fast-check cannot generate from: plain strings will do.
    }
  }
  return fc.string({ minLength, maxLength: Math.min(maxLength, minLength + 30) });
}

function objectFor(schema: JsonSchema, root: JsonSchema, hints: Hints, depth: number): fc.Arbitrary<unknown> {
  const properties = (schema.properties ?? {}) as Record<string, JsonSchema>;
  const required = new Set((schema.required as string[] | undefined) ?? []);
  const additional = schema.additionalProperties;
  const fields = Object.entries(properties).map(([k, s]) =>
    fc.option(node(s, root, hints, depth + 1, k).map((v) => [k, v] as [string, unknown]), { freq: required.has(k) ? 12 : 2, nil: undefined }),
  );
  const extra =
    additional && typeof additional === 'object'
      ? fc.array(fc.tuple(fc.oneof(fc.string({ minLength: 1, maxLength: 12 }), poisoned(fc.string({ maxLength: 8 })), hostileString), node(additional as JsonSchema, root, hints, depth + 1)), { maxLength: Object.keys(properties).length ? 2 : 4 })
      : fc.constant([] as [string, unknown][]);
  const hostileExtra = fc.option(fc.array(fc.tuple(hostileString, hostileValue(depth)), { minLength: 1, maxLength: 2 }), { freq: 8, nil: [] as [string, unknown][] });
  return fc.tuple(fc.tuple(...fields), extra, hostileExtra).map(([own, more, worse]) => objectOf([...own.filter((f) => f !== undefined), ...more, ...worse]));
}

/** A node of the schema: valid-looking four times out of five, else something hostile. */
function node(schema: JsonSchema, root: JsonSchema, hints: Hints, depth: number, key?: string): fc.Arbitrary<unknown> {
  return fc.oneof({ weight: 5, arbitrary: validish(schema, root, hints, depth, key) }, { weight: 1, arbitrary: hostileValue(depth) });
}

/** Bodies shaped like the schema with hostile nodes here and there; sometimes entirely valid. */
export const schemaGuided = (schema: JsonSchema, hints: Hints) => fc.oneof({ weight: 3, arbitrary: node(schema, schema, hints, 0) }, { weight: 1, arbitrary: validish(schema, schema, hints, 0) });

// --- bodies ----------------------------------------------------------------------------------

export type Body = { kind: 'none' } | { kind: 'text'; text: string; note: string } | { kind: 'bytes'; bytes: Uint8Array; note: string };

const text = (note: string) => (t: string): Body => ({ kind: 'text', text: t, note });

/** Bytes and text that are not JSON, or not quite. */
export const notJson: fc.Arbitrary<Body> = fc.oneof(
  fc.uint8Array({ maxLength: 300 }).map((bytes): Body => ({ kind: 'bytes', bytes, note: 'random bytes' })),
  fc.constantFrom('', ' ', '\ufeff{}', '{', '}', '{"a":', '{"a":1,}', "{'a':1}", '{a:1}', '[1,2', 'a=1&b=2', '<?xml version="1.0"?><a/>', 'undefined', '\u0000', '{"a":"\u0000"}', '{"a":"\\u0000"}', '{"__proto__":', '//{}', '/*x*/{}').map(text('not JSON')),
  fc.constantFrom('null', 'true', 'false', '0', '-0', '1e999', '"a string"', '[]', '[{}]', '""').map(text('a JSON scalar or array')),
  fc.constantFrom('{"a":"\\ud800"}', '{"\\ud800":1}', '{"a":"\\u0000"}', '{"\\u0000":1}', '{"a":1,"a":2}').map(text('odd JSON strings')),
  fc.jsonValue({ maxDepth: 3 }).map((v) => {
    const json = JSON.stringify(v) ?? 'null';
    return { kind: 'bytes', bytes: new Uint8Array(Buffer.from(json, 'utf16le')), note: 'JSON in UTF-16' } as Body;
  }),
  fc.tuple(fc.jsonValue({ maxDepth: 3 }), fc.nat()).map(([v, cut]) => {
    const json = JSON.stringify(v) ?? 'null';
    return text('truncated JSON')(json.slice(0, cut % Math.max(json.length, 1)));
  }),
  fc.jsonValue({ maxDepth: 2 }).map((v) => ({ kind: 'bytes', bytes: new Uint8Array([...Buffer.from(`{"a":"`), 0xff, 0xfe, 0xc3, ...Buffer.from(`","b":${JSON.stringify(v) ?? 'null'}}`)]), note: 'invalid UTF-8 inside JSON' }) as Body),
);

/** Any body for an endpoint: schema-guided when it has a schema, arbitrary JSON, huge, or not JSON at all. */
export function bodyFor(schema: JsonSchema | undefined, hints: Hints): fc.Arbitrary<Body> {
  const json = (note: string) => (v: unknown): Body => ({ kind: 'text', text: toJsonText(v), note });
  return fc.oneof(
    { weight: 1, arbitrary: fc.constant<Body>({ kind: 'none' }) },
    { weight: schema ? 8 : 2, arbitrary: schemaGuided(schema ?? {}, hints).map(json('schema-guided')) },
    { weight: 2, arbitrary: fc.jsonValue({ maxDepth: 4 }).map(json('arbitrary JSON')) },
    { weight: 1, arbitrary: hostileValue().map(json('hostile value')) },
    { weight: 1, arbitrary: hugeValue.map(json('huge or deep')) },
    { weight: 1, arbitrary: notJson },
  );
}

/** A body just over `limit` bytes, in one of a few shapes. */
export const oversizedBody = (limit: number): fc.Arbitrary<Body> =>
  fc.tuple(fc.integer({ min: 1, max: 4096 }), fc.constantFrom('string', 'array', 'garbage')).map(([extra, shape]) => {
    const size = limit + extra;
    if (shape === 'string') return { kind: 'text', text: `{"a":"${'x'.repeat(size - 8)}"}`, note: `${size} bytes (string)` };
    if (shape === 'array') return { kind: 'text', text: `[${'1,'.repeat(Math.ceil(size / 2))}1]`, note: `${size} bytes (array)` };
    return { kind: 'bytes', bytes: new Uint8Array(size).fill(0x7b), note: `${size} bytes (garbage)` };
  });

export const bodyBytes = (body: Body): Uint8Array | undefined =>
  body.kind === 'none' ? undefined : body.kind === 'bytes' ? body.bytes : new Uint8Array(Buffer.from(body.text, 'utf8'));

// --- headers ---------------------------------------------------------------------------------

/** Header values are byte strings without CR, LF or NUL; anything else never reaches a handler. */
export const isHeaderValue = (v: string) => /^[\t\x20-\x7e\x80-\xff]*$/.test(v);

export const CONTENT_TYPES = [
  'application/json', 'application/json', 'application/json', 'application/json; charset=utf-8', 'application/vnd.api+json', 'APPLICATION/JSON', 'application/json;charset=latin1', 'application/jsonx',
  'application/json-patch+json', 'text/plain', 'text/json', 'application/x-www-form-urlencoded', 'multipart/form-data; boundary=x', 'application/xml', '', '*/*', 'application/',
];

const latin1 = fc.string({ unit: fc.integer({ min: 0x20, max: 0xff }).map((c) => String.fromCharCode(c)), maxLength: 60 });

export type Caller = 'admin' | 'viewer' | 'anonymous' | 'malformed';
/** Admin most of the time (authorisation must not hide validation), some viewers and anonymous or broken credentials. */
export const caller: fc.Arbitrary<Caller> = fc.oneof(
  { weight: 16, arbitrary: fc.constant<Caller>('admin') },
  { weight: 2, arbitrary: fc.constant<Caller>('viewer') },
  { weight: 1, arbitrary: fc.constant<Caller>('anonymous') },
  { weight: 1, arbitrary: fc.constant<Caller>('malformed') },
);

/** Authorization headers that are not a valid key: malformed, unknown, revoked, almost right. */
export const badAuthorization = (keys: { admin: string; revoked: string }) =>
  fc.oneof(
    fc.constantFrom('Bearer', 'Bearer ', 'Bearer  ', 'Basic YWRtaW46YWRtaW4=', 'Token abc', 'bearer', ',', 'Bearer fdk_', `Bearer fdk_${'0'.repeat(43)}`, `Bearer ${'x'.repeat(8000)}`, 'Bearer null', 'Bearer undefined'),
    fc.constantFrom(`Bearer ${keys.revoked}`, `Bearer ${keys.admin}x`, `Bearer ${keys.admin.slice(0, -1)}`, `Bearer ${keys.admin} ${keys.admin}`, `Bearer ${keys.admin},Bearer ${keys.admin}`, `Basic ${keys.admin}`, keys.admin),
    latin1.map((s) => `Bearer ${s}`),
    latin1,
  );

/** Headers besides Authorization and the body's: request ids, traces, ETags, forwarded addresses. */
export const otherHeaders = fc.array(
  fc.tuple(
    fc.constantFrom('x-request-id', 'traceparent', 'tracestate', 'if-none-match', 'x-forwarded-for', 'user-agent', 'accept', 'accept-encoding', 'x-mlflow-signature', 'x-mlflow-delivery-id', 'x-mlflow-timestamp', 'origin'),
    fc.oneof(latin1, fc.constantFrom('*', 'W/"x"', '"x", W/"y"', '00-00000000000000000000000000000000-0000000000000000-00', `00-${'a'.repeat(32)}-${'b'.repeat(16)}-01`, 'ff-zz', 'x'.repeat(10_000), '1.2.3.4, 5.6.7.8', 'v1,abc', '-1', '99999999999999999999')),
  ),
  { maxLength: 3 },
);

/** How the body's size is announced: truthfully, chunked, not at all, or with a lie. */
export type Framing = 'length' | 'chunked' | 'lie-small' | 'lie-large' | 'garbage';
export const framing: fc.Arbitrary<Framing> = fc.oneof(
  { weight: 8, arbitrary: fc.constant<Framing>('length') },
  { weight: 2, arbitrary: fc.constant<Framing>('chunked') },
  { weight: 1, arbitrary: fc.constantFrom<Framing>('lie-small', 'lie-large', 'garbage') },
);
