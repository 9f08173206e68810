import { apiRoute } from '@/lib/http/api-route';
import { listWebhookDeliveries } from '@/lib/queries/webhooks';

export const GET = apiRoute<{ id: string }>(async ({ params, caller }) => ({ data: { items: await listWebhookDeliveries(caller, params.id) } }));
