import { apiRoute } from '@/lib/http/api-route';
import { listAlerts } from '@/lib/queries/alerts';

/** ?state=active|open|acknowledged|resolved|all &severity= &kind= &model= &limit= */
export const GET = apiRoute(async ({ req, caller }) => ({ data: { items: await listAlerts(caller, Object.fromEntries(new URL(req.url).searchParams)) } }));
