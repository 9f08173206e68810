import { sql } from 'drizzle-orm';
import { getDbHandle, rowsOf } from '@/db';

export const dynamic = 'force-dynamic';

/** Liveness and database state, for load balancers and the test harness. No secrets. */
export async function GET() {
  const started = performance.now();
  try {
    const handle = await getDbHandle();
    const [row] = rowsOf<{ n: number }>(await handle.db.execute(sql`select count(*)::int as n from drizzle.__drizzle_migrations`));
    return Response.json({
      status: 'ok',
      database: { state: 'up', driver: handle.driver, latencyMs: Math.round(performance.now() - started), migrations: row?.n ?? null },
    });
  } catch (error) {
    return Response.json(
      { status: 'degraded', database: { state: 'down', error: error instanceof Error ? error.message.split('\n')[0] : 'unknown' } },
      { status: 503 },
    );
  }
}
