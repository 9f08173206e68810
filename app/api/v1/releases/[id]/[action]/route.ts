import { apiRoute } from '@/lib/http/api-route';
import { withParams } from '@/lib/http/body';
import { errorBody, json } from '@/lib/http/respond';
import type { TransitionOutcome } from '@/lib/services/releases/apply-transition';
import { RELEASE_ACTIONS as ACTIONS } from './actions';

/**
 * POST /api/v1/releases/{id}/{approve|reject|start|pause|resume|advance|promote|abort|rollback}
 * Same use cases as the buttons. A repeat of what already happened (a second rollback) is a 200
 * with `changed: false` and the release as it is; an action the state does not allow is a 409.
 */
export const POST = apiRoute<{ id: string; action: string }>(async ({ req, params, caller, body }) => {
  // Own keys only: "constructor" or "toString" must not find Object.prototype's and call it.
  const useCase = Object.hasOwn(ACTIONS, params.action) ? ACTIONS[params.action as keyof typeof ACTIONS] : undefined;
  if (!useCase)
    return json(errorBody('not_found', `Unknown release action "${params.action}"; expected one of ${Object.keys(ACTIONS).join(', ')}.`), { status: 404 });
  // Bodies are optional for most actions (rollback and reject need a reason or comment).
  const hasBody = Number(req.headers.get('content-length') ?? '0') > 0 || req.headers.has('transfer-encoding');
  const input = withParams(hasBody ? await body() : {}, { releaseId: params.id });
  const outcome = await (useCase as (c: typeof caller, i: unknown) => Promise<TransitionOutcome>)(caller, input);
  // The release as the action left it, read in its transaction: whoever may act on a release sees
  // the result (a key with the releases scope but not read, too), and no second read follows.
  return { data: { changed: outcome.changed, note: outcome.note ?? null, incidentId: outcome.incidentId ?? null, release: outcome.view } };
});
