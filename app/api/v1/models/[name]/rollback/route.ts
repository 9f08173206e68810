import { apiRoute } from '@/lib/http/api-route';
import { withParams } from '@/lib/http/body';
import { rollbackToLastGood } from '@/lib/services';

/** Roll an environment back to the last known good version: { environment, fromVersion, reason }. 201 when it rolled back, 200 when fromVersion was already gone. */
export const POST = apiRoute<{ name: string }>(async ({ params, caller, body }) => {
  const outcome = await rollbackToLastGood(caller, withParams(await body(), { model: params.name }));
  return { status: outcome.changed ? 201 : 200, data: outcome };
});
