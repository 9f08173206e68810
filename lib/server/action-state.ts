import type { FieldErrors } from '@/lib/services/errors';

/** What a server action returns to its form (errors are state, never thrown — see STACK.md). */
export type ActionState<R = unknown> = {
  status: 'idle' | 'ok' | 'error';
  message?: string;
  fieldErrors?: FieldErrors;
  result?: R;
};

export const initialActionState: ActionState<never> = { status: 'idle' };
