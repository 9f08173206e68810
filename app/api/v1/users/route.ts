import { apiRoute } from '@/lib/http/api-route';
import { listUsers } from '@/lib/queries/people';
import { createUser } from '@/lib/services';

export const GET = apiRoute(async ({ caller }) => ({ data: { items: await listUsers(caller) } }));
export const POST = apiRoute(async ({ caller, body }) => ({ status: 201, data: await createUser(caller, await body()) }));
