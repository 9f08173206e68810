import { createHash } from 'node:crypto';
import { asc, eq, sql } from 'drizzle-orm';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { analysisRuns, incidents, releases } from '@/db/schema';
import type { Database } from '@/db';
import { rowsOf, type DbHandle } from '@/db/client';
import { parseConfig } from '@/lib/config/parse-config';
import { AnalysisConfig, DEFAULT_ANALYSIS, type MetricVerdict } from '@/lib/domain/canary-judge';
import type { Actor } from '@/lib/domain/roles';
import { leadership } from '@/lib/server/controller/leader';
import { controllerTick, LATE_SAMPLE_GRACE_MS } from '@/lib/server/controller/tick';
import { abortRelease, advanceRelease, createEnvironment, createModel, ingestMetrics, registerVersion, requestRelease, startRelease, updateAnalysis } from '@/lib/services';
import { HEALTHY, mulberry32, REGRESSION, simulateSecond, toSamples, type SimulationProfile } from '@/lib/simulator/traffic';
import { openTestDatabase, targets } from '../support/test-db';
import { auditOf, setUp, signedInUser, unique } from '../support/fixtures';

/**
 * The release controller end to end: simulated router traffic goes in through the metrics use
 * case second by second, the controller ticks on an explicit clock (every second, and where a
 * test says so twice, late or out of order), and what it decides is read back from the releases,
 * analysis runs, incidents and the audit trail.
 */

const INTERVAL_SECONDS = 10;
/** The default judge, with a sample floor a 10 % canary of the simulated traffic passes in one interval. */
const ANALYSIS = AnalysisConfig.parse({ ...DEFAULT_ANALYSIS, metrics: DEFAULT_ANALYSIS.metrics.map((m) => ({ ...m, minSamples: 200 })) });
/** 10 % and 50 %, each held 20 s (two intervals) behind a passing analysis, then 100 %. */
const CANARY_PLAN = [
  { weight: 10, holdSeconds: 20, analysisRequired: true },
  { weight: 50, holdSeconds: 20, analysisRequired: true },
  { weight: 100 },
];
const CONTROLLER = 'system:controller';
/** The controller judges an interval this long after it ends, once late samples are in. */
const GRACE_SECONDS = Math.ceil(LATE_SAMPLE_GRACE_MS / 1000);

const sha256 = (text: string) => `sha256:${createHash('sha256').update(text).digest('hex')}`;
const secondsAfter = (t0: Date, seconds: number) => new Date(t0.getTime() + seconds * 1000);
/** Each test gets its own hour of simulated time, so no test's clock runs behind another's releases. */
let clock = Date.parse('2031-03-02T09:00:00Z');
const nextHour = () => new Date((clock += 3_600_000));

describe.each(targets)('release controller on $name', ({ name }) => {
  let handle: DbHandle;
  let db: Database;
  let admin: Actor;
  let lead: Actor;
  const created: string[] = [];
  beforeAll(async () => {
    handle = await openTestDatabase(name);
    db = handle.db;
    admin = await signedInUser(db, ['admin']);
    lead = await signedInUser(db, ['ml_lead']);
  });
  // The controller acts on every running release: a release one test leaves running would be
  // judged by the next test's ticks. End them.
  afterEach(async () => {
    for (const id of created.splice(0)) {
      const { state } = await releaseRow(id);
      if (state === 'running' || state === 'paused') await abortRelease(as(lead), { releaseId: id, reason: 'test over' });
    }
  });
  afterAll(async () => handle?.close());

  const as = (actor: Actor, now?: Date) => ({ actor, db, now });
  const releaseRow = async (id: string) => (await db.select().from(releases).where(eq(releases.id, id)))[0]!;
  const runsOf = (id: string) => db.select().from(analysisRuns).where(eq(analysisRuns.releaseId, id)).orderBy(asc(analysisRuns.intervalStart));
  const incidentsOf = (id: string) => db.select().from(incidents).where(eq(incidents.releaseId, id));
  const eventsOf = async (id: string, action: string) => (await auditOf(db, id)).filter((e) => e.action === action);
  /** The advance events as [step, state, weight] after each: the steps the release went through. */
  const advancesOf = async (id: string) =>
    (await eventsOf(id, 'release.advance')).map((e) => {
      const after = e.after as { step: number; state: string; weight: number };
      return [after.step, after.state, after.weight];
    });

  /** A model with 1.0.0, an environment judged every 10 s with ANALYSIS, and a release of 1.0.0 there started at t0. */
  async function startedRelease(t0: Date, plan: unknown = CANARY_PLAN) {
    const model = await createModel(as(lead, t0), { name: `fraud-${unique()}`, ownerTeam: 'risk-ml' });
    await registerVersion(as(lead, t0), {
      model: model.name,
      version: '1.0.0',
      artifactUri: `s3://ml-artifacts/${model.name}/1.0.0/model.tar.gz`,
      artifactDigest: sha256(`${model.name}@1.0.0`),
    });
    const env = await createEnvironment(setUp(db), { name: `env-${unique()}`, rank: 1, policy: { requiredChecks: [], thresholds: {} } });
    await updateAnalysis(as(admin, t0), { environment: env.name, intervalSeconds: INTERVAL_SECONDS, config: ANALYSIS });
    const release = await requestRelease(as(lead, t0), { model: model.name, version: '1.0.0', environment: env.name, strategy: 'canary', plan });
    await startRelease(as(lead, t0), { releaseId: release.id });
    created.push(release.id);
    return release.id;
  }

  /**
   * A canary release with a router in front of it and the controller loop behind it, on one
   * clock counted in seconds after the start. The router reports each second when it ends, split
   * by the release's weight at that moment; the controller ticks every second, as the loop in
   * lib/server/controller/run.ts does.
   */
  async function scenario(profile: SimulationProfile, seed: number, plan: unknown = CANARY_PLAN) {
    const t0 = nextHour();
    const id = await startedRelease(t0, plan);
    const at = (second: number) => secondsAfter(t0, second);
    const random = mulberry32(seed);
    let fed = 0;
    let ticked = 0;
    /** Traffic for every second before `second`. */
    const feed = async (second: number) => {
      for (; fed < second; fed++) {
        const { currentWeight } = await releaseRow(id);
        const samples = toSamples(id, at(fed), simulateSecond(profile, currentWeight, random));
        await ingestMetrics(as(lead, at(fed + 1)), { samples, simulated: true });
      }
    };
    const tick = (second: number) => controllerTick(db, at(second));
    /** Second by second up to `second`: the router reports the second that just ended, then the controller ticks. */
    const drive = async (second: number, opts: { traffic?: boolean } = {}) => {
      for (let s = ticked + 1; s <= second; s++) {
        if (opts.traffic !== false) await feed(s);
        await tick(s);
      }
      ticked = Math.max(ticked, second);
    };
    return { id, t0, at, feed, tick, drive };
  }

  /** What a tick could change about a release: compared before and after ticks that must do nothing. */
  const footprint = async (id: string) => ({
    release: await releaseRow(id),
    audit: (await auditOf(db, id)).map((e) => e.seq),
    incidents: (await incidentsOf(id)).length,
    runs: (await runsOf(id)).map((r) => r.id),
  });

  /**
   * Two controller ticks at `second` in the interleaving that matters: each has read the release
   * and its analyses before either writes anything (their first transaction waits until both
   * reached theirs). Left to the scheduler the race is only sometimes lost; this loses it always.
   */
  async function racingTicks(t0: Date, second: number) {
    let arrived = 0;
    let open!: () => void;
    const bothRead = new Promise<void>((resolve) => (open = resolve));
    const gated = new Proxy(db, {
      get(target, property) {
        if (property === 'transaction') {
          return async (...args: Parameters<Database['transaction']>) => {
            if (++arrived === 2) open();
            await bothRead;
            return target.transaction(...args);
          };
        }
        const value = Reflect.get(target, property, target);
        return typeof value === 'function' ? value.bind(target) : value;
      },
    });
    return Promise.all([controllerTick(gated, secondsAfter(t0, second)), controllerTick(gated, secondsAfter(t0, second))]);
  }

  /**
   * CANARY_PLAN went 10 → 50 → 100 → promoted, each step once and in order, by the controller;
   * each analysed step held for at least its 20 s and was judged by back-to-back 10 s intervals
   * from its start, all ended before the step was left, the last one passing. A healthy canary
   * may fail an interval by chance (alpha 0.05): no more than the tolerated failures. Returns the runs.
   */
  async function expectOrderlyRollout(id: string, t0: Date, opts: { promptly: boolean }) {
    const advances = await eventsOf(id, 'release.advance');
    expect(await advancesOf(id)).toEqual([
      [1, 'running', 50],
      [2, 'running', 100],
      [2, 'promoted', 100],
    ]);
    expect(advances.every((e) => e.actorName === CONTROLLER)).toBe(true);
    expect(await eventsOf(id, 'release.promote')).toHaveLength(0);
    expect(await eventsOf(id, 'release.rollback')).toHaveLength(0);

    const starts = [t0, advances[0]!.occurredAt, advances[1]!.occurredAt];
    const runs = await runsOf(id);
    expect(new Set(runs.map((r) => r.intervalStart.getTime())).size).toBe(runs.length);
    for (const step of [0, 1]) {
      const left = advances[step]!.occurredAt.getTime();
      const held = left - starts[step]!.getTime();
      expect(held, `hold of step ${step}`).toBeGreaterThanOrEqual(20_000);
      // The controller moves on within an interval (plus the grace for late samples) of the hold ending.
      if (opts.promptly) expect(held, `hold of step ${step}`).toBeLessThanOrEqual((20 + INTERVAL_SECONDS + GRACE_SECONDS + 1) * 1000);
      const own = runs.filter((r) => r.step === step);
      expect(own.length, `analysed intervals of step ${step}`).toBeGreaterThanOrEqual(1);
      expect(own[0]!.intervalStart).toEqual(starts[step]);
      own.forEach((r, i) => {
        expect(r.intervalEnd.getTime() - r.intervalStart.getTime()).toBe(INTERVAL_SECONDS * 1000);
        if (i > 0) expect(r.intervalStart).toEqual(own[i - 1]!.intervalEnd);
        expect(r.intervalEnd.getTime()).toBeLessThanOrEqual(left);
      });
      expect(own.at(-1)!.verdict, `the verdict step ${step} advanced on`).toBe('pass');
    }
    expect(runs.filter((r) => r.verdict === 'fail').length).toBeLessThanOrEqual(ANALYSIS.failureLimit);
    expect(runs.filter((r) => r.step === 2)).toHaveLength(0); // the last step needs no analysis
    expect(advances[2]!.occurredAt.getTime()).toBeGreaterThanOrEqual(starts[2]!.getTime());
    return runs;
  }

  it('rolls a regressing canary back within three intervals, exactly once', async () => {
    const run = await scenario(REGRESSION, 101);
    for (let s = 1; s <= 3 * INTERVAL_SECONDS + GRACE_SECONDS && (await releaseRow(run.id)).state === 'running'; s++) await run.drive(s);

    const release = await releaseRow(run.id);
    expect(release).toMatchObject({ state: 'rolled_back', currentWeight: 0 });

    const rollbacks = await eventsOf(run.id, 'release.rollback');
    expect(rollbacks).toHaveLength(1);
    expect(rollbacks[0]).toMatchObject({ actorType: 'system', actorName: CONTROLLER, reason: expect.stringMatching(/^Automatic rollback/) });
    expect(rollbacks[0]!.reason).toContain('Last interval: Fail:');
    expect(rollbacks[0]!.occurredAt).toEqual(release.finishedAt);

    const opened = await incidentsOf(run.id);
    expect(opened).toHaveLength(1);
    expect(opened[0]).toMatchObject({ rolledBackBy: CONTROLLER, rolledBackAt: release.finishedAt });
    expect(await eventsOf(run.id, 'release.advance')).toHaveLength(0);

    const runs = await runsOf(run.id);
    expect(runs.length).toBeGreaterThanOrEqual(2); // failureLimit 1: one failed interval is tolerated
    expect(runs.length).toBeLessThanOrEqual(3);
    expect(runs.at(-1)!.verdict).toBe('fail');
    expect(runs.at(-1)!.summary).toMatch(/^Fail: error_rate failed \(critical\): error rate .* vs .*, p [=<] /);
    expect(runs.every((r) => r.step === 0)).toBe(true);

    // The router keeps reporting (the baseline takes everything now); the controller leaves the
    // release alone: no second rollback, incident or analysis.
    const before = await footprint(run.id);
    await run.drive(70);
    await run.tick(70);
    expect(await footprint(run.id)).toEqual(before);
  });

  it('advances a healthy canary after each hold with passing analysis and promotes it after the last step', async () => {
    const run = await scenario(HEALTHY, 202);
    await run.drive(19);
    expect(await releaseRow(run.id)).toMatchObject({ state: 'running', currentStep: 0, currentWeight: 10 }); // the hold of 20 s is not over
    for (let s = 20; s <= 90 && (await releaseRow(run.id)).state === 'running'; s++) await run.drive(s);

    const release = await releaseRow(run.id);
    expect(release).toMatchObject({ state: 'promoted', currentWeight: 100 });
    const runs = await expectOrderlyRollout(run.id, run.t0, { promptly: true });
    expect(runs.map((r) => r.verdict)).toEqual(runs.map(() => 'pass'));
    const advances = await eventsOf(run.id, 'release.advance');
    expect(advances.at(-1)!.occurredAt).toEqual(release.finishedAt);
    expect(advances.map((e) => e.reason)).toEqual(['Analysis pass and hold of 20 s over', 'Analysis pass and hold of 20 s over', 'Hold of 0 s over']);

    for (const [i, r] of runs.entries()) {
      const weight = r.step === 0 ? 10 : 50;
      // Ten seconds of traffic, split by the weight.
      const canaryN = INTERVAL_SECONDS * Math.round((HEALTHY.requestsPerSecond * weight) / 100);
      const baselineN = INTERVAL_SECONDS * HEALTHY.requestsPerSecond - canaryN;
      expect(r.score).toBe(100);
      expect(r.summary).toBe('Pass: score 100, 2 of 2 judged metrics passed');
      expect(r.evidence).toMatchObject({ split: { expected: weight, observed: weight, ok: true }, extendStep: false });
      const metrics = r.metrics as MetricVerdict[];
      expect(metrics.map((m) => [m.metric, m.outcome, m.test])).toEqual([
        ['error_rate', 'pass', 'two_proportion'],
        ['latency', 'pass', 'mann_whitney'],
      ]);
      for (const m of metrics) {
        for (const key of ['baseline', 'canary', 'difference', 'pValue', 'z']) expect(typeof m.numbers[key], `${m.metric}.${key} of run ${i}`).toBe('number');
        expect(m.numbers).toMatchObject({ n1: baselineN, n2: canaryN, minSamples: 200 });
      }
      const [errorRate, latency] = metrics;
      expect(errorRate!.reason).toMatch(/^error rate \d+\.\d+ % vs \d+\.\d+ %, [+−±]\d+(\.\d+)? %, allowed \+/);
      expect(errorRate!.numbers.baseline).toBeGreaterThan(0.005);
      expect(errorRate!.numbers.baseline).toBeLessThan(0.02);
      expect(latency!.reason).toMatch(/^p99 latency \d+(\.\d+)? ms vs \d+(\.\d+)? ms, [+−±]\d+(\.\d+)? %, allowed \+/);
    }
  });

  it('is restart safe: repeated, late and early ticks neither judge an interval twice nor skip or repeat a step', async () => {
    const run = await scenario(HEALTHY, 303);
    await run.drive(5);
    // The controller is down for half a minute while the router keeps reporting; the one that
    // starts catches up on every interval that ended meanwhile.
    await run.feed(35);
    await run.tick(35);
    expect(await releaseRow(run.id)).toMatchObject({ state: 'running', currentStep: 1, stepStartedAt: run.at(35) });
    expect((await runsOf(run.id)).map((r) => r.intervalStart)).toEqual([run.at(0), run.at(10), run.at(20)]);

    // A second instance (or a retried tick) with the same clock, then ones whose clocks lag
    // behind, back to an interval judged long ago.
    await run.tick(35);
    await run.tick(22);
    await run.tick(12);
    expect(await releaseRow(run.id)).toMatchObject({ state: 'running', currentStep: 1, stepStartedAt: run.at(35) });

    for (let s = 36; s <= 120 && (await releaseRow(run.id)).state === 'running'; s++) {
      await run.feed(s);
      await run.tick(s);
      await run.tick(s); // every tick twice
      if (s % 7 === 0) await run.tick(s - 13); // and now and then one from the past
    }
    for (const s of [40, 50, 120, 130]) await run.tick(s);

    expect(await releaseRow(run.id)).toMatchObject({ state: 'promoted', currentWeight: 100 });
    await expectOrderlyRollout(run.id, run.t0, { promptly: false });
    // The database holds the line as well: no interval has two verdicts.
    const [most] = rowsOf<{ n: number }>(
      await db.execute(
        sql`select count(*)::int as n from ${analysisRuns} where ${analysisRuns.releaseId} = ${run.id} group by ${analysisRuns.intervalStart} order by n desc limit 1`,
      ),
    );
    expect(most!.n).toBe(1);
  });

  it('waits at a manual gate however long the analysis passes, until a human advances', async () => {
    const run = await scenario(HEALTHY, 404, [{ weight: 10, holdSeconds: 20, analysisRequired: true, manualGate: true }, { weight: 100 }]);
    await run.drive(60);

    expect(await releaseRow(run.id)).toMatchObject({ state: 'running', currentStep: 0, currentWeight: 10 });
    expect(await eventsOf(run.id, 'release.advance')).toHaveLength(0);
    // Judged all along (a healthy canary may fail an interval by chance, within the tolerance).
    const runs = await runsOf(run.id);
    expect(runs.length).toBeGreaterThanOrEqual(4);
    expect(runs.filter((r) => r.verdict === 'fail').length).toBeLessThanOrEqual(ANALYSIS.failureLimit);
    expect(runs.filter((r) => r.verdict === 'pass').length).toBeGreaterThanOrEqual(3);

    await advanceRelease(as(lead, run.at(60)), { releaseId: run.id, reason: 'dashboards look fine' });
    expect(await releaseRow(run.id)).toMatchObject({ state: 'running', currentStep: 1, currentWeight: 100 });
    await run.drive(62);

    expect(await releaseRow(run.id)).toMatchObject({ state: 'promoted', currentWeight: 100 });
    const advances = await eventsOf(run.id, 'release.advance');
    expect(advances.map((e) => [e.actorName, (e.after as { state: string }).state, e.reason])).toEqual([
      [lead.name, 'running', 'dashboards look fine'],
      [CONTROLLER, 'promoted', 'Hold of 0 s over'],
    ]);
  });

  it('judges intervals without data inconclusive and pauses the release after the inconclusive limit', async () => {
    const run = await scenario(HEALTHY, 505);
    const limit = ANALYSIS.inconclusiveLimit; // 3
    await run.drive(limit * INTERVAL_SECONDS + GRACE_SECONDS, { traffic: false });
    // The hold is long over, the analysis is not: the controller neither advances nor gives up yet.
    expect(await releaseRow(run.id)).toMatchObject({ state: 'running', currentStep: 0 });
    expect((await runsOf(run.id)).map((r) => r.verdict)).toEqual(Array.from({ length: limit }, () => 'inconclusive'));
    await run.drive((limit + 1) * INTERVAL_SECONDS + GRACE_SECONDS, { traffic: false });

    expect(await releaseRow(run.id)).toMatchObject({ state: 'paused', currentStep: 0, currentWeight: 10 });
    const runs = await runsOf(run.id);
    expect(runs.map((r) => [r.verdict, r.score])).toEqual(Array.from({ length: limit + 1 }, () => ['inconclusive', null]));
    for (const r of runs) {
      expect(r.summary).toMatch(/^Inconclusive: no metric could be judged; error_rate had no data: no data on either side/);
      expect(r.evidence).toMatchObject({ extendStep: true, split: { observed: null } });
    }
    const pauses = await eventsOf(run.id, 'release.pause');
    expect(pauses).toHaveLength(1);
    expect(pauses[0]).toMatchObject({ actorName: CONTROLLER, reason: expect.stringMatching(/^Paused by the controller: 4 inconclusive intervals in a row/) });
    expect(await eventsOf(run.id, 'release.advance')).toHaveLength(0);
    expect(await eventsOf(run.id, 'release.rollback')).toHaveLength(0);

    // Paused is a human's call now: further ticks judge nothing.
    const before = await footprint(run.id);
    await run.drive(90, { traffic: false });
    expect(await footprint(run.id)).toEqual(before);
  });

  it('lets two concurrent ticks on one due rollback act once', async () => {
    const run = await scenario(REGRESSION, 606);
    await run.drive(INTERVAL_SECONDS * 2 - 1);
    expect((await runsOf(run.id)).map((r) => r.verdict)).toEqual(['fail']);
    // Both ticks find the second interval due; its failure is the second one, which rolls back.
    // One stores the verdict and rolls back; the other's rollback is an idempotent repeat.
    await run.feed(INTERVAL_SECONDS * 2 + GRACE_SECONDS);
    await racingTicks(run.t0, INTERVAL_SECONDS * 2 + GRACE_SECONDS);

    expect((await runsOf(run.id)).map((r) => [r.intervalStart, r.verdict])).toEqual([
      [run.at(0), 'fail'],
      [run.at(INTERVAL_SECONDS), 'fail'],
    ]);
    expect(await releaseRow(run.id)).toMatchObject({ state: 'rolled_back' });
    expect(await eventsOf(run.id, 'release.rollback')).toHaveLength(1);
    expect(await incidentsOf(run.id)).toHaveLength(1);
  });

  // Regression: two ticks that read the same row both advanced (the second skipped step 1). The
  // controller now says which step it advances from, and a tick that lost the analysis race stops.
  // racingTicks forces the interleaving.
  it('lets two concurrent ticks on one due advance make one analysis and at most one transition', async () => {
    const run = await scenario(HEALTHY, 707);
    await run.drive(INTERVAL_SECONDS * 2 - 1);
    expect((await runsOf(run.id)).map((r) => r.verdict)).toEqual(['pass']);
    // Both ticks find the second interval due and the hold over.
    await run.feed(INTERVAL_SECONDS * 2 + GRACE_SECONDS);
    await racingTicks(run.t0, INTERVAL_SECONDS * 2 + GRACE_SECONDS);

    expect((await runsOf(run.id)).map((r) => [r.step, r.intervalStart])).toEqual([
      [0, run.at(0)],
      [0, run.at(INTERVAL_SECONDS)],
    ]);
    expect(await advancesOf(run.id)).toEqual([[1, 'running', 50]]);
    expect(await releaseRow(run.id)).toMatchObject({ state: 'running', currentStep: 1, currentWeight: 50 });
  });

  // Regression: the hold was checked against the step start alone, so the advance came before the
  // hold's last interval was judged (it is judged a grace period after it ends).
  it('judges every interval of an analysed step’s hold before advancing', async () => {
    const run = await scenario(HEALTHY, 808);
    await run.drive(30);
    const [advance] = await eventsOf(run.id, 'release.advance');
    expect(advance).toBeDefined();
    const judged = (await runsOf(run.id)).filter((r) => r.step === 0).map((r) => [r.intervalStart, r.intervalEnd]);
    expect(judged).toEqual([
      [run.at(0), run.at(10)],
      [run.at(10), run.at(20)],
    ]);
    expect(advance!.occurredAt.getTime()).toBeGreaterThanOrEqual(run.at(20).getTime());
  });

  it.skipIf(name !== 'postgres')('elects exactly one leader among two controllers, and hands over when it lets go', async () => {
    // Advisory locks are per database: compete for this suite's own database.
    const [row] = rowsOf<{ name: string }>(await db.execute(sql`select current_database() as name`));
    const url = new URL(process.env.TEST_DATABASE_URL!);
    url.pathname = `/${row!.name}`;
    const config = parseConfig({ DATABASE_URL: url.toString() });
    const a = await leadership(config);
    const b = await leadership(config);
    try {
      const first = await Promise.all([a.isLeader(), b.isLeader()]);
      expect(first.filter(Boolean)).toHaveLength(1);
      // Leadership is sticky: asking again changes nothing.
      expect(await Promise.all([a.isLeader(), b.isLeader()])).toEqual(first);

      const [leader, follower] = first[0] ? [a, b] : [b, a];
      await leader.release();
      expect(await follower.isLeader()).toBe(true);
      expect(await leader.isLeader()).toBe(false); // the old leader comes back as a follower
    } finally {
      await a.release();
      await b.release();
    }
  });
});
