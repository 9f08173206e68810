import { apiRoute } from '@/lib/http/api-route';
import { ingestDriftSnapshot } from '@/lib/services';

/** A production window per feature (counts in the reference's shape, or raw values): 202, scored on arrival. */
export const POST = apiRoute(async ({ caller, body }) => ({ status: 202, data: await ingestDriftSnapshot(caller, await body(5_000_000)) }));
