import { createHash } from 'node:crypto';
import { Document, parse, visit } from 'yaml';
import { z } from 'zod';
import { canonicalJson } from './canonical-json';
import { routingEtag, type DesiredRouting, type RoutedVersion, type Segment } from './routing';

/**
 * The desired routing (lib/domain/routing) rendered as the manifests of the meshes and rollout
 * controllers teams already run, for GitOps jobs and Argo CD to apply:
 *
 * - `istio`: a DestinationRule (one subset per version, selecting pods labelled
 *   `version: <version>`) followed by a VirtualService (segment routes first, then the weighted
 *   route). The DestinationRule comes first so the subsets exist before routes name them.
 * - `gateway-api`: an HTTPRoute whose backendRefs are one Service per version, named
 *   `<service>-<version with dots as dashes>`. Attached to `gateway` when given, otherwise to the
 *   service itself (GAMMA, for meshes that implement Gateway API: Istio, Linkerd ≥ 2.14, Cilium…).
 * - `linkerd`: an SMI TrafficSplit (split.smi-spec.io/v1alpha2) over the same per-version Services.
 * - `argo-rollouts`: a read-only view of the split as a Rollout's `spec.strategy.canary`
 *   (stable/canary versions and a `setWeight` step). It has no apiVersion or kind, so
 *   `kubectl apply` refuses it: Argo Rollouts owns its Rollout, and editing steps restarts it.
 *
 * What a format cannot express is said in the YAML's header comments, never silently dropped:
 *
 * | routing            | istio                        | gateway-api                        | linkerd (SMI)  | argo-rollouts view          |
 * |--------------------|------------------------------|------------------------------------|----------------|-----------------------------|
 * | weights            | route weights                | backendRef weights                 | backend weights| setWeight (2 versions only) |
 * | header segment     | headers.exact                | headers type Exact                 | not expressible| not shown                   |
 * | cookie segment     | cookie header regex          | Cookie header RegularExpression ¹  | not expressible| not shown                   |
 * | shadow             | mirror + mirrorPercentage    | RequestMirror filter (percent ²)   | not expressible| setMirrorRoute step         |
 * | experiment (ab)    | weights + consistentHash ³   | weights ³                          | weights ³      | ≤ 2 arms only               |
 * | nothing takes traffic | directResponse 503 ⁴      | a rule with no backends (error)    | no backends    | setWeight 0                 |
 *
 * ¹ implementation-specific support. ² only emitted below 100 % (percent is newer than the
 * filter). ³ a weighted choice between versions is made per request: Istio's consistent hash
 * (emitted, on `x-user-id` for unit user and `x-session-id` for unit session) keeps a unit on one
 * pod within a version, but a unit only stays in one arm if whoever assigns it sends a header a
 * segment matches. ⁴ Istio ≥ 1.20.
 *
 * Kubernetes names are DNS-1123 labels (lower-case letters, digits and dashes, starting and ending
 * with a letter or digit, at most 63 characters): a version becomes its subset name and Service
 * suffix with its dots turned into dashes (1.2.0 → 1-2-0); any other change (upper case, other
 * characters, too long) appends 8 hex digits of the SHA-256 of the original, so two versions never
 * share a name; the same happens to two versions that differ only by a dot versus a dash. Service
 * names must also start with a letter (DNS-1035): one that would not gets a `svc-` prefix. The
 * `version` pod label keeps the version verbatim when it is a valid label value, and is sanitized
 * with the same hash suffix otherwise; the DestinationRule shows the exact value to put on pods.
 *
 * Weights always add up to 100 when any version takes traffic (stored weights that do not are
 * rescaled by largest remainder), and are all 0 when none does.
 *
 * Pure: the same routing, format and options always give the same bytes (no timestamps), so the
 * ETag of the YAML (manifestEtag) changes exactly when the split, the format or an option does.
 */

export const MESH_FORMATS = ['istio', 'gateway-api', 'linkerd', 'argo-rollouts'] as const;
export type MeshFormat = (typeof MESH_FORMATS)[number];
export const MeshFormat = z.enum(MESH_FORMATS);

/** The port of the per-version Services when none is given (Gateway API backendRefs require one). */
export const DEFAULT_PORT = 80;
/** Bumped when the rendering changes, so routers re-fetch even if the split did not change. */
export const MANIFEST_RENDERER_VERSION = 1;
/** The header the mesh hashes to keep an experiment's unit on one endpoint (Istio consistentHash). */
export const STICKY_HEADERS: Readonly<Record<string, string>> = { user: 'x-user-id', session: 'x-session-id' };

export const K8S_NAME_MAX = 63;
const DNS1123_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const LABEL_VALUE = /^(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?$/;
const HOST = /^(\*\.)?[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
const GATEWAY = /^([a-z0-9]([-a-z0-9]*[a-z0-9])?\/)?[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;

const labelMessage = 'A DNS-1123 label: lower-case letters, digits and dashes, starting and ending with a letter or digit';

/** Options of the rendering; every field is optional. Validated here so a caller can report the field. */
export const ManifestOptions = z
  .object({
    /** metadata.namespace of every object; also makes Istio hosts fully qualified (<service>.<namespace>.svc.cluster.local). */
    namespace: z.string().max(K8S_NAME_MAX, 'At most 63 characters').regex(DNS1123_LABEL, labelMessage).optional(),
    /** The host clients call: Istio VirtualService hosts, Gateway API hostnames. Defaults to the service. */
    host: z
      .string()
      .max(253, 'At most 253 characters')
      .regex(HOST, 'A lower-case DNS name such as scorer.example.com, optionally starting with "*."')
      .refine((h) => h.split('.').every((part) => part.length <= K8S_NAME_MAX), 'Each part of the name has at most 63 characters')
      .optional(),
    /** The port of the per-version Services (Istio destination port, Gateway API backendRef port). */
    port: z.number().int('A whole number').min(1, 'From 1 to 65535').max(65535, 'From 1 to 65535').optional(),
    /** A Gateway to attach to, "name" or "namespace/name": Istio VirtualService gateways, Gateway API parentRefs. */
    gateway: z
      .string()
      .max(2 * K8S_NAME_MAX + 1, 'At most 127 characters')
      .regex(GATEWAY, 'A Gateway name, or namespace/name, each a DNS-1123 label')
      .refine((g) => g.split('/').every((part) => part.length <= K8S_NAME_MAX), 'The namespace and name have at most 63 characters each')
      .optional(),
  })
  .strict();
export type ManifestOptions = z.infer<typeof ManifestOptions>;

// ---------------------------------------------------------------------------------------------
// Names

const hash8 = (raw: string) => createHash('sha256').update(raw).digest('hex').slice(0, 8);

/** A readable prefix of `raw` plus 8 hex digits of its hash, as a DNS-1123 label of at most `maxLength`. */
function hashedLabel(raw: string, maxLength: number): string {
  const suffix = hash8(raw);
  const base = raw
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+/, '')
    .slice(0, maxLength - suffix.length - 1)
    .replace(/-+$/, '');
  return base ? `${base}-${suffix}` : suffix;
}

/**
 * `raw` as a DNS-1123 label: dots become dashes (1.2.0 → 1-2-0); anything else that is not
 * already valid (upper case, other characters, longer than `maxLength`) is sanitized and gets
 * 8 hex digits of the SHA-256 of `raw`, so distinct inputs keep distinct names.
 */
export function dns1123Label(raw: string, maxLength = K8S_NAME_MAX): string {
  const direct = raw.replaceAll('.', '-');
  if (direct.length <= maxLength && DNS1123_LABEL.test(direct)) return direct;
  return hashedLabel(raw, maxLength);
}

/** A Service name: a DNS-1123 label that starts with a letter (DNS-1035). */
export function serviceName(raw: string): string {
  const label = dns1123Label(raw);
  return /^[a-z]/.test(label) ? label : dns1123Label(`svc-${label}`);
}

/** The Service that selects one version's pods: `<service>-<version with dots as dashes>`. */
export function versionServiceName(service: string, version: string): string {
  return serviceName(`${dns1123Label(service)}-${dns1123Label(version)}`);
}

/** The value of the `version` pod label: the version itself when Kubernetes accepts it as a label value. */
export function versionLabelValue(version: string): string {
  if (version.length <= K8S_NAME_MAX && LABEL_VALUE.test(version)) return version;
  const suffix = hash8(version);
  const base = version
    .replace(/[^A-Za-z0-9_.-]+/g, '-')
    .replace(/^[^A-Za-z0-9]+/, '')
    .slice(0, K8S_NAME_MAX - suffix.length - 1)
    .replace(/[^A-Za-z0-9]+$/, '');
  return base ? `${base}-${suffix}` : suffix;
}

export type VersionNames = {
  version: string;
  /** Istio subset name and the suffix of the version's Service. */
  subset: string;
  /** The version's Service (Gateway API backendRef, SMI backend). */
  service: string;
  /** The `version` label on the version's pods. */
  label: string;
};

/**
 * The Kubernetes names of every version a routing mentions (its versions, segment targets and
 * shadow), in that order. Two versions whose names would coincide (1.0.0 and 1-0-0) both get a
 * hash suffix.
 */
export function versionNames(routing: Pick<DesiredRouting, 'service' | 'versions' | 'segments' | 'shadow'>): Map<string, VersionNames> {
  const versions = [...new Set([...routing.versions.map((v) => v.version), ...routing.segments.map((s) => s.version), ...(routing.shadow ? [routing.shadow.version] : [])])];
  const subsets = new Map(versions.map((v) => [v, dns1123Label(v)]));
  const counts = new Map<string, number>();
  for (const subset of subsets.values()) counts.set(subset, (counts.get(subset) ?? 0) + 1);
  const service = dns1123Label(routing.service);
  return new Map(
    versions.map((version) => {
      const plain = subsets.get(version)!;
      const subset = counts.get(plain)! > 1 ? hashedLabel(version, K8S_NAME_MAX) : plain;
      return [version, { version, subset, service: serviceName(`${service}-${subset}`), label: versionLabelValue(version) }];
    }),
  );
}

// ---------------------------------------------------------------------------------------------
// Weights

/**
 * Whole-percent weights that add up to 100 when any is positive (largest remainder, ties to the
 * earlier entry); a version listed twice is merged into its first entry.
 */
function normaliseWeights(versions: RoutedVersion[]): RoutedVersion[] {
  const merged: RoutedVersion[] = [];
  for (const v of versions) {
    const weight = Number.isFinite(v.weight) && v.weight > 0 ? v.weight : 0;
    const seen = merged.find((m) => m.version === v.version);
    if (seen) seen.weight += weight;
    else merged.push({ version: v.version, weight, role: v.role });
  }
  const total = merged.reduce((sum, v) => sum + v.weight, 0);
  if (total === 0 || (total === 100 && merged.every((v) => Number.isInteger(v.weight)))) return merged;
  const exact = merged.map((v) => (v.weight * 100) / total);
  const whole = exact.map(Math.floor);
  let left = 100 - whole.reduce((sum, w) => sum + w, 0);
  const byRemainder = exact.map((e, i) => ({ i, r: e - whole[i]! })).sort((a, b) => b.r - a.r || a.i - b.i);
  for (const { i } of byRemainder) {
    if (left <= 0) break;
    whole[i]! += 1;
    left -= 1;
  }
  return merged.map((v, i) => ({ ...v, weight: whole[i]! }));
}

// ---------------------------------------------------------------------------------------------
// Rendering

type Plan = {
  routing: DesiredRouting;
  format: MeshFormat;
  options: ManifestOptions;
  /** metadata.name of every object: the service as a DNS-1123 label. */
  name: string;
  /** The Kubernetes Service in front of every version (SMI apex, GAMMA parent, Istio host). */
  apex: string;
  /** The Istio destination host: the apex Service, fully qualified when the namespace is known. */
  destinationHost: string;
  /** What clients call. */
  clientHost: string;
  versions: RoutedVersion[];
  /** Versions that take traffic (weight > 0), in routing order. */
  weighted: RoutedVersion[];
  names: Map<string, VersionNames>;
  etag: string;
  notes: string[];
};

function plan(routing: DesiredRouting, format: MeshFormat, rawOptions: ManifestOptions): Plan {
  const options = ManifestOptions.parse(rawOptions);
  const versions = normaliseWeights(routing.versions);
  const apex = serviceName(routing.service);
  const destinationHost = options.namespace ? `${apex}.${options.namespace}.svc.cluster.local` : apex;
  const names = versionNames({ ...routing, versions });
  const notes: string[] = [];
  for (const n of names.values()) {
    if (n.subset !== n.version.replaceAll('.', '-')) notes.push(`Version ${n.version} is named ${n.subset} (DNS-1123 sanitized; hash suffix keeps names distinct).`);
    if (n.label !== n.version) notes.push(`Version ${n.version} is selected by the pod label version=${n.label} (sanitized label value).`);
  }
  return {
    routing,
    format,
    options,
    name: dns1123Label(routing.service),
    apex,
    destinationHost,
    clientHost: options.host ?? destinationHost,
    versions,
    weighted: versions.filter((v) => v.weight > 0),
    names,
    etag: routingEtag(routing),
    notes,
  };
}

const subsetOf = (p: Plan, version: string) => p.names.get(version)!.subset;
const serviceOf = (p: Plan, version: string) => p.names.get(version)!.service;
const describeMatch = (s: Segment) => `${s.match.kind} ${s.match.name}=${s.match.value} → ${s.version}`;
const escapeRegex = (text: string) => text.replace(/[\\^$.*+?()[\]{}|/]/g, '\\$&');
/** RE2 for a Cookie header carrying `name=value` among other cookies. */
const cookieRegex = (name: string, value: string) => `^(.*?;\\s*)?${escapeRegex(name)}=${escapeRegex(value)}(;.*)?$`;

function metadata(p: Plan) {
  return {
    name: p.name,
    ...(p.options.namespace ? { namespace: p.options.namespace } : {}),
    labels: {
      'app.kubernetes.io/managed-by': 'flightdeck',
      'flightdeck.io/service': versionLabelValue(p.routing.service),
      'flightdeck.io/environment': versionLabelValue(p.routing.environment),
    },
    annotations: { 'flightdeck.io/routing-etag': p.etag },
  };
}

function istio(p: Plan): object[] {
  const { routing, options } = p;
  const destination = (version: string) => ({
    host: p.destinationHost,
    subset: subsetOf(p, version),
    ...(options.port ? { port: { number: options.port } } : {}),
  });
  const mirror =
    routing.shadow && routing.shadow.percent > 0 && p.weighted.length > 0
      ? { mirror: destination(routing.shadow.version), mirrorPercentage: { value: routing.shadow.percent } }
      : {};
  const segmentRoutes = routing.segments.map((s, i) => ({
    name: `segment-${i + 1}`,
    match: [
      {
        headers:
          s.match.kind === 'header'
            ? // Istio wants header names in lower case.
              { [s.match.name.toLowerCase()]: { exact: s.match.value } }
            : { cookie: { regex: cookieRegex(s.match.name, s.match.value) } },
      },
    ],
    route: [{ destination: destination(s.version) }],
    ...mirror,
  }));
  const main =
    p.weighted.length > 0
      ? { name: 'weighted', route: p.weighted.map((v) => ({ destination: destination(v.version), weight: v.weight })), ...mirror }
      : { name: 'no-traffic', directResponse: { status: 503, body: { string: `No version of ${routing.service} takes traffic in ${routing.environment}.` } } };

  const unit = routing.assignment?.unit;
  const stickyHeader = unit ? STICKY_HEADERS[unit] : undefined;
  if (routing.assignment) {
    p.notes.push(
      stickyHeader
        ? `Experiment (unit ${unit}): weighted split; trafficPolicy hashes ${stickyHeader} (consistentHash), which keeps a unit on one pod within a version. Istio picks the version per request, so a unit stays in one arm only if the caller pins it with a header a segment matches.`
        : `Experiment (unit ${unit}): weighted split, assigned per request; no consistent hash.`,
    );
  }
  if (p.weighted.length === 0) p.notes.push('No version takes traffic: the VirtualService answers 503 (directResponse, Istio >= 1.20).');
  if (routing.shadow && p.weighted.length === 0) p.notes.push(`Shadow of ${routing.shadow.version} not rendered: no version serves the requests to mirror.`);

  const destinationRule = {
    apiVersion: 'networking.istio.io/v1',
    kind: 'DestinationRule',
    metadata: metadata(p),
    spec: {
      host: p.destinationHost,
      ...(stickyHeader ? { trafficPolicy: { loadBalancer: { consistentHash: { httpHeaderName: stickyHeader } } } } : {}),
      subsets: [...p.names.values()].map((n) => ({ name: n.subset, labels: { version: n.label } })),
    },
  };
  const virtualService = {
    apiVersion: 'networking.istio.io/v1',
    kind: 'VirtualService',
    metadata: metadata(p),
    spec: {
      hosts: [p.clientHost],
      ...(options.gateway ? { gateways: [options.gateway] } : {}),
      http: [...segmentRoutes, main],
    },
  };
  return [destinationRule, virtualService];
}

function gatewayApi(p: Plan): object[] {
  const { routing, options } = p;
  const port = options.port ?? DEFAULT_PORT;
  const backendRef = (version: string) => ({ name: serviceOf(p, version), port });
  const filters =
    routing.shadow && routing.shadow.percent > 0 && p.weighted.length > 0
      ? {
          filters: [
            {
              type: 'RequestMirror',
              requestMirror: { backendRef: backendRef(routing.shadow.version), ...(routing.shadow.percent < 100 ? { percent: Math.round(routing.shadow.percent) } : {}) },
            },
          ],
        }
      : {};
  const segmentRules = routing.segments.map((s) => ({
    matches: [
      {
        headers: [
          s.match.kind === 'header'
            ? { type: 'Exact', name: s.match.name, value: s.match.value }
            : { type: 'RegularExpression', name: 'Cookie', value: cookieRegex(s.match.name, s.match.value) },
        ],
      },
    ],
    backendRefs: [backendRef(s.version)],
    ...filters,
  }));
  // Versions at 0 % stay listed next to those that take traffic (weight 0: declared, no traffic);
  // with none taking traffic the rule has no backends at all, so the gateway answers with an error.
  const main = { backendRefs: p.weighted.length > 0 ? p.versions.map((v) => ({ ...backendRef(v.version), weight: v.weight })) : [], ...filters };

  if (options.gateway === undefined) p.notes.push(`No gateway given: the route attaches to the Service ${p.apex} (GAMMA, east-west mesh traffic).`);
  if (routing.segments.some((s) => s.match.kind === 'cookie')) p.notes.push('Cookie segments match the Cookie header with type RegularExpression, whose support is implementation-specific.');
  if (routing.shadow && routing.shadow.percent > 0 && routing.shadow.percent < 100) p.notes.push('The mirror percent field needs Gateway API >= 1.2 CRDs.');
  if (routing.shadow && p.weighted.length === 0) p.notes.push(`Shadow of ${routing.shadow.version} not rendered: no version serves the requests to mirror.`);
  if (routing.assignment) p.notes.push(`Experiment (unit ${routing.assignment.unit}): weighted split, chosen per request; HTTPRoute standard fields have no sticky assignment.`);
  if (p.weighted.length === 0) p.notes.push('No version takes traffic: the rule has no backends, so matching requests get an error response.');

  const [gatewayNamespace, gatewayName] = options.gateway?.includes('/') ? options.gateway.split('/') : [undefined, options.gateway];
  const parentRefs = gatewayName
    ? [{ name: gatewayName, ...(gatewayNamespace ? { namespace: gatewayNamespace } : {}) }]
    : [{ group: '', kind: 'Service', name: p.apex, ...(options.port ? { port: options.port } : {}) }];
  return [
    {
      apiVersion: 'gateway.networking.k8s.io/v1',
      kind: 'HTTPRoute',
      metadata: metadata(p),
      spec: {
        parentRefs,
        ...(options.host ? { hostnames: [options.host] } : {}),
        rules: [...segmentRules, main],
      },
    },
  ];
}

function linkerd(p: Plan): object[] {
  const { routing } = p;
  for (const s of routing.segments) p.notes.push(`Not expressible in an SMI TrafficSplit (no header match): segment ${describeMatch(s)}. Use format=gateway-api with Linkerd >= 2.14 for segments.`);
  if (routing.shadow) p.notes.push(`Not expressible in an SMI TrafficSplit (no mirroring): shadow of ${routing.shadow.percent} % to ${routing.shadow.version}.`);
  if (routing.assignment) p.notes.push(`Experiment (unit ${routing.assignment.unit}): weighted split, chosen per request; SMI has no sticky assignment.`);
  if (p.weighted.length === 0) p.notes.push('No version takes traffic: the split has no backends.');
  p.notes.push('Linkerd >= 2.12 serves TrafficSplit through the linkerd-smi extension; newer clusters can use format=gateway-api instead.');
  return [
    {
      apiVersion: 'split.smi-spec.io/v1alpha2',
      kind: 'TrafficSplit',
      metadata: metadata(p),
      spec: {
        service: p.apex,
        backends: p.weighted.length > 0 ? p.versions.map((v) => ({ service: serviceOf(p, v.version), weight: v.weight })) : [],
      },
    },
  ];
}

function argoRollouts(p: Plan): object[] {
  const { routing } = p;
  const stableAt = p.versions.findIndex((v) => v.role === 'stable' || v.role === 'control');
  // A split names no baseline: its first version plays the stable one.
  const stableIndex = stableAt >= 0 ? stableAt : p.versions.length === 2 ? 0 : -1;
  const stable = stableIndex >= 0 ? p.versions[stableIndex]! : null;
  const others = p.versions.filter((_, i) => i !== stableIndex);
  const expressible = others.length <= 1;
  const candidate = others[0] ?? null;
  const canaryVersion = expressible ? (candidate?.version ?? routing.shadow?.version ?? null) : null;
  const canaryWeight = expressible ? (candidate?.weight ?? 0) : null;

  if (!expressible) p.notes.push(`Not expressible: an Argo Rollouts canary has one stable and one canary version; this split has ${p.versions.length} (see flightdeck.versions).`);
  for (const s of routing.segments) p.notes.push(`Not shown: segment ${describeMatch(s)} (a setHeaderRoute step can only send matches to the canary).`);
  if (routing.shadow) p.notes.push('The shadow is shown as a setMirrorRoute step, which needs a route of that name under trafficRouting.managedRoutes.');
  if (routing.assignment) p.notes.push(`Experiment (unit ${routing.assignment.unit}): shown as its weights; Argo Rollouts has no sticky arm assignment.`);
  const preview = p.versions.find((v) => v.role === 'preview');
  if (preview) p.notes.push(`${preview.version} is a blue-green preview (deployed, no traffic): setWeight 0.`);

  const steps = expressible
    ? [
        ...(routing.shadow && routing.shadow.percent > 0
          ? [{ setMirrorRoute: { name: 'flightdeck-shadow', percentage: routing.shadow.percent, match: [{ path: { prefix: '/' } }] } }]
          : []),
        { setWeight: canaryWeight },
        { pause: {} },
      ]
    : [];
  return [
    {
      flightdeck: {
        readOnly: true,
        service: routing.service,
        environment: routing.environment,
        stableVersion: stable?.version ?? null,
        canaryVersion,
        canaryWeight,
        expressible,
        versions: p.versions.map((v) => ({ version: v.version, weight: v.weight, role: v.role })),
        shadow: routing.shadow ? { version: routing.shadow.version, percent: routing.shadow.percent } : null,
      },
      spec: {
        strategy: {
          canary: {
            ...(stable ? { stableMetadata: { labels: { version: p.names.get(stable.version)!.label } } } : {}),
            ...(canaryVersion ? { canaryMetadata: { labels: { version: p.names.get(canaryVersion)!.label } } } : {}),
            steps,
          },
        },
      },
    },
  ];
}

const RENDERERS: Record<MeshFormat, (p: Plan) => object[]> = {
  istio,
  'gateway-api': gatewayApi,
  linkerd,
  'argo-rollouts': argoRollouts,
};

/** Comments cannot span lines: control characters (a newline in a version name) become spaces. */
const commentSafe = (text: string) => text.replace(/[\u0000-\u001f\u007f\u0085\u2028\u2029]/g, ' ');

function header(p: Plan): string {
  const { routing, format } = p;
  const query = new URLSearchParams({ environment: routing.environment, format });
  for (const [key, value] of Object.entries(p.options)) if (value !== undefined) query.set(key, String(value));
  const lines = [
    'Generated by Flightdeck. Do not edit: fetch it again instead.',
    `GET /api/v1/services/${encodeURIComponent(routing.service)}/routing?${query.toString()}`,
    `service: ${routing.service}`,
    `environment: ${routing.environment}`,
    `release: ${routing.releaseId ?? 'none'}`,
    `state: ${routing.state}`,
    `routing-etag: ${p.etag}`,
    `format: ${format}`,
    ...(format === 'argo-rollouts'
      ? ['Read-only view for a Rollout spec.strategy.canary (steps): not a Kubernetes object, do not apply.']
      : []),
    ...p.notes.map((n) => `note: ${n}`),
  ];
  return lines.map((l) => `# ${commentSafe(l)}`.trimEnd()).join('\n') + '\n';
}

/** Would a YAML 1.1 reader (kubectl, Argo CD) or a YAML 1.2 one read this plain scalar as something else? */
function ambiguousPlain(text: string): boolean {
  // Fast path: a word starting with a letter is a string in both, unless it is a boolean or null.
  if (/^[A-Za-z][A-Za-z0-9_./-]*$/.test(text)) return /^(y|yes|n|no|true|false|on|off|null)$/i.test(text);
  try {
    return parse(text, { version: '1.1' }) !== text || parse(text) !== text;
  } catch {
    return true;
  }
}

function toYaml(value: object): string {
  const doc = new Document(value);
  // yaml writes YAML 1.2, where `on`, `yes` or `0x1` are strings; Kubernetes reads YAML 1.1.
  visit(doc, {
    Scalar(_, node) {
      if (typeof node.value === 'string' && ambiguousPlain(node.value)) node.type = 'QUOTE_DOUBLE';
    },
  });
  return doc.toString({ lineWidth: 0 });
}

/**
 * The routing as YAML for `format`: header comments (generator, release id, state, routing ETag,
 * what the format cannot express), then one or more documents separated by `---`.
 * Throws a ZodError when an option is not valid (see ManifestOptions).
 */
export function renderRouting(routing: DesiredRouting, format: MeshFormat, opts: ManifestOptions = {}): string {
  const p = plan(routing, format, opts);
  const documents = RENDERERS[format](p).map(toYaml);
  return header(p) + documents.join('---\n');
}

/**
 * A weak ETag of the rendered YAML: the routing ETag (the split) plus the format, the options and
 * the renderer version. Like routingEtag, a release id or state change that moves no traffic
 * (which only changes header comments) keeps it, so GitOps jobs do not commit a no-op.
 */
export function manifestEtag(routing: DesiredRouting, format: MeshFormat, opts: ManifestOptions = {}): string {
  const options = ManifestOptions.parse(opts);
  const body = canonicalJson({ routing: routingEtag(routing), format, options, renderer: MANIFEST_RENDERER_VERSION });
  return `W/"${createHash('sha256').update(body).digest('hex').slice(0, 32)}"`;
}
