import { z } from 'zod';

export const MAX_SAMPLES_PER_REQUEST = 10_000;
/** A bucket may start at most this far in the future (clock skew), no further. */
export const MAX_FUTURE_SKEW_MS = 5 * 60_000;

const Count = z.number().finite('Must be a finite number').min(0, 'Must not be negative');
export const MetricName = z.string().min(1).max(100).regex(/^[a-z][a-z0-9_.:-]*$/, 'Lower-case letters, digits and _ . : -');

/**
 * One time bucket of one metric for one variant of a release. Kinds:
 * - counter: `count` requests (or units) and `errors` (or conversions) among them;
 * - histogram: latency in ms as cumulative-free buckets `[{ le, count }]` (count per bucket, le ascending);
 * - kpi: `count` observations with their `sum` and `sumSquares` (for mean and variance).
 */
export const MetricSample = z
  .object({
    releaseId: z.uuid('Not a release id'),
    // Canary releases report baseline and canary; A/B experiments report each arm.
    variant: z.string().regex(/^(baseline|canary|control|treatment:[0-9A-Za-z.+-]{1,100})$/, 'Expected "baseline" or "canary" (a release), or "control" or "treatment:<version>" (an A/B experiment)'),
    metric: MetricName,
    kind: z.enum(['counter', 'histogram', 'kpi']),
    bucketStart: z.iso.datetime({ offset: true, message: 'Expected an ISO 8601 time, e.g. 2026-11-26T10:00:00Z' }),
    count: Count,
    errors: Count.default(0),
    sum: z.number().finite('Must be a finite number').optional(),
    sumSquares: Count.optional(),
    histogram: z.array(z.object({ le: z.number().finite().positive(), count: Count })).min(1).max(100).optional(),
  })
  .superRefine((s, ctx) => {
    if (s.errors > s.count) ctx.addIssue({ code: 'custom', path: ['errors'], message: 'Cannot exceed count' });
    if (s.kind === 'histogram') {
      if (!s.histogram) ctx.addIssue({ code: 'custom', path: ['histogram'], message: 'A histogram sample needs buckets' });
      else {
        if (s.histogram.some((b, i) => i > 0 && b.le <= s.histogram![i - 1]!.le)) ctx.addIssue({ code: 'custom', path: ['histogram'], message: 'Bucket bounds (le) must increase' });
        const total = s.histogram.reduce((n, b) => n + b.count, 0);
        if (Math.abs(total - s.count) > 1e-6) ctx.addIssue({ code: 'custom', path: ['count'], message: `Must equal the sum of the bucket counts (${total})` });
      }
    }
    if (s.kind === 'kpi' && (s.sum === undefined || s.sumSquares === undefined))
      ctx.addIssue({ code: 'custom', path: ['sum'], message: 'A kpi sample needs sum and sumSquares' });
  });
export type MetricSample = z.infer<typeof MetricSample>;

export const IngestMetricsInput = z.object({
  samples: z.array(MetricSample).min(1, 'Send at least one sample').max(MAX_SAMPLES_PER_REQUEST, `At most ${MAX_SAMPLES_PER_REQUEST.toLocaleString('en')} samples per request`),
  simulated: z.boolean().default(false),
});
