'use server';

import { revalidatePath } from 'next/cache';
import type { ActionState } from '@/lib/server/action-state';
import { runAction } from '@/lib/server/run-action';
import { createExperiment, decideExperiment } from '@/lib/services';

/** The design form sends its fields as one object; the use case validates every one of them. */
export async function createExperimentAction(input: unknown): Promise<ActionState<{ id: string }>> {
  const state = await runAction(
    (caller) => createExperiment(caller, input),
    (e) => (e.release.state === 'pending_approval' ? 'Experiment created: its release waits for approval.' : 'Experiment created: start its release to expose the treatments.'),
  );
  revalidatePath('/experiments');
  return { ...state, result: state.result ? { id: state.result.id } : undefined };
}

export async function decideExperimentAction(input: unknown): Promise<ActionState<{ promotionReleaseId: string | null; incidentId: string | null }>> {
  const state = await runAction(
    (caller) => decideExperiment(caller, input),
    (o) => (!o.changed ? 'Already decided that way; nothing changed.' : o.decision === 'ship' ? 'Shipped: a promotion of the winner was requested (approvals apply).' : 'Rolled back: every unit is back on control; an incident was opened.'),
  );
  revalidatePath('/experiments');
  revalidatePath('/releases');
  revalidatePath('/');
  return { ...state, result: state.result ? { promotionReleaseId: state.result.promotionReleaseId, incidentId: state.result.incidentId } : undefined };
}
