import { apiRoute } from '@/lib/http/api-route';
import { getRelease } from '@/lib/queries/releases';

export const GET = apiRoute<{ id: string }>(async ({ params, caller }) => ({ data: await getRelease(caller, params.id) }));
