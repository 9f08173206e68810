import { z } from 'zod';
import { EnvironmentName } from './environment';
import { MetricName } from './metrics-input';
import { ModelName } from './model';
import { CORRECTIONS } from './multiple-comparisons';
import { SemverString } from './semver';

/**
 * What an A/B experiment is, as a team designs it before any traffic flows (DESIGN "Experiment"):
 * a hypothesis, arms with their allocation (the first arm is control = the version live in the
 * environment), a randomisation unit, a primary metric, secondary and guardrail metrics, and the
 * error rates the team accepts. Stored with its release (strategy "ab"), which carries the traffic.
 */

export const RANDOMISATION_UNITS = ['user', 'session', 'request'] as const;
export const METRIC_TYPES = ['binomial', 'continuous'] as const;
export const DEFAULT_N_STAR = 5000;

/**
 * A metric of the experiment. `higherIsBetter` says which direction of change is good (conversion:
 * up; latency or complaints: down). A non-inferiority margin (relative, e.g. 0.01 = 1 %) lets a
 * treatment ship when it is not worse than control by more than that, even if it is not better.
 */
export const ExperimentMetric = z.object({
  name: MetricName,
  type: z.enum(METRIC_TYPES, { message: 'Expected "binomial" (units and conversions) or "continuous" (units, sum, sum of squares)' }),
  higherIsBetter: z.boolean().default(true),
  nonInferiorityMargin: z.number().finite().gt(0, 'Must be > 0 (a relative margin, e.g. 0.01 = 1 %)').lt(1, 'Must be < 1 (a relative margin)').optional(),
});
export type ExperimentMetric = z.infer<typeof ExperimentMetric>;

export const ExperimentArm = z.object({
  version: SemverString,
  allocation: z.number().int('Whole percent').min(1, 'At least 1 %').max(99, 'At most 99 %'),
});
export type ExperimentArm = z.infer<typeof ExperimentArm>;

/** What the sample-size calculator starts from: the control's conversion rate, or mean and variance. */
export const Baseline = z.union([
  z.object({ rate: z.number().gt(0, 'Must be between 0 and 1').lt(1, 'Must be between 0 and 1') }),
  z.object({ mean: z.number().finite().refine((m) => m !== 0, 'Must not be 0'), variance: z.number().finite().gt(0, 'Must be > 0') }),
]);
export type Baseline = z.infer<typeof Baseline>;

export const SequentialSettings = z.object({
  enabled: z.boolean().default(true),
  nStar: z.number().int().min(100, 'At least 100 units').max(10_000_000).default(DEFAULT_N_STAR),
});

export const CreateExperimentInput = z
  .object({
    model: ModelName,
    environment: EnvironmentName,
    name: z.string().trim().min(3, 'At least 3 characters').max(120),
    hypothesis: z.string().trim().min(10, 'Say what you expect and why (at least 10 characters)').max(2000),
    /** Control first (the version live in the environment), then one or more treatments. */
    arms: z.array(ExperimentArm).min(2, 'Control and at least one treatment').max(5, 'At most 5 arms'),
    randomisationUnit: z.enum(RANDOMISATION_UNITS).default('user'),
    primaryMetric: ExperimentMetric,
    secondaryMetrics: z.array(ExperimentMetric).max(10).default([]),
    /** Metrics that must not get worse; `higherIsBetter` gives the direction that is bad. */
    guardrailMetrics: z.array(ExperimentMetric).max(10).default([]),
    /** Relative, e.g. 0.02 = the smallest lift of 2 % the test should detect. */
    minimumDetectableEffect: z.number().finite().gt(0, 'Must be > 0 (relative, e.g. 0.02 = 2 %)').max(10),
    alpha: z.number().gt(0).max(0.2, 'At most 0.2').default(0.05),
    power: z.number().min(0.5, 'At least 0.5').lt(1, 'Must be < 1').default(0.8),
    baseline: Baseline,
    sequential: SequentialSettings.default({ enabled: true, nStar: DEFAULT_N_STAR }),
    correction: z.enum(CORRECTIONS).default('holm'),
    reason: z.string().trim().max(500).optional(),
  })
  .superRefine((e, ctx) => {
    const total = e.arms.reduce((s, a) => s + a.allocation, 0);
    if (total !== 100) ctx.addIssue({ code: 'custom', path: ['arms'], message: `Allocations must add up to 100 % (they add up to ${total} %)` });
    const seen = new Set<string>();
    e.arms.forEach((a, i) => {
      if (seen.has(a.version)) ctx.addIssue({ code: 'custom', path: ['arms', i, 'version'], message: `Version ${a.version} is already an arm` });
      seen.add(a.version);
    });
    const names = new Set<string>();
    const all = [['primaryMetric'], ...e.secondaryMetrics.map((_, i) => ['secondaryMetrics', i]), ...e.guardrailMetrics.map((_, i) => ['guardrailMetrics', i])] as (string | number)[][];
    [e.primaryMetric, ...e.secondaryMetrics, ...e.guardrailMetrics].forEach((m, i) => {
      if (names.has(m.name)) ctx.addIssue({ code: 'custom', path: [...all[i]!, 'name'], message: `Metric "${m.name}" is listed twice` });
      names.add(m.name);
    });
    const isRate = 'rate' in e.baseline;
    if (isRate !== (e.primaryMetric.type === 'binomial'))
      ctx.addIssue({ code: 'custom', path: ['baseline'], message: isRate ? 'A continuous primary metric needs { mean, variance }' : 'A binomial primary metric needs { rate }' });
    if (isRate && 'rate' in e.baseline && e.baseline.rate * (1 + e.minimumDetectableEffect) >= 1)
      ctx.addIssue({ code: 'custom', path: ['minimumDetectableEffect'], message: 'The baseline rate raised by this effect would exceed 100 %' });
  });
export type CreateExperimentInput = z.infer<typeof CreateExperimentInput>;

export const ExperimentId = z.uuid('Not an experiment id');

export const DecideExperimentInput = z.discriminatedUnion('decision', [
  z.object({
    experimentId: ExperimentId,
    decision: z.literal('ship'),
    /** The treatment to ship (its version). */
    arm: SemverString,
    /** How the winner goes out: a canary ramp along the environment's plan, or all at once. */
    strategy: z.enum(['canary', 'immediate']).default('canary'),
    reason: z.string().trim().min(3, 'Say why').max(500),
  }),
  z.object({
    experimentId: ExperimentId,
    decision: z.literal('roll_back'),
    reason: z.string().trim().min(3, 'Give a reason (it goes into the incident)').max(500),
  }),
]);
export type DecideExperimentInput = z.infer<typeof DecideExperimentInput>;

/** The key a router reports an arm's metrics under: "control", or "treatment:<version>". */
export const armKey = (arm: ExperimentArm, index: number): string => (index === 0 ? 'control' : `treatment:${arm.version}`);

/** The design as stored (jsonb) and read back: every default filled in. */
export type ExperimentDesign = Omit<CreateExperimentInput, 'model' | 'environment' | 'name' | 'hypothesis' | 'reason'>;

/** The sample-size calculator's question (the design form asks it as you type; the API too). */
export const SampleSizeQuestion = z
  .object({
    baseline: Baseline,
    minimumDetectableEffect: z.number().finite().gt(0, 'Must be > 0 (relative, e.g. 0.02 = 2 %)').max(10),
    alpha: z.number().gt(0).max(0.2, 'At most 0.2').default(0.05),
    power: z.number().min(0.5, 'At least 0.5').lt(1, 'Must be < 1').default(0.8),
    arms: z.number().int().min(2).max(5).default(2),
    /** With both, the answer includes how long that takes at the model's current traffic there. */
    model: ModelName.optional(),
    environment: EnvironmentName.optional(),
  })
  .refine((q) => !('rate' in q.baseline) || q.baseline.rate * (1 + q.minimumDetectableEffect) < 1, {
    path: ['minimumDetectableEffect'],
    message: 'The baseline rate raised by this effect would exceed 100 %',
  });
