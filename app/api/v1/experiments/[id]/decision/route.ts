import { apiRoute } from '@/lib/http/api-route';
import { withParams } from '@/lib/http/body';
import { decideExperiment } from '@/lib/services';

/** POST { decision: "ship", arm, strategy?, reason } or { decision: "roll_back", reason }. */
export const POST = apiRoute<{ id: string }>(async ({ params, caller, body }) => ({ data: await decideExperiment(caller, withParams(await body(), { experimentId: params.id })) }));
