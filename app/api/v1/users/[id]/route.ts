import { apiRoute } from '@/lib/http/api-route';
import { withParams } from '@/lib/http/body';
import { updateUser } from '@/lib/services';

export const PATCH = apiRoute<{ id: string }>(async ({ params, caller, body }) => ({ data: await updateUser(caller, withParams(await body(), { userId: params.id })) }));
