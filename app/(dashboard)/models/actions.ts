'use server';

import { revalidatePath } from 'next/cache';
import type { ActionState } from '@/lib/server/action-state';
import { runAction } from '@/lib/server/run-action';
import { createModel } from '@/lib/services';

export async function createModelAction(_prev: ActionState, form: FormData): Promise<ActionState> {
  const state = await runAction(
    (caller) =>
      createModel(caller, {
        name: form.get('name'),
        ownerTeam: form.get('ownerTeam'),
        description: form.get('description') ?? '',
        servingService: form.get('servingService') || undefined,
      }),
    (model) => `Model ${model.name} created.`,
  );
  if (state.status === 'ok') revalidatePath('/models');
  return { ...state, result: undefined };
}
