import { apiRoute } from '@/lib/http/api-route';
import { planSampleSize } from '@/lib/queries/experiments';

/** POST { baseline: { rate } | { mean, variance }, minimumDetectableEffect, alpha?, power?, arms?, model?, environment? }. */
export const POST = apiRoute(async ({ caller, body }) => ({ data: await planSampleSize(caller, await body()) }));
