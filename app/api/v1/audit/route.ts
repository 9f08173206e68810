import { apiRoute } from '@/lib/http/api-route';
import { listAuditEvents } from '@/lib/queries/audit';

export const GET = apiRoute(async ({ req, caller }) => {
  const q = new URL(req.url).searchParams;
  return { data: await listAuditEvents(caller, { limit: q.get('limit') ?? undefined, cursor: q.get('cursor') ?? undefined }) };
});
