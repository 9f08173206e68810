import { createHash } from 'node:crypto';
import { canonicalJson } from './canonical-json';

/**
 * The audit log is a hash chain: each event's hash covers its own content and the previous
 * event's hash, so editing or deleting any event breaks every link after it.
 *   hash = sha256_hex( prevHash + "\n" + canonicalJson(content) )
 * The first event links to GENESIS_HASH.
 */
export const GENESIS_HASH = '0'.repeat(64);

export type AuditContent = {
  id: string;
  occurredAt: Date;
  actorType: string;
  actorId: string;
  actorName: string;
  action: string;
  targetType: string;
  targetId: string;
  before: unknown;
  after: unknown;
  reason: string | null;
  metadata: unknown;
};

export type ChainedEvent = AuditContent & { seq: number; prevHash: string; hash: string };

export function hashAuditEvent(prevHash: string, content: AuditContent): string {
  return chainHash(prevHash, auditBody(content));
}

/** The canonical text of an event's content: what its hash covers besides the previous hash. */
export function auditBody(content: AuditContent): string {
  return canonicalJson({
    id: content.id,
    occurredAt: content.occurredAt,
    actorType: content.actorType,
    actorId: content.actorId,
    actorName: content.actorName,
    action: content.action,
    targetType: content.targetType,
    targetId: content.targetId,
    before: content.before,
    after: content.after,
    reason: content.reason,
    metadata: content.metadata,
  });
}

/**
 * One link: sha256_hex(prevHash + "\n" + body) over UTF-8. lib/services/audit/append-audit.ts
 * computes the same in SQL (`encode(sha256(convert_to(prev || E'\n' || body, 'UTF8')), 'hex')`).
 */
export function chainHash(prevHash: string, body: string): string {
  return createHash('sha256').update(`${prevHash}\n${body}`).digest('hex');
}

export type BrokenLink = {
  seq: number;
  id: string;
  problem: 'content_changed' | 'link_broken';
  detail: string;
};

export type ChainReport = { ok: boolean; checked: number; headHash: string; firstBroken: BrokenLink | null };

/**
 * Walks events in chain order, one at a time, so a caller can stream millions of rows through
 * it without holding them. Stops judging after the first break (everything after it is suspect).
 */
export class ChainVerifier {
  private expectedPrev = GENESIS_HASH;
  private checked = 0;
  private broken: BrokenLink | null = null;

  push(event: ChainedEvent): void {
    if (this.broken) return;
    this.checked += 1;
    if (event.prevHash !== this.expectedPrev) {
      this.broken = {
        seq: event.seq,
        id: event.id,
        problem: 'link_broken',
        detail: 'the previous-hash does not match the event before it (an event was removed or reordered)',
      };
      return;
    }
    if (hashAuditEvent(event.prevHash, event) !== event.hash) {
      this.broken = {
        seq: event.seq,
        id: event.id,
        problem: 'content_changed',
        detail: 'the stored hash does not match the event content (the event was edited)',
      };
      return;
    }
    this.expectedPrev = event.hash;
  }

  report(): ChainReport {
    return { ok: this.broken === null, checked: this.checked, headHash: this.expectedPrev, firstBroken: this.broken };
  }
}

export function verifyChain(events: Iterable<ChainedEvent>): ChainReport {
  const verifier = new ChainVerifier();
  for (const event of events) verifier.push(event);
  return verifier.report();
}
