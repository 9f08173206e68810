'use client';

import { startTransition, useActionState, useEffect, useRef, type FormEvent } from 'react';
import { initialActionState, type ActionState } from '@/lib/server/action-state';

/**
 * useActionState for a form, without React's automatic reset after every submission: on an
 * error the person keeps what they typed (and sees the field errors); on success the form clears.
 */
export function useFormAction<R>(action: (prev: ActionState<R>, form: FormData) => Promise<ActionState<R>>) {
  const [state, dispatch, pending] = useActionState(action, initialActionState as ActionState<R>);
  const formRef = useRef<HTMLFormElement>(null);
  useEffect(() => {
    if (state.status === 'ok') formRef.current?.reset();
  }, [state]);
  const onSubmit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const data = new FormData(event.currentTarget, (event.nativeEvent as SubmitEvent).submitter);
    startTransition(() => dispatch(data));
  };
  return { state, pending, formRef, onSubmit };
}
