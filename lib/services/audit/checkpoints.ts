import { desc, eq } from 'drizzle-orm';
import { z } from 'zod';
import { auditCheckpoints, auditEvents } from '@/db/schema';
import type { Database } from '@/db';
import { getAuthSecret } from '@/lib/auth/auth-secret';
import { getConfig } from '@/lib/config';
import { checkpointKeyPair, checkpointPayload, signCheckpoint, verifyCheckpoint } from '@/lib/domain/audit-export';
import { defineUseCase } from '../use-case';
import { enqueueWebhooks } from '../webhooks/enqueue';

/**
 * The server's Ed25519 checkpoint key, derived from its session secret (so every instance of one
 * deployment signs with the same key, and nothing else has to be kept). The public half is
 * published at GET /api/v1/audit/checkpoints for offline verification.
 */
export function checkpointKeys() {
  return checkpointKeyPair(getAuthSecret(getConfig()));
}

/**
 * Signs the chain's head now: its seq and hash, at this time. Nothing new since the last
 * checkpoint: no-op. Announced to webhooks subscribed to `audit.checkpoint`, so a copy can be kept
 * outside Flightdeck. Not audited itself: an audit event would move the very head it signs.
 */
export const createAuditCheckpoint = defineUseCase({
  name: 'audit.checkpoint',
  permission: 'audit.checkpoint',
  summary: 'Sign a checkpoint of the audit chain head',
  input: z.object({}),
  notAudited: 'a checkpoint attests the chain; writing it into the chain would move the head it signs',
  async run({ tx, now }) {
    const [head] = await tx.select({ seq: auditEvents.seq, hash: auditEvents.hash }).from(auditEvents).orderBy(desc(auditEvents.seq)).limit(1);
    if (!head) return null;
    const [last] = await tx.select().from(auditCheckpoints).orderBy(desc(auditCheckpoints.seq)).limit(1);
    if (last && last.seq >= head.seq) return last;
    const at = new Date(Math.floor(now.getTime()));
    const signature = signCheckpoint(checkpointPayload({ seq: head.seq, hash: head.hash, at }), checkpointKeys().privateKeyPem);
    const [created] = await tx.insert(auditCheckpoints).values({ seq: head.seq, hash: head.hash, at, signature }).onConflictDoNothing().returning();
    if (created) await enqueueWebhooks(tx, 'audit.checkpoint', { checkpoint: { seq: created.seq, hash: created.hash, at: created.at.toISOString(), signature }, publicKey: checkpointKeys().publicKeyPem });
    return created ?? null;
  },
});

export type CheckpointReport = { checked: number; latest: { seq: number; at: string } | null; problem: { seq: number; detail: string } | null };

/**
 * Every checkpoint must still match the chain: its signature valid, and the event at its seq
 * present with the same hash. A chain whose tail was cut (or rewritten and re-hashed) fails here
 * even when the remaining links are intact.
 */
export async function verifyCheckpoints(db: Database): Promise<CheckpointReport> {
  const checkpoints = await db.select().from(auditCheckpoints).orderBy(desc(auditCheckpoints.seq));
  if (checkpoints.length === 0) return { checked: 0, latest: null, problem: null };
  const { publicKeyPem } = checkpointKeys();
  for (const c of checkpoints) {
    if (!verifyCheckpoint(checkpointPayload({ seq: c.seq, hash: c.hash, at: c.at }), c.signature, publicKeyPem))
      return { checked: checkpoints.length, latest: latestOf(checkpoints), problem: { seq: c.seq, detail: `checkpoint #${c.seq} of ${c.at.toISOString()} has an invalid signature` } };
    const [event] = await db.select({ hash: auditEvents.hash }).from(auditEvents).where(eq(auditEvents.seq, c.seq));
    if (!event) return { checked: checkpoints.length, latest: latestOf(checkpoints), problem: { seq: c.seq, detail: `event #${c.seq}, signed in the checkpoint of ${c.at.toISOString()}, is missing: the chain was truncated` } };
    if (event.hash !== c.hash) return { checked: checkpoints.length, latest: latestOf(checkpoints), problem: { seq: c.seq, detail: `event #${c.seq} no longer has the hash signed in the checkpoint of ${c.at.toISOString()}: the chain was rewritten` } };
  }
  return { checked: checkpoints.length, latest: latestOf(checkpoints), problem: null };
}

const latestOf = (rows: { seq: number; at: Date }[]) => (rows[0] ? { seq: rows[0].seq, at: rows[0].at.toISOString() } : null);
