import { and, eq, sql } from 'drizzle-orm';
import { environments, models, serviceSamples } from '@/db/schema';
import { IngestServiceTelemetryInput, MAX_FUTURE_SKEW_MS } from '@/lib/domain/slo-input';
import { invalid, notFound } from '../errors';
import { defineUseCase } from '../use-case';

/**
 * Whole-service traffic per bucket (every version together) from the serving side, what SLOs are
 * measured on. All or nothing; re-sending a bucket replaces it.
 * Fails with: forbidden (needs a metrics-scoped key); invalid (names the bucket and field); not_found.
 */
export const ingestServiceTelemetry = defineUseCase({
  name: 'service.telemetry',
  permission: 'metrics.ingest',
  summary: 'Push whole-service traffic (requests, errors, latency) for SLOs',
  input: IngestServiceTelemetryInput,
  notAudited: 'telemetry is data, not a decision; the alerts it leads to are audited',
  async run({ tx, now }, input) {
    const [model] = await tx.select({ id: models.id }).from(models).where(eq(models.servingService, input.service)).limit(1);
    if (!model) throw notFound(`The service "${input.service}"`);
    const [env] = await tx.select({ id: environments.id }).from(environments).where(and(eq(environments.name, input.environment)));
    if (!env) throw notFound(`The environment "${input.environment}"`);
    const latest = now.getTime() + MAX_FUTURE_SKEW_MS;
    const fields: Record<string, string[]> = {};
    input.buckets.forEach((b, i) => {
      if (Date.parse(b.bucketStart) > latest) fields[`buckets.${i}.bucketStart`] = ['Is in the future (more than 5 minutes ahead of the server clock)'];
    });
    if (Object.keys(fields).length) throw invalid('Some buckets are not valid; nothing was stored.', fields);
    await tx
      .insert(serviceSamples)
      .values(input.buckets.map((b) => ({ modelId: model.id, environmentId: env.id, bucketStart: new Date(b.bucketStart), requests: b.requests, errors: b.errors, histogram: b.histogram ?? null, simulated: input.simulated, receivedAt: now })))
      .onConflictDoUpdate({
        target: [serviceSamples.modelId, serviceSamples.environmentId, serviceSamples.bucketStart],
        set: { requests: sql`excluded.requests`, errors: sql`excluded.errors`, histogram: sql`excluded.histogram`, simulated: sql`excluded.simulated`, receivedAt: sql`excluded.received_at` },
      });
    return { stored: input.buckets.length };
  },
});
