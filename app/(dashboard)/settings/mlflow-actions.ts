'use server';

import { revalidatePath } from 'next/cache';
import type { ActionState } from '@/lib/server/action-state';
import { configuredMlflow, MlflowConfigError } from '@/lib/config/mlflow';
import { runMlflowSync } from '@/lib/server/mlflow/run-sync';
import type { MlflowSyncReport } from '@/lib/server/mlflow/sync';
import { runAction } from '@/lib/server/run-action';
import { AppError } from '@/lib/services/errors';

const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;

/** One line for the person who clicked: what is new, else that nothing is; then what was skipped. */
function describePass(report: MlflowSyncReport): string {
  const imported = report.modelsCreated.length + report.versionsRegistered.length > 0;
  const head = imported
    ? `Imported ${report.modelsCreated.length ? `${plural(report.modelsCreated.length, 'model')} and ` : ''}${plural(report.versionsRegistered.length, 'version')}`
    : report.versionsRetagged.length
      ? 'No new versions'
      : `Nothing new: ${plural(report.unchanged, 'version')} already up to date`;
  const tail = [report.versionsRetagged.length && `${plural(report.versionsRetagged.length, 'version')} retagged`, report.skipped.length && `${report.skipped.length} skipped`].filter(Boolean);
  return `${[head, ...tail].join('; ')}.`;
}

/**
 * "Sync now" on the Settings page: one manual pass as the signed-in user (runMlflowSync checks
 * version.register before MLflow is called). A pass that could not read MLflow is kept in the
 * list and shown as an error with its reason.
 */
export async function syncMlflowAction(_prev: ActionState, _form: FormData): Promise<ActionState> {
  const state = await runAction(
    (caller) => {
      let config: ReturnType<typeof configuredMlflow>;
      try {
        config = configuredMlflow();
      } catch (error) {
        if (error instanceof MlflowConfigError) throw new AppError('conflict', error.message);
        throw error;
      }
      if (!config) throw new AppError('conflict', 'No MLflow tracking server is configured: set FLIGHTDECK_MLFLOW_URL.');
      return runMlflowSync(caller, config, 'manual');
    },
    (pass) => (pass.report ? describePass(pass.report as MlflowSyncReport) : ''),
  );
  // A pass that failed is recorded too: the list of passes changes either way.
  if (state.status === 'ok') revalidatePath('/settings');
  if (state.status === 'ok' && state.result?.status === 'failed') return { status: 'error', message: `Sync failed: ${state.result.error ?? 'MLflow could not be read.'}` };
  return { ...state, result: undefined };
}
