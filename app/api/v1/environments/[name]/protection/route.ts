import { apiRoute } from '@/lib/http/api-route';
import { updateProtection } from '@/lib/services';

/** Replace the protection rules: { requiredApprovals, approvalTtlHours, defaultPlan?, freezeWindows }. */
export const PUT = apiRoute<{ name: string }>(async ({ params, caller, body }) => ({
  data: await updateProtection(caller, { environment: params.name, protection: await body() }),
}));
