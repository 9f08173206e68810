import { apiRoute } from '@/lib/http/api-route';
import { updatePolicy } from '@/lib/services';

/** Replace the gate policy: { requiredChecks: [...], thresholds: { kind: [MetricThreshold] } }. */
export const PUT = apiRoute<{ name: string }>(async ({ params, caller, body }) => ({
  data: await updatePolicy(caller, { environment: params.name, policy: await body() }),
}));
