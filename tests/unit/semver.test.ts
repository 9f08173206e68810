import { describe, expect, it } from 'vitest';
import { bumpBetween, compareCore, compareSemver, formatCore, MAX_SEMVER_LENGTH, parseSemver, SemverString, type SemVer } from '@/lib/domain/semver';

const MESSAGE = 'Not a semantic version (MAJOR.MINOR.PATCH, e.g. 1.4.0 or 2.0.0-rc.1)';

function v(text: string): SemVer {
  const parsed = parseSemver(text);
  if (!parsed) throw new Error(`test fixture ${text} does not parse`);
  return parsed;
}

describe('parseSemver', () => {
  // The "valid" list of the test suite that accompanies the semver.org regex (regex101 "vkijKf").
  it.each([
    '0.0.4',
    '1.2.3',
    '10.20.30',
    '1.1.2-prerelease+meta',
    '1.1.2+meta',
    '1.1.2+meta-valid',
    '1.0.0-alpha',
    '1.0.0-beta',
    '1.0.0-alpha.beta',
    '1.0.0-alpha.beta.1',
    '1.0.0-alpha.1',
    '1.0.0-alpha0.valid',
    '1.0.0-alpha.0valid',
    '1.0.0-alpha-a.b-c-somethinglong+build.1-aef.1-its-okay',
    '1.0.0-rc.1+build.1',
    '2.0.0-rc.1+build.123',
    '1.2.3-beta',
    '10.2.3-DEV-SNAPSHOT',
    '1.2.3-SNAPSHOT-123',
    '1.0.0',
    '2.0.0',
    '1.1.7',
    '2.0.0+build.1848',
    '2.0.1-alpha.1227',
    '1.0.0-alpha+beta',
    '1.2.3----RC-SNAPSHOT.12.9.1--.12+788',
    '1.2.3----R-S.12.9.1--.12+meta',
    '1.2.3----RC-SNAPSHOT.12.9.1--.12',
    '1.0.0+0.build.1-rc.10000aaa-kk-0.1',
    '1.0.0-0A.is.legal',
  ])('accepts %j', (text) => {
    const parsed = parseSemver(text);
    expect(parsed).not.toBeNull();
    expect(parsed?.raw).toBe(text);
  });

  // The "invalid" list of the same suite, plus strings people actually type.
  it.each([
    '1',
    '1.2',
    '1.2.3-0123',
    '1.2.3-0123.0123',
    '1.1.2+.123',
    '+invalid',
    '-invalid',
    '-invalid+invalid',
    '-invalid.01',
    'alpha',
    'alpha.beta',
    'alpha.beta.1',
    'alpha.1',
    'alpha+beta',
    'alpha_beta',
    'alpha.',
    'alpha..',
    'beta',
    '1.0.0-alpha_beta',
    '-alpha.',
    '1.0.0-alpha..',
    '1.0.0-alpha..1',
    '1.0.0-alpha...1',
    '1.0.0-alpha....1',
    '1.0.0-alpha.....1',
    '1.0.0-alpha......1',
    '1.0.0-alpha.......1',
    '01.1.1',
    '1.01.1',
    '1.1.01',
    '1.2.3.DEV',
    '1.2-SNAPSHOT',
    '1.2.31.2.3----RC-SNAPSHOT.12.09.1--..12+788',
    '1.2-RC-SNAPSHOT',
    '-1.0.3-gamma+b7718',
    '+justmeta',
    '9.8.7+meta+meta',
    '9.8.7-whatever+meta+meta',
    '99999999999999999999999.999999999999999999.99999999999999999----RC-SNAPSHOT.12.09.1--------------------------------..12',
    // Not in that suite:
    '',
    'v1.2.3',
    'V1.2.3',
    '=1.2.3',
    ' 1.2.3',
    '1.2.3 ',
    '1.2.3\n',
    '1.2.3-',
    '1.2.3+',
    '1.2.3-01',
    '1.2.3-rc.01',
    '1.2.3-α',
    '１.2.3',
    '1.2.3-rc 1',
    '1.2.x',
    '^1.2.3',
    '1.2.3 || 1.2.4',
    '1.-2.3',
    '1.2.3+build_1',
  ])('rejects %j', (text) => {
    expect(parseSemver(text)).toBeNull();
  });

  it('splits the core, numeric and alphanumeric pre-release identifiers, and build metadata', () => {
    expect(v('1.0.0-alpha.1.0a.x-y+build.5.007')).toEqual({
      major: 1,
      minor: 0,
      patch: 0,
      prerelease: ['alpha', 1, '0a', 'x-y'],
      build: ['build', '5', '007'],
      raw: '1.0.0-alpha.1.0a.x-y+build.5.007',
    });
    expect(v('10.20.30')).toEqual({ major: 10, minor: 20, patch: 30, prerelease: [], build: [], raw: '10.20.30' });
    expect(v('1.0.0-0').prerelease).toEqual([0]);
    expect(v('1.0.0-0A').prerelease).toEqual(['0A']);
    expect(v('1.0.0--1').prerelease).toEqual(['-1']);
  });

  it('allows leading zeros in build metadata (only numeric pre-release identifiers forbid them)', () => {
    expect(v('1.0.0+001').build).toEqual(['001']);
  });

  it('accepts numbers up to Number.MAX_SAFE_INTEGER and rejects anything larger', () => {
    const max = String(Number.MAX_SAFE_INTEGER); // 9007199254740991
    expect(v(`${max}.0.0`).major).toBe(Number.MAX_SAFE_INTEGER);
    expect(v(`0.${max}.0`).minor).toBe(Number.MAX_SAFE_INTEGER);
    expect(v(`0.0.${max}`).patch).toBe(Number.MAX_SAFE_INTEGER);
    expect(v(`1.0.0-${max}`).prerelease).toEqual([Number.MAX_SAFE_INTEGER]);
    expect(parseSemver('9007199254740992.0.0')).toBeNull();
    expect(parseSemver('0.9007199254740992.0')).toBeNull();
    expect(parseSemver('0.0.9007199254740992')).toBeNull();
    expect(parseSemver('1.0.0-9007199254740992')).toBeNull();
    expect(parseSemver('1.0.0-rc.99999999999999999999')).toBeNull();
    expect(parseSemver('99999999999999999999999.999999999999999999.99999999999999999')).toBeNull();
  });

  it('does not treat long digit runs inside alphanumeric identifiers or build metadata as numbers', () => {
    expect(v('1.0.0-99999999999999999999a').prerelease).toEqual(['99999999999999999999a']);
    expect(v('1.0.0+99999999999999999999').build).toEqual(['99999999999999999999']);
  });

  it(`caps the length at ${MAX_SEMVER_LENGTH} characters`, () => {
    expect(MAX_SEMVER_LENGTH).toBe(128);
    const atLimit = `1.0.0-${'a'.repeat(122)}`;
    expect(atLimit).toHaveLength(128);
    expect(parseSemver(atLimit)).not.toBeNull();
    expect(parseSemver(`${atLimit}a`)).toBeNull();
    expect(parseSemver(`1.0.0+${'b'.repeat(123)}`)).toBeNull();
  });
});

describe('formatCore', () => {
  it.each([
    ['1.2.3', '1.2.3'],
    ['1.2.3-rc.1', '1.2.3'],
    ['1.2.3+build.7', '1.2.3'],
    ['10.0.200-alpha+x', '10.0.200'],
  ])('%s → %s', (text, core) => {
    expect(formatCore(v(text))).toBe(core);
  });
});

describe('compareSemver', () => {
  // semver.org §11.4, in ascending order.
  const chain = ['1.0.0-alpha', '1.0.0-alpha.1', '1.0.0-alpha.beta', '1.0.0-beta', '1.0.0-beta.2', '1.0.0-beta.11', '1.0.0-rc.1', '1.0.0'];

  it('orders every pair of the §11 example chain', () => {
    for (let i = 0; i < chain.length; i++) {
      for (let j = 0; j < chain.length; j++) {
        const expected = i < j ? -1 : i > j ? 1 : 0;
        expect(compareSemver(v(chain[i]!), v(chain[j]!)), `${chain[i]} vs ${chain[j]}`).toBe(expected);
      }
    }
  });

  it('sorts a shuffled chain into §11 order', () => {
    const shuffled = [chain[5], chain[0], chain[7], chain[2], chain[6], chain[1], chain[4], chain[3]].map((s) => v(s!));
    expect(shuffled.sort(compareSemver).map((s) => s.raw)).toEqual(chain);
  });

  it.each([
    // §11.2: major, minor, patch numerically
    ['1.0.0', '2.0.0', -1],
    ['2.0.0', '2.1.0', -1],
    ['2.1.0', '2.1.1', -1],
    ['1.9.0', '1.10.0', -1],
    ['1.0.9', '1.0.10', -1],
    ['9.0.0', '10.0.0', -1],
    ['2.0.0', '1.99.99', 1],
    ['1.2.3', '1.2.3', 0],
    // §11.3: a pre-release sorts below its release, but above the previous core
    ['1.0.0-rc.1', '1.0.0', -1],
    ['1.0.0', '1.0.0-rc.1', 1],
    ['1.0.0-rc.1', '0.9.9', 1],
    ['1.0.0-alpha', '1.0.1-alpha', -1],
    // §11.4.1: numeric identifiers numerically
    ['1.0.0-2', '1.0.0-10', -1],
    ['1.0.0-rc.9', '1.0.0-rc.10', -1],
    // §11.4.2: alphanumerics in ASCII order (so "beta10" < "beta2", "B" < "a", "-" < "0")
    ['1.0.0-beta10', '1.0.0-beta2', -1],
    ['1.0.0-Beta', '1.0.0-alpha', -1],
    ['1.0.0-a-b', '1.0.0-a0', -1],
    ['1.0.0-alpha', '1.0.0-alpha', 0],
    // §11.4.3: numeric below alphanumeric, even when it looks bigger
    ['1.0.0-999', '1.0.0-0a', -1],
    ['1.0.0-1', '1.0.0-a', -1],
    ['1.0.0-a', '1.0.0-1', 1],
    // §11.4.4: more identifiers win when the shared ones are equal
    ['1.0.0-alpha', '1.0.0-alpha.0', -1],
    ['1.0.0-alpha.1.1', '1.0.0-alpha.1', 1],
    // §10: build metadata never counts
    ['1.0.0+a', '1.0.0+b', 0],
    ['1.0.0', '1.0.0+build.9', 0],
    ['1.0.0-rc.1+x', '1.0.0-rc.1+y', 0],
    ['1.0.0-rc.1+zzz', '1.0.0-rc.2+aaa', -1],
  ] as const)('%s vs %s → %i', (a, b, expected) => {
    expect(compareSemver(v(a), v(b))).toBe(expected);
    expect(compareSemver(v(b), v(a))).toBe(expected === 0 ? 0 : -expected);
  });
});

describe('compareCore', () => {
  it.each([
    ['1.0.0-alpha', '1.0.0', 0],
    ['1.0.0+b', '1.0.0-rc.1', 0],
    ['1.2.3', '1.2.4-alpha', -1],
    ['1.3.0', '1.2.9', 1],
    ['2.0.0-alpha', '1.99.99', 1],
    ['1.10.0', '1.9.0', 1],
  ] as const)('%s vs %s → %i', (a, b, expected) => {
    expect(compareCore(v(a), v(b))).toBe(expected);
  });
});

describe('bumpBetween', () => {
  it.each([
    ['1.2.3', '2.0.0', 'major'],
    ['1.2.3', '2.5.1', 'major'],
    ['0.9.9', '1.0.0', 'major'],
    ['1.2.3', '2.0.0-rc.1', 'major'],
    ['1.2.3', '1.3.0', 'minor'],
    ['1.2.3', '1.3.5', 'minor'],
    ['0.4.0', '0.5.0', 'minor'],
    ['1.2.3', '1.2.4', 'patch'],
    ['1.2.3', '1.2.10', 'patch'],
    ['1.2.3', '1.2.3', 'none'],
    ['1.0.0-rc.1', '1.0.0', 'none'],
    ['1.0.0', '1.0.0-rc.1', 'none'],
    ['1.2.3+a', '1.2.3+b', 'none'],
  ] as const)('%s → %s is %s', (from, to, bump) => {
    expect(bumpBetween(v(from), v(to))).toBe(bump);
  });

  it.each([
    ['1.2.3', '1.2.2'],
    ['2.0.0', '1.9.9'],
    ['1.2.0', '1.1.9'],
    ['1.0.0', '0.99.99-rc.1'],
  ])('throws when %s → %s goes down', (from, to) => {
    expect(() => bumpBetween(v(from), v(to))).toThrow(RangeError);
    expect(() => bumpBetween(v(from), v(to))).toThrow(`${formatCore(v(to))} is lower than ${formatCore(v(from))}`);
  });
});

describe('SemverString', () => {
  it.each([
    ['1.4.0', '1.4.0'],
    ['2.0.0-rc.1', '2.0.0-rc.1'],
    ['1.0.0+build.1', '1.0.0+build.1'],
    ['  1.2.3\n', '1.2.3'],
  ])('accepts %j as %j', (input, output) => {
    expect(SemverString.parse(input)).toBe(output);
  });

  it.each(['v1.2.3', '1.2', '', '01.2.3', '1.2.3-0123', 'latest'])('rejects %j with the format message', (input) => {
    expect(SemverString.safeParse(input).error?.issues.map((i) => i.message)).toEqual([MESSAGE]);
  });

  it('rejects non-strings', () => {
    expect(SemverString.safeParse(123).success).toBe(false);
    expect(SemverString.safeParse(null).success).toBe(false);
  });
});
