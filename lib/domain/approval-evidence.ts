import { createHash } from 'node:crypto';
import { canonicalJson } from './canonical-json';

/**
 * What a reviewer saw when approving: if any of it changes before the release starts, the approval
 * is void. The approval stores the digest of this evidence; the release compares it with the
 * digest of the evidence as it is now, so a re-run check, a new artifact or an edited policy
 * silently invalidates every approval given on the old facts.
 */
export type Evidence = {
  versionDigest: string;
  checks: { kind: string; status: string; measurements: Record<string, number> }[];
  policyVersion: number;
  environment: string;
};

// NaN and ±Infinity (a broken measurement) have no JSON form; they still belong in the evidence,
// so they are written as strings, which no real measurement (a number) can collide with.
const encodeNumber = (x: number): number | string => (Number.isFinite(x) ? x : String(x));

// Code-unit order, not localeCompare: the digest must not depend on the server's locale.
const byCodeUnit = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

/** sha256 hex of a canonical encoding: key order, check order and measurement order do not matter. */
export function evidenceDigest(e: Evidence): string {
  const checks = e.checks
    .map((c) => ({
      kind: c.kind,
      status: c.status,
      measurements: Object.fromEntries(Object.entries(c.measurements).map(([k, v]) => [k, encodeNumber(v)])),
    }))
    .map((c) => ({ check: c, key: canonicalJson(c) }))
    // By kind, then by the whole check, so even a repeated kind sorts the same every time.
    .sort((a, b) => byCodeUnit(a.check.kind, b.check.kind) || byCodeUnit(a.key, b.key))
    .map(({ check }) => check);
  const body = canonicalJson({ versionDigest: e.versionDigest, checks, policyVersion: e.policyVersion, environment: e.environment });
  return createHash('sha256').update(body).digest('hex');
}

export type ApprovalLike = {
  decision: 'approve' | 'reject';
  evidenceDigest: string;
  expiresAt: Date | null;
  voidedAt: Date | null;
  /** Null when the reviewer's account is gone (or was never a user). */
  reviewerId: string | null;
};

export type StandingContext = { currentDigest: string; now: Date; requesterId: string | null };

export type StandingReason = 'rejected' | 'voided' | 'requester' | 'unknown_reviewer' | 'expired' | 'evidence_changed';
export type Standing = { counts: boolean; reason?: StandingReason };

/** The sentence shown beside an approval that no longer counts. */
export const STANDING_MESSAGES: Record<StandingReason, string> = {
  rejected: 'This is a rejection, not an approval.',
  voided: 'This approval was withdrawn.',
  requester: 'The reviewer requested this release (four-eyes rule).',
  unknown_reviewer: 'The reviewer is not a known user, so the four-eyes rule cannot be checked.',
  expired: 'This approval has expired.',
  evidence_changed: 'The version, its checks or the policy changed after this approval.',
};

/**
 * Does this approval count towards the release's required approvals? The first reason that
 * applies is given, most deliberate first: a rejection, an explicit void, the requester approving
 * their own release, an approval nobody can be held to, then the ones that lapse by themselves.
 * `expiresAt` is the first instant at which the approval no longer counts.
 */
export function approvalStanding(a: ApprovalLike, ctx: StandingContext): Standing {
  if (a.decision === 'reject') return { counts: false, reason: 'rejected' };
  if (a.voidedAt !== null) return { counts: false, reason: 'voided' };
  if (a.reviewerId === null) return { counts: false, reason: 'unknown_reviewer' };
  if (ctx.requesterId !== null && a.reviewerId === ctx.requesterId) return { counts: false, reason: 'requester' };
  if (a.expiresAt !== null && ctx.now.getTime() >= a.expiresAt.getTime()) return { counts: false, reason: 'expired' };
  if (a.evidenceDigest !== ctx.currentDigest) return { counts: false, reason: 'evidence_changed' };
  return { counts: true };
}

/**
 * Approvals that count, one per reviewer: N approvals required means N different people.
 * distinctReviewers keeps the order of `approvals`; valid is its length.
 */
export function countApprovals(approvals: readonly ApprovalLike[], ctx: StandingContext): { valid: number; distinctReviewers: string[] } {
  const reviewers = new Set<string>();
  for (const a of approvals) {
    if (approvalStanding(a, ctx).counts && a.reviewerId !== null) reviewers.add(a.reviewerId);
  }
  return { valid: reviewers.size, distinctReviewers: [...reviewers] };
}

export const FOUR_EYES_MESSAGE = 'You requested this release: someone else must approve it (four-eyes rule).';

/** Refuses a reviewer approving their own release. A release requested by a machine (no requester) has no such conflict. */
export function checkFourEyes(reviewerId: string, requesterId: string | null): { ok: true } | { ok: false; message: typeof FOUR_EYES_MESSAGE } {
  if (requesterId !== null && reviewerId === requesterId) return { ok: false, message: FOUR_EYES_MESSAGE };
  return { ok: true };
}
