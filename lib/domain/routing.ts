import { createHash } from 'node:crypto';
import { canonicalJson } from './canonical-json';
import { isTerminal, type ReleaseState } from './release-machine';
import type { SplitRouting, Strategy } from './release-plan';

/**
 * The desired traffic split a router should apply for one service in one environment. Routers
 * (Istio, Argo Rollouts, a gateway) poll it with an ETag or receive it by webhook; it is computed
 * from what is stored, never from what a client sent, so every reader sees the same split.
 */

export type RoutingInput = {
  service: string;
  environment: string;
  /** The last promoted version (the baseline). */
  stable: { version: string } | null;
  /** The release in flight, or the latest one if it just ended. */
  release: {
    id: string;
    strategy: Strategy;
    state: ReleaseState;
    currentWeight: number;
    version: string;
    baselineVersion: string | null;
    /** split and ab releases: the versions and their weights (an ab release lists control first) */
    split: SplitRouting | null;
    /** ab releases: what the router hashes to keep a unit in one arm (user, session or request) */
    assignmentUnit?: string | null;
  } | null;
};

export type RoutedVersion = { version: string; weight: number; role: 'stable' | 'canary' | 'preview' | 'split' | 'control' | 'treatment' };
export type Segment = { match: { kind: 'header' | 'cookie'; name: string; value: string }; version: string };

export type DesiredRouting = {
  service: string;
  environment: string;
  versions: RoutedVersion[];
  segments: Segment[];
  shadow: { version: string; percent: number } | null;
  /** An experiment is running: assign each unit (by this key) to one version, sticky for its life. */
  assignment: { unit: string } | null;
  releaseId: string | null;
  state: ReleaseState | 'stable';
};

type Split = Pick<DesiredRouting, 'versions' | 'segments' | 'shadow' | 'assignment'>;

const clampWeight = (w: number) => (Number.isFinite(w) ? Math.min(100, Math.max(0, Math.round(w))) : 0);

/**
 * The baseline keeps what the candidate does not take. With no baseline at all (a first
 * deployment) the candidate takes everything: there is nothing else to send traffic to.
 * Zero-weight entries are left out, except the baseline at 100 % when the candidate has 0 %.
 * A release of the version already live collapses into that one entry.
 */
function canarySplit(stable: string | null, candidate: string, weight: number): RoutedVersion[] {
  if (stable === null) return [{ version: candidate, weight: 100, role: 'canary' }];
  if (stable === candidate) return [{ version: stable, weight: 100, role: 'stable' }];
  const entries: RoutedVersion[] = [
    { version: stable, weight: 100 - weight, role: 'stable' },
    { version: candidate, weight, role: 'canary' },
  ];
  return entries.filter((e) => e.weight > 0);
}

const stableOnly = (stable: string | null): RoutedVersion[] => (stable === null ? [] : [{ version: stable, weight: 100, role: 'stable' }]);

function splitFor(input: RoutingInput): Split {
  const { release } = input;
  // What is live is the baseline; the release's own record of it is only a fallback.
  const stable = input.stable?.version ?? release?.baselineVersion ?? null;
  const none: Split = { versions: stableOnly(stable), segments: [], shadow: null, assignment: null };
  // Not started, or ended: a rollback, abort or rejection leaves the baseline; a promotion has
  // already made the candidate the stable version the caller passes in.
  if (release === null || isTerminal(release.state) || release.state === 'pending_approval' || release.state === 'approved') return none;

  // running or paused: a pause holds traffic where it is.
  const weight = clampWeight(release.currentWeight);
  switch (release.strategy) {
    case 'canary':
    case 'immediate':
      return { ...none, versions: canarySplit(stable, release.version, weight) };
    // Blue-green and shadow run a zero-weight phase, then cut over along their plan's later
    // steps (100 % by default), which split traffic exactly as a canary does.
    case 'blue_green':
      if (weight > 0 || stable === release.version) return { ...none, versions: canarySplit(stable, release.version, weight) };
      // The preview is deployed and reachable for testing but takes no production traffic.
      return { ...none, versions: [...stableOnly(stable), { version: release.version, weight: 0, role: 'preview' }] };
    case 'shadow':
      if (weight > 0 || stable === release.version) return { ...none, versions: canarySplit(stable, release.version, weight) };
      // Every request is mirrored to the candidate; its responses are discarded.
      return { ...none, shadow: { version: release.version, percent: 100 } };
    case 'split':
      // A split without its configuration cannot be applied; the baseline is the safe reading.
      if (release.split === null) return none;
      return {
        versions: release.split.versions.map((v) => ({ version: v.version, weight: v.weight, role: 'split' as const })),
        segments: release.split.segments.map((s) => ({ match: { kind: s.match.kind, name: s.match.name, value: s.match.value }, version: s.version })),
        shadow: null,
        assignment: null,
      };
    case 'ab':
      // Arms at their planned allocation for as long as the experiment runs (a pause holds them too).
      if (release.split === null) return none;
      return {
        versions: release.split.versions.map((v, i) => ({ version: v.version, weight: v.weight, role: i === 0 ? ('control' as const) : ('treatment' as const) })),
        segments: [],
        shadow: null,
        assignment: { unit: release.assignmentUnit ?? 'user' },
      };
  }
}

/** Versions are listed stable first; for a split, in the order the split names them; for an ab release, control first. */
export function desiredRouting(input: RoutingInput): DesiredRouting {
  const { release } = input;
  return {
    service: input.service,
    environment: input.environment,
    ...splitFor(input),
    releaseId: release?.id ?? null,
    state: release?.state ?? 'stable',
  };
}

/**
 * A weak ETag over the split alone (service, environment, versions, segments, shadow): a release
 * id or state change that moves no traffic does not make every router re-apply the same split,
 * and any change of weight, version, role, segment or shadow does.
 */
export function routingEtag(r: DesiredRouting): string {
  const body = canonicalJson({ service: r.service, environment: r.environment, versions: r.versions, segments: r.segments, shadow: r.shadow, assignment: r.assignment });
  return `W/"${createHash('sha256').update(body).digest('hex').slice(0, 32)}"`;
}
