'use server';

import { revalidatePath } from 'next/cache';
import type { ActionState } from '@/lib/server/action-state';
import { runAction } from '@/lib/server/run-action';
import { setSlo, updateDriftPolicy } from '@/lib/services';

/** The thresholds form: warning/critical per method, and the healthy windows that resolve an alert. */
export async function updateDriftPolicyAction(model: string, _prev: ActionState<unknown>, form: FormData): Promise<ActionState<unknown>> {
  const num = (key: string) => {
    const v = form.get(key);
    return v === null || v === '' ? Number.NaN : Number(v);
  };
  const thresholds = Object.fromEntries(['psi', 'jsDistance', 'wasserstein', 'chiSquare', 'ks'].map((m) => [m, { warning: num(`${m}.warning`), critical: num(`${m}.critical`) }]));
  // Per-feature method choices are kept as they are (the form does not edit them).
  let methods: unknown = {};
  try {
    methods = JSON.parse(String(form.get('methods') ?? '{}'));
  } catch {
    methods = {};
  }
  const state = await runAction(
    (caller) => updateDriftPolicy(caller, { model, policy: { thresholds, methods, resolveAfterHealthy: num('resolveAfterHealthy') } }),
    (r) => (r.changed ? 'Thresholds saved: new windows are judged by them.' : 'Nothing changed.'),
  );
  revalidatePath(`/models/${model}/drift`);
  return state;
}

/** The SLO form: one objective per environment and kind. */
export async function setSloAction(model: string, _prev: ActionState<unknown>, form: FormData): Promise<ActionState<unknown>> {
  const kind = String(form.get('kind') ?? '');
  const threshold = form.get('latencyThresholdMs');
  const state = await runAction(
    (caller) =>
      setSlo(caller, {
        model,
        environment: form.get('environment'),
        kind,
        objective: Number(form.get('objective')) / 100,
        ...(kind === 'latency' ? { latencyThresholdMs: threshold === '' || threshold === null ? undefined : Number(threshold) } : {}),
      }),
    () => 'SLO saved: the controller measures it from now on.',
  );
  revalidatePath(`/models/${model}/drift`);
  return state;
}
