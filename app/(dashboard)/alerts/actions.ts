'use server';

import { revalidatePath } from 'next/cache';
import type { ActionState } from '@/lib/server/action-state';
import { runAction } from '@/lib/server/run-action';
import { acknowledgeAlert, commentAlert, resolveAlert } from '@/lib/services';

const VERBS = {
  acknowledge: { run: acknowledgeAlert, done: 'Acknowledged: you have it.' },
  resolve: { run: resolveAlert, done: 'Resolved.' },
  comment: { run: commentAlert, done: 'Comment added.' },
} as const;
export type AlertVerb = keyof typeof VERBS;

/** Every alert button calls this one adapter; the use case decides. */
export async function alertAction(alertId: string, verb: AlertVerb, comment: string): Promise<ActionState<{ changed: boolean }>> {
  const entry = VERBS[verb];
  if (!entry) return { status: 'error', message: 'Unknown action.' };
  const state = await runAction(
    (caller) => (entry.run as (c: typeof caller, i: unknown) => Promise<{ changed: boolean; alert: { state: string } }>)(caller, { alertId, comment }),
    (o) => (o.changed ? entry.done : `Nothing to do: the alert is already ${o.alert.state}.`),
  );
  revalidatePath('/alerts');
  revalidatePath(`/alerts/${alertId}`);
  revalidatePath('/');
  return { ...state, result: state.result ? { changed: state.result.changed } : undefined };
}
