import { apiRoute } from '@/lib/http/api-route';
import { verifyAuditChain } from '@/lib/services';

export const GET = apiRoute(async ({ caller }) => ({ data: await verifyAuditChain(caller) }));
