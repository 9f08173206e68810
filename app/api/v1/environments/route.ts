import { apiRoute } from '@/lib/http/api-route';
import { listEnvironmentPolicies } from '@/lib/queries/environments';
import { createEnvironment } from '@/lib/services';

export const GET = apiRoute(async ({ caller }) => ({ data: { items: await listEnvironmentPolicies(caller) } }));
export const POST = apiRoute(async ({ caller, body }) => ({ status: 201, data: await createEnvironment(caller, await body()) }));
