import { and, eq, sql } from 'drizzle-orm';
import { driftReferences, driftSnapshots, environments, models, modelVersions } from '@/db/schema';
import { countCategories, numericSnapshotFromValues, type CurrentSnapshot, type ReferenceProfile } from '@/lib/domain/drift-bins';
import { IngestSnapshotInput, keepSample, storedProfile, type SnapshotFeature } from '@/lib/domain/drift-input';
import { effectivePolicy } from '@/lib/domain/drift-policy';
import { scoreFeature } from '@/lib/domain/drift-scores';
import { validateSnapshot } from '@/lib/domain/drift-validation';
import { MAX_FUTURE_SKEW_MS } from '@/lib/domain/metrics-input';
import { invalid, notFound, type FieldErrors } from '../errors';
import { defineUseCase } from '../use-case';

type Built = { ok: true; current: CurrentSnapshot; sample: number[] | null } | { ok: false; fields: FieldErrors };

function currentOf(reference: ReferenceProfile, f: SnapshotFeature, field: string): Built {
  const refuse = (key: string, message: string): Built => ({ ok: false, fields: { [`${field}.${key}`]: [message] } });
  if ('values' in f) {
    const numeric = f.values.every((v) => typeof v === 'number');
    if (reference.type === 'numeric') {
      if (!numeric) return refuse('values', 'This feature is numeric: send numbers');
      return { ok: true, current: numericSnapshotFromValues(reference, f.values as number[]), sample: keepSample(f.values as number[]) };
    }
    if (numeric) return refuse('values', 'This feature is categorical: send category names as strings');
    return { ok: true, current: { type: 'categorical', counts: countCategories(f.values as string[]) }, sample: null };
  }
  if (Array.isArray(f.counts)) {
    if (reference.type !== 'numeric') return refuse('counts', 'This feature is categorical: send { category: count }');
    return { ok: true, current: { type: 'numeric', counts: f.counts }, sample: null };
  }
  if (reference.type !== 'categorical') return refuse('counts', `This feature is numeric: send ${reference.counts.length} bin counts`);
  return { ok: true, current: { type: 'categorical', counts: f.counts }, sample: null };
}

/**
 * A production window of a model version's features, from the serving side (a metrics-scoped
 * key). Every feature is checked against the version's reference — unknown feature, wrong shape,
 * a different number of bins, negative or no counts → 422 naming the field, nothing stored — then
 * scored on arrival (lib/domain/drift-scores, with the model's thresholds) and stored; re-sending
 * a window replaces it. The controller then runs the alert rules over new windows.
 * Fails with: forbidden; invalid; not_found (model, version, environment).
 */
export const ingestDriftSnapshot = defineUseCase({
  name: 'drift.ingest',
  permission: 'drift.ingest',
  summary: 'Post a production drift window',
  input: IngestSnapshotInput,
  notAudited: 'telemetry is data, not a decision; the alerts it leads to are audited',
  async run({ tx, now }, input) {
    const [version] = await tx
      .select({ id: modelVersions.id, policy: models.driftPolicy })
      .from(modelVersions)
      .innerJoin(models, eq(models.id, modelVersions.modelId))
      .where(and(eq(models.name, input.model), eq(modelVersions.version, input.version)));
    if (!version) throw notFound(`Version ${input.version} of "${input.model}"`);
    const [env] = await tx.select({ id: environments.id }).from(environments).where(eq(environments.name, input.environment));
    if (!env) throw notFound(`The environment "${input.environment}"`);
    if (Date.parse(input.windowEnd) > now.getTime() + MAX_FUTURE_SKEW_MS) throw invalid('The window is in the future.', { windowEnd: ['Is in the future (more than 5 minutes ahead of the server clock)'] });

    const references = new Map((await tx.select().from(driftReferences).where(eq(driftReferences.versionId, version.id))).map((r) => [r.feature, r]));
    if (references.size === 0) throw invalid(`${input.model} ${input.version} has no reference profile yet: CI posts it with the version.`, { features: ['No reference profile for this version'] });
    const policy = effectivePolicy(version.policy);
    const fields: FieldErrors = {};
    const rows: (typeof driftSnapshots.$inferInsert)[] = [];
    input.features.forEach((f, i) => {
      const field = `features.${i}`;
      const reference = references.get(f.name);
      if (!reference) {
        fields[`${field}.name`] = [`Unknown feature: ${input.model} ${input.version} has a reference for ${[...references.keys()].slice(0, 10).join(', ')}`];
        return;
      }
      const profile = storedProfile(reference);
      const built = currentOf(profile, f, field);
      if (!built.ok) return Object.assign(fields, built.fields);
      const problems = validateSnapshot(profile, built.current, field);
      if (problems.length) {
        for (const p of problems) (fields[p.field] ??= []).push(p.message);
        return;
      }
      const refSample = reference.sample as number[] | null;
      const samples = built.sample && refSample?.length ? { reference: refSample, current: built.sample } : undefined;
      const score = scoreFeature(profile, built.current, { thresholds: policy.thresholds, method: policy.methods[f.name], samples });
      const n = Array.isArray(built.current.counts) ? built.current.counts.reduce((s, c) => s + c, 0) : Object.values(built.current.counts).reduce((s, c) => s + c, 0);
      rows.push({
        referenceId: reference.id,
        environmentId: env.id,
        windowStart: new Date(input.windowStart),
        windowEnd: new Date(input.windowEnd),
        counts: built.current.counts,
        sample: built.sample,
        n,
        method: score.method,
        value: score.value,
        scores: { ...score.scores, threshold: score.threshold, convention: score.convention, conventions: score.conventions },
        severity: score.severity,
        simulated: input.simulated,
        evaluatedAt: null,
        createdAt: now,
      });
    });
    if (Object.keys(fields).length) throw invalid('Some features are not valid; nothing was stored.', fields);
    await tx
      .insert(driftSnapshots)
      .values(rows)
      .onConflictDoUpdate({
        target: [driftSnapshots.referenceId, driftSnapshots.environmentId, driftSnapshots.windowStart],
        set: {
          windowEnd: sql`excluded.window_end`,
          counts: sql`excluded.counts`,
          sample: sql`excluded.sample`,
          n: sql`excluded.n`,
          method: sql`excluded.method`,
          value: sql`excluded.value`,
          scores: sql`excluded.scores`,
          severity: sql`excluded.severity`,
          simulated: sql`excluded.simulated`,
          evaluatedAt: sql`null`,
        },
      });
    return { stored: rows.length, features: rows.map((r, i) => ({ name: input.features[i]!.name, method: r.method, value: r.value, severity: r.severity })) };
  },
});
