import { describe, expect, it } from 'vitest';
import { parseAllDocuments } from 'yaml';
import {
  DEFAULT_PORT,
  ManifestOptions,
  MESH_FORMATS,
  STICKY_HEADERS,
  dns1123Label,
  manifestEtag,
  renderRouting,
  serviceName,
  versionLabelValue,
  versionNames,
  versionServiceName,
  type MeshFormat,
} from '@/lib/domain/mesh-manifests';
import { RELEASE_STATES, type ReleaseState } from '@/lib/domain/release-machine';
import { STRATEGIES, SplitRouting, type Strategy } from '@/lib/domain/release-plan';
import { desiredRouting, routingEtag, type DesiredRouting, type RoutingInput } from '@/lib/domain/routing';

// The same fixtures as tests/unit/routing.test.ts: every routing here comes out of desiredRouting.
const SERVICE = 'fraud-scorer';
const OLD = '1.0.0';
const NEW = '1.1.0';
const THIRD = '1.2.0';
const SPLIT = SplitRouting.parse({
  versions: [
    { version: OLD, weight: 70 },
    { version: NEW, weight: 30 },
  ],
  segments: [{ match: { kind: 'header', name: 'x-tenant', value: 'acme' }, version: NEW }],
});
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
  service: SERVICE,
  environment: 'production',
  stable: stable === null ? null : { version: stable },
  release: rel,
});
const route = (rel: Release | null, stable: string | null = OLD) => desiredRouting(input(rel, stable));

// ---------------------------------------------------------------------------------------------
// Reading the YAML back

type Json = Record<string, any>;

/** Parses every document, failing on any error or warning, and checks YAML 1.1 readers (kubectl) read the same. */
function read(yaml: string): Json[] {
  const docs = parseAllDocuments(yaml);
  const old = parseAllDocuments(yaml, { version: '1.1' });
  if (!Array.isArray(docs) || !Array.isArray(old)) throw new Error('not a YAML stream');
  for (const d of docs) {
    expect(d.errors, yaml).toEqual([]);
    expect(d.warnings, yaml).toEqual([]);
  }
  const values = docs.map((d) => d.toJS() as Json);
  expect(old.map((d) => d.toJS()), 'YAML 1.1 and 1.2 readers agree').toEqual(values);
  return values;
}

const comments = (yaml: string) => yaml.split('\n').filter((l) => l.startsWith('#'));
const DNS_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const LABEL_VALUE = /^(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?$/;
const sum = (weights: number[]) => weights.reduce((a, b) => a + b, 0);

/** What a manifest must route, written out by hand for each case. */
type Traffic = {
  /** Every version with its weight, in routing order, including those at 0 %. */
  weights: [string, number][];
  segments: { kind: 'header' | 'cookie'; name: string; value: string; version: string }[];
  shadow: { version: string; percent: number } | null;
  sticky: string | null;
  argo: { stable: string | null; canary: string | null; weight: number | null };
};
const traffic = (weights: [string, number][], over: Partial<Traffic> = {}): Traffic => ({ weights, segments: [], shadow: null, sticky: null, argo: { stable: null, canary: null, weight: 0 }, ...over });

const OLD_ONLY = traffic([[OLD, 100]], { argo: { stable: OLD, canary: null, weight: 0 } });
const NEW_ONLY = traffic([[NEW, 100]], { argo: { stable: NEW, canary: null, weight: 0 } });
const ACTIVE: Record<Strategy, Traffic> = {
  canary: traffic([[OLD, 75], [NEW, 25]], { argo: { stable: OLD, canary: NEW, weight: 25 } }),
  blue_green: traffic([[OLD, 100], [NEW, 0]], { argo: { stable: OLD, canary: NEW, weight: 0 } }),
  shadow: traffic([[OLD, 100]], { shadow: { version: NEW, percent: 100 }, argo: { stable: OLD, canary: NEW, weight: 0 } }),
  split: traffic([[OLD, 70], [NEW, 30]], { segments: [{ kind: 'header', name: 'x-tenant', value: 'acme', version: NEW }], argo: { stable: OLD, canary: NEW, weight: 30 } }),
  immediate: traffic([[NEW, 100]], { argo: { stable: null, canary: NEW, weight: 100 } }),
  ab: traffic([[OLD, 70], [NEW, 30]], { sticky: 'user', argo: { stable: OLD, canary: NEW, weight: 30 } }),
};

const TABLE: [Strategy, ReleaseState, Traffic][] = STRATEGIES.flatMap((strategy): [Strategy, ReleaseState, Traffic][] => [
  [strategy, 'pending_approval', OLD_ONLY],
  [strategy, 'approved', OLD_ONLY],
  [strategy, 'running', ACTIVE[strategy]],
  [strategy, 'paused', ACTIVE[strategy]],
  [strategy, 'promoted', NEW_ONLY],
  [strategy, 'rolled_back', OLD_ONLY],
  [strategy, 'rejected', OLD_ONLY],
  [strategy, 'aborted', OLD_ONLY],
]);

const versionsOf = (t: Traffic) => [...new Set([...t.weights.map(([v]) => v), ...t.segments.map((s) => s.version), ...(t.shadow ? [t.shadow.version] : [])])];
const takesTraffic = (t: Traffic) => t.weights.some(([, w]) => w > 0);

function checkIstio(yaml: string, t: Traffic) {
  const docs = read(yaml);
  expect(docs.map((d) => `${d.apiVersion}/${d.kind}`)).toEqual(['networking.istio.io/v1/DestinationRule', 'networking.istio.io/v1/VirtualService']);
  const [dr, vs] = docs as [Json, Json];
  // One subset per version, selecting the pods labelled with it.
  const bySubset = new Map<string, string>(dr.spec.subsets.map((s: Json) => [s.name, s.labels.version]));
  expect([...bySubset.values()]).toEqual(versionsOf(t));
  for (const name of bySubset.keys()) expect(name).toMatch(DNS_LABEL);
  const versionAt = (d: Json) => {
    expect(d.host).toBe(dr.spec.host);
    return bySubset.get(d.subset);
  };

  const http = vs.spec.http as Json[];
  expect(http).toHaveLength(t.segments.length + 1);
  // Segments first, in order, each a header match sending everything to its version.
  t.segments.forEach((s, i) => {
    const headers = http[i]!.match[0].headers;
    if (s.kind === 'header') expect(headers).toEqual({ [s.name.toLowerCase()]: { exact: s.value } });
    else {
      const cookie = new RegExp(headers.cookie.regex);
      expect(cookie.test(`${s.name}=${s.value}`)).toBe(true);
      expect(cookie.test(`a=1; ${s.name}=${s.value}; b=2`)).toBe(true);
      expect(cookie.test(`${s.name}=${s.value}x`)).toBe(false);
      expect(cookie.test(`x${s.name}=${s.value}`)).toBe(false);
    }
    expect(http[i]!.route.map((r: Json) => versionAt(r.destination))).toEqual([s.version]);
  });

  const main = http.at(-1)!;
  expect(main.match).toBeUndefined();
  if (takesTraffic(t)) {
    const weights = main.route.map((r: Json) => [versionAt(r.destination), r.weight]);
    expect(weights).toEqual(t.weights.filter(([, w]) => w > 0));
    expect(sum(weights.map(([, w]: [string, number]) => w))).toBe(100);
  } else {
    expect(main.route).toBeUndefined();
    expect(main.directResponse.status).toBe(503);
  }

  for (const r of http) {
    if (t.shadow && takesTraffic(t)) {
      expect(versionAt(r.mirror)).toBe(t.shadow.version);
      expect(r.mirrorPercentage).toEqual({ value: t.shadow.percent });
    } else {
      expect(r.mirror).toBeUndefined();
      expect(r.mirrorPercentage).toBeUndefined();
    }
  }
  expect(dr.spec.trafficPolicy?.loadBalancer?.consistentHash?.httpHeaderName).toBe(t.sticky ? STICKY_HEADERS[t.sticky] : undefined);
}

function checkGatewayApi(yaml: string, t: Traffic) {
  const docs = read(yaml);
  expect(docs.map((d) => `${d.apiVersion}/${d.kind}`)).toEqual(['gateway.networking.k8s.io/v1/HTTPRoute']);
  const spec = docs[0]!.spec;
  const byService = new Map(versionsOf(t).map((v) => [versionServiceName(SERVICE, v), v]));
  const versionAt = (ref: Json) => {
    expect(ref.port).toBe(DEFAULT_PORT);
    return byService.get(ref.name);
  };
  const rules = spec.rules as Json[];
  expect(rules).toHaveLength(t.segments.length + 1);
  t.segments.forEach((s, i) => {
    const [header] = rules[i]!.matches[0].headers;
    if (s.kind === 'header') expect(header).toEqual({ type: 'Exact', name: s.name, value: s.value });
    else {
      expect(header).toMatchObject({ type: 'RegularExpression', name: 'Cookie' });
      expect(new RegExp(header.value).test(`a=1; ${s.name}=${s.value}`)).toBe(true);
    }
    expect(rules[i]!.backendRefs.map(versionAt)).toEqual([s.version]);
  });
  const main = rules.at(-1)!;
  expect(main.matches).toBeUndefined();
  const weights = main.backendRefs.map((r: Json) => [versionAt(r), r.weight]);
  // Every version is listed, those at 0 % with weight 0; with nothing taking traffic, no backends at all.
  expect(weights).toEqual(takesTraffic(t) ? t.weights : []);
  expect(sum(weights.map(([, w]: [string, number]) => w))).toBe(takesTraffic(t) ? 100 : 0);
  for (const rule of rules) {
    if (t.shadow && takesTraffic(t)) {
      expect(rule.filters).toHaveLength(1);
      expect(rule.filters[0].type).toBe('RequestMirror');
      expect(versionAt(rule.filters[0].requestMirror.backendRef)).toBe(t.shadow.version);
      expect(rule.filters[0].requestMirror.percent).toBe(t.shadow.percent === 100 ? undefined : t.shadow.percent);
    } else expect(rule.filters).toBeUndefined();
  }
}

function checkLinkerd(yaml: string, t: Traffic) {
  const docs = read(yaml);
  expect(docs.map((d) => `${d.apiVersion}/${d.kind}`)).toEqual(['split.smi-spec.io/v1alpha2/TrafficSplit']);
  const spec = docs[0]!.spec;
  expect(spec.service).toBe(SERVICE);
  const byService = new Map(versionsOf(t).map((v) => [versionServiceName(SERVICE, v), v]));
  const weights = spec.backends.map((b: Json) => [byService.get(b.service), b.weight]);
  expect(weights).toEqual(takesTraffic(t) ? t.weights : []);
  expect(Object.keys(spec)).toEqual(['service', 'backends']);
  // What SMI cannot express is said, not dropped.
  const notes = comments(yaml).join('\n');
  for (const s of t.segments) expect(notes).toContain(`Not expressible in an SMI TrafficSplit (no header match): segment ${s.kind} ${s.name}=${s.value} → ${s.version}`);
  if (t.shadow) expect(notes).toContain(`(no mirroring): shadow of ${t.shadow.percent} % to ${t.shadow.version}`);
  if (t.sticky) expect(notes).toContain('SMI has no sticky assignment');
}

function checkArgo(yaml: string, t: Traffic) {
  const docs = read(yaml);
  expect(docs).toHaveLength(1);
  const view = docs[0]!;
  // Not a Kubernetes object: kubectl apply refuses it.
  expect(view.apiVersion).toBeUndefined();
  expect(view.kind).toBeUndefined();
  expect(comments(yaml).join('\n')).toContain('Read-only view for a Rollout spec.strategy.canary');
  expect(view.flightdeck.versions.map((v: Json) => [v.version, v.weight])).toEqual(t.weights);
  expect(view.flightdeck).toMatchObject({ readOnly: true, stableVersion: t.argo.stable, canaryVersion: t.argo.canary, canaryWeight: t.argo.weight });
  const canary = view.spec.strategy.canary;
  expect(canary.stableMetadata?.labels.version).toBe(t.argo.stable ?? undefined);
  if (t.argo.weight === null) {
    expect(view.flightdeck.expressible).toBe(false);
    expect(canary.steps).toEqual([]);
  } else {
    expect(view.flightdeck.expressible).toBe(true);
    expect(canary.canaryMetadata?.labels.version).toBe(t.argo.canary ?? undefined);
    expect(canary.steps.filter((s: Json) => 'setWeight' in s)).toEqual([{ setWeight: t.argo.weight }]);
    expect(canary.steps.at(-1)).toEqual({ pause: {} });
  }
  const mirror = canary.steps.find((s: Json) => 'setMirrorRoute' in s);
  expect(mirror?.setMirrorRoute.percentage).toBe(t.shadow && t.argo.weight !== null ? t.shadow.percent : undefined);
  const notes = comments(yaml).join('\n');
  for (const s of t.segments) expect(notes).toContain(`Not shown: segment ${s.kind} ${s.name}=${s.value} → ${s.version}`);
}

const CHECK: Record<MeshFormat, (yaml: string, t: Traffic) => void> = {
  istio: checkIstio,
  'gateway-api': checkGatewayApi,
  linkerd: checkLinkerd,
  'argo-rollouts': checkArgo,
};

function checkHeader(yaml: string, routing: DesiredRouting, format: MeshFormat) {
  expect(yaml.startsWith('# Generated by Flightdeck.')).toBe(true);
  const head = comments(yaml);
  expect(head).toContain(`# release: ${routing.releaseId ?? 'none'}`);
  expect(head).toContain(`# state: ${routing.state}`);
  expect(head).toContain(`# routing-etag: ${routingEtag(routing)}`);
  expect(head).toContain(`# format: ${format}`);
}

/** Renders in every format and checks each against the same expectation. */
function checkAll(routing: DesiredRouting, t: Traffic) {
  for (const format of MESH_FORMATS) {
    const yaml = renderRouting(routing, format);
    checkHeader(yaml, routing, format);
    CHECK[format](yaml, t);
  }
}

// ---------------------------------------------------------------------------------------------

describe('renderRouting: every strategy × state × format', () => {
  it('covers every pair', () => {
    expect(TABLE).toHaveLength(STRATEGIES.length * RELEASE_STATES.length);
    expect(new Set(TABLE.map(([s, st]) => `${s}:${st}`)).size).toBe(TABLE.length);
  });

  const cases = TABLE.flatMap(([strategy, state, t]) => MESH_FORMATS.map((format) => [strategy, state, format, t] as const));
  it.each(cases)('%s, %s as %s', (strategy, state, format, t) => {
    const routing = route(release(strategy, state), state === 'promoted' ? NEW : OLD);
    const yaml = renderRouting(routing, format);
    checkHeader(yaml, routing, format);
    CHECK[format](yaml, t);
  });
});

describe('renderRouting: canary at several weights', () => {
  it.each([
    [0, traffic([[OLD, 100]], { argo: { stable: OLD, canary: null, weight: 0 } })],
    [1, traffic([[OLD, 99], [NEW, 1]], { argo: { stable: OLD, canary: NEW, weight: 1 } })],
    [5, traffic([[OLD, 95], [NEW, 5]], { argo: { stable: OLD, canary: NEW, weight: 5 } })],
    [25, traffic([[OLD, 75], [NEW, 25]], { argo: { stable: OLD, canary: NEW, weight: 25 } })],
    [50, traffic([[OLD, 50], [NEW, 50]], { argo: { stable: OLD, canary: NEW, weight: 50 } })],
    [99, traffic([[OLD, 1], [NEW, 99]], { argo: { stable: OLD, canary: NEW, weight: 99 } })],
    [100, traffic([[NEW, 100]], { argo: { stable: null, canary: NEW, weight: 100 } })],
    [33.4, traffic([[OLD, 67], [NEW, 33]], { argo: { stable: OLD, canary: NEW, weight: 33 } })],
  ])('at %s %%', (weight, t) => {
    checkAll(route(release('canary', 'running', { currentWeight: weight })), t);
    // A pause holds the same split.
    checkAll(route(release('canary', 'paused', { currentWeight: weight })), t);
  });
});

describe('renderRouting: blue-green', () => {
  it('deploys the preview with no traffic', () => {
    checkAll(route(release('blue_green', 'running')), ACTIVE.blue_green);
  });

  it('cuts over to the new version', () => {
    checkAll(route(release('blue_green', 'running', { currentWeight: 100 })), traffic([[NEW, 100]], { argo: { stable: null, canary: NEW, weight: 100 } }));
  });

  it('splits a custom cut-over step like a canary', () => {
    checkAll(route(release('blue_green', 'paused', { currentWeight: 30 })), traffic([[OLD, 70], [NEW, 30]], { argo: { stable: OLD, canary: NEW, weight: 30 } }));
  });

  it('routes nothing for a first deployment whose preview takes no traffic', () => {
    const routing = route(release('blue_green', 'running', { baselineVersion: null }), null);
    checkAll(routing, traffic([[NEW, 0]], { argo: { stable: null, canary: NEW, weight: 0 } }));
    // The preview still has its subset, reachable by whoever addresses it.
    expect(read(renderRouting(routing, 'istio'))[0]!.spec.subsets).toEqual([{ name: '1-1-0', labels: { version: NEW } }]);
  });
});

describe('renderRouting: shadow', () => {
  it('mirrors every request to the candidate', () => {
    checkAll(route(release('shadow', 'running')), ACTIVE.shadow);
  });

  it('mirrors part of the requests', () => {
    const routing: DesiredRouting = { ...route(release('shadow', 'running')), shadow: { version: NEW, percent: 20 } };
    checkAll(routing, { ...ACTIVE.shadow, shadow: { version: NEW, percent: 20 } });
    expect(comments(renderRouting(routing, 'gateway-api')).join('\n')).toContain('percent field needs Gateway API >= 1.2');
  });

  it('stops mirroring once its plan sends traffic', () => {
    checkAll(route(release('shadow', 'running', { currentWeight: 100 })), traffic([[NEW, 100]], { argo: { stable: null, canary: NEW, weight: 100 } }));
  });

  it('has nothing to mirror from when nothing is live, and says so', () => {
    const routing = route(release('shadow', 'running', { baselineVersion: null }), null);
    for (const format of ['istio', 'gateway-api'] as const) {
      const yaml = renderRouting(routing, format);
      expect(comments(yaml).join('\n')).toContain(`Shadow of ${NEW} not rendered: no version serves the requests to mirror.`);
      CHECK[format](yaml, traffic([], { shadow: { version: NEW, percent: 100 } }));
    }
  });
});

describe('renderRouting: split with segments', () => {
  const split = SplitRouting.parse({
    versions: [
      { version: OLD, weight: 60 },
      { version: NEW, weight: 30 },
      { version: THIRD, weight: 10 },
    ],
    segments: [
      { match: { kind: 'header', name: 'X-Tenant', value: 'acme' }, version: NEW },
      { match: { kind: 'cookie', name: 'beta', value: 'on.1' }, version: THIRD },
      { match: { kind: 'header', name: 'x-region', value: 'yes' }, version: OLD },
    ],
  });
  const t = traffic(
    [
      [OLD, 60],
      [NEW, 30],
      [THIRD, 10],
    ],
    {
      segments: [
        { kind: 'header', name: 'X-Tenant', value: 'acme', version: NEW },
        { kind: 'cookie', name: 'beta', value: 'on.1', version: THIRD },
        { kind: 'header', name: 'x-region', value: 'yes', version: OLD },
      ],
      argo: { stable: null, canary: null, weight: null },
    },
  );

  it.each(['running', 'paused'] as const)('routes segments before the weights when %s', (state) => {
    checkAll(route(release('split', state, { split })), t);
  });

  it('keeps a version at 0 % reachable through its segment', () => {
    const zero = SplitRouting.parse({
      versions: [
        { version: OLD, weight: 100 },
        { version: NEW, weight: 0 },
      ],
      segments: [{ match: { kind: 'header', name: 'x-beta', value: '1' }, version: NEW }],
    });
    checkAll(
      route(release('split', 'running', { split: zero })),
      traffic([[OLD, 100], [NEW, 0]], { segments: [{ kind: 'header', name: 'x-beta', value: '1', version: NEW }], argo: { stable: OLD, canary: NEW, weight: 0 } }),
    );
  });

  it('says the Argo view cannot express three versions', () => {
    expect(comments(renderRouting(route(release('split', 'running', { split })), 'argo-rollouts')).join('\n')).toContain('this split has 3');
  });

  it('names cookie segments as implementation-specific in Gateway API', () => {
    expect(comments(renderRouting(route(release('split', 'running', { split })), 'gateway-api')).join('\n')).toContain('type RegularExpression, whose support is implementation-specific');
  });
});

describe('renderRouting: A/B experiment', () => {
  const arms = SplitRouting.parse({
    versions: [
      { version: OLD, weight: 50 },
      { version: NEW, weight: 25 },
      { version: THIRD, weight: 25 },
    ],
  });
  const t = (unit: string | null): Traffic =>
    traffic(
      [
        [OLD, 50],
        [NEW, 25],
        [THIRD, 25],
      ],
      { sticky: unit, argo: { stable: OLD, canary: null, weight: null } },
    );

  it('splits three arms by weight and hashes the user id in Istio', () => {
    const routing = route(release('ab', 'running', { split: arms, assignmentUnit: 'user' }));
    checkAll(routing, t('user'));
    const notes = comments(renderRouting(routing, 'istio')).join('\n');
    expect(notes).toContain('hashes x-user-id (consistentHash)');
    expect(notes).toContain('stays in one arm only if the caller pins it');
  });

  it('hashes the session id for unit session', () => {
    checkAll(route(release('ab', 'paused', { split: arms, assignmentUnit: 'session' })), t('session'));
  });

  it('needs no stickiness for unit request', () => {
    const routing = route(release('ab', 'running', { split: arms, assignmentUnit: 'request' }));
    checkAll(routing, { ...t('request'), sticky: null });
    expect(read(renderRouting(routing, 'istio'))[0]!.spec.trafficPolicy).toBeUndefined();
  });

  it('shows a two-arm experiment as a canary in the Argo view', () => {
    checkArgo(renderRouting(route(release('ab', 'running')), 'argo-rollouts'), ACTIVE.ab);
  });
});

describe('renderRouting: immediate, no release, nothing live', () => {
  it('sends everything to an immediate release', () => {
    checkAll(route(release('immediate', 'running')), ACTIVE.immediate);
  });

  it('sends everything to the stable version with no release', () => {
    const routing = route(null);
    checkAll(routing, OLD_ONLY);
    expect(comments(renderRouting(routing, 'istio'))).toEqual(expect.arrayContaining(['# release: none', '# state: stable']));
  });

  it('routes nothing when nothing was ever promoted', () => {
    const routing = route(null, null);
    checkAll(routing, traffic([], { argo: { stable: null, canary: null, weight: 0 } }));
    const [dr, vs] = read(renderRouting(routing, 'istio')) as [Json, Json];
    expect(dr.spec.subsets).toEqual([]);
    expect(vs.spec.http).toEqual([{ name: 'no-traffic', directResponse: { status: 503, body: { string: `No version of ${SERVICE} takes traffic in production.` } } }]);
    expect(read(renderRouting(routing, 'gateway-api'))[0]!.spec.rules).toEqual([{ backendRefs: [] }]);
    expect(read(renderRouting(routing, 'linkerd'))[0]!.spec.backends).toEqual([]);
  });

  it('rolls a first deployment back to nothing', () => {
    checkAll(route(release('canary', 'rolled_back', { baselineVersion: null }), null), traffic([], { argo: { stable: null, canary: null, weight: 0 } }));
  });
});

describe('renderRouting: weights over a sweep of inputs', () => {
  const cases = STRATEGIES.flatMap((strategy) =>
    RELEASE_STATES.flatMap((state) => [0, 1, 25, 50, 99, 100].flatMap((weight) => [OLD, null].map((stableVersion) => ({ strategy, state, weight, stableVersion })))),
  );

  it(`add up to 100, or 0 when nothing takes traffic, in all ${cases.length * MESH_FORMATS.length} renderings`, () => {
    for (const { strategy, state, weight, stableVersion } of cases) {
      const routing = route(release(strategy, state, { currentWeight: weight, baselineVersion: stableVersion }), stableVersion);
      const expected = sum(routing.versions.map((v) => v.weight));
      for (const format of MESH_FORMATS) {
        const label = `${strategy} ${state} ${weight}% stable=${stableVersion} ${format}`;
        const docs = read(renderRouting(routing, format));
        const weights: number[] =
          format === 'istio'
            ? (docs[1]!.spec.http.at(-1).route ?? []).map((r: Json) => r.weight)
            : format === 'gateway-api'
              ? docs[0]!.spec.rules.at(-1).backendRefs.map((r: Json) => r.weight)
              : format === 'linkerd'
                ? docs[0]!.spec.backends.map((b: Json) => b.weight)
                : docs[0]!.flightdeck.versions.map((v: Json) => v.weight);
        expect(sum(weights), label).toBe(expected);
        expect([0, 100], label).toContain(sum(weights));
        for (const w of weights) expect(Number.isInteger(w) && w >= 0 && w <= 100, label).toBe(true);
      }
    }
  });

  it('rescales a hand-built split whose weights do not add up to 100', () => {
    const routing: DesiredRouting = {
      ...route(null),
      versions: [
        { version: OLD, weight: 1, role: 'split' },
        { version: NEW, weight: 1, role: 'split' },
        { version: THIRD, weight: 1, role: 'split' },
      ],
    };
    const [, vs] = read(renderRouting(routing, 'istio')) as [Json, Json];
    expect(vs.spec.http[0].route.map((r: Json) => r.weight)).toEqual([34, 33, 33]);
    expect(read(renderRouting(routing, 'linkerd'))[0]!.spec.backends.map((b: Json) => b.weight)).toEqual([34, 33, 33]);
  });
});

describe('renderRouting: options', () => {
  const routing = route(release('canary', 'running'));

  it('qualifies Istio hosts with the namespace and sets the port, host and gateway', () => {
    const [dr, vs] = read(renderRouting(routing, 'istio', { namespace: 'ml', port: 8080, host: 'scorer.example.com', gateway: 'istio-system/public' })) as [Json, Json];
    expect(dr.metadata).toMatchObject({ name: SERVICE, namespace: 'ml' });
    expect(dr.spec.host).toBe(`${SERVICE}.ml.svc.cluster.local`);
    expect(vs.spec.hosts).toEqual(['scorer.example.com']);
    expect(vs.spec.gateways).toEqual(['istio-system/public']);
    expect(vs.spec.http[0].route[0].destination).toEqual({ host: `${SERVICE}.ml.svc.cluster.local`, subset: '1-0-0', port: { number: 8080 } });
  });

  it('attaches the HTTPRoute to a gateway, or to the service (GAMMA) without one', () => {
    const withGateway = read(renderRouting(routing, 'gateway-api', { gateway: 'infra/public', host: 'scorer.example.com', port: 8080 }))[0]!;
    expect(withGateway.spec.parentRefs).toEqual([{ name: 'public', namespace: 'infra' }]);
    expect(withGateway.spec.hostnames).toEqual(['scorer.example.com']);
    expect(withGateway.spec.rules[0].backendRefs).toEqual([
      { name: 'fraud-scorer-1-0-0', port: 8080, weight: 75 },
      { name: 'fraud-scorer-1-1-0', port: 8080, weight: 25 },
    ]);
    const mesh = read(renderRouting(routing, 'gateway-api'))[0]!;
    expect(mesh.spec.parentRefs).toEqual([{ group: '', kind: 'Service', name: SERVICE }]);
    expect(mesh.spec.hostnames).toBeUndefined();
  });

  it('labels and annotates every object', () => {
    for (const format of ['istio', 'gateway-api', 'linkerd'] as const)
      for (const doc of read(renderRouting(routing, format, { namespace: 'ml' }))) {
        expect(doc.metadata.labels).toEqual({ 'app.kubernetes.io/managed-by': 'flightdeck', 'flightdeck.io/service': SERVICE, 'flightdeck.io/environment': 'production' });
        expect(doc.metadata.annotations).toEqual({ 'flightdeck.io/routing-etag': routingEtag(routing) });
      }
  });

  it.each<[string, ManifestOptions | Record<string, unknown>]>([
    ['namespace', { namespace: 'ML_Team' }],
    ['namespace', { namespace: 'a'.repeat(64) }],
    ['host', { host: 'https://scorer.example.com' }],
    ['host', { host: `${'a'.repeat(64)}.example.com` }],
    ['port', { port: 0 }],
    ['port', { port: 65536 }],
    ['port', { port: 80.5 }],
    ['gateway', { gateway: 'a/b/c' }],
    ['gateway', { gateway: 'Public' }],
  ])('rejects a bad %s', (field, options) => {
    const parsed = ManifestOptions.safeParse(options);
    expect(parsed.success).toBe(false);
    expect(parsed.error!.issues[0]!.path).toEqual([field]);
    expect(() => renderRouting(routing, 'istio', options as ManifestOptions)).toThrow();
  });

  it('accepts good options', () => {
    expect(ManifestOptions.parse({ namespace: 'ml-prod', host: '*.scorer.example.com', port: 65535, gateway: 'public' })).toBeTruthy();
  });
});

describe('DNS-1123 names', () => {
  it.each([
    ['1.2.0', '1-2-0'],
    ['fraud-scorer', 'fraud-scorer'],
    ['v2', 'v2'],
  ])('turns only dots into dashes in a clean name: %s', (raw, name) => {
    expect(dns1123Label(raw)).toBe(name);
  });

  it.each(['1.0.0-RC1', '2.0.0+build.7', '-leading', 'trailing-', 'under_score', 'a b', '1.0.0\nkind: Secret', '+++', 'x'.repeat(64), `1.${'2'.repeat(100)}`])(
    'sanitizes %j with a hash suffix',
    (raw) => {
      const name = dns1123Label(raw);
      expect(name).toMatch(DNS_LABEL);
      expect(name.length).toBeLessThanOrEqual(63);
      expect(name).toMatch(/(^|-)[0-9a-f]{8}$/);
      expect(dns1123Label(raw)).toBe(name);
    },
  );

  it('keeps distinct inputs distinct', () => {
    const raws = ['1.0.0-RC1', '1.0.0-rc1', '1.0.0_rc1', 'x'.repeat(64), `${'x'.repeat(64)}y`, '+', '++'];
    expect(new Set(raws.map((r) => dns1123Label(r))).size).toBe(raws.length);
  });

  it('names per-version Services <service>-<version> within 63 characters, starting with a letter', () => {
    expect(versionServiceName(SERVICE, '1.2.0')).toBe('fraud-scorer-1-2-0');
    const long = versionServiceName('m'.repeat(63), '1.2.0');
    expect(long.length).toBeLessThanOrEqual(63);
    expect(long).toMatch(DNS_LABEL);
    expect(versionServiceName('m'.repeat(63), '1.2.1')).not.toBe(long);
    expect(serviceName('3d-model')).toBe('svc-3d-model');
    expect(versionServiceName('3d-model', '1.0')).toBe('svc-3d-model-1-0');
  });

  it('keeps the version pod label verbatim when Kubernetes accepts it', () => {
    expect(versionLabelValue('1.2.0')).toBe('1.2.0');
    expect(versionLabelValue('1.2.0_RC1')).toBe('1.2.0_RC1');
    for (const raw of ['1.2.0+build', '.hidden', 'v'.repeat(64), 'a b']) {
      const label = versionLabelValue(raw);
      expect(label).toMatch(LABEL_VALUE);
      expect(label.length).toBeLessThanOrEqual(63);
      expect(label).toMatch(/[0-9a-f]{8}$/);
    }
  });

  it('gives two versions that differ only by a dot and a dash different names', () => {
    const names = versionNames({
      service: SERVICE,
      versions: [
        { version: '1.0.0', weight: 50, role: 'split' },
        { version: '1-0-0', weight: 50, role: 'split' },
      ],
      segments: [],
      shadow: null,
    });
    const [a, b] = [...names.values()];
    expect(a!.subset).not.toBe(b!.subset);
    expect(a!.service).not.toBe(b!.service);
    expect(a!.label).toBe('1.0.0');
    expect(b!.label).toBe('1-0-0');
  });

  it('renders only valid names, labels and YAML for hostile versions', () => {
    const hostile = ['1.0.0-RC1', `2.0.0+${'x'.repeat(90)}`, 'on', '1.0\n---\nkind: Secret'];
    const routing: DesiredRouting = {
      ...route(null),
      versions: hostile.map((version, i) => ({ version, weight: i === 0 ? 40 : 20, role: 'split' as const })),
      segments: [{ match: { kind: 'header', name: 'x-user', value: 'yes' }, version: hostile[1]! }],
    };
    for (const format of MESH_FORMATS) {
      const yaml = renderRouting(routing, format);
      const docs = read(yaml);
      expect(docs).toHaveLength(format === 'istio' ? 2 : 1);
      for (const doc of docs) if (doc.metadata) expect(doc.metadata.name).toMatch(DNS_LABEL);
      if (format === 'istio') {
        for (const s of docs[0]!.spec.subsets) {
          expect(s.name).toMatch(DNS_LABEL);
          expect(s.name.length).toBeLessThanOrEqual(63);
          expect(s.labels.version).toMatch(LABEL_VALUE);
          expect(s.labels.version.length).toBeLessThanOrEqual(63);
        }
        expect(docs[0]!.spec.subsets.find((s: Json) => s.labels.version === 'on')).toBeTruthy();
      }
      if (format === 'gateway-api')
        for (const rule of docs[0]!.spec.rules)
          for (const ref of rule.backendRefs) {
            expect(ref.name).toMatch(/^[a-z]([-a-z0-9]*[a-z0-9])?$/);
            expect(ref.name.length).toBeLessThanOrEqual(63);
          }
      if (format === 'linkerd') for (const b of docs[0]!.spec.backends) expect(b.service).toMatch(DNS_LABEL);
      if (format === 'argo-rollouts') expect(docs[0]!.flightdeck.versions.map((v: Json) => v.version)).toEqual(hostile);
      // A newline in a version cannot end a comment line and start YAML of its own.
      expect(comments(yaml).length).toBeGreaterThan(0);
      expect(yaml).not.toMatch(/^kind: Secret/m);
    }
    expect(comments(renderRouting(routing, 'istio')).join('\n')).toContain('DNS-1123 sanitized');
  });
});

describe('manifestEtag', () => {
  const base = route(release('canary', 'running'));

  it('is a weak ETag that ignores release id and state, like routingEtag', () => {
    expect(manifestEtag(base, 'istio')).toMatch(/^W\/"[0-9a-f]{32}"$/);
    expect(manifestEtag({ ...base, releaseId: 'rel-2', state: 'paused' }, 'istio')).toBe(manifestEtag(base, 'istio'));
    expect(manifestEtag(route(release('canary', 'rolled_back')), 'linkerd')).toBe(manifestEtag(route(null), 'linkerd'));
  });

  it('changes with the split, the format and the options', () => {
    const etags = new Set([
      routingEtag(base),
      ...MESH_FORMATS.map((f) => manifestEtag(base, f)),
      manifestEtag(route(release('canary', 'running', { currentWeight: 26 })), 'istio'),
      manifestEtag(base, 'istio', { namespace: 'ml' }),
      manifestEtag(base, 'istio', { port: 8080 }),
      manifestEtag(base, 'istio', { host: 'scorer.example.com' }),
      manifestEtag(base, 'istio', { gateway: 'public' }),
    ]);
    expect(etags.size).toBe(1 + MESH_FORMATS.length + 5);
  });

  it('does not depend on the order options were given in', () => {
    expect(manifestEtag(base, 'istio', { port: 1, namespace: 'ml' })).toBe(manifestEtag(base, 'istio', { namespace: 'ml', port: 1 }));
  });

  it('goes with a deterministic rendering', () => {
    for (const format of MESH_FORMATS) expect(renderRouting(base, format, { namespace: 'ml' })).toBe(renderRouting(structuredClone(base), format, { namespace: 'ml' }));
  });
});
