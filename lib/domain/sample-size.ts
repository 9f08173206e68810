import { normalQuantile } from './statistics';

/**
 * How many units each arm of an A/B test needs, and how long that takes. The usual normal
 * approximation for a two-sample test of means with unequal variances (Chow, Shao & Wang, Sample
 * Size Calculations in Clinical Research, §3.2/§4.2):
 *
 *   n per arm = (z_{1−α/sides} + z_{power})² · (σA² + σB²) / δ²,   δ = mde · |μA|
 *
 * binomial: μA = baseline rate p, μB = p(1 + mde), σ² = p(1 − p) in each arm (GrowthBook's
 * proportion variance); continuous: μA = mean, σA² = σB² = variance. With more than two arms every
 * treatment is compared with control, so α is Bonferroni-split over the arms − 1 comparisons —
 * conservative, and what a team would plan for before choosing Holm or BH at analysis time.
 * Rounded up to a whole unit. Invalid inputs throw a RangeError.
 */
export type SampleSizeInput = ({ baselineRate: number } | { mean: number; variance: number }) & {
  /** relative minimum detectable effect, e.g. 0.05 = 5 % lift; negative for a decrease */
  mde: number;
  alpha?: number;
  power?: number;
  arms?: number;
  sides?: 1 | 2;
};

export function sampleSizePerArm(input: SampleSizeInput): number {
  const { mde, alpha = 0.05, power = 0.8, arms = 2, sides = 2 } = input;
  if (!(alpha > 0 && alpha < 1)) throw new RangeError(`alpha must be in (0, 1), got ${alpha}`);
  if (!(power > 0 && power < 1)) throw new RangeError(`power must be in (0, 1), got ${power}`);
  if (!Number.isInteger(arms) || arms < 2) throw new RangeError(`arms must be an integer ≥ 2, got ${arms}`);
  if (!(Number.isFinite(mde) && mde !== 0)) throw new RangeError(`mde must be a non-zero relative change, got ${mde}`);

  let mean: number;
  let varianceSum: number;
  if ('baselineRate' in input) {
    const p = input.baselineRate;
    if (!(p > 0 && p < 1)) throw new RangeError(`baselineRate must be in (0, 1), got ${p}`);
    const treated = p * (1 + mde);
    if (!(treated > 0 && treated < 1)) throw new RangeError(`baselineRate × (1 + mde) must stay in (0, 1), got ${treated}`);
    mean = p;
    varianceSum = p * (1 - p) + treated * (1 - treated);
  } else {
    if (!(Number.isFinite(input.mean) && input.mean !== 0)) throw new RangeError(`mean must be finite and non-zero, got ${input.mean}`);
    if (!(input.variance > 0 && Number.isFinite(input.variance))) throw new RangeError(`variance must be > 0, got ${input.variance}`);
    mean = input.mean;
    varianceSum = 2 * input.variance;
  }
  const comparisons = arms - 1;
  const zAlpha = normalQuantile(1 - alpha / (sides * comparisons));
  const zPower = normalQuantile(power);
  const delta = mde * Math.abs(mean);
  return Math.ceil(((zAlpha + zPower) ** 2 * varianceSum) / (delta * delta));
}

/**
 * Whole days until every arm has `perArm` units at `unitsPerDay` units entering the experiment per
 * day (all arms together, split evenly). Null when there is no traffic to wait for.
 */
export function daysToReach(perArm: number, unitsPerDay: number, arms: number): number | null {
  if (!(perArm >= 0 && Number.isFinite(perArm))) throw new RangeError(`perArm must be a finite count ≥ 0, got ${perArm}`);
  if (!Number.isInteger(arms) || arms < 1) throw new RangeError(`arms must be an integer ≥ 1, got ${arms}`);
  if (!(unitsPerDay > 0 && Number.isFinite(unitsPerDay))) return null;
  return Math.ceil((perArm * arms) / unitsPerDay);
}
