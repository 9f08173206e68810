import { z } from 'zod';

/**
 * Semantic Versioning 2.0.0, exactly as https://semver.org specifies it: MAJOR.MINOR.PATCH, an
 * optional pre-release after "-" and optional build metadata after "+". No leading "v", no
 * leading zeros in numeric identifiers, no ranges. Versions are how the registry orders a model's
 * history and how it decides whether a contract change was announced (lib/domain/contract.ts), so
 * anything looser would let two spellings of one version through.
 */
export type SemVer = {
  major: number;
  minor: number;
  patch: number;
  /** Numeric identifiers as numbers (they compare numerically), the rest as strings. */
  prerelease: (string | number)[];
  /** Kept for display only: build metadata never affects precedence (§10). */
  build: string[];
  raw: string;
};

/** Longer strings are rejected before the regex runs: nobody needs them and they only cost. */
export const MAX_SEMVER_LENGTH = 128;

// The regular expression semver.org publishes (numbered capture groups variant), verbatim.
// Without the `m` flag JavaScript's `$` only matches at the very end, so "1.2.3\n" fails too.
const SEMVER_PATTERN =
  /^(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)(?:-((?:0|[1-9]\d*|\d*[a-zA-Z-][0-9a-zA-Z-]*)(?:\.(?:0|[1-9]\d*|\d*[a-zA-Z-][0-9a-zA-Z-]*))*))?(?:\+([0-9a-zA-Z-]+(?:\.[0-9a-zA-Z-]+)*))?$/;

const NUMERIC = /^\d+$/;

/** A numeric identifier beyond 2^53 − 1 cannot be compared exactly as a JS number, so it is refused. */
function safeInteger(digits: string): number | null {
  const n = Number(digits);
  return Number.isSafeInteger(n) ? n : null;
}

export function parseSemver(input: string): SemVer | null {
  if (input.length > MAX_SEMVER_LENGTH) return null;
  const match = SEMVER_PATTERN.exec(input);
  if (!match) return null;
  const [, majorText = '', minorText = '', patchText = '', prereleaseText, buildText] = match;
  const major = safeInteger(majorText);
  const minor = safeInteger(minorText);
  const patch = safeInteger(patchText);
  if (major === null || minor === null || patch === null) return null;

  const prerelease: (string | number)[] = [];
  for (const id of prereleaseText?.split('.') ?? []) {
    if (!NUMERIC.test(id)) {
      prerelease.push(id);
      continue;
    }
    const n = safeInteger(id);
    if (n === null) return null;
    prerelease.push(n);
  }
  return { major, minor, patch, prerelease, build: buildText?.split('.') ?? [], raw: input };
}

export function formatCore(v: SemVer): string {
  return `${v.major}.${v.minor}.${v.patch}`;
}

function sign(d: number): -1 | 0 | 1 {
  return d < 0 ? -1 : d > 0 ? 1 : 0;
}

export function compareCore(a: SemVer, b: SemVer): -1 | 0 | 1 {
  return sign(a.major - b.major) || sign(a.minor - b.minor) || sign(a.patch - b.patch);
}

/** §11.4.1–3: numbers numerically, numbers below alphanumerics, alphanumerics in ASCII order. */
function compareIdentifier(a: string | number, b: string | number): -1 | 0 | 1 {
  if (typeof a === 'number' && typeof b === 'number') return sign(a - b);
  if (typeof a === 'number') return -1;
  if (typeof b === 'number') return 1;
  // Plain code-unit comparison, never localeCompare: the identifier alphabet is ASCII and the
  // order must not depend on the server's locale.
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Precedence per §11; build metadata is ignored, so 1.0.0+a and 1.0.0+b compare equal. */
export function compareSemver(a: SemVer, b: SemVer): -1 | 0 | 1 {
  const core = compareCore(a, b);
  if (core !== 0) return core;
  // §11.3: a pre-release has lower precedence than the release with the same core.
  if (a.prerelease.length === 0 || b.prerelease.length === 0) {
    return sign(b.prerelease.length - a.prerelease.length);
  }
  const shared = Math.min(a.prerelease.length, b.prerelease.length);
  for (let i = 0; i < shared; i++) {
    const c = compareIdentifier(a.prerelease[i]!, b.prerelease[i]!);
    if (c !== 0) return c;
  }
  // §11.4.4: with all shared identifiers equal, the longer list wins.
  return sign(a.prerelease.length - b.prerelease.length);
}

export type Bump = 'major' | 'minor' | 'patch' | 'none';

/** The bump from `from` to `to` by their cores: 'none' when cores are equal; throws if `to`'s core is lower. */
export function bumpBetween(from: SemVer, to: SemVer): Bump {
  if (compareCore(to, from) < 0) {
    throw new RangeError(`${formatCore(to)} is lower than ${formatCore(from)}; a bump only goes up`);
  }
  if (to.major !== from.major) return 'major';
  if (to.minor !== from.minor) return 'minor';
  if (to.patch !== from.patch) return 'patch';
  return 'none';
}

export const SEMVER_MESSAGE = 'Not a semantic version (MAJOR.MINOR.PATCH, e.g. 1.4.0 or 2.0.0-rc.1)';

/** For forms and API bodies: surrounding whitespace is forgiven (trimmed), anything else is not. */
export const SemverString = z
  .string()
  .trim()
  .refine((s) => parseSemver(s) !== null, SEMVER_MESSAGE);
