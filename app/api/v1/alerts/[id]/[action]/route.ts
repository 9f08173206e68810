import { apiRoute } from '@/lib/http/api-route';
import { withParams } from '@/lib/http/body';
import { errorBody, json } from '@/lib/http/respond';
import { acknowledgeAlert, commentAlert, resolveAlert } from '@/lib/services';

const ACTIONS = { acknowledge: acknowledgeAlert, resolve: resolveAlert, comment: commentAlert } as const;

/** POST /api/v1/alerts/{id}/{acknowledge|resolve|comment} with { comment }. Same use cases as the buttons. */
export const POST = apiRoute<{ id: string; action: string }>(async ({ req, params, caller, body }) => {
  // Own keys only: "constructor" or "toString" must not find Object.prototype's and call it.
  const useCase = Object.hasOwn(ACTIONS, params.action) ? ACTIONS[params.action as keyof typeof ACTIONS] : undefined;
  if (!useCase) return json(errorBody('not_found', `Unknown alert action "${params.action}"; expected one of ${Object.keys(ACTIONS).join(', ')}.`), { status: 404 });
  const hasBody = Number(req.headers.get('content-length') ?? '0') > 0 || req.headers.has('transfer-encoding');
  return { data: await (useCase as (c: typeof caller, i: unknown) => Promise<unknown>)(caller, withParams(hasBody ? await body() : {}, { alertId: params.id })) };
});
