import { eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { changeFeedOf } from '@/db/change-feed';
import { openDatabase, type DbHandle } from '@/db/client';
import { createScratchDatabase } from '@/db/scratch-database';
import { apiKeys, models } from '@/db/schema';
import { getOverview } from '@/lib/queries/overview';
import { actorFromApiKey } from '@/lib/auth/actors';
import { createApiKey, createEnvironment, createModel, registerVersion, requestRelease, revokeApiKey, rollbackRelease, startRelease } from '@/lib/services';
import { getRouting } from '@/lib/queries/routing';
import { userActor } from '../support/actors';
import { setUp, unique } from '../support/fixtures';
import { openTestDatabase, targets } from '../support/test-db';

/**
 * The in-memory read caches (db/table-cache.ts: API keys by hash, the traffic split) are only as
 * stale as a change notification's trip. Shown with API keys: they are cached (a change made
 * with the notification switched off goes unseen), a revocation is seen at once by the process
 * that made it, and by another instance as soon as the notification arrives — long before the
 * entries' 30 s bound.
 */
/** A new key, once the notification of its insert has come back (it would empty the caches after the first read). */
async function newKey(db: DbHandle['db'], instances = [db]) {
  const heard = instances.map(() => [] as string[]);
  const stops = instances.map((instance, i) => changeFeedOf(instance)!.subscribe((table) => heard[i]!.push(table)));
  try {
    const key = await createApiKey(setUp(db), { name: `feed-${unique()}`, roles: ['viewer'], scopes: ['read'] });
    await eventually(async () => heard.every((tables) => tables.includes('api_keys')));
    return key;
  } finally {
    for (const stop of stops) stop();
  }
}

/** Revokes a key with its trigger off: a change no instance is told about. */
async function revokeUnannounced(db: DbHandle['db'], keyId: string) {
  await db.execute(sql`alter table api_keys disable trigger api_keys_updated`);
  try {
    await db.update(apiKeys).set({ revokedAt: new Date() }).where(eq(apiKeys.id, keyId));
  } finally {
    await db.execute(sql`alter table api_keys enable trigger api_keys_updated`);
  }
}

/**
 * Notifications reach a listener in commit order: once a marker sent now has arrived, so has every
 * earlier one. Postgres delivers them after the commit returns, so an earlier change's may still be
 * on its way (and would empty the caches a test is about to read).
 */
async function settled(db: DbHandle['db']): Promise<void> {
  const heard: string[] = [];
  const stop = changeFeedOf(db)!.subscribe((table) => heard.push(table));
  try {
    const marker = `marker-${unique()}`;
    await db.execute(sql`select pg_notify('flightdeck_changes', ${marker})`);
    await eventually(async () => heard.includes(marker));
  } finally {
    stop();
  }
}

async function eventually(check: () => Promise<boolean>, ms = 5_000): Promise<void> {
  const until = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > until) throw new Error(`not within ${ms} ms`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

describe.each(targets)('change notifications and the read caches ($name)', ({ name }) => {
  let handle: DbHandle;
  beforeAll(async () => {
    handle = await openTestDatabase(name);
  });
  afterAll(async () => handle?.close());

  it('serves a key from memory: a change the triggers do not announce goes unseen, an announced one is seen', async () => {
    const { db } = handle;
    const key = await newKey(db);
    expect(await actorFromApiKey(db, key.secret)).not.toBeNull();
    await revokeUnannounced(db, key.id);
    expect(await actorFromApiKey(db, key.secret), 'from the cache').not.toBeNull();
    await db.update(apiKeys).set({ name: `renamed-${unique()}` }).where(eq(apiKeys.id, key.id));
    await eventually(async () => (await actorFromApiKey(db, key.secret)) === null);
  });

  it('refuses a key revoked through the use case at once, in the process that revoked it', async () => {
    const { db } = handle;
    const key = await newKey(db);
    expect(await actorFromApiKey(db, key.secret)).not.toBeNull();
    await revokeApiKey(setUp(db), { apiKeyId: key.id });
    expect(await actorFromApiKey(db, key.secret)).toBeNull();
  });

  it('does not announce marking a key used (once a minute per key and instance), which would empty every cache', async () => {
    const { db } = handle;
    const heard: string[] = [];
    const stop = changeFeedOf(db)!.subscribe((table) => heard.push(table));
    try {
      const key = await newKey(db);
      await settled(db);
      heard.length = 0;
      await db.update(apiKeys).set({ lastUsedAt: new Date() }).where(eq(apiKeys.id, key.id));
      await db.update(apiKeys).set({ name: `renamed-${unique()}` }).where(eq(apiKeys.id, key.id));
      await settled(db);
      // The rename was announced, the touch was not.
      expect(heard.filter((t) => t === 'api_keys')).toHaveLength(1);
    } finally {
      stop();
    }
  });

  // Release actions name the one cached table they write (releases): the split is forgotten at
  // commit, the caller's API key is not, so an on-call script's next call needs no key lookup.
  it('forgets the traffic split at once after a rollback, and keeps the API keys cached', async () => {
    const { db } = handle;
    const caller = setUp(db);
    const name = `split-${unique()}`;
    await createModel(caller, { name, ownerTeam: 'feed' });
    await registerVersion(caller, { model: name, version: '1.0.0', artifactUri: 's3://feed/model.tar.gz', artifactDigest: `sha256:${'b'.repeat(64)}` });
    await createEnvironment(caller, { name, rank: 1, policy: { requiredChecks: [], thresholds: {} } });
    const release = await requestRelease(caller, { model: name, version: '1.0.0', environment: name, strategy: 'canary', plan: [{ weight: 10 }, { weight: 100 }] });
    await startRelease(caller, { releaseId: release.id });
    const key = await newKey(db);
    await settled(db);
    const viewer = { actor: userActor([]), db };
    const before = await getRouting(viewer, name, name);
    expect(await actorFromApiKey(db, key.secret)).not.toBeNull();
    await revokeUnannounced(db, key.id);

    await rollbackRelease(caller, { releaseId: release.id, reason: 'feed test' });
    const after = await getRouting(viewer, name, name);
    expect(after.etag).not.toBe(before.etag);
    expect(after.routing).not.toEqual(before.routing);
    expect(await actorFromApiKey(db, key.secret), 'the key, still from the cache').not.toBeNull();
  });

  it("keeps the Overview's model and version counts until the registry changes, and counts a new version at once", async () => {
    const { db } = handle;
    const viewer = { actor: userActor([]), db };
    const model = await createModel(setUp(db), { name: `counted-${unique()}`, ownerTeam: 'feed' });
    // The model's own notification must have come and gone before the counts are cached.
    await settled(db);
    const before = (await getOverview(viewer)).counts;
    // A row added behind the triggers' back is not seen: the counts come from memory.
    await db.execute(sql`alter table models disable trigger models_changed`);
    try {
      const hidden = `unannounced-${unique()}`;
      await db.insert(models).values({ name: hidden, ownerTeam: 'feed', servingService: hidden });
    } finally {
      await db.execute(sql`alter table models enable trigger models_changed`);
    }
    expect((await getOverview(viewer)).counts, 'from the cache').toMatchObject({ models: before.models, versions: before.versions });
    // Registering a version through the use case: this process forgets at commit.
    await registerVersion(setUp(db), { model: model.name, version: '1.0.0', artifactUri: 's3://feed/model.tar.gz', artifactDigest: `sha256:${'a'.repeat(64)}` });
    expect((await getOverview(viewer)).counts).toMatchObject({ models: before.models + 1, versions: before.versions + 1 });
  });
});

describe.runIf(process.env.TEST_DATABASE_URL)('change notifications between two instances (Postgres)', () => {
  let a: DbHandle;
  let b: DbHandle;
  let drop: () => Promise<void>;
  let url: string;
  beforeAll(async () => {
    const scratch = await createScratchDatabase(process.env.TEST_DATABASE_URL!, 'fd_test');
    drop = scratch.drop;
    url = scratch.url;
    a = await openDatabase({ databaseUrl: scratch.url, dataDir: 'unused' });
    b = await openDatabase({ databaseUrl: scratch.url, dataDir: 'unused' });
  });
  afterAll(async () => {
    await a?.close();
    await b?.close();
    await drop?.();
  });

  it("sees another instance's revocation as soon as its notification arrives", async () => {
    const key = await newKey(b.db, [a.db, b.db]);
    expect(await actorFromApiKey(a.db, key.secret)).not.toBeNull();
    await revokeApiKey(setUp(b.db), { apiKeyId: key.id });
    const revokedAt = Date.now();
    await eventually(async () => (await actorFromApiKey(a.db, key.secret)) === null, 5_000);
    expect(Date.now() - revokedAt).toBeLessThan(5_000);
  });

  it('with FLIGHTDECK_READ_CACHE=off (a pooler that does not carry LISTEN) reads every key from the database', async () => {
    const c = await openDatabase({ databaseUrl: url, dataDir: 'unused', readCache: false });
    try {
      expect(changeFeedOf(c.db)).toBeUndefined();
      const key = await newKey(b.db, [a.db, b.db]);
      expect(await actorFromApiKey(c.db, key.secret)).not.toBeNull();
      await revokeUnannounced(b.db, key.id);
      expect(await actorFromApiKey(c.db, key.secret)).toBeNull();
    } finally {
      await c.close();
    }
  });

  it('listens again by itself when its connection is cut, starting with empty caches (what was announced meanwhile is lost)', async () => {
    const feed = changeFeedOf(a.db)!;
    expect(feed.live).toBe(true);
    const seen: boolean[] = [];
    const stop = feed.subscribe(() => seen.push(feed.live));
    try {
      const key = await newKey(b.db, [a.db, b.db]);
      expect(await actorFromApiKey(a.db, key.secret)).not.toBeNull();
      // A change `a` is never told about: it keeps serving the key from memory…
      await revokeUnannounced(b.db, key.id);
      expect(await actorFromApiKey(a.db, key.secret)).not.toBeNull();
      // …until its listening connection is cut: it went dark, came back, and forgot.
      await b.db.execute(sql`select pg_terminate_backend(pid) from pg_stat_activity where datname = current_database() and query = 'listen flightdeck_changes'`);
      await eventually(async () => seen.includes(false) && feed.live, 10_000);
      expect(await actorFromApiKey(a.db, key.secret)).toBeNull();
    } finally {
      stop();
    }
  });
});
