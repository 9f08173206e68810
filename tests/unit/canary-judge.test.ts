import { describe, expect, it } from 'vitest';
import {
  AnalysisConfig,
  CanaryMetricConfig,
  DEFAULT_ANALYSIS,
  judgeInterval,
  judgeRelease,
  type IntervalInput,
  type IntervalVerdict,
  type VariantData,
} from '@/lib/domain/canary-judge';
import { mannWhitneyFromHistograms, minimumDetectableRelativeEffect, twoProportionTest } from '@/lib/domain/statistics';

// ---------------------------------------------------------------------------------------------
// Builders

type MetricInput = Partial<CanaryMetricConfig> & Pick<CanaryMetricConfig, 'name' | 'kind'>;
const config = (metrics: MetricInput[], rest: Partial<Omit<AnalysisConfig, 'metrics'>> = {}): AnalysisConfig => AnalysisConfig.parse({ metrics, ...rest });

const rate = (count: number, errors: number): VariantData => ({ rate: { count, errors } });
const LES = [100, 150, 170, 190, 250];
const latency = (counts: number[], les = LES): VariantData => ({ latency: les.map((le, i) => ({ le, count: counts[i] ?? 0 })) });

const ERROR_RATE: MetricInput = { name: 'error_rate', kind: 'rate', allowedRelative: 0.2, allowedAbsolute: 0.002 };
const LATENCY: MetricInput = { name: 'latency', kind: 'latency', allowedRelative: 0.1, allowedAbsolute: 5 };

function judge(
  metrics: MetricInput[],
  baseline: Record<string, VariantData | undefined>,
  canary: Record<string, VariantData | undefined>,
  options: { weight?: number; rest?: Partial<Omit<AnalysisConfig, 'metrics'>> } = {},
): IntervalVerdict {
  return judgeInterval({ config: config(metrics, options.rest), baseline, canary, weight: options.weight ?? 50 });
}

/** One metric judged alone (weight 50, even traffic unless given). */
function judgeOne(metric: MetricInput, baseline: VariantData | undefined, canary: VariantData | undefined, weight = 50) {
  const result = judge([metric], { [metric.name]: baseline }, { [metric.name]: canary }, { weight });
  return { ...result.metrics[0]!, interval: result };
}

// ---------------------------------------------------------------------------------------------

describe('configuration', () => {
  it('fills the documented defaults', () => {
    const parsed = AnalysisConfig.parse({ metrics: [{ name: 'error_rate', kind: 'rate' }] });
    expect(parsed).toEqual({
      metrics: [
        {
          name: 'error_rate',
          kind: 'rate',
          badDirection: 'higher',
          allowedRelative: 0.2,
          allowedAbsolute: 0,
          alpha: 0.05,
          minSamples: 1000,
          weight: 1,
          critical: false,
          dryRun: false,
          noData: 'extend',
          quantile: 0.99,
        },
      ],
      passScore: 95,
      marginalScore: 75,
      failureLimit: 1,
      consecutiveFailureLimit: 2,
      inconclusiveLimit: 3,
      splitTolerance: 0.25,
    });
  });

  it('DEFAULT_ANALYSIS: critical error rate (+20 %, +0.2 points) and p99 latency (+10 %, +5 ms)', () => {
    expect(AnalysisConfig.parse(DEFAULT_ANALYSIS)).toEqual(DEFAULT_ANALYSIS);
    expect(DEFAULT_ANALYSIS.metrics.map((m) => [m.name, m.kind, m.critical, m.allowedRelative, m.allowedAbsolute, m.quantile])).toEqual([
      ['error_rate', 'rate', true, 0.2, 0.002, 0.99],
      ['latency', 'latency', false, 0.1, 5, 0.99],
    ]);
    expect([DEFAULT_ANALYSIS.passScore, DEFAULT_ANALYSIS.marginalScore]).toEqual([95, 75]);
  });

  it.each([
    ['no metrics', { metrics: [] }],
    ['51 metrics', { metrics: Array.from({ length: 51 }, (_, i) => ({ name: `m${i}`, kind: 'rate' })) }],
    ['an empty name', { metrics: [{ name: '', kind: 'rate' }] }],
    ['an unknown kind', { metrics: [{ name: 'x', kind: 'gauge' }] }],
    ['alpha 0.5', { metrics: [{ name: 'x', kind: 'rate', alpha: 0.5 }] }],
    ['alpha 0', { metrics: [{ name: 'x', kind: 'rate', alpha: 0 }] }],
    ['a fractional minSamples', { metrics: [{ name: 'x', kind: 'rate', minSamples: 10.5 }] }],
    ['minSamples 0', { metrics: [{ name: 'x', kind: 'rate', minSamples: 0 }] }],
    ['weight 0', { metrics: [{ name: 'x', kind: 'rate', weight: 0 }] }],
    ['a negative allowance', { metrics: [{ name: 'x', kind: 'rate', allowedRelative: -0.1 }] }],
    ['quantile 1', { metrics: [{ name: 'x', kind: 'latency', quantile: 1 }] }],
    ['an unknown noData policy', { metrics: [{ name: 'x', kind: 'rate', noData: 'pass' }] }],
    ['passScore above 100', { metrics: [{ name: 'x', kind: 'rate' }], passScore: 101 }],
    ['consecutiveFailureLimit 0', { metrics: [{ name: 'x', kind: 'rate' }], consecutiveFailureLimit: 0 }],
    ['splitTolerance above 1', { metrics: [{ name: 'x', kind: 'rate' }], splitTolerance: 1.5 }],
  ])('rejects %s', (_, input) => {
    expect(AnalysisConfig.safeParse(input).success).toBe(false);
  });

  it('rejects two metrics with one name (measurements are keyed by name)', () => {
    const result = AnalysisConfig.safeParse({ metrics: [{ name: 'x', kind: 'rate' }, { name: 'x', kind: 'latency' }] });
    expect(result.error?.issues.map((i) => [i.message, i.path])).toEqual([['Duplicate metric "x"', ['metrics', 1, 'name']]]);
  });

  it('rejects a marginal score above the pass score', () => {
    const result = AnalysisConfig.safeParse({ metrics: [{ name: 'x', kind: 'rate' }], passScore: 80, marginalScore: 90 });
    expect(result.error?.issues.map((i) => i.path)).toEqual([['marginalScore']]);
  });
});

describe('no data', () => {
  const withData = rate(20_000, 200);

  it.each([
    ['the canary', withData, undefined, 'no data on the canary'],
    ['the baseline', undefined, withData, 'no data on the baseline'],
    ['either side', undefined, undefined, 'no data on either side'],
    ['the canary (zero requests)', withData, rate(0, 0), 'no data on the canary'],
    ['the canary (no rate block)', withData, {}, 'no data on the canary'],
  ])('on %s, policy extend (default): no_data, not counted, step extended', (_, baseline, canary, missing) => {
    const m = judgeOne(ERROR_RATE, baseline, canary);
    expect(m.outcome).toBe('no_data');
    expect(m.reason).toBe(`${missing}; extending the step until it arrives`);
    expect(m.test).toBeNull();
    expect(m.interval.extendStep).toBe(true);
    expect(m.interval.score).toBeNull();
    expect(m.interval.verdict).toBe('inconclusive');
  });

  it('policy ignore: no_data, not counted, the step is not extended', () => {
    const m = judgeOne({ ...ERROR_RATE, noData: 'ignore' }, withData, undefined);
    expect([m.outcome, m.reason, m.interval.extendStep]).toEqual(['no_data', 'no data on the canary; ignored', false]);
  });

  it('policy fail: a counted failure (Kayenta NodataFailMetric)', () => {
    const r = judge([{ ...ERROR_RATE, noData: 'fail' }, { ...ERROR_RATE, name: 'other' }], { error_rate: withData, other: withData }, { other: withData });
    expect(r.metrics[0]).toMatchObject({ outcome: 'fail', reason: 'no data on the canary, which fails this metric' });
    expect(r.score).toBe(50);
    expect(r.verdict).toBe('fail');
  });

  it('policy fail on a critical metric fails the interval whatever the score', () => {
    const metrics = [{ ...ERROR_RATE, noData: 'fail' as const, critical: true, weight: 1 }, { ...ERROR_RATE, name: 'other', weight: 99 }];
    const r = judge(metrics, { error_rate: withData, other: withData }, { other: withData });
    expect(r.score).toBe(99);
    expect(r.verdict).toBe('fail');
    expect(r.summary).toBe('Fail: error_rate failed (critical): no data on the canary, which fails this metric');
  });

  it.each([
    ['more errors than requests', rate(100, 101), 'unusable data (101 errors among 100 requests) on the canary'],
    ['a negative count', rate(-1, 0), 'unusable data (count -1, errors 0) on the canary'],
    ['a NaN count', rate(Number.NaN, 0), 'unusable data (count NaN, errors 0) on the canary'],
  ])('treats %s as missing data', (_, canary, missing) => {
    expect(judgeOne({ ...ERROR_RATE, noData: 'ignore' }, withData, canary).reason).toBe(`${missing}; ignored`);
  });

  it('latency: an empty histogram, all-zero buckets, or broken buckets are missing data', () => {
    const base = latency([6000, 2500, 1300, 200, 0]);
    const metric = { ...LATENCY, noData: 'ignore' as const };
    expect(judgeOne(metric, base, { latency: [] }).reason).toBe('no data on the canary; ignored');
    expect(judgeOne(metric, base, latency([0, 0, 0, 0, 0])).reason).toBe('no data on the canary; ignored');
    expect(judgeOne(metric, base, { latency: [{ le: 100, count: -5 }] }).reason).toBe('unusable data (a bucket with an invalid bound or count) on the canary; ignored');
    expect(judgeOne(metric, base, { latency: [{ le: Number.POSITIVE_INFINITY, count: 5000 }] }).reason).toBe('unusable data (no finite bucket bound) on the canary; ignored');
  });

  it('a dry-run metric without data never extends the step', () => {
    const r = judge([{ ...ERROR_RATE, dryRun: true }, { ...ERROR_RATE, name: 'other' }], { error_rate: withData, other: withData }, { other: withData });
    expect(r.metrics[0]!.outcome).toBe('no_data');
    expect(r.extendStep).toBe(false);
    expect(r.verdict).toBe('pass');
  });

  it('records the sample sizes it has', () => {
    expect(judgeOne(ERROR_RATE, withData, undefined).numbers).toMatchObject({ n1: 20_000, n2: null });
  });
});

describe('minimum samples', () => {
  it('fewer on the canary → inconclusive, with the counts', () => {
    const m = judgeOne(ERROR_RATE, rate(20_000, 200), rate(212, 30), 1);
    expect(m.outcome).toBe('inconclusive');
    expect(m.reason).toBe('212 of 1,000 required samples on the canary');
    expect(m.test).toBeNull();
    expect(m.numbers).toMatchObject({ n1: 20_000, n2: 212, minSamples: 1000 });
    expect(m.numbers.pValue).toBeUndefined();
  });

  it('fewer on both sides names both', () => {
    expect(judgeOne({ ...ERROR_RATE, minSamples: 5000 }, rate(4321, 10), rate(1234, 10), 22).reason).toBe('1,234 of 5,000 required samples on the canary and 4,321 on the baseline');
  });

  it('fewer on the baseline', () => {
    expect(judgeOne(ERROR_RATE, rate(999, 10), rate(20_000, 200), 95).reason).toBe('999 of 1,000 required samples on the baseline');
  });

  it('exactly minSamples is enough', () => {
    expect(judgeOne(ERROR_RATE, rate(1000, 10), rate(1000, 10)).outcome).toBe('pass');
  });

  it('latency counts observations, and an inconclusive metric is not counted', () => {
    const r = judge([ERROR_RATE, LATENCY], { error_rate: rate(20_000, 200), latency: latency([500, 100]) }, { error_rate: rate(20_000, 200), latency: latency([300, 12]) });
    expect(r.metrics[1]).toMatchObject({ outcome: 'inconclusive', reason: '312 of 1,000 required samples on the canary and 600 on the baseline' });
    expect([r.verdict, r.score]).toEqual(['pass', 100]);
    expect(r.summary).toBe('Pass: score 100, 1 of 1 judged metrics passed; latency inconclusive: 312 of 1,000 required samples on the canary and 600 on the baseline');
  });
});

describe('rate metrics', () => {
  it('fails when worse beyond both allowances and significant (the reason in the brief)', () => {
    // 22/2,000 = 1.10 % vs 96/4,000 = 2.40 %; z = 3.418695790776293, scipy.stats.norm.sf(z) = 0.0003146101541631796.
    const m = judgeOne({ ...ERROR_RATE, critical: true }, rate(2000, 22), rate(4000, 96), 67);
    expect(m.outcome).toBe('fail');
    expect(m.reason).toBe('error rate 2.40 % vs 1.10 %, +118 %, allowed +20 %, p = 0.0003');
    expect(m.test).toBe('two_proportion');
    expect(m.numbers.pValue).toBeCloseTo(0.0003146101541631796, 15);
    expect(m.numbers).toMatchObject({ baseline: 0.011, canary: 0.024, n1: 2000, n2: 4000, alpha: 0.05, allowedRelative: 0.2, allowedAbsolute: 0.002 });
    expect(m.numbers.threshold).toBeCloseTo(0.0132, 15); // max(1.1 % · 1.2, 1.1 % + 0.2 points)
    expect(m.interval.verdict).toBe('fail');
    expect(m.interval.summary).toBe('Fail: error_rate failed (critical): error rate 2.40 % vs 1.10 %, +118 %, allowed +20 %, p = 0.0003');
  });

  it('uses the one-sided p-value of the two-proportion test', () => {
    const m = judgeOne(ERROR_RATE, rate(20_000, 200), rate(20_000, 260));
    const t = twoProportionTest({ n1: 20_000, x1: 200, n2: 20_000, x2: 260 });
    expect(m.numbers.pValue).toBe(t.pValueGreater);
    expect(m.numbers.pValueTwoSided).toBe(t.pValue);
    expect(m.numbers.z).toBe(t.z);
  });

  it('passes within the relative allowance even when significant', () => {
    // 5.00 % vs 5.90 %: +18 % (< 20 %) though +0.9 points (> 0.2) and p < 0.0001.
    const m = judgeOne(ERROR_RATE, rate(100_000, 5000), rate(100_000, 5900));
    expect(m.numbers.pValue!).toBeLessThan(0.0001);
    expect([m.outcome, m.reason]).toEqual(['pass', 'error rate 5.90 % vs 5.00 %, +18 %, allowed +20 %']);
  });

  it('passes within the absolute allowance even when significant; shows the allowance that binds', () => {
    // 0.50 % vs 0.65 %: +30 % but only +0.15 points (< 0.2); the binding allowance is 0.2 points = +40 %.
    const m = judgeOne(ERROR_RATE, rate(200_000, 1000), rate(200_000, 1300));
    expect(m.numbers.pValue!).toBeLessThan(0.0001);
    expect([m.outcome, m.reason]).toEqual(['pass', 'error rate 0.65 % vs 0.50 %, +30 %, allowed +0.20 points (+40 %)']);
    expect(m.numbers.threshold).toBeCloseTo(0.007, 15);
  });

  it('passes when beyond both allowances but not significant, and says so', () => {
    // 10/1,000 vs 14/1,000: +40 % and +0.4 points, z = 0.8207, one-sided p = 0.2059.
    const m = judgeOne(ERROR_RATE, rate(1000, 10), rate(1000, 14));
    expect(m.outcome).toBe('pass');
    expect(m.reason).toBe('error rate 1.40 % vs 1.00 %, +40 %, allowed +20 %, p = 0.206, not significant at α = 0.05');
  });

  it('exactly at both allowances passes (the allowance is inclusive)', () => {
    // 1.00 % → 1.20 %: exactly +20 % and +0.2 points, highly significant.
    const m = judgeOne(ERROR_RATE, rate(1_000_000, 10_000), rate(1_000_000, 12_000));
    expect(m.numbers.pValue!).toBeLessThan(1e-20);
    expect(m.outcome).toBe('pass');
    expect(judgeOne(ERROR_RATE, rate(1_000_000, 10_000), rate(1_000_000, 12_001)).outcome).toBe('fail');
  });

  it('a better canary passes with a negative change', () => {
    const m = judgeOne(ERROR_RATE, rate(20_000, 400), rate(20_000, 200));
    expect([m.outcome, m.reason]).toEqual(['pass', 'error rate 1.00 % vs 2.00 %, −50 %, allowed +20 %']);
  });

  it('a stricter alpha turns a failure into a pass', () => {
    // one-sided p = 0.000859 (scipy.stats.norm.sf(3.1351480085093124))
    expect(judgeOne({ ...ERROR_RATE, alpha: 0.05 }, rate(2000, 22), rate(2000, 48)).outcome).toBe('fail');
    const strict = judgeOne({ ...ERROR_RATE, alpha: 0.0005 }, rate(2000, 22), rate(2000, 48));
    expect([strict.outcome, strict.reason]).toEqual(['pass', 'error rate 2.40 % vs 1.10 %, +118 %, allowed +20 %, p = 0.0009, not significant at α = 0.0005']);
  });

  it('a zero baseline: no relative change, the absolute allowance binds', () => {
    const m = judgeOne(ERROR_RATE, rate(20_000, 0), rate(20_000, 100));
    expect(m.numbers.relative).toBeNull();
    expect([m.outcome, m.reason]).toEqual(['fail', 'error rate 0.50 % vs 0.00 %, allowed +0.20 points, p < 0.0001']);
  });

  it('small rates keep two significant digits', () => {
    const m = judgeOne({ ...ERROR_RATE, allowedAbsolute: 0.0001 }, rate(1_000_000, 120), rate(1_000_000, 123));
    expect(m.reason).toBe('error rate 0.012 % vs 0.012 %, +2.5 %, allowed +0.010 points (+83 %)');
  });

  describe('badDirection lower (conversion)', () => {
    const CONVERSION: MetricInput = { name: 'conversion', kind: 'rate', badDirection: 'lower', allowedRelative: 0.1, allowedAbsolute: 0.001 };

    it('fails on a significant drop beyond both allowances', () => {
      const m = judgeOne(CONVERSION, rate(20_000, 800), rate(20_000, 600));
      const t = twoProportionTest({ n1: 20_000, x1: 800, n2: 20_000, x2: 600 });
      expect(m.outcome).toBe('fail');
      expect(m.reason).toBe('conversion 3.00 % vs 4.00 %, −25 %, allowed −10 %, p < 0.0001');
      expect(m.numbers.pValue).toBeCloseTo(1 - t.pValueGreater, 12);
      expect(m.numbers.threshold).toBeCloseTo(0.036, 15); // min(4 % · 0.9, 4 % − 0.1 points)
    });

    it('passes a rise, however large', () => {
      expect(judgeOne(CONVERSION, rate(20_000, 600), rate(20_000, 800)).outcome).toBe('pass');
    });

    it('passes a drop within the allowance', () => {
      expect(judgeOne(CONVERSION, rate(200_000, 8000), rate(200_000, 7400))).toMatchObject({ outcome: 'pass', reason: 'conversion 3.70 % vs 4.00 %, −7.5 %, allowed −10 %' });
    });
  });
});

describe('latency metrics', () => {
  // Bounds 100/150/170/190/250 ms, 10,000 observations; p99 = rank 9,900.
  const BASE = latency([6000, 2500, 1300, 200, 0]); // 9,800 below 170 → 170 + 20 · 100/200 = 180 ms
  const SLIGHTLY_SLOWER = latency([6000, 2500, 1260, 200, 40]); // 9,760 below 170 → 170 + 20 · 140/200 = 184 ms

  it('passes within the allowance (the reason in the brief)', () => {
    const m = judgeOne(LATENCY, BASE, SLIGHTLY_SLOWER);
    expect(m.outcome).toBe('pass');
    expect(m.reason).toBe('p99 latency 184 ms vs 180 ms, +2.2 %, allowed +10 %');
    expect(m.test).toBe('mann_whitney');
    expect(m.numbers).toMatchObject({ baseline: 180, canary: 184, quantile: 0.99, n1: 10_000, n2: 10_000 });
    expect(m.numbers.threshold).toBeCloseTo(198, 12);
  });

  it('fails when the quantile is beyond the allowance and Mann–Whitney says the canary is slower', () => {
    const slow = latency([4000, 3000, 2000, 600, 400]); // p99 = 190 + 60 · 300/400 = 235 ms
    const m = judgeOne(LATENCY, BASE, slow);
    const mw = mannWhitneyFromHistograms(BASE.latency!, slow.latency!);
    expect(m.outcome).toBe('fail');
    expect(m.reason).toBe('p99 latency 235 ms vs 180 ms, +31 %, allowed +10 %, p < 0.0001');
    expect(m.numbers.pValue).toBe(mw.pValueGreater);
    expect(m.numbers.effect).toBe(mw.effect);
    expect(m.numbers.effect!).toBeGreaterThan(0.5);
  });

  it('passes a worse tail when the distribution as a whole is not slower', () => {
    // More fast requests and a fatter tail: p99 220 ms (+22 %), but Mann–Whitney z < 0.
    const m = judgeOne(LATENCY, BASE, latency([7000, 1500, 1000, 300, 200]));
    expect(m.outcome).toBe('pass');
    expect(m.numbers.z!).toBeLessThan(0);
    expect(m.reason).toMatch(/^p99 latency 220 ms vs 180 ms, \+22 %, allowed \+10 %, p = 1\.000, not significant at α = 0\.05$/);
  });

  it('the absolute allowance binds for fast services', () => {
    const fast = [1, 2, 4, 8, 16];
    // Baseline p99: 9,800 below 4 → 4 + 4 · 0.5 = 6 ms; canary everything one bucket up → 12 ms.
    const m = judgeOne(LATENCY, latency([6000, 2500, 1300, 200, 0], fast), latency([0, 6000, 2500, 1300, 200], fast));
    expect(m.outcome).toBe('fail');
    expect(m.reason).toBe('p99 latency 12.0 ms vs 6.00 ms, +100 %, allowed +5.00 ms (+83 %), p < 0.0001');
  });

  it('names the configured quantile', () => {
    expect(judgeOne({ ...LATENCY, quantile: 0.5 }, BASE, BASE).reason).toBe('p50 latency 83.3 ms vs 83.3 ms, ±0.00 %, allowed +10 %');
    expect(judgeOne({ ...LATENCY, quantile: 0.995, name: 'inference_latency' }, BASE, BASE).reason).toMatch(/^p99\.5 inference latency /);
  });

  it('badDirection lower mirrors the test', () => {
    const m = judgeOne({ ...LATENCY, badDirection: 'lower' }, latency([0, 6000, 2500, 1300, 200]), latency([6000, 2500, 1300, 200, 0]));
    expect(m.outcome).toBe('fail');
    expect(m.reason).toMatch(/, allowed −10 %, p < 0\.0001$/);
  });
});

describe('score and interval verdict', () => {
  const ok = rate(20_000, 200);
  const bad = rate(20_000, 400);
  const names = ['a', 'b', 'c', 'd', 'e'];
  /** Metrics a…e (rates) with the given weights; `failing` lists the ones whose canary doubles its error rate. */
  function scored(weights: number[], failing: string[], extra: Partial<CanaryMetricConfig>[] = [], rest = {}) {
    const metrics = weights.map((weight, i) => ({ ...ERROR_RATE, name: names[i]!, weight, ...extra[i] }));
    const baseline = Object.fromEntries(metrics.map((m) => [m.name, ok]));
    const canary = Object.fromEntries(metrics.map((m) => [m.name, failing.includes(m.name) ? bad : ok]));
    return judge(metrics, baseline, canary, { rest });
  }

  it('all pass → pass, score 100', () => {
    const r = scored([1, 1], []);
    expect([r.verdict, r.score, r.summary]).toEqual(['pass', 100, 'Pass: score 100, 2 of 2 judged metrics passed']);
  });

  it('the score weighs metrics: 80 → marginal', () => {
    const r = scored([4, 1], ['b']);
    expect([r.verdict, r.score]).toEqual(['marginal', 80]);
    expect(r.summary).toBe('Marginal: score 80, below pass 95; b failed: b 2.00 % vs 1.00 %, +100 %, allowed +20 %, p < 0.0001');
  });

  it('below marginal → fail', () => {
    const r = scored([1, 1], ['b']);
    expect([r.verdict, r.score]).toEqual(['fail', 50]);
    expect(r.summary).toMatch(/^Fail: score 50, below marginal 75; b failed: b 2\.00 % vs 1\.00 %/);
  });

  it('a light failure can still pass, and is named', () => {
    const r = scored([96, 4], ['b']);
    expect([r.verdict, r.score]).toEqual(['pass', 96]);
    expect(r.summary).toMatch(/^Pass: score 96, 1 of 2 judged metrics passed; b failed: /);
  });

  it('thresholds are inclusive: exactly 95 passes, exactly 75 is marginal', () => {
    expect(scored([19, 1], ['b'])).toMatchObject({ score: 95, verdict: 'pass' });
    expect(scored([3, 1], ['b'])).toMatchObject({ score: 75, verdict: 'marginal' });
  });

  it('the score is rounded to 2 decimals before it is compared (Kayenta)', () => {
    expect(scored([1, 1, 1], ['c']).score).toBe(66.67);
    // 94.996 rounds to 95.00 and passes: the number shown is the number judged.
    expect(scored([23_749, 1_251], ['b'], [], { passScore: 95 })).toMatchObject({ score: 95, verdict: 'pass' });
  });

  it('a critical failure fails the interval whatever the score', () => {
    const r = scored([1, 99], ['a'], [{ critical: true }]);
    expect([r.verdict, r.score]).toEqual(['fail', 99]);
    expect(r.summary).toMatch(/^Fail: a failed \(critical\): a 2\.00 % vs 1\.00 %/);
  });

  it('a critical metric that passes does not decide alone', () => {
    expect(scored([1, 1], ['b'], [{ critical: true }])).toMatchObject({ verdict: 'fail', score: 50 });
    expect(scored([1, 1], ['b'], [{ critical: true }]).summary).toMatch(/^Fail: score 50, below marginal 75; b failed: /);
  });

  it('dry-run metrics are computed and shown, never counted — even critical ones', () => {
    const r = scored([1, 1], ['b'], [{}, { dryRun: true, critical: true }]);
    expect(r.metrics[1]).toMatchObject({ outcome: 'fail', dryRun: true, critical: true });
    expect([r.verdict, r.score]).toEqual(['pass', 100]);
    expect(r.summary).toMatch(/^Pass: score 100, 1 of 1 judged metrics passed; b would fail \(dry run\): b 2\.00 %/);
  });

  it('only dry-run metrics → nothing counted → inconclusive', () => {
    const r = scored([1], [], [{ dryRun: true }]);
    expect([r.verdict, r.score]).toEqual(['inconclusive', null]);
  });

  it('nothing judged → inconclusive, listing why', () => {
    const r = judge([ERROR_RATE, LATENCY], { error_rate: rate(20_000, 200) }, { error_rate: rate(500, 5) }, { weight: 2.5 });
    expect([r.verdict, r.score, r.extendStep]).toEqual(['inconclusive', null, true]);
    expect(r.summary).toBe(
      'Inconclusive: no metric could be judged; error_rate inconclusive: 500 of 1,000 required samples on the canary; latency had no data: no data on either side; extending the step until it arrives',
    );
  });

  it('a pass with a metric still waiting for data extends the step and says so', () => {
    const r = judge([ERROR_RATE, LATENCY], { error_rate: ok }, { error_rate: ok });
    expect([r.verdict, r.score, r.extendStep]).toEqual(['pass', 100, true]);
    expect(r.summary).toBe('Pass: score 100, 1 of 1 judged metrics passed; latency had no data: no data on either side; extending the step until it arrives; step extended until every metric has data');
  });

  it('keeps metrics in configuration order', () => {
    expect(scored([1, 1, 1], []).metrics.map((m) => m.metric)).toEqual(['a', 'b', 'c']);
  });
});

describe('traffic split (sample-ratio mismatch)', () => {
  const metrics = [ERROR_RATE];
  const at = (baselineCount: number, canaryCount: number, weight: number, rest = {}) =>
    judge(metrics, { error_rate: rate(baselineCount, baselineCount / 100) }, { error_rate: rate(canaryCount, canaryCount / 100) }, { weight, rest });

  it('compares the canary share of requests with the weight', () => {
    expect(at(80_000, 20_000, 20).split).toEqual({ expected: 20, observed: 20, ok: true });
  });

  it('tolerates splitTolerance relative to the weight, inclusive', () => {
    expect(at(75_000, 25_000, 20).split).toEqual({ expected: 20, observed: 25, ok: true });
    expect(at(85_000, 15_000, 20).split).toEqual({ expected: 20, observed: 15, ok: true });
    expect(at(74_000, 26_000, 20).split.ok).toBe(false);
    expect(at(74_000, 26_000, 20, { splitTolerance: 0.5 }).split.ok).toBe(true);
  });

  it('a mismatch makes a passing interval inconclusive and leads the summary', () => {
    const r = at(62_000, 38_000, 20);
    expect([r.verdict, r.score]).toEqual(['inconclusive', 100]);
    expect(r.summary).toBe('Inconclusive: sample-ratio mismatch: the canary got 38.0 % of requests, configured 20 % (±25 % tolerated); the metrics alone score 100');
  });

  it('a mismatch also makes a score-based failure inconclusive', () => {
    const r = judge(
      [ERROR_RATE, { ...ERROR_RATE, name: 'x' }],
      { error_rate: rate(60_000, 600), x: rate(60_000, 600) },
      { error_rate: rate(40_000, 400), x: rate(40_000, 800) },
      { weight: 20 },
    );
    expect([r.verdict, r.score]).toEqual(['inconclusive', 50]);
    expect(r.summary).toMatch(/^Inconclusive: sample-ratio mismatch: the canary got 40\.0 % of requests, configured 20 % \(±25 % tolerated\); the metrics alone score 50; x failed: /);
  });

  it('a critical failure still fails, and the mismatch is flagged', () => {
    const r = judge([{ ...ERROR_RATE, critical: true }], { error_rate: rate(60_000, 600) }, { error_rate: rate(40_000, 1600) }, { weight: 20 });
    expect(r.verdict).toBe('fail');
    expect(r.summary).toMatch(/^Fail: error_rate failed \(critical\): .*; sample-ratio mismatch: the canary got 40\.0 % of requests, configured 20 % \(±25 % tolerated\)$/);
  });

  it('uses the first rate metric with data; none → observed null, ok', () => {
    const r = judge(
      [LATENCY, { ...ERROR_RATE, name: 'first', noData: 'ignore' }, { ...ERROR_RATE, name: 'second' }],
      { second: rate(90_000, 900) },
      { second: rate(10_000, 100) },
      { weight: 10 },
    );
    expect(r.split).toEqual({ expected: 10, observed: 10, ok: true });
    expect(judge([LATENCY], {}, {}, { weight: 10 }).split).toEqual({ expected: 10, observed: null, ok: true });
  });

  it('skips a rate metric with data on one side only (its noData policy covers it)', () => {
    const r = judge([{ ...ERROR_RATE, noData: 'ignore' }, { ...ERROR_RATE, name: 'other' }], { error_rate: rate(90_000, 900), other: rate(90_000, 900) }, { other: rate(10_000, 100) }, { weight: 10 });
    expect(r.split).toEqual({ expected: 10, observed: 10, ok: true });
    expect(r.verdict).toBe('pass');
  });

  it('weight 0 expects no canary traffic: any is a mismatch; none leaves nothing to compare', () => {
    expect(at(10_000, 100, 0).split).toEqual({ expected: 0, observed: 100 / 101, ok: false });
    expect(at(10_000, 0, 0).split).toEqual({ expected: 0, observed: null, ok: true });
  });

  it('rejects a weight outside [0, 100]', () => {
    for (const weight of [-1, 101, Number.NaN]) {
      expect(() => judgeInterval({ config: DEFAULT_ANALYSIS, baseline: {}, canary: {}, weight })).toThrow(RangeError);
    }
  });
});

describe('minimum detectable effect', () => {
  it('per rate metric, from the interval traffic, at the metric alpha and 80 % power', () => {
    const r = judge(
      [ERROR_RATE, LATENCY, { ...ERROR_RATE, name: 'strict', alpha: 0.01 }, { ...ERROR_RATE, name: 'missing' }],
      { error_rate: rate(20_000, 200), strict: rate(20_000, 200) },
      { error_rate: rate(20_000, 200), strict: rate(20_000, 200) },
    );
    expect(r.minimumDetectableEffect).toEqual([
      // 0.2474011248903199 for p = 1 %, 20,000 per side, one-sided α 0.05 (see statistics.test.ts)
      { metric: 'error_rate', relative: minimumDetectableRelativeEffect({ baselineRate: 0.01, n1: 20_000, n2: 20_000, alpha: 0.05, power: 0.8 }) },
      { metric: 'strict', relative: minimumDetectableRelativeEffect({ baselineRate: 0.01, n1: 20_000, n2: 20_000, alpha: 0.01, power: 0.8 }) },
      { metric: 'missing', relative: null },
    ]);
    expect(r.minimumDetectableEffect[0]!.relative).toBeCloseTo(0.2474011248903199, 12);
  });

  it('is null for a zero baseline rate', () => {
    expect(judge([ERROR_RATE], { error_rate: rate(20_000, 0) }, { error_rate: rate(20_000, 0) }).minimumDetectableEffect).toEqual([{ metric: 'error_rate', relative: null }]);
  });
});

describe('judgeRelease', () => {
  const cfg = config([ERROR_RATE]); // failureLimit 1, consecutiveFailureLimit 2, inconclusiveLimit 3
  type V = IntervalVerdict['verdict'];

  it.each<[V[], string, string]>([
    [[], 'continue', 'No interval judged yet'],
    [['pass'], 'advance_ok', 'The last interval passed'],
    [['fail', 'marginal'], 'advance_ok', 'The last interval was marginal'],
    [['pass', 'fail'], 'continue', 'The last interval failed (1 of 1 tolerated failures); judging the next one'],
    [['fail', 'pass', 'fail'], 'rollback', '2 failed intervals, more than the 1 tolerated'],
    [['inconclusive'], 'continue', '1 inconclusive interval in a row (3 tolerated); waiting for more data'],
    [['pass', 'inconclusive', 'inconclusive', 'inconclusive'], 'continue', '3 inconclusive intervals in a row (3 tolerated); waiting for more data'],
    [['inconclusive', 'inconclusive', 'inconclusive', 'inconclusive'], 'pause', '4 inconclusive intervals in a row, more than the 3 tolerated; a human must decide'],
    [['inconclusive', 'inconclusive', 'pass', 'inconclusive', 'inconclusive'], 'continue', '2 inconclusive intervals in a row (3 tolerated); waiting for more data'],
    [['fail', 'inconclusive', 'inconclusive', 'inconclusive', 'inconclusive', 'fail'], 'rollback', '2 failed intervals, more than the 1 tolerated'],
  ])('%j → %s', (history, action, reason) => {
    expect(judgeRelease(history, cfg)).toEqual({ action, reason });
  });

  it('consecutive failures roll back even when the total is within failureLimit', () => {
    const lenient = config([ERROR_RATE], { failureLimit: 5, consecutiveFailureLimit: 2 });
    expect(judgeRelease(['fail', 'pass', 'fail'], lenient).action).toBe('continue');
    expect(judgeRelease(['pass', 'fail', 'fail'], lenient)).toEqual({ action: 'rollback', reason: '2 failed intervals in a row (limit 2)' });
  });

  it('failureLimit 0 rolls back on the first failure (Argo default)', () => {
    expect(judgeRelease(['fail'], config([ERROR_RATE], { failureLimit: 0 }))).toEqual({ action: 'rollback', reason: '1 failed interval, more than the 0 tolerated' });
  });

  it('inconclusiveLimit 0 pauses on the first inconclusive interval', () => {
    expect(judgeRelease(['pass', 'inconclusive'], config([ERROR_RATE], { inconclusiveLimit: 0 })).action).toBe('pause');
  });

  it('rollback wins over pause', () => {
    const c = config([ERROR_RATE], { failureLimit: 0, inconclusiveLimit: 0 });
    expect(judgeRelease(['fail', 'inconclusive'], c).action).toBe('rollback');
  });
});

// ---------------------------------------------------------------------------------------------
// Simulations: how often does the default analysis reach the right verdict?

/** mulberry32 (Tommy Ettinger): a tiny seeded PRNG, uniform in [0, 1). */
function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

// Latency bucket bounds in ms, Prometheus-style; the last bucket takes everything above 2,000 ms.
const BOUNDS = [10, 20, 30, 40, 50, 60, 70, 80, 90, 100, 110, 120, 130, 140, 150, 160, 180, 200, 225, 250, 275, 300, 350, 400, 450, 500, 600, 700, 800, 1000, 1500, 2000, 5000];

function bucketIndex(ms: number): number {
  let lo = 0;
  let hi = BOUNDS.length - 1;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (ms <= BOUNDS[mid]!) hi = mid;
    else lo = mid + 1;
  }
  return lo;
}

/** `requests` requests: each an error with probability errorRate; latency log-normal (median ms, σ of the log). */
function simulateVariant(random: () => number, requests: number, errorRate: number, medianMs: number, sigma: number): VariantData {
  const counts = new Array<number>(BOUNDS.length).fill(0);
  let errors = 0;
  const mu = Math.log(medianMs);
  for (let i = 0; i < requests; i++) {
    if (random() < errorRate) errors++;
    // Box–Muller: one standard normal from two uniforms (1 − u keeps the log finite).
    const normal = Math.sqrt(-2 * Math.log(1 - random())) * Math.cos(2 * Math.PI * random());
    const idx = bucketIndex(Math.exp(mu + sigma * normal));
    counts[idx] = counts[idx]! + 1;
  }
  return { rate: { count: requests, errors }, latency: BOUNDS.map((le, i) => ({ le, count: counts[i]! })) };
}

type Scenario = { errorRate: number; medianMs: number };
function simulate(runs: number, seed: number, baseline: Scenario, canary: Scenario) {
  const random = mulberry32(seed);
  const verdicts: Record<IntervalVerdict['verdict'], number> = { pass: 0, marginal: 0, fail: 0, inconclusive: 0 };
  const metricFailures: Record<string, number> = { error_rate: 0, latency: 0 };
  for (let run = 0; run < runs; run++) {
    const input: IntervalInput = {
      config: DEFAULT_ANALYSIS,
      weight: 50,
      baseline: {},
      canary: {},
    };
    const b = simulateVariant(random, 20_000, baseline.errorRate, baseline.medianMs, 0.45);
    const c = simulateVariant(random, 20_000, canary.errorRate, canary.medianMs, 0.45);
    input.baseline = { error_rate: b, latency: b };
    input.canary = { error_rate: c, latency: c };
    const result = judgeInterval(input);
    verdicts[result.verdict]++;
    for (const m of result.metrics) if (m.outcome === 'fail') metricFailures[m.metric] = (metricFailures[m.metric] ?? 0) + 1;
  }
  return { verdicts, metricFailures, share: (v: IntervalVerdict['verdict']) => verdicts[v] / runs };
}

const RUNS = 500;
const NORMAL: Scenario = { errorRate: 0.01, medianMs: 120 }; // p99 ≈ 120 · e^(2.326 · 0.45) ≈ 342 ms

describe('simulation: 500 intervals, 20,000 requests per variant, DEFAULT_ANALYSIS', () => {
  it('A/A (identical baseline and canary) passes in at least 95 % of intervals', { timeout: 120_000 }, () => {
    const { verdicts, metricFailures, share } = simulate(RUNS, 20_261_126, NORMAL, NORMAL);
    console.log(`A/A: pass ${(share('pass') * 100).toFixed(1)} %, verdicts ${JSON.stringify(verdicts)}, metric failures ${JSON.stringify(metricFailures)}`);
    expect(share('pass')).toBeGreaterThanOrEqual(0.95);
    expect(verdicts.inconclusive).toBe(0); // 20,000 requests per side clears minSamples, the split is 50/50
  });

  it('2× error rate (1 % → 2 %) fails in at least 95 % of intervals', { timeout: 120_000 }, () => {
    const { verdicts, metricFailures, share } = simulate(RUNS, 7, NORMAL, { ...NORMAL, errorRate: 0.02 });
    console.log(`2× error rate: fail ${(share('fail') * 100).toFixed(1)} %, verdicts ${JSON.stringify(verdicts)}, metric failures ${JSON.stringify(metricFailures)}`);
    expect(share('fail')).toBeGreaterThanOrEqual(0.95);
    expect(metricFailures.error_rate).toBe(verdicts.fail);
  });

  it('1.3× latency (p99 ≈ 342 → 445 ms) fails in at least 95 % of intervals', { timeout: 120_000 }, () => {
    const { verdicts, metricFailures, share } = simulate(RUNS, 99, NORMAL, { ...NORMAL, medianMs: 156 });
    console.log(`1.3× latency: fail ${(share('fail') * 100).toFixed(1)} %, verdicts ${JSON.stringify(verdicts)}, metric failures ${JSON.stringify(metricFailures)}`);
    expect(share('fail')).toBeGreaterThanOrEqual(0.95);
  });
});
