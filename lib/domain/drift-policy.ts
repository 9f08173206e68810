import { z } from 'zod';
import { DRIFT_METHODS, DRIFT_THRESHOLDS, isPValueMethod, type DriftMethod, type DriftThresholds } from './drift-scores';
import { ModelName } from './model';

/**
 * A model's drift settings, editable in its drift view (and PUT /api/v1/models/{name}/drift-policy):
 * warning and critical thresholds per method (defaults in DRIFT_THRESHOLDS), the headline method
 * per feature when the default choice does not fit, and how many healthy windows resolve an alert.
 */
const Method = z.enum(DRIFT_METHODS as [DriftMethod, ...DriftMethod[]]);
const Pair = z.object({ warning: z.number().finite().min(0), critical: z.number().finite().min(0) });

export const DriftPolicy = z
  .object({
    thresholds: z.partialRecord(Method, Pair).default({}),
    methods: z.record(z.string().min(1).max(100), Method).default({}),
    resolveAfterHealthy: z.number().int().min(1).max(100).default(3),
  })
  .superRefine((p, ctx) => {
    for (const [method, pair] of Object.entries(p.thresholds) as [DriftMethod, { warning: number; critical: number }][]) {
      if (isPValueMethod(method)) {
        if (!(pair.warning <= 1 && pair.critical < pair.warning))
          ctx.addIssue({ code: 'custom', path: ['thresholds', method], message: 'A p-value threshold: critical must be below warning, both at most 1' });
      } else if (!(pair.critical > pair.warning)) ctx.addIssue({ code: 'custom', path: ['thresholds', method], message: 'Critical must be above warning' });
    }
  });
export type DriftPolicy = z.infer<typeof DriftPolicy>;

export const UpdateDriftPolicyInput = z.object({ model: ModelName, policy: DriftPolicy });

/** The policy as stored (anything unreadable falls back to the defaults) with every threshold filled in. */
export function effectivePolicy(stored: unknown): DriftPolicy & { thresholds: DriftThresholds } {
  const parsed = DriftPolicy.safeParse(stored ?? {});
  const policy = parsed.success ? parsed.data : DriftPolicy.parse({});
  return { ...policy, thresholds: { ...DRIFT_THRESHOLDS, ...policy.thresholds } as DriftThresholds };
}
