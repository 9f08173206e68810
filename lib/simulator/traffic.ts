/**
 * Simulated traffic for demo releases, shaped like what a router would report: per second and
 * variant, requests and errors (a counter) and latency as histogram buckets. Pure and seeded,
 * so tests can reproduce a run. Labelled `simulated` wherever it shows.
 */
export type VariantProfile = { errorRate: number; medianMs: number; sigma: number };
export type SimulationProfile = { requestsPerSecond: number; baseline: VariantProfile; canary: VariantProfile };

export const LATENCY_BUCKETS_MS = [5, 10, 20, 30, 40, 50, 75, 100, 150, 200, 300, 500, 1000, 5000];

export const HEALTHY: SimulationProfile = {
  requestsPerSecond: 1000,
  baseline: { errorRate: 0.01, medianMs: 40, sigma: 0.35 },
  canary: { errorRate: 0.01, medianMs: 40, sigma: 0.35 },
};

/** A regression the controller must catch: 2.5× the errors and 40 % slower. */
export const REGRESSION: SimulationProfile = {
  requestsPerSecond: 1000,
  baseline: { errorRate: 0.01, medianMs: 40, sigma: 0.35 },
  canary: { errorRate: 0.025, medianMs: 56, sigma: 0.4 },
};

export function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function gaussian(random: () => number): number {
  const u = Math.max(random(), 1e-12);
  return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * random());
}

export type SecondOfTraffic = {
  variant: 'baseline' | 'canary';
  requests: number;
  errors: number;
  histogram: { le: number; count: number }[];
};

/** One second of traffic split by the canary weight (%), drawn from the profile. */
export function simulateSecond(profile: SimulationProfile, canaryWeight: number, random: () => number): SecondOfTraffic[] {
  const canaryRequests = Math.round((profile.requestsPerSecond * canaryWeight) / 100);
  const split: [SecondOfTraffic['variant'], number, VariantProfile][] = [
    ['baseline', profile.requestsPerSecond - canaryRequests, profile.baseline],
    ['canary', canaryRequests, profile.canary],
  ];
  return split
    .filter(([, n]) => n > 0)
    .map(([variant, n, p]) => {
      let errors = 0;
      const counts = LATENCY_BUCKETS_MS.map(() => 0);
      for (let i = 0; i < n; i++) {
        if (random() < p.errorRate) errors += 1;
        const ms = p.medianMs * Math.exp(p.sigma * gaussian(random));
        const bucket = LATENCY_BUCKETS_MS.findIndex((le) => ms <= le);
        counts[bucket === -1 ? counts.length - 1 : bucket]! += 1;
      }
      return { variant, requests: n, errors, histogram: LATENCY_BUCKETS_MS.map((le, i) => ({ le, count: counts[i]! })).filter((b) => b.count > 0) };
    });
}

/** The metric samples the public API takes, for one second of one release. */
export function toSamples(releaseId: string, second: Date, traffic: SecondOfTraffic[]) {
  const bucketStart = new Date(Math.floor(second.getTime() / 1000) * 1000).toISOString();
  return traffic.flatMap((t) => [
    { releaseId, variant: t.variant, metric: 'error_rate', kind: 'counter' as const, bucketStart, count: t.requests, errors: t.errors },
    { releaseId, variant: t.variant, metric: 'latency', kind: 'histogram' as const, bucketStart, count: t.histogram.reduce((n, b) => n + b.count, 0), histogram: t.histogram },
  ]);
}

/**
 * A whole service's traffic over `seconds` (for SLOs): a fifth of the router's request rate,
 * with the canary's share (at `canaryWeight` %) drawn from the canary profile. Requests, errors
 * and the latency histogram, as POST /api/v1/services/{service}/telemetry takes them.
 */
export function simulateServiceWindow(profile: SimulationProfile, canaryWeight: number, seconds: number, random: () => number) {
  const requests = Math.round((profile.requestsPerSecond / 5) * seconds);
  let errors = 0;
  const counts = LATENCY_BUCKETS_MS.map(() => 0);
  for (let i = 0; i < requests; i++) {
    const p = random() * 100 < canaryWeight ? profile.canary : profile.baseline;
    if (random() < p.errorRate) errors += 1;
    const ms = p.medianMs * Math.exp(p.sigma * gaussian(random));
    const bucket = LATENCY_BUCKETS_MS.findIndex((le) => ms <= le);
    counts[bucket === -1 ? counts.length - 1 : bucket]! += 1;
  }
  return { requests, errors, histogram: LATENCY_BUCKETS_MS.map((le, i) => ({ le, count: counts[i]! })).filter((b) => b.count > 0) };
}
