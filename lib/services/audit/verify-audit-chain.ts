import { asc, gt } from 'drizzle-orm';
import { auditEvents } from '@/db/schema';
import { ChainVerifier, type ChainReport } from '@/lib/domain/audit-chain';
import type { Actor } from '@/lib/domain/roles';
import type { Database } from '@/db';
import { authorize } from '../authorize';
import { verifyCheckpoints, type CheckpointReport } from './checkpoints';

const PAGE = 2000;

/**
 * Walks the whole chain in seq order, a page at a time (memory stays flat with millions of
 * events), and names the first event whose content or link does not check out.
 */
export async function verifyAuditChain(caller: { actor: Actor | null; db: Database }): Promise<ChainReport & { checkpoints: CheckpointReport }> {
  authorize(caller.actor, 'dashboard.read', 'verify the audit chain');
  const verifier = new ChainVerifier();
  let after = 0;
  for (;;) {
    const page = await caller.db.select().from(auditEvents).where(gt(auditEvents.seq, after)).orderBy(asc(auditEvents.seq)).limit(PAGE);
    for (const event of page) verifier.push(event);
    const last = page.at(-1);
    if (!last || page.length < PAGE || verifier.report().firstBroken) break;
    after = last.seq;
  }
  const report = verifier.report();
  // The links can all be intact after the tail was cut off: the signed checkpoints catch that.
  const checkpoints = await verifyCheckpoints(caller.db);
  return { ...report, ok: report.ok && checkpoints.problem === null, checkpoints };
}
