import bcrypt from 'bcryptjs';
import { users } from '@/db/schema';
import { CreateUserInput } from '@/lib/domain/user';
import { conflict } from '../errors';
import { defineUseCase } from '../use-case';
import { publicUser } from './public-user';

export const PASSWORD_HASH_ROUNDS = 10;

/**
 * Adds a person. Without a password the user can only sign in through single sign-on.
 * Fails with: forbidden (not admin), invalid, conflict (e-mail taken).
 */
export const createUser = defineUseCase({
  name: 'user.create',
  permission: 'user.manage',
  summary: 'Create a user',
  input: CreateUserInput,
  async run({ tx, audit }, input) {
    const passwordHash = input.password ? await bcrypt.hash(input.password, PASSWORD_HASH_ROUNDS) : null;
    const [created] = await tx
      .insert(users)
      .values({ email: input.email, name: input.name, roles: input.roles, passwordHash })
      .onConflictDoNothing({ target: users.email })
      .returning();
    if (!created) throw conflict(`A user with e-mail ${input.email} already exists.`, { fields: { email: ['Already taken'] } });
    await audit({ action: 'user.create', targetType: 'user', targetId: created.id, after: publicUser(created) });
    return publicUser(created);
  },
});
