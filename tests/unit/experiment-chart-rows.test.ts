import { describe, expect, it } from 'vitest';
import {
  armColour,
  armLabel,
  bound,
  clip,
  controlFirst,
  CONTROL_COLOUR,
  describeForestRow,
  formatCount,
  formatInterval,
  formatPercent,
  forestRows,
  forestScale,
  liftRows,
  niceScale,
  timeFormat,
  TREATMENT_COLOURS,
  unitsRows,
} from '@/components/experiments/chart-rows';
import type { ArmSummary, LiftPoint, MetricResult } from '@/lib/domain/experiment-results';

const arms: ArmSummary[] = [
  { key: 'control', version: '1.0.0', allocation: 50, units: 1000 },
  { key: 'treatment:1.1.0', version: '1.1.0', allocation: 25, units: 500 },
  { key: 'treatment:1.2.0', version: '1.2.0', allocation: 25, units: 480 },
];

const ok = (arm: string, lift: number, ci: [number | null, number | null], verdict: 'better' | 'worse' | 'inconclusive' = 'inconclusive') =>
  ({ arm, status: 'ok', lift, absoluteDiff: 0, ci: ci as [number, number], pValue: 0.5, adjustedPValue: 0.5, significant: verdict !== 'inconclusive', verdict, nonInferior: null, bayesian: null }) as const;

const metric = (comparisons: MetricResult['comparisons'], role: MetricResult['role'] = 'primary'): MetricResult => ({
  name: 'conversion',
  type: 'binomial',
  higherIsBetter: true,
  role,
  arms: [],
  comparisons,
});

describe('formatting', () => {
  it('formats signed percents with two decimals and no negative zero', () => {
    expect(formatPercent(5)).toBe('+5.00 %');
    expect(formatPercent(-1.255, 1)).toBe('−1.3 %');
    expect(formatPercent(-0.001)).toBe('0.00 %');
    expect(formatPercent(0)).toBe('0.00 %');
  });

  it('shows infinite bounds as ∞', () => {
    expect(formatPercent(Infinity)).toBe('+∞');
    expect(formatPercent(-Infinity)).toBe('−∞');
    expect(formatInterval(-Infinity, 8.8)).toBe('[−∞, +8.80 %]');
  });

  it('reads a missing bound as unbounded on its side', () => {
    expect(bound(null, 'lo')).toBe(-Infinity);
    expect(bound(undefined, 'hi')).toBe(Infinity);
    expect(bound(0.02, 'hi')).toBe(0.02);
    expect(bound(-Infinity, 'lo')).toBe(-Infinity);
  });

  it('formats counts with thousands separators', () => {
    expect(formatCount(1234567)).toBe('1,234,567');
    expect(formatCount(12.6)).toBe('13');
  });

  it('labels arms with version and allocation, control first, with stable colours', () => {
    expect(armLabel(arms[0]!)).toBe('control 1.0.0 (50 %)');
    expect(armLabel(arms[2]!)).toBe('treatment 1.2.0 (25 %)');
    expect(controlFirst([arms[1]!, arms[0]!]).map((a) => a.key)).toEqual(['control', 'treatment:1.1.0']);
    expect(armColour('control', arms)).toBe(CONTROL_COLOUR);
    expect(armColour('treatment:1.2.0', arms)).toBe(TREATMENT_COLOURS[1]);
  });

  it('formats time ticks coarser as the span grows, in the given zone', () => {
    const t = Date.parse('2026-11-26T10:05:07Z');
    expect(timeFormat(60_000, 'en-GB', 'UTC')(t)).toBe('10:05:07');
    expect(timeFormat(3_600_000, 'en-GB', 'UTC')(t)).toBe('10:05');
    expect(timeFormat(3 * 86_400_000, 'en-GB', 'UTC')(t)).toMatch(/26 Nov.*10:05/);
    expect(timeFormat(3_600_000, 'en-GB', 'Europe/Paris')(t)).toBe('11:05');
  });
});

describe('scales and clipping', () => {
  it('always includes 0 and ends on round ticks', () => {
    const { domain, ticks } = niceScale([1.2, 7.9]);
    expect(domain[0]).toBe(0);
    expect(domain[1]).toBeGreaterThanOrEqual(7.9);
    expect(ticks[0]).toBe(domain[0]);
    expect(ticks.at(-1)).toBe(domain[1]);
    expect(ticks).toContain(0);
  });

  it('gives a usable range when every value is 0 and ignores infinities', () => {
    expect(niceScale([0, 0]).domain).toEqual([-1, 1]);
    const { domain } = niceScale([-Infinity, 2, Infinity]);
    expect(Number.isFinite(domain[0]) && Number.isFinite(domain[1])).toBe(true);
  });

  it('leaves room beyond the data for an open end', () => {
    expect(niceScale([-4, 4], { openLo: true }).domain[0]).toBeLessThan(-4);
    expect(niceScale([-4, 4], { openHi: true }).domain[1]).toBeGreaterThan(4);
  });

  it('clips values at the domain edge and says so', () => {
    expect(clip(-Infinity, [-5, 5])).toEqual({ value: -5, clipped: true });
    expect(clip(7, [-5, 5])).toEqual({ value: 5, clipped: true });
    expect(clip(2, [-5, 5])).toEqual({ value: 2, clipped: false });
  });
});

describe('forest rows', () => {
  it('turns fractions into percents, null bounds (JSON infinity) into open ends, and keeps messages', () => {
    const rows = forestRows(
      metric(
        [
          ok('treatment:1.1.0', 0.05, [0.012, 0.088], 'better'),
          ok('treatment:1.2.0', -0.02, [null, 0.01], 'inconclusive'),
        ],
        'guardrail',
      ),
      arms,
    );
    expect(rows[0]).toMatchObject({ label: '1.1.0', status: 'ok', verdict: 'better' });
    expect(rows[0]!.status === 'ok' && rows[0]!.lift).toBeCloseTo(5);
    expect(rows[1]).toMatchObject({ label: '1.2.0', lo: -Infinity });
    expect(describeForestRow(rows[1]!)).toBe('1.2.0: −2.00 % [−∞, +1.00 %], inconclusive');

    const { domain } = forestScale(rows);
    expect(domain[0]).toBeLessThan(-2);
    expect(domain[1]).toBeGreaterThanOrEqual(8.8);
  });

  it('keeps rows without enough data, with their message', () => {
    const rows = forestRows(metric([{ arm: 'treatment:9.9.9', status: 'not_enough_data', message: 'Each arm needs at least 2 units' }]), arms);
    expect(rows).toEqual([{ arm: 'treatment:9.9.9', label: '9.9.9', status: 'not_enough_data', message: 'Each arm needs at least 2 units' }]);
    expect(describeForestRow(rows[0]!)).toBe('9.9.9: Each arm needs at least 2 units');
    expect(forestScale(rows).domain).toEqual([-1, 1]);
  });
});

describe('time series rows', () => {
  const series: LiftPoint[] = [
    { at: '2026-11-26T10:01:00.000Z', units: { control: 40, 'treatment:1.1.0': 22, 'treatment:1.2.0': 19 }, lift: { 'treatment:1.1.0': { lift: 0.1, lo: -0.05, hi: 0.25 }, 'treatment:1.2.0': null } },
    { at: '2026-11-26T10:00:00.000Z', units: { control: 2, 'treatment:1.1.0': 1, 'treatment:1.2.0': 1 }, lift: { 'treatment:1.1.0': null, 'treatment:1.2.0': null } },
    { at: '2026-11-26T10:02:00.000Z', units: { control: 90, 'treatment:1.1.0': 45 }, lift: { 'treatment:1.1.0': { lift: 0.04, lo: null as unknown as number, hi: 0.09 } } },
  ];

  it('builds lift rows sorted by time, in percent, with gaps where there is not enough data', () => {
    const { rows, domain, hasLift } = liftRows(series, ['treatment:1.1.0', 'treatment:1.2.0']);
    expect(hasLift).toBe(true);
    expect(rows.map((r) => r.t)).toEqual([Date.parse('2026-11-26T10:00:00Z'), Date.parse('2026-11-26T10:01:00Z'), Date.parse('2026-11-26T10:02:00Z')]);
    expect(rows[0]).toMatchObject({ lift_0: null, band_0: null, ci_0: null, lift_1: null });
    expect(rows[1]!.lift_0).toBeCloseTo(10);
    expect(rows[1]!.band_0![0]).toBeCloseTo(-5);
    expect(rows[1]!.band_0![1]).toBeCloseTo(25);
    expect(rows[2]!.lift_1).toBeNull();
    // an unbounded side: the band stops at the axis edge, the tooltip keeps the infinity
    expect(rows[2]!.band_0![0]).toBe(domain[0]);
    expect(rows[2]!.ci_0![0]).toBe(-Infinity);
    expect(domain[1]).toBeGreaterThanOrEqual(25);
  });

  it('says when no point has a lift yet', () => {
    expect(liftRows([series[1]!], ['treatment:1.1.0']).hasLift).toBe(false);
    expect(liftRows([], ['treatment:1.1.0'])).toMatchObject({ rows: [], hasLift: false });
  });

  it('builds cumulative units rows per arm, in the order given, missing arms as gaps', () => {
    const rows = unitsRows(series, ['control', 'treatment:1.1.0', 'treatment:1.2.0']);
    expect(rows.map((r) => [r.units_0, r.units_1, r.units_2])).toEqual([
      [2, 1, 1],
      [40, 22, 19],
      [90, 45, null],
    ]);
  });
});
