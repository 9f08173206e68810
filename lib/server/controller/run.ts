import type { Database } from '@/db';
import type { Config } from '@/lib/config';
import { leadership } from './leader';
import { controllerTick } from './tick';
import { metrics } from '../observability/metrics';
import { reportError } from '../observability/error-reporter';

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
  let leading = false;
  const timer = setInterval(async () => {
    if (busy) return;
    busy = true;
    try {
      const leader = await lead.isLeader();
      metrics().isLeader.set(leader ? 1 : 0);
      // One line per change, so that the logs of several instances tell which one acts and when
      // it handed over (the fault tests in tests/faults read it).
      if (leader !== leading) console.log(leader ? 'flightdeck: controller leading (this instance acts)' : 'flightdeck: controller no longer leading');
      leading = leader;
      if (leader) {
        const stop = metrics().tickDuration.startTimer();
        const report = await controllerTick(await getDb());
        stop();
        for (const decision of ['analysed', 'advanced', 'rolledBack', 'paused'] as const) if (report[decision]) metrics().tickDecisions.inc({ decision }, report[decision]);
        for (const job of leaderJobs) job(await getDb());
      }
    } catch (error) {
      metrics().tickErrors.inc();
      reportError(error, { where: 'controller' });
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
