import { and, asc, desc, eq, ne, sql, type SQL } from 'drizzle-orm';
import { z } from 'zod';
import { alertEvents, alerts, environments, models, modelVersions } from '@/db/schema';
import type { Database } from '@/db';
import type { Actor } from '@/lib/domain/roles';
import { NO_NUL, noNul } from '@/lib/domain/text';
import { authorize } from '@/lib/services/authorize';
import { invalid, notFound } from '@/lib/services/errors';
import { fieldErrorsOf } from '@/lib/services/use-case';

type Caller = { actor: Actor | null; db: Database };

/** The inbox's filters, from a query string: every one optional; "active" means not resolved. */
export const AlertFilters = z.object({
  state: z.enum(['active', 'open', 'acknowledged', 'resolved', 'all']).default('active'),
  severity: z.enum(['warning', 'critical']).optional(),
  kind: z.enum(['drift', 'slo_breach', 'analysis_failed']).optional(),
  model: z.string().max(100).refine(noNul, NO_NUL).optional(),
  limit: z.coerce.number().int().min(1).max(200).default(100),
});
export type AlertFilters = z.infer<typeof AlertFilters>;

const row = {
  alert: alerts,
  model: models.name,
  ownerTeam: models.ownerTeam,
  version: modelVersions.version,
  environment: environments.name,
};

function base(db: Database) {
  return db
    .select(row)
    .from(alerts)
    .leftJoin(models, eq(models.id, alerts.modelId))
    .leftJoin(modelVersions, eq(modelVersions.id, alerts.versionId))
    .leftJoin(environments, eq(environments.id, alerts.environmentId));
}

/** Open first, then acknowledged, then resolved; critical before warning; newest first. */
export async function listAlerts({ actor, db }: Caller, raw: unknown = {}) {
  authorize(actor, 'dashboard.read', 'list alerts');
  const parsed = AlertFilters.safeParse(raw);
  if (!parsed.success) throw invalid('Some filters are not valid.', fieldErrorsOf(parsed.error));
  const f = parsed.data;
  const where: (SQL | undefined)[] = [
    f.state === 'active' ? ne(alerts.state, 'resolved') : f.state === 'all' ? undefined : eq(alerts.state, f.state),
    f.severity ? eq(alerts.severity, f.severity) : undefined,
    f.kind ? eq(alerts.kind, f.kind) : undefined,
    f.model ? eq(models.name, f.model) : undefined,
  ];
  return base(db)
    .where(and(...where))
    .orderBy(sql`case ${alerts.state} when 'open' then 0 when 'acknowledged' then 1 else 2 end`, sql`case ${alerts.severity} when 'critical' then 0 else 1 end`, desc(alerts.openedAt))
    .limit(f.limit);
}

/** An alert with its comment trail, oldest first. */
export async function getAlert({ actor, db }: Caller, id: string) {
  authorize(actor, 'dashboard.read', 'read an alert');
  if (!/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(id)) throw notFound('The alert');
  const [found] = await base(db).where(eq(alerts.id, id));
  if (!found) throw notFound('The alert');
  const trail = await db.select().from(alertEvents).where(eq(alertEvents.alertId, id)).orderBy(asc(alertEvents.createdAt), asc(alertEvents.id));
  return { ...found, trail };
}
