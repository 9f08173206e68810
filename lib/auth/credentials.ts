import bcrypt from 'bcryptjs';
import { eq, sql } from 'drizzle-orm';
import { loginThrottle, users } from '@/db/schema';
import { hasNul } from '@/lib/domain/text';
import { lockSecondsAfter, secondsUntilUnlocked } from '@/lib/domain/login-throttle';
import type { Database } from '@/db';

export type CredentialsResult = { ok: true; userId: string } | { ok: false; message: string };

export const WRONG_CREDENTIALS = 'Wrong e-mail or password.';
// Compared against when the e-mail is unknown, so that both paths take as long as each other.
const DUMMY_HASH = '$2b$10$Owrxx3wOmJhH09Qhg8mYdukzmu96Zof6dHtZM/P2t1ja6nvfWRNQK';

/**
 * Checks an e-mail and password. Failures are counted per e-mail in the database and, past a
 * few, lock the address for a growing time (lib/domain/login-throttle).
 */
export async function verifyCredentials(db: Database, rawEmail: string, password: string, now = new Date()): Promise<CredentialsResult> {
  const email = rawEmail.trim().toLowerCase();
  if (!email || !password) return { ok: false, message: 'Enter your e-mail and password.' };
  // No stored e-mail holds a NUL, and Postgres refuses one in a query parameter.
  if (hasNul(email)) return { ok: false, message: WRONG_CREDENTIALS };

  const [throttle] = await db.select().from(loginThrottle).where(eq(loginThrottle.email, email));
  const wait = secondsUntilUnlocked(throttle?.lockedUntil ?? null, now);
  if (wait > 0) return { ok: false, message: `Too many failed sign-ins. Try again in ${wait} s.` };

  const [user] = await db.select().from(users).where(eq(users.email, email));
  const matches = await bcrypt.compare(password, user?.passwordHash ?? DUMMY_HASH);
  if (!user || !user.passwordHash || !matches || !user.active) {
    const [row] = await db
      .insert(loginThrottle)
      .values({ email, failures: 1, lastFailureAt: now })
      .onConflictDoUpdate({ target: loginThrottle.email, set: { failures: sql`${loginThrottle.failures} + 1`, lastFailureAt: now } })
      .returning();
    const lock = lockSecondsAfter(row!.failures);
    if (lock > 0) await db.update(loginThrottle).set({ lockedUntil: new Date(now.getTime() + lock * 1000) }).where(eq(loginThrottle.email, email));
    if (user && matches && !user.active) return { ok: false, message: 'This account is deactivated. Ask an admin.' };
    return { ok: false, message: WRONG_CREDENTIALS };
  }
  await db.delete(loginThrottle).where(eq(loginThrottle.email, email));
  await db.update(users).set({ lastSignInAt: now }).where(eq(users.id, user.id));
  return { ok: true, userId: user.id };
}
