import { and, arrayContains, eq, ne, sql } from 'drizzle-orm';
import { users } from '@/db/schema';
import { UpdateUserInput } from '@/lib/domain/user';
import { conflict, invalid, notFound } from '../errors';
import { defineUseCase } from '../use-case';
import { publicUser } from './public-user';

// Any constant works, as long as it differs from the other advisory locks (7262001, 7262002).
const ADMIN_CHANGE_LOCK = 7262003;

/**
 * Changes a user's roles, name or active flag. The last active admin cannot be demoted or
 * deactivated: someone must always be able to manage users.
 * Fails with: forbidden (not admin), invalid, not_found, conflict (last admin).
 */
export const updateUser = defineUseCase({
  name: 'user.update',
  permission: 'user.manage',
  summary: 'Change a user',
  input: UpdateUserInput,
  async run({ tx, audit, unchanged }, input) {
    if (input.roles === undefined && input.active === undefined && input.name === undefined)
      throw invalid('Nothing to change.', { _: ['Give roles, active or name'] });
    // Serialise changes that may take admin rights away. Row locks alone deadlock when two admins
    // demote each other at once (each holds its own row and waits for the other's); behind this
    // lock the second one reads the first one's result and gets a conflict instead.
    if (input.roles !== undefined || input.active === false) await tx.execute(sql`select pg_advisory_xact_lock(${ADMIN_CHANGE_LOCK})`);
    const [before] = await tx.select().from(users).where(eq(users.id, input.userId)).for('update');
    if (!before) throw notFound('The user');

    const next = {
      roles: input.roles ?? before.roles,
      active: input.active ?? before.active,
      name: input.name ?? before.name,
    };
    const losesAdmin = before.roles.includes('admin') && before.active && (!next.roles.includes('admin') || !next.active);
    if (losesAdmin) {
      // Lock the other admins too, so two admins demoting each other at once cannot both succeed.
      const others = await tx
        .select({ id: users.id })
        .from(users)
        .where(and(arrayContains(users.roles, ['admin']), eq(users.active, true), ne(users.id, before.id)))
        .for('update');
      if (others.length === 0) throw conflict('This is the last active admin; make someone else admin first.');
    }
    if (next.name === before.name && next.active === before.active && sameRoles(next.roles, before.roles)) {
      unchanged();
      return publicUser(before);
    }
    const [after] = await tx.update(users).set(next).where(eq(users.id, before.id)).returning();
    await audit({ action: 'user.update', targetType: 'user', targetId: before.id, before: publicUser(before), after: publicUser(after!) });
    return publicUser(after!);
  },
});

const sameRoles = (a: string[], b: string[]) => a.length === b.length && [...a].sort().every((r, i) => r === [...b].sort()[i]);
