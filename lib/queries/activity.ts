import { desc, eq, sql } from 'drizzle-orm';
import { alerts, models } from '@/db/schema';
import type { Database } from '@/db';
import type { Actor } from '@/lib/domain/roles';
import { authorize } from '@/lib/services/authorize';

type Caller = { actor: Actor | null; db: Database };

/** Open first, critical before warning. */
export async function listAlerts({ actor, db }: Caller, limit = 50) {
  authorize(actor, 'dashboard.read', 'list alerts');
  return db
    .select({ alert: alerts, model: models.name })
    .from(alerts)
    .leftJoin(models, eq(models.id, alerts.modelId))
    .orderBy(sql`case ${alerts.state} when 'open' then 0 when 'acknowledged' then 1 else 2 end`, sql`case ${alerts.severity} when 'critical' then 0 else 1 end`, desc(alerts.openedAt))
    .limit(limit);
}
