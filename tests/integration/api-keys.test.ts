import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { apiKeys } from '@/db/schema';
import type { DbHandle } from '@/db/client';
import type { Actor } from '@/lib/domain/roles';
import { actorFromApiKey } from '@/lib/auth/actors';
import { createApiKey, importApiKey, revokeApiKey } from '@/lib/services';
import { openTestDatabase, targets } from '../support/test-db';
import { auditCount, auditOf, rowCounts, signedInUser, unique } from '../support/fixtures';

const sha256 = (value: string) => createHash('sha256').update(value).digest('hex');
const DAY = 86_400_000;

describe.each(targets)('API keys on $name', ({ name }) => {
  let handle: DbHandle;
  let admin: Actor;
  beforeAll(async () => {
    handle = await openTestDatabase(name);
    admin = await signedInUser(handle.db, ['admin']);
  });
  afterAll(async () => handle?.close());

  const asAdmin = (now?: Date) => ({ actor: admin, db: handle.db, now });
  const rowOf = async (id: string) => (await handle.db.select().from(apiKeys).where(eq(apiKeys.id, id)))[0]!;

  describe('createApiKey', () => {
    it('returns the secret once and stores only its sha256', async () => {
      const created = await createApiKey(asAdmin(), { name: 'github-actions', roles: ['ml_lead'], scopes: ['registry', 'read', 'registry'] });
      expect(created.secret).toMatch(/^fdk_[A-Za-z0-9_-]{32}$/);
      expect(created).toMatchObject({ name: 'github-actions', prefix: created.secret.slice(0, 10), roles: ['ml_lead'], scopes: ['read', 'registry'], revokedAt: null });

      const row = await rowOf(created.id);
      expect(row.secretHash).toBe(sha256(created.secret));
      expect(row.createdBy).toBe(admin.id);
      expect(JSON.stringify(row)).not.toContain(created.secret);

      const [event] = await auditOf(handle.db, created.id);
      expect(event).toMatchObject({ action: 'api_key.create', actorId: admin.id, after: { id: created.id, prefix: row.prefix } });
      expect(JSON.stringify(event)).not.toContain(created.secret);
      expect(JSON.stringify(event)).not.toContain(row.secretHash);
    });

    it('issues a different secret every time', async () => {
      const [a, b] = [await createApiKey(asAdmin(), { name: 'a', scopes: ['read'] }), await createApiKey(asAdmin(), { name: 'b', scopes: ['read'] })];
      expect(a.secret).not.toBe(b.secret);
    });

    it('sets the expiry from expiresInDays', async () => {
      const now = new Date('2025-01-01T00:00:00Z');
      const created = await createApiKey(asAdmin(now), { name: 'short-lived', scopes: ['read'], expiresInDays: 7 });
      expect((await rowOf(created.id)).expiresAt?.toISOString()).toBe('2025-01-08T00:00:00.000Z');
    });

    it('refuses a key without scopes, with a field error, and stores nothing', async () => {
      const before = await rowCounts(handle.db);
      await expect(createApiKey(asAdmin(), { name: 'useless', scopes: [] })).rejects.toMatchObject({ code: 'invalid', details: { fields: { scopes: [expect.any(String)] } } });
      expect(await rowCounts(handle.db)).toEqual(before);
    });
  });

  describe('actorFromApiKey', () => {
    it('turns a live secret into an API-key actor and records when it was used', async () => {
      const { id, secret } = await createApiKey(asAdmin(), { name: 'metrics-pusher', roles: ['oncall'], scopes: ['metrics'] });
      const now = new Date('2030-01-01T12:00:00Z');
      expect(await actorFromApiKey(handle.db, secret, now)).toEqual({ type: 'api_key', id, name: 'api-key:metrics-pusher', roles: ['oncall'], scopes: ['metrics'] });
      expect((await rowOf(id)).lastUsedAt?.toISOString()).toBe(now.toISOString());

      // Within a minute the stamp is left alone (no write per request); after it, it moves.
      await actorFromApiKey(handle.db, secret, new Date(now.getTime() + 30_000));
      expect((await rowOf(id)).lastUsedAt?.toISOString()).toBe(now.toISOString());
      const later = new Date(now.getTime() + 90_000);
      await actorFromApiKey(handle.db, secret, later);
      expect((await rowOf(id)).lastUsedAt?.toISOString()).toBe(later.toISOString());
    });

    it('returns null for an unknown secret', async () => {
      expect(await actorFromApiKey(handle.db, `fdk_${randomBytes(24).toString('base64url')}`)).toBeNull();
      expect(await actorFromApiKey(handle.db, '')).toBeNull();
    });

    it('returns null once the key has expired, and does not mark it used', async () => {
      const now = new Date('2025-02-01T00:00:00Z');
      const { id, secret } = await createApiKey(asAdmin(now), { name: 'expiring', scopes: ['read'], expiresInDays: 1 });
      expect(await actorFromApiKey(handle.db, secret, new Date(now.getTime() + DAY - 1000))).not.toBeNull();
      const used = (await rowOf(id)).lastUsedAt;
      expect(await actorFromApiKey(handle.db, secret, new Date(now.getTime() + DAY))).toBeNull();
      expect(await actorFromApiKey(handle.db, secret, new Date(now.getTime() + 2 * DAY))).toBeNull();
      expect((await rowOf(id)).lastUsedAt).toEqual(used);
    });
  });

  describe('revokeApiKey', () => {
    it('cuts the key off at once', async () => {
      const { id, secret } = await createApiKey(asAdmin(), { name: 'to-revoke', scopes: ['read'] });
      expect(await actorFromApiKey(handle.db, secret)).not.toBeNull();
      const at = new Date('2031-01-01T00:00:00Z');
      const revoked = await revokeApiKey(asAdmin(at), { apiKeyId: id });
      expect(revoked.revokedAt?.toISOString()).toBe(at.toISOString());
      expect(await actorFromApiKey(handle.db, secret)).toBeNull();
    });

    it('writes one audit event when revoked twice, and reports the first time', async () => {
      const { id } = await createApiKey(asAdmin(), { name: 'revoked-twice', scopes: ['read'] });
      const first = new Date('2031-02-01T00:00:00Z');
      await revokeApiKey(asAdmin(first), { apiKeyId: id });
      const again = await revokeApiKey(asAdmin(new Date('2031-03-01T00:00:00Z')), { apiKeyId: id });
      expect(again.revokedAt?.toISOString()).toBe(first.toISOString());

      const events = await auditOf(handle.db, id);
      expect(events.map((e) => e.action)).toEqual(['api_key.create', 'api_key.revoke']);
      expect(events[1]).toMatchObject({ before: { revokedAt: null }, after: { revokedAt: first.toISOString() } });
    });

    it('refuses an unknown key and a malformed id', async () => {
      await expect(revokeApiKey(asAdmin(), { apiKeyId: randomUUID() })).rejects.toMatchObject({ code: 'not_found' });
      await expect(revokeApiKey(asAdmin(), { apiKeyId: 'fdk_123' })).rejects.toMatchObject({ code: 'invalid', details: { fields: { apiKeyId: [expect.any(String)] } } });
    });
  });

  describe('importApiKey', () => {
    it('registers a chosen secret once; importing it again changes nothing', async () => {
      const secret = `ci-bootstrap-${unique()}-${randomBytes(12).toString('hex')}`;
      const first = await importApiKey(asAdmin(), { name: 'bootstrap', secret, roles: ['admin'], scopes: ['admin'] });
      expect(first).not.toHaveProperty('secret');
      expect((await rowOf(first.id)).secretHash).toBe(sha256(secret));
      expect(await actorFromApiKey(handle.db, secret)).toMatchObject({ type: 'api_key', id: first.id, roles: ['admin'], scopes: ['admin'] });

      const before = await rowCounts(handle.db);
      const second = await importApiKey(asAdmin(), { name: 'renamed', secret, roles: [], scopes: ['read'] });
      expect(second).toMatchObject({ id: first.id, name: 'bootstrap', roles: ['admin'], scopes: ['admin'] });
      expect(await rowCounts(handle.db)).toEqual(before);
      expect((await auditOf(handle.db, first.id)).map((e) => e.action)).toEqual(['api_key.import']);
    });

    it('stores one key when several instances import the same secret at once', async () => {
      const secret = `concurrent-${unique()}-${randomBytes(12).toString('hex')}`;
      const results = await Promise.all(Array.from({ length: 4 }, () => importApiKey(asAdmin(), { name: 'bootstrap', secret, roles: ['admin'], scopes: ['admin'] })));
      expect(new Set(results.map((r) => r.id)).size).toBe(1);
      expect(await handle.db.select().from(apiKeys).where(eq(apiKeys.secretHash, sha256(secret)))).toHaveLength(1);
      expect(await auditOf(handle.db, results[0]!.id)).toHaveLength(1);
    });

    it('refuses a short secret and one with spaces', async () => {
      const count = await auditCount(handle.db);
      await expect(importApiKey(asAdmin(), { name: 'x', secret: 'too-short', roles: [], scopes: ['read'] })).rejects.toMatchObject({ code: 'invalid', details: { fields: { secret: [expect.any(String)] } } });
      await expect(importApiKey(asAdmin(), { name: 'x', secret: 'has spaces in it, which is not allowed', roles: [], scopes: ['read'] })).rejects.toMatchObject({ code: 'invalid' });
      expect(await auditCount(handle.db)).toBe(count);
    });
  });
});
