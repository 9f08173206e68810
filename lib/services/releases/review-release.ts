import { approvals } from '@/db/schema';
import { checkFourEyes } from '@/lib/domain/approval-evidence';
import { ApproveReleaseInput, RejectReleaseInput } from '@/lib/domain/release-input';
import { hasRole, isRole } from '@/lib/domain/roles';
import { forbidden } from '../errors';
import { defineUseCase, type UseCaseContext } from '../use-case';
import { applyTransition } from './apply-transition';
import { lockRelease, validApprovals } from './release-context';

/**
 * A reviewer approves: four-eyes (never the requester), a role the environment accepts, and the
 * approval is bound to a digest of the evidence on screen (version digest, gate results, policy
 * version) and expires. A reviewer approving again replaces their earlier approval, which is how
 * an approval voided by changed evidence is renewed. When enough distinct approvals count, the
 * release becomes approved.
 * Fails with: forbidden (role, four-eyes); invalid; not_found; conflict (not waiting for approval).
 */
export const approveRelease = defineUseCase({
  name: 'release.approve',
  permission: 'release.approve',
  summary: 'Approve a release',
  input: ApproveReleaseInput,
  run: (ctx, input) => review(ctx, input.releaseId, 'approve', input.comment),
});

/** A reviewer rejects, with the reason; the release ends. Fails as approve does. */
export const rejectRelease = defineUseCase({
  name: 'release.reject',
  permission: 'release.approve',
  summary: 'Reject a release',
  input: RejectReleaseInput,
  run: (ctx, input) => review(ctx, input.releaseId, 'reject', input.comment),
});

async function review(ctx: UseCaseContext, releaseId: string, decision: 'approve' | 'reject', comment: string) {
  const { tx, actor, now } = ctx;
  const { release, env } = await lockRelease(tx, releaseId);
  const fourEyes = checkFourEyes(actor.id, release.requestedById);
  if (!fourEyes.ok) throw forbidden(fourEyes.message);
  const roles = actor.roles.filter(isRole);
  if (!env.approverRoles.some((role) => isRole(role) && hasRole(roles, role)))
    throw forbidden(`Approvals in ${env.name} need the ${env.approverRoles.join(' or ')} role.`);
  if (release.state !== 'pending_approval' && release.state !== 'approved')
    return applyTransition(ctx, releaseId, decision, comment); // answers with the legal-state conflict

  const { currentDigest } = await validApprovals(tx, release, env, now);
  const values = {
    decision,
    comment,
    evidenceDigest: currentDigest,
    reviewer: actor.name,
    createdAt: now,
    expiresAt: new Date(now.getTime() + env.approvalTtlHours * 3_600_000),
    voidedAt: null,
  };
  await tx
    .insert(approvals)
    .values({ ...values, releaseId, reviewerId: actor.id })
    .onConflictDoUpdate({ target: [approvals.releaseId, approvals.reviewerId], set: values });
  await ctx.audit({
    action: decision === 'approve' ? 'release.approval' : 'release.rejection',
    targetType: 'release',
    targetId: releaseId,
    after: { reviewer: actor.name, decision, evidenceDigest: currentDigest, expiresAt: values.expiresAt.toISOString() },
    reason: comment || null,
  });
  // reject ends the release; approve moves it to approved once enough approvals count, and
  // otherwise leaves it waiting (the state machine says how many of how many).
  return applyTransition(ctx, releaseId, decision, comment);
}
