// Next.js calls register() once when a server starts: migrate, bootstrap and seed before the
// first request, and stop with one clear line when the configuration or database is wrong. Then
// tell server.mjs to listen, with the /api/v1 endpoints it answers without Next's router.
export async function register() {
  if (process.env.NEXT_RUNTIME !== 'nodejs') return;
  if (process.env.NEXT_PHASE === 'phase-production-build') return;
  const { prepareServer } = await import('./lib/server/startup');
  await prepareServer();
  const { announceReady } = await import('./lib/http/direct-routes');
  const { DIRECT_ROUTES } = await import('./app/api/v1/direct-routes');
  announceReady(DIRECT_ROUTES);
}

/**
 * Errors Next.js caught while rendering a page or running a server action (API routes report their
 * own 500s): to Sentry when SENTRY_DSN is set.
 */
export async function onRequestError(error: unknown, request: { path: string; method: string; headers: Record<string, string | string[] | undefined> }, context: { routePath: string; routeType: string }) {
  if (process.env.NEXT_RUNTIME !== 'nodejs') return;
  const { reportError } = await import('./lib/server/observability/error-reporter');
  const traceparent = request.headers.traceparent;
  reportError(error, { where: `next:${context.routeType}`, route: context.routePath, method: request.method, traceparent: typeof traceparent === 'string' ? traceparent : undefined });
}
