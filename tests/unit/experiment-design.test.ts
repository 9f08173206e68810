import { describe, expect, it } from 'vitest';
import type { z } from 'zod';
import {
  armKey,
  CreateExperimentInput,
  DecideExperimentInput,
  DEFAULT_N_STAR,
  SampleSizeQuestion,
} from '@/lib/domain/experiment-design';

/**
 * The zod input of an A/B experiment design (lib/domain/experiment-design.ts): the defaults a
 * stored design gets, and every refusal with the field path the form shows it under.
 */

type CreateRaw = z.input<typeof CreateExperimentInput>;

const VALID: CreateRaw = {
  model: 'churn-model',
  environment: 'production',
  name: 'New ranker',
  hypothesis: 'The new ranker raises conversion because its suggestions are more relevant',
  arms: [
    { version: '1.0.0', allocation: 50 },
    { version: '1.1.0', allocation: 50 },
  ],
  primaryMetric: { name: 'conversion', type: 'binomial' },
  minimumDetectableEffect: 0.05,
  baseline: { rate: 0.1 },
};

const create = (over: Partial<CreateRaw> = {}) => CreateExperimentInput.safeParse({ ...VALID, ...over });

/** Every issue as "path: message", path joined with dots ('' for the root). */
function issues(result: { success: boolean; error?: { issues: { path: PropertyKey[]; message: string }[] } }): string[] {
  expect(result.success, 'expected the input to be refused').toBe(false);
  return result.error!.issues.map((i) => `${i.path.map(String).join('.')}: ${i.message}`);
}

/** The set of paths of the issues (order-free). */
const paths = (result: Parameters<typeof issues>[0]) => [...new Set(issues(result).map((s) => s.slice(0, s.indexOf(':'))))].sort();

function accepted<T>(result: { success: boolean; data?: T; error?: unknown }): T {
  expect(result.success, JSON.stringify(result.error)).toBe(true);
  return result.data as T;
}

describe('CreateExperimentInput defaults', () => {
  it('fills in every default of a minimal design', () => {
    const d = accepted(create());
    expect(d.randomisationUnit).toBe('user');
    expect(d.alpha).toBe(0.05);
    expect(d.power).toBe(0.8);
    expect(d.sequential).toEqual({ enabled: true, nStar: 5000 });
    expect(DEFAULT_N_STAR).toBe(5000);
    expect(d.correction).toBe('holm');
    expect(d.primaryMetric).toEqual({ name: 'conversion', type: 'binomial', higherIsBetter: true });
    expect(d.secondaryMetrics).toEqual([]);
    expect(d.guardrailMetrics).toEqual([]);
    expect(d.reason).toBeUndefined();
  });

  it('defaults higherIsBetter to true on secondary and guardrail metrics too, and keeps false when given', () => {
    const d = accepted(
      create({
        secondaryMetrics: [{ name: 'revenue', type: 'continuous' }],
        guardrailMetrics: [
          { name: 'latency_ms', type: 'continuous', higherIsBetter: false },
          { name: 'retention', type: 'binomial' },
        ],
      }),
    );
    expect(d.secondaryMetrics[0]!.higherIsBetter).toBe(true);
    expect(d.guardrailMetrics.map((m) => m.higherIsBetter)).toEqual([false, true]);
  });

  it('fills in the sequential settings field by field', () => {
    expect(accepted(create({ sequential: {} })).sequential).toEqual({ enabled: true, nStar: 5000 });
    expect(accepted(create({ sequential: { enabled: false } })).sequential).toEqual({ enabled: false, nStar: 5000 });
    expect(accepted(create({ sequential: { nStar: 20_000 } })).sequential).toEqual({ enabled: true, nStar: 20_000 });
  });

  it('keeps explicit choices and trims the texts', () => {
    const d = accepted(
      create({
        name: '  New ranker  ',
        hypothesis: '  Conversion goes up by 2 %  ',
        randomisationUnit: 'session',
        alpha: 0.1,
        power: 0.9,
        correction: 'benjamini_hochberg',
        reason: '  Q3 goal ',
        arms: [
          { version: '2.0.0', allocation: 34 },
          { version: '2.1.0-rc.1', allocation: 33 },
          { version: '2.1.0', allocation: 33 },
        ],
      }),
    );
    expect(d.name).toBe('New ranker');
    expect(d.hypothesis).toBe('Conversion goes up by 2 %');
    expect(d.reason).toBe('Q3 goal');
    expect([d.randomisationUnit, d.alpha, d.power, d.correction]).toEqual(['session', 0.1, 0.9, 'benjamini_hochberg']);
    expect(d.arms.map((a) => a.version)).toEqual(['2.0.0', '2.1.0-rc.1', '2.1.0']);
  });

  it('accepts a continuous primary metric with a { mean, variance } baseline (negative means too)', () => {
    const d = accepted(create({ primaryMetric: { name: 'revenue', type: 'continuous' }, baseline: { mean: -3.5, variance: 2 }, minimumDetectableEffect: 10 }));
    expect(d.baseline).toEqual({ mean: -3.5, variance: 2 });
  });
});

describe('CreateExperimentInput refusals, with the field path', () => {
  describe('arms', () => {
    it('allocations must add up to 100 → arms', () => {
      const r = create({ arms: [{ version: '1.0.0', allocation: 50 }, { version: '1.1.0', allocation: 40 }] });
      expect(issues(r)).toEqual(['arms: Allocations must add up to 100 % (they add up to 90 %)']);
      expect(issues(create({ arms: [{ version: '1.0.0', allocation: 60 }, { version: '1.1.0', allocation: 50 }] }))).toEqual([
        'arms: Allocations must add up to 100 % (they add up to 110 %)',
      ]);
    });

    it('a version already used by an earlier arm → arms.<i>.version (each repeat)', () => {
      const r = create({
        arms: [
          { version: '1.0.0', allocation: 25 },
          { version: '1.1.0', allocation: 25 },
          { version: '1.0.0', allocation: 25 },
          { version: '1.1.0', allocation: 25 },
        ],
      });
      expect(issues(r)).toEqual(['arms.2.version: Version 1.0.0 is already an arm', 'arms.3.version: Version 1.1.0 is already an arm']);
    });

    it('duplicates are found after trimming', () => {
      expect(paths(create({ arms: [{ version: '1.0.0', allocation: 50 }, { version: ' 1.0.0 ', allocation: 50 }] }))).toEqual(['arms.1.version']);
    });

    it('needs 2 to 5 arms', () => {
      expect(issues(create({ arms: [{ version: '1.0.0', allocation: 99 }] }))).toContain('arms: Control and at least one treatment');
      const five = [20, 20, 20, 20, 20].map((allocation, i) => ({ version: `1.${i}.0`, allocation }));
      accepted(create({ arms: five }));
      const six = [15, 15, 15, 15, 20, 20].map((allocation, i) => ({ version: `1.${i}.0`, allocation }));
      expect(issues(create({ arms: six }))).toEqual(['arms: At most 5 arms']);
    });

    it('allocation is a whole percent from 1 to 99 → arms.<i>.allocation', () => {
      accepted(create({ arms: [{ version: '1.0.0', allocation: 1 }, { version: '1.1.0', allocation: 99 }] }));
      expect(issues(create({ arms: [{ version: '1.0.0', allocation: 0 }, { version: '1.1.0', allocation: 100 }] }))).toEqual(
        expect.arrayContaining(['arms.0.allocation: At least 1 %', 'arms.1.allocation: At most 99 %']),
      );
      expect(issues(create({ arms: [{ version: '1.0.0', allocation: 49.5 }, { version: '1.1.0', allocation: 50.5 }] }))).toEqual(
        expect.arrayContaining(['arms.0.allocation: Whole percent', 'arms.1.allocation: Whole percent']),
      );
    });

    it('a version must be semver → arms.<i>.version', () => {
      expect(paths(create({ arms: [{ version: '1.0.0', allocation: 50 }, { version: 'v1.1.0', allocation: 50 }] }))).toEqual(['arms.1.version']);
      expect(paths(create({ arms: [{ version: '1.0', allocation: 50 }, { version: '1.1.0', allocation: 50 }] }))).toEqual(['arms.0.version']);
    });
  });

  describe('metrics', () => {
    it('a secondary metric named like the primary → secondaryMetrics.<i>.name', () => {
      const r = create({ secondaryMetrics: [{ name: 'revenue', type: 'continuous' }, { name: 'conversion', type: 'binomial' }] });
      expect(issues(r)).toEqual(['secondaryMetrics.1.name: Metric "conversion" is listed twice']);
    });

    it('two secondary metrics with one name → the second one', () => {
      const r = create({ secondaryMetrics: [{ name: 'revenue', type: 'continuous' }, { name: 'revenue', type: 'continuous' }] });
      expect(issues(r)).toEqual(['secondaryMetrics.1.name: Metric "revenue" is listed twice']);
    });

    it('a guardrail named like the primary or a secondary → guardrailMetrics.<i>.name', () => {
      const r = create({
        secondaryMetrics: [{ name: 'revenue', type: 'continuous' }],
        guardrailMetrics: [
          { name: 'latency', type: 'continuous', higherIsBetter: false },
          { name: 'revenue', type: 'continuous' },
          { name: 'conversion', type: 'binomial' },
        ],
      });
      expect(issues(r)).toEqual(['guardrailMetrics.1.name: Metric "revenue" is listed twice', 'guardrailMetrics.2.name: Metric "conversion" is listed twice']);
    });

    it('two guardrails with one name → the second one', () => {
      const r = create({ guardrailMetrics: [{ name: 'latency', type: 'continuous' }, { name: 'latency', type: 'continuous' }] });
      expect(paths(r)).toEqual(['guardrailMetrics.1.name']);
    });

    it('metric names: lower case, start with a letter, then letters, digits and _ . : -, at most 100', () => {
      for (const name of ['conversion', 'a', 'latency_p95', 'checkout.completed', 'ns:metric-1']) accepted(create({ primaryMetric: { name, type: 'binomial' } }));
      for (const name of ['Conversion', '1conversion', '_x', 'has space', 'a/b', '', 'é']) expect(paths(create({ primaryMetric: { name, type: 'binomial' } })), name).toEqual(['primaryMetric.name']);
      accepted(create({ primaryMetric: { name: 'a'.repeat(100), type: 'binomial' } }));
      expect(paths(create({ primaryMetric: { name: 'a'.repeat(101), type: 'binomial' } }))).toEqual(['primaryMetric.name']);
      expect(paths(create({ secondaryMetrics: [{ name: 'Revenue', type: 'continuous' }] }))).toEqual(['secondaryMetrics.0.name']);
      expect(paths(create({ guardrailMetrics: [{ name: '9lat', type: 'continuous' }] }))).toEqual(['guardrailMetrics.0.name']);
    });

    it('metric type is binomial or continuous → primaryMetric.type', () => {
      expect(issues(create({ primaryMetric: { name: 'conversion', type: 'count' as 'binomial' } }))).toEqual([
        'primaryMetric.type: Expected "binomial" (units and conversions) or "continuous" (units, sum, sum of squares)',
      ]);
    });

    it('non-inferiority margin is relative, strictly between 0 and 1', () => {
      accepted(create({ primaryMetric: { name: 'conversion', type: 'binomial', nonInferiorityMargin: 0.01 } }));
      accepted(create({ primaryMetric: { name: 'conversion', type: 'binomial', nonInferiorityMargin: 0.99 } }));
      for (const m of [0, -0.01, 1, 1.5, Number.NaN, Number.POSITIVE_INFINITY])
        expect(paths(create({ primaryMetric: { name: 'conversion', type: 'binomial', nonInferiorityMargin: m } })), String(m)).toEqual(['primaryMetric.nonInferiorityMargin']);
    });

    it('at most 10 secondary and 10 guardrail metrics', () => {
      const ten = Array.from({ length: 10 }, (_, i) => ({ name: `s${i}`, type: 'continuous' as const }));
      accepted(create({ secondaryMetrics: ten }));
      expect(paths(create({ secondaryMetrics: [...ten, { name: 's10', type: 'continuous' }] }))).toEqual(['secondaryMetrics']);
      const tenG = Array.from({ length: 10 }, (_, i) => ({ name: `g${i}`, type: 'continuous' as const }));
      accepted(create({ guardrailMetrics: tenG }));
      expect(paths(create({ guardrailMetrics: [...tenG, { name: 'g10', type: 'continuous' }] }))).toEqual(['guardrailMetrics']);
    });
  });

  describe('baseline and minimum detectable effect', () => {
    it('a { mean, variance } baseline for a binomial primary metric → baseline', () => {
      expect(issues(create({ baseline: { mean: 1, variance: 1 } }))).toEqual(['baseline: A binomial primary metric needs { rate }']);
    });

    it('a { rate } baseline for a continuous primary metric → baseline', () => {
      expect(issues(create({ primaryMetric: { name: 'revenue', type: 'continuous' }, baseline: { rate: 0.1 } }))).toEqual(['baseline: A continuous primary metric needs { mean, variance }']);
    });

    it('rate × (1 + MDE) ≥ 1 → minimumDetectableEffect', () => {
      const msg = 'minimumDetectableEffect: The baseline rate raised by this effect would exceed 100 %';
      expect(issues(create({ baseline: { rate: 0.5 }, minimumDetectableEffect: 1 }))).toEqual([msg]); // exactly 1
      expect(issues(create({ baseline: { rate: 0.9 }, minimumDetectableEffect: 0.2 }))).toEqual([msg]);
      accepted(create({ baseline: { rate: 0.5 }, minimumDetectableEffect: 0.99 }));
      // a continuous baseline has no such ceiling
      accepted(create({ primaryMetric: { name: 'revenue', type: 'continuous' }, baseline: { mean: 0.9, variance: 1 }, minimumDetectableEffect: 5 }));
    });

    it('the baseline rate is strictly between 0 and 1; a mean is non-zero and finite; a variance > 0', () => {
      // (rates ≥ 1 also trip the rate × (1 + MDE) check: zod 4 runs refinements after continuable issues)
      for (const rate of [0, 1, -0.1, 1.2]) expect(issues(create({ baseline: { rate } })), String(rate)).toContain('baseline.rate: Must be between 0 and 1');
      const cont = { primaryMetric: { name: 'revenue', type: 'continuous' as const } };
      expect(issues(create({ ...cont, baseline: { mean: 0, variance: 1 } }))).toContain('baseline.mean: Must not be 0');
      expect(issues(create({ ...cont, baseline: { mean: 1, variance: 0 } }))).toContain('baseline.variance: Must be > 0');
      expect(paths(create({ ...cont, baseline: { mean: Number.POSITIVE_INFINITY, variance: 1 } })).every((p) => p.startsWith('baseline'))).toBe(true);
      expect(paths(create({ baseline: {} as { rate: number } })).every((p) => p.startsWith('baseline'))).toBe(true);
    });

    it('MDE is > 0 and at most 10', () => {
      accepted(create({ primaryMetric: { name: 'revenue', type: 'continuous' }, baseline: { mean: 1, variance: 1 }, minimumDetectableEffect: 10 }));
      expect(issues(create({ minimumDetectableEffect: 0 }))).toEqual(['minimumDetectableEffect: Must be > 0 (relative, e.g. 0.02 = 2 %)']);
      expect(paths(create({ minimumDetectableEffect: -0.02 }))).toEqual(['minimumDetectableEffect']);
      expect(paths(create({ primaryMetric: { name: 'revenue', type: 'continuous' }, baseline: { mean: 1, variance: 1 }, minimumDetectableEffect: 10.01 }))).toEqual(['minimumDetectableEffect']);
      expect(paths(create({ minimumDetectableEffect: Number.NaN }))).toEqual(['minimumDetectableEffect']);
    });
  });

  describe('error rates and sequential settings', () => {
    it('alpha in (0, 0.2]', () => {
      accepted(create({ alpha: 0.2 }));
      accepted(create({ alpha: 0.001 }));
      expect(paths(create({ alpha: 0 }))).toEqual(['alpha']);
      expect(paths(create({ alpha: -0.05 }))).toEqual(['alpha']);
      expect(issues(create({ alpha: 0.21 }))).toEqual(['alpha: At most 0.2']);
    });

    it('power in [0.5, 1)', () => {
      accepted(create({ power: 0.5 }));
      accepted(create({ power: 0.99 }));
      expect(issues(create({ power: 0.49 }))).toEqual(['power: At least 0.5']);
      expect(issues(create({ power: 1 }))).toEqual(['power: Must be < 1']);
    });

    it('N* is a whole number from 100 to 10,000,000', () => {
      accepted(create({ sequential: { enabled: true, nStar: 100 } }));
      accepted(create({ sequential: { enabled: true, nStar: 10_000_000 } }));
      expect(issues(create({ sequential: { enabled: true, nStar: 99 } }))).toEqual(['sequential.nStar: At least 100 units']);
      expect(paths(create({ sequential: { enabled: true, nStar: 10_000_001 } }))).toEqual(['sequential.nStar']);
      expect(paths(create({ sequential: { enabled: true, nStar: 5000.5 } }))).toEqual(['sequential.nStar']);
      expect(paths(create({ sequential: { enabled: 'yes' as unknown as boolean } }))).toEqual(['sequential.enabled']);
    });

    it('randomisation unit and correction are closed lists', () => {
      for (const u of ['user', 'session', 'request'] as const) accepted(create({ randomisationUnit: u }));
      expect(paths(create({ randomisationUnit: 'device' as 'user' }))).toEqual(['randomisationUnit']);
      for (const c of ['none', 'holm', 'benjamini_hochberg'] as const) accepted(create({ correction: c }));
      expect(paths(create({ correction: 'bonferroni' as 'holm' }))).toEqual(['correction']);
    });
  });

  describe('texts and names', () => {
    it('name: 3 to 120 characters after trimming', () => {
      accepted(create({ name: 'abc' }));
      accepted(create({ name: 'a'.repeat(120) }));
      expect(issues(create({ name: '  ab  ' }))).toEqual(['name: At least 3 characters']);
      expect(paths(create({ name: 'a'.repeat(121) }))).toEqual(['name']);
    });

    it('hypothesis: 10 to 2000 characters after trimming', () => {
      accepted(create({ hypothesis: 'x'.repeat(10) }));
      accepted(create({ hypothesis: 'x'.repeat(2000) }));
      expect(issues(create({ hypothesis: '   short   ' }))).toEqual(['hypothesis: Say what you expect and why (at least 10 characters)']);
      expect(paths(create({ hypothesis: 'x'.repeat(2001) }))).toEqual(['hypothesis']);
    });

    it('reason: at most 500 characters', () => {
      accepted(create({ reason: 'r'.repeat(500) }));
      expect(paths(create({ reason: 'r'.repeat(501) }))).toEqual(['reason']);
    });

    it('model and environment are DNS-like names', () => {
      expect(paths(create({ model: 'Churn Model' }))).toEqual(['model']);
      expect(paths(create({ environment: '-prod' }))).toEqual(['environment']);
      expect(paths(create({ model: undefined as unknown as string }))).toEqual(['model']);
    });

    it('several problems are reported together', () => {
      const r = create({ name: 'x', alpha: 0.5, arms: [{ version: '1.0.0', allocation: 50 }, { version: '1.1.0', allocation: 49 }] });
      expect(paths(r)).toEqual(['alpha', 'arms', 'name']);
    });
  });
});

describe('DecideExperimentInput', () => {
  const experimentId = '0b6f3c1e-8a51-4c3e-9d3b-6a2f1c0e7d42';

  it('ship: needs the arm and a reason, strategy defaults to canary', () => {
    const d = accepted(DecideExperimentInput.safeParse({ experimentId, decision: 'ship', arm: '1.1.0', reason: '  Wins on conversion  ' }));
    expect(d).toEqual({ experimentId, decision: 'ship', arm: '1.1.0', strategy: 'canary', reason: 'Wins on conversion' });
    expect(accepted(DecideExperimentInput.safeParse({ experimentId, decision: 'ship', arm: '1.1.0', strategy: 'immediate', reason: 'why' }))).toMatchObject({ strategy: 'immediate' });
  });

  it('ship: refuses a missing or non-semver arm, a missing or short reason, an unknown strategy', () => {
    expect(paths(DecideExperimentInput.safeParse({ experimentId, decision: 'ship', reason: 'Wins' }))).toEqual(['arm']);
    expect(paths(DecideExperimentInput.safeParse({ experimentId, decision: 'ship', arm: 'latest', reason: 'Wins' }))).toEqual(['arm']);
    expect(paths(DecideExperimentInput.safeParse({ experimentId, decision: 'ship', arm: '1.1.0' }))).toEqual(['reason']);
    expect(issues(DecideExperimentInput.safeParse({ experimentId, decision: 'ship', arm: '1.1.0', reason: ' ok ' }))).toEqual(['reason: Say why']);
    expect(paths(DecideExperimentInput.safeParse({ experimentId, decision: 'ship', arm: '1.1.0', reason: 'r'.repeat(501) }))).toEqual(['reason']);
    expect(paths(DecideExperimentInput.safeParse({ experimentId, decision: 'ship', arm: '1.1.0', strategy: 'blue_green', reason: 'Wins' }))).toEqual(['strategy']);
  });

  it('roll_back: needs a reason of at least 3 characters after trimming', () => {
    expect(accepted(DecideExperimentInput.safeParse({ experimentId, decision: 'roll_back', reason: 'bad' }))).toEqual({ experimentId, decision: 'roll_back', reason: 'bad' });
    expect(issues(DecideExperimentInput.safeParse({ experimentId, decision: 'roll_back', reason: '  ab  ' }))).toEqual(['reason: Give a reason (it goes into the incident)']);
    expect(paths(DecideExperimentInput.safeParse({ experimentId, decision: 'roll_back' }))).toEqual(['reason']);
  });

  it('refuses an unknown or missing decision, and a malformed experiment id', () => {
    expect(paths(DecideExperimentInput.safeParse({ experimentId, decision: 'pause', reason: 'because' }))).toEqual(['decision']);
    expect(paths(DecideExperimentInput.safeParse({ experimentId, reason: 'because' }))).toEqual(['decision']);
    expect(issues(DecideExperimentInput.safeParse({ experimentId: 'nope', decision: 'roll_back', reason: 'because' }))).toEqual(['experimentId: Not an experiment id']);
  });
});

describe('SampleSizeQuestion', () => {
  it('defaults alpha 0.05, power 0.8 and 2 arms; model and environment are optional', () => {
    const q = accepted(SampleSizeQuestion.safeParse({ baseline: { rate: 0.1 }, minimumDetectableEffect: 0.05 }));
    expect(q).toEqual({ baseline: { rate: 0.1 }, minimumDetectableEffect: 0.05, alpha: 0.05, power: 0.8, arms: 2 });
    expect(accepted(SampleSizeQuestion.safeParse({ baseline: { mean: 10, variance: 4 }, minimumDetectableEffect: 0.01, arms: 5, model: 'churn-model', environment: 'production' }))).toMatchObject({
      arms: 5,
      model: 'churn-model',
      environment: 'production',
    });
  });

  it('refuses rate × (1 + MDE) ≥ 1 at minimumDetectableEffect', () => {
    expect(issues(SampleSizeQuestion.safeParse({ baseline: { rate: 0.5 }, minimumDetectableEffect: 1 }))).toEqual([
      'minimumDetectableEffect: The baseline rate raised by this effect would exceed 100 %',
    ]);
    accepted(SampleSizeQuestion.safeParse({ baseline: { rate: 0.5 }, minimumDetectableEffect: 0.99 }));
    accepted(SampleSizeQuestion.safeParse({ baseline: { mean: 0.5, variance: 1 }, minimumDetectableEffect: 3 }));
  });

  it('refuses out-of-range fields with their path', () => {
    const q = { baseline: { rate: 0.1 }, minimumDetectableEffect: 0.05 };
    expect(paths(SampleSizeQuestion.safeParse({ ...q, arms: 1 }))).toEqual(['arms']);
    expect(paths(SampleSizeQuestion.safeParse({ ...q, arms: 6 }))).toEqual(['arms']);
    expect(paths(SampleSizeQuestion.safeParse({ ...q, arms: 2.5 }))).toEqual(['arms']);
    expect(paths(SampleSizeQuestion.safeParse({ ...q, alpha: 0.3 }))).toEqual(['alpha']);
    expect(paths(SampleSizeQuestion.safeParse({ ...q, power: 1 }))).toEqual(['power']);
    expect(paths(SampleSizeQuestion.safeParse({ ...q, minimumDetectableEffect: 0 }))).toEqual(['minimumDetectableEffect']);
    expect(paths(SampleSizeQuestion.safeParse({ ...q, minimumDetectableEffect: 11 }))).toEqual(['minimumDetectableEffect']);
    expect(paths(SampleSizeQuestion.safeParse({ ...q, model: 'Bad Name' }))).toEqual(['model']);
    expect(issues(SampleSizeQuestion.safeParse({ ...q, baseline: { rate: 1 } }))).toContain('baseline.rate: Must be between 0 and 1');
    expect(issues(SampleSizeQuestion.safeParse({ ...q, baseline: { rate: 0 } }))).toEqual(['baseline.rate: Must be between 0 and 1']);
  });
});

describe('armKey', () => {
  it('is "control" for the first arm, whatever its version, and "treatment:<version>" for the others', () => {
    expect(armKey({ version: '1.0.0', allocation: 50 }, 0)).toBe('control');
    expect(armKey({ version: '9.9.9', allocation: 50 }, 0)).toBe('control');
    expect(armKey({ version: '1.1.0', allocation: 50 }, 1)).toBe('treatment:1.1.0');
    expect(armKey({ version: '2.0.0-rc.1+build.5', allocation: 20 }, 4)).toBe('treatment:2.0.0-rc.1+build.5');
  });

  it('maps a parsed design to distinct keys', () => {
    const d = accepted(
      create({
        arms: [
          { version: '1.0.0', allocation: 40 },
          { version: '1.1.0', allocation: 30 },
          { version: '1.2.0', allocation: 30 },
        ],
      }),
    );
    expect(d.arms.map(armKey)).toEqual(['control', 'treatment:1.1.0', 'treatment:1.2.0']);
  });
});
