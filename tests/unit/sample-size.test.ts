import { describe, expect, it } from 'vitest';
import { daysToReach, sampleSizePerArm, type SampleSizeInput } from '@/lib/domain/sample-size';

type Ref = { baseline?: number; mean?: number; variance?: number; mde: number; alpha?: number; power?: number; arms?: number; sides?: 1 | 2 };

// Reference values: printed by tests/unit/reference/experiment-stats.py (scipy.stats.norm.ppf on the
// unequal-variance normal-approximation formula), pasted verbatim: [input, exact n, ceil(n)].
const SAMPLE_SIZE: [Ref, number, number][] = [[{"baseline": 0.1, "mde": 0.05}, 57759.905965074926, 57760], [{"baseline": 0.1, "mde": -0.05}, 55248.26445008321, 55249], [{"baseline": 0.02, "mde": 0.1, "sides": 1}, 63550.50578793117, 63551], [{"baseline": 0.3, "mde": 0.02, "alpha": 0.01, "power": 0.9}, 174569.93006534682, 174570], [{"baseline": 0.1, "mde": 0.05, "arms": 3}, 69947.56540790344, 69948], [{"mean": 25.0, "variance": 400.0, "mde": 0.03}, 11162.851177740926, 11163], [{"mean": -4.0, "variance": 9.0, "mde": 0.1, "power": 0.95}, 1461.9048763634403, 1462], [{"baseline": 0.5, "mde": 0.9}, 11.531070227006687, 12]];
// Power of a two-sided unpooled z-test at the n computed for baseline 0.1, MDE 5 % (same script).
const POWER_AT_N_BASELINE_0_1 = 0.8000015990131686;

function toInput({ baseline, mean, variance, ...rest }: Ref): SampleSizeInput {
  return baseline !== undefined ? { baselineRate: baseline, ...rest } : { mean: mean!, variance: variance!, ...rest };
}

describe('sampleSizePerArm', () => {
  it.each(SAMPLE_SIZE)('%j', (input, _exact, expected) => {
    expect(sampleSizePerArm(toInput(input))).toBe(expected);
  });
  it('reaches the requested power at the computed n (script check)', () => {
    expect(POWER_AT_N_BASELINE_0_1).toBeGreaterThanOrEqual(0.8);
    expect(POWER_AT_N_BASELINE_0_1).toBeLessThan(0.80001);
  });
  it('more arms, a smaller MDE or more power need more units', () => {
    const base = sampleSizePerArm({ baselineRate: 0.1, mde: 0.05 });
    expect(sampleSizePerArm({ baselineRate: 0.1, mde: 0.05, arms: 4 })).toBeGreaterThan(base);
    expect(sampleSizePerArm({ baselineRate: 0.1, mde: 0.025 })).toBeGreaterThan(base);
    expect(sampleSizePerArm({ baselineRate: 0.1, mde: 0.05, power: 0.9 })).toBeGreaterThan(base);
  });
  it.each([
    { baselineRate: 0, mde: 0.1 },
    { baselineRate: 1, mde: 0.1 },
    { baselineRate: 0.6, mde: 1 },
    { baselineRate: 0.1, mde: 0 },
    { mean: 0, variance: 1, mde: 0.1 },
    { mean: 3, variance: 0, mde: 0.1 },
    { baselineRate: 0.1, mde: 0.1, alpha: 1 },
    { baselineRate: 0.1, mde: 0.1, arms: 1 },
  ] as SampleSizeInput[])('rejects %j', (input) => {
    expect(() => sampleSizePerArm(input)).toThrow(RangeError);
  });
});

describe('daysToReach', () => {
  it('rounds up whole days over all arms', () => {
    expect(daysToReach(57760, 10000, 2)).toBe(12); // 115,520 units at 10,000 a day
    expect(daysToReach(5000, 10000, 2)).toBe(1);
    expect(daysToReach(0, 10000, 2)).toBe(0);
  });
  it('no traffic → null; malformed → RangeError', () => {
    expect(daysToReach(100, 0, 2)).toBeNull();
    expect(() => daysToReach(-1, 10, 2)).toThrow(RangeError);
    expect(() => daysToReach(10, 10, 0)).toThrow(RangeError);
  });
});
