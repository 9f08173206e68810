import { mulberry32 } from './traffic';

/**
 * Simulated feature values for the demo's drift story: credit-limit-advisor's `utilisation`
 * drifts upward a little every window (customers drawing more on their lines), so PSI crosses the
 * warning threshold after about two and a half minutes and the critical one after about four;
 * `bureau_score` and `income_band` stay put. Pure and seeded. Labelled simulated wherever it shows.
 */
export const DRIFT_DEMO = { model: 'credit-limit-advisor', environment: 'production', windowSeconds: 10, valuesPerWindow: 2000 } as const;

const INCOME_BANDS = { low: 0.3, middle: 0.45, high: 0.2, very_high: 0.05 } as const;

function gaussian(random: () => number): number {
  const u = Math.max(random(), 1e-12);
  return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * random());
}

/** Shift of utilisation's mean, in reference standard deviations, `elapsedSeconds` into the story (capped at 1σ). */
export const utilisationShift = (elapsedSeconds: number) => Math.min(1, Math.max(0, elapsedSeconds / 480));

function band(random: () => number): string {
  let pick = random();
  for (const [name, share] of Object.entries(INCOME_BANDS)) {
    if (pick < share) return name;
    pick -= share;
  }
  return 'very_high';
}

/** n rows of the three features, with utilisation shifted by `shift` σ. */
export function driftValues(n: number, shift: number, random: () => number) {
  const utilisation: number[] = [];
  const bureau: number[] = [];
  const income: string[] = [];
  for (let i = 0; i < n; i++) {
    utilisation.push(Math.min(1.5, Math.max(0, 0.42 + 0.15 * (gaussian(random) + shift))));
    bureau.push(Math.round(680 + 55 * gaussian(random)));
    income.push(band(random));
  }
  return { utilisation, bureau_score: bureau, income_band: income };
}

/** The training reference the demo seed posts for a version (the same generator, no shift). */
export function referenceValues(seed: number, n = 20_000) {
  return driftValues(n, 0, mulberry32(seed));
}
