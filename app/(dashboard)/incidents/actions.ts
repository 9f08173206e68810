'use server';

import { revalidatePath } from 'next/cache';
import type { ActionState } from '@/lib/server/action-state';
import { runAction } from '@/lib/server/run-action';
import { writePostmortem } from '@/lib/services';

/** The postmortem editor sends its fields as one object; the use case validates them. */
export async function writePostmortemAction(input: unknown): Promise<ActionState<unknown>> {
  const state = await runAction(
    (caller) => writePostmortem(caller, input),
    () => 'Postmortem saved.',
  );
  revalidatePath('/incidents');
  const id = (input as { incidentId?: string }).incidentId;
  if (id) revalidatePath(`/incidents/${id}`);
  return { ...state, result: undefined };
}
