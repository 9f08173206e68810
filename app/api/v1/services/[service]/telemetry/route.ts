import { apiRoute } from '@/lib/http/api-route';
import { withParams } from '@/lib/http/body';
import { ingestServiceTelemetry } from '@/lib/services';

/** Whole-service buckets { environment, buckets: [{ bucketStart, requests, errors, histogram? }] } for SLOs: 202. */
export const POST = apiRoute<{ service: string }>(async ({ params, caller, body }) => ({ status: 202, data: await ingestServiceTelemetry(caller, withParams(await body(), { service: params.service })) }));
