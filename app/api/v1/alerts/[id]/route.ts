import { apiRoute } from '@/lib/http/api-route';
import { getAlert } from '@/lib/queries/alerts';

export const GET = apiRoute<{ id: string }>(async ({ params, caller }) => ({ data: await getAlert(caller, params.id) }));
