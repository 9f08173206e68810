import { randomUUID } from 'node:crypto';
import bcrypt from 'bcryptjs';
import { and, arrayContains, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loginThrottle, users } from '@/db/schema';
import type { DbHandle } from '@/db/client';
import type { Actor } from '@/lib/domain/roles';
import { actorFromUserId } from '@/lib/auth/actors';
import { verifyCredentials, WRONG_CREDENTIALS } from '@/lib/auth/credentials';
import { FREE_FAILURES } from '@/lib/domain/login-throttle';
import { createUser, updateUser } from '@/lib/services';
import { openTestDatabase, targets } from '../support/test-db';
import { auditCount, auditOf, rowCounts, signedInUser, unique } from '../support/fixtures';

const PASSWORD = 'correct horse battery';

describe.each(targets)('users on $name', ({ name }) => {
  let handle: DbHandle;
  let root: Actor; // the first, and for a while the only, admin
  beforeAll(async () => {
    handle = await openTestDatabase(name);
    root = await signedInUser(handle.db, ['admin']);
  });
  afterAll(async () => handle?.close());

  const asRoot = () => ({ actor: root, db: handle.db });
  const email = () => `person-${unique()}@test.example`;
  /** password null: a single-sign-on user. */
  const newUser = (roles: ('ml_lead' | 'reviewer' | 'oncall' | 'admin')[] = [], password: string | null = PASSWORD) =>
    createUser(asRoot(), { email: email(), name: 'Some One', roles, password: password ?? undefined });
  const rowOf = async (id: string) => (await handle.db.select().from(users).where(eq(users.id, id)))[0]!;

  describe('createUser', () => {
    it('stores a bcrypt hash of the password and never returns or audits it', async () => {
      const created = await newUser(['reviewer']);
      const row = await rowOf(created.id);
      expect(row.passwordHash).toMatch(/^\$2[aby]\$10\$/);
      expect(await bcrypt.compare(PASSWORD, row.passwordHash!)).toBe(true);

      expect(created).not.toHaveProperty('passwordHash');
      expect(JSON.stringify(created)).not.toContain(row.passwordHash!);
      expect(JSON.stringify(created)).not.toContain(PASSWORD);
      expect(created).toMatchObject({ roles: ['reviewer'], active: true, sso: false });

      const [event] = await auditOf(handle.db, created.id);
      expect(event).toMatchObject({ action: 'user.create', actorId: root.id, after: { id: created.id, email: created.email, roles: ['reviewer'] } });
      expect(JSON.stringify(event)).not.toContain(row.passwordHash!);
      expect(JSON.stringify(event)).not.toContain(PASSWORD);
    });

    it('stores the e-mail trimmed and lower-cased, and roles without the implied viewer', async () => {
      const local = `Mixed.Case-${unique()}`;
      const created = await createUser(asRoot(), { email: `  ${local}@Example.COM `, name: 'Mixed', roles: ['viewer', 'oncall', 'ml_lead', 'oncall'] });
      expect(created.email).toBe(`${local.toLowerCase()}@example.com`);
      expect((await rowOf(created.id)).email).toBe(`${local.toLowerCase()}@example.com`);
      expect(created.roles).toEqual(['ml_lead', 'oncall']);
    });

    it('creates a single-sign-on user without a password', async () => {
      const created = await newUser([], null);
      expect(created.sso).toBe(true);
      expect((await rowOf(created.id)).passwordHash).toBeNull();
    });

    it('refuses a taken e-mail, whatever its case, as a conflict on the e-mail field', async () => {
      const taken = await newUser();
      const before = await rowCounts(handle.db);
      const attempt = createUser(asRoot(), { email: taken.email.toUpperCase(), name: 'Twin', password: PASSWORD });
      await expect(attempt).rejects.toMatchObject({ code: 'conflict', details: { fields: { email: ['Already taken'] } } });
      expect(await rowCounts(handle.db)).toEqual(before);
    });

    it('refuses a short password and a bad e-mail with field errors', async () => {
      const attempt = createUser(asRoot(), { email: 'not-an-email', name: 'X', password: 'short' });
      await expect(attempt).rejects.toMatchObject({ code: 'invalid', details: { fields: { email: [expect.any(String)], password: [expect.any(String)] } } });
    });
  });

  describe('updateUser', () => {
    it('audits a role change with before and after', async () => {
      const user = await newUser(['reviewer']);
      const updated = await updateUser(asRoot(), { userId: user.id, roles: ['oncall', 'reviewer'] });
      expect(updated.roles).toEqual(['oncall', 'reviewer']);
      expect((await rowOf(user.id)).roles).toEqual(['oncall', 'reviewer']);

      const events = await auditOf(handle.db, user.id);
      expect(events.map((e) => e.action)).toEqual(['user.create', 'user.update']);
      expect(events[1]).toMatchObject({ actorId: root.id, before: { roles: ['reviewer'] }, after: { roles: ['oncall', 'reviewer'] } });
    });

    it('writes no audit event for a change that changes nothing', async () => {
      const user = await newUser(['reviewer', 'oncall']);
      const before = await auditCount(handle.db);
      // Same roles in another order, plus the implied viewer; same name and active flag.
      const result = await updateUser(asRoot(), { userId: user.id, roles: ['viewer', 'reviewer', 'oncall'], name: 'Some One', active: true });
      expect(result).toMatchObject({ id: user.id, roles: ['oncall', 'reviewer'] });
      expect(await auditCount(handle.db)).toBe(before);
    });

    it('refuses an empty change and an unknown user', async () => {
      const user = await newUser();
      await expect(updateUser(asRoot(), { userId: user.id })).rejects.toMatchObject({ code: 'invalid' });
      await expect(updateUser(asRoot(), { userId: randomUUID(), name: 'Ghost' })).rejects.toMatchObject({ code: 'not_found' });
    });

    it('never demotes or deactivates the last active admin', async () => {
      const admins = await handle.db.select().from(users).where(and(arrayContains(users.roles, ['admin']), eq(users.active, true)));
      expect(admins.map((a) => a.id)).toEqual([root.id]);

      // An inactive admin does not count as someone else who can manage users.
      const dormant = await newUser(['admin']);
      await updateUser(asRoot(), { userId: dormant.id, active: false });

      const before = await rowCounts(handle.db);
      await expect(updateUser(asRoot(), { userId: root.id, roles: ['ml_lead'] })).rejects.toMatchObject({ code: 'conflict' });
      await expect(updateUser(asRoot(), { userId: root.id, active: false })).rejects.toMatchObject({ code: 'conflict' });
      expect(await rowCounts(handle.db)).toEqual(before);
      expect(await rowOf(root.id)).toMatchObject({ roles: ['admin'], active: true });

      // With a second active admin the demotion goes through, and the other one becomes the last.
      const second = await newUser(['admin']);
      const asSecond = { actor: (await actorFromUserId(handle.db, second.id))!, db: handle.db };
      await updateUser(asSecond, { userId: root.id, roles: ['ml_lead'] });
      expect(await rowOf(root.id)).toMatchObject({ roles: ['ml_lead'] });
      await expect(updateUser(asSecond, { userId: second.id, active: false })).rejects.toMatchObject({ code: 'conflict' });

      // Put the world back as it was for the other tests.
      await updateUser(asSecond, { userId: root.id, roles: ['admin'] });
      await updateUser(asRoot(), { userId: second.id, roles: [] });
      expect(await rowOf(root.id)).toMatchObject({ roles: ['admin'], active: true });
    });

    it('lets only one of two admins demoting each other at once succeed', async () => {
      const [a, b] = [await newUser(['admin']), await newUser(['admin'])];
      const actorA = (await actorFromUserId(handle.db, a.id))!;
      const actorB = (await actorFromUserId(handle.db, b.id))!;
      // Root steps aside so that a and b are the only active admins.
      await updateUser({ actor: actorA, db: handle.db }, { userId: root.id, roles: [] });
      try {
        const results = await Promise.allSettled([
          updateUser({ actor: actorA, db: handle.db }, { userId: b.id, roles: [] }),
          updateUser({ actor: actorB, db: handle.db }, { userId: a.id, roles: [] }),
        ]);
        expect(results.map((r) => r.status).sort()).toEqual(['fulfilled', 'rejected']);
        expect(results.find((r) => r.status === 'rejected')).toMatchObject({ reason: { code: 'conflict' } });
        const left = await handle.db.select().from(users).where(and(arrayContains(users.roles, ['admin']), eq(users.active, true)));
        expect(left).toHaveLength(1);
      } finally {
        const [survivor] = await handle.db.select().from(users).where(and(arrayContains(users.roles, ['admin']), eq(users.active, true)));
        await updateUser({ actor: (await actorFromUserId(handle.db, survivor!.id))!, db: handle.db }, { userId: root.id, roles: ['admin'] });
        for (const id of [a.id, b.id]) await updateUser({ actor: root, db: handle.db }, { userId: id, roles: [] }).catch(() => {});
      }
    });
  });

  describe('verifyCredentials', () => {
    it('accepts the right password, whatever the e-mail case, and records the sign-in', async () => {
      const user = await newUser();
      const at = new Date('2025-04-01T08:00:00Z');
      expect(await verifyCredentials(handle.db, ` ${user.email.toUpperCase()} `, PASSWORD, at)).toEqual({ ok: true, userId: user.id });
      expect((await rowOf(user.id)).lastSignInAt?.toISOString()).toBe(at.toISOString());
    });

    it('gives the same answer for a wrong password and an unknown e-mail', async () => {
      const user = await newUser();
      expect(await verifyCredentials(handle.db, user.email, 'wrong password!!')).toEqual({ ok: false, message: WRONG_CREDENTIALS });
      expect(await verifyCredentials(handle.db, email(), PASSWORD)).toEqual({ ok: false, message: WRONG_CREDENTIALS });
      expect((await rowOf(user.id)).lastSignInAt).toBeNull();
    });

    it('answers an e-mail holding a NUL (which Postgres cannot compare) as wrong credentials, not a crash', async () => {
      const user = await newUser();
      expect(await verifyCredentials(handle.db, `${user.email}\u0000`, PASSWORD)).toEqual({ ok: false, message: WRONG_CREDENTIALS });
      expect(await verifyCredentials(handle.db, user.email, PASSWORD)).toMatchObject({ ok: true });
    });

    it('refuses an SSO user who has no password', async () => {
      const user = await newUser([], null);
      expect(await verifyCredentials(handle.db, user.email, PASSWORD)).toEqual({ ok: false, message: WRONG_CREDENTIALS });
    });

    it('locks the address after repeated failures, even against the right password, until the lock runs out', async () => {
      const user = await newUser();
      const t0 = new Date('2025-05-01T12:00:00Z');
      for (let i = 0; i <= FREE_FAILURES; i++) {
        const result = await verifyCredentials(handle.db, user.email, 'wrong password!!', t0);
        expect(result).toEqual({ ok: false, message: WRONG_CREDENTIALS });
      }
      const locked = await verifyCredentials(handle.db, user.email, PASSWORD, t0);
      expect(locked).toMatchObject({ ok: false, message: expect.stringMatching(/^Too many failed sign-ins\. Try again in \d+ s\.$/) });
      // Unknown addresses are throttled the same way, so locking does not reveal who exists.
      const stranger = email();
      for (let i = 0; i <= FREE_FAILURES; i++) await verifyCredentials(handle.db, stranger, 'wrong password!!', t0);
      expect(await verifyCredentials(handle.db, stranger, PASSWORD, t0)).toMatchObject({ message: expect.stringMatching(/^Too many failed sign-ins/) });

      const later = new Date(t0.getTime() + 60_000);
      expect(await verifyCredentials(handle.db, user.email, PASSWORD, later)).toEqual({ ok: true, userId: user.id });
    });

    it('forgets earlier failures after a successful sign-in', async () => {
      const user = await newUser();
      const t0 = new Date('2025-06-01T12:00:00Z');
      for (let i = 0; i < FREE_FAILURES; i++) await verifyCredentials(handle.db, user.email, 'wrong password!!', t0);
      expect(await verifyCredentials(handle.db, user.email, PASSWORD, t0)).toEqual({ ok: true, userId: user.id });
      expect(await handle.db.select().from(loginThrottle).where(eq(loginThrottle.email, user.email))).toEqual([]);
      // Without the reset this failure would be the fifth and lock the address.
      await verifyCredentials(handle.db, user.email, 'wrong password!!', t0);
      expect(await verifyCredentials(handle.db, user.email, PASSWORD, t0)).toEqual({ ok: true, userId: user.id });
    });

    it('refuses a deactivated user, saying so only to someone who knows the password', async () => {
      const user = await newUser();
      await updateUser(asRoot(), { userId: user.id, active: false });
      expect(await verifyCredentials(handle.db, user.email, PASSWORD)).toEqual({ ok: false, message: 'This account is deactivated. Ask an admin.' });
      expect(await verifyCredentials(handle.db, user.email, 'wrong password!!')).toEqual({ ok: false, message: WRONG_CREDENTIALS });
    });
  });

  describe('actorFromUserId', () => {
    it('reads roles fresh and returns null once the user is deactivated', async () => {
      const user = await newUser(['reviewer']);
      expect(await actorFromUserId(handle.db, user.id)).toEqual({ type: 'user', id: user.id, name: 'Some One', email: user.email, roles: ['reviewer'] });
      await updateUser(asRoot(), { userId: user.id, roles: ['oncall'] });
      expect((await actorFromUserId(handle.db, user.id))?.roles).toEqual(['oncall']);
      await updateUser(asRoot(), { userId: user.id, active: false });
      expect(await actorFromUserId(handle.db, user.id)).toBeNull();
    });

    it('returns null for unknown and malformed ids', async () => {
      expect(await actorFromUserId(handle.db, randomUUID())).toBeNull();
      expect(await actorFromUserId(handle.db, "x' or 1=1 --")).toBeNull();
    });
  });
});
