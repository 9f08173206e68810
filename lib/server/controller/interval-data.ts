import { and, eq, gte, lt } from 'drizzle-orm';
import { metricSamples } from '@/db/schema';
import type { Database } from '@/db';
import type { AnalysisConfig, VariantData } from '@/lib/domain/canary-judge';

/** The samples of one interval, summed per variant and metric into what the judge reads. */
export async function intervalData(db: Database, releaseId: string, config: AnalysisConfig, start: Date, end: Date) {
  const rows = await db
    .select()
    .from(metricSamples)
    .where(and(eq(metricSamples.releaseId, releaseId), gte(metricSamples.bucketStart, start), lt(metricSamples.bucketStart, end)));
  const result: Record<'baseline' | 'canary', Record<string, VariantData | undefined>> = { baseline: {}, canary: {} };
  for (const metric of config.metrics) {
    for (const variant of ['baseline', 'canary'] as const) {
      const own = rows.filter((r) => r.metric === metric.name && r.variant === variant);
      if (own.length === 0) continue;
      if (metric.kind === 'rate') {
        result[variant][metric.name] = { rate: { count: sum(own.map((r) => r.count)), errors: sum(own.map((r) => r.errors)) } };
      } else {
        const buckets = new Map<number, number>();
        for (const r of own) for (const b of (r.histogram as { le: number; count: number }[] | null) ?? []) buckets.set(b.le, (buckets.get(b.le) ?? 0) + b.count);
        result[variant][metric.name] = { latency: [...buckets.entries()].sort((a, b) => a[0] - b[0]).map(([le, count]) => ({ le, count })) };
      }
    }
  }
  return result;
}

const sum = (xs: number[]) => xs.reduce((a, b) => a + b, 0);
