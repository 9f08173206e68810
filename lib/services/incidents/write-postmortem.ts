import { eq } from 'drizzle-orm';
import { incidents } from '@/db/schema';
import { canonicalJson } from '@/lib/domain/canonical-json';
import { PostmortemInput } from '@/lib/domain/incident-timeline';
import { notFound } from '../errors';
import { defineUseCase } from '../use-case';

/**
 * The postmortem of an incident (markdown), its owner and action items; `close` marks the
 * incident closed. Saving the same text again changes nothing. Every save is audited with the
 * before and after, so the history of a postmortem is in the chain.
 * Fails with: forbidden; invalid (names the field); not_found.
 */
export const writePostmortem = defineUseCase({
  name: 'incident.postmortem',
  permission: 'incident.write',
  summary: "Write an incident's postmortem",
  input: PostmortemInput,
  async run(ctx, input) {
    const [before] = await ctx.tx.select().from(incidents).where(eq(incidents.id, input.incidentId)).for('update');
    if (!before) throw notFound('The incident');
    const next = { postmortem: input.postmortem, postmortemOwner: input.owner ?? null, actionItems: input.actionItems, state: input.close ? 'closed' : before.state };
    const previous = { postmortem: before.postmortem, postmortemOwner: before.postmortemOwner, actionItems: before.actionItems, state: before.state };
    if (canonicalJson(previous) === canonicalJson(next)) {
      ctx.unchanged();
      return before;
    }
    const [after] = await ctx.tx.update(incidents).set(next).where(eq(incidents.id, before.id)).returning();
    await ctx.audit({ action: 'incident.postmortem', targetType: 'incident', targetId: before.id, before: previous, after: next });
    return after!;
  },
});
