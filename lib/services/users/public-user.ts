import type { users } from '@/db/schema';

/** A user as it may leave the server or enter the audit log: never the password hash. */
export function publicUser(user: typeof users.$inferSelect) {
  return {
    id: user.id,
    email: user.email,
    name: user.name,
    roles: user.roles,
    active: user.active,
    sso: user.passwordHash === null,
    createdAt: user.createdAt,
    lastSignInAt: user.lastSignInAt,
  };
}
export type PublicUser = ReturnType<typeof publicUser>;
