import { apiRoute } from '@/lib/http/api-route';
import { revokeApiKey } from '@/lib/services';

export const DELETE = apiRoute<{ id: string }>(async ({ params, caller }) => ({ data: await revokeApiKey(caller, { apiKeyId: params.id }) }));
