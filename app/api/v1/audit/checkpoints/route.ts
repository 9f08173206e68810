import { desc } from 'drizzle-orm';
import { auditCheckpoints } from '@/db/schema';
import { apiRoute } from '@/lib/http/api-route';
import { authorize } from '@/lib/services/authorize';
import { checkpointKeys } from '@/lib/services/audit/checkpoints';

/** The signed checkpoints (newest first, up to 100) and the public key that verifies them offline. */
export const GET = apiRoute(async ({ caller }) => {
  authorize(caller.actor, 'dashboard.read', 'read audit checkpoints');
  const items = await caller.db.select().from(auditCheckpoints).orderBy(desc(auditCheckpoints.seq)).limit(100);
  return { data: { publicKey: checkpointKeys().publicKeyPem, algorithm: 'Ed25519', items: items.map((c) => ({ seq: c.seq, hash: c.hash, at: c.at.toISOString(), signature: c.signature })) } };
});
