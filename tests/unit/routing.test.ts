import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { RELEASE_STATES, type ReleaseState } from '@/lib/domain/release-machine';
import { STRATEGIES, SplitRouting, type Strategy } from '@/lib/domain/release-plan';
import { desiredRouting, routingEtag, type DesiredRouting, type RoutedVersion, type RoutingInput } from '@/lib/domain/routing';

const OLD = '1.0.0';
const NEW = '1.1.0';
const SPLIT = SplitRouting.parse({
  versions: [
    { version: OLD, weight: 70 },
    { version: NEW, weight: 30 },
  ],
  segments: [{ match: { kind: 'header', name: 'x-tenant', value: 'acme' }, version: NEW }],
});
// The weight each strategy's plan has reached in the table below.
const WEIGHT: Record<Strategy, number> = { canary: 25, blue_green: 0, shadow: 0, split: 100, immediate: 100, ab: 30 };

type Release = NonNullable<RoutingInput['release']>;
const release = (strategy: Strategy, state: ReleaseState, over: Partial<Release> = {}): Release => ({
  id: 'rel-1',
  strategy,
  state,
  currentWeight: WEIGHT[strategy],
  version: NEW,
  baselineVersion: OLD,
  split: strategy === 'split' || strategy === 'ab' ? SPLIT : null,
  ...over,
});
const input = (rel: Release | null, stable: string | null = OLD): RoutingInput => ({
  service: 'fraud-scorer',
  environment: 'production',
  stable: stable === null ? null : { version: stable },
  release: rel,
});
const split = (r: DesiredRouting) => ({ versions: r.versions, segments: r.segments, shadow: r.shadow, assignment: r.assignment });

const stable = (version: string, weight = 100): RoutedVersion => ({ version, weight, role: 'stable' });
const canary = (version: string, weight: number): RoutedVersion => ({ version, weight, role: 'canary' });
type Split = ReturnType<typeof split>;
const only = (...versions: RoutedVersion[]): Split => ({ versions, segments: [], shadow: null, assignment: null });
const OLD_ONLY = only(stable(OLD));
// A promoted release's version is the new stable one; the caller passes it as such.
const NEW_ONLY = only(stable(NEW));

const ACTIVE: Record<Strategy, Split> = {
  canary: only(stable(OLD, 75), canary(NEW, 25)),
  blue_green: only(stable(OLD), { version: NEW, weight: 0, role: 'preview' }),
  shadow: { versions: [stable(OLD)], segments: [], shadow: { version: NEW, percent: 100 }, assignment: null },
  split: {
    versions: [
      { version: OLD, weight: 70, role: 'split' },
      { version: NEW, weight: 30, role: 'split' },
    ],
    segments: [{ match: { kind: 'header', name: 'x-tenant', value: 'acme' }, version: NEW }],
    shadow: null,
    assignment: null,
  },
  immediate: only(canary(NEW, 100)),
  // Arms at their allocation, control first; segments do not apply to an experiment's random assignment.
  ab: {
    versions: [
      { version: OLD, weight: 70, role: 'control' },
      { version: NEW, weight: 30, role: 'treatment' },
    ],
    segments: [],
    shadow: null,
    assignment: { unit: 'user' },
  },
};

// Every strategy × state, written out: only running and paused move traffic, and a pause holds it.
const TABLE: [Strategy, ReleaseState, Split][] = STRATEGIES.flatMap((strategy): [Strategy, ReleaseState, Split][] => [
  [strategy, 'pending_approval', OLD_ONLY],
  [strategy, 'approved', OLD_ONLY],
  [strategy, 'running', ACTIVE[strategy]],
  [strategy, 'paused', ACTIVE[strategy]],
  [strategy, 'promoted', NEW_ONLY],
  [strategy, 'rolled_back', OLD_ONLY],
  [strategy, 'rejected', OLD_ONLY],
  [strategy, 'aborted', OLD_ONLY],
]);

describe('desiredRouting: every strategy × state', () => {
  it('covers every pair', () => {
    expect(TABLE).toHaveLength(STRATEGIES.length * RELEASE_STATES.length);
    expect(new Set(TABLE.map(([s, st]) => `${s}:${st}`)).size).toBe(TABLE.length);
  });

  it.each(TABLE)('%s, %s', (strategy, state, expected) => {
    const routing = desiredRouting(input(release(strategy, state), state === 'promoted' ? NEW : OLD));
    expect(split(routing)).toEqual(expected);
    expect(routing).toMatchObject({ service: 'fraud-scorer', environment: 'production', releaseId: 'rel-1', state });
  });
});

describe('desiredRouting: no release', () => {
  it('sends everything to the stable version', () => {
    expect(desiredRouting(input(null))).toEqual({ service: 'fraud-scorer', environment: 'production', ...OLD_ONLY, releaseId: null, state: 'stable' });
  });

  it('routes nothing when nothing was ever promoted', () => {
    expect(desiredRouting(input(null, null))).toEqual({ service: 'fraud-scorer', environment: 'production', versions: [], segments: [], shadow: null, assignment: null, releaseId: null, state: 'stable' });
  });
});

describe('desiredRouting: canary weights', () => {
  it.each([
    [0, [stable(OLD)]],
    [1, [stable(OLD, 99), canary(NEW, 1)]],
    [50, [stable(OLD, 50), canary(NEW, 50)]],
    [99, [stable(OLD, 1), canary(NEW, 99)]],
    [100, [canary(NEW, 100)]],
    // Out-of-range or fractional stored weights are brought back into 0–100 whole percent.
    [150, [canary(NEW, 100)]],
    [-5, [stable(OLD)]],
    [33.4, [stable(OLD, 67), canary(NEW, 33)]],
    [Number.NaN, [stable(OLD)]],
  ])('at %s %%', (weight, versions) => {
    expect(desiredRouting(input(release('canary', 'running', { currentWeight: weight }))).versions).toEqual(versions);
  });

  it('keeps the weight when paused', () => {
    expect(desiredRouting(input(release('canary', 'paused', { currentWeight: 5 }))).versions).toEqual([stable(OLD, 95), canary(NEW, 5)]);
  });
});

describe('desiredRouting: cut-over phases of blue-green and shadow', () => {
  it('switches blue-green to the new version once its plan reaches 100 %', () => {
    expect(desiredRouting(input(release('blue_green', 'running', { currentWeight: 100 }))).versions).toEqual([canary(NEW, 100)]);
  });

  it('splits a custom blue-green step like a canary', () => {
    expect(desiredRouting(input(release('blue_green', 'paused', { currentWeight: 30 }))).versions).toEqual([stable(OLD, 70), canary(NEW, 30)]);
  });

  it('stops mirroring and sends traffic once the shadow plan reaches 100 %', () => {
    const routing = desiredRouting(input(release('shadow', 'running', { currentWeight: 100 })));
    expect(split(routing)).toEqual(only(canary(NEW, 100)));
  });
});

describe('desiredRouting: edge cases', () => {
  it('sends everything to the candidate when there is no baseline at all (first deployment)', () => {
    expect(desiredRouting(input(release('canary', 'running', { baselineVersion: null }), null)).versions).toEqual([canary(NEW, 100)]);
    expect(desiredRouting(input(release('canary', 'running', { baselineVersion: null, currentWeight: 0 }), null)).versions).toEqual([canary(NEW, 100)]);
  });

  it('deploys a blue-green preview even with no baseline, taking no traffic', () => {
    expect(desiredRouting(input(release('blue_green', 'running', { baselineVersion: null }), null)).versions).toEqual([{ version: NEW, weight: 0, role: 'preview' }]);
  });

  it('mirrors with nothing to mirror from when there is no baseline', () => {
    expect(split(desiredRouting(input(release('shadow', 'running', { baselineVersion: null }), null)))).toEqual({ versions: [], segments: [], shadow: { version: NEW, percent: 100 }, assignment: null });
  });

  it("falls back to the release's baseline when the caller has no stable version", () => {
    expect(desiredRouting(input(release('canary', 'running', { baselineVersion: '0.9.0' }), null)).versions).toEqual([stable('0.9.0', 75), canary(NEW, 25)]);
    expect(desiredRouting(input(release('canary', 'rolled_back', { baselineVersion: '0.9.0' }), null)).versions).toEqual([stable('0.9.0')]);
  });

  it('prefers what is live over the release record of the baseline', () => {
    expect(desiredRouting(input(release('canary', 'running', { baselineVersion: '0.9.0' }), OLD)).versions).toEqual([stable(OLD, 75), canary(NEW, 25)]);
  });

  it.each<Strategy>(['canary', 'immediate', 'blue_green', 'shadow'])('collapses a %s release of the version already live into one entry', (strategy) => {
    expect(split(desiredRouting(input(release(strategy, 'running', { version: OLD }))))).toEqual(OLD_ONLY);
  });

  it('keeps the baseline when a split release has lost its configuration', () => {
    expect(split(desiredRouting(input(release('split', 'running', { split: null }))))).toEqual(OLD_ONLY);
  });

  it('copies only the known fields of segments', () => {
    const extra = { ...SPLIT, segments: [{ match: { kind: 'cookie' as const, name: 'beta', value: '1', regex: true }, version: OLD, note: 'x' }] };
    expect(desiredRouting(input(release('split', 'running', { split: extra }))).segments).toEqual([{ match: { kind: 'cookie', name: 'beta', value: '1' }, version: OLD }]);
  });

  it('does not share arrays with its input', () => {
    const rel = release('split', 'running');
    const routing = desiredRouting(input(rel));
    routing.versions[0]!.weight = 0;
    routing.segments.pop();
    expect(rel.split).toEqual(SPLIT);
  });
});

describe('desiredRouting: invariants over a sweep of inputs', () => {
  const cases = STRATEGIES.flatMap((strategy) =>
    RELEASE_STATES.flatMap((state) => [0, 1, 25, 50, 99, 100].flatMap((weight) => [OLD, null].map((stableVersion) => ({ strategy, state, weight, stableVersion })))),
  );

  it(`holds for all ${cases.length} combinations of strategy, state, weight and baseline`, () => {
    for (const { strategy, state, weight, stableVersion } of cases) {
      const label = `${strategy} ${state} ${weight}% stable=${stableVersion}`;
      const r = desiredRouting(input(release(strategy, state, { currentWeight: weight, baselineVersion: stableVersion }), stableVersion));
      const total = r.versions.reduce((sum, v) => sum + v.weight, 0);
      if (r.versions.length === 0 || r.versions.every((v) => v.role === 'preview')) {
        // Nothing takes traffic only when nothing is live yet.
        expect(stableVersion, label).toBeNull();
        expect(total, label).toBe(0);
      } else {
        expect(total, label).toBe(100);
      }
      for (const v of r.versions) expect(Number.isInteger(v.weight) && v.weight >= 0 && v.weight <= 100, label).toBe(true);
      expect(new Set(r.versions.map((v) => v.version)).size, label).toBe(r.versions.length);
      const stableAt = r.versions.findIndex((v) => v.role === 'stable');
      expect(stableAt === -1 || stableAt === 0, label).toBe(true);
      expect(r.versions.filter((v) => v.weight === 0).every((v) => v.role === 'preview'), label).toBe(true);
    }
  });
});

describe('routingEtag', () => {
  const base = desiredRouting(input(release('canary', 'running')));

  it('is a weak ETag over the canonical split', () => {
    const canonical =
      `{"assignment":null,"environment":"production","segments":[],"service":"fraud-scorer","shadow":null,` +
      `"versions":[{"role":"stable","version":"${OLD}","weight":75},{"role":"canary","version":"${NEW}","weight":25}]}`;
    expect(routingEtag(base)).toBe(`W/"${createHash('sha256').update(canonical).digest('hex').slice(0, 32)}"`);
    expect(routingEtag(base)).toMatch(/^W\/"[0-9a-f]{32}"$/);
  });

  it('is the same for the same split whatever the release id or state', () => {
    expect(routingEtag({ ...base, releaseId: 'rel-2', state: 'paused' })).toBe(routingEtag(base));
    expect(routingEtag(desiredRouting(input(release('canary', 'paused', { id: 'other' }))))).toBe(routingEtag(base));
    // A rollback lands on exactly the split of "no release at all".
    expect(routingEtag(desiredRouting(input(release('canary', 'rolled_back'))))).toBe(routingEtag(desiredRouting(input(null))));
  });

  it('does not depend on key order', () => {
    const reordered: DesiredRouting = {
      state: base.state,
      releaseId: base.releaseId,
      shadow: null,
      assignment: null,
      segments: [],
      versions: base.versions.map((v) => ({ role: v.role, weight: v.weight, version: v.version })),
      environment: 'production',
      service: 'fraud-scorer',
    };
    expect(routingEtag(reordered)).toBe(routingEtag(base));
  });

  const splitBase = desiredRouting(input(release('split', 'running')));
  const shadowBase = desiredRouting(input(release('shadow', 'running')));
  it.each<[string, DesiredRouting, DesiredRouting]>([
    ['a weight', base, desiredRouting(input(release('canary', 'running', { currentWeight: 26 })))],
    ['the candidate version', base, desiredRouting(input(release('canary', 'running', { version: '1.2.0' })))],
    ['the stable version', base, desiredRouting(input(release('canary', 'running'), '0.9.0'))],
    ['a role', base, { ...base, versions: base.versions.map((v) => ({ ...v, role: 'split' as const })) }],
    ['the order of versions', base, { ...base, versions: [...base.versions].reverse() }],
    ['the service', base, { ...base, service: 'other' }],
    ['the environment', base, { ...base, environment: 'staging' }],
    ['a segment value', splitBase, { ...splitBase, segments: [{ match: { kind: 'header', name: 'x-tenant', value: 'globex' }, version: NEW }] }],
    ['a segment target', splitBase, { ...splitBase, segments: [{ match: { kind: 'header', name: 'x-tenant', value: 'acme' }, version: OLD }] }],
    ['a segment kind', splitBase, { ...splitBase, segments: [{ match: { kind: 'cookie', name: 'x-tenant', value: 'acme' }, version: NEW }] }],
    ['a removed segment', splitBase, { ...splitBase, segments: [] }],
    ['the shadow version', shadowBase, { ...shadowBase, shadow: { version: '1.2.0', percent: 100 } }],
    ['the shadow percent', shadowBase, { ...shadowBase, shadow: { version: NEW, percent: 50 } }],
    ['shadowing ending', shadowBase, { ...shadowBase, shadow: null }],
    ['the assignment unit', desiredRouting(input(release('ab', 'running'))), desiredRouting(input(release('ab', 'running', { assignmentUnit: 'session' })))],
  ])('changes when %s changes', (_label, a, b) => {
    expect(routingEtag(b)).not.toBe(routingEtag(a));
  });

  it('differs across every distinct split of the strategy × state table', () => {
    const byEtag = new Map<string, string>();
    for (const [strategy, state] of TABLE) {
      const r = desiredRouting(input(release(strategy, state), state === 'promoted' ? NEW : OLD));
      const key = JSON.stringify(split(r));
      const etag = routingEtag(r);
      expect(byEtag.get(etag) ?? key).toBe(key);
      byEtag.set(etag, key);
    }
    // Stable old, stable new, and the six active splits.
    expect(byEtag.size).toBe(8);
  });
});
