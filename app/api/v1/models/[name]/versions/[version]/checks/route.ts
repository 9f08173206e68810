import { apiRoute } from '@/lib/http/api-route';
import { withParams } from '@/lib/http/body';
import { reportCheck } from '@/lib/services';

type Params = { name: string; version: string };

/** Report (or update) the result of one gate kind: 201 for a new kind, 200 for an update or a repeat. */
export const POST = apiRoute<Params>(async ({ params, caller, body }) => {
  const result = await reportCheck(caller, withParams(await body(), { model: params.name, version: params.version }));
  return { status: result.outcome === 'created' ? 201 : 200, data: { ...result.check, outcome: result.outcome } };
});
