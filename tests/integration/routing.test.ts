import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DbHandle } from '@/db/client';
import { getRouting } from '@/lib/queries/routing';
import { abortRelease, createEnvironment, createModel, pauseRelease, promoteRelease, registerVersion, requestRelease, rollbackRelease, startRelease } from '@/lib/services';
import { liveModel } from '../support/experiment-fixtures';
import { setUp, unique } from '../support/fixtures';
import { userActor } from '../support/actors';
import { openTestDatabase, targets } from '../support/test-db';

/** The routing endpoint's query (one round trip) against every state a release passes through. */
describe.each(targets)('getRouting on $name', ({ name }) => {
  let handle: DbHandle;
  beforeAll(async () => {
    handle = await openTestDatabase(name);
  });
  afterAll(async () => handle?.close());
  const viewer = () => ({ actor: userActor([]), db: handle.db });
  const versions = async (model: string, environment: string) => (await getRouting(viewer(), model, environment)).routing;

  it('answers the live version alone, then the canary split as the release moves, and the stable one after', async () => {
    const db = handle.db;
    const target = await liveModel(db);
    expect(await versions(target.model, target.environment)).toMatchObject({ service: target.model, environment: target.environment, versions: [{ version: '1.0.0', weight: 100, role: 'stable' }], releaseId: null });

    const release = await requestRelease(setUp(db), { model: target.model, version: '1.1.0', environment: target.environment, strategy: 'canary', plan: [{ weight: 25 }, { weight: 100 }] });
    // Approved but not started: the candidate takes no traffic yet.
    expect((await versions(target.model, target.environment)).versions).toEqual([{ version: '1.0.0', weight: 100, role: 'stable' }]);
    await startRelease(setUp(db), { releaseId: release.id });
    const running = await versions(target.model, target.environment);
    expect(running).toMatchObject({ releaseId: release.id, state: 'running', versions: [{ version: '1.0.0', weight: 75, role: 'stable' }, { version: '1.1.0', weight: 25, role: 'canary' }] });
    await pauseRelease(setUp(db), { releaseId: release.id, reason: 'looking at a dashboard' });
    expect((await versions(target.model, target.environment)).state).toBe('paused');
    await rollbackRelease(setUp(db), { releaseId: release.id, reason: 'the canary misbehaved' });
    expect(await versions(target.model, target.environment)).toMatchObject({ versions: [{ version: '1.0.0', weight: 100, role: 'stable' }], releaseId: null });

    const second = await requestRelease(setUp(db), { model: target.model, version: '1.2.0', environment: target.environment, strategy: 'canary', plan: [{ weight: 10 }, { weight: 100 }] });
    await startRelease(setUp(db), { releaseId: second.id });
    await promoteRelease(setUp(db), { releaseId: second.id });
    expect((await versions(target.model, target.environment)).versions).toEqual([{ version: '1.2.0', weight: 100, role: 'stable' }]);
  });

  it('a first release has no stable version: the candidate takes everything', async () => {
    const db = handle.db;
    const env = await createEnvironment(setUp(db), { name: `env-${unique()}`, rank: 1, policy: { requiredChecks: [], thresholds: {} } });
    const model = await createModel(setUp(db), { name: `first-${unique()}`, ownerTeam: 'ml' });
    await registerVersion(setUp(db), { model: model.name, version: '0.1.0', artifactUri: 's3://a/b', artifactDigest: `sha256:${'c'.repeat(64)}` });
    const release = await requestRelease(setUp(db), { model: model.name, version: '0.1.0', environment: env.name, strategy: 'canary', plan: [{ weight: 10 }, { weight: 100 }] });
    await startRelease(setUp(db), { releaseId: release.id });
    expect((await versions(model.name, env.name)).versions).toEqual([{ version: '0.1.0', weight: 100, role: 'canary' }]);
  });

  it('a split release routes by its weights; aborting it returns to the stable version', async () => {
    const db = handle.db;
    const target = await liveModel(db);
    const split = await requestRelease(setUp(db), { model: target.model, version: '1.2.0', environment: target.environment, strategy: 'split', split: { versions: [{ version: '1.0.0', weight: 50 }, { version: '1.2.0', weight: 50 }], segments: [] } });
    await startRelease(setUp(db), { releaseId: split.id });
    expect((await versions(target.model, target.environment)).versions.map((v) => `${v.version}:${v.weight}`).sort()).toEqual(['1.0.0:50', '1.2.0:50']);
    await abortRelease(setUp(db), { releaseId: split.id, reason: 'not today' });
    expect((await versions(target.model, target.environment)).versions).toEqual([{ version: '1.0.0', weight: 100, role: 'stable' }]);
  });

  it('names what it cannot find, and changes its ETag exactly when the split changes', async () => {
    const target = await liveModel(handle.db);
    await expect(getRouting(viewer(), 'no-such-service', target.environment)).rejects.toMatchObject({ code: 'not_found', message: 'The service "no-such-service" was not found.' });
    await expect(getRouting(viewer(), target.model, 'no-such-env')).rejects.toMatchObject({ code: 'not_found', message: 'The environment "no-such-env" was not found.' });
    const a = await getRouting(viewer(), target.model, target.environment);
    const b = await getRouting(viewer(), target.model, target.environment);
    expect(a.etag).toBe(b.etag);
    const release = await requestRelease(setUp(handle.db), { model: target.model, version: '1.1.0', environment: target.environment, strategy: 'canary', plan: [{ weight: 10 }, { weight: 100 }] });
    await startRelease(setUp(handle.db), { releaseId: release.id });
    expect((await getRouting(viewer(), target.model, target.environment)).etag).not.toBe(a.etag);
    await expect(getRouting({ actor: null, db: handle.db }, target.model, target.environment)).rejects.toMatchObject({ code: 'unauthenticated' });
  });
});
