import { asc, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { apiKeys, auditEvents, environments, models, modelVersions, releases as releasesTable, users } from '@/db/schema';
import { RELEASE_STATES } from '@/lib/domain/release-machine';
import { DEFAULT_PRODUCTION_POLICY, DEFAULT_STAGING_POLICY } from '@/lib/domain/gate-policy';
import type { DbHandle } from '@/db/client';
import { seedDemo } from '@/db/seed/demo';
import { DEMO_MODELS, DEMO_PASSWORD, DEMO_USERS } from '@/db/seed/demo-data';
import { actorFromApiKey, actorFromUserId } from '@/lib/auth/actors';
import { verifyCredentials } from '@/lib/auth/credentials';
import { parseConfig } from '@/lib/config/parse-config';
import { bootstrap } from '@/lib/server/bootstrap';
import { revokeApiKey, verifyAuditChain } from '@/lib/services';
import { openTestDatabase, targets } from '../support/test-db';
import { auditCount, rowCounts } from '../support/fixtures';

const ADMIN_PASSWORD = 'first-admin-password';
const API_KEY = 'install-time-secret-0123456789abcdef';
const SECOND_API_KEY = 'second-install-secret-abcdef0123456789';

// Built the way the server builds it, from environment variables.
const config = (env: Record<string, string> = {}) =>
  parseConfig({
    FLIGHTDECK_BOOTSTRAP_ADMIN_EMAIL: 'Ops@Example.com',
    FLIGHTDECK_BOOTSTRAP_ADMIN_PASSWORD: ADMIN_PASSWORD,
    FLIGHTDECK_BOOTSTRAP_API_KEY: API_KEY,
    ...env,
  });

// The tests share one database and build on each other, in order: an empty database is
// bootstrapped, then the demo is seeded on top of it.
describe.each(targets)('bootstrap and demo seed on $name', ({ name }) => {
  let handle: DbHandle;
  beforeAll(async () => {
    handle = await openTestDatabase(name);
  });
  afterAll(async () => handle?.close());

  it('creates only the default environments when nothing is configured', async () => {
    expect(await bootstrap(handle.db, parseConfig({}))).toEqual(['created the staging and production environments']);
    expect(await rowCounts(handle.db)).toMatchObject({ users: 0, apiKeys: 0, environments: 2, auditEvents: 2 });
    const envs = await handle.db.select().from(environments).orderBy(asc(environments.rank));
    expect(envs.map((e) => [e.name, e.requiredChecks])).toEqual([
      ['staging', DEFAULT_STAGING_POLICY.requiredChecks],
      ['production', DEFAULT_PRODUCTION_POLICY.requiredChecks],
    ]);
    expect(await bootstrap(handle.db, parseConfig({}))).toEqual([]);
  });

  it('creates the first admin on an empty database and imports the API key once, even when two instances start together', async () => {
    const notes = await Promise.all([bootstrap(handle.db, config()), bootstrap(handle.db, config())]);
    expect(notes.flat()).toEqual(['created the first admin ops@example.com']);

    const [admin, ...others] = await handle.db.select().from(users);
    expect(others).toEqual([]);
    expect(admin).toMatchObject({ email: 'ops@example.com', name: 'Administrator', roles: ['admin'], active: true });
    expect(await verifyCredentials(handle.db, 'ops@example.com', ADMIN_PASSWORD)).toEqual({ ok: true, userId: admin!.id });
    expect(await actorFromUserId(handle.db, admin!.id)).toMatchObject({ roles: ['admin'] });

    const key = await actorFromApiKey(handle.db, API_KEY);
    expect(key).toMatchObject({ type: 'api_key', name: 'api-key:bootstrap', roles: ['admin'], scopes: ['admin'] });

    const events = await handle.db.select().from(auditEvents).orderBy(asc(auditEvents.seq));
    // Audited as the system, once each, whichever instance won.
    expect(events.map((e) => e.action)).toEqual(['environment.create', 'environment.create', 'user.create', 'api_key.import']);
    for (const event of events) expect(event).toMatchObject({ actorType: 'system', actorId: 'bootstrap', actorName: 'system:bootstrap', metadata: { via: 'system' } });
  });

  it('leaves an installed database alone when it runs again', async () => {
    const before = await rowCounts(handle.db);
    expect(await bootstrap(handle.db, config())).toEqual([]);
    // Another admin e-mail in the environment does not add a second admin once users exist.
    expect(await bootstrap(handle.db, config({ FLIGHTDECK_BOOTSTRAP_ADMIN_EMAIL: 'someone-else@example.com' }))).toEqual([]);
    expect(await rowCounts(handle.db)).toEqual(before);
    expect(await handle.db.select().from(users).where(eq(users.email, 'someone-else@example.com'))).toEqual([]);
    expect(await handle.db.select().from(apiKeys)).toHaveLength(1);
  });

  it('imports a newly configured API key even when users exist', async () => {
    await bootstrap(handle.db, config({ FLIGHTDECK_BOOTSTRAP_API_KEY: SECOND_API_KEY }));
    expect(await actorFromApiKey(handle.db, SECOND_API_KEY)).not.toBeNull();
    expect(await actorFromApiKey(handle.db, API_KEY)).not.toBeNull();
    expect(await handle.db.select().from(apiKeys)).toHaveLength(2);
  });

  it('does not bring back a bootstrap key an admin has revoked', async () => {
    const key = (await actorFromApiKey(handle.db, API_KEY))!;
    await revokeApiKey({ actor: key, db: handle.db }, { apiKeyId: key.id });
    await bootstrap(handle.db, config());
    expect(await actorFromApiKey(handle.db, API_KEY)).toBeNull();
  });

  it('seeds the demo: one user per role, environments, models and their versions, all audited', async () => {
    const before = await rowCounts(handle.db);
    const now = new Date('2025-07-01T00:00:00Z');
    const versions = DEMO_MODELS.reduce((n, m) => n + m.versions.length, 0);
    const releases = DEMO_MODELS.reduce((n, m) => n + Object.keys(m.live).length, 0);
    const checksPerVersion = 6;
    // As the seed itself: users, models, CI's API key, the release history and the demo's fast
    // analysis settings for staging and production. Versions and checks are registered by the
    // story's actors (CI's key, Maya).
    const bySeed = DEMO_USERS.length + DEMO_MODELS.length + 1 + releases + 2;

    expect(await seedDemo(handle.db, now)).toMatch(/^seeded the demo/);

    const after = await rowCounts(handle.db);
    expect(after).toMatchObject({
      users: before.users + DEMO_USERS.length,
      models: DEMO_MODELS.length,
      modelVersions: versions,
      environments: 2,
      gateChecks: versions * checksPerVersion,
      releases: releases + 9,
      // The running A/B test in production.
      experiments: 1,
    });
    // Plus the release stories, told by people through the release use cases.
    expect(after.auditEvents).toBeGreaterThan(before.auditEvents + bySeed + versions * (1 + checksPerVersion));
    const states = (await handle.db.select({ state: releasesTable.state }).from(releasesTable)).map((r) => r.state);
    expect(new Set(states)).toEqual(new Set(RELEASE_STATES));

    const lead = DEMO_USERS.find((u) => u.roles.includes('ml_lead'))!;
    const signIn = await verifyCredentials(handle.db, lead.email, DEMO_PASSWORD);
    expect(signIn.ok).toBe(true);
    expect(await actorFromUserId(handle.db, (signIn as { userId: string }).userId)).toMatchObject({ roles: ['ml_lead'] });

    // Each version links to the one registered before it.
    const [fraud] = await handle.db.select().from(models).where(eq(models.name, 'fraud-detector'));
    const chain = await handle.db.select().from(modelVersions).where(eq(modelVersions.modelId, fraud!.id)).orderBy(asc(modelVersions.registeredAt));
    expect(chain.map((v) => v.version)).toEqual(DEMO_MODELS.find((m) => m.name === 'fraud-detector')!.versions.map((v) => v.version));
    expect(chain.map((v) => v.parentVersionId)).toEqual([null, ...chain.slice(0, -1).map((v) => v.id)]);

    const seeded = await handle.db.select().from(auditEvents).where(eq(auditEvents.actorId, 'demo-seed'));
    expect(seeded).toHaveLength(bySeed);
  });

  it('seeds nothing more when it runs again', async () => {
    const before = await rowCounts(handle.db);
    expect(await seedDemo(handle.db, new Date('2025-08-01T00:00:00Z'))).toBe('demo already seeded');
    expect(await rowCounts(handle.db)).toEqual(before);
  });

  it('leaves an audit chain that verifies end to end', async () => {
    const report = await verifyAuditChain({ actor: (await actorFromApiKey(handle.db, SECOND_API_KEY))!, db: handle.db });
    expect(report).toMatchObject({ ok: true, checked: await auditCount(handle.db), firstBroken: null });
  });
});
