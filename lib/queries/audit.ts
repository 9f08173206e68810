import { desc, lt } from 'drizzle-orm';
import { z } from 'zod';
import { auditEvents } from '@/db/schema';
import type { Database } from '@/db';
import type { Actor } from '@/lib/domain/roles';
import { authorize } from '@/lib/services/authorize';
import { decodeCursor, encodeCursor, PageParams } from './paging';

/** Newest first, keyset-paginated on seq so a deep page costs the same as the first. */
export async function listAuditEvents({ actor, db }: { actor: Actor | null; db: Database }, raw: z.input<typeof PageParams>) {
  authorize(actor, 'dashboard.read', 'read the audit log');
  const params = PageParams.parse(raw);
  const before = decodeCursor(params.cursor, z.number().int().positive());
  const rows = await db
    .select()
    .from(auditEvents)
    .where(before ? lt(auditEvents.seq, before) : undefined)
    .orderBy(desc(auditEvents.seq))
    .limit(params.limit + 1);
  const items = rows.slice(0, params.limit);
  return { items, nextCursor: rows.length > params.limit ? encodeCursor(items.at(-1)!.seq) : null };
}
