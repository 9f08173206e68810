import { apiRoute } from '@/lib/http/api-route';
import { getMlflowIntegration } from '@/lib/queries/integrations';

export const GET = apiRoute(async ({ caller }) => ({ data: await getMlflowIntegration(caller) }));
