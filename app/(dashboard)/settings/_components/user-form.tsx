'use client';

import { useFormAction } from '@/components/ui/use-form-action';
import { buttonStyles } from '@/components/ui/button-styles';
import { FormLauncher } from '@/components/ui/form-launcher';
import { Field, FormMessage, inputStyles } from '@/components/ui/field';
import { createUserAction } from '../actions';
import { RoleCheckboxes } from './role-checkboxes';

export function AddUserForm({ allowed, reason }: { allowed: boolean; reason: string }) {
  return (
    <FormLauncher label="Add user" allowed={allowed} reason={reason}>
      {(close) => <AddUserFormBody  close={close} />}
    </FormLauncher>
  );
}

function AddUserFormBody({ close }: { close: () => void }) {
  const { state, pending, formRef, onSubmit } = useFormAction(createUserAction);
  const errors = state.fieldErrors ?? {};
  return (
    <form ref={formRef} onSubmit={onSubmit} noValidate aria-label="Add user" className="mb-4 space-y-3 rounded-md border border-zinc-200 p-3 dark:border-zinc-800">
      <div className="grid gap-3 sm:grid-cols-3">
        <Field id="new-name" label="Name" errors={errors.name}>
          <input id="new-name" name="name" required className={inputStyles} aria-invalid={!!errors.name} />
        </Field>
        <Field id="new-email" label="E-mail" errors={errors.email}>
          <input id="new-email" name="email" type="email" required className={inputStyles} aria-invalid={!!errors.email} />
        </Field>
        <Field id="new-password" label="Password" hint="12+ characters; leave empty for SSO-only" errors={errors.password}>
          <input id="new-password" name="password" type="password" autoComplete="new-password" className={inputStyles} aria-invalid={!!errors.password} />
        </Field>
      </div>
      <RoleCheckboxes name="roles" selected={[]} idPrefix="new-user" />
      <FormMessage state={state} />
      <div className="flex gap-2">
        <button type="submit" disabled={pending} className={buttonStyles.primary}>
          {pending ? 'Adding…' : 'Add user'}
        </button>
        <button type="button" className={buttonStyles.secondary} onClick={close}>
          Close
        </button>
      </div>
    </form>
  );
}
