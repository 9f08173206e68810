import { apiRoute } from '@/lib/http/api-route';
import { listWebhooks } from '@/lib/queries/webhooks';
import { createWebhook } from '@/lib/services';

export const GET = apiRoute(async ({ caller }) => ({ data: { items: await listWebhooks(caller) } }));
/** The response carries `secret` (for verifying X-Flightdeck-Signature): the only time it is shown. */
export const POST = apiRoute(async ({ caller, body }) => ({ status: 201, data: await createWebhook(caller, await body()) }));
