'use server';

import { revalidatePath } from 'next/cache';
import type { ActionState } from '@/lib/server/action-state';
import { runAction } from '@/lib/server/run-action';
import {
  abortRelease,
  advanceRelease,
  approveRelease,
  pauseRelease,
  promoteRelease,
  rejectRelease,
  requestRelease,
  resumeRelease,
  rollbackRelease,
  rollbackToLastGood,
  startRelease,
} from '@/lib/services';

const VERBS = {
  approve: (c: Parameters<typeof approveRelease>[0], id: string, text: string) => approveRelease(c, { releaseId: id, comment: text }),
  reject: (c: Parameters<typeof rejectRelease>[0], id: string, text: string) => rejectRelease(c, { releaseId: id, comment: text }),
  start: (c: Parameters<typeof startRelease>[0], id: string, text: string) => startRelease(c, { releaseId: id, reason: text || undefined }),
  pause: (c: Parameters<typeof pauseRelease>[0], id: string, text: string) => pauseRelease(c, { releaseId: id, reason: text || undefined }),
  resume: (c: Parameters<typeof resumeRelease>[0], id: string, text: string) => resumeRelease(c, { releaseId: id, reason: text || undefined }),
  advance: (c: Parameters<typeof advanceRelease>[0], id: string, text: string) => advanceRelease(c, { releaseId: id, reason: text || undefined }),
  promote: (c: Parameters<typeof promoteRelease>[0], id: string, text: string) => promoteRelease(c, { releaseId: id, reason: text || undefined }),
  abort: (c: Parameters<typeof abortRelease>[0], id: string, text: string) => abortRelease(c, { releaseId: id, reason: text || undefined }),
  rollback: (c: Parameters<typeof rollbackRelease>[0], id: string, text: string) => rollbackRelease(c, { releaseId: id, reason: text }),
};
export type ReleaseVerb = keyof typeof VERBS;

const DONE: Record<ReleaseVerb, string> = {
  approve: 'Approval recorded.',
  reject: 'Release rejected.',
  start: 'Release started.',
  pause: 'Release paused.',
  resume: 'Release resumed.',
  advance: 'Moved to the next step.',
  promote: 'Promoted to 100 %.',
  abort: 'Release aborted: traffic is back on the baseline.',
  rollback: 'Rolled back: traffic is back on the baseline.',
};

/** Every button on a release calls this one adapter; the use case decides. */
export async function releaseAction(releaseId: string, verb: ReleaseVerb, text: string): Promise<ActionState<{ incidentId: string | null; changed: boolean }>> {
  if (!(verb in VERBS)) return { status: 'error', message: 'Unknown action.' };
  const state = await runAction(
    async (caller) => {
      const outcome = (await VERBS[verb](caller, releaseId, text)) as { changed: boolean; note?: string; incidentId?: string; release: { state: string } };
      return outcome;
    },
    (o) => (o.changed ? DONE[verb] : `Nothing to do: ${o.note ?? `the release is already ${o.release.state.replace('_', ' ')}`}.`),
  );
  revalidatePath('/');
  revalidatePath('/releases');
  revalidatePath(`/releases/${releaseId}`);
  return { ...state, result: state.result ? { incidentId: state.result.incidentId ?? null, changed: state.result.changed } : undefined };
}

export async function requestReleaseAction(_prev: ActionState<{ id: string }>, form: FormData): Promise<ActionState<{ id: string }>> {
  const state = await runAction(
    (caller) =>
      requestRelease(caller, {
        model: form.get('model'),
        version: form.get('version'),
        environment: form.get('environment'),
        strategy: form.get('strategy') || 'canary',
        reason: String(form.get('reason') ?? '').trim() || undefined,
      }),
    (r) => `Release requested (${r.state === 'approved' ? 'approved: it can start' : 'waiting for approval'}).`,
  );
  if (state.status === 'ok') revalidatePath('/releases');
  return { ...state, result: state.result ? { id: state.result.id } : undefined };
}

export async function rollbackToLastGoodAction(model: string, environment: string, fromVersion: string, reason: string): Promise<ActionState> {
  const state = await runAction(
    (caller) => rollbackToLastGood(caller, { model, environment, fromVersion, reason }),
    (o) => (o.changed ? `Rolled ${environment} back to the last known good version; an incident was opened.` : `Nothing to do: ${o.note}.`),
  );
  revalidatePath(`/models/${model}`);
  revalidatePath('/');
  return { ...state, result: undefined };
}
