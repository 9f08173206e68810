import { describe, expect, it } from 'vitest';
import { IngestMetricsInput, MetricSample } from '@/lib/domain/metrics-input';
import { normalCdf } from '@/lib/domain/statistics';
import { HEALTHY, LATENCY_BUCKETS_MS, mulberry32, REGRESSION, simulateSecond, toSamples, type SecondOfTraffic, type SimulationProfile } from '@/lib/simulator/traffic';

const RELEASE_ID = '6f1d3a2e-8c4b-4d7a-9e2f-1a2b3c4d5e6f';

/** `seconds` seconds of traffic at `weight`, summed per variant (requests, errors, histogram counts by bound). */
function simulate(profile: SimulationProfile, weight: number, seconds: number, seed: number) {
  const random = mulberry32(seed);
  const totals = {
    baseline: { requests: 0, errors: 0, buckets: new Map<number, number>() },
    canary: { requests: 0, errors: 0, buckets: new Map<number, number>() },
  };
  for (let s = 0; s < seconds; s++) {
    for (const t of simulateSecond(profile, weight, random)) {
      const total = totals[t.variant];
      total.requests += t.requests;
      total.errors += t.errors;
      for (const b of t.histogram) total.buckets.set(b.le, (total.buckets.get(b.le) ?? 0) + b.count);
    }
  }
  return totals;
}

/** Share of a lognormal(median, sigma) at or below `ms`: Φ(ln(ms / median) / sigma). */
const lognormalShareBelow = (ms: number, median: number, sigma: number) => normalCdf(Math.log(ms / median) / sigma);

const shareAtOrBelow = (buckets: Map<number, number>, le: number) => {
  const all = [...buckets.values()].reduce((a, b) => a + b, 0);
  const below = [...buckets.entries()].filter(([bound]) => bound <= le).reduce((a, [, n]) => a + n, 0);
  return below / all;
};

describe('mulberry32', () => {
  it('is reproducible from its seed and stays in [0, 1)', () => {
    const a = mulberry32(42);
    const b = mulberry32(42);
    const draws = Array.from({ length: 10_000 }, () => a());
    expect(Array.from({ length: 10_000 }, () => b())).toEqual(draws);
    expect(draws.every((x) => x >= 0 && x < 1)).toBe(true);
    // Roughly uniform: the mean of 10,000 draws is 0.5 ± 0.01 (SE ≈ 0.0029).
    expect(draws.reduce((s, x) => s + x, 0) / draws.length).toBeCloseTo(0.5, 1);
  });

  it('gives different streams for different seeds', () => {
    const a = mulberry32(1);
    const b = mulberry32(2);
    expect(Array.from({ length: 5 }, () => a())).not.toEqual(Array.from({ length: 5 }, () => b()));
  });
});

describe('simulateSecond', () => {
  // A profile of its own, so the expected counts do not move when the demo's traffic does.
  const FOUR_HUNDRED: SimulationProfile = { ...HEALTHY, requestsPerSecond: 400 };

  it.each([
    { weight: 10, baseline: 360, canary: 40 },
    { weight: 33, baseline: 268, canary: 132 },
    { weight: 50, baseline: 200, canary: 200 },
    { weight: 1, baseline: 396, canary: 4 },
    { weight: 12.5, baseline: 350, canary: 50 },
  ])('splits 400 requests at $weight % into $baseline baseline and $canary canary', ({ weight, baseline, canary }) => {
    const traffic = simulateSecond(FOUR_HUNDRED, weight, mulberry32(7));
    expect(traffic.map((t) => [t.variant, t.requests])).toEqual([
      ['baseline', baseline],
      ['canary', canary],
    ]);
  });

  it.each([HEALTHY, REGRESSION])('sends every request of a second to one variant or the other', (profile) => {
    const random = mulberry32(3);
    for (const weight of [1, 5, 10, 25, 50, 75, 99]) {
      const traffic = simulateSecond(profile, weight, random);
      expect(traffic.reduce((n, t) => n + t.requests, 0)).toBe(profile.requestsPerSecond);
      expect(traffic.find((t) => t.variant === 'canary')!.requests).toBe(Math.round((profile.requestsPerSecond * weight) / 100));
    }
  });

  it('leaves out a variant that gets no traffic', () => {
    expect(simulateSecond(FOUR_HUNDRED, 0, mulberry32(7)).map((t) => [t.variant, t.requests])).toEqual([['baseline', 400]]);
    expect(simulateSecond(FOUR_HUNDRED, 100, mulberry32(7)).map((t) => [t.variant, t.requests])).toEqual([['canary', 400]]);
    // 0.1 % of 400 rounds to no canary request at all.
    expect(simulateSecond(FOUR_HUNDRED, 0.1, mulberry32(7)).map((t) => t.variant)).toEqual(['baseline']);
  });

  it('is reproducible: the same seed gives the same second', () => {
    expect(simulateSecond(REGRESSION, 25, mulberry32(99))).toEqual(simulateSecond(REGRESSION, 25, mulberry32(99)));
    expect(simulateSecond(REGRESSION, 25, mulberry32(99))).not.toEqual(simulateSecond(REGRESSION, 25, mulberry32(100)));
  });

  it('counts every request once in the histogram, in increasing known bounds, with no empty buckets', () => {
    const random = mulberry32(2024);
    for (let s = 0; s < 200; s++) {
      for (const t of simulateSecond(REGRESSION, 30, random)) {
        expect(t.histogram.reduce((n, b) => n + b.count, 0)).toBe(t.requests);
        expect(t.errors).toBeGreaterThanOrEqual(0);
        expect(t.errors).toBeLessThanOrEqual(t.requests);
        const bounds = t.histogram.map((b) => b.le);
        expect(bounds).toEqual([...bounds].sort((a, b) => a - b));
        expect(new Set(bounds).size).toBe(bounds.length);
        expect(bounds.every((le) => LATENCY_BUCKETS_MS.includes(le))).toBe(true);
        expect(t.histogram.every((b) => b.count > 0)).toBe(true);
      }
    }
  });

  it('draws error rates near the profile over many seconds (fixed seed)', () => {
    // 600 s at 50 %: 120,000 requests per variant at 400 requests/s. Standard errors there:
    // 0.029 points at 1 %, 0.045 points at 2.5 %; the tolerances below are more than four of them.
    const healthy = simulate(HEALTHY, 50, 600, 11);
    expect(healthy.baseline.requests).toBe(300 * HEALTHY.requestsPerSecond);
    expect(healthy.canary.requests).toBe(300 * HEALTHY.requestsPerSecond);
    expect(Math.abs(healthy.baseline.errors / healthy.baseline.requests - 0.01)).toBeLessThan(0.0012);
    expect(Math.abs(healthy.canary.errors / healthy.canary.requests - 0.01)).toBeLessThan(0.0012);

    const regression = simulate(REGRESSION, 50, 600, 12);
    expect(Math.abs(regression.baseline.errors / regression.baseline.requests - 0.01)).toBeLessThan(0.0012);
    expect(Math.abs(regression.canary.errors / regression.canary.requests - 0.025)).toBeLessThan(0.002);
  });

  it('draws latency from the profile’s lognormal: bucket shares match its distribution function', () => {
    const { baseline, canary } = simulate(REGRESSION, 50, 300, 13); // 150 s of traffic per variant, 60,000 requests or more
    for (const le of [20, 40, 50, 75, 100, 150]) {
      expect(Math.abs(shareAtOrBelow(baseline.buckets, le) - lognormalShareBelow(le, 40, 0.35)), `baseline ≤ ${le} ms`).toBeLessThan(0.01);
      expect(Math.abs(shareAtOrBelow(canary.buckets, le) - lognormalShareBelow(le, 56, 0.4)), `canary ≤ ${le} ms`).toBeLessThan(0.01);
    }
    // The median sits at the profile's median: half the baseline at or below 40 ms.
    expect(shareAtOrBelow(baseline.buckets, 40)).toBeCloseTo(0.5, 1);
  });
});

describe('toSamples', () => {
  const second = new Date('2031-03-02T09:00:07.750Z');

  it('gives a counter and a histogram sample per variant, each valid for the metrics API', () => {
    const traffic = simulateSecond(REGRESSION, 10, mulberry32(5));
    const samples = toSamples(RELEASE_ID, second, traffic);
    expect(samples).toHaveLength(4);
    for (const sample of samples) {
      const parsed = MetricSample.safeParse(sample);
      expect(parsed.success, JSON.stringify(parsed.error?.issues)).toBe(true);
    }
    expect(IngestMetricsInput.safeParse({ samples, simulated: true }).success).toBe(true);
  });

  it('carries the second’s numbers, with the bucket start floored to the whole second', () => {
    const traffic: SecondOfTraffic[] = simulateSecond(HEALTHY, 10, mulberry32(6));
    expect(traffic).toHaveLength(2);
    const [baseline, canary] = traffic;
    const samples = toSamples(RELEASE_ID, second, traffic);
    expect(samples.map((s) => [s.variant, s.metric, s.kind])).toEqual([
      ['baseline', 'error_rate', 'counter'],
      ['baseline', 'latency', 'histogram'],
      ['canary', 'error_rate', 'counter'],
      ['canary', 'latency', 'histogram'],
    ]);
    expect(new Set(samples.map((s) => s.bucketStart))).toEqual(new Set(['2031-03-02T09:00:07.000Z']));
    expect(samples.every((s) => s.releaseId === RELEASE_ID)).toBe(true);
    expect(samples[0]).toMatchObject({ count: baseline!.requests, errors: baseline!.errors });
    expect(samples[1]).toMatchObject({ count: baseline!.requests, histogram: baseline!.histogram });
    expect(samples[2]).toMatchObject({ count: canary!.requests, errors: canary!.errors });
    expect(samples[3]).toMatchObject({ count: canary!.requests, histogram: canary!.histogram });
  });

  it('sends only the baseline when the canary gets no traffic', () => {
    const samples = toSamples(RELEASE_ID, second, simulateSecond(HEALTHY, 0, mulberry32(8)));
    expect(samples.map((s) => s.variant)).toEqual(['baseline', 'baseline']);
    expect(samples.every((s) => MetricSample.safeParse(s).success)).toBe(true);
  });
});
