import { apiRoute } from '@/lib/http/api-route';
import { withParams } from '@/lib/http/body';
import { updateWebhook } from '@/lib/services';

export const PATCH = apiRoute<{ id: string }>(async ({ params, caller, body }) => ({ data: await updateWebhook(caller, withParams(await body(), { webhookId: params.id })) }));
