import { apiRoute } from '@/lib/http/api-route';
import { unauthenticated } from '@/lib/services/errors';

/** Who the credentials belong to: handy for CLIs and for checking a key. */
export const GET = apiRoute(async ({ caller }) => {
  if (!caller.actor) throw unauthenticated();
  const { type, id, name, roles, scopes } = caller.actor;
  return { data: { type, id, name, roles: ['viewer', ...roles.filter((r) => r !== 'viewer')], scopes: scopes ?? null } };
});
