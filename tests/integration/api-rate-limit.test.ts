import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '@/db';

// The limit is read from the environment once per process, as in production: set it first.
process.env.FLIGHTDECK_DATA_DIR = 'memory://';
process.env.FLIGHTDECK_API_RATE_LIMIT = '2/3';
delete process.env.DATABASE_URL;

const loadApp = async () => ({
  me: await import('@/app/api/v1/me/route'),
  db: await import('@/db'),
  config: await import('@/lib/config'),
  bootstrap: await import('@/lib/server/bootstrap'),
  systemActor: await import('@/lib/auth/system-actor'),
  services: await import('@/lib/services'),
  fixtures: await import('../support/fixtures'),
});

describe('API key rate limit (FLIGHTDECK_API_RATE_LIMIT=2/3)', () => {
  let app: Awaited<ReturnType<typeof loadApp>>;
  let db: Database;
  beforeAll(async () => {
    app = await loadApp();
    db = await app.db.getDb();
    await app.bootstrap.bootstrap(db, app.config.getConfig());
  });
  afterAll(async () => {
    delete process.env.FLIGHTDECK_API_RATE_LIMIT;
    if (app) await (await app.db.getDbHandle()).close();
  });

  const key = async () => (await app.services.createApiKey({ actor: app.systemActor.systemActor('bootstrap'), db }, { name: `k-${app.fixtures.unique()}`, roles: [], scopes: ['read'] })).secret;
  const call = (secret: string) => app.me.GET(new Request('http://test/api/v1/me', { headers: { authorization: `Bearer ${secret}` } }), { params: Promise.resolve({}) });

  it('lets a burst of 3 through, then answers 429 with Retry-After and the limit in words; other keys are not affected', async () => {
    const first = await key();
    const statuses = [];
    for (let i = 0; i < 4; i++) statuses.push((await call(first)).status);
    expect(statuses).toEqual([200, 200, 200, 429]);
    const refused = await call(first);
    expect(refused.status).toBe(429);
    expect(Number(refused.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
    expect(await refused.json()).toMatchObject({ error: { code: 'rate_limited', message: expect.stringMatching(/^Too many requests with this API key: at most 2 per second \(bursts of 3\)\. Retry in \d+ s\.$/) } });
    expect((await call(await key())).status).toBe(200);
  });

  it('refills: after a second the key may call again', async () => {
    const secret = await key();
    for (let i = 0; i < 3; i++) await call(secret);
    expect((await call(secret)).status).toBe(429);
    await new Promise((resolve) => setTimeout(resolve, 1100));
    expect((await call(secret)).status).toBe(200);
  });

  it('an unknown key is refused as unauthenticated, not counted', async () => {
    for (let i = 0; i < 5; i++) expect((await call('fd_not_a_real_key_at_all_0000')).status).toBe(401);
  });
});
