import { and, asc, desc, eq, gt, gte, ilike, lt, lte, or, sql, type SQL } from 'drizzle-orm';
import { z } from 'zod';
import { auditCheckpoints, auditEvents, models } from '@/db/schema';
import type { Database } from '@/db';
import type { Actor } from '@/lib/domain/roles';
import { NO_NUL, noNul } from '@/lib/domain/text';
import { authorize } from '@/lib/services/authorize';
import { invalid } from '@/lib/services/errors';
import { fieldErrorsOf } from '@/lib/services/use-case';
import { decodeCursor, encodeCursor, PageParams } from './paging';

type Caller = { actor: Actor | null; db: Database };

const Time = z.iso.datetime({ offset: true, message: 'Expected an ISO 8601 time, e.g. 2026-11-26T10:00:00Z' });

/**
 * The audit explorer's filters (all optional, combined with AND): who (actor name or id), what
 * (an action, or a prefix such as "release."), which object (target type and id, a model by
 * name, a release id, an environment by name), when (from/to), and full text over reasons,
 * comments and the before/after values.
 */
export const AuditFilters = z.object({
  actor: z.string().trim().min(1).max(200).refine(noNul, NO_NUL).optional(),
  action: z.string().trim().min(1).max(100).regex(/^[a-z_.]+$/, 'An action such as release.rollback, or a prefix such as release.').optional(),
  targetType: z.string().trim().min(1).max(50).refine(noNul, NO_NUL).optional(),
  targetId: z.string().trim().min(1).max(100).refine(noNul, NO_NUL).optional(),
  model: z.string().trim().min(1).max(100).refine(noNul, NO_NUL).optional(),
  release: z.uuid('Not a release id').optional(),
  environment: z.string().trim().min(1).max(100).refine(noNul, NO_NUL).optional(),
  from: Time.optional(),
  to: Time.optional(),
  q: z.string().trim().min(2, 'At least 2 characters').max(200).refine(noNul, NO_NUL).optional(),
});
export type AuditFilters = z.infer<typeof AuditFilters>;

const escapeLike = (s: string) => s.replace(/[\\%_]/g, (c) => `\\${c}`);

/** The WHERE clause of a filter set (a model's id is looked up by name first). */
async function whereOf(db: Database, f: AuditFilters): Promise<SQL | undefined> {
  const e = auditEvents;
  let modelId: string | null | undefined;
  if (f.model) modelId = (await db.select({ id: models.id }).from(models).where(eq(models.name, f.model)))[0]?.id ?? null;
  const text = (s: string) => `%${escapeLike(s)}%`;
  return and(
    f.actor ? or(ilike(e.actorName, text(f.actor)), eq(e.actorId, f.actor)) : undefined,
    f.action ? (f.action.endsWith('.') ? ilike(e.action, `${escapeLike(f.action)}%`) : eq(e.action, f.action)) : undefined,
    f.targetType ? eq(e.targetType, f.targetType) : undefined,
    f.targetId ? eq(e.targetId, f.targetId) : undefined,
    // A model's events: the model itself, or anything that names it in its before/after.
    f.model ? or(eq(e.targetId, modelId ?? '—'), sql`${e.after}->>'model' = ${f.model}`, sql`${e.before}->>'model' = ${f.model}`) : undefined,
    f.release ? or(eq(e.targetId, f.release), sql`${e.after}->>'releaseId' = ${f.release}`) : undefined,
    f.environment ? or(sql`${e.after}->>'environment' = ${f.environment}`, sql`${e.before}->>'environment' = ${f.environment}`) : undefined,
    f.from ? gte(e.occurredAt, new Date(f.from)) : undefined,
    f.to ? lte(e.occurredAt, new Date(f.to)) : undefined,
    f.q ? or(ilike(e.reason, text(f.q)), sql`${e.after}::text ilike ${text(f.q)}`, sql`${e.before}::text ilike ${text(f.q)}`) : undefined,
  );
}

export function parseAuditFilters(raw: unknown): AuditFilters {
  const parsed = AuditFilters.safeParse(raw);
  if (!parsed.success) throw invalid('Some filters are not valid.', fieldErrorsOf(parsed.error));
  return parsed.data;
}

/** Newest first, keyset-paginated on seq, so a deep page costs the same as the first. */
export async function listAuditEvents({ actor, db }: Caller, raw: Record<string, unknown> & z.input<typeof PageParams>) {
  authorize(actor, 'dashboard.read', 'read the audit log');
  const params = PageParams.parse({ limit: raw.limit, cursor: raw.cursor });
  const filters = parseAuditFilters(Object.fromEntries(Object.entries(raw).filter(([k, v]) => k !== 'limit' && k !== 'cursor' && v !== undefined && v !== '')));
  const before = decodeCursor(params.cursor, z.number().int().positive());
  const rows = await db
    .select()
    .from(auditEvents)
    .where(and(await whereOf(db, filters), before ? lt(auditEvents.seq, before) : undefined))
    .orderBy(desc(auditEvents.seq))
    .limit(params.limit + 1);
  const items = rows.slice(0, params.limit);
  return { items, nextCursor: rows.length > params.limit ? encodeCursor(items.at(-1)!.seq) : null, filters };
}

/**
 * Every matching event, oldest first, in batches read by keyset (seq) — for exports that stream:
 * memory holds one batch, whatever the size of the log.
 */
export async function* auditBatches({ actor, db }: Caller, filters: AuditFilters, batchSize = 1000) {
  authorize(actor, 'dashboard.read', 'export the audit log');
  const where = await whereOf(db, filters);
  let after = 0;
  for (;;) {
    const rows = await db.select().from(auditEvents).where(and(where, gt(auditEvents.seq, after))).orderBy(asc(auditEvents.seq)).limit(batchSize);
    if (rows.length === 0) return;
    yield rows;
    after = rows.at(-1)!.seq;
    if (rows.length < batchSize) return;
  }
}

/** The signed checkpoints of the chain's head, newest first (at most 100). */
export async function listAuditCheckpoints({ actor, db }: Caller) {
  authorize(actor, 'dashboard.read', 'read audit checkpoints');
  const rows = await db.select().from(auditCheckpoints).orderBy(desc(auditCheckpoints.seq)).limit(100);
  return rows.map((c) => ({ seq: c.seq, hash: c.hash, at: c.at.toISOString(), signature: c.signature }));
}
