import { z } from 'zod';
import type { NumericSummary, ReferenceProfile } from './drift-bins';
import { EnvironmentName } from './environment';
import { ModelName } from './model';
import { SemverString } from './semver';

/**
 * What CI posts as a version's reference profile, and what production posts per window. Numeric
 * features come as counts over bins (inner edges ascending; the outer bins are open) or as raw
 * values that are binned on arrival with the reference's quantile edges; categorical features as
 * counts per category or raw values. Validation is strict (as for metrics): a 4xx names the field
 * and nothing is stored.
 */

export const MAX_FEATURES = 500;
export const MAX_VALUES = 100_000;
/** Raw values kept for KS and Wasserstein (a uniform subsample beyond this). */
export const MAX_KEPT_SAMPLE = 10_000;
export const MAX_CATEGORIES = 1000;

export const FeatureName = z.string().min(1).max(100).regex(/^[A-Za-z_][A-Za-z0-9_.:-]*$/, 'Letters, digits and _ . : - (starting with a letter or _)');
const Count = z.number().finite('Must be a finite number').min(0, 'Must not be negative');
const Finite = z.number().finite('Must be a finite number');
const CategoryCounts = z
  .record(z.string().min(1).max(200), Count)
  .refine((c) => Object.keys(c).length >= 1, 'At least one category')
  .refine((c) => Object.keys(c).length <= MAX_CATEGORIES, `At most ${MAX_CATEGORIES} categories`);
const Role = z.enum(['feature', 'prediction']).default('feature');

const NumericBins = z.object({
  name: FeatureName,
  role: Role,
  type: z.literal('numeric'),
  edges: z.array(Finite).min(1, 'At least one inner edge (two bins)').max(99),
  counts: z.array(Count).min(2).max(100),
  summary: z.object({ mean: Finite, std: Finite.min(0), min: Finite, max: Finite, n: Count }).optional(),
  sample: z.array(Finite).max(MAX_KEPT_SAMPLE).optional(),
});
const NumericValues = z.object({
  name: FeatureName,
  role: Role,
  type: z.literal('numeric'),
  values: z.array(Finite).min(10, 'At least 10 values to profile').max(MAX_VALUES),
  bins: z.number().int().min(2).max(100).default(10),
});
const CategoricalCounts = z.object({ name: FeatureName, role: Role, type: z.literal('categorical'), counts: CategoryCounts });
const CategoricalValues = z.object({ name: FeatureName, role: Role, type: z.literal('categorical'), values: z.array(z.string().min(1).max(200)).min(1).max(MAX_VALUES) });

export const ReferenceFeature = z.union([NumericBins, NumericValues, CategoricalCounts, CategoricalValues]).superRefine((f, ctx) => {
  if ('edges' in f) {
    if (f.counts.length !== f.edges.length + 1) ctx.addIssue({ code: 'custom', path: ['counts'], message: `${f.edges.length} inner edges make ${f.edges.length + 1} bins; got ${f.counts.length} counts` });
    if (f.edges.some((e, i) => i > 0 && e <= f.edges[i - 1]!)) ctx.addIssue({ code: 'custom', path: ['edges'], message: 'Edges must be strictly ascending' });
    if (f.counts.every((c) => c === 0)) ctx.addIssue({ code: 'custom', path: ['counts'], message: 'A reference needs at least one observation' });
  }
  if (f.type === 'categorical' && 'counts' in f && Object.values(f.counts).every((c) => c === 0)) ctx.addIssue({ code: 'custom', path: ['counts'], message: 'A reference needs at least one observation' });
});
export type ReferenceFeature = z.infer<typeof ReferenceFeature>;

export const PostReferenceInput = z
  .object({
    model: ModelName,
    version: SemverString,
    features: z.array(ReferenceFeature).min(1, 'Send at least one feature').max(MAX_FEATURES),
  })
  .superRefine((r, ctx) => {
    const seen = new Set<string>();
    r.features.forEach((f, i) => {
      if (seen.has(f.name)) ctx.addIssue({ code: 'custom', path: ['features', i, 'name'], message: `Feature "${f.name}" is listed twice` });
      seen.add(f.name);
    });
  });
export type PostReferenceInput = z.infer<typeof PostReferenceInput>;

/** One feature of a production window: counts in the reference's shape, or raw values. */
export const SnapshotFeature = z.union([
  z.object({ name: FeatureName, counts: z.union([z.array(Count).min(2).max(100), CategoryCounts]) }),
  z.object({ name: FeatureName, values: z.union([z.array(Finite).min(1).max(MAX_VALUES), z.array(z.string().min(1).max(200)).min(1).max(MAX_VALUES)]) }),
]);
export type SnapshotFeature = z.infer<typeof SnapshotFeature>;

export const IngestSnapshotInput = z
  .object({
    model: ModelName,
    version: SemverString,
    environment: EnvironmentName,
    windowStart: z.iso.datetime({ offset: true, message: 'Expected an ISO 8601 time, e.g. 2026-11-26T10:00:00Z' }),
    windowEnd: z.iso.datetime({ offset: true, message: 'Expected an ISO 8601 time, e.g. 2026-11-26T10:05:00Z' }),
    features: z.array(SnapshotFeature).min(1, 'Send at least one feature').max(MAX_FEATURES),
    simulated: z.boolean().default(false),
  })
  .superRefine((s, ctx) => {
    if (Date.parse(s.windowEnd) <= Date.parse(s.windowStart)) ctx.addIssue({ code: 'custom', path: ['windowEnd'], message: 'Must be after windowStart' });
    const seen = new Set<string>();
    s.features.forEach((f, i) => {
      if (seen.has(f.name)) ctx.addIssue({ code: 'custom', path: ['features', i, 'name'], message: `Feature "${f.name}" is listed twice` });
      seen.add(f.name);
    });
  });
export type IngestSnapshotInput = z.infer<typeof IngestSnapshotInput>;

/** A deterministic subsample of at most `max` values (every k-th), so stored samples stay small. */
export function keepSample<T>(values: readonly T[], max = MAX_KEPT_SAMPLE): T[] {
  if (values.length <= max) return [...values];
  const step = values.length / max;
  return Array.from({ length: max }, (_, i) => values[Math.floor(i * step)]!);
}

/** A reference as stored (drift_references: featureType, bins, summary) back as a profile for the scores. */
export function storedProfile(row: { featureType: string; bins: unknown; summary: unknown }): ReferenceProfile {
  const bins = row.bins as { edges?: number[]; counts: number[] | Record<string, number> };
  return row.featureType === 'numeric'
    ? { type: 'numeric', edges: bins.edges!, counts: bins.counts as number[], ...(row.summary ? { summary: row.summary as NumericSummary } : {}) }
    : { type: 'categorical', counts: bins.counts as Record<string, number> };
}
