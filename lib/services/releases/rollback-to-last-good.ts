import { and, desc, eq, inArray } from 'drizzle-orm';
import { environments, incidents, models, modelVersions, releases, releaseSteps } from '@/db/schema';
import { RollbackToLastGoodInput } from '@/lib/domain/release-input';
import { IN_FLIGHT_STATES } from '@/lib/domain/release-machine';
import { conflict, notFound } from '../errors';
import { defineUseCase } from '../use-case';
import { enqueueWebhooks } from '../webhooks/enqueue';

/**
 * "Roll production back to the last known good version" when nothing is in flight: an
 * immediate release of the version that ran there before the current one, promoted at once,
 * with an incident. Allowed during freezes, like every rollback. The target is read from the
 * release history on the server, never taken from the client.
 * Fails with: forbidden; invalid; not_found; conflict (a release is in flight — roll that back;
 * no earlier version ever ran there).
 */
export const rollbackToLastGood = defineUseCase({
  name: 'release.rollback_to_last_good',
  permission: 'release.rollback',
  summary: 'Roll back to the last known good version',
  input: RollbackToLastGoodInput,
  async run({ tx, actor, now, audit, unchanged, request }, input) {
    const [env] = await tx.select().from(environments).where(eq(environments.name, input.environment)).for('update');
    if (!env) throw notFound(`The environment "${input.environment}"`);
    const [model] = await tx.select().from(models).where(eq(models.name, input.model));
    if (!model) throw notFound(`The model "${input.model}"`);
    const [inFlight] = await tx
      .select({ id: releases.id })
      .from(releases)
      .where(and(eq(releases.modelId, model.id), eq(releases.environmentId, env.id), inArray(releases.state, [...IN_FLIGHT_STATES])));
    if (inFlight) throw conflict(`A release of ${model.name} is in flight in ${env.name}: roll that release back instead.`, { releaseId: inFlight.id });

    const history = await tx
      .select({ versionId: releases.versionId, version: modelVersions.version, routing: releases.routing })
      .from(releases)
      .innerJoin(modelVersions, eq(modelVersions.id, releases.versionId))
      .where(and(eq(releases.modelId, model.id), eq(releases.environmentId, env.id), eq(releases.state, 'promoted')))
      .orderBy(desc(releases.finishedAt));
    const current = history[0];
    // Someone else rolled it back a moment ago (two on-call engineers, one page): nothing to do.
    if (current && current.version !== input.fromVersion) {
      unchanged();
      return { release: null, incidentId: null, changed: false, note: `${model.name} in ${env.name} runs ${current.version} now, not ${input.fromVersion}: nothing was rolled back` };
    }
    // Last known good: the newest earlier version that was not itself rolled back from.
    const rolledBackFrom = new Set(history.map((h) => (h.routing as { rollbackFrom?: string }).rollbackFrom).filter(Boolean));
    const previous = history.find((h) => h.versionId !== current?.versionId && !rolledBackFrom.has(h.versionId));
    if (!current || !previous) throw conflict(`No earlier good version of ${model.name} ran in ${env.name}: there is nothing to roll back to.`);

    const [created] = await tx
      .insert(releases)
      .values({
        modelId: model.id,
        versionId: previous.versionId,
        baselineVersionId: current.versionId,
        environmentId: env.id,
        strategy: 'immediate',
        state: 'promoted',
        currentWeight: 100,
        routing: { rollbackFrom: current.versionId },
        routingRevision: 1,
        requestedBy: actor.name,
        requestedById: actor.id,
        requestedByUserId: actor.type === 'user' ? actor.id : null,
        reason: input.reason,
        createdAt: now,
        startedAt: now,
        finishedAt: now,
        updatedAt: now,
      })
      .returning();
    await tx.insert(releaseSteps).values({ releaseId: created!.id, position: 0, weight: 100 });
    const summary = { releaseId: created!.id, model: model.name, environment: env.name, from: current.version, to: previous.version };
    await audit({ action: 'release.rollback_to_last_good', targetType: 'release', targetId: created!.id, before: { version: current.version }, after: summary, reason: input.reason });
    const [incident] = await tx
      .insert(incidents)
      .values({ releaseId: created!.id, title: `Rollback of ${model.name} in ${env.name} from ${current.version} to ${previous.version}`, detectedAt: now, rolledBackAt: now, rolledBackBy: actor.name })
      .returning();
    await audit({ action: 'incident.open', targetType: 'incident', targetId: incident!.id, after: { releaseId: created!.id, title: incident!.title }, reason: input.reason });
    await enqueueWebhooks(tx, 'release.rollback', { ...summary, state: 'promoted', weight: 100, actor: actor.name, reason: input.reason, at: now.toISOString() }, request?.traceparent);
    return { release: created!, incidentId: incident!.id, changed: true, note: undefined };
  },
});
