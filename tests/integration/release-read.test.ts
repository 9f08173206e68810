import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { asc, eq } from 'drizzle-orm';
import type { DbHandle } from '@/db/client';
import { approvals, environments, incidents, models, modelVersions, releases, releaseSteps } from '@/db/schema';
import { getRelease } from '@/lib/queries/releases';
import { approveRelease, requestRelease, rollbackRelease, startRelease } from '@/lib/services';
import { liveModel } from '../support/experiment-fixtures';
import { setUp, signedInUser } from '../support/fixtures';
import { userActor } from '../support/actors';
import { openTestDatabase, targets } from '../support/test-db';

/**
 * getRelease reads the release, its incident, plan and reviews in one statement as JSON
 * (db/json-rows.ts): what it answers must be exactly what drizzle's query builder gives for the
 * same rows — same keys, Dates for timestamps, numbers, booleans, jsonb as objects, nulls.
 */
describe.each(targets)('getRelease in one statement on $name', ({ name }) => {
  let handle: DbHandle;
  beforeAll(async () => {
    handle = await openTestDatabase(name);
  });
  afterAll(async () => handle?.close());

  /** The rows as the query builder reads them, one statement each. */
  async function builderRead(id: string) {
    const db = handle.db;
    const [row] = await db
      .select({ release: releases, model: models.name, version: modelVersions.version, environment: environments.name, environmentRank: environments.rank })
      .from(releases)
      .innerJoin(models, eq(models.id, releases.modelId))
      .innerJoin(modelVersions, eq(modelVersions.id, releases.versionId))
      .innerJoin(environments, eq(environments.id, releases.environmentId))
      .where(eq(releases.id, id));
    const steps = await db.select().from(releaseSteps).where(eq(releaseSteps.releaseId, id)).orderBy(asc(releaseSteps.position));
    const reviews = await db.select().from(approvals).where(eq(approvals.releaseId, id)).orderBy(asc(approvals.createdAt));
    const [incident] = await db.select().from(incidents).where(eq(incidents.releaseId, id));
    return { ...row!, steps, reviews, incident: incident ?? null };
  }

  it('answers the rows the query builder reads: a release with a plan, two reviews and an incident', async () => {
    const db = handle.db;
    const target = await liveModel(db, { requiredApprovals: 2 });
    const release = await requestRelease(setUp(db), { model: target.model, version: '1.1.0', environment: target.environment, strategy: 'canary', plan: [{ weight: 10, holdSeconds: 60, analysisRequired: true }, { weight: 50, manualGate: true }, { weight: 100 }] });
    for (const reviewer of [await signedInUser(db, ['reviewer']), await signedInUser(db, ['reviewer'])])
      await approveRelease({ actor: reviewer, db }, { releaseId: release.id, comment: `fine by ${reviewer.name} — "quoted" ünïcode` });
    await startRelease(setUp(db), { releaseId: release.id });
    await rollbackRelease(setUp(db), { releaseId: release.id, reason: 'the canary misbehaved' });

    const read = await getRelease({ actor: userActor([]), db }, release.id);
    const expected = await builderRead(release.id);
    const { release: r } = expected;
    expect(read).toEqual({
      id: r.id,
      model: expected.model,
      version: expected.version,
      baselineVersion: '1.0.0',
      environment: expected.environment,
      environmentRank: expected.environmentRank,
      strategy: r.strategy,
      state: 'rolled_back',
      currentStep: r.currentStep,
      currentWeight: r.currentWeight,
      requestedBy: r.requestedBy,
      requestedById: r.requestedById,
      reason: r.reason,
      createdAt: r.createdAt,
      updatedAt: r.updatedAt,
      routing: r.routing,
      routingRevision: r.routingRevision,
      startedAt: r.startedAt,
      finishedAt: r.finishedAt,
      stepStartedAt: r.stepStartedAt,
      steps: expected.steps,
      approvals: expected.reviews,
      incident: expected.incident,
      inFlight: false,
    });
    expect(read.steps).toHaveLength(3);
    expect(read.steps[1]).toMatchObject({ weight: 50, manualGate: true, analysisRequired: false });
    expect(read.approvals).toHaveLength(2);
    expect(read.approvals[0]!.createdAt).toBeInstanceOf(Date);
    expect(read.incident).toMatchObject({ state: 'open', rolledBackBy: expect.any(String) });
    expect(read.incident!.detectedAt).toBeInstanceOf(Date);
    expect(read.finishedAt).toBeInstanceOf(Date);
    // JSON carries what the wire carries: the API answer is the same as before, byte for byte.
    expect(JSON.stringify(read.incident)).toBe(JSON.stringify(expected.incident));
  });

  it('answers every release action with the release as getRelease reads it after the commit', async () => {
    const db = handle.db;
    const target = await liveModel(db, { requiredApprovals: 2 });
    const release = await requestRelease(setUp(db), { model: target.model, version: '1.1.0', environment: target.environment, strategy: 'canary', plan: [{ weight: 10 }, { weight: 50 }, { weight: 100 }] });
    const reader = { actor: userActor([]), db };
    const reviewers = [await signedInUser(db, ['reviewer']), await signedInUser(db, ['reviewer'])];
    // Each answer compared with a read right after its action: the answer is the state it left.
    const acted = async <T extends { view: unknown }>(action: Promise<T>) => {
      const outcome = await action;
      expect(outcome.view).toEqual(await getRelease(reader, release.id));
      return outcome;
    };
    const outcomes = [
      await acted(approveRelease({ actor: reviewers[0]!, db }, { releaseId: release.id, comment: 'one' })),
      await acted(approveRelease({ actor: reviewers[1]!, db }, { releaseId: release.id, comment: 'two' })),
      await acted(startRelease(setUp(db), { releaseId: release.id })),
      await acted(rollbackRelease(setUp(db), { releaseId: release.id, reason: 'bad canary' })),
    ];
    expect(outcomes[0]!.view.approvals).toHaveLength(1);
    expect(outcomes[1]!.view).toMatchObject({ state: 'approved', approvals: [{ comment: 'one' }, { comment: 'two' }] });
    expect(outcomes[2]!.view).toMatchObject({ state: 'running', currentWeight: 10, incident: null });
    expect(outcomes[3]!.view).toMatchObject({ state: 'rolled_back', currentWeight: 0, incident: { id: outcomes[3]!.incidentId, state: 'open' } });
    expect(JSON.stringify(outcomes[3]!.view)).toBe(JSON.stringify(await getRelease(reader, release.id)));
    // A repeat changes nothing and answers the same release, incident included.
    const again = await acted(rollbackRelease(setUp(db), { releaseId: release.id, reason: 'clicked twice' }));
    expect(again).toMatchObject({ changed: false, view: { incident: { id: outcomes[3]!.incidentId } } });
  });

  it('answers an empty plan and no reviews as empty lists, no incident as null, and unknown ids as not found', async () => {
    const db = handle.db;
    const target = await liveModel(db);
    const release = await requestRelease(setUp(db), { model: target.model, version: '1.2.0', environment: target.environment, strategy: 'immediate' });
    const read = await getRelease({ actor: userActor([]), db }, release.id);
    const expected = await builderRead(release.id);
    expect(read.steps).toEqual(expected.steps);
    expect(read.approvals).toEqual([]);
    expect(read.incident).toBeNull();
    expect(read.startedAt).toBeNull();
    expect(read.inFlight).toBe(true);
    await expect(getRelease({ actor: userActor([]), db }, '00000000-0000-4000-8000-000000000000')).rejects.toMatchObject({ code: 'not_found' });
  });
});
