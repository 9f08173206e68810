import type { Database } from '@/db';
import { systemActor } from '@/lib/auth/system-actor';
import type { LeaderJob } from '../controller/run';
import type { MlflowConfig } from '@/lib/config/mlflow';
import { runMlflowSync } from './run-sync';
import { errorText, log } from '../log';

/**
 * The scheduled MLflow sync as a leader job: one pass every `syncSeconds`, never two at once, in
 * the instance that leads the controller (so several instances do not import in parallel).
 */
export function mlflowScheduleJob(config: MlflowConfig): LeaderJob {
  let running = false;
  let last = 0;
  return (db: Database) => {
    if (running || Date.now() - last < config.syncSeconds * 1000) return;
    running = true;
    last = Date.now();
    runMlflowSync({ actor: systemActor('mlflow-sync'), db, request: { via: 'system', requestId: `mlflow-sync:${new Date(last).toISOString()}` } }, config, 'schedule')
      .then((row) => {
        if (row.status === 'failed') log('error', 'MLflow sync failed', { error: row.error, syncId: row.id });
      })
      .catch((error) => log('error', 'MLflow sync failed', { error: errorText(error) }))
      .finally(() => {
        running = false;
      });
  };
}
