import { apiRoute } from '@/lib/http/api-route';
import { listAuditEvents } from '@/lib/queries/audit';

/** ?actor= &action= (or a prefix "release.") &targetType= &targetId= &model= &release= &environment= &from= &to= &q= &limit= &cursor= */
export const GET = apiRoute(async ({ req, caller }) => ({ data: await listAuditEvents(caller, Object.fromEntries(new URL(req.url).searchParams)) }));
