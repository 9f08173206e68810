import { apiRoute } from '@/lib/http/api-route';
import { limitParam } from '@/lib/queries/paging';
import { listApprovalHistory } from '@/lib/queries/releases';

/** Approval history, newest first (?environment= &limit=). */
export const GET = apiRoute(async ({ req, caller }) => {
  const q = new URL(req.url).searchParams;
  return { data: { items: await listApprovalHistory(caller, { environment: q.get('environment') ?? undefined, limit: limitParam(q.get('limit'), 200, 500) }) } };
});
