import { reconnectBackoff } from '@/db/client';
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
        // Reconnects on the app pool's short backoff: the default waits up to 20 s after an outage.
        sql ??= postgres(config.databaseUrl!, { max: 1, onnotice: () => {}, idle_timeout: 0, connect_timeout: 5, backoff: reconnectBackoff });
        // Held or not, ask the session itself. A "still connected?" probe is not enough: postgres-js
        // reconnects silently, so after a Postgres restart (or a terminated backend) the probe
        // succeeds on a new session that holds nothing while another instance takes the lock —
        // two leaders. pg_locks answers for this very session (bigint key: classid 0, objsubid 1).
        const [row] = held
          ? await sql<{ locked: boolean }[]>`select exists (select 1 from pg_locks where locktype = 'advisory' and classid = 0 and objid = ${CONTROLLER_LOCK} and objsubid = 1 and pid = pg_backend_pid() and granted) as locked`
          : await sql<{ locked: boolean }[]>`select pg_try_advisory_lock(${CONTROLLER_LOCK}) as locked`;
        held = Boolean(row?.locked);
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
