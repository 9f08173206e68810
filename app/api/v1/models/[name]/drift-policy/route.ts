import { apiRoute } from '@/lib/http/api-route';
import { updateDriftPolicy } from '@/lib/services';

export const PUT = apiRoute<{ name: string }>(async ({ params, caller, body }) => ({ data: await updateDriftPolicy(caller, { model: params.name, policy: await body() }) }));
