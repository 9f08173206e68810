import { and, asc, desc, eq, inArray } from 'drizzle-orm';
import { environments, models, modelVersions, releases } from '@/db/schema';
import type { Database } from '@/db';
import { IN_FLIGHT_STATES, type ReleaseState } from '@/lib/domain/release-machine';
import type { SplitRouting, Strategy } from '@/lib/domain/release-plan';
import type { Actor } from '@/lib/domain/roles';
import { desiredRouting, routingEtag } from '@/lib/domain/routing';
import { authorize } from '@/lib/services/authorize';
import { notFound } from '@/lib/services/errors';
import { liveVersions } from './deployability';

/**
 * The traffic split a router should apply now for one service in one environment: the stable
 * version (last promoted) and the release in flight, turned into weights by lib/domain/routing.
 * The ETag is a hash of the split itself, so it changes exactly when the split does.
 */
export async function getRouting({ actor, db }: { actor: Actor | null; db: Database }, service: string, environment: string) {
  authorize(actor, 'dashboard.read', 'read routing');
  const [model] = await db.select().from(models).where(eq(models.servingService, service)).orderBy(asc(models.name)).limit(1);
  if (!model) throw notFound(`The service "${service}"`);
  const [env] = await db.select().from(environments).where(eq(environments.name, environment));
  if (!env) throw notFound(`The environment "${environment}"`);

  const [live, [inFlight]] = await Promise.all([
    liveVersions(db, [model.id]),
    db
      .select({ release: releases, version: modelVersions.version })
      .from(releases)
      .innerJoin(modelVersions, eq(modelVersions.id, releases.versionId))
      .where(and(eq(releases.modelId, model.id), eq(releases.environmentId, env.id), inArray(releases.state, [...IN_FLIGHT_STATES])))
      .orderBy(desc(releases.createdAt))
      .limit(1),
  ]);
  const stable = live.get(model.id)?.get(env.name) ?? null;
  const routing = desiredRouting({
    service,
    environment: env.name,
    stable: stable ? { version: stable.version } : null,
    release: inFlight
      ? {
          id: inFlight.release.id,
          strategy: inFlight.release.strategy as Strategy,
          state: inFlight.release.state as ReleaseState,
          currentWeight: inFlight.release.currentWeight,
          version: inFlight.version,
          baselineVersion: stable?.version ?? null,
          split: inFlight.release.strategy === 'split' || inFlight.release.strategy === 'ab' ? (inFlight.release.routing as SplitRouting) : null,
          assignmentUnit: (inFlight.release.routing as { unit?: string }).unit ?? null,
        }
      : null,
  });
  return { routing, etag: routingEtag(routing) };
}
