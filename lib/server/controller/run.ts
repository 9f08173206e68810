import type { Database } from '@/db';
import type { Config } from '@/lib/config';
import { leadership } from './leader';
import { controllerTick } from './tick';

/** Periodic work only the leader does, started without waiting (it keeps its own pace and errors). */
export type LeaderJob = (db: Database) => void;

/**
 * The controller loop: every `intervalMs`, if this instance leads, one tick over the running
 * releases. Errors are logged in one line and the loop goes on; the timer never keeps a process
 * alive on its own. Returns a stop function.
 */
export async function startController(getDb: () => Promise<Database>, config: Config, intervalMs = 1000, leaderJobs: LeaderJob[] = []): Promise<() => Promise<void>> {
  const lead = await leadership(config);
  let busy = false;
  const timer = setInterval(async () => {
    if (busy) return;
    busy = true;
    try {
      if (await lead.isLeader()) {
        await controllerTick(await getDb());
        for (const job of leaderJobs) job(await getDb());
      }
    } catch (error) {
      console.error(`flightdeck: controller tick failed: ${error instanceof Error ? error.message : String(error)}`);
    } finally {
      busy = false;
    }
  }, intervalMs);
  timer.unref();
  return async () => {
    clearInterval(timer);
    await lead.release();
  };
}
