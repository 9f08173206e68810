import { apiRoute } from '@/lib/http/api-route';
import { withParams } from '@/lib/http/body';
import { getVersion } from '@/lib/queries/versions';
import { updateVersion } from '@/lib/services';

type Params = { name: string; version: string };

/** The version with its checks and, per environment, whether it is deployable and why not. */
export const GET = apiRoute<Params>(async ({ params, caller }) => ({ data: await getVersion(caller, params.name, params.version) }));

/** Only tags and status may change; everything else is immutable. */
export const PATCH = apiRoute<Params>(async ({ params, caller, body }) => ({
  data: await updateVersion(caller, withParams(await body(), { model: params.name, version: params.version })),
}));
