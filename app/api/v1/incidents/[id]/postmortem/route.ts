import { apiRoute } from '@/lib/http/api-route';
import { withParams } from '@/lib/http/body';
import { writePostmortem } from '@/lib/services';

/** PUT { postmortem (markdown), owner?, actionItems: [{ text, owner?, done }], close? } */
export const PUT = apiRoute<{ id: string }>(async ({ params, caller, body }) => ({ data: await writePostmortem(caller, withParams(await body(), { incidentId: params.id })) }));
