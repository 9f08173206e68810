// Next.js calls register() once when a server starts: migrate, bootstrap and seed before the
// first request, and stop with one clear line when the configuration or database is wrong.
export async function register() {
  if (process.env.NEXT_RUNTIME !== 'nodejs') return;
  if (process.env.NEXT_PHASE === 'phase-production-build') return;
  const { prepareServer } = await import('./lib/server/startup');
  await prepareServer();
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
