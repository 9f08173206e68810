import { apiRoute } from '@/lib/http/api-route';
import { updateMetricsSource } from '@/lib/services';

/** PUT { preset, modelLabel?, versionLabel?, modelLabelValue?, latencyBuckets?, latencyUnit? } or null. */
export const PUT = apiRoute<{ name: string }>(async ({ params, caller, body }) => ({ data: await updateMetricsSource(caller, { model: params.name, source: await body() }) }));
