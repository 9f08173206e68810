// Next.js calls register() once when a server starts: migrate, bootstrap and seed before the
// first request, and stop with one clear line when the configuration or database is wrong.
export async function register() {
  if (process.env.NEXT_RUNTIME !== 'nodejs') return;
  if (process.env.NEXT_PHASE === 'phase-production-build') return;
  const { prepareServer } = await import('./lib/server/startup');
  await prepareServer();
}
