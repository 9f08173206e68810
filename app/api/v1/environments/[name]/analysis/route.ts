import { apiRoute } from '@/lib/http/api-route';
import { withParams } from '@/lib/http/body';
import { updateAnalysis } from '@/lib/services';

/** Set how the controller judges canaries here: { intervalSeconds, config: AnalysisConfig }. */
export const PUT = apiRoute<{ name: string }>(async ({ params, caller, body }) => ({ data: await updateAnalysis(caller, withParams(await body(), { environment: params.name })) }));
