import { randomBytes } from 'node:crypto';
import { asc, count, eq } from 'drizzle-orm';
import { alerts, apiKeys, auditEvents, driftReferences, driftSnapshots, environments, experiments, gateChecks, loginThrottle, models, modelVersions, releases, users } from '@/db/schema';
import type { Database } from '@/db';
import { actorFromApiKey, actorFromUserId } from '@/lib/auth/actors';
import { systemActor } from '@/lib/auth/system-actor';
import type { Actor, Role, Scope } from '@/lib/domain/roles';
import type { AppError } from '@/lib/services/errors';
import { createApiKey, createUser } from '@/lib/services';

/** A suffix that keeps names, e-mails and secrets apart between tests sharing one database. */
export const unique = () => randomBytes(5).toString('hex');

/** Who sets up fixtures: Flightdeck itself, so that no test user has to exist first. */
export const setUp = (db: Database) => ({ actor: systemActor('bootstrap'), db });

/** A real user in the database, turned into an actor the way a signed-in request does. */
export async function signedInUser(db: Database, roles: Role[], opts: { password?: string } = {}): Promise<Actor & { email: string }> {
  const user = await createUser(setUp(db), {
    email: `${roles.join('-') || 'viewer'}-${unique()}@test.example`,
    name: `Test ${roles.join(' ') || 'viewer'}`,
    roles,
    password: opts.password,
  });
  const actor = await actorFromUserId(db, user.id);
  if (!actor) throw new Error('fixture user did not come back as an actor');
  return actor;
}

/** A real API key in the database, turned into an actor the way a bearer request does. */
export async function signedInKey(db: Database, roles: Role[], scopes: Scope[]): Promise<Actor> {
  const { secret } = await createApiKey(setUp(db), { name: `key-${unique()}`, roles, scopes });
  const actor = await actorFromApiKey(db, secret);
  if (!actor) throw new Error('fixture key did not come back as an actor');
  return actor;
}

const TABLES = { users, loginThrottle, apiKeys, models, modelVersions, gateChecks, environments, releases, experiments, driftReferences, driftSnapshots, alerts, auditEvents };

/** Row counts of every table the use cases touch: equal snapshots mean nothing was stored. */
export async function rowCounts(db: Database): Promise<Record<keyof typeof TABLES, number>> {
  const entries = await Promise.all(
    Object.entries(TABLES).map(async ([name, table]) => {
      const [row] = await db.select({ n: count() }).from(table);
      return [name, row!.n] as const;
    }),
  );
  return Object.fromEntries(entries) as Record<keyof typeof TABLES, number>;
}

export async function auditCount(db: Database): Promise<number> {
  const [row] = await db.select({ n: count() }).from(auditEvents);
  return row!.n;
}

/** The audit trail of one target, oldest first. */
export const auditOf = (db: Database, targetId: string) =>
  db.select().from(auditEvents).where(eq(auditEvents.targetId, targetId)).orderBy(asc(auditEvents.seq));

/** The error a promise rejects with; fails the test when it resolves. */
export const failure = (promise: Promise<unknown>) =>
  promise.then(
    (value) => {
      throw new Error(`expected a failure, got ${JSON.stringify(value)}`);
    },
    (error: unknown) => error as AppError,
  );
