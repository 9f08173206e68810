import { apiRoute } from '@/lib/http/api-route';
import { withParams } from '@/lib/http/body';
import { listSlos } from '@/lib/queries/slos';
import { setSlo } from '@/lib/services';

/** The model's SLOs with their burn rate per window now. */
export const GET = apiRoute<{ name: string }>(async ({ params, caller }) => ({ data: { items: await listSlos(caller, params.name) } }));

/** { environment, kind: availability | latency, objective, latencyThresholdMs? }: creates or replaces that SLO. */
export const PUT = apiRoute<{ name: string }>(async ({ params, caller, body }) => ({ data: await setSlo(caller, withParams(await body(), { model: params.name })) }));
