import { createHash } from 'node:crypto';
import { and, asc, count, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { approvals, auditEvents, environments, incidents, outbox, releases, releaseSteps, webhooks } from '@/db/schema';
import type { Database } from '@/db';
import type { DbHandle } from '@/db/client';
import { FOUR_EYES_MESSAGE } from '@/lib/domain/approval-evidence';
import type { FreezeWindow } from '@/lib/domain/freeze';
import { DEFAULT_PRODUCTION_PLAN, DEFAULT_STAGING_PLAN } from '@/lib/domain/release-plan';
import type { Actor, Role } from '@/lib/domain/roles';
import { liveVersions } from '@/lib/queries/deployability';
import { getRelease } from '@/lib/queries/releases';
import {
  abortRelease,
  advanceRelease,
  approveRelease,
  createEnvironment,
  createModel,
  pauseRelease,
  promoteRelease,
  registerVersion,
  rejectRelease,
  reportCheck,
  requestRelease,
  resumeRelease,
  rollbackRelease,
  rollbackToLastGood,
  startRelease,
  updatePolicy,
} from '@/lib/services';
import type { AppError } from '@/lib/services/errors';
import { openTestDatabase, targets } from '../support/test-db';
import { auditOf, failure, rowCounts, setUp, signedInUser, unique } from '../support/fixtures';

const sha256 = (text: string) => `sha256:${createHash('sha256').update(text).digest('hex')}`;
const HOUR = 3_600_000;


/** 10 → 50 → 100 %, no holds: every step is one explicit action away. */
const THREE_STEPS = [{ weight: 10 }, { weight: 50 }, { weight: 100 }];
const plainStep = (weight: number) => ({ weight, holdSeconds: 0, analysisRequired: false, manualGate: false });

describe.each(targets)('releases on $name', ({ name }) => {
  let handle: DbHandle;
  let db: Database;
  let lead: Actor;
  let reviewerA: Actor;
  let reviewerB: Actor;
  let oncall: Actor;
  beforeAll(async () => {
    handle = await openTestDatabase(name);
    db = handle.db;
    lead = await signedInUser(db, ['ml_lead']);
    reviewerA = await signedInUser(db, ['reviewer']);
    reviewerB = await signedInUser(db, ['reviewer']);
    oncall = await signedInUser(db, ['oncall']);
  });
  afterAll(async () => handle?.close());

  const as = (actor: Actor, now?: Date) => ({ actor, db, now });
  const users = async (count: number, roles: Role[]) => {
    const list: Actor[] = [];
    for (let i = 0; i < count; i++) list.push(await signedInUser(db, roles));
    return list;
  };

  // --- fixtures -------------------------------------------------------------------------------

  async function newModel() {
    const model = await createModel(setUp(db), { name: `fraud-${unique()}`, ownerTeam: 'risk-ml' });
    return { name: model.name, id: model.id };
  }

  async function register(model: string, version: string) {
    const { version: row } = await registerVersion(as(lead), {
      model,
      version,
      artifactUri: `s3://ml-artifacts/${model}/${version}/model.tar.gz`,
      artifactDigest: sha256(`${model}@${version}`),
    });
    return row;
  }

  type EnvOptions = { requiredApprovals?: number; requiredChecks?: ('unit' | 'smoke')[]; rank?: number; approvalTtlHours?: number; defaultPlan?: unknown };
  async function newEnvironment(opts: EnvOptions = {}) {
    const env = await createEnvironment(setUp(db), { name: `env-${unique()}`, rank: opts.rank ?? 1, policy: { requiredChecks: opts.requiredChecks ?? [], thresholds: {} } });
    await db
      .update(environments)
      .set({
        requiredApprovals: opts.requiredApprovals ?? 0,
        ...(opts.approvalTtlHours !== undefined && { approvalTtlHours: opts.approvalTtlHours }),
        ...(opts.defaultPlan !== undefined && { defaultPlan: opts.defaultPlan }),
      })
      .where(eq(environments.id, env.id));
    return env.name;
  }

  const freeze = (environment: string, windows: FreezeWindow[]) => db.update(environments).set({ freezeWindows: windows }).where(eq(environments.name, environment));

  /** A model with version 1.0.0, an environment, and a release of 1.0.0 requested there by the ML lead. */
  async function requested(opts: EnvOptions & { plan?: unknown; requester?: Actor; now?: Date } = {}) {
    const model = await newModel();
    const version = await register(model.name, '1.0.0');
    const environment = await newEnvironment(opts);
    const release = await requestRelease(as(opts.requester ?? lead, opts.now), {
      model: model.name,
      version: '1.0.0',
      environment,
      strategy: 'canary',
      plan: opts.plan ?? THREE_STEPS,
    });
    return { model, version, environment, release };
  }

  async function running(opts: EnvOptions = {}) {
    const setup = await requested(opts);
    await startRelease(as(lead), { releaseId: setup.release.id });
    return setup;
  }

  const releaseRow = async (id: string) => (await db.select().from(releases).where(eq(releases.id, id)))[0]!;
  const stepsOf = (id: string) =>
    db
      .select({ weight: releaseSteps.weight, holdSeconds: releaseSteps.holdSeconds, analysisRequired: releaseSteps.analysisRequired, manualGate: releaseSteps.manualGate })
      .from(releaseSteps)
      .where(eq(releaseSteps.releaseId, id))
      .orderBy(asc(releaseSteps.position));
  const actionsOf = async (id: string) => (await auditOf(db, id)).map((e) => e.action);
  const incidentsOf = (id: string) => db.select().from(incidents).where(eq(incidents.releaseId, id));
  const approvalsOf = (id: string) => db.select().from(approvals).where(eq(approvals.releaseId, id));
  const releasesOfModel = (modelId: string) => db.select().from(releases).where(eq(releases.modelId, modelId));
  const liveIn = async (modelId: string, environment: string) => (await liveVersions(db, [modelId])).get(modelId)?.get(environment) ?? null;
  const outboxFor = async (webhookId: string) => db.select().from(outbox).where(eq(outbox.webhookId, webhookId)).orderBy(asc(outbox.id));
  const countWhere = async (action: string, targetId: string) =>
    (await db.select({ n: count() }).from(auditEvents).where(and(eq(auditEvents.action, action), eq(auditEvents.targetId, targetId))))[0]!.n;

  /** Requests, starts and promotes `version` at `at`: what a finished release leaves behind. */
  async function promoteAt(model: string, version: string, environment: string, at: Date) {
    const release = await requestRelease(as(lead, at), { model, version, environment, strategy: 'immediate' });
    await startRelease(as(lead, at), { releaseId: release.id });
    await promoteRelease(as(lead, at), { releaseId: release.id });
    return release;
  }

  // --- request --------------------------------------------------------------------------------

  describe('requestRelease', () => {
    it('refuses a version that misses a required check, naming the gate, and accepts it once the check passed', async () => {
      const model = await newModel();
      await register(model.name, '1.0.0');
      const environment = await newEnvironment({ requiredChecks: ['unit'] });
      const input = { model: model.name, version: '1.0.0', environment, strategy: 'canary', plan: THREE_STEPS };
      const before = await rowCounts(db);

      const missing = await failure(requestRelease(as(lead), input));
      expect(missing).toMatchObject({
        code: 'conflict',
        message: expect.stringContaining(`is not deployable to ${environment}: unit: no result reported yet`),
        details: { unmet: [{ kind: 'unit', reason: 'unit: no result reported yet' }] },
      });
      expect(await rowCounts(db)).toEqual(before);

      await reportCheck(as(lead), { model: model.name, version: '1.0.0', kind: 'unit', status: 'failed' });
      expect(await failure(requestRelease(as(lead), input))).toMatchObject({ code: 'conflict', message: expect.stringContaining('unit: failed') });
      expect(await releasesOfModel(model.id)).toHaveLength(0);

      await reportCheck(as(lead), { model: model.name, version: '1.0.0', kind: 'unit', status: 'passed', measurements: { tests: 12 } });
      const release = await requestRelease(as(lead), input);
      expect(release).toMatchObject({ state: 'approved', requestedBy: lead.name, requestedById: lead.id, requestedByUserId: lead.id });
    });

    it('allows one release in flight per model and environment', async () => {
      const { model, environment, release } = await requested();
      await register(model.name, '1.1.0');
      const second = { model: model.name, version: '1.1.0', environment, strategy: 'canary', plan: THREE_STEPS };
      const before = await rowCounts(db);

      const error = await failure(requestRelease(as(lead), second));
      expect(error).toMatchObject({ code: 'conflict', message: expect.stringContaining(`already has a release in ${environment}`), details: { releaseId: release.id } });
      expect(await rowCounts(db)).toEqual(before);

      // Another environment is another slot.
      const elsewhere = await newEnvironment();
      await expect(requestRelease(as(lead), { ...second, environment: elsewhere })).resolves.toMatchObject({ state: 'approved' });

      // Once the first release has ended, the slot is free again.
      await abortRelease(as(lead), { releaseId: release.id, reason: 'superseded' });
      await expect(requestRelease(as(lead), second)).resolves.toMatchObject({ state: 'approved' });
    });

    it('lets exactly one of several concurrent requests for one model and environment through', async () => {
      const model = await newModel();
      await register(model.name, '1.0.0');
      const environment = await newEnvironment();
      const results = await Promise.allSettled(
        Array.from({ length: 8 }, () => requestRelease(as(lead), { model: model.name, version: '1.0.0', environment, strategy: 'canary', plan: THREE_STEPS })),
      );
      expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
      for (const r of results.filter((r): r is PromiseRejectedResult => r.status === 'rejected')) expect(r.reason).toMatchObject({ code: 'conflict' });
      expect(await releasesOfModel(model.id)).toHaveLength(1);
    });

    it.each([
      { label: 'the plan given in the input', env: {}, strategy: 'canary', plan: THREE_STEPS, expected: THREE_STEPS.map((s) => plainStep(s.weight)) },
      { label: "the staging default for a canary into a low-rank environment", env: { rank: 1 }, strategy: 'canary', expected: DEFAULT_STAGING_PLAN },
      { label: 'the production default for a canary into a rank-2 environment', env: { rank: 2 }, strategy: 'canary', expected: DEFAULT_PRODUCTION_PLAN },
      {
        label: "the environment's own default plan",
        env: { rank: 2, defaultPlan: [{ weight: 20, holdSeconds: 30 }, { weight: 100 }] },
        strategy: 'canary',
        expected: [{ ...plainStep(20), holdSeconds: 30 }, plainStep(100)],
      },
      { label: 'one step at 100 % for an immediate release', env: { rank: 2 }, strategy: 'immediate', expected: [plainStep(100)] },
      { label: 'a 0 % preview behind a manual gate for blue/green', env: {}, strategy: 'blue_green', expected: [{ ...plainStep(0), manualGate: true }, plainStep(100)] },
    ])('stores $label', async ({ env, strategy, plan, expected }) => {
      const model = await newModel();
      await register(model.name, '1.0.0');
      const environment = await newEnvironment(env);
      const release = await requestRelease(as(lead), { model: model.name, version: '1.0.0', environment, strategy, ...(plan && { plan }) });
      expect(await stepsOf(release.id)).toEqual(expected);
      expect(release).toMatchObject({ strategy, currentStep: 0, currentWeight: 0, baselineVersionId: null });
      const [event] = await auditOf(db, release.id);
      expect(event).toMatchObject({ action: 'release.request', actorId: lead.id, after: { strategy, plan: expected, baseline: null, state: 'approved' } });
    });

    it('starts approved without required approvals and pending with them, and audits the request', async () => {
      const open = await requested({ requiredApprovals: 0 });
      const guarded = await requested({ requiredApprovals: 1 });
      expect((await releaseRow(open.release.id)).state).toBe('approved');
      expect((await releaseRow(guarded.release.id)).state).toBe('pending_approval');

      const events = await auditOf(db, guarded.release.id);
      expect(events).toHaveLength(1);
      expect(events[0]).toMatchObject({
        action: 'release.request',
        actorType: 'user',
        actorId: lead.id,
        targetType: 'release',
        before: null,
        after: { model: guarded.model.name, version: '1.0.0', environment: guarded.environment, strategy: 'canary', baseline: null, state: 'pending_approval' },
      });
    });

    it('takes the version promoted in the environment as the baseline and refuses to release it again', async () => {
      const model = await newModel();
      const v1 = await register(model.name, '1.0.0');
      await register(model.name, '1.1.0');
      const environment = await newEnvironment();
      await promoteAt(model.name, '1.0.0', environment, new Date(Date.now() - HOUR));

      const next = await requestRelease(as(lead), { model: model.name, version: '1.1.0', environment, strategy: 'canary', plan: THREE_STEPS });
      expect(next.baselineVersionId).toBe(v1.id);
      expect((await auditOf(db, next.id))[0]!.after).toMatchObject({ baseline: '1.0.0' });
      await abortRelease(as(lead), { releaseId: next.id });

      const again = await failure(requestRelease(as(lead), { model: model.name, version: '1.0.0', environment, strategy: 'immediate' }));
      expect(again).toMatchObject({ code: 'conflict', message: expect.stringContaining(`already runs in ${environment}`) });
    });

    describe('split releases', () => {
      const SPLIT = { versions: [{ version: '1.0.0', weight: 80 }, { version: '1.1.0', weight: 20 }], segments: [{ match: { kind: 'header', name: 'x-cohort', value: 'beta' }, version: '1.1.0' }] };

      async function splitSetup() {
        const model = await newModel();
        await register(model.name, '1.0.0');
        await register(model.name, '1.1.0');
        return { model, environment: await newEnvironment() };
      }

      it('needs `split` with the split strategy, and refuses it with any other', async () => {
        const { model, environment } = await splitSetup();
        const before = await rowCounts(db);
        const withoutSplit = await failure(requestRelease(as(lead), { model: model.name, version: '1.1.0', environment, strategy: 'split' }));
        expect(withoutSplit).toMatchObject({ code: 'invalid', details: { fields: { split: [expect.stringContaining('A split release needs `split`')] } } });
        const canaryWithSplit = await failure(requestRelease(as(lead), { model: model.name, version: '1.1.0', environment, strategy: 'canary', split: SPLIT }));
        expect(canaryWithSplit).toMatchObject({ code: 'invalid', details: { fields: { split: [expect.any(String)] } } });
        expect(await rowCounts(db)).toEqual(before);
      });

      it('refuses a split naming a version that is not registered', async () => {
        const { model, environment } = await splitSetup();
        const before = await rowCounts(db);
        const split = { versions: [{ version: '1.1.0', weight: 50 }, { version: '9.9.9', weight: 50 }] };
        const error = await failure(requestRelease(as(lead), { model: model.name, version: '1.1.0', environment, strategy: 'split', split }));
        expect(error).toMatchObject({ code: 'invalid', details: { fields: { split: ['Unknown versions: 9.9.9'] } } });
        expect(await rowCounts(db)).toEqual(before);
      });

      it('stores the routing of a valid split with a single 100 % step', async () => {
        const { model, environment } = await splitSetup();
        const release = await requestRelease(as(lead), { model: model.name, version: '1.1.0', environment, strategy: 'split', split: SPLIT });
        expect((await releaseRow(release.id)).routing).toEqual(SPLIT);
        expect(await stepsOf(release.id)).toEqual([plainStep(100)]);
      });
    });
  });

  // --- approvals ------------------------------------------------------------------------------

  describe('approveRelease and rejectRelease', () => {
    it('never lets the requester approve their own release, even holding the reviewer role', async () => {
      const leadReviewer = await signedInUser(db, ['ml_lead', 'reviewer']);
      const { release } = await requested({ requiredApprovals: 1, requester: leadReviewer });
      const before = await rowCounts(db);

      const error = await failure(approveRelease(as(leadReviewer), { releaseId: release.id, comment: 'lgtm' }));
      expect(error).toMatchObject({ code: 'forbidden', message: FOUR_EYES_MESSAGE });
      expect(await rowCounts(db)).toEqual(before);
      expect(await approvalsOf(release.id)).toHaveLength(0);
      expect((await releaseRow(release.id)).state).toBe('pending_approval');

      await approveRelease(as(reviewerA), { releaseId: release.id, comment: 'lgtm' });
      expect((await releaseRow(release.id)).state).toBe('approved');
    });

    it('needs two DISTINCT reviewers when two approvals are required; a repeat does not count twice', async () => {
      const { release } = await requested({ requiredApprovals: 2 });

      const first = await approveRelease(as(reviewerA), { releaseId: release.id, comment: 'numbers look fine' });
      expect(first).toMatchObject({ changed: false, note: '1 of 2 approvals' });
      const repeat = await approveRelease(as(reviewerA), { releaseId: release.id, comment: 'really, they do' });
      expect(repeat).toMatchObject({ changed: false, note: '1 of 2 approvals' });
      expect((await releaseRow(release.id)).state).toBe('pending_approval');
      // The repeat replaced the first approval rather than adding a second one.
      expect(await approvalsOf(release.id)).toMatchObject([{ reviewerId: reviewerA.id, decision: 'approve', comment: 'really, they do' }]);

      const second = await approveRelease(as(reviewerB), { releaseId: release.id, comment: 'agreed' });
      expect(second).toMatchObject({ changed: true, release: { state: 'approved' } });
      expect(await approvalsOf(release.id)).toHaveLength(2);
      expect(await actionsOf(release.id)).toEqual(['release.request', 'release.approval', 'release.approval', 'release.approval', 'release.approve']);
      const events = await auditOf(db, release.id);
      expect(events[4]).toMatchObject({ actorId: reviewerB.id, before: { state: 'pending_approval' }, after: { state: 'approved' }, reason: 'agreed' });
    });

    it('needs a comment to reject, and a rejection ends the release', async () => {
      const { model, environment, release } = await requested({ requiredApprovals: 1 });
      const before = await rowCounts(db);
      const bare = await failure(rejectRelease(as(reviewerA), { releaseId: release.id, comment: '  ' }));
      expect(bare).toMatchObject({ code: 'invalid', details: { fields: { comment: ['Say why you reject it'] } } });
      expect(await rowCounts(db)).toEqual(before);

      const at = new Date();
      const rejected = await rejectRelease(as(reviewerA, at), { releaseId: release.id, comment: 'latency regression on the EU shard' });
      expect(rejected).toMatchObject({ changed: true });
      const row = await releaseRow(release.id);
      expect(row).toMatchObject({ state: 'rejected', currentWeight: 0 });
      expect(row.finishedAt?.getTime()).toBe(at.getTime());
      expect(await approvalsOf(release.id)).toMatchObject([{ reviewerId: reviewerA.id, decision: 'reject', comment: 'latency regression on the EU shard' }]);
      expect(await actionsOf(release.id)).toEqual(['release.request', 'release.rejection', 'release.reject']);

      // It is over: no approval revives it, and the environment is free for a new request.
      expect(await failure(approveRelease(as(reviewerB), { releaseId: release.id }))).toMatchObject({ code: 'conflict' });
      expect((await releaseRow(release.id)).state).toBe('rejected');
      await expect(requestRelease(as(lead), { model: model.name, version: '1.0.0', environment, strategy: 'immediate' })).resolves.toMatchObject({ state: 'pending_approval' });
    });
  });

  // --- evidence-bound approvals ---------------------------------------------------------------

  describe('approvals bound to evidence', () => {
    /** A release of a version with a passed unit check, into an environment requiring it and one approval, approved by reviewer A. */
    async function approvedOnEvidence() {
      const model = await newModel();
      await register(model.name, '1.0.0');
      await reportCheck(as(lead), { model: model.name, version: '1.0.0', kind: 'unit', status: 'passed', measurements: { tests: 10 } });
      const environment = await newEnvironment({ requiredApprovals: 1, requiredChecks: ['unit'] });
      const release = await requestRelease(as(lead), { model: model.name, version: '1.0.0', environment, strategy: 'canary', plan: THREE_STEPS });
      await approveRelease(as(reviewerA), { releaseId: release.id, comment: 'checked the report' });
      expect((await releaseRow(release.id)).state).toBe('approved');
      return { model: model.name, environment, release };
    }

    it.each([
      { label: 'a re-run check changes a measurement', change: (m: string) => reportCheck(as(lead), { model: m, version: '1.0.0', kind: 'unit', status: 'passed', measurements: { tests: 11 } }) },
      { label: 'a new check kind is reported', change: (m: string) => reportCheck(as(lead), { model: m, version: '1.0.0', kind: 'smoke', status: 'passed' }) },
      {
        label: "the environment's policy is edited",
        change: (_: string, environment: string) => updatePolicy(setUp(db), { environment, policy: { requiredChecks: ['unit'], thresholds: { unit: [{ metric: 'tests', threshold: 1, greaterIsBetter: true }] } } }),
      },
    ])('refuses to start when $label after the approval, and starts once the reviewer approves again', async ({ change }) => {
      const { model, environment, release } = await approvedOnEvidence();
      await change(model, environment);

      const before = await rowCounts(db);
      const error = await failure(startRelease(as(lead), { releaseId: release.id }));
      expect(error).toMatchObject({ code: 'conflict', message: expect.stringMatching(/^Only 0 of 1 required approvals are still valid: .*void when the version's gate results/) });
      expect(await rowCounts(db)).toEqual(before);
      expect((await releaseRow(release.id)).state).toBe('approved');

      await approveRelease(as(reviewerA), { releaseId: release.id, comment: 'seen the new results' });
      await expect(startRelease(as(lead), { releaseId: release.id })).resolves.toMatchObject({ changed: true, release: { state: 'running', currentWeight: 10 } });
    });

    it('refuses to start once the approval has expired (environments.approval_ttl_hours)', async () => {
      const t0 = new Date('2031-03-03T09:00:00.000Z');
      const { release } = await requested({ requiredApprovals: 1, approvalTtlHours: 1, now: t0 });
      await approveRelease(as(reviewerA, t0), { releaseId: release.id, comment: 'ok for an hour' });
      const [approval] = await approvalsOf(release.id);
      expect(approval!.expiresAt?.toISOString()).toBe('2031-03-03T10:00:00.000Z');

      // The expiry instant is the first at which it no longer counts.
      const error = await failure(startRelease(as(lead, new Date(t0.getTime() + HOUR)), { releaseId: release.id }));
      expect(error).toMatchObject({ code: 'conflict', message: expect.stringContaining('Only 0 of 1 required approvals are still valid') });
      expect((await releaseRow(release.id)).state).toBe('approved');

      const later = new Date(t0.getTime() + 2 * HOUR);
      await approveRelease(as(reviewerA, later), { releaseId: release.id, comment: 'renewed' });
      await expect(startRelease(as(lead, new Date(later.getTime() + 60_000)), { releaseId: release.id })).resolves.toMatchObject({ changed: true });
    });
  });

  // --- lifecycle ------------------------------------------------------------------------------

  describe('the rollout', () => {
    it('goes start → advance → pause → resume → promote, weights following the plan, and the version becomes live', async () => {
      const { model, version, environment, release } = await requested();
      const t = (minutes: number) => new Date(Date.parse('2031-05-01T08:00:00.000Z') + minutes * 60_000);

      const started = await startRelease(as(lead, t(0)), { releaseId: release.id });
      expect(started).toMatchObject({ changed: true, release: { state: 'running', currentStep: 0, currentWeight: 10, routingRevision: 1 } });
      expect(started.release.startedAt?.toISOString()).toBe(t(0).toISOString());

      const advanced = await advanceRelease(as(oncall, t(5)), { releaseId: release.id });
      expect(advanced.release).toMatchObject({ state: 'running', currentStep: 1, currentWeight: 50, routingRevision: 2 });
      expect(advanced.release.stepStartedAt?.toISOString()).toBe(t(5).toISOString());

      await pauseRelease(as(oncall, t(6)), { releaseId: release.id, reason: 'looking at a dashboard' });
      expect(await releaseRow(release.id)).toMatchObject({ state: 'paused', currentStep: 1, currentWeight: 50 });
      expect(await failure(advanceRelease(as(lead, t(7)), { releaseId: release.id }))).toMatchObject({ code: 'conflict', message: expect.stringContaining('resume it first') });

      await resumeRelease(as(lead, t(8)), { releaseId: release.id });
      expect(await releaseRow(release.id)).toMatchObject({ state: 'running', currentStep: 1, currentWeight: 50 });

      const promoted = await promoteRelease(as(lead, t(9)), { releaseId: release.id });
      expect(promoted.release).toMatchObject({ state: 'promoted', currentWeight: 100 });
      expect(promoted.release.finishedAt?.toISOString()).toBe(t(9).toISOString());

      expect(await actionsOf(release.id)).toEqual(['release.request', 'release.start', 'release.advance', 'release.pause', 'release.resume', 'release.promote']);
      const events = await auditOf(db, release.id);
      expect(events[3]).toMatchObject({ actorId: oncall.id, reason: 'looking at a dashboard', before: { state: 'running', step: 1, weight: 50 }, after: { state: 'paused', weight: 50 } });
      expect(events[5]).toMatchObject({ before: { state: 'running', weight: 50 }, after: { state: 'promoted', weight: 100, model: model.name, version: '1.0.0', environment } });

      expect(await liveIn(model.id, environment)).toMatchObject({ versionId: version.id, version: '1.0.0' });
      await register(model.name, '1.1.0');
      const next = await requestRelease(as(lead), { model: model.name, version: '1.1.0', environment, strategy: 'canary', plan: THREE_STEPS });
      expect(next.baselineVersionId).toBe(version.id);
    });

    it('promotes when advancing past the last step', async () => {
      const { release } = await requested({ plan: [{ weight: 25 }, { weight: 100 }] });
      await startRelease(as(lead), { releaseId: release.id });
      expect((await advanceRelease(as(lead), { releaseId: release.id })).release).toMatchObject({ state: 'running', currentStep: 1, currentWeight: 100 });
      expect((await advanceRelease(as(lead), { releaseId: release.id })).release).toMatchObject({ state: 'promoted', currentWeight: 100 });
    });

    it('answers a repeat with the current state and writes nothing; refuses what the state does not allow', async () => {
      const { release } = await requested({ requiredApprovals: 1 });
      expect(await failure(startRelease(as(lead), { releaseId: release.id }))).toMatchObject({ code: 'conflict', details: { state: 'pending_approval' } });
      await approveRelease(as(reviewerA), { releaseId: release.id });
      await startRelease(as(lead), { releaseId: release.id });
      await pauseRelease(as(lead), { releaseId: release.id });
      const before = await rowCounts(db);
      expect(await pauseRelease(as(oncall), { releaseId: release.id })).toMatchObject({ changed: false, note: 'already paused', release: { state: 'paused' } });
      expect(await rowCounts(db)).toEqual(before);
      expect(await failure(startRelease(as(lead), { releaseId: release.id }))).toMatchObject({ code: 'conflict', message: expect.stringContaining('already started') });
    });
  });

  // --- rollback -------------------------------------------------------------------------------

  describe('rollbackRelease', () => {
    it('needs a reason and stores nothing without one', async () => {
      const { release } = await running();
      const before = await rowCounts(db);
      for (const input of [{ releaseId: release.id }, { releaseId: release.id, reason: ' x ' }]) {
        const error = await failure(rollbackRelease(as(oncall), input));
        expect(error).toMatchObject({ code: 'invalid', details: { fields: { reason: [expect.any(String)] } } });
      }
      expect(await rowCounts(db)).toEqual(before);
      expect(await incidentsOf(release.id)).toHaveLength(0);
      expect((await releaseRow(release.id)).state).toBe('running');
    });

    it('takes all traffic off the candidate at once, ends the release, opens one incident and audits both', async () => {
      const { model, environment, release } = await running();
      await advanceRelease(as(lead), { releaseId: release.id });
      const at = new Date();
      // What the release page and GET /api/v1/releases/{id} show, before and after.
      await expect(getRelease(as(lead), release.id)).resolves.toMatchObject({ state: 'running', currentWeight: 50, incident: null, inFlight: true, approvals: [] });

      const result = await rollbackRelease(as(oncall, at), { releaseId: release.id, reason: 'error rate doubled' });
      expect(result).toMatchObject({ changed: true, incidentId: expect.any(String), release: { state: 'rolled_back', currentWeight: 0 } });

      const row = await releaseRow(release.id);
      expect(row).toMatchObject({ state: 'rolled_back', currentWeight: 0, currentStep: 1 });
      expect(row.finishedAt?.getTime()).toBe(at.getTime());

      const opened = await incidentsOf(release.id);
      expect(opened).toHaveLength(1);
      expect(opened[0]).toMatchObject({ id: result.incidentId, state: 'open', rolledBackBy: oncall.name, title: `Rollback of ${model.name} 1.0.0 in ${environment}` });
      expect(opened[0]!.rolledBackAt?.getTime()).toBe(at.getTime());

      const rollbacks = (await auditOf(db, release.id)).filter((e) => e.action === 'release.rollback');
      expect(rollbacks).toHaveLength(1);
      expect(rollbacks[0]).toMatchObject({ actorId: oncall.id, reason: 'error rate doubled', before: { state: 'running', step: 1, weight: 50 }, after: { state: 'rolled_back', weight: 0 } });
      const shown = await getRelease(as(lead), release.id);
      expect(shown).toMatchObject({ id: release.id, model: model.name, version: '1.0.0', environment, state: 'rolled_back', currentWeight: 0, inFlight: false, routingRevision: row.routingRevision });
      expect(shown.incident).toMatchObject({ id: result.incidentId, title: opened[0]!.title, rolledBackBy: oncall.name });
      expect(shown.steps.map((s) => s.weight)).toEqual(THREE_STEPS.map((s) => s.weight));
      expect(shown.finishedAt?.getTime()).toBe(at.getTime());
      const incidentEvents = await auditOf(db, result.incidentId!);
      expect(incidentEvents).toHaveLength(1);
      expect(incidentEvents[0]).toMatchObject({ action: 'incident.open', targetType: 'incident', reason: 'error rate doubled', after: { releaseId: release.id } });

      // A rolled-back release is over: the next request may go ahead.
      await expect(requestRelease(as(lead), { model: model.name, version: '1.0.0', environment, strategy: 'immediate' })).resolves.toMatchObject({ state: 'approved' });
    });

    it('rolls back a paused release, and refuses one that never started', async () => {
      const paused = await running();
      await pauseRelease(as(lead), { releaseId: paused.release.id });
      await expect(rollbackRelease(as(oncall), { releaseId: paused.release.id, reason: 'bad canary' })).resolves.toMatchObject({ changed: true, release: { state: 'rolled_back' } });

      const approved = await requested();
      expect(await failure(rollbackRelease(as(oncall), { releaseId: approved.release.id, reason: 'bad canary' }))).toMatchObject({ code: 'conflict', details: { state: 'approved' } });
      expect(await incidentsOf(approved.release.id)).toHaveLength(0);
    });
  });

  // --- concurrency ----------------------------------------------------------------------------

  describe('concurrency', () => {
    it('50 concurrent rollbacks of one release: all resolve, exactly one changes it, one audit event, one incident', async () => {
      const { release } = await running();
      const engineers = await users(50, ['oncall']);

      const results = await Promise.all(engineers.map((actor, i) => rollbackRelease(as(actor), { releaseId: release.id, reason: `pager fired (${i})` })));
      const winners = results.filter((r) => r.changed);
      expect(winners).toHaveLength(1);
      for (const r of results.filter((r) => !r.changed)) expect(r).toMatchObject({ changed: false, note: 'already rolled back', release: { state: 'rolled_back', currentWeight: 0 } });

      expect(await releaseRow(release.id)).toMatchObject({ state: 'rolled_back', currentWeight: 0 });
      expect(await countWhere('release.rollback', release.id)).toBe(1);
      const opened = await incidentsOf(release.id);
      expect(opened).toHaveLength(1);
      expect(opened[0]!.id).toBe(winners[0]!.incidentId);
      expect(await countWhere('incident.open', opened[0]!.id)).toBe(1);
    });

    it('rollback racing promote: never both, never promoted after a successful rollback', async () => {
      const outcomes = { rollback: 0, promote: 0 };
      for (let i = 0; i < 10; i++) {
        const { release } = await running();
        const rollback = () => rollbackRelease(as(oncall), { releaseId: release.id, reason: 'latency spike' });
        const promote = () => promoteRelease(as(lead), { releaseId: release.id });
        // Alternate who is sent first, so both orders are exercised.
        const [r, p] = i % 2 === 0 ? await Promise.allSettled([rollback(), promote()]) : (await Promise.allSettled([promote(), rollback()])).reverse();

        expect([r!.status, p!.status].sort()).toEqual(['fulfilled', 'rejected']);
        const row = await releaseRow(release.id);
        if (r!.status === 'fulfilled') {
          outcomes.rollback += 1;
          expect(row.state).toBe('rolled_back');
          expect((p as PromiseRejectedResult).reason).toMatchObject({ code: 'conflict', details: { state: 'rolled_back', reason: 'illegal_transition' } });
          expect(await incidentsOf(release.id)).toHaveLength(1);
        } else {
          outcomes.promote += 1;
          expect(row.state).toBe('promoted');
          expect((r as PromiseRejectedResult).reason).toMatchObject({ code: 'conflict', details: { state: 'promoted', reason: 'illegal_transition' } });
          expect(await incidentsOf(release.id)).toHaveLength(0);
        }
        expect((await countWhere('release.rollback', release.id)) + (await countWhere('release.promote', release.id))).toBe(1);
      }
      expect(outcomes.rollback + outcomes.promote).toBe(10);
    });

    it('approve racing rollback never leaves a rolled-back release approved or running', async () => {
      for (let i = 0; i < 5; i++) {
        // Running (approved by A, started): a late approval from B must not bring anything back.
        const { release } = await requested({ requiredApprovals: 1 });
        await approveRelease(as(reviewerA), { releaseId: release.id });
        await startRelease(as(lead), { releaseId: release.id });
        const [approve, rollback] = await Promise.allSettled([
          approveRelease(as(reviewerB), { releaseId: release.id, comment: 'late' }),
          rollbackRelease(as(oncall), { releaseId: release.id, reason: 'drift alarm' }),
        ]);
        expect(rollback).toMatchObject({ status: 'fulfilled', value: { changed: true } });
        expect(approve).toMatchObject({ status: 'rejected', reason: { code: 'conflict' } });
        expect((await releaseRow(release.id)).state).toBe('rolled_back');
        expect((await approvalsOf(release.id)).map((a) => a.reviewerId)).toEqual([reviewerA.id]);

        // Waiting for approval: a rollback has nothing to roll back; the approval goes through.
        const pending = await requested({ requiredApprovals: 1 });
        const [approved, refused] = await Promise.allSettled([
          approveRelease(as(reviewerA), { releaseId: pending.release.id }),
          rollbackRelease(as(oncall), { releaseId: pending.release.id, reason: 'drift alarm' }),
        ]);
        expect(approved).toMatchObject({ status: 'fulfilled', value: { changed: true } });
        expect(refused).toMatchObject({ status: 'rejected', reason: { code: 'conflict', details: { reason: 'illegal_transition' } } });
        expect((await releaseRow(pending.release.id)).state).toBe('approved');
        expect(await incidentsOf(pending.release.id)).toHaveLength(0);
      }
    });

    it('concurrent starts start a release once', async () => {
      const { release } = await requested();
      const results = await Promise.all(Array.from({ length: 10 }, () => startRelease(as(lead), { releaseId: release.id }).catch((e: AppError) => e)));
      // The first start wins; the rest find it running ("already started" is a conflict, not a repeat).
      expect(results.filter((r) => 'changed' in r && r.changed)).toHaveLength(1);
      for (const r of results.filter((r) => !('changed' in r))) expect(r).toMatchObject({ code: 'conflict', message: expect.stringContaining('already started') });
      expect(await countWhere('release.start', release.id)).toBe(1);
      expect(await releaseRow(release.id)).toMatchObject({ state: 'running', routingRevision: 1 });
    });

    it('concurrent approvals from many reviewers approve the release once', async () => {
      const { release } = await requested({ requiredApprovals: 2 });
      const reviewers = await users(10, ['reviewer']);
      const results = await Promise.all(reviewers.map((actor) => approveRelease(as(actor), { releaseId: release.id })));
      expect(results.filter((r) => r.changed)).toHaveLength(1);
      expect((await releaseRow(release.id)).state).toBe('approved');
      expect(await countWhere('release.approve', release.id)).toBe(1);
      expect(await countWhere('release.approval', release.id)).toBe(10);
      expect(await approvalsOf(release.id)).toHaveLength(10);
    });
  });

  // --- freeze windows -------------------------------------------------------------------------

  describe('freeze windows', () => {
    it('refuses request, start, advance, promote and resume inside a window; allows pause, abort and rollback', async () => {
      const now = Date.now();
      const window: FreezeWindow = { start: new Date(now - HOUR).toISOString(), end: new Date(now + HOUR).toISOString(), reason: 'Black Friday' };
      const environment = await newEnvironment();
      const operated = await newModel();
      await register(operated.name, '1.0.0');
      const active = await requestRelease(as(lead), { model: operated.name, version: '1.0.0', environment, strategy: 'canary', plan: THREE_STEPS });
      await startRelease(as(lead), { releaseId: active.id });
      const waiting = await newModel();
      await register(waiting.name, '1.0.0');
      const notStarted = await requestRelease(as(lead), { model: waiting.name, version: '1.0.0', environment, strategy: 'canary', plan: THREE_STEPS });
      const fresh = await newModel();
      await register(fresh.name, '1.0.0');
      await freeze(environment, [window]);
      const before = await rowCounts(db);

      const request = await failure(requestRelease(as(lead), { model: fresh.name, version: '1.0.0', environment, strategy: 'immediate' }));
      expect(request).toMatchObject({ code: 'conflict', message: `${environment} is frozen until ${window.end} (Black Friday): only rollbacks are allowed.` });
      // Thunks, one at a time: promises created together could reject before they are awaited.
      for (const attempt of [
        () => startRelease(as(lead), { releaseId: notStarted.id }),
        () => advanceRelease(as(lead), { releaseId: active.id }),
        () => promoteRelease(as(lead), { releaseId: active.id }),
      ]) {
        expect(await failure(attempt())).toMatchObject({ code: 'conflict', message: expect.stringContaining('frozen'), details: { reason: 'frozen' } });
      }
      expect(await rowCounts(db)).toEqual(before);
      expect(await releaseRow(active.id)).toMatchObject({ state: 'running', currentStep: 0, currentWeight: 10 });
      expect((await releaseRow(notStarted.id)).state).toBe('approved');

      await expect(pauseRelease(as(oncall), { releaseId: active.id })).resolves.toMatchObject({ changed: true, release: { state: 'paused' } });
      expect(await failure(resumeRelease(as(oncall), { releaseId: active.id }))).toMatchObject({ code: 'conflict', details: { reason: 'frozen' } });
      await expect(rollbackRelease(as(oncall), { releaseId: active.id, reason: 'rolling back during the freeze' })).resolves.toMatchObject({ changed: true, release: { state: 'rolled_back' } });
      expect(await incidentsOf(active.id)).toHaveLength(1);

      // The window's end is exclusive: from then on the environment takes changes again.
      await expect(startRelease(as(lead, new Date(window.end)), { releaseId: notStarted.id })).resolves.toMatchObject({ changed: true, release: { state: 'running' } });
      await expect(abortRelease(as(lead), { releaseId: notStarted.id, reason: 'not during the freeze after all' })).resolves.toMatchObject({ release: { state: 'aborted' } });
    });
  });

  // --- rollback to last good ------------------------------------------------------------------

  describe('rollbackToLastGood', () => {
    /** A model whose 1.0.0 was promoted two hours ago and 1.1.0 one hour ago. */
    async function twoPromoted() {
      const model = await newModel();
      const v1 = await register(model.name, '1.0.0');
      const v2 = await register(model.name, '1.1.0');
      const environment = await newEnvironment();
      await promoteAt(model.name, '1.0.0', environment, new Date(Date.now() - 2 * HOUR));
      await promoteAt(model.name, '1.1.0', environment, new Date(Date.now() - HOUR));
      expect(await liveIn(model.id, environment)).toMatchObject({ version: '1.1.0' });
      return { model, v1, v2, environment };
    }

    it('releases the earlier version at once, promoted, with an incident and audit — even in a freeze', async () => {
      const { model, v1, v2, environment } = await twoPromoted();
      const now = new Date();
      await freeze(environment, [{ start: new Date(now.getTime() - HOUR).toISOString(), end: new Date(now.getTime() + HOUR).toISOString(), reason: 'launch' }]);

      const outcome = await rollbackToLastGood(as(oncall, now), { model: model.name, environment, fromVersion: '1.1.0', reason: '1.1.0 mislabels refunds' });
      expect(outcome.changed).toBe(true);
      const result = { release: outcome.release!, incidentId: outcome.incidentId! };
      expect(result.release).toMatchObject({ versionId: v1.id, baselineVersionId: v2.id, strategy: 'immediate', state: 'promoted', currentWeight: 100, requestedBy: oncall.name, reason: '1.1.0 mislabels refunds' });
      expect(result.release.finishedAt?.getTime()).toBe(now.getTime());
      expect(await stepsOf(result.release.id)).toEqual([plainStep(100)]);
      expect(await liveIn(model.id, environment)).toMatchObject({ versionId: v1.id, version: '1.0.0' });

      const opened = await incidentsOf(result.release.id);
      expect(opened).toMatchObject([{ id: result.incidentId, rolledBackBy: oncall.name, title: `Rollback of ${model.name} in ${environment} from 1.1.0 to 1.0.0` }]);
      const events = await auditOf(db, result.release.id);
      expect(events).toHaveLength(1);
      expect(events[0]).toMatchObject({
        action: 'release.rollback_to_last_good',
        actorId: oncall.id,
        before: { version: '1.1.0' },
        after: { model: model.name, environment, from: '1.1.0', to: '1.0.0' },
        reason: '1.1.0 mislabels refunds',
      });
      expect(await auditOf(db, result.incidentId)).toMatchObject([{ action: 'incident.open', after: { releaseId: result.release.id } }]);
    });

    it('refuses while a release is in flight: that release is the one to roll back', async () => {
      const { model, environment } = await twoPromoted();
      await register(model.name, '1.2.0');
      const inFlight = await requestRelease(as(lead), { model: model.name, version: '1.2.0', environment, strategy: 'canary', plan: THREE_STEPS });
      await startRelease(as(lead), { releaseId: inFlight.id });
      const before = await rowCounts(db);
      const error = await failure(rollbackToLastGood(as(oncall), { model: model.name, environment, fromVersion: '1.1.0', reason: 'bad' }));
      expect(error).toMatchObject({ code: 'conflict', message: expect.stringContaining('roll that release back instead'), details: { releaseId: inFlight.id } });
      expect(await rowCounts(db)).toEqual(before);
    });

    it('refuses when only one version was ever promoted there', async () => {
      const model = await newModel();
      await register(model.name, '1.0.0');
      const environment = await newEnvironment();
      await promoteAt(model.name, '1.0.0', environment, new Date(Date.now() - HOUR));
      const before = await rowCounts(db);
      const error = await failure(rollbackToLastGood(as(oncall), { model: model.name, environment, fromVersion: '1.0.0', reason: 'bad' }));
      expect(error).toMatchObject({ code: 'conflict', message: expect.stringContaining('nothing to roll back to') });
      expect(await rowCounts(db)).toEqual(before);
    });

    // Regression: the second of two concurrent clicks used to "roll back" again, to the bad version
    // (the first rollback is itself a promoted release). It now names the version it rolls back
    // from, and finds it already gone.
    it('two on-call engineers clicking "roll back to last good" at once end in one rollback, and 1.0.0 stays live', async () => {
      const { model, environment } = await twoPromoted();
      const second = await signedInUser(db, ['oncall']);
      const results = await Promise.allSettled([
        rollbackToLastGood(as(oncall), { model: model.name, environment, fromVersion: '1.1.0', reason: '1.1.0 is bad' }),
        rollbackToLastGood(as(second), { model: model.name, environment, fromVersion: '1.1.0', reason: '1.1.0 is bad' }),
      ]);
      const outcomes = results.map((r) => (r.status === 'fulfilled' ? r.value.changed : 'refused'));
      expect(outcomes.sort()).toEqual([false, true]);
      expect(await liveIn(model.id, environment)).toMatchObject({ version: '1.0.0' });
      const rollbacks = (await releasesOfModel(model.id)).filter((r) => r.requestedBy !== lead.name);
      expect(rollbacks).toHaveLength(1);
    });
  });

  // --- webhooks -------------------------------------------------------------------------------

  describe('webhooks', () => {
    /** A subscribed webhook for the duration of `body`, switched off afterwards so other tests are not announced. */
    async function withWebhook(events: string[], body: (webhookId: string) => Promise<void>) {
      const [hook] = await db.insert(webhooks).values({ url: 'https://router.example/hooks/flightdeck', secret: `whsec_${unique()}`, events }).returning();
      try {
        await body(hook!.id);
      } finally {
        await db.update(webhooks).set({ active: false }).where(eq(webhooks.id, hook!.id));
      }
    }

    it('a rollback writes one outbox row with its payload; an unsubscribed event writes none', async () => {
      await withWebhook(['release.rollback'], async (webhookId) => {
        const { model, environment, release } = await running();
        await pauseRelease(as(lead), { releaseId: release.id });
        expect(await outboxFor(webhookId)).toHaveLength(0);

        const at = new Date();
        await rollbackRelease(as(oncall, at), { releaseId: release.id, reason: 'p99 over budget' });
        // A repeat changes nothing, so it announces nothing.
        await rollbackRelease(as(oncall), { releaseId: release.id, reason: 'p99 over budget' });

        const rows = await outboxFor(webhookId);
        expect(rows).toHaveLength(1);
        expect(rows[0]).toMatchObject({ event: 'release.rollback', state: 'pending', attempts: 0 });
        expect(rows[0]!.payload).toEqual({
          event: 'release.rollback',
          releaseId: release.id,
          model: model.name,
          version: '1.0.0',
          environment,
          state: 'rolled_back',
          weight: 0,
          step: 0,
          actor: oncall.name,
          reason: 'p99 over budget',
          at: at.toISOString(),
        });
      });
    });

    it('concurrent rollbacks announce once; a refused action announces nothing', async () => {
      await withWebhook(['release.rollback', 'release.promote'], async (webhookId) => {
        const { release } = await running();
        await Promise.all(Array.from({ length: 10 }, () => rollbackRelease(as(oncall), { releaseId: release.id, reason: 'pager' })));
        await failure(promoteRelease(as(lead), { releaseId: release.id }));
        expect((await outboxFor(webhookId)).map((r) => r.event)).toEqual(['release.rollback']);
      });
    });

    it('rollbackToLastGood announces a release.rollback from the bad version to the good one', async () => {
      await withWebhook(['release.rollback'], async (webhookId) => {
        const model = await newModel();
        await register(model.name, '1.0.0');
        await register(model.name, '1.1.0');
        const environment = await newEnvironment();
        await promoteAt(model.name, '1.0.0', environment, new Date(Date.now() - 2 * HOUR));
        await promoteAt(model.name, '1.1.0', environment, new Date(Date.now() - HOUR));
        const { release } = await rollbackToLastGood(as(oncall), { model: model.name, environment, fromVersion: '1.1.0', reason: 'bad' });
        const rows = await outboxFor(webhookId);
        expect(rows).toHaveLength(1);
        expect(rows[0]!.payload).toMatchObject({ event: 'release.rollback', releaseId: release!.id, from: '1.1.0', to: '1.0.0', state: 'promoted', weight: 100 });
      });
    });
  });
});
