import { apiRoute } from '@/lib/http/api-route';
import { listApiKeys } from '@/lib/queries/people';
import { createApiKey } from '@/lib/services';

export const GET = apiRoute(async ({ caller }) => ({ data: { items: await listApiKeys(caller) } }));
/** The response carries `secret`: the only time it is ever shown. */
export const POST = apiRoute(async ({ caller, body }) => ({ status: 201, data: await createApiKey(caller, await body()) }));
