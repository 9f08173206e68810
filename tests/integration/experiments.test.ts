import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { experiments, incidents, releases, releaseSteps } from '@/db/schema';
import type { Database } from '@/db';
import type { DbHandle } from '@/db/client';
import { compareArms, sequentialCi, srmCheck } from '@/lib/domain/experiment-stats';
import { sampleSizePerArm } from '@/lib/domain/sample-size';
import type { Actor } from '@/lib/domain/roles';
import { getExperimentResults, listExperiments, planSampleSize } from '@/lib/queries/experiments';
import { getRouting } from '@/lib/queries/routing';
import { advanceRelease, approveRelease, createExperiment, decideExperiment, ingestMetrics, promoteRelease, startRelease } from '@/lib/services';
import { designFor, liveModel, runningExperiment } from '../support/experiment-fixtures';
import { auditOf, failure, rowCounts, signedInUser } from '../support/fixtures';
import { openTestDatabase, targets } from '../support/test-db';


type Arm = { units: number; conversions: number };

describe.each(targets)('A/B experiments on $name', ({ name }) => {
  let handle: DbHandle;
  let db: Database;
  let lead: Actor;
  let reviewer: Actor;
  beforeAll(async () => {
    handle = await openTestDatabase(name);
    db = handle.db;
    lead = await signedInUser(db, ['ml_lead']);
    reviewer = await signedInUser(db, ['reviewer']);
  });
  afterAll(async () => handle?.close());
  const as = (actor: Actor) => ({ actor, db });

  /** Conversion per arm, split over `buckets` one-second buckets (so series have points). */
  async function report(releaseId: string, arms: Record<string, Arm>, opts: { buckets?: number; latency?: Record<string, { mean: number; sd: number }> } = {}) {
    const buckets = opts.buckets ?? 4;
    const start = Date.now() - buckets * 1000 - 60_000;
    const samples = Object.entries(arms).flatMap(([variant, arm]) =>
      Array.from({ length: buckets }, (_, i) => {
        const units = Math.floor(arm.units / buckets) + (i === 0 ? arm.units % buckets : 0);
        const conversions = Math.floor(arm.conversions / buckets) + (i === 0 ? arm.conversions % buckets : 0);
        const bucketStart = new Date(start + i * 1000).toISOString();
        const rows: Record<string, unknown>[] = [{ releaseId, variant, metric: 'conversion', kind: 'counter', bucketStart, count: units, errors: conversions }];
        const latency = opts.latency?.[variant];
        if (latency) rows.push({ releaseId, variant, metric: 'latency_ms', kind: 'kpi', bucketStart, count: units, sum: latency.mean * units, sumSquares: units * (latency.sd ** 2 + latency.mean ** 2) });
        return rows;
      }).flat(),
    );
    await ingestMetrics(as(lead), { samples });
  }

  describe('design', () => {
    it('opens an "ab" release whose arms are the split, held behind a manual gate, with the planned sample size', async () => {
      const target = await liveModel(db);
      const e = await createExperiment(as(lead), designFor(target, { arms: [{ version: '1.0.0', allocation: 60 }, { version: '1.1.0', allocation: 20 }, { version: '1.2.0', allocation: 20 }] }));
      const [release] = await db.select().from(releases).where(eq(releases.id, e.release.id));
      expect(release).toMatchObject({ strategy: 'ab', state: 'approved' });
      expect(release!.routing).toEqual({ versions: [{ version: '1.0.0', weight: 60 }, { version: '1.1.0', weight: 20 }, { version: '1.2.0', weight: 20 }], segments: [], unit: 'user' });
      const steps = await db.select().from(releaseSteps).where(eq(releaseSteps.releaseId, release!.id));
      expect(steps.map((s) => [s.weight, s.manualGate]).sort()).toEqual([[100, false], [40, true]]);
      // Three arms: α is split over the two comparisons.
      expect(e.plannedSampleSize).toBe(sampleSizePerArm({ baselineRate: 0.1, mde: 0.02, alpha: 0.05, power: 0.8, arms: 3 }));
      expect((await auditOf(db, e.id)).map((a) => a.action)).toEqual(['experiment.create']);
      expect((await auditOf(db, release!.id)).map((a) => a.action)).toEqual(['release.request']);

      await startRelease(as(lead), { releaseId: release!.id });
      // The model's serving service defaults to its name.
      const { routing } = await getRouting(as(lead), target.model, target.environment);
      expect(routing.versions).toEqual([
        { version: '1.0.0', weight: 60, role: 'control' },
        { version: '1.1.0', weight: 20, role: 'treatment' },
        { version: '1.2.0', weight: 20, role: 'treatment' },
      ]);
      expect(routing.assignment).toEqual({ unit: 'user' });
    });

    it.each([
      ['a control that is not the live version', { arms: [{ version: '1.1.0', allocation: 50 }, { version: '1.2.0', allocation: 50 }] }, 'arms.0.version'],
      ['allocations that do not add up to 100 %', { arms: [{ version: '1.0.0', allocation: 50 }, { version: '1.1.0', allocation: 40 }] }, 'arms'],
      ['an unregistered treatment', { arms: [{ version: '1.0.0', allocation: 34 }, { version: '1.1.0', allocation: 33 }, { version: '9.9.9', allocation: 33 }] }, 'arms'],
      ['the same metric twice', { secondaryMetrics: [{ name: 'conversion', type: 'binomial' }] }, 'secondaryMetrics.0.name'],
      ['a continuous baseline for a binomial metric', { baseline: { mean: 3, variance: 2 } }, 'baseline'],
      ['alpha above 0.2', { alpha: 0.5 }, 'alpha'],
      ['N* below 100', { sequential: { enabled: true, nStar: 5 } }, 'sequential.nStar'],
    ])('refuses %s, naming the field, and stores nothing', async (_label, over, field) => {
      const target = await liveModel(db);
      const before = await rowCounts(db);
      const error = await failure(createExperiment(as(lead), designFor(target, over)));
      expect(error.code).toBe('invalid');
      expect(Object.keys((error.details as { fields: Record<string, string[]> }).fields)).toContain(field);
      expect(await rowCounts(db)).toEqual(before);
    });

    it('refuses a viewer and a reviewer (403) before reading the design', async () => {
      const viewer = await signedInUser(db, []);
      expect((await failure(createExperiment(as(viewer), {}))).code).toBe('forbidden');
      expect((await failure(createExperiment(as(reviewer), {}))).code).toBe('forbidden');
    });

    it('needs approvals where the environment requires them, and a reviewer other than the requester', async () => {
      const target = await liveModel(db, { requiredApprovals: 1 });
      const e = await createExperiment(as(lead), designFor(target));
      expect(e.release.state).toBe('pending_approval');
      await approveRelease(as(reviewer), { releaseId: e.release.id });
      await startRelease(as(lead), { releaseId: e.release.id });
      const [release] = await db.select().from(releases).where(eq(releases.id, e.release.id));
      expect(release!.state).toBe('running');
    });

    it('computes the sample size and how long it takes at current traffic', async () => {
      const plan = await planSampleSize(as(lead), { baseline: { rate: 0.1 }, minimumDetectableEffect: 0.05 });
      expect(plan.perArm).toBe(sampleSizePerArm({ baselineRate: 0.1, mde: 0.05 }));
      expect(plan).toMatchObject({ total: plan.perArm * 2, unitsPerDay: null, days: null });
      const error = await failure(planSampleSize(as(lead), { baseline: { rate: 0.9 }, minimumDetectableEffect: 0.5 }));
      expect(Object.keys((error.details as { fields: object }).fields)).toEqual(['minimumDetectableEffect']);
    });
  });

  describe('telemetry and results', () => {
    it('takes metrics only under the arms of the experiment', async () => {
      const { experiment } = await runningExperiment(db);
      const bucketStart = new Date(Date.now() - 5000).toISOString();
      const error = await failure(ingestMetrics(as(lead), { samples: [{ releaseId: experiment.release.id, variant: 'canary', metric: 'conversion', kind: 'counter', bucketStart, count: 10, errors: 1 }] }));
      expect((error.details as { fields: Record<string, string[]> }).fields['samples.0.variant']).toEqual(['This release reports "control" or "treatment:1.1.0"']);
      const other = await failure(ingestMetrics(as(lead), { samples: [{ releaseId: experiment.release.id, variant: 'treatment:1.2.0', metric: 'conversion', kind: 'counter', bucketStart, count: 10, errors: 1 }] }));
      expect(other.code).toBe('invalid');
      await ingestMetrics(as(lead), { samples: [{ releaseId: experiment.release.id, variant: 'treatment:1.1.0', metric: 'conversion', kind: 'counter', bucketStart, count: 10, errors: 1 }] });
    });

    it('computes every number from the summed buckets, the same as the statistics engine on the totals', async () => {
      const { experiment } = await runningExperiment(db);
      const control = { units: 20_000, conversions: 2000 };
      const treatment = { units: 20_000, conversions: 2250 };
      await report(experiment.release.id, { control, 'treatment:1.1.0': treatment }, { latency: { control: { mean: 40, sd: 8 }, 'treatment:1.1.0': { mean: 40.1, sd: 8 } } });
      const view = await getExperimentResults(as(lead), experiment.id);
      const primary = view.results.metrics.find((m) => m.role === 'primary')!;
      expect(primary.arms).toEqual([
        { key: 'control', units: 20_000, conversions: 2000, mean: 0.1 },
        { key: 'treatment:1.1.0', units: 20_000, conversions: 2250, mean: 0.1125 },
      ]);
      const seq = sequentialCi(control, treatment, { metricType: 'binomial', nStar: 5000 });
      const fixed = compareArms(control, treatment, { metricType: 'binomial' });
      if (seq.status !== 'ok' || fixed.status !== 'ok') throw new Error('expected a comparison');
      const row = primary.comparisons[0]!;
      if (row.status !== 'ok') throw new Error(row.message);
      // Two goal metrics with data? revenue has none, so the family is the primary alone: no adjustment.
      expect(row.lift).toBeCloseTo(0.125, 12);
      expect(row.ci[0]).toBeCloseTo(seq.relativeCi[0], 12);
      expect(row.ci[1]).toBeCloseTo(seq.relativeCi[1], 12);
      expect(row.pValue).toBeCloseTo(seq.pValue, 14);
      expect(row.absoluteDiff).toBeCloseTo(fixed.absoluteDiff, 14);
      expect(row).toMatchObject({ significant: true, verdict: 'better' });
      expect(row.bayesian!.chanceToBeatControl).toBeGreaterThan(0.99);
      const srm = srmCheck([20_000, 20_000], [50, 50]);
      expect(view.results.srm).toMatchObject({ status: 'ok', flagged: false, pValue: srm.status === 'ok' ? srm.pValue : NaN, unitsPerArm: [20_000, 20_000] });
      const guardrail = view.results.metrics.find((m) => m.role === 'guardrail')!;
      expect(guardrail.comparisons[0]).toMatchObject({ status: 'ok', significant: false, verdict: 'inconclusive' });
      expect(view.results.metrics.find((m) => m.role === 'secondary')!.comparisons[0]).toMatchObject({ status: 'not_enough_data' });
      expect(view.results.decision).toMatchObject({ recommendation: 'ship', arm: '1.1.0', shipBlockedBy: [] });
      expect(view.results.method).toMatchObject({ test: 'sequential', nStar: 5000, alpha: 0.05 });
      // Cumulative series: the last point holds everything.
      const last = view.series.at(-1)!;
      expect(last.units).toEqual({ control: 20_000, 'treatment:1.1.0': 20_000 });
      expect(last.lift['treatment:1.1.0']!.lift).toBeCloseTo(0.125, 12);
      expect(view.series.length).toBeGreaterThan(1);
      expect(view.simulated).toBe(false);

      const listed = (await listExperiments(as(lead))).find((x) => x.id === experiment.id)!;
      expect(listed).toMatchObject({ status: 'running', armUnits: [20_000, 20_000] });
      expect(listed.progress).toBeCloseTo(Math.min(1, 20_000 / experiment.plannedSampleSize), 12);
    });
  });

  describe('decisions', () => {
    it('ships a winner: the A/B release ends and a promotion of the winner waits for approval', async () => {
      const target = await liveModel(db, { requiredApprovals: 1 });
      const e = await createExperiment(as(lead), designFor(target));
      await approveRelease(as(reviewer), { releaseId: e.release.id });
      await startRelease(as(lead), { releaseId: e.release.id });
      await report(e.release.id, { control: { units: 20_000, conversions: 2000 }, 'treatment:1.1.0': { units: 20_000, conversions: 2250 } });

      const outcome = await decideExperiment(as(lead), { experimentId: e.id, decision: 'ship', arm: '1.1.0', reason: 'conversion +12.5 %' });
      expect(outcome).toMatchObject({ changed: true, decision: 'ship' });
      const [ab] = await db.select().from(releases).where(eq(releases.id, e.release.id));
      expect(ab!.state).toBe('aborted');
      const [promotion] = await db.select().from(releases).where(eq(releases.id, outcome.promotionReleaseId!));
      expect(promotion).toMatchObject({ strategy: 'canary', state: 'pending_approval' });
      const [row] = await db.select().from(experiments).where(eq(experiments.id, e.id));
      expect(row).toMatchObject({ decision: 'ship', shippedVersion: '1.1.0', promotionReleaseId: promotion!.id, decidedBy: lead.name });
      expect((row!.decisionEvidence as { decision: { recommendation: string } }).decision.recommendation).toBe('ship');
      expect((await auditOf(db, e.id)).map((a) => a.action)).toEqual(['experiment.create', 'experiment.decide']);

      // The same decision again changes nothing; a different one is refused.
      expect(await decideExperiment(as(lead), { experimentId: e.id, decision: 'ship', arm: '1.1.0', reason: 'again' })).toMatchObject({ changed: false });
      expect((await failure(decideExperiment(as(lead), { experimentId: e.id, decision: 'roll_back', reason: 'changed my mind' }))).code).toBe('conflict');
      expect((await auditOf(db, e.id)).length).toBe(2);
    });

    it('refuses to ship while the sample ratio is mismatched, and changes nothing', async () => {
      const { experiment } = await runningExperiment(db);
      await report(experiment.release.id, { control: { units: 10_000, conversions: 1000 }, 'treatment:1.1.0': { units: 11_000, conversions: 1400 } });
      const view = await getExperimentResults(as(lead), experiment.id);
      expect(view.results.srm).toMatchObject({ flagged: true });
      expect(view.results.decision.recommendation).toBe('keep_running');
      const error = await failure(decideExperiment(as(lead), { experimentId: experiment.id, decision: 'ship', arm: '1.1.0', reason: 'looks great' }));
      expect(error.code).toBe('conflict');
      expect(error.message).toMatch(/Sample ratio mismatch/);
      const [release] = await db.select().from(releases).where(eq(releases.id, experiment.release.id));
      expect(release!.state).toBe('running');
      const [row] = await db.select().from(experiments).where(eq(experiments.id, experiment.id));
      expect(row!.decision).toBeNull();
    });

    it('recommends and performs a rollback when a guardrail is significantly worse; an incident opens', async () => {
      const { experiment } = await runningExperiment(db);
      await report(
        experiment.release.id,
        { control: { units: 20_000, conversions: 2000 }, 'treatment:1.1.0': { units: 20_000, conversions: 2010 } },
        { latency: { control: { mean: 40, sd: 8 }, 'treatment:1.1.0': { mean: 46, sd: 9 } } },
      );
      const view = await getExperimentResults(as(lead), experiment.id);
      expect(view.results.decision.recommendation).toBe('roll_back');
      expect(view.results.decision.reasons[0]).toMatch(/1\.1\.0 makes guardrail latency_ms significantly worse/);
      expect((await failure(decideExperiment(as(lead), { experimentId: experiment.id, decision: 'ship', arm: '1.1.0', reason: 'ship anyway' }))).message).toMatch(/guardrail latency_ms/);

      const outcome = await decideExperiment(as(lead), { experimentId: experiment.id, decision: 'roll_back', reason: 'latency +15 %' });
      const [release] = await db.select().from(releases).where(eq(releases.id, experiment.release.id));
      expect(release!.state).toBe('rolled_back');
      const [incident] = await db.select().from(incidents).where(eq(incidents.id, outcome.incidentId!));
      expect(incident).toBeDefined();
    });

    it('refuses to step an A/B release past its gate: only the decision moves it to 100 %', async () => {
      const { experiment } = await runningExperiment(db);
      for (const useCase of [advanceRelease, promoteRelease]) {
        const error = await failure(useCase(as(lead), { releaseId: experiment.release.id }));
        expect(error.code).toBe('conflict');
        expect(error.message).toMatch(/decide the experiment/);
      }
    });

    it('refuses to decide an experiment that is not running, a treatment it does not have, and a viewer', async () => {
      const target = await liveModel(db);
      const e = await createExperiment(as(lead), designFor(target));
      expect((await failure(decideExperiment(as(lead), { experimentId: e.id, decision: 'roll_back', reason: 'not started' }))).code).toBe('conflict');
      await startRelease(as(lead), { releaseId: e.release.id });
      const wrongArm = await failure(decideExperiment(as(lead), { experimentId: e.id, decision: 'ship', arm: '1.0.0', reason: 'control?' }));
      expect(wrongArm.code).toBe('invalid');
      expect(Object.keys((wrongArm.details as { fields: object }).fields)).toEqual(['arm']);
      const viewer = await signedInUser(db, []);
      expect((await failure(decideExperiment(as(viewer), { experimentId: e.id, decision: 'roll_back', reason: 'nope' }))).code).toBe('forbidden');
      expect((await failure(decideExperiment(as(lead), { experimentId: '00000000-0000-4000-8000-000000000000', decision: 'roll_back', reason: 'ghost' }))).code).toBe('not_found');
    });
  });
});

