import { apiRoute } from '@/lib/http/api-route';
import { withParams } from '@/lib/http/body';
import { postDriftReference } from '@/lib/services';

/** CI posts the version's reference profile (201 when features were added, 200 when all were already there). */
export const POST = apiRoute<{ name: string; version: string }>(async ({ params, caller, body }) => {
  const result = await postDriftReference(caller, withParams(await body(5_000_000), { model: params.name, version: params.version }));
  return { status: result.created > 0 ? 201 : 200, data: result };
});
