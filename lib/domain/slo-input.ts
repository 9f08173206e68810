import { z } from 'zod';
import { EnvironmentName } from './environment';
import { MAX_FUTURE_SKEW_MS } from './metrics-input';
import { ModelName } from './model';

export { MAX_FUTURE_SKEW_MS };

export const SLO_KINDS = ['availability', 'latency'] as const;

/** An SLO as a team states it: "99.9 % of requests succeed", "99 % answer within 300 ms". */
export const SetSloInput = z
  .object({
    model: ModelName,
    environment: EnvironmentName,
    kind: z.enum(SLO_KINDS),
    objective: z.number().gt(0.5, 'Above 0.5 (e.g. 0.999)').lt(1, 'Below 1: a 100 % objective has no error budget to burn'),
    latencyThresholdMs: z.number().finite().positive().max(600_000).optional(),
  })
  .refine((s) => (s.kind === 'latency') === (s.latencyThresholdMs !== undefined), {
    path: ['latencyThresholdMs'],
    message: 'A latency SLO needs latencyThresholdMs; an availability SLO must not send it',
  });
export type SetSloInput = z.infer<typeof SetSloInput>;

const Count = z.number().finite('Must be a finite number').min(0, 'Must not be negative');

/** One bucket of a whole service: requests, errors among them, and optionally latency buckets (ms). */
export const ServiceBucket = z
  .object({
    bucketStart: z.iso.datetime({ offset: true, message: 'Expected an ISO 8601 time, e.g. 2026-11-26T10:00:00Z' }),
    requests: Count,
    errors: Count.default(0),
    histogram: z.array(z.object({ le: z.number().positive(), count: Count })).min(1).max(100).optional(),
  })
  .superRefine((b, ctx) => {
    if (b.errors > b.requests) ctx.addIssue({ code: 'custom', path: ['errors'], message: 'Cannot exceed requests' });
    if (b.histogram) {
      if (b.histogram.some((x, i) => i > 0 && x.le <= b.histogram![i - 1]!.le)) ctx.addIssue({ code: 'custom', path: ['histogram'], message: 'Bucket bounds (le) must increase' });
      const total = b.histogram.reduce((s, x) => s + x.count, 0);
      if (Math.abs(total - b.requests) > 1e-6) ctx.addIssue({ code: 'custom', path: ['requests'], message: `Must equal the sum of the histogram counts (${total})` });
    }
  });

export const IngestServiceTelemetryInput = z.object({
  service: z.string().min(1).max(100),
  environment: EnvironmentName,
  buckets: z.array(ServiceBucket).min(1, 'Send at least one bucket').max(10_000),
  simulated: z.boolean().default(false),
});
