'use server';

import { revalidatePath } from 'next/cache';
import type { ActionState } from '@/lib/server/action-state';
import { runAction } from '@/lib/server/run-action';
import { registerVersion, updateMetricsSource } from '@/lib/services';
import { invalid } from '@/lib/services/errors';

/** The form sends JSON text for the structured parts; each must parse before the use case sees it. */
function json(form: FormData, field: string, fallback: unknown): unknown {
  const text = String(form.get(field) ?? '').trim();
  if (!text) return fallback;
  try {
    return JSON.parse(text);
  } catch {
    throw invalid('Some fields are not valid.', { [field]: ['Not valid JSON'] });
  }
}

export async function registerVersionAction(_prev: ActionState<{ version: string }>, form: FormData): Promise<ActionState<{ version: string }>> {
  const model = String(form.get('model') ?? '');
  const optional = (field: string) => String(form.get(field) ?? '').trim() || undefined;
  const state = await runAction(
    (caller) =>
      registerVersion(caller, {
        model,
        version: form.get('version'),
        artifactUri: form.get('artifactUri'),
        artifactDigest: form.get('artifactDigest'),
        gitCommit: optional('gitCommit'),
        dataSnapshotId: optional('dataSnapshotId'),
        dataSnapshotHash: optional('dataSnapshotHash'),
        parentVersion: optional('parentVersion'),
        tags: String(form.get('tags') ?? '').split(',').map((t) => t.trim()).filter(Boolean),
        hyperparameters: json(form, 'hyperparameters', {}),
        offlineMetrics: json(form, 'offlineMetrics', {}),
        contract: json(form, 'contract', { inputs: [], outputs: [] }),
      }),
    (r) => (r.created ? `Registered ${model} ${r.version.version}.` : `${model} ${r.version.version} was already registered with this content.`),
  );
  if (state.status === 'ok') revalidatePath(`/models/${model}`);
  return { ...state, result: state.result ? { version: state.result.version.version } : undefined };
}

/** The canary metrics form: a preset with optional overrides (empty fields = the preset's defaults), or none. */
export async function updateMetricsSourceAction(model: string, _prev: ActionState<unknown>, form: FormData): Promise<ActionState<unknown>> {
  const optional = (field: string) => String(form.get(field) ?? '').trim() || undefined;
  const preset = optional('preset');
  const state = await runAction(
    (caller) =>
      updateMetricsSource(caller, {
        model,
        source: preset
          ? {
              preset,
              modelLabel: optional('modelLabel'),
              versionLabel: optional('versionLabel'),
              modelLabelValue: optional('modelLabelValue'),
              latencyBuckets: optional('latencyBuckets'),
              latencyUnit: optional('latencyBuckets') ? optional('latencyUnit') : undefined,
            }
          : null,
      }),
    (r) => (!r.changed ? 'Nothing changed.' : r.source ? 'Saved: the next analysis interval reads these queries.' : 'Preset removed: the environment’s templates apply again.'),
  );
  revalidatePath(`/models/${model}`);
  return state;
}
