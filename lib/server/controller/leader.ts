import type { Config } from '@/lib/config';

// Any constant, the same in every instance; distinct from the migration and audit locks.
const CONTROLLER_LOCK = 7262010;

export type Leadership = { isLeader: () => Promise<boolean>; release: () => Promise<void> };

/**
 * One controller acts among many instances. On Postgres, leadership is a session advisory lock
 * held on a dedicated connection: if the leader dies, its connection closes, the lock is freed
 * and another instance takes over at its next try. The embedded database serves one process,
 * which is therefore always the leader.
 */
export async function leadership(config: Config): Promise<Leadership> {
  if (!config.databaseUrl) return { isLeader: async () => true, release: async () => {} };
  const { default: postgres } = await import('postgres');
  let sql: ReturnType<typeof postgres> | null = null;
  let held = false;
  return {
    async isLeader() {
      try {
        sql ??= postgres(config.databaseUrl!, { max: 1, onnotice: () => {}, idle_timeout: 0, connect_timeout: 5 });
        if (!held) {
          const [row] = await sql<{ locked: boolean }[]>`select pg_try_advisory_lock(${CONTROLLER_LOCK}) as locked`;
          held = Boolean(row?.locked);
        } else {
          await sql`select 1`; // still connected, so still holding the lock
        }
        return held;
      } catch {
        held = false;
        await sql?.end({ timeout: 1 }).catch(() => {});
        sql = null;
        return false;
      }
    },
    async release() {
      held = false;
      await sql?.end({ timeout: 1 }).catch(() => {});
      sql = null;
    },
  };
}
