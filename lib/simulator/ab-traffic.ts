/**
 * Simulated A/B traffic, shaped like what an experimentation client would report each second:
 * per arm, the units exposed, how many converted (a counter: count = units, errors = conversions),
 * revenue per unit and latency per unit as sufficient statistics (count, sum, sum of squares).
 * Pure and seeded; every unit is drawn, so the counts are exactly binomial.
 */
export type AbProfile = {
  unitsPerSecond: number;
  /** conversion rate of control, and the relative lift every treatment has (the real effect) */
  conversion: number;
  treatmentLift: number;
  /** revenue of a converting unit: lognormal median and sigma */
  revenueMedian: number;
  revenueSigma: number;
  /** latency per unit (ms): lognormal median and sigma; treatments multiply the median */
  latencyMedianMs: number;
  latencySigma: number;
  treatmentLatencyFactor: number;
};

/** The demo's experiment: a +5 % relative lift on a 10 % conversion, latency unchanged. */
export const SMALL_REAL_EFFECT: AbProfile = {
  unitsPerSecond: 300,
  conversion: 0.1,
  treatmentLift: 0.05,
  revenueMedian: 30,
  revenueSigma: 0.6,
  latencyMedianMs: 45,
  latencySigma: 0.3,
  treatmentLatencyFactor: 1,
};

export type ArmShare = { key: string; allocation: number };

function gaussian(random: () => number): number {
  const u = Math.max(random(), 1e-12);
  return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * random());
}

/** Units are assigned to arms at random by allocation, as a router hashing unit ids would. */
export function simulateAbSecond(profile: AbProfile, arms: ArmShare[], random: () => number) {
  const total = arms.reduce((s, a) => s + a.allocation, 0);
  const stats = arms.map(() => ({ units: 0, conversions: 0, revenue: 0, revenueSq: 0, latency: 0, latencySq: 0 }));
  for (let u = 0; u < profile.unitsPerSecond; u++) {
    let pick = random() * total;
    let i = 0;
    while (i < arms.length - 1 && pick >= arms[i]!.allocation) pick -= arms[i++]!.allocation;
    const treated = arms[i]!.key !== 'control';
    const s = stats[i]!;
    s.units += 1;
    const rate = profile.conversion * (treated ? 1 + profile.treatmentLift : 1);
    const revenue = random() < rate ? (s.conversions++, profile.revenueMedian * Math.exp(profile.revenueSigma * gaussian(random))) : 0;
    s.revenue += revenue;
    s.revenueSq += revenue * revenue;
    const latency = profile.latencyMedianMs * (treated ? profile.treatmentLatencyFactor : 1) * Math.exp(profile.latencySigma * gaussian(random));
    s.latency += latency;
    s.latencySq += latency * latency;
  }
  return arms.map((arm, i) => ({ variant: arm.key, ...stats[i]! }));
}

/** The metric samples the public API takes, for one second of one experiment. */
export function abSamples(releaseId: string, second: Date, traffic: ReturnType<typeof simulateAbSecond>) {
  const bucketStart = new Date(Math.floor(second.getTime() / 1000) * 1000).toISOString();
  return traffic
    .filter((t) => t.units > 0)
    .flatMap((t) => [
      { releaseId, variant: t.variant, metric: 'conversion', kind: 'counter' as const, bucketStart, count: t.units, errors: t.conversions },
      { releaseId, variant: t.variant, metric: 'revenue_per_user', kind: 'kpi' as const, bucketStart, count: t.units, sum: t.revenue, sumSquares: t.revenueSq },
      { releaseId, variant: t.variant, metric: 'latency_ms', kind: 'kpi' as const, bucketStart, count: t.units, sum: t.latency, sumSquares: t.latencySq },
    ]);
}
