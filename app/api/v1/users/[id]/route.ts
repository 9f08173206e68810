import { apiRoute } from '@/lib/http/api-route';
import { updateUser } from '@/lib/services';

export const PATCH = apiRoute<{ id: string }>(async ({ params, caller, body }) => {
  const input = await body();
  return { data: await updateUser(caller, { ...(typeof input === 'object' && input ? input : {}), userId: params.id }) };
});
