import { and, eq } from 'drizzle-orm';
import { driftReferences, models, modelVersions } from '@/db/schema';
import { canonicalJson } from '@/lib/domain/canonical-json';
import { countCategories, numericProfileFromValues, summarize } from '@/lib/domain/drift-bins';
import { keepSample, PostReferenceInput, type ReferenceFeature } from '@/lib/domain/drift-input';
import { conflict, notFound } from '../errors';
import { defineUseCase } from '../use-case';

type Stored = { featureType: 'numeric' | 'categorical'; role: 'feature' | 'prediction'; bins: Record<string, unknown>; summary: unknown; sample: number[] | null };

/** A posted feature as it is kept: raw values are binned with their own quantile edges here. */
function toStored(f: ReferenceFeature): Stored {
  if (f.type === 'numeric' && 'values' in f) {
    const profile = numericProfileFromValues(f.values, f.bins);
    return { featureType: 'numeric', role: f.role, bins: { edges: profile.edges, counts: profile.counts }, summary: summarize(f.values), sample: keepSample(f.values) };
  }
  if (f.type === 'numeric' && 'edges' in f) return { featureType: 'numeric', role: f.role, bins: { edges: f.edges, counts: f.counts }, summary: f.summary ?? null, sample: f.sample ?? null };
  if (f.type === 'categorical' && 'values' in f) return { featureType: 'categorical', role: f.role, bins: { counts: countCategories(f.values) }, summary: null, sample: null };
  return { featureType: 'categorical', role: f.role, bins: { counts: (f as { counts: Record<string, number> }).counts }, summary: null, sample: null };
}

/**
 * CI posts a version's reference profile from its training data, per feature (and for the
 * prediction). Like the version itself it does not change: posting the same profile again is a
 * no-op, a different one for a feature already profiled is a conflict naming it. New features may
 * be added later. Fails with: forbidden; invalid (names the feature and field); not_found; conflict.
 */
export const postDriftReference = defineUseCase({
  name: 'drift.reference',
  permission: 'drift.reference',
  summary: "Post a version's reference profile (training data) for drift",
  input: PostReferenceInput,
  async run(ctx, input) {
    const [version] = await ctx.tx
      .select({ id: modelVersions.id })
      .from(modelVersions)
      .innerJoin(models, eq(models.id, modelVersions.modelId))
      .where(and(eq(models.name, input.model), eq(modelVersions.version, input.version)));
    if (!version) throw notFound(`Version ${input.version} of "${input.model}"`);
    const existing = new Map((await ctx.tx.select().from(driftReferences).where(eq(driftReferences.versionId, version.id))).map((r) => [r.feature, r]));

    const fresh: (Stored & { feature: string })[] = [];
    const differing: string[] = [];
    for (const feature of input.features) {
      const stored = toStored(feature);
      const before = existing.get(feature.name);
      if (!before) fresh.push({ ...stored, feature: feature.name });
      else if (canonicalJson({ t: before.featureType, b: before.bins }) !== canonicalJson({ t: stored.featureType, b: stored.bins })) differing.push(feature.name);
    }
    if (differing.length) throw conflict(`The reference of ${differing.map((f) => `"${f}"`).join(', ')} was already posted for ${input.model} ${input.version} with different content; a version's reference does not change.`, { features: differing });
    if (fresh.length === 0) {
      ctx.unchanged();
      return { created: 0, unchanged: input.features.length };
    }
    await ctx.tx.insert(driftReferences).values(fresh.map((f) => ({ versionId: version.id, feature: f.feature, role: f.role, featureType: f.featureType, bins: f.bins, summary: f.summary, sample: f.sample, createdAt: ctx.now })));
    await ctx.audit({
      action: 'drift.reference',
      targetType: 'version',
      targetId: version.id,
      after: { model: input.model, version: input.version, features: fresh.map((f) => ({ name: f.feature, type: f.featureType, role: f.role, bins: 'edges' in f.bins ? (f.bins.counts as number[]).length : Object.keys(f.bins.counts as object).length })) },
    });
    return { created: fresh.length, unchanged: input.features.length - fresh.length };
  },
});
