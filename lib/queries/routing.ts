import { sql } from 'drizzle-orm';
import { rowsOf, type Database } from '@/db';
import { tableCache } from '@/db/table-cache';
import { IN_FLIGHT_STATES, type ReleaseState } from '@/lib/domain/release-machine';
import type { SplitRouting, Strategy } from '@/lib/domain/release-plan';
import type { Actor } from '@/lib/domain/roles';
import { hasNul } from '@/lib/domain/text';
import { desiredRouting, routingEtag } from '@/lib/domain/routing';
import { authorize } from '@/lib/services/authorize';
import { notFound } from '@/lib/services/errors';

/**
 * The traffic split a router should apply now for one service in one environment: the stable
 * version (last promoted) and the release in flight, turned into weights by lib/domain/routing.
 * The ETag is a hash of the split itself, so it changes exactly when the split does.
 */
export async function getRouting({ actor, db }: { actor: Actor | null; db: Database }, service: string, environment: string) {
  authorize(actor, 'dashboard.read', 'read routing');
  // Names from the URL: one with a NUL names nothing (and Postgres refuses to compare it).
  if (hasNul(service)) throw notFound(`The service "${service}"`);
  if (hasNul(environment)) throw notFound(`The environment "${environment}"`);
  return splits.get(db, `${service}\u0000${environment}`, () => loadRouting(db, service, environment));
}

/**
 * Routers poll every few seconds per service, so the split is served from memory until a row it
 * is made of changes on any instance (the triggers of migration 0014). Unknown names are not kept
 * (they throw), so probing cannot fill the cache.
 */
const splits = tableCache<{ routing: ReturnType<typeof desiredRouting>; etag: string }>({
  tables: ['releases', 'models', 'environments', 'model_versions'],
  maxEntries: 5_000,
  maxAgeMs: 30_000,
});

async function loadRouting(db: Database, service: string, environment: string) {
  // One round trip when it is not cached.
  const [row] = rowsOf<{ model_id: string | null; environment: string | null; stable: string | null; in_flight: InFlight | null }>(
    await db.execute(sql`
      with m as (select id from models where serving_service = ${service} order by name limit 1),
           e as (select id, name from environments where name = ${environment})
      select (select id from m) as model_id, (select name from e) as environment,
        (select v.version from releases r join model_versions v on v.id = r.version_id
          where r.model_id = (select id from m) and r.environment_id = (select id from e) and r.state = 'promoted'
          order by r.finished_at desc limit 1) as stable,
        (select json_build_object('id', r.id, 'strategy', r.strategy, 'state', r.state, 'currentWeight', r.current_weight, 'routing', r.routing, 'version', v.version)
          from releases r join model_versions v on v.id = r.version_id
          where r.model_id = (select id from m) and r.environment_id = (select id from e) and r.state in (${sql.join(IN_FLIGHT_STATES.map((s) => sql`${s}`), sql`, `)})
          order by r.created_at desc limit 1) as in_flight`),
  );
  if (!row?.model_id) throw notFound(`The service "${service}"`);
  if (!row.environment) throw notFound(`The environment "${environment}"`);
  const inFlight = row.in_flight;
  const routing = desiredRouting({
    service,
    environment: row.environment,
    stable: row.stable ? { version: row.stable } : null,
    release: inFlight
      ? {
          id: inFlight.id,
          strategy: inFlight.strategy,
          state: inFlight.state,
          currentWeight: inFlight.currentWeight,
          version: inFlight.version,
          baselineVersion: row.stable,
          split: inFlight.strategy === 'split' || inFlight.strategy === 'ab' ? (inFlight.routing as SplitRouting) : null,
          assignmentUnit: (inFlight.routing as { unit?: string }).unit ?? null,
        }
      : null,
  });
  return { routing, etag: routingEtag(routing) };
}

type InFlight = { id: string; strategy: Strategy; state: ReleaseState; currentWeight: number; routing: unknown; version: string };
